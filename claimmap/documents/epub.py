"""EPUB books: chapters in reading (spine) order, notes apart, metadata from the OPF.

Read with zipfile, defusedxml (container and package documents) and lxml (the
XHTML chapters, with entity expansion and network access off), not ebooklib,
whose AGPL licence the project's MIT licence cannot take.  EPUB 2 and 3 are both
read: notes are recognised by EPUB 3's ``epub:type`` (footnote, endnote,
rearnote, noteref) and ARIA ``doc-*`` roles, and, as EPUB 2 books mark them, by a
superscript link to an element that holds the note.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from claimmap.documents.archive import Archive, open_archive
from claimmap.documents.marked_text import MarkedText, join
from claimmap.documents.nesting import refuse_deep_nesting
from claimmap.documents.types import DocumentMetadata, DocumentText, Note, UnreadableDocument
from claimmap.documents.xml_parts import attr, local, parse_xml
from claimmap.textprep.types import LogEntry

if TYPE_CHECKING:
    from lxml.etree import _Element

STEP = "epub"
KIND = "EPUB"
_XHTML_TYPES = frozenset({"application/xhtml+xml", "text/html", "application/xml"})
# Font obfuscation is not DRM: the text is readable.
_FONT_OBFUSCATION = frozenset(
    {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
)
_NOTE_TYPES = frozenset({"footnote", "endnote", "rearnote", "note", "doc-footnote", "doc-endnote"})
_NOTES_BLOCK_TYPES = frozenset(
    {"footnotes", "endnotes", "rearnotes", "doc-endnotes", "doc-footnotes"}
)
_SKIP_TAGS = frozenset({"head", "script", "style", "nav", "template", "svg", "math"})
_SKIP_TYPES = frozenset({"toc", "landmarks", "page-list", "pagebreak", "doc-pagebreak", "doc-toc"})
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "ol",
        "p", "pre", "section", "summary", "table", "ul",
    }
)  # fmt: skip
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
MAX_REF_LABEL_CHARS = 8
_BACKLINK_TEXT = frozenset({"↩", "↩︎", "^", "↑", "返回", "back"})
_DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _types(element: _Element) -> set[str]:
    """The element's ``epub:type`` values and its ARIA role."""
    values: set[str] = set()
    for key, value in element.attrib.items():
        if key in ("epub:type", "role") or (key.endswith("}type") and "ops" in key):
            values.update(str(value).split())
    return values


def _tag(element: _Element) -> str:
    return local(element.tag).lower()


def _text_content(element: _Element) -> str:
    return "".join(element.itertext())


def _entity_text(node: _Element) -> str:
    """An unexpanded entity reference (``&nbsp;``) as its character, other nodes as ""."""
    import lxml.etree

    if node.tag is lxml.etree.Entity:
        return html.unescape(node.text or "")
    return ""


@dataclass(slots=True)
class _Book:
    archive: Archive
    manifest: dict[str, tuple[str, str]]  # id -> (path, media type)
    documents: dict[str, _Element | None] = field(default_factory=dict)
    ids: dict[str, dict[str, _Element]] = field(default_factory=dict)

    def document(self, path: str) -> _Element | None:
        """A content document parsed (cached); None if it is not in the book."""
        if path not in self.documents:
            self.documents[path] = (
                _parse_xhtml(self.archive, path) if self.archive.has(path) else None
            )
        return self.documents[path]

    def element(self, path: str, fragment: str) -> _Element | None:
        """The element of document ``path`` with id (or name) ``fragment``."""
        if path not in self.ids:
            root = self.document(path)
            index: dict[str, _Element] = {}
            if root is not None:
                for element in root.iter():
                    if isinstance(element.tag, str):
                        for key in ("id", "name"):
                            value = element.get(key)
                            if value:
                                index.setdefault(value, element)
            self.ids[path] = index
        return self.ids[path].get(fragment)


def _parse_xhtml(archive: Archive, path: str) -> _Element:
    import lxml.etree
    import lxml.html

    data = archive.read(path)
    parser = lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return lxml.etree.fromstring(data, parser=parser)
    except lxml.etree.XMLSyntaxError:
        # EPUB 2 books use HTML entities (&nbsp;) that XML without the DTD lacks;
        # the HTML parser knows them and never fetches anything.
        try:
            return lxml.html.document_fromstring(data)
        except (lxml.etree.ParserError, ValueError) as exc:
            raise UnreadableDocument(
                f"{archive.shown}: damaged EPUB file ({path} is not readable XHTML: {exc})"
            ) from exc


def _refuse_drm(archive: Archive) -> None:
    if not archive.has("META-INF/encryption.xml"):
        return
    for element in parse_xml(archive, "META-INF/encryption.xml").iter():
        if (
            local(element.tag) == "EncryptionMethod"
            and (attr(element, "Algorithm") or "") not in _FONT_OBFUSCATION
        ):
            raise UnreadableDocument(
                f"{archive.shown}: the EPUB is DRM-protected (its content is encrypted); "
                "claimmap reads only unprotected books"
            )


