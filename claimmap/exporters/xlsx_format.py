"""XLSX through xlsxwriter: every text cell a typed string, nothing auto-converted.

The workbook is created with formula, URL and number auto-conversion off, and
text is written with ``write_string``, so a quote such as ``=HYPERLINK(...)`` is
stored as a string cell and never becomes a formula.  Sheets are written in
xlsxwriter's constant-memory mode (rows streamed to temporary files, strings
inline), so every row must be complete before the next one starts.  The file is
reproducible: xlsxwriter stamps every zip member with a fixed date, and the
document's creation date is fixed too.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from claimmap.exporters.framing import Framing
from claimmap.exporters.matrix import ClaimMatrix
from claimmap.models import Span

EXCEL_MAX_CELL = 32_767
FIXED_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
WORKBOOK_OPTIONS = {
    # Each row goes to a temporary file as soon as the next one starts, instead of a
    # million cells held in memory until the end; rows are therefore written in order.
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "remove_timezone": True,
}


def _clip(value: str) -> str:
    # Excel breaks lines on LF; a bare CR would be stored as the escape _x000D_.
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if len(value) <= EXCEL_MAX_CELL:
        return value
    return value[: EXCEL_MAX_CELL - 1] + "…"


class _Sheet:
    """A worksheet with a header row and typed writes."""

    def __init__(self, ws: Worksheet, header: Sequence[str], hfmt: Any, wrap: Any) -> None:
        self.ws = ws
        self.wrap = wrap
        for col, name in enumerate(header):
            ws.write_string(0, col, _clip(name), hfmt)
        ws.freeze_panes(1, 0)
        self.row = 1

    def put(self, values: Sequence[str | int | float | None]) -> None:
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                self.ws.write_boolean(self.row, col, value)
            elif isinstance(value, int | float):
                self.ws.write_number(self.row, col, value)
            else:
                self.ws.write_string(self.row, col, _clip(value), self.wrap)
        self.row += 1


def matrix_xlsx(matrix: ClaimMatrix, framing: Framing, spans: Sequence[Span]) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, WORKBOOK_OPTIONS)
    wb.set_properties({"title": "claimmap claim matrix", "created": FIXED_CREATED})
    hfmt = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#e8e8e8"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})

    mode = matrix.options.cells
    ws = wb.add_worksheet("matrix")
    header = ["claim_id", "tag", "label", "coverage"] + [
        f"{c.short_title} [{c.ref}]" for c in matrix.columns
    ]
    sheet = _Sheet(ws, header, hfmt, wrap)
    # Freeze the claim columns as well as the header: the article columns scroll.
    ws.freeze_panes(1, 4)
    ws.set_column(0, 0, 9)
    ws.set_column(1, 1, 14)
    ws.set_column(2, 2, 36)
    ws.set_column(3, 3, 9)
    if matrix.columns:
        ws.set_column(4, 3 + len(matrix.columns), 40 if mode == "quote" else 12)
    # A million cells: typed writes straight to the bound methods, no per-value dispatch.
    text, number = ws.write_string, ws.write_number
    r = 1
    for row in matrix.rows:
        number(r, 0, row.claim_id)
        if row.tag:
            text(r, 1, _clip(row.tag), wrap)
        if row.label:
            text(r, 2, _clip(row.label), wrap)
        number(r, 3, row.coverage)
        # Only the articles that state the claim get a cell: the rest stay blank.
        for col, cell in row.sparse:
            text(r, 4 + col, _clip(cell.render(mode, "\n")), wrap)
        r += 1

    ws = wb.add_worksheet("framing")
    tags = list(framing.tags)
    header = ["article", "title", "spans", "claims", "unique_claims"]
    header += [f"{t} (spans)" for t in tags] + [f"{t} (share of spans)" for t in tags]
    sheet = _Sheet(ws, header, hfmt, wrap)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 40)
    for art in framing.articles:
        counts = dict(art.tag_counts)
        values: list[str | int | float | None] = [
            art.ref,
            art.title,
            art.spans,
            art.claims,
            art.unique_claims,
        ]
        values += [counts.get(t, 0) for t in tags]
        values += [round(art.share(t), 4) for t in tags]
        sheet.put(values)

    ws = wb.add_worksheet("overlap")
    sheet = _Sheet(ws, ["article_a", "article_b", "shared_claims", "union", "jaccard"], hfmt, wrap)
    ws.set_column(0, 1, 24)
    text, number = ws.write_string, ws.write_number
    for r, pair in enumerate(framing.pairs, 1):
        if pair.a:
            text(r, 0, _clip(pair.a), wrap)
        if pair.b:
            text(r, 1, _clip(pair.b), wrap)
        number(r, 2, pair.shared)
        number(r, 3, pair.union)
        number(r, 4, round(pair.shared / pair.union, 4) if pair.union else 0.0)

    ws = wb.add_worksheet("spans")
    header = [
        "span_id",
        "article",
        "start",
        "end",
        "tags",
        "quote",
        "note",
        "annotator",
        "claim_id",
        "orphaned",
    ]
    sheet = _Sheet(ws, header, hfmt, wrap)
    ws.set_column(1, 1, 24)
    ws.set_column(4, 4, 18)
    ws.set_column(5, 6, 50)
    text, number = ws.write_string, ws.write_number
    for r, span in enumerate(spans, 1):
        number(r, 0, span.id)
        if span.article:
            text(r, 1, _clip(span.article), wrap)
        number(r, 2, span.start)
        number(r, 3, span.end)
        if span.tags:
            tags_text = ", ".join(span.tags)
            if tags_text:
                text(r, 4, _clip(tags_text), wrap)
        if span.quote:
            text(r, 5, _clip(span.quote), wrap)
        if span.note:
            text(r, 6, _clip(span.note), wrap)
        if span.annotator:
            text(r, 7, _clip(span.annotator), wrap)
        if span.claim_id is not None:
            number(r, 8, span.claim_id)
        text(r, 9, "yes" if span.orphaned else "no", wrap)
    wb.close()
    return buf.getvalue()
