"""The framing summary: what each article emphasises, and how far articles overlap.

Per article: how many of its spans carry each tag, and that as a share of its
spans (``share``), the claims it shares with each other article and the claims
only it states.  A span may carry several tags, so an article's shares can add
up to more than 1: each says "this fraction of the article's spans is coded X".
(Shares of tag assignments, which add up to 1, read as shares of spans and
misled: an article with 2 spans showed three 33% tags.)  Per article pair: shared claims and the Jaccard
index over the two articles' claim sets.  Pairs that share nothing are left out
(their Jaccard index is 0): with a thousand articles there are half a million.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from claimmap.exporters.matrix import ClaimMatrix
from claimmap.models import Span

# Said wherever shares are shown: what is counted, and why they may exceed 100%.
SHARE_NOTE = (
    "Per tag: the article's spans that carry the tag, and their share of the article's "
    "spans. A span can carry several tags, so an article's shares can add up to more "
    "than 100%."
)


@dataclass(frozen=True, slots=True)
class ArticleFraming:
    ref: str
    title: str
    short_title: str
    spans: int
    tag_counts: tuple[tuple[str, int], ...]
    claims: int
    unique_claims: int
    shared_with: tuple[tuple[str, int], ...]

    @property
    def tag_total(self) -> int:
        """Tag assignments: a span with two tags counts twice."""
        return sum(n for _, n in self.tag_counts)

    def count(self, tag: str) -> int:
        """The article's spans that carry ``tag``."""
        return dict(self.tag_counts).get(tag, 0)

    def share(self, tag: str) -> float:
        """The share of the article's spans that carry ``tag`` (0 to 1)."""
        return self.count(tag) / self.spans if self.spans else 0.0


@dataclass(frozen=True, slots=True)
class PairOverlap:
    a: str
    b: str
    shared: int
    union: int

    @property
    def jaccard(self) -> float:
        return self.shared / self.union if self.union else 0.0


@dataclass(frozen=True, slots=True)
class Framing:
    tags: tuple[str, ...]
    articles: tuple[ArticleFraming, ...]
    pairs: tuple[PairOverlap, ...]

    def overlap_map(self) -> dict[tuple[str, str], PairOverlap]:
        """Pairs keyed both ways round, for lookups while drawing a heatmap."""
        out: dict[tuple[str, str], PairOverlap] = {}
        for pair in self.pairs:
            out[(pair.a, pair.b)] = pair
            out[(pair.b, pair.a)] = pair
        return out


def build_framing(matrix: ClaimMatrix, spans: Sequence[Span]) -> Framing:
    """Summarise the matrix's columns; tag counts come from the articles' live spans."""
    refs = [c.ref for c in matrix.columns]
    col_of_article = {c.article_id: i for i, c in enumerate(matrix.columns)}
    tag_counts: list[Counter[str]] = [Counter() for _ in refs]
    span_counts = [0] * len(refs)
    for span in spans:
        col = col_of_article.get(span.article_id)
        if col is None or span.orphaned:
            continue
        span_counts[col] += 1
        tag_counts[col].update(span.tags)

    claims = [0] * len(refs)
    unique = [0] * len(refs)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for row in matrix.rows:
        covered = [i for i, _cell in row.sparse]
        for i in covered:
            claims[i] += 1
        if len(covered) == 1:
            unique[covered[0]] += 1
        for i, j in combinations(covered, 2):
            shared[(i, j)] += 1

    tag_names = [t.name for t in matrix.tags]
    extra = sorted({t for c in tag_counts for t in c} - set(tag_names))
    all_tags = tuple(tag_names + extra)

    partners: list[list[tuple[str, int]]] = [[] for _ in refs]
    pairs: list[PairOverlap] = []
    for (i, j), n in sorted(shared.items()):
        partners[i].append((refs[j], n))
        partners[j].append((refs[i], n))
        pairs.append(PairOverlap(refs[i], refs[j], n, claims[i] + claims[j] - n))
    order = {ref: k for k, ref in enumerate(refs)}
    articles = tuple(
        ArticleFraming(
            ref=col.ref,
            title=col.title,
            short_title=col.short_title,
            spans=span_counts[k],
            tag_counts=tuple((t, tag_counts[k][t]) for t in all_tags if tag_counts[k][t]),
            claims=claims[k],
            unique_claims=unique[k],
            shared_with=tuple(sorted(partners[k], key=lambda p: order[p[0]])),
        )
        for k, col in enumerate(matrix.columns)
    )
    return Framing(all_tags, articles, tuple(pairs))
