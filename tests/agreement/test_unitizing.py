"""uα against Krippendorff's (1995) worked example, as DKPro Statistics' tests
check it, and properties any uα must have."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimmap.agreement.unitizing import (
    Interval,
    category_alpha,
    join_overlapping,
    overall_alpha,
)

# Krippendorff (1995: 57): two analysts per category on a continuum of 24, as
# (offset, length) pairs per analyst.
EXAMPLE_1995: dict[str, list[list[tuple[int, int]]]] = {
    "A": [[(2, 8), (14, 6)], [(4, 4), (15, 2)]],
    "B": [[(0, 18)], [(0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1)]],
    "C": [[(2, 6), (10, 2), (14, 4), (20, 2)], [(0, 2), (4, 4), (10, 4), (16, 2), (20, 2)]],
    "D": [
        [(0, 2), (2, 8), (10, 4), (14, 6), (20, 4)],
        [(0, 4), (4, 4), (8, 7), (15, 2), (17, 7)],
    ],
}


def stretched(category: str, stretch: float) -> tuple[int, list[list[Interval]]]:
    """The example's continuum and units multiplied by ``stretch`` (as DKPro's
    ``createExample``): uα's expected disagreement approaches the paper's values
    as the continuum grows finer."""
    raters = [
        [(int(o * stretch), int(o * stretch) + int(n * stretch)) for o, n in units]
        for units in EXAMPLE_1995[category]
    ]
    return int(24 * stretch), raters


@pytest.mark.parametrize(
    ("category", "observed"),
    [("A", 0.03125), ("B", 2.26736), ("C", 0.02777), ("D", 0.38715)],
)
def test_observed_disagreement_of_the_1995_example(category: str, observed: float) -> None:
    length, raters = stretched(category, 1)
    assert category_alpha(length, raters).observed == pytest.approx(observed, abs=1e-5)


@pytest.mark.parametrize(
    ("category", "expected", "alpha"),
    [("A", 0.06990, 0.553), ("B", 1.17731, -0.926), ("C", 0.08642, 0.679), ("D", 0.41445, 0.066)],
)
def test_expected_disagreement_and_alpha_of_the_1995_example(
    category: str, expected: float, alpha: float
) -> None:
    # DKPro's tolerances: the paper's expected disagreement for C carries a small
    # error (DKPro's note: a "+" in (l_ik + l_hj + 1) that should be "-").
    result = category_alpha(*stretched(category, 1_200_000 / 24))
    assert result.expected == pytest.approx(expected, abs=0.005)
    assert result.alpha == pytest.approx(alpha, abs=0.02)


@pytest.mark.parametrize(
    ("stretch", "expected", "tolerance", "alpha"),
    [
        (12 / 24, 0.05494, 0.00001, 0.494),
        (120 / 24, 0.08234, 0.005, 0.663),
        (1200 / 24, 0.08600, 0.005, 0.677),
        (12000 / 24, 0.08638, 0.005, 0.678),
        (120000 / 24, 0.08642, 0.005, 0.679),
    ],
)
def test_category_c_at_varying_lengths(
    stretch: float, expected: float, tolerance: float, alpha: float
) -> None:
    result = category_alpha(*stretched("C", stretch))
    assert result.observed == pytest.approx(0.02777, abs=1e-5)
    assert result.expected == pytest.approx(expected, abs=tolerance)
    assert result.alpha == pytest.approx(alpha, abs=0.02)


def test_overall_is_one_minus_mean_observed_over_mean_expected() -> None:
    results = [category_alpha(*stretched(c, 1)) for c in "ABCD"]
    mean_o = sum(r.observed for r in results) / 4
    mean_e = sum(r.expected for r in results) / 4
    assert overall_alpha(results) == pytest.approx(1 - mean_o / mean_e)
    assert overall_alpha([]) is None


def test_no_units_leaves_alpha_undefined() -> None:
    result = category_alpha(100, [[], []])
    assert (result.observed, result.expected, result.alpha) == (0.0, 0.0, None)


def test_one_analysts_overlapping_units_are_joined_touching_ones_kept() -> None:
    assert join_overlapping([(5, 9), (0, 3), (2, 4), (9, 12)]) == [(0, 4), (5, 9), (9, 12)]
    joined = category_alpha(50, [[(0, 10), (5, 20)], [(0, 20)]])
    assert joined.observed == 0.0
    assert joined.alpha == 1.0


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="two analysts"):
        category_alpha(10, [[(0, 2)]])
    with pytest.raises(ValueError, match="outside"):
        category_alpha(10, [[(0, 11)], []])
    with pytest.raises(ValueError, match="at least one"):
        category_alpha(0, [[], []])


@st.composite
def studies(draw: st.DrawFn) -> tuple[int, list[list[Interval]]]:
    length = draw(st.integers(min_value=2, max_value=200))
    raters = draw(st.integers(min_value=2, max_value=5))
    units: list[list[Interval]] = []
    for _ in range(raters):
        points = sorted(
            draw(st.lists(st.integers(0, length), min_size=0, max_size=12, unique=True))
        )
        pairs = list(zip(points[::2], points[1::2], strict=False))
        units.append([(a, b) for a, b in pairs if a < b])
    return length, units


def brute_force_observed(length: int, raters: list[list[Interval]]) -> float:
    """Observed disagreement straight from the definition: every pair of segments
    (units and gaps) of two analysts that intersect, with DKPro's distance."""

    def segments(units: list[Interval]) -> list[tuple[int, int, bool]]:
        out: list[tuple[int, int, bool]] = []
        pos = 0
        for start, end in join_overlapping(units):
            if start > pos:
                out.append((pos, start, False))
            out.append((start, end, True))
            pos = end
        if pos < length:
            out.append((pos, length, False))
        return out

    total = 0.0
    r = len(raters)
    for i in range(r):
        for j in range(i + 1, r):
            for s1, e1, u1 in segments(raters[i]):
                for s2, e2, u2 in segments(raters[j]):
                    if not (s1 < e2 and s2 < e1):
                        continue
                    if u1 and u2:
                        total += (s1 - s2) ** 2 + (e1 - e2) ** 2
                    elif u1 and s2 <= s1 and e1 <= e2:
                        total += (e1 - s1) ** 2
                    elif u2 and s1 <= s2 and e2 <= e1:
                        total += (e2 - s2) ** 2
    return 2 * total / (r * (r - 1) * length**2)


