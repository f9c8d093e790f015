"""The matrix and framing structures: grouping, ordering, options, overlap figures."""

from __future__ import annotations

import pytest

from claimmap.errors import ClaimmapError
from claimmap.services import exporting
from exporters.corpus import Corpus


def test_rows_grouped_by_tag_then_coverage(corpus: Corpus) -> None:
    matrix, _, _ = exporting.build(corpus.db, exporting.matrix_options(corpus.db))
    tags = [r.tag for r in matrix.rows]
    order = ["motive", "limitation", "impact", "recommendation"]
    assert tags == sorted(tags, key=order.index)
    first = matrix.rows[0]
    assert first.tag == "motive" and first.coverage == 3
    assert first.label == "Supply-chain security <b>first</b>"
    # Each cell holds that article's own wording, in its own script.
    quotes = [c.quotes for c in first.cells if c is not None]
    assert quotes == [
        ("美日合作强调供应链安全。",),
        ("美歐合作同樣強調供應鏈安全。",),
        ("供应链安全是共同关切。",),
    ]


def test_options_filter_and_select(corpus: Corpus) -> None:
    opts = exporting.matrix_options(
        corpus.db, tag="r", articles=["gamma", "alpha"], min_coverage=2, cells="count"
    )
    matrix, _, _ = exporting.build(corpus.db, opts)
    assert [c.ref for c in matrix.columns] == ["gamma", "alpha"]
    assert len(matrix.rows) == 1
    row = matrix.rows[0]
    assert row.tag == "recommendation" and row.coverage == 2
    assert [c.render("count") if c else None for c in row.cells] == ["1", "1"]


def _max_coverage(corpus: Corpus, include_suggested: float | None) -> int:
    opts = exporting.matrix_options(
        corpus.db, tag="limitation", include_suggested=include_suggested
    )
    matrix, _, _ = exporting.build(corpus.db, opts)
    return max(r.coverage for r in matrix.rows)


def test_include_suggested_joins_claims(corpus: Corpus) -> None:
    plain, _, _ = exporting.build(corpus.db, exporting.matrix_options(corpus.db, tag="limitation"))
    joined, _, _ = exporting.build(
        corpus.db, exporting.matrix_options(corpus.db, tag="limitation", include_suggested=70)
    )
    assert max(r.coverage for r in plain.rows) == 1
    assert max(r.coverage for r in joined.rows) == 2
    assert len(joined.rows) == len(plain.rows) - 1


@pytest.mark.parametrize(
    ("threshold", "joined"), [(0, True), (71.9, True), (72, True), (72.1, False), (100, False)]
)
def test_include_suggested_is_on_the_link_score_scale(
    corpus: Corpus, threshold: float, joined: bool
) -> None:
    """The corpus's one suggestion scores 72 (0-100, like ``link --threshold``):
    included at or below 72, left out above."""
    assert _max_coverage(corpus, threshold) == (2 if joined else 1)


def test_framing_counts_shares_and_jaccard(corpus: Corpus) -> None:
    _, framing, _ = exporting.build(corpus.db, exporting.matrix_options(corpus.db))
    by_ref = {a.ref: a for a in framing.articles}
    alpha = by_ref["alpha"]
    assert alpha.spans == 8
    assert dict(alpha.tag_counts)["limitation"] == 2
    assert alpha.share("limitation") == pytest.approx(2 / 8)  # of its spans, not of its tags
    assert dict(alpha.shared_with) == {"beta": 2, "gamma": 2}
    assert alpha.unique_claims == alpha.claims - 2
    pair = framing.overlap_map()[("beta", "gamma")]
    assert pair.shared == 2
    assert pair.jaccard == pytest.approx(2 / (by_ref["beta"].claims + by_ref["gamma"].claims - 2))


def test_bad_options_are_user_errors(corpus: Corpus) -> None:
    with pytest.raises(ClaimmapError, match="article"):
        exporting.matrix_options(corpus.db, articles=["nope"])
    for bad in (-0.5, 100.5, float("nan")):
        with pytest.raises(ClaimmapError, match="between 0 and 100"):
            exporting.matrix_options(corpus.db, include_suggested=bad)
    with pytest.raises(ClaimmapError, match="min-coverage"):
        exporting.build(corpus.db, exporting.matrix_options(corpus.db, min_coverage=0))
