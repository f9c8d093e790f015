"""Do two analysts agree that a pair of passages is the same claim?

Only pairs both analysts coded count: span pairs (a1, a2) of one analyst whose
spans are matched (``matching``) to spans (b1, b2) of the other.  Each analyst's
decision on a pair is "same" (the two spans are in one of their claims),
"different" (they rejected the link) or none (never decided).  The units are the
pairs at least one of them decided; alpha is nominal, an undecided pair missing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from claimmap.agreement.coding import alpha
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


def _decided_pairs(study: Study, spans: Sequence[CodedSpan]) -> Iterator[tuple[int, int]]:
    """Pairs (smaller id first) of ``spans`` their analyst decided on."""
    ids = {s.id for s in spans}
    groups: dict[int, list[int]] = defaultdict(list)
    for s in spans:
        group = study.claim_group.get(s.id)
        if group is not None:
            groups[group].append(s.id)
    for members in groups.values():
        yield from combinations(sorted(members), 2)
    for x, y in study.rejected:
        if x in ids and y in ids:
            yield x, y


def pair_decisions(
    study: Study, matches: Sequence[tuple[CodedSpan, CodedSpan]]
) -> list[PairDecision]:
    """Every pair of matched pairs (in different articles) either analyst decided."""
    a_to_b = {a.id: b for a, b in matches}
    b_to_a = {b.id: a for a, b in matches}
    keys: set[tuple[int, int]] = set()
    for x, y in _decided_pairs(study, [a for a, _ in matches]):
        keys.add((x, y))
    for x, y in _decided_pairs(study, [b for _, b in matches]):
        ax, ay = b_to_a[x].id, b_to_a[y].id
        keys.add((min(ax, ay), max(ax, ay)))
    spans_a = {a.id: a for a, _ in matches}
    out: list[PairDecision] = []
    for x, y in sorted(keys):
        a1, a2 = spans_a[x], spans_a[y]
        if a1.article == a2.article:
            continue
        b1, b2 = a_to_b[x], a_to_b[y]
        out.append(
            PairDecision((a1, a2), (b1, b2), decision(study, a1, a2), decision(study, b1, b2))
        )
    return out


def link_agreement(
    study: Study, name_a: str, name_b: str, matches: Sequence[tuple[CodedSpan, CodedSpan]]
) -> LinkAgreement:
    decisions = pair_decisions(study, matches)
    counts = {"both_same": 0, "both_different": 0, "clash": 0, "only_a": 0, "only_b": 0}
    for d in decisions:
        if d.decision_a == d.decision_b:
            counts["both_same" if d.decision_a == "same" else "both_different"] += 1
        elif d.decision_a is not None and d.decision_b is not None:
            counts["clash"] += 1
        elif d.decision_a == "same":
            counts["only_a"] += 1
        elif d.decision_b == "same":
            counts["only_b"] += 1
    units = [[d.decision_a, d.decision_b] for d in decisions]
    return LinkAgreement(
        annotator_a=name_a,
        annotator_b=name_b,
        matched_spans=len(matches),
        both_same=counts["both_same"],
        both_different=counts["both_different"],
        same_vs_different=counts["clash"],
        only_a_linked=counts["only_a"],
        only_b_linked=counts["only_b"],
        alpha=alpha(units),
    )
