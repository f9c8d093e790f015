"""A small layered (Sugiyama-style) graph layout in pure Python.

Steps: break cycles by reversing DFS back edges; put every node on a layer by
longest path (a target sits above whatever points at it, so the claims that are
supported or attacked read at the top); cut edges that span several layers with
dummy points; order each layer by the barycentre of its neighbours, sweeping
down and up a few times (Sugiyama, Tagawa and Toda 1981), keeping the order that
crosses least; then place the layers' rows centred.  Written here rather than
taken from a library: the maintained choices need a system binary (Graphviz) or
are under a copyleft licence, and a map of a few dozen claims needs no more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Generic, TypeVar, cast

N = TypeVar("N", bound=Hashable)
SWEEPS = 8
DUMMY_WIDTH = 8.0


@dataclass(frozen=True, slots=True)
class Dummy:
    """A bend point of a long edge (edge index, layer)."""

    edge: int
    layer: int


@dataclass(frozen=True, slots=True)
class Layout(Generic[N]):
    positions: dict[N, tuple[float, float]]
    """Centre of each node."""
    paths: list[list[tuple[float, float]]]
    """One polyline per input edge, from its source's centre to its target's (a loop:
    the node's centre alone)."""
    layers: list[list[N]]
    width: float
    height: float
    crossings: int


def _acyclic(nodes: Sequence[N], edges: Sequence[tuple[N, N]]) -> list[tuple[N, N, bool]]:
    """Each edge as (upper-to-lower order, reversed?) so that the graph has no cycle."""
    succ: dict[N, list[N]] = defaultdict(list)
    for u, v in edges:
        succ[u].append(v)
    state: dict[N, int] = {}  # 1 on the DFS stack, 2 done
    back: set[tuple[N, N]] = set()
    for start in nodes:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(succ[start]))]
        while stack:
            node, children = stack[-1]
            for child in children:
                mark = state.get(child)
                if mark == 1:
                    back.add((node, child))
                elif mark is None:
                    state[child] = 1
                    stack.append((child, iter(succ[child])))
                    break
            else:
                state[node] = 2
                stack.pop()
    return [(v, u, True) if (u, v) in back else (u, v, False) for u, v in edges]


def _layers(nodes: Sequence[N], dag: Sequence[tuple[N, N]]) -> dict[N, int]:
    """Longest path from the sinks: a node sits one layer below the lowest of its targets."""
    succ: dict[N, list[N]] = defaultdict(list)
    indeg: dict[N, int] = dict.fromkeys(nodes, 0)
    for u, v in dag:
        succ[v].append(u)  # walk from targets down to what points at them
        indeg[u] += 1
    layer = dict.fromkeys(nodes, 0)
    ready = [n for n in nodes if indeg[n] == 0]
    while ready:
        node = ready.pop()
        for nxt in succ[node]:
            layer[nxt] = max(layer[nxt], layer[node] + 1)
            indeg[nxt] -= 1
            if indeg[nxt] == 0:
                ready.append(nxt)
    return layer


def count_crossings(
    rows: Sequence[Sequence[object]], links: Sequence[tuple[object, object]]
) -> int:
    """Crossings between adjacent rows for links that join consecutive rows."""
    where = {item: (r, k) for r, row in enumerate(rows) for k, item in enumerate(row)}
    by_row: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for a, b in links:
        (ra, ka), (rb, kb) = where[a], where[b]
        if ra > rb:
            ra, ka, rb, kb = rb, kb, ra, ka
        if rb == ra + 1:
            by_row[ra].append((ka, kb))
    total = 0
    for pairs in by_row.values():
        pairs.sort()
        for i, (a1, b1) in enumerate(pairs):
            for a2, b2 in pairs[i + 1 :]:
                if a2 > a1 and b2 < b1:
                    total += 1
    return total


def _by_barycentre(
    row: list[object], fixed: list[object], neighbours: dict[object, list[object]]
) -> list[object]:
    """``row`` sorted by the mean position of each item's neighbours in ``fixed``;
    an item with none keeps its place, and ties keep the current order."""
    pos = {item: k for k, item in enumerate(fixed)}
    current = {item: k for k, item in enumerate(row)}

    def key(item: object) -> tuple[float, int]:
        ks = [pos[n] for n in neighbours.get(item, []) if n in pos]
        return (sum(ks) / len(ks) if ks else float(current[item]), current[item])

    return sorted(row, key=key)


