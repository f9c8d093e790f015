"""A self-contained HTML report: matrix with coverage heatmap, tag-share bars, overlap heatmap.

Rendered by Jinja2 with autoescaping on, so every piece of article or analyst text
is escaped wherever it lands (element text or attribute).  Colours come from the
codebook and are checked against ``#rrggbb`` before they reach a style attribute.
No scripts, no network: inline CSS and inline SVG, plus a Content-Security-Policy
that forbids scripts as a second line of defence.  Very wide or long matrices are
cut to a readable size in the page (the note says so); CSV/XLSX/JSON carry all.
Controls and noncharacters, which HTML parses only as errors, are replaced one
for one (``safe_text.html_safe``) in the finished page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from claimmap.argument_graph import ArgumentMap
from claimmap.exporters.argument_svg import argument_section
from claimmap.exporters.framing import SHARE_NOTE, Framing
from claimmap.exporters.label_width import char_px
from claimmap.exporters.matrix import ClaimMatrix, grouped_rows
from claimmap.exporters.safe_text import html_safe

TEMPLATES = Path(__file__).parent / "templates"
MAX_COLUMNS = 60
MAX_ROWS = 1500
MAX_BARS = 60
MAX_HEATMAP = 40
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
FALLBACK_COLOR = "#888888"

BAR_LABEL_W = 200
BAR_COL_W = 120  # one column per tag: its track, then the percentage
BAR_TEXT_W = 40
BAR_HEAD_H = 22
BAR_SPANS_W = 80
BAR_H = 18
BAR_GAP = 6
HEAT_CELL = 18
HEAT_LABEL_W = 40


def safe_color(value: str) -> str:
    return value if _COLOR.match(value) else FALLBACK_COLOR


def _heat(fraction: float) -> str:
    """White to deep blue; used for coverage and Jaccard cells."""
    f = max(0.0, min(1.0, fraction))
    r = round(255 - f * (255 - 33))
    g = round(255 - f * (255 - 102))
    b = round(255 - f * (255 - 172))
    return f"#{r:02x}{g:02x}{b:02x}"


@dataclass(frozen=True, slots=True)
class _Bar:
    """One tag's bar in one article's row: ``width`` of a ``track`` that is 100%."""

    tag: str
    color: str
    x: float
    track: float
    width: float
    count: int
    share: float


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _fit(label: str, max_px: float) -> str:
    """``label`` shortened with an ellipsis so that it fits ``max_px`` pixels."""
    width = 0.0
    for i, ch in enumerate(label):
        width += char_px(ch)
        if width > max_px:
            return label[: max(i - 1, 0)] + "…"
    return label


def _bars(matrix: ClaimMatrix, framing: Framing) -> dict[str, Any]:
    """Per article, one bar per tag: the share of its spans that carry the tag.

    Not one stacked bar: a span can carry several tags, so the shares of one
    article can add up to more than 100% and a stack would run past its frame.
    Each tag has its own column and track (0-100%), so bars compare down a column.
    """
    colors = {t.name: safe_color(t.color) for t in matrix.tags}
    keep = {a.ref for a in sorted(framing.articles, key=lambda a: (-a.spans, a.ref))[:MAX_BARS]}
    shown = [a for a in framing.articles if a.ref in keep]
    tags = list(framing.tags)
    columns = [
        {
            "tag": tag,
            "label": _fit(tag, BAR_COL_W - 24),
            "color": colors.get(tag, FALLBACK_COLOR),
            "x": BAR_LABEL_W + k * BAR_COL_W,
        }
        for k, tag in enumerate(tags)
    ]
    track = BAR_COL_W - BAR_TEXT_W
    bars = []
    for i, art in enumerate(shown):
        counts = dict(art.tag_counts)
        cells = [
            _Bar(
                tag,
                colors.get(tag, FALLBACK_COLOR),
                float(BAR_LABEL_W + k * BAR_COL_W),
                float(track),
                round(art.share(tag) * track, 2),
                counts.get(tag, 0),
                art.share(tag),
            )
            for k, tag in enumerate(tags)
        ]
        bars.append(
            {
                "y": BAR_HEAD_H + i * (BAR_H + BAR_GAP),
                "label": _fit(art.short_title, BAR_LABEL_W - 12),
                "title": art.short_title,
                "ref": art.ref,
                "spans": art.spans,
                "cells": cells,
            }
        )
    width = BAR_LABEL_W + len(tags) * BAR_COL_W + BAR_SPANS_W
    return {
        "bars": bars,
        "columns": columns,
        "width": width,
        "spans_x": width - BAR_SPANS_W + 8,
        "height": BAR_HEAD_H + max(1, len(bars)) * (BAR_H + BAR_GAP) + 4,
        "cut": len(framing.articles) - len(shown),
        "bar_h": BAR_H,
        "label_w": BAR_LABEL_W,
        "note": SHARE_NOTE,
    }


def _heatmap(framing: Framing) -> dict[str, Any]:
    keep = {a.ref for a in sorted(framing.articles, key=lambda a: (-a.claims, a.ref))[:MAX_HEATMAP]}
    shown = [a for a in framing.articles if a.ref in keep]
    overlaps = framing.overlap_map()
    # Big cells for a handful of articles, small ones when there are dozens.
    cell = max(HEAT_CELL, min(44, 440 // max(1, len(shown))))
    cells = []
    for i, a in enumerate(shown):
        for j, b in enumerate(shown):
            if i == j:
                value, shared = 1.0, a.claims
            else:
                pair = overlaps.get((a.ref, b.ref))
                value, shared = (pair.jaccard, pair.shared) if pair else (0.0, 0)
            cells.append(
                {
                    "x": HEAT_LABEL_W + j * cell,
                    "y": HEAT_LABEL_W + i * cell,
                    "fill": "#dddddd" if i == j else _heat(value),
                    "ink": "#ffffff" if i != j and value > 0.55 else "#1d2129",
                    "value": "" if i == j else f"{value:.2f}",
                    "title": f"{a.short_title} × {b.short_title}: Jaccard {value:.2f}, "
                    f"{shared} shared claims",
                }
            )
    labels = [
        {"n": k + 1, "pos": HEAT_LABEL_W + k * cell + cell / 2, "title": a.title}
        for k, a in enumerate(shown)
    ]
    size = HEAT_LABEL_W + len(shown) * cell + 4
    return {
        "cells": cells,
        "labels": labels,
        "size": size,
        "cell": cell,
        "label_w": HEAT_LABEL_W,
        "articles": shown,
        "cut": len(framing.articles) - len(shown),
    }


def matrix_html(
    matrix: ClaimMatrix,
    framing: Framing,
    argument: ArgumentMap | None = None,
    team: dict[str, Any] | None = None,
) -> str:
    """The report; ``argument`` draws the claim-level argument map, ``team``
    (``exporters.team.team_section``) adds the analysts' agreement and
    disagreements when the database holds several layers."""
    colors = {t.name: safe_color(t.color) for t in matrix.tags}
    total_cols = len(matrix.columns)
    # framing.articles follows the matrix columns, with each column's claim count.
    claims_per_col = [a.claims for a in framing.articles]
    ranked_cols = sorted(range(total_cols), key=lambda k: (-claims_per_col[k], k))[:MAX_COLUMNS]
    col_idx = sorted(ranked_cols)
    columns = [matrix.columns[k] for k in col_idx]
    mode = matrix.options.cells
    groups = []
    shown_rows = 0
    for tag, rows in grouped_rows(matrix):
        out_rows = []
        for row in rows:
            if shown_rows >= MAX_ROWS:
                break
            shown_rows += 1
            by_col = dict(row.sparse)
            cells: list[dict[str, Any] | None] = []
            for k in col_idx:
                cell = by_col.get(k)
                if cell is None:
                    cells.append(None)
                elif mode == "quote":
                    cells.append({"quotes": list(cell.cited_quotes), "text": None})
                else:
                    cells.append({"quotes": [], "text": cell.render(mode)})
            frac = row.coverage / total_cols if total_cols else 0.0
            out_rows.append(
                {
                    "id": row.claim_id,
                    "label": row.label,
                    "display": row.display_label,
                    "coverage": row.coverage,
                    "heat": _heat(frac),
                    # Dark cells need light ink to stay readable.
                    "ink": "#ffffff" if frac > 0.55 else "#1d2129",
                    "cells": cells,
                }
            )
        if out_rows:
            groups.append({"tag": tag, "color": colors.get(tag, FALLBACK_COLOR), "rows": out_rows})
    env = _environment()
    page = env.get_template("report.html.j2").render(
        matrix=matrix,
        options=matrix.options,
        columns=columns,
        groups=groups,
        colors=colors,
        rows_total=len(matrix.rows),
        rows_shown=shown_rows,
        columns_total=total_cols,
        bars=_bars(matrix, framing),
        heat=_heatmap(framing),
        framing=framing,
        argument=argument_section(argument, colors) if argument is not None else None,
        team=team,
    )
    # The template holds none of these characters, so only article and analyst
    # text (wherever it landed: text, attribute, SVG title) is touched.
    return html_safe(page)
