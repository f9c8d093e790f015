"""Similarity of two span keys, 0-100.

Chosen by measurement on the dev set (benchmarks/bench_link_quality.py prints
the comparison): ``fuzz.ratio`` on match keys ranks near-duplicates well but is
blind to *which* characters are shared; an IDF-weighted cosine over character
n-grams rewards rare shared evidence (names, acronyms, uncommon terms) but
over-rates same-topic sentences.  The blend ``0.7 * ratio + 0.3 * cosine`` had
the best average precision, and a penalty when both spans carry numbers and
share none (different dates/figures = different facts) removed the hardest
negatives.  Word-token scorers are not used: unspaced Chinese is one "word".
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from claimmap.linking.keys import features, numbers

RATIO_WEIGHT = 0.7
COSINE_WEIGHT = 0.3
# Both spans cite numbers (dates, amounts) and none agree.
NUMBER_CONFLICT_PENALTY = 10.0


class CorpusStats:
    """Document frequencies of features over the corpus being linked.

    Built from the keys themselves (optionally plus background text such as the
    articles' other sentences), so weights adapt to any corpus: a bigram that
    occurs in every span of an AI-policy corpus (人工, 智能) says little there.
    """

    def __init__(self, df: Counter[str] | None = None, n_docs: int = 0) -> None:
        self.df: Counter[str] = df if df is not None else Counter()
        self.n_docs = n_docs

    @classmethod
    def from_keys(cls, keys: Iterable[str]) -> CorpusStats:
        stats = cls()
        for key in keys:
            stats.add(key)
        return stats

    def add(self, key: str) -> None:
        self.df.update(set(features(key)))
        self.n_docs += 1

    def idf(self, feature: str) -> float:
        # Smoothed so unseen features (a query from outside the corpus) get the
        # highest weight rather than a division by zero.
        return math.log((self.n_docs + 1) / (self.df.get(feature, 0) + 1)) + 1.0


@dataclass(frozen=True, slots=True)
class Profile:
    """What the scorer needs of one key, computed once per span."""

    key: str
    weights: dict[str, float]  # feature -> L2-normalised IDF weight
    numbers: frozenset[str]


def profile(key: str, stats: CorpusStats) -> Profile:
    feats = set(features(key))
    raw = {f: stats.idf(f) for f in feats}
    norm = math.sqrt(sum(w * w for w in raw.values())) or 1.0
    return Profile(key, {f: w / norm for f, w in raw.items()}, numbers(key))


def cosine(a: Profile, b: Profile) -> float:
    """IDF-weighted cosine of the two feature sets, 0-100."""
    small, large = (
        (a.weights, b.weights) if len(a.weights) <= len(b.weights) else (b.weights, a.weights)
    )
    return 100.0 * sum(w * large[f] for f, w in small.items() if f in large)


def number_conflict(a: Profile, b: Profile) -> bool:
    return bool(a.numbers) and bool(b.numbers) and a.numbers.isdisjoint(b.numbers)


def combine(ratio: float, cos: float, conflict: bool) -> float:
    """The final score from its parts (kept separate so bulk code can vectorise)."""
    s = RATIO_WEIGHT * ratio + COSINE_WEIGHT * cos
    if conflict:
        s -= NUMBER_CONFLICT_PENALTY
    return max(0.0, min(100.0, s))


# A pair whose ratio is below this cannot reach ``threshold`` whatever its cosine:
# the cheap rapidfuzz pass discards it before any Python-level work.
def ratio_floor(threshold: float) -> float:
    return max(0.0, (threshold - COSINE_WEIGHT * 100.0) / RATIO_WEIGHT)


def score(a: Profile, b: Profile) -> float:
    return combine(fuzz.ratio(a.key, b.key), cosine(a, b), number_conflict(a, b))


def score_keys(a: str, b: str, stats: CorpusStats | None = None) -> float:
    """Convenience: score two keys with ``stats`` (default: the two keys alone)."""
    if stats is None:
        stats = CorpusStats.from_keys([a, b])
    return score(profile(a, stats), profile(b, stats))


# -- vectorised scoring (bulk pairs, similar) --------------------------------

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

# Rows are addressed as ``row << _ROW_SHIFT | feature`` so one sorted int64 array
# answers "does span j have feature f" by binary search.
_ROW_SHIFT = 32
# Pair batches for the vectorised dot products: bounds the expanded entry arrays.
DOT_CHUNK = 100_000
# pair_dots_sorted batches: small, so the dense left-row table stays in cache.
SORTED_DOT_CHUNK = 65_536
SORTED_DOT_ROWS = 256
# Below this many pairs a thread pool costs more than it saves.
PARALLEL_DOT_MIN = 200_000


@dataclass(frozen=True, slots=True)
class SparseProfiles:
    """Profiles of many spans as CSR arrays: row ``i`` is span position ``i``.

    ``feats`` are sorted within each row and ``weights`` are the L2-normalised
    IDF weights (the same numbers as ``Profile.weights``); ``has_num`` marks rows
    with a number feature, ``is_num`` marks number features in the vocabulary.
    """

    indptr: IntArray
    feats: IntArray
    weights: FloatArray
    is_num: BoolArray

    @property
    def n_rows(self) -> int:
        return int(self.indptr.shape[0]) - 1

    def row_ids(self) -> IntArray:
        return np.repeat(np.arange(self.n_rows, dtype=np.int64), np.diff(self.indptr))

    def codes(self) -> IntArray:
        """Sorted ``row << 32 | feature`` of every entry."""
        return (self.row_ids() << _ROW_SHIFT) | self.feats

    def has_num(self) -> BoolArray:
        counts = np.bincount(self.row_ids(), weights=self.is_num[self.feats], minlength=self.n_rows)
        return counts > 0


def idf_weights(
    feats: IntArray, rows: IntArray, n_rows: int, df: IntArray, n_docs: int
) -> FloatArray:
    """``Profile.weights`` for every (row, feature) entry, vectorised."""
    idf = np.log((n_docs + 1) / (df.astype(np.float64) + 1.0)) + 1.0
    w = idf[feats]
    norm = np.sqrt(np.bincount(rows, weights=w * w, minlength=n_rows))
    norm[norm == 0] = 1.0
    out: FloatArray = w / norm[rows]
    return out


def _expand(indptr: IntArray, rows: IntArray) -> tuple[IntArray, IntArray]:
    """(pair index, entry index) of every entry of each of ``rows``."""
    counts = indptr[rows + 1] - indptr[rows]
    pair_of = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
    starts = np.cumsum(counts) - counts
    entry = np.arange(int(counts.sum()), dtype=np.int64) - starts[pair_of] + indptr[rows][pair_of]
    return pair_of, entry


def pair_dots(
    sp: SparseProfiles, codes: IntArray, left: IntArray, right: IntArray
) -> tuple[FloatArray, BoolArray]:
    """IDF cosine (0-100) and "share a number" of row pairs (left[k], right[k]).

    The shorter row of each pair is expanded and its features are looked up in the
    other row by binary search over ``codes`` (``sp.codes()``): work is the sum
    of the shorter rows' lengths, in C.
    """
    lengths = np.diff(sp.indptr)
    swap = lengths[left] > lengths[right]
    a = np.where(swap, right, left)
    b = np.where(swap, left, right)
    cos = np.zeros(len(a), np.float64)
    shared = np.zeros(len(a), np.bool_)
    for start in range(0, len(a), DOT_CHUNK):
        aa = a[start : start + DOT_CHUNK]
        bb = b[start : start + DOT_CHUNK]
        pair_of, entry = _expand(sp.indptr, aa)
        f = sp.feats[entry]
        q = (bb[pair_of] << _ROW_SHIFT) | f
        pos = np.searchsorted(codes, q)
        pos[pos == len(codes)] = 0
        hit = codes[pos] == q if len(codes) else np.zeros(len(q), np.bool_)
        contrib = np.where(hit, sp.weights[entry] * sp.weights[pos], 0.0)
        cos[start : start + len(aa)] = 100.0 * np.bincount(
            pair_of, weights=contrib, minlength=len(aa)
        )
        num_hit = hit & sp.is_num[f]
        shared[start : start + len(aa)] = (
            np.bincount(pair_of, weights=num_hit, minlength=len(aa)) > 0
        )
    return cos, shared


def pair_dots_sorted(
    sp: SparseProfiles, left: IntArray, right: IntArray
) -> tuple[FloatArray, BoolArray]:
    """``pair_dots`` for pairs sorted by ``left`` (what blocking emits), faster.

    Each batch of pairs covers a contiguous range of left rows; those rows are
    laid out as a small dense table (rows x the batch's distinct features), so
    each feature of a right row is looked up with two gathers instead of a
    binary search.  Same products summed in the same order as ``pair_dots``.
    """
    cos = np.zeros(len(left), np.float64)
    shared = np.zeros(len(left), np.bool_)
    local_id = np.full(len(sp.is_num) + 1, -1, np.int64)
    start = 0
    while start < len(left):
        # At most SORTED_DOT_CHUNK pairs and SORTED_DOT_ROWS left rows, so the
        # dense table (rows x distinct features) stays small.
        row_end = int(np.searchsorted(left, left[start] + SORTED_DOT_ROWS))
        stop = min(start + SORTED_DOT_CHUNK, row_end)
        aa = left[start:stop]
        bb = right[start:stop]
        lo, hi = int(aa[0]), int(aa[-1]) + 1
        e0, e1 = int(sp.indptr[lo]), int(sp.indptr[hi])
        block = sp.feats[e0:e1]
        distinct = np.unique(block)
        width = len(distinct) + 1  # the last column stays 0: "not in the block"
        local_id[distinct] = np.arange(len(distinct), dtype=np.int64)
        table = np.zeros((hi - lo) * width, np.float64)
        local_rows = np.repeat(np.arange(hi - lo, dtype=np.int64), np.diff(sp.indptr[lo : hi + 1]))
        table[local_rows * width + local_id[block]] = sp.weights[e0:e1]
        pair_of, entry = _expand(sp.indptr, bb)
        f = sp.feats[entry]
        col = local_id[f]
        col[col < 0] = width - 1
        left_w = table[(aa[pair_of] - lo) * width + col]
        # IDF weights are positive: a zero is a feature the left row lacks.
        hit = left_w > 0
        contrib = left_w * sp.weights[entry]
        local_id[distinct] = -1
        cos[start : start + len(aa)] = 100.0 * np.bincount(
            pair_of, weights=contrib, minlength=len(aa)
        )
        num_hit = hit & sp.is_num[f]
        shared[start : start + len(aa)] = (
            np.bincount(pair_of, weights=num_hit, minlength=len(aa)) > 0
        )
        start = stop
    return cos, shared


def combine_many(ratio: FloatArray, cos: FloatArray, conflict: BoolArray) -> FloatArray:
    """``combine`` over arrays."""
    s = RATIO_WEIGHT * ratio + COSINE_WEIGHT * cos - NUMBER_CONFLICT_PENALTY * conflict
    out: FloatArray = np.clip(s, 0.0, 100.0)
    return out


def pair_dots_parallel(
    sp: SparseProfiles, left: IntArray, right: IntArray
) -> tuple[FloatArray, BoolArray]:
    """``pair_dots_sorted`` split at left-row boundaries over the machine's cores.

    numpy releases the GIL in the gathers that dominate, so threads share the
    work (measured at 100k spans: 6.4 s -> 3.8 s on 2 cores, identical values).
    """
    parts = min(os.cpu_count() or 1, max(1, len(left) // PARALLEL_DOT_MIN))
    if parts < 2:
        return pair_dots_sorted(sp, left, right)
    from concurrent.futures import ThreadPoolExecutor

    n = len(left)
    # Cut where the left row changes, so no left row is split between threads.
    cuts = [0, *(int(np.searchsorted(left, left[n * i // parts])) for i in range(1, parts)), n]
    bounds = [(a, b) for a, b in pairwise(cuts) if b > a]
    with ThreadPoolExecutor(len(bounds)) as pool:
        results = list(
            pool.map(
                lambda ab: pair_dots_sorted(sp, left[ab[0] : ab[1]], right[ab[0] : ab[1]]), bounds
            )
        )
    return (
        np.concatenate([r[0] for r in results]),
        np.concatenate([r[1] for r in results]),
    )
