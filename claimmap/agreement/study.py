"""What agreement is computed over: the analysts' spans and their claim decisions,
read from the database by ``services.agreement`` and handed over as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field

from claimmap.agreement.unitizing import Interval


@dataclass(frozen=True, slots=True)
class CodedSpan:
    """One analyst's span: where, which tags, and its wording (for quoting)."""

    id: int
    article: int
    start: int
    end: int
    tags: frozenset[str]
    annotator: str
    quote: str = ""


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    ref: str
    length: int
    sentences: tuple[Interval, ...] = ()


@dataclass(slots=True)
class Study:
    """Spans of several analysts over some articles.

    ``claim_group`` maps a span id to the group of spans its analyst put in one
    claim (only spans in a group of two or more); ``rejected`` holds the span
    pairs (smaller id first) its analyst rejected as the same claim.
    """

    articles: dict[int, Article]
    spans: list[CodedSpan]
    annotators: list[str]
    tags: list[str]
    claim_group: dict[int, int] = field(default_factory=dict)
    rejected: set[tuple[int, int]] = field(default_factory=set)
    also_coded: dict[str, set[int]] = field(default_factory=dict)
    """Articles each analyst coded with spans left out of ``spans`` (a tag filter)."""

    def layer(self, annotator: str) -> list[CodedSpan]:
        return [s for s in self.spans if s.annotator == annotator]

    def coded_articles(self, annotator: str) -> set[int]:
        """Articles the analyst coded at all: one without any of their spans reads
        as not yet coded (missing), not as coded empty."""
        found = {s.article for s in self.spans if s.annotator == annotator}
        return found | self.also_coded.get(annotator, set())
