"""REFI-QDA project export (``.qdpx``): ``project.qde`` plus the source texts in a zip.

Codes -> ``Code``; articles -> ``TextSource`` whose text is stored in the archive
as ``sources/<guid>.txt`` (UTF-8, LF, no BOM) and referenced as
``internal://<guid>.txt`` (importers crash on other paths); spans ->
``PlainTextSelection`` with one ``Coding`` per tag and the note as its
``Description``; confirmed claim links -> ``Link`` between two selections, named
after the claim's label.  Positions are code points into the canonical text.
Every GUID is a uuid5 of the object's identity and every zip member carries a
fixed timestamp, so the archive is byte-identical for the same database.
Orphaned spans have no valid position and are left out.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from claimmap.exporters.ids import guid, span_guid
from claimmap.models import Article, Span, Tag

NS = "urn:QDA-XML:project:1.0"
PROJECT_FILE = "project.qde"
SOURCES_DIR = "sources/"
INTERNAL = "internal://"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
DEFAULT_LINK_NAME = "same claim"
_RGB = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True, slots=True)
class QdpxLink:
    a: int
    b: int
    label: str | None


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def code_guid(tag: str) -> str:
    return guid("code", tag)


def source_guid(ref: str) -> str:
    return guid("source", ref)


def user_guid(name: str) -> str:
    return guid("user", name)


def project_xml(
    name: str,
    articles: Sequence[Article],
    spans: Sequence[Span],
    tags: Sequence[Tag],
    links: Sequence[QdpxLink],
) -> bytes:
    ET.register_namespace("", NS)
    root = ET.Element(_q("Project"), {"name": name, "origin": "claimmap"})
    users = sorted({s.annotator for s in spans if not s.orphaned})
    if users:
        el = ET.SubElement(root, _q("Users"))
        for user in users:
            ET.SubElement(el, _q("User"), {"guid": user_guid(user), "name": user})
    if tags:
        codes = ET.SubElement(ET.SubElement(root, _q("CodeBook")), _q("Codes"))
        for tag in sorted(tags, key=lambda t: (t.ordinal, t.name)):
            attrs = {"guid": code_guid(tag.name), "name": tag.name, "isCodable": "true"}
            if _RGB.match(tag.color):
                attrs["color"] = tag.color.upper()
            ET.SubElement(codes, _q("Code"), attrs)
    by_article: dict[int, list[Span]] = {}
    for span in spans:
        if not span.orphaned:
            by_article.setdefault(span.article_id, []).append(span)
    if articles:
        sources = ET.SubElement(root, _q("Sources"))
        for art in sorted(articles, key=lambda a: a.id):
            sg = source_guid(art.ref)
            src = ET.SubElement(
                sources,
                _q("TextSource"),
                {
                    "guid": sg,
                    "name": art.ref,
                    "plainTextPath": f"{INTERNAL}{sg}.txt",
                    "creationDateTime": art.imported_at,
                    "modifiedDateTime": art.updated_at,
                },
            )
            ET.SubElement(src, _q("Description")).text = art.title
            for span in sorted(by_article.get(art.id, []), key=lambda s: (s.start, s.end, s.id)):
                sel = ET.SubElement(
                    src,
                    _q("PlainTextSelection"),
                    {
                        "guid": span_guid(span),
                        "name": span.quote,
                        "startPosition": str(span.start),
                        "endPosition": str(span.end),
                        "creatingUser": user_guid(span.annotator),
                        "creationDateTime": span.created_at,
                        "modifiedDateTime": span.updated_at,
                    },
                )
                if span.note:
                    ET.SubElement(sel, _q("Description")).text = span.note
                for tag_name in span.tags:
                    coding = ET.SubElement(
                        sel,
                        _q("Coding"),
                        {
                            "guid": guid("coding", span_guid(span), tag_name),
                            "creatingUser": user_guid(span.annotator),
                        },
                    )
                    ET.SubElement(coding, _q("CodeRef"), {"targetGUID": code_guid(tag_name)})
    by_id = {s.id: s for s in spans if not s.orphaned}
    link_elems = []
    for link in links:
        if link.a in by_id and link.b in by_id:
            ga, gb = span_guid(by_id[link.a]), span_guid(by_id[link.b])
            link_elems.append((ga, gb, link.label))
    if link_elems:
        el = ET.SubElement(root, _q("Links"))
        for ga, gb, label in sorted(link_elems, key=lambda x: (x[0], x[1])):
            ET.SubElement(
                el,
                _q("Link"),
                {
                    "guid": guid("link", ga, gb),
                    "name": label or DEFAULT_LINK_NAME,
                    "direction": "Associative",
                    "originGUID": ga,
                    "targetGUID": gb,
                },
            )
    ET.indent(root, space="  ")
    # XML parsers turn a literal CR into LF; written as a character reference it
    # survives.  ElementTree escapes CR in attributes but not in text, and emits
    # none of its own, so every CR left in the output is from a note or title.
    body = ET.tostring(root, encoding="unicode").replace("\r", "&#13;")
    # Written by hand: no BOM, and the declaration some importers insist on.
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _add(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


def qdpx_bytes(
    name: str,
    articles: Sequence[Article],
    texts: Mapping[int, str],
    spans: Sequence[Span],
    tags: Sequence[Tag],
    links: Sequence[QdpxLink],
) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        _add(zf, PROJECT_FILE, project_xml(name, articles, spans, tags, links))
        for art in sorted(articles, key=lambda a: a.id):
            _add(zf, f"{SOURCES_DIR}{source_guid(art.ref)}.txt", texts[art.id].encode("utf-8"))
    return buf.getvalue()
