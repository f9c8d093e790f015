"""PDF files (with a text layer) to a ``DocumentText``, through PDFium.

pypdfium2 (Apache-2.0 / BSD-3-Clause) gives each character's position and type
size through PDFium's text API; the layout work (lines, furniture, footnotes,
columns, paragraphs) is ``pdf_lines``, ``pdf_furniture`` and ``pdf_layout``.
PDFs without a text layer (scanned), encrypted or damaged ones are refused:
claimmap does no OCR.
"""

from __future__ import annotations

import ctypes
import re
from typing import TYPE_CHECKING

from claimmap.documents.pdf_furniture import PageBox
from claimmap.documents.pdf_layout import lay_out
from claimmap.documents.pdf_lines import Glyph, Line, split_lines
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


def _glyphs(page: pypdfium2.PdfPage) -> list[Glyph]:
    """Every character of the page's text layer in content order, with its baseline
    origin, right edge and type size (per-character calls into PDFium's raw API)."""
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        n = pdfium_c.FPDFText_CountChars(textpage)
        if n <= 0:
            return []
        # One call for all the characters (UTF-16), then one position call each.
        buffer = ctypes.create_string_buffer((n + 1) * 2)
        pdfium_c.FPDFText_GetText(
            textpage, 0, n, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
        )
        text = buffer.raw[: n * 2].decode("utf-16-le", errors="replace")
        units = [text[i] for i in range(len(text))]
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        ox, oy = ctypes.c_double(), ctypes.c_double()
        get_box, get_origin = pdfium_c.FPDFText_GetCharBox, pdfium_c.FPDFText_GetCharOrigin
        get_size, is_generated = pdfium_c.FPDFText_GetFontSize, pdfium_c.FPDFText_IsGenerated
        glyphs: list[Glyph] = []
        for i in range(min(n, len(units))):
            ch = units[i]
            if ch in "\r\n":
                glyphs.append(Glyph(ch, 0.0, 0.0, 0.0, 0.0))
                continue
            get_origin(textpage, i, ox, oy)
            get_box(textpage, i, left, right, bottom, top)
            glyphs.append(
                Glyph(
                    ch,
                    ox.value,
                    max(right.value, ox.value),
                    oy.value,
                    get_size(textpage, i),
                    ch == " " and bool(is_generated(textpage, i)),
                )
            )
        return _pair_surrogates(glyphs)
    finally:
        textpage.close()


def _pair_surrogates(glyphs: list[Glyph]) -> list[Glyph]:
    """PDFium counts an astral character (𠀀) as two UTF-16 units: make it one glyph."""
    out: list[Glyph] = []
    for g in glyphs:
        if out and "\udc00" <= g.ch <= "\udfff" and "\ud800" <= out[-1].ch <= "\udbff":
            pair = (out[-1].ch + g.ch).encode("utf-16-le", "surrogatepass").decode("utf-16-le")
            out[-1].ch = pair
            continue
        out.append(g)
    return out


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
    pdf = _open(raw, shown)
    try:
        pages: list[list[Line]] = []
        boxes: list[PageBox] = []
        labels: list[str] = []
        log: list[LogEntry] = []
        blank: list[str] = []
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                width, height = page.get_size()
                glyphs = _glyphs(page)
            finally:
                page.close()
            label = pdf.get_page_label(index) or str(index + 1)
            lines = split_lines(glyphs, index)
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
