"""Claim agreement counted per claim equals counting pair by pair; matching does
not depend on the order spans come in."""

from __future__ import annotations

import random
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from claimmap.agreement.links import decision, link_agreement
from claimmap.agreement.matching import match_spans
from claimmap.agreement.study import Article, CodedSpan, Study


@st.composite
def studies(draw: st.DrawFn) -> Study:
    n_articles = draw(st.integers(1, 4))
    spans: list[CodedSpan] = []
    next_id = 1
    for who in ("a", "b"):
        for _ in range(draw(st.integers(0, 12))):
            article = draw(st.integers(1, n_articles))
            start = draw(st.integers(0, 90))
            end = start + draw(st.integers(1, 10))
            spans.append(CodedSpan(next_id, article, start, end, frozenset({"t"}), who))
            next_id += 1
    groups: dict[int, int] = {}
    for s in spans:
        group = draw(st.one_of(st.none(), st.integers(0, 3)))
        if group is not None:
            groups[s.id] = group * 10 + (0 if s.annotator == "a" else 1)
    rejected = set()
    for x, y in combinations(spans, 2):
        if x.annotator == y.annotator and draw(st.integers(0, 4)) == 0:
            rejected.add((min(x.id, y.id), max(x.id, y.id)))
    articles = {i: Article(i, f"r{i}", 100) for i in range(1, n_articles + 1)}
    return Study(articles, spans, ["a", "b"], ["t"], groups, rejected)


@settings(max_examples=150, deadline=None)
@given(studies())
def test_counts_match_pair_by_pair(study: Study) -> None:
    matches = match_spans(study.layer("a"), study.layer("b"))
    tally = {"ss": 0, "dd": 0, "clash": 0, "only_a": 0, "only_b": 0}
    for (a1, b1), (a2, b2) in combinations(matches, 2):
        if a1.article == a2.article:
            continue
        da, db = decision(study, a1, a2), decision(study, b1, b2)
        if da == db == "same":
            tally["ss"] += 1
        elif da == db == "different":
            tally["dd"] += 1
        elif {da, db} == {"same", "different"}:
            tally["clash"] += 1
        elif da == "same" and db is None:
            tally["only_a"] += 1
        elif db == "same" and da is None:
            tally["only_b"] += 1
    got = link_agreement(study, "a", "b", matches)
    assert (
        got.both_same,
        got.both_different,
        got.same_vs_different,
        got.only_a_linked,
        got.only_b_linked,
    ) == (tally["ss"], tally["dd"], tally["clash"], tally["only_a"], tally["only_b"])


@settings(max_examples=100, deadline=None)
@given(studies(), st.randoms(use_true_random=False))
def test_matching_ignores_input_order(study: Study, rnd: random.Random) -> None:
    a, b = study.layer("a"), study.layer("b")
    first = match_spans(a, b)
    rnd.shuffle(a)
    rnd.shuffle(b)
    again = match_spans(a, b)
    assert sorted((x.id, y.id) for x, y in first) == sorted((x.id, y.id) for x, y in again)
    assert len({x.id for x, _ in first}) == len(first) == len({y.id for _, y in first})
    assert all(min(x.end, y.end) > max(x.start, y.start) for x, y in first)
