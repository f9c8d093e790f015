"""PDF files (with a text layer) to a ``DocumentText``, through PDFium.

pypdfium2 (Apache-2.0 / BSD-3-Clause) gives each text run's position and type
size through PDFium's page-object API, and its text through the text page; the layout work (lines, furniture, footnotes,
columns, paragraphs) is ``pdf_lines``, ``pdf_furniture`` and ``pdf_layout``.
PDFs without a text layer (scanned), encrypted or damaged ones are refused:
claimmap does no OCR.
"""

from __future__ import annotations

import ctypes
import math
import re
from typing import TYPE_CHECKING

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


def _page_runs(page: pypdfium2.PdfPage) -> list[Run]:
    """The page's text runs in content order: text, baseline origin, right edge and
    type size, one set of PDFium calls per text object (not per character: a
    page of text is a few dozen objects and a few thousand characters)."""
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    matrix = pdfium_c.FS_MATRIX()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    font_size = ctypes.c_float()
    runs: list[Run] = []
    # One buffer for the page, grown as needed (allocating one per run costs more
    # than the call).
    buffer = ctypes.create_string_buffer(4096)
    target = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))

    def text_of(obj: object) -> str:
        nonlocal buffer, target
        # The call returns the size it needs: one call, a second only when too small.
        n = pdfium_c.FPDFTextObj_GetText(obj, textpage, target, len(buffer))
        if n > len(buffer):
            buffer = ctypes.create_string_buffer(2 * n)
            target = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
            n = pdfium_c.FPDFTextObj_GetText(obj, textpage, target, len(buffer))
        if n <= 2:
            return ""
        return buffer.raw[: n - 2].decode("utf-16-le", errors="replace")

    def walk(objects: list[object], outer: Matrix, depth: int) -> None:
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
            text = text_of(obj)
            if not text:
                continue
            pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
            pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
            pdfium_c.FPDFTextObj_GetFontSize(obj, font_size)
            a, b, c, d, e, f = _compose(
                (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer
            )
            scale = abs(a * d - b * c) ** 0.5
            # Bounds are in the object's container's space: to page space.
            x1 = right.value * outer[0] + bottom.value * outer[2] + outer[4]
            size = font_size.value * scale
            # A damaged file can give infinite or NaN geometry: such a run has no place.
            if math.isfinite(e) and math.isfinite(f) and math.isfinite(x1) and math.isfinite(size):
                runs.append(Run(text, e, max(x1, e), f, size))

    try:
        count = pdfium_c.FPDFPage_CountObjects(page)
        walk([pdfium_c.FPDFPage_GetObject(page, i) for i in range(count)], _IDENTITY, 0)
    finally:
        textpage.close()
    return runs


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
