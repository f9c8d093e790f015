"""Word (.docx) files: body paragraphs, tables, notes and metadata as DocumentText.

WordprocessingML is read directly (zipfile + defusedxml) rather than through
python-docx: python-docx's paragraph text skips runs inside ``w:ins`` and
``w:moveTo`` (so accepted insertions vanish), has no footnotes or endnotes, and
does not place note references; docx2python flattens notes into the text.  What
we need is small: walk the body in order, keep the accepted text of tracked
changes, and place note markers by code point.

Accepted text means: ``w:ins``/``w:moveTo`` kept, ``w:del``/``w:moveFrom``
dropped, and a paragraph whose mark was deleted joined to the next one, as Word
shows the document after "Accept all changes".
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from claimmap.documents.archive import Archive, open_archive
from claimmap.documents.docx_numbering import Numbering, format_number
from claimmap.documents.marked_text import MarkedText, join
from claimmap.documents.nesting import refuse_deep_nesting
from claimmap.documents.notes import marker_text
from claimmap.documents.ooxml import first_target, relationships
from claimmap.documents.types import (
    DocumentMetadata,
    DocumentText,
    Note,
    NoteMarker,
    UnreadableDocument,
)
from claimmap.documents.xml_parts import attr, local, parse_xml
from claimmap.textprep.types import LogEntry

STEP = "docx"
KIND = "Word (.docx)"

# Inline content that is not part of the accepted, displayed text: deletions,
# the "moved from" copy, field instructions, property blocks, the duplicate
# rendering of AlternateContent, and the number echo at the start of a note.
_SKIP = frozenset(
    {
        "del",
        "moveFrom",
        "delText",
        "instrText",
        "delInstrText",
        "pPr",
        "rPr",
        "sectPr",
        "tblPr",
        "tblGrid",
        "trPr",
        "tcPr",
        "Fallback",
        "fldData",
        "footnoteRef",
        "endnoteRef",
        "commentReference",
        "annotationRef",
        "bookmarkStart",
        "bookmarkEnd",
        "proofErr",
        "lastRenderedPageBreak",
        "sdtPr",
        "sdtEndPr",
    }
)
_NOTE_KINDS = {"footnoteReference": "footnote", "endnoteReference": "endnote"}
# Word's defaults: footnotes 1, 2, 3; endnotes i, ii, iii.
_DEFAULT_FORMAT = {"footnote": "decimal", "endnote": "lowerRoman"}
_SEPARATOR_NOTE_TYPES = frozenset({"separator", "continuationSeparator", "continuationNotice"})
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")
MAX_TITLE_CANDIDATES = 5


class _Reader:
    """One pass over a document's body in reading order."""

    def __init__(self, archive: Archive, formats: dict[str, str], numbering: Numbering) -> None:
        self.archive = archive
        self.formats = formats
        self.numbering = numbering
        self.counters = {"footnote": 0, "endnote": 0}
        # (kind, note id, label) in order of reference.
        self.references: list[tuple[str, str, str]] = []
        self.deleted: list[str] = []
        self.textboxes: list[Element] = []
        self._custom: tuple[int, str, str] | None = None
        # (style id, text) of the first styled paragraphs: where a title may be.
        self.styled: list[tuple[str, str]] = []

    # -- inline content -------------------------------------------------------

    def inline(self, element: Element, out: MarkedText) -> None:
        for child in element:
            name = local(child.tag)
            if name in ("del", "moveFrom"):
                deleted = "".join(t.text or "" for t in child.iter() if local(t.tag) == "delText")
                if deleted:
                    self.deleted.append(deleted)
                continue
            if name in _SKIP or (name == "r" and _hidden(child)):
                continue
            if name == "t":
                self._text(child.text or "", out)
            elif name == "tab":
                self._text("\t", out)
            elif name in ("br", "cr"):
                self._text("\n", out)
            elif name == "noBreakHyphen":
                self._text("-", out)
            elif name == "sym":
                char = attr(child, "char") or ""
                code = int(char, 16) if re.fullmatch(r"[0-9A-Fa-f]{1,6}", char) else 0
                # Symbol-font glyphs are mapped into the private use area: no text.
                if code and not 0xE000 <= code <= 0xF8FF:
                    self._text(chr(code), out)
            elif name in _NOTE_KINDS:
                self._reference(child, _NOTE_KINDS[name], out)
            elif name == "txbxContent":
                # A text box is its own block: read after the paragraph that anchors it.
                self.textboxes.append(child)
            else:
                self.inline(child, out)

    def _text(self, text: str, out: MarkedText) -> None:
        if self._custom is not None:
            # The run after a customMarkFollows reference holds the mark itself.
            start, kind, note_id = self._custom
            self._custom = None
            label = text.strip() or "*"
            mark = marker_text(label)
            out.marks.append(NoteMarker(start, start + len(mark), label))
            self.references.append((kind, note_id, label))
            out.text += mark
            return
        out.text += text

    def _reference(self, ref: Element, kind: str, out: MarkedText) -> None:
        note_id = attr(ref, "id") or ""
        start = len(out.text)
        if (attr(ref, "customMarkFollows") or "").lower() in ("1", "true", "on"):
            self._custom = (start, kind, note_id)
            return
        self.counters[kind] += 1
        label = format_number(self.counters[kind], self.formats[kind])
        mark = marker_text(label)
        out.marks.append(NoteMarker(start, start + len(mark), label))
        self.references.append((kind, note_id, label))
        out.text += mark

    def paragraph_text(self, paragraph: Element) -> MarkedText:
        out = MarkedText()
        self.inline(paragraph, out)
        self._custom = None
        return out

    # -- blocks ---------------------------------------------------------------

    def blocks(self, container: Element) -> list[MarkedText]:
        """The container's paragraphs and tables, in order, as stripped texts."""
        blocks: list[MarkedText] = []
        carried: MarkedText | None = None
        for child in container:
            name = local(child.tag)
            if name == "p":
                number = self.numbering.label(child)
                text = self.paragraph_text(child)
                if number and text.text.strip():
                    text = join("", [MarkedText(number), text.strip()])
                if carried is not None:
                    text = join("", [carried, text])
                    carried = None
                if _mark_deleted(child):
                    # Accepting the deletion of a paragraph mark joins it to the next.
                    carried = text
                    continue
                blocks.append(text.strip())
                style = _paragraph_style(child)
                if style and len(self.styled) < MAX_TITLE_CANDIDATES and text.text.strip():
                    self.styled.append((style, text.text.strip()))
            elif name == "tbl":
                blocks.append(self.table(child))
            elif name in _SKIP:
                continue
            else:
                # sdt/sdtContent, customXml, a block-level w:ins: containers of blocks.
                blocks.extend(self.blocks(child))
            while self.textboxes:
                box = self.textboxes.pop(0)
                blocks.extend(self.blocks(box))
        if carried is not None:
            blocks.append(carried.strip())
        return [block for block in blocks if block.text]

    def table(self, table: Element) -> MarkedText:
        rows = [
            join("\t", [self.cell(cell) for cell in _children(row, "tc")])
            for row in _children(table, "tr")
            if not _row_deleted(row)
        ]
        return join("\n", [row for row in rows if row.text.strip()])

    def cell(self, cell: Element) -> MarkedText:
        return join(" ", [block.flat() for block in self.blocks(cell)])


