"""A small layered (Sugiyama-style) graph layout in pure Python.

Steps: break cycles by reversing DFS back edges; put every node on a layer by
longest path (a target sits above whatever points at it, so the claims that are
supported or attacked read at the top), then move a node down next to its
sources where that shortens more edges than it lengthens; cut edges that span
several layers with dummy points; order each layer to cross little
(``layer_order``); then give each row's items their x so that long edges run
straight down (``coordinate_assignment``, Brandes and Köpf).  Written here
rather than taken from a library: the maintained choices need a system binary
(Graphviz) or are under a copyleft licence, and a map of a few dozen claims
needs no more."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Generic, TypeVar, cast

from claimmap.exporters.coordinate_assignment import assign_x
from claimmap.exporters.layer_order import count_crossings, order_rows

N = TypeVar("N", bound=Hashable)
DUMMY_WIDTH = 8.0
# A drawing may spread over this many times its widest row before it is squeezed.
MAX_SPREAD = 2.0


# Compared by identity (each is made once): hashing two ints per lookup was most
# of the ordering's time on dense maps.
@dataclass(frozen=True, slots=True, eq=False)
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
    # Longest path puts every claim nothing is said about on the top layer, however
    # far below its supporters are.  Move a node down, next to its sources, where
    # that shortens more edges than it lengthens: fewer long edges to route.
    targets: dict[N, list[N]] = defaultdict(list)
    for u, v in dag:
        targets[u].append(v)
    for node in sorted(nodes, key=lambda n: -layer[n]):
        sources = succ[node]
        if sources and len(sources) > len(targets[node]):
            layer[node] = max(layer[node], min(layer[s] for s in sources) - 1)
    return layer


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

    ``max_per_row`` bounds a layer's width: a wider layer is dealt round-robin
    into as few rows as fit, one under the other.  No edge joins two nodes of one layer, and every
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
    # A wide layer is dealt round-robin, so that the next item of the layer sits in
    # the row below, under the gap its edge passes through: the rows interleave
    # like bricks and that edge can run straight up instead of around the row.
    slot: dict[object, float] = {}
    layer_top: dict[object, int] = {}
    for members in by_layer:
        count = -(-len(members) // per_row)
        top = len(rows)
        rows.extend([] for _ in range(count))
        for k, n in enumerate(members):
            layer_of[n] = top + k % count
            rows[layer_of[n]].append(n)
            slot[n], layer_top[n] = k, top
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
            # Passing the rows of its own layer: start in its source's slot.
            slot[dummy] = slot[u] if layer >= layer_top[u] else float(len(nodes))
            chain.append(dummy)
        chain.append(u)
        for a, b in pairwise(chain):
            down[a].append(b)
            up[b].append(a)
        chains.append(chain)
    rows = [sorted(row, key=slot.__getitem__) for row in rows]
    rows = order_rows(rows, up, down)
    links = [(a, b) for a, bs in down.items() for b in bs]

    # A bend point needs only room for its line: narrow slots keep rows that many
    # long edges pass through from growing as wide as rows of boxes.
    def size(item: object) -> float:
        return DUMMY_WIDTH if isinstance(item, Dummy) else node_width

    def gap(a: object, b: object) -> float:
        return DUMMY_WIDTH if isinstance(a, Dummy) or isinstance(b, Dummy) else gap_x

    def sep(a: object, b: object) -> float:
        return (size(a) + size(b)) / 2 + gap(a, b)

    xs = assign_x(rows, up, down, sep, lambda item: isinstance(item, Dummy), MAX_SPREAD)
    left = min((xs[item] - size(item) / 2 for row in rows for item in row), default=0.0)
    width = max((xs[item] - left + size(item) / 2 for row in rows for item in row), default=0.0)
    place = {
        item: (xs[item] - left, r * (node_height + gap_y) + node_height / 2)
        for r, row in enumerate(rows)
        for item in row
    }
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
