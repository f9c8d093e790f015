"""A minimal, fast XLSX (SpreadsheetML) writer: typed cells, frozen panes, widths.

Why not xlsxwriter: it spends ~30 µs per cell (argument dispatch, per-cell XML
escaping through several layers), and the matrix export writes half a million
cells, so 50,000 spans took ~7 CPU seconds.  What claimmap needs is small: string
cells that are always strings (never formulas, URLs or numbers), number cells,
two cell styles, column widths and frozen panes.  Rows are streamed straight
into the zip member of their sheet, so memory stays flat.

Every string cell is an inline string (``t="inlineStr"``): no shared-string
table to hold in memory, and a value such as ``=1+1`` is text by construction.
Characters XML 1.0 cannot carry (C0 controls other than tab and newline, lone
surrogates, U+FFFE/U+FFFF) are written as OOXML ``_xHHHH_`` escapes, and a
literal ``_xHHHH_`` in the text has its underscore escaped (``_x005F_``), as
Excel does.  The package is deterministic: fixed zip dates, fixed creation date.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO
from xml.sax.saxutils import escape

MAX_ROWS = 1_048_576
MAX_COLS = 16_384
FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_ROWS_PER_WRITE = 2000
# Style ids in styles.xml below.
PLAIN, HEADER, WRAP = 0, 1, 2

_ESCAPED_LITERAL = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _ooxml_escape(match: re.Match[str]) -> str:
    return f"_x{ord(match.group()):04X}_"


def text_xml(value: str) -> str:
    """``value`` as the content of a ``<t>`` element."""
    if "_x" in value:
        value = _ESCAPED_LITERAL.sub(r"_x005F_\1", value)
    value = escape(value)
    if _NOT_XML.search(value):
        value = _NOT_XML.sub(_ooxml_escape, value)
    return value


def column_name(col: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        name = chr(65 + rest) + name
    return name


def _excel_width(chars: float) -> float:
    # The width Excel stores for a column of ``chars`` characters of the default
    # font (Calibri 11, 7 px per character, 5 px padding), as Excel itself writes it.
    return int((chars * 7 + 5) / 7 * 256) / 256 if chars >= 1 else chars


@dataclass
class Sheet:
    """One worksheet being written: call ``string``/``number`` for the cells of a
    row, in column order, then ``end_row``; rows in order."""

    out: IO[bytes]
    row: int = 0
    _cells: list[str] = field(default_factory=list)
    _names: list[str] = field(default_factory=list)
    # Rows are handed to the zip stream in batches: one compressor call per row
    # cost more than building the row.
    _rows: list[str] = field(default_factory=list)

    def _ref(self, col: int) -> str:
        names = self._names
        while len(names) <= col:
            names.append(column_name(len(names)))
        return f"{names[col]}{self.row + 1}"

    def string(self, col: int, value: str, style: int = WRAP) -> None:
        if col < MAX_COLS:
            self._cells.append(
                f'<c r="{self._ref(col)}" s="{style}" t="inlineStr"><is>'
                f'<t xml:space="preserve">{text_xml(value)}</t></is></c>'
            )

    def boolean(self, col: int, value: bool) -> None:
        if col < MAX_COLS:
            self._cells.append(f'<c r="{self._ref(col)}" t="b"><v>{int(value)}</v></c>')

    def number(self, col: int, value: float) -> None:
        if col < MAX_COLS:
            self._cells.append(f'<c r="{self._ref(col)}"><v>{value!r}</v></c>')

    def end_row(self) -> None:
        if self.row < MAX_ROWS and self._cells:
            self._rows.append(f'<row r="{self.row + 1}">{"".join(self._cells)}</row>')
            if len(self._rows) >= _ROWS_PER_WRITE:
                self.flush()
        self._cells.clear()
        self.row += 1

    def flush(self) -> None:
        self.out.write("".join(self._rows).encode("utf-8"))
        self._rows.clear()


class Workbook:
    """Sheets written one after another into an in-memory zip; ``close`` returns it."""

    def __init__(self, title: str, created: str) -> None:
        self._buf = io.BytesIO()
        self._zip = zipfile.ZipFile(self._buf, "w", zipfile.ZIP_DEFLATED)
        self._title = title
        self._created = created
        self._sheets: list[str] = []

    def _member(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, FIXED_ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    def _write(self, name: str, xml: str) -> None:
        self._zip.writestr(self._member(name), (_HEAD + xml).encode("utf-8"))

    @contextmanager
    def sheet(
        self,
        name: str,
        *,
        freeze: tuple[int, int] = (1, 0),
        widths: Sequence[tuple[int, int, float]] = (),
    ) -> Iterator[Sheet]:
        """A new sheet: ``freeze`` = (rows, columns) kept in view; ``widths`` are
        (first column, last column, characters)."""
        self._sheets.append(name)
        with self._zip.open(
            self._member(f"xl/worksheets/sheet{len(self._sheets)}.xml"), "w", force_zip64=True
        ) as out:
            out.write(self._sheet_head(freeze, widths).encode("utf-8"))
            sheet = Sheet(out)
            yield sheet
            sheet.flush()
            out.write(b"</sheetData></worksheet>")

    def _sheet_head(self, freeze: tuple[int, int], widths: Sequence[tuple[int, int, float]]) -> str:
        rows, cols = freeze
        top_left = f"{column_name(cols)}{rows + 1}"
        pane = "bottomRight" if rows and cols else ("bottomLeft" if rows else "topRight")
        split = (f' xSplit="{cols}"' if cols else "") + (f' ySplit="{rows}"' if rows else "")
        view = (
            f'<pane{split} topLeftCell="{top_left}" activePane="{pane}" state="frozen"/>'
            f'<selection pane="{pane}" activeCell="{top_left}" sqref="{top_left}"/>'
            if rows or cols
            else ""
        )
        first = ' tabSelected="1"' if len(self._sheets) == 1 else ""
        columns = "".join(
            f'<col min="{a + 1}" max="{b + 1}" width="{_excel_width(w)}" customWidth="1"/>'
            for a, b, w in widths
        )
        return (
            f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
            f'<sheetViews><sheetView{first} workbookViewId="0">{view}</sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{columns}</cols>" if columns else "")
            + "<sheetData>"
        )

    def close(self) -> bytes:
        n = len(self._sheets)
        sheets = "".join(
            f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(self._sheets, 1)
        )
        self._write(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
            f"<sheets>{sheets}</sheets></workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        self._write(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_PKG_REL}">{rels}'
            f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        self._write("xl/styles.xml", _STYLES)
        self._write(
            "docProps/core.xml",
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(self._title)}</dc:title>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{self._created}</dcterms:created>'
            "</cp:coreProperties>",
        )
        self._write(
            "_rels/.rels",
            f'<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" '
            'Target="docProps/core.xml"/></Relationships>',
        )
        ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{ct}.worksheet+xml"/>'
            for i in range(1, n + 1)
        )
        self._write(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f"{overrides}"
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            "</Types>",
        )
        self._zip.close()
        return self._buf.getvalue()


# Fonts: regular, bold.  Fills: the two Excel requires, then the header grey.
# Cell styles: PLAIN, HEADER (bold, grey, wrapped, top), WRAP (wrapped, top).
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFE8E8E8"/>'
    '<bgColor indexed="64"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" '
    'applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
