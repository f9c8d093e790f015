"""The order of the items in each row of a layered drawing: few crossings.

Each row is sorted by the barycentre of its neighbours in the row above, then
below, sweeping down and up (Sugiyama, Tagawa and Toda 1981); after each sweep,
neighbours in a row swap places while that removes crossings (the *transpose*
step of Gansner et al. 1993, which fixes what a barycentre leaves, such as ties).
The order that crosses least over all sweeps, from two starts (the given order
and a depth-first walk), wins.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Mapping, Sequence

SWEEPS = 16
TRANSPOSE_PASSES = 12
TRANSPOSE_EVERY_SWEEP_LINKS = 400


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
        # In (upper, lower) order, a link crosses each earlier one whose lower end
        # lies further right: count those by bisection, not pair by pair (dense
        # maps have thousands of links between two rows).
        pairs.sort()
        seen: list[int] = []
        for _a, b in pairs:
            total += len(seen) - bisect_right(seen, b)
            insort(seen, b)
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


def _transpose(
    rows: list[list[object]], up: Mapping[object, list[object]], down: Mapping[object, list[object]]
) -> None:
    """Swap neighbours in a row while that crosses less with the rows above and below.

    Each swap lowers the total, so this ends; the passes are capped all the same.
    A row is looked at again only when it or a row beside it changed: otherwise
    it would find what it found last time, nothing."""
    dirty = set(range(len(rows)))
    for _ in range(TRANSPOSE_PASSES):
        if not dirty:
            return
        for r, row in enumerate(rows):
            if r not in dirty:
                continue
            dirty.discard(r)
            # Each item's neighbours as sorted positions in the rows above and below
            # (fixed while this row changes): crossings between two items' edges are
            # then pairs (a, b) with a > b, counted by bisection.
            ends: dict[object, list[list[int]]] = {item: [] for item in row}
            for other, neighbours in ((r - 1, up), (r + 1, down)):
                if not 0 <= other < len(rows):
                    continue
                pos = {item: k for k, item in enumerate(rows[other])}
                for item in row:
                    ends[item].append(sorted(pos[n] for n in neighbours.get(item, [])))
            for k in range(len(row) - 1):
                u, v = row[k], row[k + 1]
                now = swapped = 0
                for us, vs in zip(ends[u], ends[v], strict=True):
                    now += sum(bisect_left(vs, a) for a in us)
                    swapped += sum(bisect_left(us, b) for b in vs)
                if swapped < now:
                    row[k], row[k + 1] = v, u
                    dirty.update(n for n in (r - 1, r, r + 1) if 0 <= n < len(rows))


def _sweeps(
    rows: list[list[object]], up: dict[object, list[object]], down: dict[object, list[object]]
) -> list[list[object]]:
    links = [(a, b) for a, bs in down.items() for b in bs]
    # Transposing after every sweep finds more, but costs a pass over every row
    # each time: on a dense map only the best order is transposed.
    every_sweep = len(links) <= TRANSPOSE_EVERY_SWEEP_LINKS
    best = [list(r) for r in rows]
    best_cross = count_crossings(best, links)
    for sweep in range(SWEEPS):
        going_down = sweep % 2 == 0
        indices = range(1, len(rows)) if going_down else range(len(rows) - 2, -1, -1)
        for r in indices:
            fixed = rows[r - 1] if going_down else rows[r + 1]
            rows[r] = _by_barycentre(rows[r], fixed, up if going_down else down)
        if every_sweep:
            _transpose(rows, up, down)
        crossings = count_crossings(rows, links)
        if crossings < best_cross:
            best, best_cross = [list(r) for r in rows], crossings
    if not every_sweep:
        _transpose(best, up, down)
    return best


def _walked(
    rows: Sequence[Sequence[object]],
    up: Mapping[object, list[object]],
    down: Mapping[object, list[object]],
) -> list[list[object]]:
    """``rows`` in the order a depth-first walk along the edges first meets each item."""
    seen: dict[object, int] = {}
    for start in (item for row in rows for item in row):
        stack = [start]
        while stack:
            item = stack.pop()
            if item not in seen:
                seen[item] = len(seen)
                stack.extend(reversed([*up.get(item, []), *down.get(item, [])]))
    return [sorted(row, key=seen.__getitem__) for row in rows]


def order_rows(
    rows: list[list[object]], up: dict[object, list[object]], down: dict[object, list[object]]
) -> list[list[object]]:
    """``rows`` reordered; ``up``/``down``: each item's neighbours in the row above/below.

    Sweeps from the given order can settle where another start does better, so
    they also start from a depth-first walk (neighbours next to each other); the
    order that crosses least wins, the given start on a tie."""
    links = [(a, b) for a, bs in down.items() for b in bs]
    starts = [[list(r) for r in rows], _walked(rows, up, down)]
    return min(
        (_sweeps(start, up, down) for start in starts), key=lambda o: count_crossings(o, links)
    )
