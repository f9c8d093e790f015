"""How readable the HTML report's argument map is for the bundled demo.

Builds the demo database in a temporary folder, draws its map as the report
does, and measures the drawing: edge crossings as the layout counts them
(between adjacent rows, bend points included) and as drawn (pairs of edges
whose drawn lines cross, edges that share a claim left out), the drawing's
width x height, and overlapping pairs among the boxes and the edge labels
(label extents estimated as the report estimates text widths).
"""

from __future__ import annotations

import itertools
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from claimmap.cli.demo import build_demo
from claimmap.exporters.argument_svg import argument_section
from claimmap.services import exporting
from claimmap.services.argument_map import load_map
from claimmap.store import open_db

Box = tuple[float, float, float, float]  # left, top, right, bottom
Point = tuple[float, float]
LABEL_PX = 10.5
CURVE_STEPS = 12


def demo_section() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.db"
        build_demo(path)
        db = open_db(path)
        try:
            colors = {t.name: t.color for t in exporting.list_tags(db)}
            return argument_section(load_map(db), colors)
        finally:
            db.close()


def _text_px(text: str) -> float:
    import unicodedata

    return sum(
        LABEL_PX if unicodedata.east_asian_width(ch) in "WF" else LABEL_PX * 0.56 for ch in text
    )


def label_boxes(section: dict[str, Any]) -> list[Box]:
    """Edge labels drawn as text centred on (lx, ly), the baseline at ly."""
    boxes = []
    for e in section["edges"]:
        if not e.get("label"):
            continue
        half = _text_px(e["label"]) / 2
        boxes.append((e["lx"] - half, e["ly"] - LABEL_PX, e["lx"] + half, e["ly"] + 3))
    return boxes


def node_boxes(section: dict[str, Any]) -> list[Box]:
    w, h = section["node_w"], section["node_h"]
    return [(n["x"], n["y"], n["x"] + w, n["y"] + h) for n in section["nodes"]]


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def overlapping_pairs(boxes: Sequence[Box], others: Sequence[Box] | None = None) -> int:
    if others is None:
        return sum(_overlap(a, b) for a, b in itertools.combinations(boxes, 2))
    return sum(_overlap(a, b) for a in boxes for b in others)


def drawn_points(d: str) -> list[Point]:
    """The path's points: polylines as they are, cubic Béziers sampled."""
    tokens = re.findall(r"[MLC]|-?\d+(?:\.\d+)?", d)
    points: list[Point] = []
    command, numbers = "", list[float]()
    for tok in [*tokens, "M"]:
        if tok in "MLC":
            if command in "ML":
                points += [(numbers[k], numbers[k + 1]) for k in range(0, len(numbers), 2)]
            elif command == "C":
                for k in range(0, len(numbers), 6):
                    p0 = points[-1]
                    c1, c2, p3 = (
                        (numbers[k], numbers[k + 1]),
                        (numbers[k + 2], numbers[k + 3]),
                        (numbers[k + 4], numbers[k + 5]),
                    )
                    for step in range(1, CURVE_STEPS + 1):
                        t = step / CURVE_STEPS
                        a, b, c, e = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
                        points.append(
                            (
                                a * p0[0] + b * c1[0] + c * c2[0] + e * p3[0],
                                a * p0[1] + b * c1[1] + c * c2[1] + e * p3[1],
                            )
                        )
            command, numbers = tok, list[float]()
        else:
            numbers.append(float(tok))
    return points


def _cross(p: Point, q: Point, r: Point, s: Point) -> bool:
    def orient(a: Point, b: Point, c: Point) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = orient(p, q, r), orient(p, q, s)
    d3, d4 = orient(r, s, p), orient(r, s, q)
    return d1 * d2 < 0 and d3 * d4 < 0


def drawn_crossings(section: dict[str, Any]) -> int:
    """Pairs of edges, with no claim in common, whose drawn lines cross."""
    ends = [
        {int(x) for x in re.findall(r"#(\d+)", e["title"].split(":", 1)[0])}
        for e in section["edges"]
    ]
    lines = [list(itertools.pairwise(drawn_points(e["d"]))) for e in section["edges"]]
    total = 0
    for i, j in itertools.combinations(range(len(lines)), 2):
        if ends[i] & ends[j]:
            continue
        total += any(_cross(p, q, r, s) for p, q in lines[i] for r, s in lines[j])
    return total


def print_demo_figures() -> None:
    section = demo_section()
    labels, boxes = label_boxes(section), node_boxes(section)
    print(
        f"demo map: {section['shown']} claims, {len(section['edges'])} edges; "
        f"{section['width']:.0f} x {section['height']:.0f} px"
    )
    print(
        f"  crossings: {section['crossings']} counted by the layout, "
        f"{drawn_crossings(section)} edge pairs cross as drawn"
    )
    print(
        f"  overlaps: box/box {overlapping_pairs(boxes)}, label/box "
        f"{overlapping_pairs(labels, boxes)}, label/label {overlapping_pairs(labels)} "
        f"({len(labels)} edge labels)",
        flush=True,
    )
