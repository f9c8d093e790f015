"""Safe parsing of XML members of a document archive, and namespace-blind access.

Names are compared by local name: transitional and strict OOXML (and EPUB 2 and
3) put the same elements in different namespaces, and a reader should take both.
"""

from __future__ import annotations

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


def parse_xml(archive: Archive, part: str, data: bytes | None = None) -> Element:
    """A part (or its ``data``, already read) parsed with defusedxml: no DTDs with
    entities, no external resources."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if data is None:
        data = archive.read(part)
    try:
        root: Element = fromstring(data)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise UnreadableDocument(
            f"{archive.shown}: damaged {archive.kind} file ({part} is not well-formed XML: {exc})"
        ) from exc
    return root
