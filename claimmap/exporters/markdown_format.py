"""A readable Markdown report of the matrix and the framing summary.

Article and analyst text is escaped for Markdown *and* HTML: many renderers pass
raw HTML through, so ``<script>`` in a note must arrive as text.  A wide corpus
does not fit a Markdown table, so claims are listed one by one (the article's
wording under each); the compact coverage table appears only for small corpora.
"""

from __future__ import annotations

import re

from claimmap.exporters.framing import SHARE_NOTE, Framing
from claimmap.exporters.matrix import MARK, ClaimMatrix, grouped_rows
from claimmap.exporters.safe_text import html_safe
from claimmap.wording import count

TABLE_MAX_COLUMNS = 12
TOP_PAIRS = 50
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def esc(text: str) -> str:
    """Inline-safe text: one line, HTML entities, Markdown punctuation escaped, and no
    control characters (renderers turn Markdown into HTML; a terminal given ``-o -``
    would obey an escape sequence)."""
    text = html_safe(" ".join(text.split()))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def pct(value: float) -> str:
    return f"{round(value * 100):d}%"


def _options_line(matrix: ClaimMatrix) -> str:
    o = matrix.options
    parts = [f"cells: {o.cells}", f"min coverage: {o.min_coverage}"]
    if o.tag:
        parts.append(f"tag: {esc(o.tag)}")
    if o.include_suggested is not None:
        parts.append(f"suggested links with score ≥ {o.include_suggested:g} counted as confirmed")
    return "; ".join(parts)


def framing_sections(framing: Framing, level: int = 2) -> list[str]:
    h = "#" * level
    out = [f"{h} Framing by article", ""]
    tags = list(framing.tags)
    out.append("| Article | Spans | " + " | ".join(esc(t) for t in tags) + " | Claims | Unique |")
    out.append("|---|---:|" + "---:|" * len(tags) + "---:|---:|")
    for art in framing.articles:
        counts = dict(art.tag_counts)
        shares = [f"{counts[t]} ({pct(art.share(t))})" if counts.get(t) else "–" for t in tags]
        out.append(
            f"| {esc(art.short_title)} | {art.spans} | "
            + " | ".join(shares)
            + f" | {art.claims} | {art.unique_claims} |"
        )
    out += ["", SHARE_NOTE, "", f"{h} Overlap between articles", ""]
    if not framing.pairs:
        out += ["No two articles share a claim yet.", ""]
        return out
    titles = {a.ref: a.short_title for a in framing.articles}
    ranked = sorted(framing.pairs, key=lambda p: (-p.jaccard, -p.shared, p.a, p.b))
    out.append("| Article | Article | Shared claims | Jaccard |")
    out.append("|---|---|---:|---:|")
    for pair in ranked[:TOP_PAIRS]:
        out.append(
            f"| {esc(titles[pair.a])} | {esc(titles[pair.b])} | {pair.shared} | "
            f"{pair.jaccard:.2f} |"
        )
    if len(ranked) > TOP_PAIRS:
        out.append("")
        out.append(f"The {TOP_PAIRS} most similar of {len(ranked)} overlapping pairs.")
    out.append("")
    return out


def matrix_markdown(matrix: ClaimMatrix, framing: Framing) -> str:
    cols = matrix.columns
    out = [
        "# Claim matrix",
        "",
        f"{count(len(matrix.rows), 'claim')} across {count(len(cols), 'article')} "
        f"({_options_line(matrix)}).",
        "",
        "## Articles",
        "",
        "| # | Article | Ref |",
        "|---:|---|---|",
    ]
    out += [f"| {i} | {esc(c.title)} | {esc(c.ref)} |" for i, c in enumerate(cols, start=1)]
    out.append("")
    if cols and len(cols) <= TABLE_MAX_COLUMNS and matrix.rows:
        out += ["## Coverage", ""]
        out.append("| Claim | Tag | " + " | ".join(str(i) for i in range(1, len(cols) + 1)) + " |")
        out.append("|---|---|" + ":-:|" * len(cols))
        for row in matrix.rows:
            marks = [MARK if cell is not None else " " for cell in row.cells]
            out.append(f"| {esc(row.display_label)} | {esc(row.tag)} | " + " | ".join(marks) + " |")
        out.append("")
    out += ["## Claims", ""]
    if not matrix.rows:
        out += ["No claims match these options.", ""]
    number = 0
    for tag, rows in grouped_rows(matrix):
        out += [f"### {esc(tag)}", ""]
        for row in rows:
            number += 1
            out.append(f"#### {number}. {esc(row.display_label)}")
            out.append("")
            out.append(f"Stated by {row.coverage} of {len(cols)} articles (claim {row.claim_id}).")
            out.append("")
            for col, cell in row.sparse:
                wording = esc(cell.render(matrix.options.cells))
                out.append(f"- **{esc(cols[col].short_title)}**: {wording}")
            if len(cols) <= TABLE_MAX_COLUMNS:
                stated = {col for col, _ in row.sparse}
                silent = [c.short_title for k, c in enumerate(cols) if k not in stated]
                if silent:
                    out.append(f"- *silent*: {esc(', '.join(silent))}")
            out.append("")
    out += framing_sections(framing)
    return "\n".join(out).rstrip("\n") + "\n"


def framing_markdown(framing: Framing) -> str:
    out = ["# Framing summary", "", *framing_sections(framing)]
    return "\n".join(out).rstrip("\n") + "\n"