def _package_path(archive: Archive) -> str:
    if not archive.has("META-INF/container.xml"):
        raise UnreadableDocument(
            f"{archive.shown}: damaged EPUB file (META-INF/container.xml is missing)"
        )
    for element in parse_xml(archive, "META-INF/container.xml").iter():
        if local(element.tag) == "rootfile":
            path = attr(element, "full-path")
            if path:
                return unquote(path)
    raise UnreadableDocument(f"{archive.shown}: damaged EPUB file (no package document named)")


def _resolve(base: str, href: str) -> tuple[str, str]:
    """(path in the archive, fragment) of ``href`` seen from the document ``base``."""
    path, _, fragment = href.partition("#")
    if not path:
        return base, unquote(fragment)
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(path))), unquote(
        fragment
    )


def _metadata(package: Element) -> DocumentMetadata:
    values: dict[str, list[str]] = {}
    for element in package.iter():
        text = (element.text or "").strip()
        if text and local(element.tag) in (
            "title",
            "creator",
            "date",
            "publisher",
            "identifier",
            "source",
        ):
            values.setdefault(local(element.tag), []).append(text)
    date = next(iter(values.get("date", [])), "")
    match = _DATE_RE.match(date)
    url = next(
        (
            value
            for value in values.get("source", []) + values.get("identifier", [])
            if value.startswith(("http://", "https://"))
        ),
        None,
    )
    return DocumentMetadata(
        title=next(iter(values.get("title", [])), None),
        authors="; ".join(values["creator"]) if values.get("creator") else None,
        date=match.group(0) if match else None,
        venue=next(iter(values.get("publisher", [])), None),
        url=url,
    )


def _toc_titles(book: _Book, package: Element, package_path: str) -> dict[str, str]:
    """Document path -> its title in the book's table of contents (EPUB 3 nav, else NCX)."""
    titles: dict[str, str] = {}
    nav_path = next(
        (
            path
            for path, properties in _manifest_properties(package, package_path).items()
            if "nav" in properties.split()
        ),
        None,
    )
    if nav_path:
        nav = book.document(nav_path)
        if nav is not None:
            for element in nav.iter():
                if _tag(element) == "nav" and _types(element) & {"toc", "doc-toc"}:
                    for anchor in element.iter():
                        href = anchor.get("href") if _tag(anchor) == "a" else None
                        if href:
                            path, _ = _resolve(nav_path, href)
                            label = " ".join(_text_content(anchor).split())
                            if label:
                                titles.setdefault(path, label)
    if titles:
        return titles
    ncx = next(
        (path for path, media in book.manifest.values() if media == "application/x-dtbncx+xml"),
        None,
    )
    if ncx and book.archive.has(ncx):
        for point in parse_xml(book.archive, ncx).iter():
            if local(point.tag) != "navPoint":
                continue
            label = next(
                (" ".join((e.text or "").split()) for e in point.iter() if local(e.tag) == "text"),
                "",
            )
            src = next((attr(e, "src") for e in point if local(e.tag) == "content"), None)
            if label and src:
                titles.setdefault(_resolve(ncx, src)[0], label)
    return titles


