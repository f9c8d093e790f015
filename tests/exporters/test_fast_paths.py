"""Fast export paths equal the straightforward code they replace (streamed XML, uuid5, spans)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from claimmap.exporters import qdpx
from claimmap.exporters.ids import NAMESPACE, guid, span_guid
from claimmap.models import Article, Span, Tag
from claimmap.store.clock import to_utc_z
from claimmap.store.timestamps import parse_timestamp

STAMP = "2024-01-01T00:00:00+00:00"


@pytest.mark.parametrize(
    "parts",
    [(), ("",), ("span", "a", 1, 5, "quote"), ("coding", "x\x1fy", "人工智能"), ("u", "😀\r\n\t")],
)
def test_guid_is_uuid5_of_the_joined_parts(parts: tuple[object, ...]) -> None:
    name = "\x1f".join(str(p) for p in parts)
    assert guid(*parts) == str(uuid.uuid5(NAMESPACE, name))


def _reference_xml(
    name: str,
    articles: Sequence[Article],
    spans: Sequence[Span],
    tags: Sequence[Tag],
    links: Sequence[qdpx.QdpxLink],
) -> bytes:
    """``project.qde`` built as an ElementTree, as the exporter once did."""

    def q(tag: str) -> str:
        return f"{{{qdpx.NS}}}{tag}"

    ET.register_namespace("", qdpx.NS)
    root = ET.Element(q("Project"), {"name": name, "origin": "claimmap"})
    users = sorted({s.annotator for s in spans if not s.orphaned})
    if users:
        el = ET.SubElement(root, q("Users"))
        for user in users:
            ET.SubElement(el, q("User"), {"guid": qdpx.user_guid(user), "name": user})
    if tags:
        codes = ET.SubElement(ET.SubElement(root, q("CodeBook")), q("Codes"))
        for tag in sorted(tags, key=lambda t: (t.ordinal, t.name)):
            attrs = {"guid": qdpx.code_guid(tag.name), "name": tag.name, "isCodable": "true"}
            if qdpx._RGB.match(tag.color):
                attrs["color"] = tag.color.upper()
            ET.SubElement(codes, q("Code"), attrs)
    live = [s for s in spans if not s.orphaned]
    if articles:
        sources = ET.SubElement(root, q("Sources"))
        for art in sorted(articles, key=lambda a: a.id):
            sg = qdpx.source_guid(art.ref)
            src = ET.SubElement(
                sources,
                q("TextSource"),
                {
                    "guid": sg,
                    "name": art.ref,
                    "plainTextPath": f"{qdpx.INTERNAL}{sg}.txt",
                    "creationDateTime": to_utc_z(art.imported_at),
                    "modifiedDateTime": to_utc_z(art.updated_at),
                },
            )
            ET.SubElement(src, q("Description")).text = art.title
            mine = sorted(
                (s for s in live if s.article_id == art.id), key=lambda s: (s.start, s.end, s.id)
            )
            for span in mine:
                sel = ET.SubElement(
                    src,
                    q("PlainTextSelection"),
                    {
                        "guid": span_guid(span),
                        "name": span.quote,
                        "startPosition": str(span.start),
                        "endPosition": str(span.end),
                        "creatingUser": qdpx.user_guid(span.annotator),
                        "creationDateTime": to_utc_z(span.created_at),
                        "modifiedDateTime": to_utc_z(span.updated_at),
                    },
                )
                if span.note:
                    ET.SubElement(sel, q("Description")).text = span.note
                for tag_name in span.tags:
                    coding = ET.SubElement(
                        sel,
                        q("Coding"),
                        {
                            "guid": guid("coding", span_guid(span), tag_name),
                            "creatingUser": qdpx.user_guid(span.annotator),
                        },
                    )
                    ET.SubElement(coding, q("CodeRef"), {"targetGUID": qdpx.code_guid(tag_name)})
    by_id = {s.id: s for s in live}
    pairs = [
        (span_guid(by_id[lk.a]), span_guid(by_id[lk.b]), lk.label)
        for lk in links
        if lk.a in by_id and lk.b in by_id
    ]
    if pairs:
        el = ET.SubElement(root, q("Links"))
        for ga, gb, label in sorted(pairs, key=lambda x: (x[0], x[1])):
            ET.SubElement(
                el,
                q("Link"),
                {
                    "guid": guid("link", ga, gb),
                    "name": label or qdpx.DEFAULT_LINK_NAME,
                    "direction": "Associative",
                    "originGUID": ga,
                    "targetGUID": gb,
                },
            )
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode").replace("\r", "&#13;")
    return (qdpx.XML_DECLARATION + body + "\n").encode("utf-8")


def _article(i: int, ref: str, title: str) -> Article:
    return Article(
        id=i,
        ref=ref,
        source=f"{ref}.txt",
        title=title,
        script="simplified",
        encoding="utf-8",
        chars=100,
        raw_sha256="0" * 64,
        text_sha256="0" * 64,
        imported_at=STAMP,
        updated_at=STAMP,
    )


def _span(
    i: int, art: Article, start: int, quote: str, tags: list[str], note: str | None, **kw: object
) -> Span:
    values: dict[str, object] = {
        "id": i,
        "article": art.ref,
        "article_id": art.id,
        "start": start,
        "end": start + len(quote),
        "quote": quote,
        "prefix": "",
        "suffix": "",
        "tags": tags,
        "note": note,
        "annotator": "ann",
        "claim_id": i,
        "orphaned": False,
        "created_at": STAMP,
        "updated_at": STAMP,
    }
    values.update(kw)
    return Span.model_validate(values)


def test_streamed_project_xml_matches_the_tree_built_one() -> None:
    a = _article(1, "a&b", 'Title <one> & "two"\r\nline\ttab')
    b = _article(2, "b", "")  # an empty description is written short, <Description />
    c = _article(3, "c", "   ")
    tags = [
        Tag(id=1, name="motive", key="m", color="#4e9a06", ordinal=1),
        Tag(id=2, name='odd "<tag>"', key=None, color="red", ordinal=0),
    ]
    spans = [
        _span(1, a, 0, 'q<&>"\r\n\t', ["motive", 'odd "<tag>"'], "note\r\nwith <b> & CR\r"),
        _span(2, a, 3, "plain", [], None),  # no children: <PlainTextSelection ... />
        _span(3, a, 3, "plain", ["motive"], "", annotator='ann "x" <y>'),
        _span(4, b, 1, "orphan", ["motive"], "n", orphaned=True),
        _span(5, b, 2, "unknown tag", ["not in codebook"], "   "),
        _span(6, c, 0, "c", ["motive"], None),
    ]
    links = [
        qdpx.QdpxLink(1, 3, "claim <1>"),
        qdpx.QdpxLink(3, 1, None),
        qdpx.QdpxLink(1, 4, "to an orphan: dropped"),
        qdpx.QdpxLink(6, 5, None),
    ]
    for args in (
        ("proj & co", [a, b, c], spans, tags, links),
        ("empty", [], [], [], []),
        ("codes only", [], [], tags, []),
        ("no tags", [a], spans[:3], [], []),
    ):
        assert qdpx.project_xml(*args) == _reference_xml(*args)


def test_trusted_span_is_model_construct() -> None:
    from claimmap.services import exporting

    assert exporting._DIRECT, "Span changed shape: update _SPAN_FIELDS or the fast path"
    values: dict[str, Any] = {
        "id": 3,
        "article": "a",
        "article_id": 1,
        "start": 0,
        "end": 2,
        "quote": "ab",
        "prefix": "",
        "suffix": "c",
        "tags": ["motive"],
        "note": None,
        "annotator": "ann",
        "claim_id": None,
        "orphaned": False,
        "created_at": STAMP,
        "updated_at": STAMP,
        "page": "12",
    }
    fast = exporting.trusted_span(dict(values))
    slow = Span.model_construct(**values)
    assert fast == slow and fast.model_dump() == slow.model_dump() == values
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.model_copy(update={"id": 4}).id == 4 and fast.id == 3
    with pytest.raises(ValueError):
        fast.id = 5  # still frozen


def test_exports_leave_the_garbage_collector_as_they_found_it(tmp_path: Path) -> None:
    import gc

    from claimmap.services import exporting
    from exporters.corpus import build_corpus

    corpus = build_corpus()
    assert gc.isenabled()
    exporting.export_annotations(corpus.db, "w3c", tmp_path / "w3c")
    assert gc.isenabled()
    gc.disable()
    try:
        exporting.build(corpus.db, exporting.matrix_options(corpus.db))
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize(
    "stored",
    [
        "2024-05-01T12:00:00.000000+00:00",
        "2024-05-01T12:00:00.123456+00:00",
        "2024-02-29T23:59:59.999999+00:00",
        "2023-02-29T00:00:00.000000+00:00",  # not a leap year
        "2024-13-01T00:00:00.000000+00:00",
        "2024-01-01T24:00:00.000000+00:00",
        "2024-06-30T23:59:60.000000+00:00",  # a leap second
        "0000-01-01T00:00:00.000000+00:00",
        "9999-12-31T23:59:59.999999+00:00",
    ],
)
def test_to_utc_z_of_the_stored_shape_is_the_general_readers(stored: str) -> None:
    """The stored shape skips ``parse_timestamp``: same answer, impossible dates too."""
    try:
        expected: str | None = (
            dt.datetime.fromisoformat(parse_timestamp(stored)).replace(tzinfo=None).isoformat()
            + "Z"
        )
    except ValueError:
        expected = None
    assert to_utc_z(stored) == expected
