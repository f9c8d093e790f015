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
from collections import Counter
from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

IntArray = npt.NDArray[np.int64]

# Measured on the scale benchmark: keeping the 6 rarest shared n-grams found
# 0.995 of the pairs at 100k, 8 found 0.9998 of what 12 found.
KEEP_RAREST = 8
MAX_POSTING_FACTOR = 4
# Per-span posting budget (``blocking_entries``).  Measured at 20k, threshold 40,
# with the Latin trigrams: 0 -> 0.54M candidates, 0.950 of brute force; 200 ->
# 1.00M, 0.980; 500 -> 2.75M, 0.991; 1000 -> 6.0M, 0.997; 2000 -> 13.1M, 0.9994.
BLOCKING_BUDGET = 200
# Verification batch: bounds the memory of cpdist's inputs and outputs.
VERIFY_CHUNK = 200_000


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


def posting_cap(n_spans: int) -> int:
    """Largest document frequency an n-gram may have and still be indexed.

    Grows like sqrt(N): the pairs one posting list emits grow with its square,
    so the candidate count stays near-linear in N while larger corpora, whose
    distinctive n-grams recur more often, still index them.  The divisor was
    measured at 20k: sqrt(N)/2 with 4 rarest kept found 0.9992 of brute force
    from 1.6M candidates, sqrt(N)/7 with 8 rarest kept 0.9990 from 0.58M.
    """
    return max(16, int(math.sqrt(n_spans) / 7))


def flatten(span_features: Sequence[IntArray]) -> tuple[IntArray, IntArray]:
    """(feature ids, span indices) of all (span, distinct feature) entries."""
    lengths = np.fromiter((len(f) for f in span_features), dtype=np.int64, count=len(span_features))
    feats = np.concatenate(span_features) if span_features else np.zeros(0, np.int64)
    spans = np.repeat(np.arange(len(span_features), dtype=np.int64), lengths)
    return feats.astype(np.int64, copy=False), spans


def blocking_entries(
    feats: IntArray,
    spans: IntArray,
    df: IntArray,
    cap: int,
    keep_rarest: int = KEEP_RAREST,
    max_posting: int | None = None,
    budget: int = 0,
) -> tuple[IntArray, IntArray]:
    """The (feature, span) entries the blocking index keeps."""
    # An n-gram no other span has cannot produce a candidate: drop it before
    # ranking, so that a span's "rarest" slots go to n-grams that can match
    # (an edit creates brand-new n-grams, which would otherwise take them).
    shared = df[feats] >= 2
    feats, spans = feats[shared], spans[shared]
    entry_df = df[feats]
    # Sort entries by span, then rarest first, to find each span's rarest n-grams.
    order = _argsort_keys(spans, entry_df, feats)
    s_sorted = spans[order]
    first = np.searchsorted(s_sorted, s_sorted, side="left")
    rank = np.arange(len(order)) - first
    keep = (rank < keep_rarest) | (entry_df[order] <= cap)
    by_budget = np.zeros(len(order), np.bool_)
    if budget > 0:
        # Each span also keeps its rarest n-grams while the postings they bring
        # (the sum of their frequencies) stay within ``budget``: a span made of
        # common n-grams reaches its near-duplicates through them, and the pairs
        # emitted stay at most about N * budget.
        d = entry_df[order]
        cum = np.cumsum(d)
        before = cum - d - (cum[first] - d[first])
        by_budget = before < budget
    kept = order[keep | by_budget]
    budget_kept = by_budget[keep | by_budget]
    kf, ks = feats[kept], spans[kept]
    # A common n-gram kept only as some span's "rarest" can still be kept by
    # thousands of spans (all made of common words); its posting list would emit
    # millions of pairs.  Such lists are dropped (unless the budget kept the
    # entry): they carry little evidence.
    sizes = np.bincount(kf, minlength=len(df))
    limit = MAX_POSTING_FACTOR * cap if max_posting is None else max_posting
    ok = (sizes[kf] <= limit) | budget_kept
    return kf[ok], ks[ok]


# Raw (duplicate-including) pairs expanded at once: bounds candidate_pairs' memory.
EMIT_CHUNK = 4_000_000


