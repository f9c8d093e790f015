"""Edges of a layered drawing as smooth curves between the sides of the boxes.

Every edge that meets a box at its centre ends on the same point: arrowheads
pile up and parallel edges lie on one line.  Here the edges that leave or
enter one side of a box get their own points (ports) along it, in the left to
right order of where they go, so that they fan out without crossing each
other there.  Each route is then drawn as cubic Béziers whose control points
sit halfway between consecutive route points, straight above and below them:
every piece leaves and arrives vertically, so the curve is smooth at each bend
point and a straight run of bend points stays a straight line.  A bend point
becomes a vertical run through its row's band of boxes, so the curves turn
only in the gaps between rows, where they cannot cross a box.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from itertools import pairwise
from typing import TypeVar

N = TypeVar("N", bound=Hashable)
Point = tuple[float, float]
PORT_STEP = 26.0
PORT_INSET = 24.0


def attach(
    paths: Sequence[Sequence[Point]],
    ends: Sequence[tuple[N, N]],
    positions: Mapping[N, Point],
    box_width: float,
    box_height: float,
) -> list[list[Point]]:
    """Each route (source centre, bend points, target centre) moved to start and end
    on the side of its boxes that faces the next point, at a port of its own."""
    # (node, side) -> [(x of the point the edge heads for, edge, which end)]
    sides: dict[tuple[N, int], list[tuple[float, int, int]]] = defaultdict(list)
    for k, (path, (source, target)) in enumerate(zip(paths, ends, strict=True)):
        if len(path) < 2:
            continue
        for end, node, here, there in (
            (0, source, path[0], path[1]),
            (1, target, path[-1], path[-2]),
        ):
            side = 1 if there[1] > here[1] else -1  # 1: the box's bottom, -1: its top
            sides[node, side].append((there[0], k, end))
    port: dict[tuple[int, int], Point] = {}
    for (node, side), users in sides.items():
        users.sort()
        x, y = positions[node]
        step = PORT_STEP
        if len(users) > 1:
            step = min(PORT_STEP, (box_width - 2 * PORT_INSET) / (len(users) - 1))
        for i, (_x, k, end) in enumerate(users):
            port[k, end] = (x + (i - (len(users) - 1) / 2) * step, y + side * box_height / 2)
    routes: list[list[Point]] = []
    for k, path in enumerate(paths):
        if len(path) < 2:
            routes.append(list(path))
            continue
        route = [port[k, 0]]
        # Through the band of boxes a bend point sits in, straight up or down: the
        # curves then bend only in the gaps between bands, where no box is.
        for (_px, py), (x, y) in pairwise(path[:-1]):
            half = box_height / 2 if y > py else -box_height / 2
            route += [(x, y - half), (x, y + half)]
        routes.append([*route, port[k, 1]])
    return routes


def curve(points: Sequence[Point]) -> str:
    """SVG path data through ``points``: one cubic piece per pair, vertical at both ends."""
    if not points:
        return ""
    d = [f"M {points[0][0]:.1f} {points[0][1]:.1f}"]
    for (x0, y0), (x1, y1) in pairwise(points):
        mid = (y0 + y1) / 2
        d.append(f"C {x0:.1f} {mid:.1f} {x1:.1f} {mid:.1f} {x1:.1f} {y1:.1f}")
    return " ".join(d)
