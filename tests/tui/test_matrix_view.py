"""The compare screen's text: table cells, caps for large corpora, tag-share bars."""

from __future__ import annotations

from claimmap.exporters.framing import build_framing
from claimmap.exporters.matrix import MatrixOptions, build_matrix
from claimmap.models import Article, Span, Tag
from claimmap.tui import matrix_view
from claimmap.tui.matrix_view import (
    TRACK_NOTE,
    describe_cell,
    fill,
    lay_out,
    share_bars,
    tag_track_cells,
)

TAGS = [
    Tag(id=1, name="motive", color="#2e7d32", ordinal=1, key="m"),
    Tag(id=2, name="impact", color="#1565c0", ordinal=2, key="i"),
]


def article(i: int) -> Article:
    return Article.model_construct(id=i, ref=f"a{i}", title=f"Article number {i} with a long title")


def span(i: int, article_id: int, claim: int, tag: str) -> Span:
    return Span.model_construct(
        id=i,
        article=f"a{article_id}",
        article_id=article_id,
        start=0,
        end=4,
        quote=f"quote {i} " * 5,
        tags=[tag],
        claim_id=claim,
        orphaned=False,
    )


def corpus(n_articles: int) -> tuple[list[Article], list[Span]]:
    articles = [article(i) for i in range(1, n_articles + 1)]
    # Claim 1 (motive) in every article; claim 2 (impact) in article 1 alone.
    spans = [span(i, i, 1, "motive") for i in range(1, n_articles + 1)]
    spans.append(span(1000, 1, 2, "impact"))
    return articles, spans


def test_cells_marks_and_wording() -> None:
    articles, spans = corpus(3)
    matrix = build_matrix(articles, spans, TAGS, [], {}, MatrixOptions())
    table = lay_out(matrix, marks=False)
    assert len(table.rows) == 2 and table.hidden_rows == table.hidden_columns == 0
    assert [str(c) for c in table.rows[1][3:]] == ["quote 1000 quot…", "·", "·"]
    assert table.rows[0][0].plain == "■ motive (1)" and table.rows[1][0].plain.startswith(
        "■ impact"
    )
    marks = lay_out(matrix, marks=True)
    assert [str(c) for c in marks.rows[0][3:]] == ["●", "●", "●"]
    assert "silent" in describe_cell(matrix, matrix.rows[1], 4).plain
    assert ("quote 1000 " * 5) in describe_cell(matrix, matrix.rows[1], 3).plain


def test_large_corpora_are_capped_with_a_note() -> None:
    articles, spans = corpus(matrix_view.MAX_COLUMNS + 5)
    matrix = build_matrix(articles, spans, TAGS, [], {}, MatrixOptions())
    table = lay_out(matrix, marks=True)
    assert len(table.headers) == matrix_view.LEAD_COLUMNS + matrix_view.MAX_COLUMNS
    assert table.hidden_columns == 5
    bars = share_bars(matrix, build_framing(matrix, spans)).plain
    assert bars.endswith("… 5 more articles in the exports")


def test_fill_draws_eighths_and_never_overflows() -> None:
    assert fill(0.0, 6) == ""
    assert fill(1.0, 6) == "█" * 6
    assert fill(0.5, 3) == "█▌"
    assert fill(1.7, 4) == "█" * 4


def test_share_bars_draw_one_track_per_tag_as_a_share_of_spans() -> None:
    articles, spans = corpus(2)
    # Article 1: span 1 (motive) and span 1000 (impact), now also tagged motive:
    # motive is on 2 of 2 spans (100%), impact on 1 of 2 (50%): 150% together.
    spans[-1] = spans[-1].model_copy(update={"tags": ["motive", "impact"]})
    matrix = build_matrix(articles, spans, TAGS, [], {}, MatrixOptions())
    text = share_bars(matrix, build_framing(matrix, spans))
    lines = text.plain.splitlines()
    assert lines[0] == "■ motive  ■ impact"
    assert lines[1] == TRACK_NOTE
    cells = tag_track_cells(2)
    first = next(line for line in lines if line.startswith("1 "))
    motive, impact = first[19:].split(" ")[:2]
    assert motive == "█" * cells
    assert impact == fill(0.5, cells) + "·" * (cells - len(fill(0.5, cells)))
    assert first.endswith("2 spans · 1 own")
    second = next(line for line in lines if line.startswith("2 "))
    assert second[19:].split(" ")[:2] == ["█" * cells, "·" * cells]
