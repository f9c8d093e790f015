"""Pairing two analysts' spans: the same place is the span of the other analyst
that overlaps most (one-to-one), so a disagreement can quote both versions."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence

from claimmap.agreement.study import CodedSpan


def overlap(a: CodedSpan, b: CodedSpan) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def match_spans(
    a_spans: Sequence[CodedSpan], b_spans: Sequence[CodedSpan]
) -> list[tuple[CodedSpan, CodedSpan]]:
    """One-to-one pairs of overlapping spans, greatest overlap first (ties: the
    closer boundaries, then the smaller ids), so the result does not depend on
    the order spans were given in."""
    by_article: dict[int, list[CodedSpan]] = defaultdict(list)
    for b in b_spans:
        by_article[b.article].append(b)
    a_by_article: dict[int, list[CodedSpan]] = defaultdict(list)
    for a in a_spans:
        a_by_article[a.article].append(a)
    candidates: list[tuple[int, int, int, int, CodedSpan, CodedSpan]] = []
    for article, bs in by_article.items():
        bs.sort(key=lambda s: (s.start, s.end, s.id))
        starts = [s.start for s in bs]
        longest = max(s.end - s.start for s in bs)
        for a in a_by_article.get(article, []):
            # Only spans starting within ``longest`` before a can reach into it.
            lo = bisect.bisect_right(starts, a.start - longest)
            hi = bisect.bisect_left(starts, a.end)
            for b in bs[lo:hi]:
                shared = overlap(a, b)
                if shared > 0:
                    shift = abs(a.start - b.start) + abs(a.end - b.end)
                    candidates.append((-shared, shift, a.id, b.id, a, b))
    candidates.sort(key=lambda c: c[:4])
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[CodedSpan, CodedSpan]] = []
    for _neg, _shift, a_id, b_id, a, b in candidates:
        if a_id in used_a or b_id in used_b:
            continue
        used_a.add(a_id)
        used_b.add(b_id)
        pairs.append((a, b))
    pairs.sort(key=lambda p: (p[0].article, p[0].start, p[0].end, p[0].id))
    return pairs
