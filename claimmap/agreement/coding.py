"""Krippendorff's alpha for coded units (Krippendorff 2011, "Computing Krippendorff's
alpha-reliability"; Hayes & Krippendorff 2007), with any number of analysts and
missing values.

Values are pooled in a coincidence matrix: within a unit coded by m analysts,
every ordered pair of two different analysts' values adds 1/(m - 1).  Units coded
by fewer than two analysts carry no information about agreement and are left out.
alpha = 1 - D_o / D_e, with D_o from the coincidences and D_e from their margins
under the chosen metric (nominal, ordinal, interval).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt

Metric = Literal["nominal", "ordinal", "interval"]
_Floats = npt.NDArray[np.float64]


def value_counts(
    units: Sequence[Sequence[Hashable | None]],
) -> tuple[list[Hashable], _Floats]:
    """Per unit, how many analysts gave each value (None is a missing value).

    Returns the values, sorted (the order the ordinal and interval metrics use),
    and a units x values matrix.
    """
    values: list[Hashable] = sorted({v for unit in units for v in unit if v is not None})  # type: ignore[type-var]
    column = {v: i for i, v in enumerate(values)}
    counts = np.zeros((len(units), len(values)), dtype=np.float64)
    for row, unit in enumerate(units):
        for value in unit:
            if value is not None:
                counts[row, column[value]] += 1.0
    return values, counts


def _delta_squared(values: Sequence[Hashable], margins: _Floats, metric: Metric) -> _Floats:
    k = len(values)
    if metric == "nominal":
        return 1.0 - np.eye(k)
    if metric == "interval":
        numbers = np.array([float(v) for v in values])  # type: ignore[arg-type]
        return np.asarray((numbers[:, None] - numbers[None, :]) ** 2, dtype=np.float64)
    # Ordinal: the distance between two ranks is the mass of the values between
    # them, the two ends counting half (Krippendorff 2011, section C).
    cumulative = np.concatenate(([0.0], np.cumsum(margins)))
    lo = np.minimum.outer(np.arange(k), np.arange(k))
    hi = np.maximum.outer(np.arange(k), np.arange(k))
    between = cumulative[hi + 1] - cumulative[lo] - (margins[lo] + margins[hi]) / 2.0
    return np.asarray(between**2, dtype=np.float64)


def alpha_from_counts(
    values: Sequence[Hashable],
    counts: _Floats,
    metric: Metric = "nominal",
    repeats: _Floats | None = None,
) -> float | None:
    """alpha from a units x values count matrix; None when it is not defined
    (fewer than two pairable values, or every pairable value the same).

    ``repeats``: how many units each row stands for (default one each), so that a
    million identical units are one row.
    """
    if counts.size == 0:
        return None
    pairable = counts.sum(axis=1)
    keep = pairable >= 2
    counts, pairable = counts[keep], pairable[keep]
    if counts.shape[0] == 0:
        return None
    weights = 1.0 / (pairable - 1.0)
    if repeats is not None:
        weights = weights * repeats[keep]
    coincidences = (counts * weights[:, None]).T @ counts
    coincidences -= np.diag((counts * weights[:, None]).sum(axis=0))
    margins = coincidences.sum(axis=1)
    n = float(margins.sum())
    delta = _delta_squared(values, margins, metric)
    observed = float((coincidences * delta).sum()) / n
    expected = float((np.outer(margins, margins) * delta).sum()) / (n * (n - 1.0))
    if expected == 0.0:
        return None
    return 1.0 - observed / expected


def alpha(units: Sequence[Sequence[Hashable | None]], metric: Metric = "nominal") -> float | None:
    """alpha over ``units``, each a row holding one value per analyst (None: missing)."""
    values, counts = value_counts(units)
    return alpha_from_counts(values, counts, metric)