def candidate_pairs(
    feats: IntArray, spans: IntArray, articles: IntArray
) -> tuple[IntArray, IntArray]:
    """Unique cross-article pairs sharing an indexed feature, and how many they share.

    Pairs are an (M, 2) array with i < j.  Every posting list emits all its
    pairs: entry k of a list is paired with the entries after it, expanded with
    ``np.repeat`` in bounded chunks, so the work is linear in the pairs emitted.
    """
    n = int(articles.shape[0])
    if len(feats) == 0:
        return np.zeros((0, 2), np.int64), np.zeros(0, np.int64)
    order = _argsort_keys(feats, spans)
    f = feats[order]
    s = spans[order]
    starts = np.flatnonzero(np.concatenate([[True], f[1:] != f[:-1]]))
    ends = np.concatenate([starts[1:], [len(f)]])
    list_end = np.repeat(ends, ends - starts)
    count = list_end - np.arange(len(f), dtype=np.int64) - 1  # pairs entry k starts
    cum = np.cumsum(count)
    codes: list[IntArray] = []
    lo = 0
    while lo < len(f):
        # Entries [lo, hi) emit at most EMIT_CHUNK pairs (at least one entry).
        base = int(cum[lo - 1]) if lo else 0
        hi = max(lo + 1, int(np.searchsorted(cum, base + EMIT_CHUNK, side="right")))
        c = count[lo:hi]
        total = int(c.sum())
        if total:
            first = np.repeat(np.arange(lo, hi, dtype=np.int64), c)
            offset = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(c) - c, c)
            a = s[first]
            b = s[first + 1 + offset]
            cross = articles[a] != articles[b]
            # Within a posting list spans are sorted, so a < b already.
            codes.append(a[cross] * n + b[cross])
        lo = hi
    if not codes:
        return np.zeros((0, 2), np.int64), np.zeros(0, np.int64)
    code, shared = unique_sorted(np.concatenate(codes))
    return np.stack([code // n, code % n], axis=1), shared


def chunks(n: int, size: int = VERIFY_CHUNK) -> Iterator[slice]:
    for start in range(0, n, size):
        yield slice(start, min(n, start + size))


def byte_keys(keys: Sequence[str]) -> list[str]:
    """Keys re-spelt with characters below 256, the most frequent ones kept distinct.

    rapidfuzz compares one-byte strings several times faster than CJK strings
    (a direct table instead of a hash map per character).  The 223 most frequent
    characters get their own code; rarer ones share the remaining codes.
    Merging characters can only lengthen common subsequences, so the ratio of the
    mapped keys is never below the true ratio: a safe first-pass filter.
    """
    counts = Counter("".join(keys))
    table: dict[int, str] = {}
    for rank, (ch, _) in enumerate(counts.most_common()):
        code = 32 + rank if rank < BYTE_DISTINCT else 32 + BYTE_DISTINCT + rank % BYTE_SHARED
        table[ord(ch)] = chr(code)
    return [k.translate(table) for k in keys]


BYTE_DISTINCT = 192
BYTE_SHARED = 256 - 32 - BYTE_DISTINCT


def ratio_pass(
    keys: Sequence[str], pairs: IntArray, cutoff: float, *, one_byte: bool
) -> tuple[IntArray, npt.NDArray[np.float64]]:
    """Pairs whose ``fuzz.ratio`` reaches ``cutoff``, with that ratio.

    ``cpdist`` runs the comparisons in C on all cores; ``score_cutoff`` lets it
    stop early on hopeless pairs.  With ``one_byte`` the keys are first re-spelt
    by ``byte_keys``: several times faster, and the ratio is an upper bound of
    the true one (a safe first pass).  Chunked so memory stays bounded.
    """
    arr = np.empty(len(keys), dtype=object)
    arr[:] = byte_keys(keys) if one_byte else list(keys)
    kept: list[IntArray] = []
    ratios: list[npt.NDArray[np.float64]] = []
    for sl in chunks(len(pairs)):
        part = pairs[sl]
        r = process.cpdist(
            arr[part[:, 0]].tolist(),
            arr[part[:, 1]].tolist(),
            scorer=fuzz.ratio,
            score_cutoff=cutoff,
            workers=-1,
            dtype=np.float64,
        )
        ok = r >= cutoff
        kept.append(part[ok])
        ratios.append(r[ok])
    if not kept:
        return np.zeros((0, 2), np.int64), np.zeros(0, np.float64)
    return np.concatenate(kept), np.concatenate(ratios)


def verify_ratio(
    keys: Sequence[str], pairs: IntArray, cutoff: float
) -> tuple[IntArray, npt.NDArray[np.float64]]:
    """Pairs whose exact ``fuzz.ratio`` reaches ``cutoff`` (one-byte pass first)."""
    rough, _ = ratio_pass(keys, pairs, cutoff, one_byte=True)
    return ratio_pass(keys, rough, cutoff, one_byte=False)
