"""REFI-QDA project export (``.qdpx``): ``project.qde`` plus the source texts in a zip.

Codes -> ``Code``, a child nested in its parent under its own (last) name, with
its ``Description``; articles -> ``TextSource`` whose text is stored in the archive
as ``sources/<guid>.txt`` (UTF-8, LF, no BOM) and referenced as
``internal://<guid>.txt`` (importers crash on other paths); spans ->
``PlainTextSelection`` with one ``Coding`` per tag and the note as its
``Description``; confirmed claim links -> ``Link`` between two selections, named
after the claim's label; relations -> a ``OneWay`` ``Link`` from the selection
that supports or attacks to the selection it bears on, named ``supports`` or
``attacks``, its note a ``Note`` (under ``Notes``, its ``creatingUser`` the
analyst) that the ``Link`` names with a ``NoteRef``.  Positions are code points into the canonical text.
Every GUID is a uuid5 of the object's identity and every zip member carries a
fixed timestamp, so the archive is byte-identical for the same database.
Orphaned spans have no valid position and are left out.  Characters XML 1.0
forbids (a form feed, ``\x01``...) are replaced one for one everywhere, source
texts included, so the file is well-formed and positions still hold
(``safe_text``); times are UTC with ``Z`` (``store.clock.to_utc_z``).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO
from xml.sax.saxutils import escape

from claimmap.exporters.ids import guid, span_guid
from claimmap.exporters.safe_text import xml_safe
from claimmap.models import Article, Span, Tag
from claimmap.store.clock import to_utc_z

NS = "urn:QDA-XML:project:1.0"
PROJECT_FILE = "project.qde"
SOURCES_DIR = "sources/"
INTERNAL = "internal://"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
DEFAULT_LINK_NAME = "same claim"
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
_RGB = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True, slots=True)
class QdpxLink:
    a: int
    b: int
    label: str | None


@dataclass(frozen=True, slots=True)
class QdpxRelation:
    source: int
    target: int
    type: str
    annotator: str
    note: str | None = None


RELATION_DIRECTION = "OneWay"


def code_guid(tag: str) -> str:
    return guid("code", tag)


def source_guid(ref: str) -> str:
    return guid("source", ref)


def user_guid(name: str) -> str:
    return guid("user", name)


# Escaping as ElementTree writes it: in attributes CR, LF and tab become
# character references (a parser would otherwise normalise them to spaces); in
# text only CR does (a parser would turn it into LF).
_ATTR_ENTITIES = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}
_TEXT_ENTITIES = {"\r": "&#13;"}


def _attr(value: str) -> str:
    """An attribute value escaped as ElementTree escapes it, and with the characters
    XML 1.0 forbids replaced (ElementTree would write them and break the file)."""
    return escape(xml_safe(value), _ATTR_ENTITIES)


def _text(value: str) -> str:
    """Element text: forbidden characters replaced, markup escaped, CR as a reference."""
    return escape(xml_safe(value), _TEXT_ENTITIES)


def _open(indent: str, tag: str, attrs: Mapping[str, str | None], *, empty: bool = False) -> str:
    """A start tag; attributes whose value is None are left out (all of them are optional)."""
    body = "".join(f' {k}="{_attr(v)}"' for k, v in attrs.items() if v is not None)
    return f"{indent}<{tag}{body}{' />' if empty else '>'}\n"


def _leaf(indent: str, tag: str, text: str) -> str:
    # An empty text gives the short form, as ElementTree writes it.
    return f"{indent}<{tag}>{_text(text)}</{tag}>\n" if text else f"{indent}<{tag} />\n"


def _selection_name(span: Span) -> str:
    """The selection's name: its quote, cited with the page where the article has
    pages (``wording (p. 12)``).  The name is what QDA tools list a selection by
    (ATLAS.ti's quotation name, MAXQDA's segment preview), so the page shows there
    beside the words; the Description is the analyst's note and stays theirs."""
    if span.page is None or span.orphaned:
        return span.quote
    return f"{span.quote} (p. {span.page})"


