"""Where two analysts differ, ranked for discussion and adjudication.

Kinds, in the order they are listed (within a kind, the largest first):

- ``only_a`` / ``only_b``: one analyst coded a passage the other left uncoded
  (no span of theirs overlaps it); the longer the passage, the earlier;
- ``tags``: the same place (matched spans) with different tags;
- ``boundaries``: the same place and tags, but an end moved by more than the
  tolerance; the larger the shift, the earlier;
- ``link``: a pair of passages one analyst put in one claim and the other
  rejected (pairs one linked and the other never decided are counted by
  ``agreement``, not listed: a claim in 100 articles makes 4,950 of them).

Every item has a key made of span ids (``12:40``, ``12:``, ``:40``,
``12+13:40+41``) that stays the same as long as those spans exist, so decisions
about it can be stored and found again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from claimmap.agreement.links import rejected_pairs
from claimmap.agreement.matching import match_spans
from claimmap.agreement.study import CodedSpan, Study

Kind = Literal["only_a", "only_b", "tags", "boundaries", "link"]
KINDS: tuple[Kind, ...] = ("only_a", "only_b", "tags", "boundaries", "link")
DEFAULT_TOLERANCE = 3
"""Code points an end may move before the two versions count as different places."""


@dataclass(frozen=True, slots=True)
class Disagreement:
    key: str
    kind: Kind
    article: int
    size: int
    """What ranks items of one kind: passage length, overlap, shift."""
    a: CodedSpan | None
    b: CodedSpan | None
    a_other: CodedSpan | None = None
    """For ``link`` items: the second span of each analyst's pair."""
    b_other: CodedSpan | None = None
    decision_a: str | None = None
    decision_b: str | None = None


def span_key(a: CodedSpan | None, b: CodedSpan | None) -> str:
    return f"{a.id if a else ''}:{b.id if b else ''}"


def _kind_rank(item: Disagreement) -> tuple[int, int, int, int, str]:
    order = KINDS.index(item.kind)
    if order <= 1:
        order = 0  # one list for "coded by one analyst", whichever it was
    start = item.a.start if item.a else item.b.start if item.b else 0
    return (order, -item.size, item.article, start, item.key)


def find_disagreements(
    study: Study, name_a: str, name_b: str, *, tolerance: int = DEFAULT_TOLERANCE
) -> list[Disagreement]:
    """Ranked disagreements between analysts ``name_a`` and ``name_b`` over the
    articles both coded."""
    both = study.coded_articles(name_a) & study.coded_articles(name_b)
    a_spans = [s for s in study.layer(name_a) if s.article in both]
    b_spans = [s for s in study.layer(name_b) if s.article in both]
    matches = match_spans(a_spans, b_spans)
    items: list[Disagreement] = []
    matched_a = {a.id for a, _ in matches}
    matched_b = {b.id for _, b in matches}
    for s in a_spans:
        if s.id not in matched_a:
            items.append(
                Disagreement(span_key(s, None), "only_a", s.article, s.end - s.start, s, None)
            )
    for s in b_spans:
        if s.id not in matched_b:
            items.append(
                Disagreement(span_key(None, s), "only_b", s.article, s.end - s.start, None, s)
            )
    for a, b in matches:
        shift = max(abs(a.start - b.start), abs(a.end - b.end))
        if a.tags != b.tags:
            shared = min(a.end, b.end) - max(a.start, b.start)
            items.append(Disagreement(span_key(a, b), "tags", a.article, shared, a, b))
        elif shift > tolerance:
            items.append(Disagreement(span_key(a, b), "boundaries", a.article, shift, a, b))
    for d in rejected_pairs(study, matches):
        if {d.decision_a, d.decision_b} != {"same", "different"}:
            continue
        (a1, a2), (b1, b2) = d.a, d.b
        items.append(
            Disagreement(
                key=f"{a1.id}+{a2.id}:{b1.id}+{b2.id}",
                kind="link",
                article=a1.article,
                size=(a1.end - a1.start) + (a2.end - a2.start),
                a=a1,
                b=b1,
                a_other=a2,
                b_other=b2,
                decision_a=d.decision_a,
                decision_b=d.decision_b,
            )
        )
    items.sort(key=_kind_rank)
    return items


def count_by_kind(items: Sequence[Disagreement]) -> dict[str, int]:
    return {kind: sum(1 for i in items if i.kind == kind) for kind in KINDS}
