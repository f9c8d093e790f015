"""PDF files (with a text layer) to a ``DocumentText``, through PDFium.

pypdfium2 (Apache-2.0 / BSD-3-Clause) gives each text object's baseline and
type size through PDFium's page-object API, and its characters, their
positions and which of them PDFium generated through the text page; the layout
work (lines, furniture, footnotes, columns, paragraphs) is ``pdf_lines``,
``pdf_furniture`` and ``pdf_layout``.
PDFs without a text layer (scanned), encrypted or damaged ones are refused:
claimmap does no OCR.
"""

from __future__ import annotations

import bisect
import ctypes
import functools
import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from claimmap.documents.pdf_furniture import PageBox
from claimmap.documents.pdf_layout import lay_out
from claimmap.documents.pdf_lines import Line, Run, split_lines
from claimmap.documents.types import DocumentMetadata, DocumentText, UnreadableDocument
from claimmap.textprep.types import LogEntry

if TYPE_CHECKING:
    import pypdfium2

# PDFium's FPDF_GetLastError codes (fpdfview.h).
_ERR_PASSWORD = 4
_ERR_SECURITY = 6
OCR_ADVICE = (
    "claimmap reads a PDF's text layer and does no OCR; run an OCR tool "
    "(for example ocrmypdf) on the file first"
)
# Producers' placeholders and file names are not titles.
_PLACEHOLDER_RE = re.compile(
    r"^(?:untitled|anonymous|unspecified|unknown|none|microsoft word\b.*|.*\.(?:docx?|pdf|tex|indd|rtf))$",
    re.IGNORECASE,
)


def _open(raw: bytes, shown: str) -> pypdfium2.PdfDocument:
    import pypdfium2

    if not raw.lstrip()[:1024].find(b"%PDF-") >= 0:
        raise UnreadableDocument(f"{shown}: not a PDF file (no %PDF header); damaged or misnamed")
    try:
        return pypdfium2.PdfDocument(raw)
    except pypdfium2.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == _ERR_PASSWORD:
            raise UnreadableDocument(
                f"{shown}: the PDF is encrypted with a password; save an unencrypted copy "
                "(for example with qpdf --decrypt) and import that"
            ) from None
        if code == _ERR_SECURITY:
            raise UnreadableDocument(
                f"{shown}: the PDF uses a security handler claimmap cannot open; "
                "save an unencrypted copy and import that"
            ) from None
        raise UnreadableDocument(
            f"{shown}: the PDF is damaged and cannot be read ({exc}); re-download or re-export it"
        ) from None


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# Form XObjects nest; deeper than this is a hostile file, not a layout.
MAX_FORM_DEPTH = 12


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


@dataclass(slots=True)
class _TextObjects:
    """A page's text objects (form XObjects walked into, ``MAX_FORM_DEPTH`` deep at
    most), in page space."""

    # Baseline and type size by the object's address.
    placed: dict[int, tuple[float, float]] = field(default_factory=dict)
    # Origin and type size of each object that draws no ink (a space on its own):
    # PDFium's text page leaves such an object out.  Sorted by x once walked.
    blank: list[tuple[float, float, float]] = field(default_factory=list)
    widest: float = 0.0  # the largest type size among them

    def blank_at(self, x: float, y: float) -> bool:
        """Is a blank object drawn where PDFium generated a space at (x, y)?"""
        reach = BLANK_TOLERANCE * self.widest
        # Only those near x are looked at: a page can hold thousands.
        at = bisect.bisect_left(self.blank, (x - reach,))
        for bx, by, size in itertools.islice(self.blank, at, None):
            if bx > x + reach:
                break
            if abs(bx - x) <= BLANK_TOLERANCE * size and abs(by - y) <= BLANK_TOLERANCE * size:
                return True
        return False


# How near (in type sizes) a blank object must be to a generated space to be it.
BLANK_TOLERANCE = 0.3
# PDFium's width under which a text object draws nothing (kSizeEpsilon).
_NO_WIDTH = 0.01


