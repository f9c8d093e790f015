"""Each connected part of a graph laid out on its own, the parts packed in shelves.

Laid out as one graph, claims that have nothing to do with each other share
layers, and their edges are interleaved and cross for no reason.  Here every
connected component gets its own layered layout, and the drawings are packed
largest first, left to right in rows (shelves) no wider than a target width,
or than the widest drawing where that is wider (no row then leaves that width
empty), each row as tall as its tallest drawing.  Simple shelf packing: enough for a few dozen small parts.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from claimmap.exporters.layered_layout import layered_layout

N = TypeVar("N", bound=Hashable)
Box = tuple[float, float, float, float]
"""left, top, right, bottom"""


@dataclass(frozen=True, slots=True)
class PackedLayout(Generic[N]):
    positions: dict[N, tuple[float, float]]
    """Centre of each node."""
    paths: list[list[tuple[float, float]]]
    """One route per input edge, as ``Layout.paths``."""
    components: list[tuple[list[N], Box]]
    """Each component's nodes (in input order) and the box its drawing was given."""
    width: float
    height: float
    crossings: int


def connected_components(nodes: Sequence[N], edges: Sequence[tuple[N, N]]) -> list[list[N]]:
    """The nodes of each component, in input order; components by their first node."""
    parent = {n: n for n in nodes}

    def find(n: N) -> N:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for u, v in edges:
        a, b = find(u), find(v)
        if a != b:
            parent[b] = a
    groups: dict[N, list[N]] = {}
    for n in nodes:
        groups.setdefault(find(n), []).append(n)
    return list(groups.values())


def packed_layout(
    nodes: Sequence[N],
    edges: Sequence[tuple[N, N]],
    *,
    target_width: float = 1400.0,
    gap: float = 48.0,
    node_width: float = 180.0,
    node_height: float = 60.0,
    gap_x: float = 40.0,
    gap_y: float = 70.0,
    max_per_row: int | None = None,
) -> PackedLayout[N]:
    """``layered_layout`` of each component, packed in rows of at most ``target_width``
    with ``gap`` between drawings."""
    parts = connected_components(nodes, edges)
    member = {n: k for k, part in enumerate(parts) for n in part}
    edges_of: list[list[int]] = [[] for _ in parts]
    for i, (u, _v) in enumerate(edges):
        edges_of[member[u]].append(i)
    layouts = [
        layered_layout(
            part,
            [edges[i] for i in edges_of[k]],
            node_width=node_width,
            node_height=node_height,
            gap_x=gap_x,
            gap_y=gap_y,
            max_per_row=max_per_row,
        )
        for k, part in enumerate(parts)
    ]
    # Largest first (most nodes, then most edges); ties keep the input order.
    order = sorted(range(len(parts)), key=lambda k: (-len(parts[k]), -len(edges_of[k])))
    # A part wider than the target sets the width anyway: let the rows use it.
    limit = max([target_width, *(drawing.width for drawing in layouts)])
    corner: dict[int, tuple[float, float]] = {}
    x = y = shelf = width = 0.0
    for k in order:
        drawing = layouts[k]
        if x > 0 and x + drawing.width > limit:
            x, y, shelf = 0.0, y + shelf + gap, 0.0
        corner[k] = (x, y)
        width = max(width, x + drawing.width)
        shelf = max(shelf, drawing.height)
        x += drawing.width + gap
    positions: dict[N, tuple[float, float]] = {}
    paths: list[list[tuple[float, float]]] = [[] for _ in edges]
    components: list[tuple[list[N], Box]] = []
    for k, (part, drawing) in enumerate(zip(parts, layouts, strict=True)):
        dx, dy = corner[k]
        for n in part:
            px, py = drawing.positions[n]
            positions[n] = (px + dx, py + dy)
        for i, path in zip(edges_of[k], drawing.paths, strict=True):
            paths[i] = [(px + dx, py + dy) for px, py in path]
        components.append((part, (dx, dy, dx + drawing.width, dy + drawing.height)))
    return PackedLayout(
        positions=positions,
        paths=paths,
        components=components,
        width=width,
        height=(y + shelf) if parts else 0.0,
        crossings=sum(drawing.crossings for drawing in layouts),
    )
