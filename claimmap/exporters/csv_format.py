"""CSV: UTF-8 with a BOM (so spreadsheet programs detect the encoding), formula-safe.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
run as a formula by spreadsheet programs (CSV injection); such cells get a
leading apostrophe, which spreadsheets show as text and do not evaluate.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from claimmap.exporters.framing import Framing
from claimmap.exporters.matrix import ClaimMatrix

BOM = "\ufeff"
# Full-width forms too: some spreadsheet locales fold them to the ASCII triggers.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value: str) -> str:
    """Make a cell inert in a spreadsheet: prefix ``'`` to formula-like text."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def fmt_share(value: float) -> str:
    return f"{value:.4f}"


def write_rows(rows: Iterable[Sequence[str | int]]) -> bytes:
    buf = io.StringIO()
    buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow([v if isinstance(v, int) or not v else neutralise(v) for v in row])
    return buf.getvalue().encode("utf-8")


def matrix_header(matrix: ClaimMatrix) -> list[str]:
    return ["claim_id", "tag", "label", "coverage"] + [
        f"{c.short_title} [{c.ref}]" for c in matrix.columns
    ]


def matrix_table(matrix: ClaimMatrix, joiner: str = "\n") -> Iterable[list[str | int]]:
    """Header then one row per claim, cells rendered in the matrix's cell mode."""
    yield list(matrix_header(matrix))
    mode = matrix.options.cells
    for row in matrix.rows:
        cells: list[str | int] = [""] * row.width
        for col, cell in row.sparse:
            cells[col] = cell.render(mode, joiner)
        yield [row.claim_id, row.tag, row.label or "", row.coverage, *cells]


def matrix_csv(matrix: ClaimMatrix) -> bytes:
    return write_rows(matrix_table(matrix))


def framing_table(framing: Framing) -> Iterable[list[str | int]]:
    """Tidy (long) rows: article, measure, key, value; pivot them in any tool."""
    yield ["article", "measure", "key", "value"]
    overlaps = framing.overlap_map()
    for art in framing.articles:
        yield [art.ref, "title", "", art.title]
        yield [art.ref, "spans", "", art.spans]
        for tag, count in art.tag_counts:
            yield [art.ref, "tag_count", tag, count]
        for tag, _count in art.tag_counts:
            # Named for what it divides by: a span with several tags counts for each.
            yield [art.ref, "tag_share_of_spans", tag, fmt_share(art.share(tag))]
        yield [art.ref, "claims", "", art.claims]
        yield [art.ref, "unique_claims", "", art.unique_claims]
        for other, n in art.shared_with:
            yield [art.ref, "shared_claims", other, n]
            yield [art.ref, "jaccard", other, fmt_share(overlaps[(art.ref, other)].jaccard)]


def framing_csv(framing: Framing) -> bytes:
    return write_rows(framing_table(framing))