def iter_codes_xml(tags: Sequence[Tag], indent: str) -> Iterator[str]:
    """The ``Code`` elements of a codebook, children nested in their parents.

    Each ``Code`` is named by the last level of the code's path (the nesting
    carries the rest); its GUID hashes the whole path, so it is stable and the
    same in ``.qdpx`` and ``.qdc``.  A code whose parent is not among ``tags``
    stands at the top under its whole name.
    """
    names = {t.name for t in tags}
    children: dict[str | None, list[Tag]] = {}
    for tag in sorted(tags, key=lambda t: (t.ordinal, t.name)):
        parent = tag.parent if tag.parent in names else None
        children.setdefault(parent, []).append(tag)

    def code(tag: Tag, depth: int) -> Iterator[str]:
        pad = indent + "  " * depth
        own = children.get(tag.name, [])
        shown = tag.name.rpartition("/")[2] if tag.parent in names else tag.name
        attrs = {"guid": code_guid(tag.name), "name": shown, "isCodable": "true"}
        if _RGB.match(tag.color):
            attrs["color"] = tag.color.upper()
        if not (own or tag.description):
            yield _open(pad, "Code", attrs, empty=True)
            return
        yield _open(pad, "Code", attrs)
        if tag.description:
            yield _leaf(pad + "  ", "Description", tag.description)
        for child in own:
            yield from code(child, depth + 1)
        yield f"{pad}</Code>\n"

    for top in children.get(None, []):
        yield from code(top, 0)


def iter_project_xml(
    name: str,
    articles: Sequence[Article],
    spans: Sequence[Span],
    tags: Sequence[Tag],
    links: Sequence[QdpxLink],
    relations: Sequence[QdpxRelation] = (),
) -> Iterator[str]:
    """``project.qde`` in pieces (one per source, roughly), never the whole tree at once.

    Two-space indentation, attributes in a fixed order, ``<X />`` for empty
    elements: the layout ``ElementTree.indent`` + ``tostring`` would give.
    """
    # A relation's note names its analyst, who may have coded no span.
    users = sorted(
        {s.annotator for s in spans if not s.orphaned} | {r.annotator for r in relations if r.note}
    )
    user_ids = {u: user_guid(u) for u in users}
    ordered_tags = sorted(tags, key=lambda t: (t.ordinal, t.name))
    code_ids = {t.name: code_guid(t.name) for t in ordered_tags}
    by_article: dict[int, list[Span]] = {}
    span_ids: dict[int, str] = {}
    for span in spans:
        if not span.orphaned:
            by_article.setdefault(span.article_id, []).append(span)
            span_ids[span.id] = span_guid(span)
    link_elems = [
        (span_ids[link.a], span_ids[link.b], link.label)
        for link in links
        if link.a in span_ids and link.b in span_ids
    ]
    # Stable sort on the two GUIDs only: equal pairs keep the links' order.
    link_elems.sort(key=lambda x: (x[0], x[1]))
    relation_elems = sorted(
        (span_ids[r.source], span_ids[r.target], r.type, r.annotator, r.note or "")
        for r in relations
        if r.source in span_ids and r.target in span_ids
    )
    root = {"xmlns": NS, "name": name, "origin": "claimmap"}
    if not (users or tags or articles or link_elems):
        yield _open("", "Project", root, empty=True)
        return
    yield _open("", "Project", root)
    if users:
        yield "  <Users>\n"
        for user in users:
            yield _open("    ", "User", {"guid": user_ids[user], "name": user}, empty=True)
        yield "  </Users>\n"
    if tags:
        yield "  <CodeBook>\n    <Codes>\n"
        yield "".join(iter_codes_xml(ordered_tags, "      "))
        yield "    </Codes>\n  </CodeBook>\n"
    if articles:
        yield "  <Sources>\n"
        for art in sorted(articles, key=lambda a: a.id):
            sg = source_guid(art.ref)
            out = [
                _open(
                    "    ",
                    "TextSource",
                    {
                        "guid": sg,
                        "name": art.ref,
                        "plainTextPath": f"{INTERNAL}{sg}.txt",
                        "creationDateTime": to_utc_z(art.imported_at),
                        "modifiedDateTime": to_utc_z(art.updated_at),
                    },
                ),
                _leaf("      ", "Description", art.title),
            ]
            for span in sorted(by_article.get(art.id, []), key=lambda s: (s.start, s.end, s.id)):
                sid = span_ids[span.id]
                uid = user_ids[span.annotator]
                has_children = bool(span.note or span.tags)
                out.append(
                    _open(
                        "      ",
                        "PlainTextSelection",
                        {
                            "guid": sid,
                            "name": _selection_name(span),
                            "startPosition": str(span.start),
                            "endPosition": str(span.end),
                            "creatingUser": uid,
                            "creationDateTime": to_utc_z(span.created_at),
                            "modifiedDateTime": to_utc_z(span.updated_at),
                        },
                        empty=not has_children,
                    )
                )
                if not has_children:
                    continue
                if span.note:
                    out.append(_leaf("        ", "Description", span.note))
                for tag_name in span.tags:
                    code = code_ids.get(tag_name) or code_guid(tag_name)
                    out.append(
                        f'        <Coding guid="{guid("coding", sid, tag_name)}" '
                        f'creatingUser="{uid}">\n'
                        f'          <CodeRef targetGUID="{code}" />\n'
                        "        </Coding>\n"
                    )
                out.append("      </PlainTextSelection>\n")
            out.append("    </TextSource>\n")
            yield "".join(out)
        yield "  </Sources>\n"
    noted = [r for r in relation_elems if r[4]]
    if noted:
        out = ["  <Notes>\n"]
        for gs, gt, type_, annotator, note in noted:
            rguid = guid("relation", gs, gt, type_, annotator)
            out.append(
                _open(
                    "    ",
                    "Note",
                    {
                        "guid": guid("relation-note", rguid),
                        "name": f"{type_} (note)",
                        "creatingUser": user_ids[annotator],
                    },
                )
            )
            out.append(_leaf("      ", "PlainTextContent", note))
            out.append("    </Note>\n")
        out.append("  </Notes>\n")
        yield "".join(out)
    if link_elems or relation_elems:
        out = ["  <Links>\n"]
        for ga, gb, label in link_elems:
            out.append(
                _open(
                    "    ",
                    "Link",
                    {
                        "guid": guid("link", ga, gb),
                        "name": label or DEFAULT_LINK_NAME,
                        "direction": "Associative",
                        "originGUID": ga,
                        "targetGUID": gb,
                    },
                    empty=True,
                )
            )
        for gs, gt, type_, annotator, note in relation_elems:
            rguid = guid("relation", gs, gt, type_, annotator)
            out.append(
                _open(
                    "    ",
                    "Link",
                    {
                        "guid": rguid,
                        "name": type_,
                        "direction": RELATION_DIRECTION,
                        "originGUID": gs,
                        "targetGUID": gt,
                    },
                    empty=not note,
                )
            )
            if note:
                out.append(f'      <NoteRef targetGUID="{guid("relation-note", rguid)}" />\n')
                out.append("    </Link>\n")
        out.append("  </Links>\n")
        yield "".join(out)
    yield "</Project>\n"


