"""Candidate generation (inverted index of rare n-grams) and rapidfuzz verification.

All-pairs scoring is quadratic; pairs that state the same claim share rare
character n-grams.  Each span indexes the n-grams whose document frequency is at
most ``posting_cap(N)`` plus its ``KEEP_RAREST`` rarest ones whatever their
frequency (so a span made only of common words still gets candidates), and two
spans become candidates when they index a common n-gram.  This is prefix
filtering: the two keys of a near-duplicate pair have nearly the same rarest
n-grams.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

IntArray = npt.NDArray[np.int64]

KEEP_RAREST = 4
MAX_POSTING_FACTOR = 4
# Verification batch: bounds the memory of cpdist's inputs and outputs.
VERIFY_CHUNK = 200_000


def posting_cap(n_spans: int) -> int:
    """Largest document frequency an n-gram may have and still be indexed.

    Grows like sqrt(N): the pairs one posting list emits grow with its square,
    so the candidate count stays near-linear in N while larger corpora, whose
    distinctive n-grams recur more often, still index them.
    """
    return max(16, int(math.sqrt(n_spans) / 2))


def flatten(span_features: Sequence[IntArray]) -> tuple[IntArray, IntArray]:
    """(feature ids, span indices) of all (span, distinct feature) entries."""
    lengths = np.fromiter((len(f) for f in span_features), dtype=np.int64, count=len(span_features))
    feats = np.concatenate(span_features) if span_features else np.zeros(0, np.int64)
    spans = np.repeat(np.arange(len(span_features), dtype=np.int64), lengths)
    return feats.astype(np.int64, copy=False), spans


def blocking_entries(
    feats: IntArray, spans: IntArray, df: IntArray, cap: int, keep_rarest: int = KEEP_RAREST
) -> tuple[IntArray, IntArray]:
    """The (feature, span) entries the blocking index keeps."""
    entry_df = df[feats]
    # Sort entries by span, then rarest first, to find each span's rarest n-grams.
    order = np.lexsort((feats, entry_df, spans))
    s_sorted = spans[order]
    first = np.searchsorted(s_sorted, s_sorted, side="left")
    rank = np.arange(len(order)) - first
    keep = (rank < keep_rarest) | (entry_df[order] <= cap)
    kept = order[keep]
    kf, ks = feats[kept], spans[kept]
    # A common n-gram kept only as some span's "rarest" can still be kept by
    # thousands of spans (all made of common words); its posting list would emit
    # millions of pairs.  Such lists are dropped: they carry little evidence.
    sizes = np.bincount(kf, minlength=len(df))
    ok = sizes[kf] <= MAX_POSTING_FACTOR * cap
    return kf[ok], ks[ok]


def candidate_pairs(feats: IntArray, spans: IntArray, articles: IntArray) -> IntArray:
    """Unique cross-article pairs (i < j, as an (M, 2) array) sharing an indexed feature."""
    order = np.lexsort((spans, feats))
    f = feats[order]
    s = spans[order]
    out: list[IntArray] = []
    # Pair entry i with entry i+d of the same posting list for d = 1, 2, ...;
    # entries whose list is shorter than d+1 drop out, so the work is the number
    # of pairs emitted, not (longest list) x (entries).
    idx = np.arange(len(f))
    d = 1
    while len(idx) > 0:
        nxt = idx + d
        valid = nxt < len(f)
        idx = idx[valid]
        nxt = nxt[valid]
        same = f[idx] == f[nxt]
        idx = idx[same]
        nxt = nxt[same]
        if len(idx) == 0:
            break
        a = s[idx]
        b = s[nxt]
        cross = articles[a] != articles[b]
        out.append(np.stack([a[cross], b[cross]], axis=1))
        d += 1
    if not out:
        return np.zeros((0, 2), np.int64)
    pairs = np.concatenate(out)
    # Within a posting list spans are sorted, so a < b already; dedupe pairs that
    # share several n-grams.
    n = int(articles.shape[0])
    code = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.stack([code // n, code % n], axis=1)


def chunks(n: int, size: int = VERIFY_CHUNK) -> Iterator[slice]:
    for start in range(0, n, size):
        yield slice(start, min(n, start + size))


def verify_ratio(
    keys: Sequence[str], pairs: IntArray, cutoff: float
) -> tuple[IntArray, npt.NDArray[np.float64]]:
    """Pairs whose ``fuzz.ratio`` reaches ``cutoff``, with that ratio.

    ``cpdist`` runs the comparisons in C on all cores; ``score_cutoff`` lets it
    stop early on hopeless pairs.  Chunked so memory stays bounded.
    """
    kept: list[IntArray] = []
    ratios: list[npt.NDArray[np.float64]] = []
    for sl in chunks(len(pairs)):
        part = pairs[sl]
        left = [keys[i] for i in part[:, 0]]
        right = [keys[j] for j in part[:, 1]]
        r = process.cpdist(
            left, right, scorer=fuzz.ratio, score_cutoff=cutoff, workers=-1, dtype=np.float64
        )
        ok = r >= cutoff
        kept.append(part[ok])
        ratios.append(r[ok])
    if not kept:
        return np.zeros((0, 2), np.int64), np.zeros(0, np.float64)
    return np.concatenate(kept), np.concatenate(ratios)