def _children(element: Element, name: str) -> list[Element]:
    """Children named ``name``, looking through content controls wrapping them."""
    found: list[Element] = []
    for child in element:
        child_name = local(child.tag)
        if child_name == name:
            found.append(child)
        elif child_name in ("sdt", "sdtContent", "customXml", "ins", "moveTo"):
            found.extend(_children(child, name))
    return found


def _paragraph_style(paragraph: Element) -> str | None:
    for ppr in paragraph:
        if local(ppr.tag) == "pPr":
            for prop in ppr:
                if local(prop.tag) == "pStyle":
                    return attr(prop, "val")
    return None


def _title_paragraph(
    archive: Archive, rels: list[tuple[str, str]], styled: list[tuple[str, str]]
) -> str | None:
    """The text of an early paragraph in Word's Title style (its id is localised, its
    name is not), for documents whose properties name no title."""
    styles_part = first_target(rels, "styles")
    if not styled or not styles_part or not archive.has(styles_part):
        return None
    title_ids = {
        attr(style, "styleId")
        for style in parse_xml(archive, styles_part)
        if local(style.tag) == "style"
        and any(
            local(prop.tag) == "name" and (attr(prop, "val") or "").lower() == "title"
            for prop in style
        )
    }
    return next((text for style, text in styled if style in title_ids), None)


def _hidden(run: Element) -> bool:
    """Hidden text (``w:vanish``): Word neither shows nor prints it."""
    for rpr in run:
        if local(rpr.tag) == "rPr":
            for prop in rpr:
                if local(prop.tag) == "vanish":
                    return (attr(prop, "val") or "true").lower() not in ("0", "false", "off")
    return False


def _mark_deleted(paragraph: Element) -> bool:
    for ppr in paragraph:
        if local(ppr.tag) != "pPr":
            continue
        for rpr in ppr:
            if local(rpr.tag) == "rPr":
                return any(local(mark.tag) in ("del", "moveFrom") for mark in rpr)
    return False


def _row_deleted(row: Element) -> bool:
    return any(
        local(prop.tag) == "trPr" and any(local(mark.tag) == "del" for mark in prop) for prop in row
    )


def _numbering(archive: Archive, rels: list[tuple[str, str]], document: bytes) -> Numbering:
    """Numbering definitions, parsed only when a paragraph or a style is numbered
    (Word's templates carry large numbering and style parts that most documents
    never use)."""
    styles_part = first_target(rels, "styles")
    numbering_part = first_target(rels, "numbering")
    styles_data = archive.read(styles_part) if styles_part and archive.has(styles_part) else b""
    styles_numbered = b"numPr" in styles_data
    if not numbering_part or not archive.has(numbering_part):
        return Numbering(None, None)
    if b"numPr" not in document and not styles_numbered:
        return Numbering(None, None)
    numbering = parse_xml(archive, numbering_part)
    styles = parse_xml(archive, styles_part or "", styles_data) if styles_numbered else None
    return Numbering(numbering, styles)


