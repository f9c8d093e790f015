"""XLSX: the claim matrix, framing, overlap and spans as four typed sheets.

Every text cell is a string cell (an inline string: never a formula, URL or
number, whatever it starts with), counts and ids are number cells; the header
row is frozen, and the matrix also keeps its claim columns in view.  Written by
``xlsx_package`` (a minimal streaming writer; xlsxwriter's per-cell cost made a
50,000-span export take seconds).  The file is reproducible: fixed zip dates and
a fixed creation date.
"""

from __future__ import annotations

from collections.abc import Sequence

from claimmap.exporters.framing import Framing
from claimmap.exporters.matrix import ClaimMatrix
from claimmap.exporters.xlsx_package import HEADER, Sheet, Workbook
from claimmap.models import Span

EXCEL_MAX_CELL = 32_767
FIXED_CREATED = "2000-01-01T00:00:00Z"


def _clip(value: str) -> str:
    # Excel breaks lines on LF; a bare CR would be stored as the escape _x000D_.
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if len(value) <= EXCEL_MAX_CELL:
        return value
    return value[: EXCEL_MAX_CELL - 1] + "…"


def _header(sheet: Sheet, names: Sequence[str]) -> None:
    for col, name in enumerate(names):
        sheet.string(col, _clip(name), HEADER)
    sheet.end_row()


def _put(sheet: Sheet, values: Sequence[str | int | float | None]) -> None:
    for col, value in enumerate(values):
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            sheet.boolean(col, value)
        elif isinstance(value, int | float):
            sheet.number(col, value)
        else:
            sheet.string(col, _clip(value))
    sheet.end_row()


def matrix_xlsx(matrix: ClaimMatrix, framing: Framing, spans: Sequence[Span]) -> bytes:
    wb = Workbook("claimmap claim matrix", FIXED_CREATED)
    mode = matrix.options.cells
    widths = [(0, 0, 9.0), (1, 1, 14.0), (2, 2, 36.0), (3, 3, 9.0)]
    if matrix.columns:
        widths.append((4, 3 + len(matrix.columns), 40.0 if mode == "quote" else 12.0))
    # Freeze the claim columns as well as the header: the article columns scroll.
    with wb.sheet("matrix", freeze=(1, 4), widths=widths) as sheet:
        _header(
            sheet,
            ["claim_id", "tag", "label", "coverage"]
            + [f"{c.short_title} [{c.ref}]" for c in matrix.columns],
        )
        text, number, end = sheet.string, sheet.number, sheet.end_row
        for row in matrix.rows:
            number(0, row.claim_id)
            if row.tag:
                text(1, _clip(row.tag))
            if row.label:
                text(2, _clip(row.label))
            number(3, row.coverage)
            # Only the articles that state the claim get a cell: the rest stay blank.
            for col, cell in row.sparse:
                text(4 + col, _clip(cell.render(mode, "\n")))
            end()

    tags = list(framing.tags)
    with wb.sheet("framing", widths=[(0, 0, 24.0), (1, 1, 40.0)]) as sheet:
        _header(
            sheet,
            ["article", "title", "spans", "claims", "unique_claims"]
            + [f"{t} (spans)" for t in tags]
            + [f"{t} (share of spans)" for t in tags],
        )
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
            _put(sheet, values)

    with wb.sheet("overlap", widths=[(0, 1, 24.0)]) as sheet:
        _header(sheet, ["article_a", "article_b", "shared_claims", "union", "jaccard"])
        text, number, end = sheet.string, sheet.number, sheet.end_row
        # Up to one row per pair of articles: typed writes, no per-value dispatch.
        for pair in framing.pairs:
            if pair.a:
                text(0, _clip(pair.a))
            if pair.b:
                text(1, _clip(pair.b))
            number(2, pair.shared)
            number(3, pair.union)
            number(4, round(pair.shared / pair.union, 4) if pair.union else 0.0)
            end()

    spans_widths = [(1, 1, 24.0), (4, 4, 18.0), (5, 6, 50.0)]
    with wb.sheet("spans", widths=spans_widths) as sheet:
        _header(
            sheet,
            [
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
            ],
        )
        text, number, end = sheet.string, sheet.number, sheet.end_row
        for span in spans:
            number(0, span.id)
            if span.article:
                text(1, _clip(span.article))
            number(2, span.start)
            number(3, span.end)
            tags_text = ", ".join(span.tags)
            if tags_text:
                text(4, _clip(tags_text))
            if span.quote:
                text(5, _clip(span.quote))
            if span.note:
                text(6, _clip(span.note))
            if span.annotator:
                text(7, _clip(span.annotator))
            if span.claim_id is not None:
                number(8, span.claim_id)
            text(9, "yes" if span.orphaned else "no")
            end()
    return wb.close()
