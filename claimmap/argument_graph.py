"""The claim-level argument map: span relations lifted to the claims the spans belong to.

Pure data and functions (no database, no Textual): the map service fills it from
the tables, the app walks it, the exporters draw it.  A relation joins two spans;
since each span belongs to a claim, the relation is also one between the two
claims, and several span relations (from several papers) can stand behind one
claim edge.  A relation between two spans of the same claim is not an edge (a
claim does not support itself); it is counted apart so that nothing is dropped
silently.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

Direction = Literal["in", "out"]
SHORT_LABEL = 60


def shorten(text: str, limit: int = SHORT_LABEL) -> str:
    """One line of at most ``limit`` characters, with an ellipsis when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Wording:
    """One paper's own words for a claim: one span."""

    span_id: int
    article: str
    quote: str
    start: int


@dataclass(frozen=True, slots=True)
class ClaimNode:
    id: int
    label: str | None
    tag: str | None
    wordings: tuple[Wording, ...]

    @property
    def display(self) -> str:
        """The analyst's label, else the first wording shortened."""
        if self.label:
            return self.label
        return shorten(self.wordings[0].quote) if self.wordings else f"claim {self.id}"

    @property
    def papers(self) -> tuple[str, ...]:
        """The articles stating the claim, in the order of their wordings."""
        return tuple(dict.fromkeys(w.article for w in self.wordings))


@dataclass(frozen=True, slots=True)
class SpanRelation:
    """One stored relation, as the map needs it."""

    id: int
    source: int
    target: int
    type: str
    note: str | None


@dataclass(frozen=True, slots=True)
class ClaimEdge:
    """All the relations of one type from one claim to another.

    ``papers`` are the articles whose passages do the supporting or attacking
    (the source spans' articles): the papers that assert the relation.
    """

    source: int
    target: int
    type: str
    relations: tuple[int, ...]
    papers: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.relations)


@dataclass(frozen=True, slots=True)
class ArgumentMap:
    nodes: dict[int, ClaimNode]
    edges: tuple[ClaimEdge, ...]
    within_claim: int = 0
    """Relations between two spans of one claim, left out of the edges."""
    # Indexes of the edges by claim, filled once from ``edges``.
    _out: dict[int, list[ClaimEdge]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _in: dict[int, list[ClaimEdge]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for edge in self.edges:
            self._out.setdefault(edge.source, []).append(edge)
            self._in.setdefault(edge.target, []).append(edge)

    def outgoing(self, claim_id: int) -> list[ClaimEdge]:
        return self._out.get(claim_id, [])

    def incoming(self, claim_id: int) -> list[ClaimEdge]:
        return self._in.get(claim_id, [])

    def degree(self, claim_id: int) -> int:
        return sum(e.count for e in self.outgoing(claim_id)) + sum(
            e.count for e in self.incoming(claim_id)
        )

    @property
    def relation_count(self) -> int:
        return sum(e.count for e in self.edges)


def build_map(
    nodes: Iterable[ClaimNode],
    span_claims: dict[int, int],
    relations: Iterable[SpanRelation],
    span_articles: dict[int, str],
) -> ArgumentMap:
    """Aggregate span relations into claim edges, one per (source, target, type)."""
    grouped: dict[tuple[int, int, str], list[SpanRelation]] = defaultdict(list)
    within = 0
    for rel in relations:
        a, b = span_claims.get(rel.source), span_claims.get(rel.target)
        if a is None or b is None:
            continue
        if a == b:
            within += 1
            continue
        grouped[(a, b, rel.type)].append(rel)
    edges = []
    for (a, b, type_), rels in sorted(grouped.items()):
        if len(rels) == 1:  # most edges: one relation, no sorting or merging to do
            rel = rels[0]
            edges.append(
                ClaimEdge(
                    a,
                    b,
                    type_,
                    (rel.id,),
                    (span_articles[rel.source],),
                    (rel.note,) if rel.note else (),
                )
            )
            continue
        rels.sort(key=lambda r: r.id)
        edges.append(
            ClaimEdge(
                source=a,
                target=b,
                type=type_,
                relations=tuple(r.id for r in rels),
                papers=tuple(sorted({span_articles[r.source] for r in rels})),
                notes=tuple(dict.fromkeys(r.note for r in rels if r.note)),
            )
        )
    return ArgumentMap({n.id: n for n in nodes}, tuple(edges), within)


@dataclass(frozen=True, slots=True)
class Step:
    """One claim reached from ``parent`` (None for the root) over ``edge``.

    ``direction`` is "in" when the claim bears on its parent (it supports or
    attacks it), "out" when the parent bears on it.  ``seen`` marks a claim
    already shown nearer the root: it is listed but not walked again.
    """

    claim: int
    level: int
    parent: int | None
    edge: ClaimEdge | None
    direction: Direction | None
    seen: bool


def explore(graph: ArgumentMap, root: int, depth: int) -> list[list[Step]]:
    """Breadth first from ``root``, both ways, ``depth`` levels; cycle safe.

    Level 0 is the root; each later level lists, for each claim first reached on
    the level before, what bears on it (in) and what it bears on (out), leaving out
    edges already shown (the one it was reached over, first of all).
    """
    if root not in graph.nodes:
        return []
    levels: list[list[Step]] = [[Step(root, 0, None, None, None, False)]]
    visited = {root}
    walked: set[tuple[int, int, str]] = set()  # an edge is shown once, not back again
    frontier = [root]
    for level in range(1, depth + 1):
        steps: list[Step] = []
        reached: list[int] = []
        for claim in frontier:
            pairs: list[tuple[ClaimEdge, int, Direction]] = [
                (e, e.source, "in") for e in graph.incoming(claim)
            ] + [(e, e.target, "out") for e in graph.outgoing(claim)]
            for edge, other, direction in pairs:
                key = (edge.source, edge.target, edge.type)
                if key in walked:
                    continue
                walked.add(key)
                seen = other in visited
                steps.append(Step(other, level, claim, edge, direction, seen))
                if not seen:
                    visited.add(other)
                    reached.append(other)
        if not steps:
            break
        levels.append(steps)
        frontier = reached
    return levels


def most_connected(graph: ArgumentMap, limit: int) -> list[int]:
    """The ``limit`` claims with the most relations (ties: lower id first)."""
    ranked = sorted(
        {e.source for e in graph.edges} | {e.target for e in graph.edges},
        key=lambda c: (-graph.degree(c), c),
    )
    return ranked[:limit]


def subgraph(graph: ArgumentMap, keep: Sequence[int]) -> ArgumentMap:
    """The map restricted to ``keep`` and the edges between them."""
    wanted = set(keep)
    return ArgumentMap(
        {c: graph.nodes[c] for c in keep if c in graph.nodes},
        tuple(e for e in graph.edges if e.source in wanted and e.target in wanted),
        graph.within_claim,
    )