@settings(max_examples=150, deadline=None)
@given(studies())
def test_observed_matches_the_definition(study: tuple[int, list[list[Interval]]]) -> None:
    length, raters = study
    assert category_alpha(length, raters).observed == pytest.approx(
        brute_force_observed(length, raters), abs=1e-12
    )


@settings(max_examples=100, deadline=None)
@given(studies())
def test_identical_analysts_agree_perfectly(study: tuple[int, list[list[Interval]]]) -> None:
    length, raters = study
    same = [raters[0]] * len(raters)
    result = category_alpha(length, same)
    assert result.observed == 0.0
    if raters[0]:
        assert result.alpha == pytest.approx(1.0)


@settings(max_examples=100, deadline=None)
@given(studies(), st.randoms(use_true_random=False))
def test_symmetric_in_analysts(study: tuple[int, list[list[Interval]]], rnd: random.Random) -> None:
    length, raters = study
    shuffled = list(raters)
    rnd.shuffle(shuffled)
    a, b = category_alpha(length, raters), category_alpha(length, shuffled)
    assert a.observed == pytest.approx(b.observed)
    assert a.expected == pytest.approx(b.expected)


@settings(max_examples=100, deadline=None)
@given(studies())
def test_mirroring_the_continuum_changes_nothing(study: tuple[int, list[list[Interval]]]) -> None:
    length, raters = study
    mirrored = [[(length - e, length - s) for s, e in units] for units in raters]
    a, b = category_alpha(length, raters), category_alpha(length, mirrored)
    assert a.observed == pytest.approx(b.observed)
    assert a.expected == pytest.approx(b.expected)


@settings(max_examples=100, deadline=None)
@given(studies())
def test_alpha_never_exceeds_one(study: tuple[int, list[list[Interval]]]) -> None:
    result = category_alpha(*study)
    assert result.observed >= 0.0
    assert result.expected >= 0.0
    assert result.alpha is None or result.alpha <= 1.0 + 1e-12
