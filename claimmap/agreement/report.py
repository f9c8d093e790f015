"""The agreement report: per tag uα on the code-point continuum and nominal alpha
on sentences, the overall values, and agreement on claims.

Articles: uα needs every analyst on the whole continuum, so it is computed over
the articles every analyst coded (at least one span), laid end to end as one
continuum.  The sentence view also uses the articles only some analysts coded,
as missing values for the others.  A sentence counts as coded T by an analyst
when one of their T spans overlaps it by at least one code point.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from claimmap.agreement.coding import alpha_from_counts
from claimmap.agreement.links import LinkAgreement, link_agreement
from claimmap.agreement.matching import SpanArrays, match_arrays
from claimmap.agreement.study import CodedSpan, Study
from claimmap.agreement.unitizing import (
    Interval,
    UnitizingResult,
    category_alpha,
    join_overlapping,
    overall_alpha,
)

_Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class TagAgreement:
    tag: str
    alpha_u: float | None
    observed: float
    expected: float
    alpha_sentence: float | None
    sentences: int
    """Sentences coded by at least two analysts (the units of alpha_sentence)."""
    spans: dict[str, int]


@dataclass(frozen=True, slots=True)
class AgreementReport:
    annotators: list[str]
    articles: list[str]
    """Refs of the articles every analyst coded: uα's continuum."""
    partly_coded: list[str]
    """Refs coded by some analysts only: in the sentence view, as missing values."""
    continuum: int
    per_tag: dict[str, TagAgreement]
    overall_alpha_u: float | None
    overall_alpha_sentence: float | None
    links: list[LinkAgreement]


def _sentence_flags(
    sentences: npt.NDArray[np.int64], units: list[Interval]
) -> npt.NDArray[np.bool_]:
    """Which sentences one of ``units`` (joined, sorted) overlaps."""
    if not units or len(sentences) == 0:
        return np.zeros(len(sentences), dtype=bool)
    starts = np.array([u[0] for u in units], dtype=np.int64)
    ends = np.array([u[1] for u in units], dtype=np.int64)
    first = np.searchsorted(ends, sentences[:, 0], side="right")
    inside = first < len(units)
    flags = np.zeros(len(sentences), dtype=bool)
    flags[inside] = starts[first[inside]] < sentences[inside, 1]
    return flags


def agreement_report(study: Study) -> AgreementReport:
    names = study.annotators
    coded = {name: study.coded_articles(name) for name in names}
    every = sorted(set.intersection(*coded.values()) if coded else set())
    some = sorted({a for a in study.articles if sum(a in c for c in coded.values()) >= 2})

    offsets: dict[int, int] = {}
    continuum = 0
    for article_id in every:
        offsets[article_id] = continuum
        continuum += study.articles[article_id].length

    # units[tag][annotator][article] -> intervals
    units: dict[str, dict[str, dict[int, list[Interval]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    span_counts: dict[str, dict[str, int]] = {t: dict.fromkeys(names, 0) for t in study.tags}
    for s in study.spans:
        for tag in s.tags:
            if tag in span_counts and s.annotator in span_counts[tag]:
                units[tag][s.annotator][s.article].append((s.start, s.end))
                span_counts[tag][s.annotator] += 1

    sentence_arrays = {
        a: np.array(study.articles[a].sentences, dtype=np.int64).reshape(-1, 2) for a in some
    }
    per_tag: dict[str, TagAgreement] = {}
    results: list[UnitizingResult] = []
    pooled: list[_Floats] = []
    for tag in study.tags:
        by_name = units[tag]
        if continuum > 0 and len(names) >= 2:
            raters = [
                [
                    (start + offsets[a], end + offsets[a])
                    for a in every
                    for start, end in by_name[name].get(a, [])
                ]
                for name in names
            ]
            result = category_alpha(continuum, raters)
        else:
            result = UnitizingResult(0.0, 0.0, None)
        results.append(result)
        blocks: list[_Floats] = []
        for a in some:
            sentences = sentence_arrays[a]
            block = np.zeros((len(sentences), 2), dtype=np.float64)
            for name in names:
                if a not in coded[name]:
                    continue
                flags = _sentence_flags(sentences, join_overlapping(by_name[name].get(a, [])))
                block[:, 1] += flags
                block[:, 0] += ~flags
            blocks.append(block)
        counts = np.concatenate(blocks) if blocks else np.zeros((0, 2))
        pooled.append(counts)
        per_tag[tag] = TagAgreement(
            tag=tag,
            alpha_u=result.alpha,
            observed=result.observed,
            expected=result.expected,
            alpha_sentence=alpha_from_counts([0, 1], counts),
            sentences=int(np.count_nonzero(counts.sum(axis=1) >= 2)),
            spans=span_counts[tag],
        )
    links = []
    layers: dict[str, list[CodedSpan]] = defaultdict(list)
    for s in study.spans:
        layers[s.annotator].append(s)
    arrays = {name: SpanArrays.of(layers[name]) for name in names}
    for name_a, name_b in combinations(names, 2):
        both = coded[name_a] & coded[name_b]
        matches = match_arrays(arrays[name_a].within(both), arrays[name_b].within(both))
        links.append(link_agreement(study, name_a, name_b, matches))
    refs = {a: study.articles[a].ref for a in study.articles}
    return AgreementReport(
        annotators=list(names),
        articles=[refs[a] for a in every],
        partly_coded=[refs[a] for a in some if a not in set(every)],
        continuum=continuum,
        per_tag=per_tag,
        overall_alpha_u=overall_alpha(results),
        overall_alpha_sentence=alpha_from_counts([0, 1], np.concatenate(pooled))
        if pooled
        else None,
        links=links,
    )