def _text_objects(page: pypdfium2.PdfPage) -> _TextObjects:
    import pypdfium2.raw as pdfium_c

    matrix = pdfium_c.FS_MATRIX()
    font_size = ctypes.c_float()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    found = _TextObjects()

    def walk(objects: list[Any], outer: Matrix, depth: int) -> None:
        for obj in objects:
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
                pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
                inner = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
                count = pdfium_c.FPDFFormObj_CountObjects(obj)
                children = [pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(count)]
                walk(children, _compose(inner, outer), depth + 1)
                continue
            if kind != pdfium_c.FPDF_PAGEOBJ_TEXT:
                continue
            pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
            pdfium_c.FPDFTextObj_GetFontSize(obj, font_size)
            a, b, c, d, e, f = _compose(
                (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer
            )
            size = font_size.value * abs(a * d - b * c) ** 0.5
            # A damaged file can give infinite or NaN geometry: such a run has no place.
            if not (math.isfinite(e) and math.isfinite(f) and math.isfinite(size)):
                continue
            pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
            if abs(right.value - left.value) < _NO_WIDTH:
                found.blank.append((e, f, size))
                continue
            address = ctypes.cast(obj, ctypes.c_void_p).value
            if address:
                found.placed[address] = (f, size)

    count = pdfium_c.FPDFPage_CountObjects(page)
    walk([pdfium_c.FPDFPage_GetObject(page, i) for i in range(count)], _IDENTITY, 0)
    found.blank.sort()
    found.widest = max((size for _, _, size in found.blank), default=0.0)
    return found


@functools.cache
def _text_object_of() -> Callable[[object, int], int | None]:
    """``FPDFText_GetTextObject`` answering the object's address (an int, or None
    for a character PDFium generated): compared once per character, a ctypes
    pointer would need a cast each time."""
    import pypdfium2.raw as pdfium_c

    prototype = ctypes.CFUNCTYPE(ctypes.c_void_p, pdfium_c.FPDF_TEXTPAGE, ctypes.c_int)
    function: Callable[[object, int], int | None] = ctypes.cast(
        pdfium_c.FPDFText_GetTextObject, prototype
    )
    return function


def _page_runs(page: pypdfium2.PdfPage) -> list[Run]:
    """The page's text runs in content order: text, baseline origin, right edge and
    type size.

    A run is a stretch of one text object's characters, read from PDFium's text
    page so that what PDFium made up is told from what the file draws: a space it
    *generated* for a gap (``FPDFText_IsGenerated``) is not text.  Such a gap ends
    the run (a producer may leave it for a glyph drawn later from another font)
    and marks the next run ``space_before``; the line builder decides whether the
    gap is a word space (between Latin words) or nothing (LibreOffice's
    Asian/Western autospacing between ``2024`` and ``年``).  Per character: one
    PDFium call (its text object), a second for a space; the characters
    themselves in one call for the page; per run, two calls for its ends."""
    import pypdfium2.raw as pdfium_c

    objects = _text_objects(page)
    object_of = _text_object_of()
    unicode_of = pdfium_c.FPDFText_GetUnicode
    generated = pdfium_c.FPDFText_IsGenerated
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    runs: list[Run] = []
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        chars: list[str] = []
        first = last = 0  # the text page's indices of the run's first and last character
        owner: int | None = None  # the text object the run is drawn by
        pending = False  # PDFium generated a space since the last run
        emitted: int | None = None  # the text object of the last run made

        def flush() -> None:
            nonlocal chars, pending, emitted
            if chars and owner is not None:
                pdfium_c.FPDFText_GetCharOrigin(raw, first, origin_x, origin_y)
                pdfium_c.FPDFText_GetCharBox(raw, last, left, right, bottom, top)
                x0, x1 = origin_x.value, right.value
                y, size = objects.placed[owner]
                if math.isfinite(x0) and math.isfinite(x1):
                    run = Run(_text(chars), x0, max(x0, x1), y, size, pending, owner == emitted)
                    runs.append(run)
                pending = False
                emitted = owner
            chars = []

        count = pdfium_c.FPDFText_CountChars(raw)
        page_text = _page_text(raw, count)
        for i in range(count):
            obj = object_of(raw, i)
            ch = page_text[i] if page_text is not None else "\ufffe"
            if ch == "\ufffe":  # the text page's mark for a hyphen or an unmapped glyph
                code = unicode_of(raw, i)
                ch = chr(code) if 0 < code <= _MAX_CODE else ("\ufffd" if code else "")
            # A character PDFium made up for a gap it saw (a space or a line break):
            # outside any object, or a space inside one (a TJ kerning gap).
            if obj is None or (ch in _WHITESPACE and generated(raw, i)):
                if ch == " " and chars and objects.blank:
                    # Where the file draws a space as an object of its own, PDFium
                    # drops the object and generates a space: the space is the file's.
                    pdfium_c.FPDFText_GetCharOrigin(raw, i, origin_x, origin_y)
                    if objects.blank_at(origin_x.value, origin_y.value):
                        chars.append(" ")
                        flush()
                        owner = None
                        continue
                flush()
                owner = None
                pending = pending or ch == " "
                continue
            if obj != owner:
                flush()
                # An object not walked to (deeper in forms than allowed) is not read.
                owner = obj if obj in objects.placed else None
            if owner is None or not ch:
                continue
            if not chars:
                first = i
            last = i
            chars.append(ch)
        flush()
    finally:
        textpage.close()
    return runs


_MAX_CODE = 0x10FFFF
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_WHITESPACE = frozenset(" \t\r\n")


def _page_text(textpage: Any, count: int) -> str | None:
    """The text page's characters in one call, one per character, or None where
    the page's text is not one UTF-16 unit per character (a control character
    left out, a character beyond the BMP) and each must be asked for."""
    import pypdfium2.raw as pdfium_c

    buffer = ctypes.create_string_buffer(2 * (count + 1))
    written = pdfium_c.FPDFText_GetText(
        textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    )
    text = buffer.raw[: 2 * max(written - 1, 0)].decode("utf-16-le", errors="surrogatepass")
    if len(text) != count or _SURROGATE_RE.search(text):
        return None
    return text


def _text(chars: list[str]) -> str:
    """A run's characters as text: a UTF-16 surrogate pair that a producer's
    ToUnicode map left in two characters made one, a lone half replaced."""
    text = "".join(chars)
    if _SURROGATE_RE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", errors="replace")
    return text


def _metadata(pdf: pypdfium2.PdfDocument) -> DocumentMetadata:
    info = pdf.get_metadata_dict()

    def stated(key: str) -> str | None:
        value = " ".join(str(info.get(key) or "").split())
        return value if value and not _PLACEHOLDER_RE.match(value) else None

    # The info dictionary's dates are when the file was made, not published: not used.
    return DocumentMetadata(title=stated("Title"), authors=stated("Author"))


def read_pdf(raw: bytes, shown: str) -> DocumentText:
    """The PDF's body text, footnotes, markers and pages; UnreadableDocument if it has
    no text layer, is encrypted or is damaged."""
    import pypdfium2

    pdf = _open(raw, shown)
    try:
        pages: list[list[Line]] = []
        boxes: list[PageBox] = []
        labels: list[str] = []
        log: list[LogEntry] = []
        blank: list[str] = []
        for index in range(len(pdf)):
            label = pdf.get_page_label(index) or str(index + 1)
            try:
                page = pdf[index]
            except pypdfium2.PdfiumError as exc:
                raise UnreadableDocument(
                    f"{shown}: the PDF is damaged: page {label} cannot be read ({exc}); "
                    "re-download or re-export it"
                ) from None
            try:
                width, height = page.get_size()
                runs = _page_runs(page)
            finally:
                page.close()
            lines = split_lines(runs, index)
            if not lines:
                blank.append(label)
            pages.append(lines)
            boxes.append(PageBox(width, height))
            labels.append(label)
        if len(blank) == len(pages):
            raise UnreadableDocument(
                f"{shown}: the PDF has no text layer (a scanned document?); {OCR_ADVICE}"
            )
        if blank:
            log.append(
                LogEntry(
                    "pdf",
                    "removed",
                    f"pages without a text layer (images only; no OCR): {', '.join(blank)}",
                    "",
                    "",
                    None,
                )
            )
        layout = lay_out(pages, boxes, labels)
        return DocumentText(
            body=layout.body,
            notes=layout.notes,
            markers=layout.markers,
            pages=layout.pages,
            metadata=_metadata(pdf),
            log=log + layout.log,
        )
    finally:
        pdf.close()
