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
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

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
