"""The order of the items in each row of a layered drawing: few crossings.

Each row is sorted by the barycentre of its neighbours in the row above, then
below, sweeping down and up (Sugiyama, Tagawa and Toda 1981); after each sweep,
neighbours in a row swap places while that removes crossings (the *transpose*
step of Gansner et al. 1993, which fixes what a barycentre leaves, such as ties).
The order that crosses least over all sweeps, from two starts (the given order
and a depth-first walk), wins.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

SWEEPS = 16
TRANSPOSE_PASSES = 12


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


def _pair_crossings(
    u: object, v: object, neighbours: Mapping[object, list[object]], pos: Mapping[object, int]
) -> int:
    """Crossings between the edges of ``u`` and ``v`` (``u`` left of ``v``) to one row."""
    return sum(1 for a in neighbours.get(u, []) for b in neighbours.get(v, []) if pos[a] > pos[b])


def _transpose(
    rows: list[list[object]], up: Mapping[object, list[object]], down: Mapping[object, list[object]]
) -> None:
    """Swap neighbours in a row while that crosses less with the rows above and below.

    Each swap lowers the total, so this ends; the passes are capped all the same."""
    for _ in range(TRANSPOSE_PASSES):
        improved = False
        for r, row in enumerate(rows):
            above = {item: k for k, item in enumerate(rows[r - 1])} if r > 0 else {}
            below = {item: k for k, item in enumerate(rows[r + 1])} if r + 1 < len(rows) else {}
            for k in range(len(row) - 1):
                u, v = row[k], row[k + 1]
                now = _pair_crossings(u, v, up, above) + _pair_crossings(u, v, down, below)
                swapped = _pair_crossings(v, u, up, above) + _pair_crossings(v, u, down, below)
                if swapped < now:
                    row[k], row[k + 1] = v, u
                    improved = True
        if not improved:
            return


def _sweeps(
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
        _transpose(rows, up, down)
        crossings = count_crossings(rows, links)
        if crossings < best_cross:
            best, best_cross = [list(r) for r in rows], crossings
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