def _note_formats(archive: Archive, rels: list[tuple[str, str]]) -> dict[str, str]:
    formats = dict(_DEFAULT_FORMAT)
    settings = first_target(rels, "settings")
    if settings and archive.has(settings):
        for element in parse_xml(archive, settings).iter():
            name = local(element.tag)
            if name in ("footnotePr", "endnotePr"):
                for prop in element:
                    if local(prop.tag) == "numFmt" and attr(prop, "val"):
                        formats[name.removesuffix("Pr")] = attr(prop, "val") or ""
    return formats


def _note_bodies(reader: _Reader, part: str | None, kind: str) -> dict[str, str]:
    """Note id -> its text (paragraphs joined by a line break)."""
    if not part or not reader.archive.has(part):
        return {}
    bodies: dict[str, str] = {}
    for note in parse_xml(reader.archive, part):
        if local(note.tag) != kind or (attr(note, "type") or "") in _SEPARATOR_NOTE_TYPES:
            continue
        blocks = reader.blocks(note)
        bodies[attr(note, "id") or ""] = "\n".join(block.text for block in blocks)
    return bodies


def _metadata(archive: Archive, package_rels: list[tuple[str, str]]) -> DocumentMetadata:
    core = first_target(package_rels, "core-properties") or "docProps/core.xml"
    if not archive.has(core):
        return DocumentMetadata()
    values: dict[str, str] = {}
    for element in parse_xml(archive, core):
        text = (element.text or "").strip()
        if text:
            values[local(element.tag)] = text
    created = values.get("created", "")
    return DocumentMetadata(
        title=values.get("title"),
        authors=values.get("creator"),
        date=created[:10] if _ISO_DATE_RE.match(created) else None,
    )


def _furniture_log(
    archive: Archive, rels: list[tuple[str, str]], reader: _Reader
) -> list[LogEntry]:
    """Headers, footers and comments are left out; the log says what they held."""
    log: list[LogEntry] = []
    seen: set[str] = set()
    for kind, target in rels:
        if kind not in ("header", "footer", "comments") or target in seen:
            continue
        seen.add(target)
        if not archive.has(target):
            continue
        text = "\n".join(block.text for block in _part_blocks(reader, parse_xml(archive, target)))
        if text:
            what = "comments" if kind == "comments" else f"page {kind}"
            log.append(LogEntry(STEP, "removed", f"{what} left out ({target})", text, "", None))
    return log


def _part_blocks(reader: _Reader, root: Element) -> list[MarkedText]:
    if local(root.tag) == "comments":
        return [block for comment in root for block in reader.blocks(comment)]
    return reader.blocks(root)


@refuse_deep_nesting(KIND)
def read_docx(raw: bytes, shown: str) -> DocumentText:
    """The document's accepted text; footnotes and endnotes as notes with markers."""
    archive = open_archive(raw, shown, KIND)
    package_rels = relationships(archive, "")
    main = first_target(package_rels, "officeDocument") or "word/document.xml"
    if not archive.has(main):
        raise UnreadableDocument(f"{shown}: damaged {KIND} file (no main document part)")
    document_data = archive.read(main)
    document = parse_xml(archive, main, document_data)
    body = next((child for child in document if local(child.tag) == "body"), None)
    if local(document.tag) != "document" or body is None:
        raise UnreadableDocument(f"{shown}: not a Word document ({main} has no body)")
    rels = relationships(archive, main)
    numbering = _numbering(archive, rels, document_data)
    reader = _Reader(archive, _note_formats(archive, rels), numbering)
    blocks = reader.blocks(body)
    text = join("\n\n", blocks)
    references = list(reader.references)

    footnotes = _note_bodies(reader, first_target(rels, "footnotes"), "footnote")
    endnotes = _note_bodies(reader, first_target(rels, "endnotes"), "endnote")
    notes: list[Note] = []
    for wanted in ("footnote", "endnote"):
        bodies = footnotes if wanted == "footnote" else endnotes
        for kind, note_id, label in references:
            if kind == wanted:
                notes.append(Note(label, bodies.get(note_id, "").strip()))

    log = [
        LogEntry(STEP, "removed", "tracked deletion dropped (changes accepted)", deleted, "", None)
        for deleted in reader.deleted
    ]
    log += _furniture_log(archive, rels, reader)
    metadata = _metadata(archive, package_rels)
    if metadata.title is None:
        title = _title_paragraph(archive, rels, reader.styled)
        metadata = DocumentMetadata(title, metadata.authors, metadata.date)
    if not text.text.strip() and not notes:
        raise UnreadableDocument(f"{shown}: the Word document has no text")
    return DocumentText(
        body=text.text,
        notes=notes,
        markers=text.marks,
        metadata=metadata,
        log=log,
    )
