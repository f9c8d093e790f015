"""The package plumbing of Office Open XML files: parts, relationships, XML parsing.

Kept apart from the Word reader so the reader is about WordprocessingML only.
Names are compared by local name: transitional and strict OOXML put the same
elements in different namespaces, and a reader should take both.
"""

from __future__ import annotations

import posixpath
from xml.etree.ElementTree import Element, ParseError

from claimmap.documents.archive import Archive
from claimmap.documents.types import UnreadableDocument


def local(tag: object) -> str:
    """``{namespace}name`` -> ``name`` (comments and processing instructions -> "")."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def attr(element: Element, name: str) -> str | None:
    """An attribute by local name, whatever namespace prefix the writer used."""
    for key, value in element.attrib.items():
        if key == name or key.endswith("}" + name):
            return value
    return None


def parse_xml(archive: Archive, part: str) -> Element:
    """A part parsed with defusedxml: no DTDs with entities, no external resources."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    data = archive.read(part)
    try:
        root: Element = fromstring(data)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise UnreadableDocument(
            f"{archive.shown}: damaged {archive.kind} file ({part} is not well-formed XML: {exc})"
        ) from exc
    return root


def relationships(archive: Archive, part: str) -> list[tuple[str, str]]:
    """(type's last path segment, target part) for each internal relationship of ``part``.

    ``part`` is "" for the package's own relationships (``_rels/.rels``).
    """
    folder, _, name = part.rpartition("/")
    rels_part = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    if not archive.has(rels_part):
        return []
    found: list[tuple[str, str]] = []
    for rel in parse_xml(archive, rels_part):
        if local(rel.tag) != "Relationship" or (attr(rel, "TargetMode") or "") == "External":
            continue
        kind = (attr(rel, "Type") or "").rstrip("/").rpartition("/")[2]
        target = attr(rel, "Target") or ""
        if not target:
            continue
        if target.startswith("/"):
            resolved = target.lstrip("/")
        else:
            resolved = posixpath.normpath(posixpath.join(folder, target))
        found.append((kind, resolved))
    return found


def first_target(rels: list[tuple[str, str]], kind: str) -> str | None:
    return next((target for rel_kind, target in rels if rel_kind == kind), None)