def _order(
    rows: list[list[object]], up: dict[object, list[object]], down: dict[object, list[object]]
) -> list[list[object]]:
    links = [(a, b) for a, bs in down.items() for b in bs]
    best = [list(r) for r in rows]
    best_cross = count_crossings(best, links)
    for sweep in range(SWEEPS):
        going_down = sweep % 2 == 0
        indices = range(1, len(rows)) if going_down else range(len(rows) - 2, -1, -1)
        for r in indices:
            fixed = rows[r - 1] if going_down else rows[r + 1]
            rows[r] = _by_barycentre(rows[r], fixed, up if going_down else down)
        crossings = count_crossings(rows, links)
        if crossings < best_cross:
            best, best_cross = [list(r) for r in rows], crossings
    return best


def layered_layout(
    nodes: Sequence[N],
    edges: Sequence[tuple[N, N]],
    *,
    node_width: float = 180.0,
    node_height: float = 60.0,
    gap_x: float = 40.0,
    gap_y: float = 70.0,
    max_per_row: int | None = None,
) -> Layout[N]:
    """Place ``nodes`` in layers so that ``edges`` (source, target) point upwards.

    ``max_per_row`` bounds a layer's width: a wider layer is dealt into several
    rows, one under the other.  No edge joins two nodes of one layer, and every
    edge from a layer goes up past the rows it was dealt into, so edges still
    point upwards; the picture gets taller instead of unreadably wide.
    """
    loops = [u == v for u, v in edges]
    dag = _acyclic(nodes, [(u, v) for u, v in edges if u != v])
    layer_of = _layers(nodes, [(u, v) for u, v, _ in dag])
    depth = max(layer_of.values(), default=-1) + 1
    by_layer: list[list[N]] = [[] for _ in range(depth)]
    for n in nodes:
        by_layer[layer_of[n]].append(n)
    rows: list[list[object]] = []
    per_row = max_per_row if max_per_row and max_per_row > 0 else max(len(nodes), 1)
    for members in by_layer:
        for k in range(0, len(members), per_row):
            for n in members[k : k + per_row]:
                layer_of[n] = len(rows)
            rows.append(list(members[k : k + per_row]))
    # Chains of points, from the upper end (the target layer) down.
    up: dict[object, list[object]] = defaultdict(list)  # neighbours one row up
    down: dict[object, list[object]] = defaultdict(list)
    chains: list[list[object]] = []
    for i, (u, v, _) in enumerate(dag):
        top, bottom = layer_of[v], layer_of[u]
        chain: list[object] = [v]
        for layer in range(top + 1, bottom):
            dummy = Dummy(i, layer)
            rows[layer].append(dummy)
            chain.append(dummy)
        chain.append(u)
        for a, b in pairwise(chain):
            down[a].append(b)
            up[b].append(a)
        chains.append(chain)
    rows = _order(rows, up, down)
    links = [(a, b) for a, bs in down.items() for b in bs]

    # A bend point needs only room for its line: narrow slots keep rows that many
    # long edges pass through from growing as wide as rows of boxes.
    def size(item: object) -> float:
        return DUMMY_WIDTH if isinstance(item, Dummy) else node_width

    def gap(a: object, b: object) -> float:
        return DUMMY_WIDTH if isinstance(a, Dummy) or isinstance(b, Dummy) else gap_x

    spans = [
        sum(size(item) for item in row) + sum(gap(a, b) for a, b in pairwise(row)) for row in rows
    ]
    width = max(spans, default=0.0)
    place: dict[object, tuple[float, float]] = {}
    for r, row in enumerate(rows):
        x = (width - spans[r]) / 2
        for k, item in enumerate(row):
            if k:
                x += gap(row[k - 1], item)
            place[item] = (x + size(item) / 2, r * (node_height + gap_y) + node_height / 2)
            x += size(item)
    drawn: list[list[tuple[float, float]]] = []
    for (_u, _v, flipped), chain in zip(dag, chains, strict=True):
        points = [place[p] for p in chain]
        # Chains run target to source; a reversed edge's source was its target.
        drawn.append(points if flipped else points[::-1])
    lines = iter(drawn)
    paths = [
        [place[u]] if loop else next(lines) for (u, _v), loop in zip(edges, loops, strict=True)
    ]
    return Layout(
        positions={n: place[n] for n in nodes},
        paths=paths,
        layers=[[cast(N, n) for n in row if not isinstance(n, Dummy)] for row in rows],
        width=max(width, 0.0),
        height=max(len(rows) * (node_height + gap_y) - gap_y, 0.0),
        crossings=count_crossings(rows, links),
    )