def _manifest_properties(package: Element, package_path: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for element in package.iter():
        if local(element.tag) == "item" and attr(element, "href"):
            path = _resolve(package_path, attr(element, "href") or "")[0]
            found[path] = attr(element, "properties") or ""
    return found


class _Notes:
    """Which elements are notes, which links refer to them, and the notes in order."""

    def __init__(self, book: _Book, spine: list[str]) -> None:
        self.book = book
        self.note_elements: dict[_Element, str] = {}  # note element -> its text
        self.skipped: set[_Element] = set()
        self.typed: list[tuple[str, _Element]] = []  # (document, typed note) in order
        self.documents: set[str] = set()  # documents holding notes
        self.references: dict[_Element, _Element] = {}  # reference anchor -> note element
        self.notes: list[Note] = []
        self._noted: dict[_Element, int] = {}
        for path in spine:
            root = book.document(path)
            if root is not None:
                self._scan(path, root)

    def _scan(self, path: str, root: _Element) -> None:
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            types = _types(element)
            if types & _NOTE_TYPES:
                self.skipped.add(element)
                self.typed.append((path, element))
                self.documents.add(path)
            elif types & _NOTES_BLOCK_TYPES:
                self.skipped.add(element)
                self.documents.add(path)
            if _tag(element) == "a" and element.get("href"):
                note = self._referenced_note(path, element, types)
                if note is not None:
                    self.references[element] = note
                    self.skipped.add(note)
                    self.documents.add(_resolve(path, element.get("href") or "")[0])

    def _referenced_note(self, path: str, anchor: _Element, types: set[str]) -> _Element | None:
        label = " ".join(_text_content(anchor).split())
        if not label or len(label) > MAX_REF_LABEL_CHARS or label in _BACKLINK_TEXT:
            return None
        parent = anchor.getparent()
        in_sup = (parent is not None and _tag(parent) == "sup") or any(
            _tag(child) == "sup" for child in anchor
        )
        if not (types & {"noteref", "doc-noteref"} or in_sup):
            return None
        target_path, fragment = _resolve(path, anchor.get("href") or "")
        target = self.book.element(target_path, fragment) if fragment else None
        if target is None:
            return None
        note = _note_element(target)
        # A link back to a reference, or to an enclosing block, is no note.
        if any(ancestor is note for ancestor in anchor.iterancestors()) or _tag(note) in (
            "body",
            "html",
            "sup",
        ):
            return None
        return note

    def text_of(self, note: _Element, label: str) -> str:
        if note not in self.note_elements:
            parts: list[str] = []
            _note_text(note, parts, set(self.references))
            text = " ".join("".join(parts).split())
            leading = re.compile(r"^[\[(]?" + re.escape(label) + r"[\])]?[.．:：、]?\s*")
            text = leading.sub("", text, count=1)
            # What followed a backlink label ("1. Text" with "1" a link) loses its dot too.
            self.note_elements[note] = re.sub(r"^[.．:：、]\s*", "", text).strip()
        return self.note_elements[note]

    def reference(self, anchor: _Element) -> str:
        """The label of a reference; its note is recorded at its first reference."""
        note = self.references[anchor]
        label = " ".join(_text_content(anchor).split())
        if note not in self._noted:
            self._noted[note] = len(self.notes)
            self.notes.append(Note(label, self.text_of(note, label)))
        return label

    def unreferenced(self, left_out: set[str]) -> list[Note]:
        """Typed notes no link refers to, in document order: still the book's notes
        (except in documents ``left_out`` of the body)."""
        found: list[Note] = []
        referenced = set(self.references.values())
        anchors = set(self.references)
        for path, element in self.typed:
            if element in self._noted or path in left_out or element in referenced:
                continue
            parts: list[str] = []
            _note_text(element, parts, anchors)
            text = " ".join("".join(parts).split())
            match = re.match(r"^[\[(]?(\d{1,4}|[*†‡])[\])]?[.．:：、]?\s*", text)
            label = match.group(1) if match else "*"
            found.append(Note(label, text[match.end() :] if match else text))
        return found


def _note_element(target: _Element) -> _Element:
    """The element holding the note: a typed note around the target, else the target
    (an empty anchor or a label-only link stands for its parent)."""
    for ancestor in [target, *target.iterancestors()]:
        if _types(ancestor) & _NOTE_TYPES:
            return ancestor
    text = _text_content(target).strip()
    parent = target.getparent()
    if parent is not None and (
        not text or (_tag(target) == "a" and len(text) <= MAX_REF_LABEL_CHARS)
    ):
        return parent
    return target


def _note_text(element: _Element, parts: list[str], references: set[_Element]) -> None:
    parts.append(element.text or "")
    for child in element:
        if not isinstance(child.tag, str):
            parts.append(_entity_text(child))
        else:
            text = " ".join(_text_content(child).split())
            backlink = _tag(child) == "a" and (
                text in _BACKLINK_TEXT
                or _types(child) & {"doc-backlink", "backlink"}
                or (
                    "#" in (child.get("href") or "")
                    and len(text) <= MAX_REF_LABEL_CHARS
                    and child not in references
                )
            )
            if not backlink:
                _note_text(child, parts, references)
        parts.append(child.tail or "")


class _Chapter:
    """One content document's body as blocks, notes and navigation left out."""

    def __init__(self, notes: _Notes, in_body: bool) -> None:
        self.notes = notes
        # Text that stays out of the body (a non-linear item) records no notes.
        self.in_body = in_body
        self.headings: list[str] = []

    def blocks(self, element: _Element) -> list[MarkedText]:
        blocks: list[MarkedText] = []
        current = MarkedText()
        current.add_markup_text(element.text or "")
        for child in element:
            if not isinstance(child.tag, str):
                current.add_markup_text(_entity_text(child) + (child.tail or ""))
                continue
            name = _tag(child)
            if self._skip(child, name):
                pass
            elif name in _BLOCK_TAGS:
                if current.text.strip():
                    blocks.append(current.strip())
                current = MarkedText()
                if name == "table":
                    blocks.append(self._table(child))
                else:
                    inner = self.blocks(child)
                    if name in _HEADING_TAGS:
                        self.headings.extend(block.text for block in inner)
                    blocks.extend(inner)
            else:
                self._inline(child, current)
            current.add_markup_text(child.tail or "")
        if current.text.strip():
            blocks.append(current.strip())
        return blocks

    def _skip(self, element: _Element, name: str) -> bool:
        return (
            name in _SKIP_TAGS
            or element in self.notes.skipped
            or bool(_types(element) & _SKIP_TYPES)
        )

    def _inline(self, element: _Element, out: MarkedText) -> None:
        name = _tag(element)
        if element in self.notes.references:
            out.add_marker(self._reference(element))
            return
        if name == "br":
            out.add_break()
            return
        if self._skip(element, name):
            return
        out.add_markup_text(element.text or "")
        for child in element:
            if not isinstance(child.tag, str):
                out.add_markup_text(_entity_text(child))
            elif _tag(child) == "sup" and any(a in self.notes.references for a in child):
                # <sup><a>1</a></sup>: the marker is the link's label alone.
                for anchor in child:
                    if anchor in self.notes.references:
                        out.add_marker(self._reference(anchor))
            else:
                self._inline(child, out)
            out.add_markup_text(child.tail or "")

    def _reference(self, anchor: _Element) -> str:
        if self.in_body:
            return self.notes.reference(anchor)
        return " ".join(_text_content(anchor).split())

    def _table(self, table: _Element) -> MarkedText:
        rows: list[MarkedText] = []
        for row in table.iter():
            if _tag(row) != "tr":
                continue
            cells = []
            for cell in row:
                if _tag(cell) in ("td", "th"):
                    text = MarkedText()
                    self._inline(cell, text)
                    cells.append(text.flat().strip())
            rows.append(join("\t", cells))
        return join("\n", [row for row in rows if row.text.strip()])


@refuse_deep_nesting(KIND)
def read_epub(raw: bytes, shown: str) -> DocumentText:
    """The book's chapters in spine order with their titles, notes set apart."""
    archive = open_archive(raw, shown, KIND)
    _refuse_drm(archive)
    package_path = _package_path(archive)
    package = parse_xml(archive, package_path)
    manifest: dict[str, tuple[str, str]] = {}
    spine: list[str] = []
    nonlinear: set[str] = set()
    for element in package.iter():
        name = local(element.tag)
        if name == "item" and attr(element, "id") and attr(element, "href"):
            path = _resolve(package_path, attr(element, "href") or "")[0]
            manifest[attr(element, "id") or ""] = (path, attr(element, "media-type") or "")
    for element in package.iter():
        if local(element.tag) == "itemref":
            item = manifest.get(attr(element, "idref") or "")
            if item is not None and item[1] in _XHTML_TYPES:
                spine.append(item[0])
                if (attr(element, "linear") or "yes") == "no":
                    nonlinear.add(item[0])
    if not spine:
        raise UnreadableDocument(f"{shown}: damaged EPUB file (the spine lists no chapters)")
    book = _Book(archive, manifest)
    titles = _toc_titles(book, package, package_path)
    notes = _Notes(book, spine)
    chapters: list[MarkedText] = []
    log: list[LogEntry] = []
    for path in spine:
        root = book.document(path)
        if root is None:
            raise UnreadableDocument(f"{shown}: damaged EPUB file ({path} is missing)")
        chapter = _Chapter(notes, in_body=path not in nonlinear)
        body = next((e for e in root.iter() if isinstance(e.tag, str) and _tag(e) == "body"), root)
        blocks = chapter.blocks(body)
        if path in nonlinear:
            if blocks:
                removed = "\n\n".join(block.text for block in blocks)
                detail = f"non-linear item left out ({path})"
                log.append(LogEntry(STEP, "removed", detail, removed, "", None))
            continue
        if path in notes.documents and all(block.text in chapter.headings for block in blocks):
            # A notes chapter: its notes are set apart, its heading alone is no text.
            if blocks:
                removed = "\n\n".join(block.text for block in blocks)
                detail = f"notes chapter heading ({path})"
                log.append(LogEntry(STEP, "removed", detail, removed, "", None))
            continue
        title = titles.get(path)
        # A title set as a styled paragraph (<p class="title">) is already there.
        if blocks and title and not chapter.headings and blocks[0].text != title:
            blocks.insert(0, MarkedText(title))
        if blocks:
            chapters.append(join("\n\n", blocks))
    text = join("\n\n", chapters)
    all_notes = notes.notes + notes.unreferenced(nonlinear)
    if not text.text.strip():
        raise UnreadableDocument(f"{shown}: the EPUB has no text")
    if all_notes:
        log.append(LogEntry(STEP, "moved", f"{len(all_notes)} notes set apart", "", "", None))
    return DocumentText(
        body=text.text,
        notes=all_notes,
        markers=text.marks,
        metadata=_metadata(package),
        log=log,
    )
