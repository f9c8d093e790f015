"""Pairing two analysts' spans: the same place is the span of the other analyst
that overlaps most (one-to-one), so a disagreement can quote both versions."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from claimmap.agreement.study import CodedSpan

_Ints = npt.NDArray[np.int64]
_STRIDE = 1 << 32
"""Articles laid on one line this far apart: offsets stay below 2**31."""


def overlap(a: CodedSpan, b: CodedSpan) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


@dataclass(frozen=True, slots=True)
class SpanArrays:
    """One analyst's spans as arrays, articles laid on one line (never touching),
    built once and reused for every analyst they are compared with."""

    spans: list[CodedSpan]
    starts: _Ints
    ends: _Ints
    articles: _Ints

    @classmethod
    def of(cls, spans: Sequence[CodedSpan]) -> SpanArrays:
        n = len(spans)
        articles = np.fromiter((s.article for s in spans), np.int64, n)
        starts = np.fromiter((s.start for s in spans), np.int64, n) + articles * _STRIDE
        ends = np.fromiter((s.end for s in spans), np.int64, n) + articles * _STRIDE
        return cls(list(spans), starts, ends, articles)

    def within(self, articles: Collection[int]) -> SpanArrays:
        keep = np.isin(self.articles, np.fromiter(articles, np.int64, len(articles)))
        picked = np.flatnonzero(keep)
        return SpanArrays(
            [self.spans[k] for k in picked.tolist()],
            self.starts[keep],
            self.ends[keep],
            self.articles[keep],
        )


def match_spans(
    a_spans: Sequence[CodedSpan], b_spans: Sequence[CodedSpan]
) -> list[tuple[CodedSpan, CodedSpan]]:
    return match_arrays(SpanArrays.of(a_spans), SpanArrays.of(b_spans))


def match_arrays(a: SpanArrays, b: SpanArrays) -> list[tuple[CodedSpan, CodedSpan]]:
    """One-to-one pairs of overlapping spans, greatest overlap first (ties: the
    closer boundaries, then the smaller ids), so the result does not depend on
    the order spans were given in; listed in the order of a's spans."""
    if not a.spans or not b.spans:
        return []
    sa, ea = a.starts, a.ends
    order = np.argsort(b.starts, kind="stable")
    sb, eb = b.starts[order], b.ends[order]
    ia = np.fromiter((s.id for s in a.spans), np.int64, len(a.spans))
    ib = np.fromiter((s.id for s in b.spans), np.int64, len(b.spans))[order]
    longest = int((eb - sb).max())
    # Only spans of b starting within ``longest`` before a span of a can reach into it.
    lo = np.searchsorted(sb, sa - longest, side="right")
    hi = np.searchsorted(sb, ea, side="left")
    counts = np.maximum(hi - lo, 0)
    rows = np.repeat(np.arange(len(sa)), counts)
    cols = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    cols += np.repeat(lo, counts)
    shared = np.minimum(ea[rows], eb[cols]) - np.maximum(sa[rows], sb[cols])
    keep = shared > 0
    rows, cols, shared = rows[keep], cols[keep], shared[keep]
    shift = np.abs(sa[rows] - sb[cols]) + np.abs(ea[rows] - eb[cols])
    ranked = np.lexsort((ib[cols], ia[rows], shift, -shared))
    partner: dict[int, int] = {}
    used_b: set[int] = set()
    for row, col in zip(rows[ranked].tolist(), cols[ranked].tolist(), strict=True):
        if row in partner or col in used_b:
            continue
        partner[row] = col
        used_b.add(col)
    original = order.tolist()
    return [(a.spans[row], b.spans[original[partner[row]]]) for row in sorted(partner)]
