"""The claim matrix and framing summary drawn as terminal text for the compare screen.

The matrix and framing come built from ``services.exporting`` (the same objects
every export format renders); this module only turns them into Rich text: table
cells, the wording of one cell, and a bar of tag shares per article.  No Textual
here, so the screen stays thin and this is testable alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from claimmap.exporters.framing import ArticleFraming, Framing
from claimmap.exporters.matrix import MARK, ClaimMatrix, MatrixRow
from claimmap.wording import count

TAG_CELLS = 14
CLAIM_CELLS = 30
COVERAGE_CELLS = 3
ARTICLE_CELLS = 16
LEAD_COLUMNS = 3  # code, claim, coverage: kept in view while scrolling sideways
BAR_CELLS = 30
TITLE_CELLS = 18
# DataTable builds every cell up front and its cursor moves cost grows with the
# columns: past these, the table shows the first articles and the best-covered rows
# only (the exports have them all).
MAX_COLUMNS = 40
MAX_CELLS = 20_000
SILENT = "·"
# The exports' SHARE_NOTE, cut to one line of the panel.
TRACK_NOTE = "per tag: share of the article's spans (a span may have several tags)"


@dataclass(frozen=True, slots=True)
class MatrixTable:
    """What the table widget shows: headers and rows of cells, row keys by claim."""

    headers: tuple[Text, ...]
    widths: tuple[int, ...]
    rows: tuple[tuple[Text, ...], ...]
    keys: tuple[str, ...]
    hidden_rows: int
    hidden_columns: int


def _cut(text: str, cells: int) -> Text:
    out = Text(" ".join(text.split()))
    out.truncate(cells, overflow="ellipsis")
    return out


def column_header(k: int, short_title: str) -> Text:
    return _cut(f"{k + 1} {short_title}", ARTICLE_CELLS)


def lay_out(matrix: ClaimMatrix, marks: bool) -> MatrixTable:
    """Rows grouped by tag (the matrix's order); a cell is a mark or the short wording."""
    columns = matrix.columns[:MAX_COLUMNS]
    headers = [Text("code"), Text("claim"), Text("n", justify="right")]
    headers += [column_header(k, c.short_title) for k, c in enumerate(columns)]
    widths = [TAG_CELLS, CLAIM_CELLS, COVERAGE_CELLS] + [ARTICLE_CELLS] * len(columns)
    limit = max(50, MAX_CELLS // max(1, len(headers)))
    shown = matrix.rows[:limit]
    per_tag: dict[str, int] = {}
    for row in matrix.rows:
        per_tag[row.tag] = per_tag.get(row.tag, 0) + 1
    rows: list[tuple[Text, ...]] = []
    previous: str | None = None
    for row in shown:
        colour = matrix.tag_color(row.tag)
        if row.tag != previous:
            code = Text("■ ", style=colour)
            code.append(f"{row.tag} ({per_tag[row.tag]})", style="bold")
            code.truncate(TAG_CELLS, overflow="ellipsis")
        else:
            code = Text("│", style=colour)
        previous = row.tag
        cells: list[Text] = [
            code,
            _cut(row.display_label, CLAIM_CELLS),
            Text(str(row.coverage), justify="right"),
        ]
        stated = dict(row.sparse)
        for k in range(len(columns)):
            cell = stated.get(k)
            if cell is None:
                cells.append(Text(SILENT, style="dim", justify="center"))
            elif marks:
                mark = MARK if cell.count == 1 else f"{MARK}{cell.count}"
                cells.append(Text(mark, style=colour, justify="center"))
            else:
                cells.append(_cut(" … ".join(cell.quotes), ARTICLE_CELLS))
        rows.append(tuple(cells))
    return MatrixTable(
        tuple(headers),
        tuple(widths),
        tuple(rows),
        tuple(str(row.claim_id) for row in shown),
        len(matrix.rows) - len(shown),
        len(matrix.columns) - len(columns),
    )


def describe_cell(matrix: ClaimMatrix, row: MatrixRow, column: int) -> Text:
    """The focused cell in full: an article's own wording, or the claim itself."""
    colour = matrix.tag_color(row.tag)
    out = Text()
    out.append("■ ", style=colour)
    out.append(row.tag, style="bold")
    out.append(f" · {row.coverage} of {count(len(matrix.columns), 'article')} · ")
    out.append(row.display_label, style="italic")
    out.append("\n")
    if column < LEAD_COLUMNS:
        for k, cell in row.sparse:
            out.append(f"\n{k + 1} {matrix.columns[k].title}", style="bold")
            out.append(f" ({cell.count} span{'s' if cell.count != 1 else ''})", style="dim")
        return out
    k = column - LEAD_COLUMNS
    col = matrix.columns[k]
    out.append(f"\n{k + 1} {col.title}\n", style="bold")
    wording = row.cells[k]
    if wording is None:
        out.append("silent: this article does not state the claim", style="dim italic")
        return out
    for n, quote in enumerate(wording.quotes):
        if n:
            out.append("\n")
        out.append("\n" + quote)
    return out


_EIGHTHS = " ▏▎▍▌▋▊▉"


def tag_track_cells(tags: int) -> int:
    """Cells of one tag's track: the bar width shared out, one cell kept as a gap."""
    return max(2, BAR_CELLS // max(1, tags) - 1)


def fill(share: float, cells: int) -> str:
    """``share`` (0-1) of ``cells`` as block characters, to an eighth of a cell."""
    eighths = round(max(0.0, min(1.0, share)) * cells * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def share_bar(matrix: ClaimMatrix, framing: Framing, article: ArticleFraming) -> Text:
    """One track per tag, in the legend's order: the share of the article's spans
    that carry it.  Not one stacked bar: a span can carry several tags, so the
    shares can add up to more than 100% and a stack would overflow."""
    cells = tag_track_cells(len(framing.tags))
    out = Text()
    for n, tag in enumerate(framing.tags):
        if n:
            out.append(" ")
        bar = fill(article.share(tag), cells)
        out.append(bar, style=matrix.tag_color(tag))
        out.append("·" * (cells - len(bar)), style="dim")
    return out


def share_bars(matrix: ClaimMatrix, framing: Framing) -> Text:
    """A legend and what a track measures, then per article: number, short title,
    one track per tag, spans and claims."""
    out = Text()
    for n, tag in enumerate(framing.tags):
        out.append("  " if n else "")
        out.append("■ ", style=matrix.tag_color(tag))
        out.append(tag)
    out.append(f"\n{TRACK_NOTE}", style="dim italic")
    for k, article in enumerate(framing.articles[:MAX_COLUMNS]):
        out.append("\n")
        title = _cut(f"{k + 1} {article.short_title}", TITLE_CELLS)
        title.pad_right(TITLE_CELLS - title.cell_len)
        out.append_text(title)
        out.append(" ")
        out.append_text(share_bar(matrix, framing, article))
        spans = f"{article.spans} span" + ("" if article.spans == 1 else "s")
        out.append(f" {spans:>10} · {article.unique_claims} own", style="dim")
    more = len(framing.articles) - MAX_COLUMNS
    if more > 0:
        out.append(f"\n… {more} more articles in the exports", style="dim italic")
    return out
