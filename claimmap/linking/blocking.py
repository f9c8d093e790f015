"""Candidate generation: an exact cosine self-join over the spans' IDF vectors.

A pair can only be suggested when its IDF cosine reaches ``min_cos`` (the score
is capped by the cosine, see ``scoring.COSINE_CAP``).  Put every span's features
in one global order, rarest first, and call an entry's *suffix norm* the L2 norm
of the span's weights from that feature to its end.  If two spans share no
feature before ``f`` their cosine is at most the product of their suffix norms
at ``f`` (Cauchy-Schwarz over what is left); so a pair reaching ``min_cos`` meets
at its first common feature with ``norm_a * norm_b >= min_cos``.  Each span
therefore indexes only its prefix (entries whose suffix norm is still
``>= min_cos``), and a posting list pairs two entries only when their norms
multiply to ``min_cos``: exact, the same pairs as comparing everything (this is
prefix filtering with a positional bound, as in Bayardo et al.'s AllPairs).
Common words come last in every span, where suffix norms are small, so their
long posting lists are mostly never walked.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt

from claimmap.linking.scoring import SparseProfiles, pair_dots

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

# The scan's share of ``min_cos`` (cosine_join); measured at 100k spans.
SCAN_SHARE = 0.5
# Up to this many span pairs, cosine_join compares them all.  Measured: 1,000
# spans (500k pairs) take 0.58 s that way and 0.53 s by the compiled join, which
# spends 0.5 s loading numba and its cached code; 300 spans take 0.1 s vs 0.5 s.
SMALL_JOIN_PAIRS = 500_000
# Rows per task of the compiled join (tasks are shared by the cores).
JOIN_ROWS = 2_000
# Verification batch: bounds the memory of cpdist's inputs and outputs.
VERIFY_CHUNK = 200_000
# Float slack in the norm tests, always on the side of keeping a pair.
_SLACK = 1e-9


def unique_sorted(a: IntArray) -> tuple[IntArray, IntArray]:
    """Sorted distinct values of ``a`` and their counts.

    ``np.unique`` on int64 takes a hash-based path in recent numpy that is several
    times slower than sorting here (2.4 s vs 0.2 s for 2.5M values).
    """
    if len(a) == 0:
        return a.copy(), np.zeros(0, np.int64)
    s = np.sort(a)
    first = np.ones(len(s), np.bool_)
    first[1:] = s[1:] != s[:-1]
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, len(s)))
    return s[starts], counts.astype(np.int64)


def _argsort_keys(*columns: IntArray) -> IntArray:
    """``np.lexsort`` order (first column most significant) of non-negative ints.

    Packs the columns into one int64 when they fit (one sort instead of several
    passes), else falls back to ``lexsort``.
    """
    widths = [max(1, int(c.max(initial=0)).bit_length()) for c in columns]
    if sum(widths) > 62:
        return np.lexsort(columns[::-1])
    packed = np.zeros(len(columns[0]), np.int64)
    for c, w in zip(columns, widths, strict=True):
        packed = (packed << w) | c
    return np.argsort(packed, kind="stable")


def prefix_entries(
    indptr: IntArray, feats: IntArray, weights: FloatArray, min_cos: float
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    """(span, feature, suffix norm, weight) of every span's prefix, sorted by span.

    ``indptr``/``feats``/``weights`` are the spans' CSR IDF vectors (rows
    L2-normalised).  An entry is in the prefix when its suffix norm still reaches
    ``min_cos`` and some other span has its feature.
    """
    n_rows = len(indptr) - 1
    rows = np.repeat(np.arange(n_rows, dtype=np.int64), np.diff(indptr))
    df = np.bincount(feats).astype(np.int64)
    entry_df = df[feats]
    # Global order: rarest first, ties by feature id (the same order in every span).
    order = _argsort_keys(rows, entry_df, feats)
    r = rows[order]
    last = np.searchsorted(r, r, side="right")
    # Suffix sums of squared weights within each row, from the global suffix sums.
    tail = np.append(np.cumsum((weights[order] ** 2)[::-1])[::-1], 0.0)
    norm = np.sqrt(np.maximum(tail[:-1] - tail[last], 0.0))
    keep = (norm >= min_cos - _SLACK) & (entry_df[order] >= 2)
    return r[keep], feats[order][keep], norm[keep], weights[order][keep]


def cosine_join(
    sp: SparseProfiles, articles: IntArray, min_cos: float
) -> tuple[IntArray, IntArray, FloatArray, BoolArray]:
    """All cross-article pairs whose IDF cosine reaches ``min_cos`` (0-1), exactly.

    Returns left, right (row positions, left < right, sorted), the cosine
    (0-100) and whether the pair shares a number.  Small corpora compare every
    pair in numpy (no compiler to load); larger ones take the prefix join.
    """
    n = sp.n_rows
    if n * (n - 1) // 2 <= SMALL_JOIN_PAIRS:
        return _all_pairs(sp, articles, min_cos)
    return _prefix_join(sp, articles, min_cos)


def _all_pairs(
    sp: SparseProfiles, articles: IntArray, min_cos: float
) -> tuple[IntArray, IntArray, FloatArray, BoolArray]:
    left, right = np.triu_indices(sp.n_rows, k=1)
    cross = articles[left] != articles[right]
    left, right = left[cross].astype(np.int64), right[cross].astype(np.int64)
    cos, shared = pair_dots(sp, sp.codes(), left, right)
    ok = cos >= 100.0 * (min_cos - _SLACK)
    return left[ok], right[ok], cos[ok], shared[ok]


def _prefix_join(
    sp: SparseProfiles, articles: IntArray, min_cos: float
) -> tuple[IntArray, IntArray, FloatArray, BoolArray]:
    """``cosine_join`` by prefix filtering, compiled (numba) and on all cores.

    For each span ``a`` the loop walks the posting lists of its prefix features;
    each list is sorted by suffix norm, descending, so the walk stops at the
    first partner whose norm times ``a``'s is below ``scan_cos``
    (``SCAN_SHARE * min_cos``), and it sums the products ``w_a * w_b`` it sees.
    Whatever the walk does not see starts at a common feature where that norm
    product is below ``scan_cos``, so by the bound above it adds less than
    ``scan_cos``: a partner whose sum stays below ``min_cos - scan_cos`` is
    dropped, and only the others get their exact cosine (``a``'s dense vector
    against the partner's features).
    """
    from claimmap.linking._join_kernel import join_rows

    n_rows = sp.n_rows
    scan_cos = SCAN_SHARE * min_cos
    spans, pf, norms, pw = prefix_entries(sp.indptr, sp.feats, sp.weights, scan_cos)
    pre_indptr = np.searchsorted(spans, np.arange(n_rows + 1)).astype(np.int64)
    # Posting lists: by feature, then suffix norm descending.
    by_list = np.lexsort((-norms, pf))
    list_indptr = np.searchsorted(pf[by_list], np.arange(len(sp.is_num) + 1)).astype(np.int64)
    args = (
        *(sp.indptr, sp.feats, sp.weights, sp.is_num),
        *(pre_indptr, pf, norms),
        *(list_indptr, spans[by_list], norms[by_list], pw[by_list]),
        *(articles, min_cos, scan_cos, _SLACK),
    )
    # Small row ranges, taken by whichever core is free, balance the load.
    bounds = [(lo, min(n_rows, lo + JOIN_ROWS)) for lo in range(0, n_rows, JOIN_ROWS)]
    with ThreadPoolExecutor(max(1, min(os.cpu_count() or 1, len(bounds)))) as pool:
        parts = list(pool.map(lambda b: join_rows(b[0], b[1], *args), bounds))
    left = np.concatenate([p[0] for p in parts])
    right = np.concatenate([p[1] for p in parts])
    order = _argsort_keys(left, right)
    return (
        left[order],
        right[order],
        np.concatenate([p[2] for p in parts])[order],
        np.concatenate([p[3] for p in parts])[order],
    )


def chunks(n: int, size: int = VERIFY_CHUNK) -> Iterator[slice]:
    for start in range(0, n, size):
        yield slice(start, min(n, start + size))