def project_xml(
    name: str,
    articles: Sequence[Article],
    spans: Sequence[Span],
    tags: Sequence[Tag],
    links: Sequence[QdpxLink],
    relations: Sequence[QdpxRelation] = (),
) -> bytes:
    """The whole ``project.qde`` (small projects and tests; exports stream it)."""
    pieces = iter_project_xml(name, articles, spans, tags, links, relations)
    return (XML_DECLARATION + "".join(pieces)).encode("utf-8")


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def write_qdpx(
    fh: BinaryIO,
    name: str,
    articles: Sequence[Article],
    texts: Mapping[int, str],
    spans: Sequence[Span],
    tags: Sequence[Tag],
    links: Sequence[QdpxLink],
    relations: Sequence[QdpxRelation] = (),
) -> None:
    """Write the archive to a seekable binary file, streaming ``project.qde`` into it."""
    with zipfile.ZipFile(fh, "w") as zf:
        with zf.open(_info(PROJECT_FILE), "w") as member:
            # Written by hand: no BOM, and the declaration some importers insist on.
            member.write(XML_DECLARATION.encode("utf-8"))
            for piece in iter_project_xml(name, articles, spans, tags, links, relations):
                member.write(piece.encode("utf-8"))
        for art in sorted(articles, key=lambda a: a.id):
            # The same one-for-one replacement as in project.qde: positions still
            # count the same characters, and every selection's name is still the
            # source's text at its positions (importers load the text into XML too).
            zf.writestr(
                _info(f"{SOURCES_DIR}{source_guid(art.ref)}.txt"),
                xml_safe(texts[art.id]).encode("utf-8"),
            )
