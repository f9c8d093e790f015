"""Typeset PDFs with known ground truth, for the PDF reader's tests and benchmark.

reportlab's built-in CID font ``STSong-Light`` sets Chinese and Latin text
without a font file.  The builder lays out paragraphs itself (so it knows on
which page every source character lands), with running headers, page numbers
at the foot, footnotes in smaller type at the bottom of the page their marker
is on (superscript markers in the body), optional two-column pages, hyphenated
English line ends, and optional page labels.

Markers are written in the source paragraphs as ``[^note text]``; the ground
truth body is the paragraphs without them, joined by blank lines.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

WIDTH, HEIGHT = 595.0, 842.0
MARGIN = 72.0
BODY_SIZE, LEADING = 11.0, 15.0
NOTE_SIZE, NOTE_LEADING = 8.0, 10.0
BODY_TOP = 760.0
NOTE_TOP = 200.0  # footnotes from here down; body stops above it
BODY_BOTTOM = NOTE_TOP + 20.0
GUTTER = 24.0
_NOTE_RE = re.compile(r"\[\^([^\]]+)\]")
_TOKEN_RE = re.compile(r"\[\^[^\]]+\]|[A-Za-z0-9'’.,;:()\-]+ ?| |.", re.DOTALL)


@dataclass
class Built:
    pdf: bytes
    body: str  # ground truth: paragraphs joined by "\n\n", markers left out
    notes: list[tuple[str, str]]  # (label, text) in order
    char_pages: list[int] = field(default_factory=list)  # page index of each body char
    headers: list[str] = field(default_factory=list)  # furniture text drawn


def _width(text: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, FONT, size))


@dataclass
class _Piece:
    text: str  # as drawn
    source: str  # as in the ground truth (a hyphenated half has no hyphen)
    marker: str | None = None


class _Wrapper:
    """Greedy line breaking, one line at a time (the width may change between
    lines: a paragraph runs on into a narrower column).  Long English words are
    hyphenated at the line end."""

    def __init__(self, paragraph: str, size: float) -> None:
        self.tokens = _TOKEN_RE.findall(paragraph)
        self.size = size
        self.at = 0
        self.carry: str | None = None  # the rest of a word hyphenated on the line before

    def done(self) -> bool:
        return self.carry is None and self.at >= len(self.tokens)

    def line(self, width: float, indent: float = 0.0) -> list[_Piece]:
        out: list[_Piece] = []
        used = indent
        size = self.size
        if self.carry is not None:
            out.append(_Piece(self.carry, self.carry))
            used += _width(self.carry, size)
            self.carry = None
        while self.at < len(self.tokens):
            tok = self.tokens[self.at]
            note = _NOTE_RE.fullmatch(tok)
            if note is not None:
                out.append(_Piece("", "", note.group(1)))
                used += _width("9", size * 0.6)
                self.at += 1
                continue
            if used + _width(tok.rstrip(), size) <= width or not out:
                out.append(_Piece(tok, tok))
                used += _width(tok, size)
                self.at += 1
                continue
            if tok == " ":
                out.append(_Piece("", " "))  # the space at a line break is not drawn
                self.at += 1
                break
            word = tok.rstrip()
            if len(word) >= 8 and word.isalpha() and word.isascii():
                for cut in range(len(word) - 3, 2, -1):
                    if used + _width(word[:cut] + "-", size) <= width:
                        out.append(_Piece(word[:cut] + "-", word[:cut]))
                        self.carry = tok[cut:]
                        self.at += 1
                        break
            break
        # PDFium extracts no text from a show-string of one CID character: a
        # paragraph never ends with a line of one character (one more goes down).
        rest = self.tokens[self.at :]
        if (
            self.carry is None
            and len(rest) == 1
            and len(rest[0]) == 1
            and len(out) > 1
            and out[-1].marker is None
            and out[-1].text == self.tokens[self.at - 1]
        ):
            out.pop()
            self.at -= 1
        return out


def _runs(line: list[_Piece]) -> list[_Piece]:
    """The line as show-strings (text runs) and markers, no run of one character:
    a marker next to one is moved after the run it is merged into."""
    items: list[_Piece] = []
    for piece in line:
        if piece.marker is None and items and items[-1].marker is None:
            items[-1] = _Piece(items[-1].text + piece.text, items[-1].source + piece.source)
        else:
            items.append(_Piece(piece.text, piece.source, piece.marker))
    k = 0
    while k < len(items) - 2:
        a, m, b = items[k], items[k + 1], items[k + 2]
        if (
            a.marker is None
            and m.marker is not None
            and b.marker is None
            and (len(a.text) == 1 or len(b.text) == 1)
        ):
            items[k : k + 3] = [_Piece(a.text + b.text, a.source + b.source), m]
            continue
        k += 1
    return items


@dataclass
class Document:
    paragraphs: list[str]
    header: str | None = "国际问题研究 · 2024年第3期"
    footer: str | None = None
    page_numbers: bool = True
    two_column_pages: frozenset[int] = frozenset()
    page_label_start: int | None = None  # printed number of the first page
    roman_front_pages: int = 0  # that many pages numbered i, ii, ... first
    title: str | None = None

    def label(self, page: int) -> str:
        """The number printed on (and, with page labels, the label of) a page."""
        if page < self.roman_front_pages:
            return _roman(page + 1)
        if self.roman_front_pages:
            return str(page - self.roman_front_pages + 1)
        return str(page + (self.page_label_start or 1))


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += digits
            n -= value
    return out


def build(doc: Document) -> Built:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(WIDTH, HEIGHT))
    if doc.title:
        c.setTitle(doc.title)
    if doc.roman_front_pages:
        c.addPageLabel(0, style="ROMAN_LOWER")
        c.addPageLabel(doc.roman_front_pages, style="ARABIC", start=1)
    elif doc.page_label_start is not None:
        c.addPageLabel(0, style="ARABIC", start=doc.page_label_start)
    truth: list[str] = []
    char_pages: list[int] = []
    notes: list[tuple[str, str]] = []
    headers: list[str] = []
    page = 0
    column = 0
    y = BODY_TOP
    page_notes: list[tuple[str, str]] = []

    def columns() -> tuple[float, float]:
        if page in doc.two_column_pages:
            w = (WIDTH - 2 * MARGIN - GUTTER) / 2
            return MARGIN + column * (w + GUTTER), w
        return MARGIN, WIDTH - 2 * MARGIN

    def end_page() -> None:
        nonlocal page, y, column, page_notes
        if doc.header:
            c.setFont(FONT, 9)
            c.drawString(MARGIN, 800, doc.header)
            headers.append(doc.header)
        if doc.footer:
            c.setFont(FONT, 9)
            c.drawString(MARGIN, 60, doc.footer)
            headers.append(doc.footer)
        if doc.page_numbers:
            c.setFont(FONT, 9)
            c.drawCentredString(WIDTH / 2, 40, doc.label(page))
        ny = NOTE_TOP
        for label, text in page_notes:
            first = True
            note_wrap = _Wrapper(text, NOTE_SIZE)
            while not note_wrap.done():
                line = note_wrap.line(WIDTH - 2 * MARGIN - 12)
                t = c.beginText(MARGIN + (0 if first else 12), ny)
                if first:
                    t.setFont(FONT, NOTE_SIZE)
                    t.textOut(label + " ")
                t.setFont(FONT, NOTE_SIZE)
                t.textOut("".join(p.text for p in line))
                c.drawText(t)
                ny -= NOTE_LEADING
                first = False
        c.showPage()
        page += 1
        y = BODY_TOP
        column = 0
        page_notes = []

    for n, paragraph in enumerate(doc.paragraphs):
        source_parts: list[str] = []
        x0, width = columns()
        wrapper = _Wrapper(paragraph, BODY_SIZE)
        if n:
            truth.append("\n\n")
            char_pages.extend([page, page])
        k = 0
        while not wrapper.done():
            if y < BODY_BOTTOM:
                if page in doc.two_column_pages and column == 0:
                    column = 1
                    y = BODY_TOP
                else:
                    end_page()
                x0, width = columns()
            line = wrapper.line(width, 2 * BODY_SIZE if k == 0 else 0)
            t = c.beginText(x0 + (2 * BODY_SIZE if k == 0 else 0), y)
            t.setFont(FONT, BODY_SIZE)
            for piece in _runs(line):
                if piece.marker is not None:
                    label = str(len(notes) + 1)
                    notes.append((label, piece.marker))
                    page_notes.append((label, piece.marker))
                    t.setFont(FONT, BODY_SIZE * 0.6)
                    t.setRise(BODY_SIZE * 0.4)
                    t.textOut(label)
                    t.setRise(0)
                    t.setFont(FONT, BODY_SIZE)
                    continue
                t.textOut(piece.text)
                source_parts.append(piece.source)
                char_pages.extend([page] * len(piece.source))
            c.drawText(t)
            y -= LEADING
            k += 1
        text = "".join(source_parts)
        stripped = text.rstrip()
        del char_pages[len(char_pages) - (len(text) - len(stripped)) :]
        truth.append(stripped)
        y -= 6
    end_page()
    c.save()
    return Built(buf.getvalue(), "".join(truth), notes, char_pages, headers)
