"""Coding alpha against Krippendorff (2011) and Hayes & Krippendorff (2007), and
properties: perfect agreement, symmetry in analysts and in units."""

from __future__ import annotations

import random
from collections.abc import Hashable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimmap.agreement.coding import alpha

N = None

# Krippendorff (2011), section D: four observers, twelve units, missing values.
K2011_ROWS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]
K2011 = [list(unit) for unit in zip(*K2011_ROWS, strict=True)]

# Hayes & Krippendorff (2007: 84): five observers, forty units, many missing.
HAYES_KRIPPENDORFF_2007: list[list[int | None]] = [
    [1, 1, 2, N, 2], [1, 1, 0, 1, N], [2, 3, 3, 3, N], [N, 0, 0, N, 0],
    [0, 0, 0, N, 0], [0, 0, 0, N, 0], [1, 0, 2, N, 1], [1, N, 2, 0, N],
    [2, 2, 2, N, 2], [2, 1, 1, 1, N], [N, 1, 0, 0, N], [0, 0, 0, 0, N],
    [1, 2, 2, 2, N], [3, 3, 2, 2, 3], [1, 1, 1, N, 1], [1, 1, 1, N, 1],
    [2, 1, 2, N, 2], [1, 2, 3, 3, N], [1, 1, 0, 1, N], [0, 0, 0, N, 0],
    [0, 0, 1, 1, N], [0, 0, N, 0, 0], [2, 3, 3, 3, N], [0, 0, 0, 0, N],
    [1, 2, N, 2, 2], [0, 1, 1, 1, N], [0, 0, 0, 1, 0], [1, 2, 1, 2, N],
    [1, 1, 2, 2, N], [1, 1, 2, N, 2], [1, 1, 0, N, 0], [2, 1, 2, 1, N],
    [2, 2, N, 2, 2], [3, 2, 2, 2, N], [2, 2, 2, N, 2], [2, 2, 3, N, 2],
    [2, 2, 2, N, 2], [2, 2, N, 1, 2], [2, 2, 2, 2, N], [1, 1, 1, N, 1],
]  # fmt: skip


def test_krippendorff_2011_binary_two_observers() -> None:
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert alpha([[x, y] for x, y in zip(a, b, strict=True)]) == pytest.approx(0.095, abs=5e-4)


@pytest.mark.parametrize(
    ("metric", "expected"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)]
)
def test_krippendorff_2011_four_observers_missing_data(metric: str, expected: float) -> None:
    assert alpha(K2011, metric) == pytest.approx(expected, abs=5e-4)  # type: ignore[arg-type]


def test_hayes_krippendorff_2007_ordinal() -> None:
    assert alpha(HAYES_KRIPPENDORFF_2007, "ordinal") == pytest.approx(0.7598, abs=1e-4)


def test_undefined_cases() -> None:
    assert alpha([]) is None
    assert alpha([[1, N], [N, 2]]) is None  # no unit coded twice
    assert alpha([[1, 1], [1, 1]]) is None  # one value only: no variation to explain


units_strategy = st.integers(2, 5).flatmap(
    lambda raters: st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=raters, max_size=raters),
        min_size=1,
        max_size=25,
    )
)


@settings(max_examples=150, deadline=None)
@given(units_strategy)
def test_matches_the_krippendorff_package(units: list[list[Hashable]]) -> None:
    """An independent implementation (the ``krippendorff`` package, GPL: a test
    oracle only, never imported by claimmap) agrees on random data."""
    np = pytest.importorskip("numpy")
    krippendorff = pytest.importorskip("krippendorff")
    ours = alpha(units)
    if ours is None:
        return
    data = np.array([[np.nan if v is None else v for v in unit] for unit in units], dtype=float).T
    assert ours == pytest.approx(krippendorff.alpha(data, level_of_measurement="nominal"))


@settings(max_examples=100, deadline=None)
@given(units_strategy, st.randoms(use_true_random=False))
def test_symmetric_in_analysts_and_units(units: list[list[Hashable]], rnd: random.Random) -> None:
    order = list(range(len(units[0])))
    rnd.shuffle(order)
    columns_shuffled = [[unit[i] for i in order] for unit in units]
    rows_shuffled = list(units)
    rnd.shuffle(rows_shuffled)
    base = alpha(units)
    for other in (alpha(columns_shuffled), alpha(rows_shuffled)):
        assert (base is None and other is None) or other == pytest.approx(base)


@settings(max_examples=100, deadline=None)
@given(units_strategy)
def test_perfect_agreement_is_one(units: list[list[Hashable]]) -> None:
    agreed = [[unit[0]] * len(unit) for unit in units]
    result = alpha(agreed)
    assert result is None or result == pytest.approx(1.0)
    if len({u[0] for u in agreed if u[0] is not None}) >= 2:
        assert result == pytest.approx(1.0)
