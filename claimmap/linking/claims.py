"""Claims: connected components of spans joined by confirmed links (union-find)."""

from __future__ import annotations

from collections.abc import Iterable


def components(span_ids: Iterable[int], links: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Group spans into claims; a span with no confirmed link is a claim alone.

    Each claim is a sorted list of span ids; claims are ordered by their smallest
    id so the result is deterministic.  Links naming unknown spans add them.
    """
    parent: dict[int, int] = {s: s for s in span_ids}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            # Smaller root wins: keeps results independent of link order.
            if rb < ra:
                ra, rb = rb, ra
            parent[rb] = ra
    groups: dict[int, list[int]] = {}
    for s in parent:
        groups.setdefault(find(s), []).append(s)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])
