"""Do two analysts agree that a pair of passages is the same claim?

Only pairs both analysts coded count: span pairs (a1, a2) of one analyst, in two
articles, whose spans are matched (``matching``) to spans (b1, b2) of the other.
Each analyst's decision on a pair is "same" (the two spans are in one of their
claims), "different" (they rejected the link and did not join the two another
way) or none (never decided).  The units are the pairs at least one of them
decided; alpha is nominal over the pairs both decided.

A claim stated in many articles makes many pairs (a claim in 100 articles, 4,950),
so "same" pairs are counted per claim, never listed; only the rejected pairs,
which analysts made one by one, are walked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from claimmap.agreement.coding import alpha_from_counts
from claimmap.agreement.study import CodedSpan, Study

Decision = Literal["same", "different"]


@dataclass(frozen=True, slots=True)
class PairDecision:
    """One pair of matched pairs: (a1, a2) of analyst A matched to (b1, b2) of B."""

    a: tuple[CodedSpan, CodedSpan]
    b: tuple[CodedSpan, CodedSpan]
    decision_a: Decision | None
    decision_b: Decision | None


@dataclass(frozen=True, slots=True)
class LinkAgreement:
    annotator_a: str
    annotator_b: str
    matched_spans: int
    both_same: int
    both_different: int
    same_vs_different: int
    only_a_linked: int
    only_b_linked: int
    alpha: float | None


def decision(study: Study, x: CodedSpan, y: CodedSpan) -> Decision | None:
    group_x = study.claim_group.get(x.id)
    if group_x is not None and group_x == study.claim_group.get(y.id):
        return "same"
    if (min(x.id, y.id), max(x.id, y.id)) in study.rejected:
        return "different"
    return None


def _pairs(counter: Counter[Hashable]) -> int:
    return sum(n * (n - 1) // 2 for n in counter.values())


def _same_pairs(keys: Iterable[tuple[Hashable, int]]) -> int:
    """Pairs of matched items sharing a key, in two different articles."""
    with_article = list(keys)
    return _pairs(Counter(k for k, _ in with_article)) - _pairs(Counter(with_article))


def rejected_pairs(
    study: Study, matches: Sequence[tuple[CodedSpan, CodedSpan]]
) -> list[PairDecision]:
    """Every pair of matched pairs (in two articles) that one analyst rejected,
    with both analysts' decisions; each pair once."""
    a_to_b = {a.id: b for a, b in matches}
    b_to_a = {b.id: a for a, b in matches}
    spans_a = {a.id: a for a, _ in matches}
    seen: set[tuple[int, int]] = set()
    out: list[PairDecision] = []
    for x, y in sorted(study.rejected):
        if x in a_to_b and y in a_to_b:
            a1, a2 = spans_a[x], spans_a[y]
        elif x in b_to_a and y in b_to_a:
            a1, a2 = b_to_a[x], b_to_a[y]
        else:
            continue
        key = (min(a1.id, a2.id), max(a1.id, a2.id))
        if a1.article == a2.article or key in seen:
            continue
        seen.add(key)
        b1, b2 = a_to_b[a1.id], a_to_b[a2.id]
        out.append(
            PairDecision((a1, a2), (b1, b2), decision(study, a1, a2), decision(study, b1, b2))
        )
    return out


def link_agreement(
    study: Study, name_a: str, name_b: str, matches: Sequence[tuple[CodedSpan, CodedSpan]]
) -> LinkAgreement:
    group = study.claim_group
    a_same = _same_pairs((group[a.id], a.article) for a, _ in matches if a.id in group)
    b_same = _same_pairs((group[b.id], a.article) for a, b in matches if b.id in group)
    both_same = _same_pairs(
        ((group[a.id], group[b.id]), a.article)
        for a, b in matches
        if a.id in group and b.id in group
    )
    tally: Counter[tuple[Decision | None, Decision | None]] = Counter(
        (d.decision_a, d.decision_b) for d in rejected_pairs(study, matches)
    )
    same_vs_different = tally[("same", "different")] + tally[("different", "same")]
    both_different = tally[("different", "different")]
    rows = np.array([[0.0, 2.0], [1.0, 1.0], [2.0, 0.0]])
    repeats = np.array([float(both_same), float(same_vs_different), float(both_different)])
    return LinkAgreement(
        annotator_a=name_a,
        annotator_b=name_b,
        matched_spans=len(matches),
        both_same=both_same,
        both_different=both_different,
        same_vs_different=same_vs_different,
        only_a_linked=a_same - both_same - tally[("same", "different")],
        only_b_linked=b_same - both_same - tally[("different", "same")],
        alpha=alpha_from_counts(
            ["different", "same"], rows[repeats > 0], repeats=repeats[repeats > 0]
        ),
    )
