"""Horizontal positions for the rows of a layered drawing (Brandes and Köpf 2001).

Centring each row, as a first version of the layout did, bends a long edge at
every row it passes, and the bends of many long edges zigzag across the whole
width.  Brandes and Köpf align each item with a median neighbour in the row
above (or below) into vertical *blocks*, giving the segments between two bend
points first claim so that a long edge runs straight down, then pack the
blocks tightly from the left (or right).  Four such drawings (aligned upwards
or downwards, packed leftwards or rightwards) are balanced item by item: the
mean of the middle two of its four positions.

The packing follows the two-pass block-graph variant (smallest positions, then
each block pulled towards its right neighbours) that Brandes, Walter and Zink
(2020) showed avoids a flaw in the original's class shifts.  Balancing can
still, rarely, bring two neighbours closer than their separation; a last pass
pushes them apart by the least movement (isotonic regression, pool adjacent
violators), so that boxes never overlap whatever the input.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Mapping, Sequence
from itertools import pairwise
from typing import TypeVar

T = TypeVar("T", bound=Hashable)
Separation = Callable[[T, T], float]
"""Least distance between the centres of two neighbours in a row, left then right."""
TOLERANCE = 1e-6


def _type1_conflicts(
    rows: Sequence[Sequence[T]], up: Mapping[T, Sequence[T]], is_bend: Callable[[T], bool]
) -> set[tuple[T, T]]:
    """Segments (upper, lower) that cross a segment between two bend points.

    Those are never aligned: a long edge's straight run wins over a short edge.
    """
    marked: set[tuple[T, T]] = set()
    for upper, lower in pairwise(rows):
        pos = {item: k for k, item in enumerate(upper)}
        k0, start = 0, 0
        for l1, v in enumerate(lower):
            inner = [u for u in up.get(v, ()) if is_bend(v) and is_bend(u)]
            if l1 != len(lower) - 1 and not inner:
                continue
            k1 = pos[inner[0]] if inner else len(upper) - 1
            for w in lower[start : l1 + 1]:
                for u in up.get(w, ()):
                    if pos[u] < k0 or pos[u] > k1:
                        marked.add((u, w))
            start, k0 = l1 + 1, k1
    return marked


def _align(
    layers: Sequence[Sequence[T]], before: Mapping[T, Sequence[T]], marked: set[tuple[T, T]]
) -> dict[T, T]:
    """Each item's block root: items joined to a median neighbour in the previous layer."""
    pos = {item: k for layer in layers for k, item in enumerate(layer)}
    root = {item: item for layer in layers for item in layer}
    aligned: set[T] = set()  # items already joined to one below them
    for layer in layers[1:]:
        taken = -1  # rightmost position in the previous layer aligned so far
        for v in layer:
            ns = sorted(before.get(v, ()), key=pos.__getitem__)
            if not ns:
                continue
            for m in sorted({(len(ns) - 1) // 2, len(ns) // 2}):
                u = ns[m]
                if root[v] != v or u in aligned:
                    continue
                if (u, v) in marked or (v, u) in marked or pos[u] <= taken:
                    continue
                root[v] = root[u]
                aligned.add(u)
                taken = pos[u]
    return root


def _compact(
    layers: Sequence[Sequence[T]], root: Mapping[T, T], sep: Separation[T]
) -> dict[T, float]:
    """Blocks packed from the left: each as far left as its left neighbours allow, then
    pulled right as far as its right neighbours allow."""
    gaps: dict[tuple[T, T], float] = {}
    for layer in layers:
        for a, b in pairwise(layer):
            key = (root[a], root[b])
            gaps[key] = max(gaps.get(key, 0.0), sep(a, b))
    succ: dict[T, list[T]] = defaultdict(list)
    pred: dict[T, list[T]] = defaultdict(list)
    indeg: dict[T, int] = {r: 0 for r in root.values()}
    for a, b in gaps:
        succ[a].append(b)
        pred[b].append(a)
        indeg[b] += 1
    ready = deque(r for r in dict.fromkeys(root.values()) if indeg[r] == 0)
    order: list[T] = []
    while ready:
        block = ready.popleft()
        order.append(block)
        for nxt in succ[block]:
            indeg[nxt] -= 1
            if indeg[nxt] == 0:
                ready.append(nxt)
    if len(order) != len(indeg):  # the alignment keeps blocks in order; this cannot happen
        raise AssertionError("blocks of the alignment cross")
    x: dict[T, float] = {}
    for block in order:
        x[block] = max((x[p] + gaps[p, block] for p in pred[block]), default=0.0)
    for block in reversed(order):
        if succ[block]:
            x[block] = max(x[block], min(x[s] - gaps[block, s] for s in succ[block]))
    return {item: x[r] for item, r in root.items()}


def _separate(rows: Sequence[Sequence[T]], x: dict[T, float], sep: Separation[T]) -> None:
    """Move items of a row where neighbours are too close, as little as possible."""
    for row in rows:
        gaps = [sep(a, b) for a, b in pairwise(row)]
        if all(x[b] - x[a] >= g - TOLERANCE for (a, b), g in zip(pairwise(row), gaps, strict=True)):
            continue
        offsets = [0.0]
        for g in gaps:
            offsets.append(offsets[-1] + g)
        # With y = x - offset the constraints read y non-decreasing: isotonic regression.
        pools: list[tuple[float, int]] = []  # (sum, count) of merged targets
        for item, offset in zip(row, offsets, strict=True):
            pools.append((x[item] - offset, 1))
            while len(pools) > 1 and pools[-2][0] / pools[-2][1] > pools[-1][0] / pools[-1][1]:
                s, c = pools.pop()
                pools[-1] = (pools[-1][0] + s, pools[-1][1] + c)
        k = 0
        for total, count in pools:
            for _ in range(count):
                x[row[k]] = total / count + offsets[k]
                k += 1


def assign_x(
    rows: Sequence[Sequence[T]],
    up: Mapping[T, Sequence[T]],
    down: Mapping[T, Sequence[T]],
    sep: Separation[T],
    is_bend: Callable[[T], bool],
    max_spread: float | None = None,
) -> dict[T, float]:
    """Centre x of every item of ``rows`` (top row first, each in drawing order);
    ``up``/``down``: an item's neighbours in the row above/below.  Only
    differences matter: the caller moves the drawing to its margin.
    ``max_spread``: how many times the widest row's least width the drawing may
    spread over (None: no bound)."""
    marked = _type1_conflicts(rows, up, is_bend)
    drawings: list[tuple[dict[T, float], bool]] = []
    for layers, before in ((list(rows), up), (list(rows)[::-1], down)):
        for leftwards in (False, True):
            ordered = [list(layer)[::-1] if leftwards else list(layer) for layer in layers]
            root = _align(ordered, before, marked)
            if leftwards:
                xs = _compact(ordered, root, lambda a, b: sep(b, a))
                drawings.append(({item: -v for item, v in xs.items()}, leftwards))
            else:
                drawings.append((_compact(ordered, root, sep), leftwards))
    items = [item for row in rows for item in row]
    if not items:
        return {}
    # Line the four up on the narrowest: the leftward ones by their right edge.
    extents = [(min(xs.values()), max(xs.values())) for xs, _ in drawings]
    low, high = min(extents, key=lambda e: e[1] - e[0])
    for (xs, leftwards), (lo, hi) in zip(drawings, extents, strict=True):
        delta = high - hi if leftwards else low - lo
        for item in xs:
            xs[item] += delta
    x: dict[T, float] = {}
    for item in items:
        four = sorted(xs[item] for xs, _ in drawings)
        x[item] = (four[1] + four[2]) / 2
    # Straight long edges each keep a column free in every row they pass; on a
    # dense map the columns push the drawing several times as wide as its widest
    # row.  Past ``max_spread``, squeeze it evenly (a straight run stays straight)
    # and let the last pass push apart what came too close.
    least = [sum(sep(a, b) for a, b in pairwise(row)) for row in rows]
    limit = max_spread * max(least) if max_spread is not None else None
    spread = max(x.values()) - min(x.values())
    if limit is not None and spread > limit > 0:
        low = min(x.values())
        for item in items:
            x[item] = low + (x[item] - low) * limit / spread
    _separate(rows, x, sep)
    return x
