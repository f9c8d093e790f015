"""Similarity of two span keys, 0-100.

Chosen by measurement on the dev set (benchmarks/bench_link_quality.py prints
the comparison): ``fuzz.ratio`` on match keys ranks near-duplicates well but is
blind to *which* characters are shared; an IDF-weighted cosine over character
n-grams rewards rare shared evidence (names, acronyms, uncommon terms) but
over-rates same-topic sentences.  The blend ``0.7 * ratio + 0.3 * cosine`` had
the best average precision, and a penalty when both spans carry numbers and
share none (different dates/figures = different facts) removed the hardest
negatives.  Word-token scorers are not used: unspaced Chinese is one "word".

The score is also capped at ``COSINE_CAP`` times the cosine: two spans that share
only common words (short spans both saying 人工智能...) can have a high ratio, but
a suggestion needs shared rare evidence.  Measured at the default threshold:
on the dev set any cap from 1.5 up changes no decision; on the worked example
(``annotations/``) 1.6 is the lowest that keeps all 9 pairs the uncapped score
suggests (all confirmed there).  The cap is also what makes blocking exact: a
pair can only reach ``threshold`` with a cosine of ``threshold / COSINE_CAP``
(``blocking.py``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from claimmap.linking.keys import features, numbers

RATIO_WEIGHT = 0.7
COSINE_WEIGHT = 0.3
# Both spans cite numbers (dates, amounts) and none agree.
NUMBER_CONFLICT_PENALTY = 10.0
# The score never exceeds this multiple of the IDF cosine.
COSINE_CAP = 1.6


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
    return max(0.0, min(100.0, s, COSINE_CAP * cos))


def cosine_floor(threshold: float) -> float:
    """The cosine (0-100) a pair needs to reach ``threshold``: what blocking uses."""
    return threshold / COSINE_CAP


def ratio_floor(threshold: float, cos: float = 100.0) -> float:
    """The ``fuzz.ratio`` a pair with cosine ``cos`` needs to reach ``threshold``."""
    return max(0.0, (threshold - COSINE_WEIGHT * cos) / RATIO_WEIGHT)


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


def combine_many(ratio: FloatArray, cos: FloatArray, conflict: BoolArray) -> FloatArray:
    """``combine`` over arrays."""
    s = RATIO_WEIGHT * ratio + COSINE_WEIGHT * cos - NUMBER_CONFLICT_PENALTY * conflict
    out: FloatArray = np.clip(np.minimum(s, COSINE_CAP * cos), 0.0, 100.0)
    return out
