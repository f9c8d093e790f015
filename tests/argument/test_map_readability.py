"""The report's argument map reads: parts apart, long edges straight, curves, no label piles."""

from __future__ import annotations

import itertools
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from claimmap.argument_graph import ArgumentMap, ClaimNode, SpanRelation, Wording, build_map
from claimmap.exporters.argument_svg import argument_section
from claimmap.exporters.layered_layout import layered_layout
from tests.argument.corpus import ArgumentCorpus
from tests.conftest import RunCli

Box = tuple[float, float, float, float]
CURVE = re.compile(r"M -?[\d.]+ -?[\d.]+( C( -?[\d.]+){6})+")


def _graph(relations: list[tuple[int, int, str]]) -> ArgumentMap:
    ids = sorted({c for s, t, _ in relations for c in (s, t)})
    nodes = [ClaimNode(k, None, "motive", (Wording(k, "a", f"claim {k}", 0),)) for k in ids]
    rels = [SpanRelation(1000 + i, s, t, kind, None) for i, (s, t, kind) in enumerate(relations)]
    return build_map(nodes, {k: k for k in ids}, rels, dict.fromkeys(ids, "a"))


def _several_parts() -> ArgumentMap:
    """Four separate parts, each with edges that skip a layer."""
    relations: list[tuple[int, int, str]] = []
    for base in (0, 10, 20, 30):
        a, b, c, d = base + 1, base + 2, base + 3, base + 4
        relations += [(b, a, "supports"), (c, b, "attacks"), (c, a, "supports"), (d, a, "attacks")]
    return _graph(relations)


def _random_graph(seed: int, claims: int = 40, relations: int = 45) -> ArgumentMap:
    rng = random.Random(seed)
    pairs: set[tuple[int, int, str]] = set()
    while len(pairs) < relations:
        s, t = rng.sample(range(1, claims + 1), 2)
        pairs.add((s, t, rng.choice(["supports", "attacks"])))
    return _graph(sorted(pairs))


def _points(d: str) -> list[tuple[float, float]]:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return list(itertools.pairwise(numbers))[::2]


def _boxes(section: dict[str, Any]) -> dict[int, Box]:
    w, h = section["node_w"], section["node_h"]
    return {
        int(n["meta"].split(" ", 1)[0][1:]): (n["x"], n["y"], n["x"] + w, n["y"] + h)
        for n in section["nodes"]
    }


def _ends(edge: dict[str, Any]) -> tuple[int, int]:
    source, target = re.findall(r"#(\d+)", edge["title"].split(":", 1)[0])
    return int(source), int(target)


def _meets(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_unrelated_parts_are_drawn_apart() -> None:
    section = argument_section(_several_parts(), {})
    boxes = _boxes(section)
    part_box = {}
    for base in (0, 10, 20, 30):
        mine = [boxes[base + k] for k in (1, 2, 3, 4)]
        part_box[base] = (
            min(b[0] for b in mine),
            min(b[1] for b in mine),
            max(b[2] for b in mine),
            max(b[3] for b in mine),
        )
    for a, b in itertools.combinations(part_box.values(), 2):
        assert not _meets(a, b)
    for edge in section["edges"]:
        points = _points(edge["d"])
        xs, ys = [x for x, _ in points], [y for _, y in points]
        extent = (min(xs), min(ys), max(xs) + 0.1, max(ys) + 0.1)
        base = _ends(edge)[0] // 10 * 10
        for other, box in part_box.items():
            if other != base:
                assert not _meets(extent, box), (edge["title"], other)


def test_no_two_boxes_overlap_on_random_maps() -> None:
    for seed in range(6):
        section = argument_section(_random_graph(seed), {})
        for a, b in itertools.combinations(_boxes(section).values(), 2):
            assert not _meets(a, b)
        for x0, y0, x1, y1 in _boxes(section).values():
            assert x0 >= 0 and y0 >= 0
            assert x1 <= section["width"] and y1 <= section["height"]


def test_long_edges_run_straight_down() -> None:
    # A spine t <- m1 <- m2 <- far, edges from far and m2 that skip layers, and a
    # few neighbours beside them: every bend point of a long edge at one x.
    nodes = ["t", "u", "m1", "n1", "m2", "n2", "far"]
    edges = [
        ("m1", "t"),
        ("n1", "u"),
        ("m2", "m1"),
        ("n2", "n1"),
        ("far", "m2"),
        ("far", "t"),
        ("far", "u"),
        ("m2", "u"),
    ]
    layout = layered_layout(nodes, edges, node_width=100, gap_x=20)
    long = [path for path in layout.paths if len(path) > 3]
    assert len(long) >= 2
    for path in long:
        assert len({x for x, _y in path[1:-1]}) == 1, path


def test_most_long_edges_run_straight_on_random_maps() -> None:
    straight = bent = 0
    for seed in range(8):
        rng = random.Random(seed)
        nodes = list(range(30))
        edges = sorted({(rng.randrange(30), rng.randrange(30)) for _ in range(36)})
        layout = layered_layout(nodes, edges, max_per_row=6)
        for path in layout.paths:
            if len(path) > 3:
                if len({round(x, 6) for x, _y in path[1:-1]}) == 1:
                    straight += 1
                else:
                    bent += 1
    assert straight > 3 * bent


def _sampled(d: str, steps: int = 16) -> list[tuple[float, float]]:
    """Points along a path of cubic pieces (``M p C c1 c2 p ...``)."""
    points = _points(d)
    out = [points[0]]
    for k in range(1, len(points) - 2, 3):
        p0, c1, c2, p3 = points[k - 1], points[k], points[k + 1], points[k + 2]
        for i in range(1, steps + 1):
            t = i / steps
            w = ((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3)
            out.append(
                (
                    sum(wk * p[0] for wk, p in zip(w, (p0, c1, c2, p3), strict=True)),
                    sum(wk * p[1] for wk, p in zip(w, (p0, c1, c2, p3), strict=True)),
                )
            )
    return out


def test_no_edge_runs_through_a_box_other_than_its_own_two() -> None:
    for seed in range(4):
        section = argument_section(_random_graph(seed), {})
        boxes = _boxes(section)
        for edge in section["edges"]:
            mine = set(_ends(edge))
            for x, y in _sampled(edge["d"]):
                for claim, (x0, y0, x1, y1) in boxes.items():
                    inside = x0 + 1 < x < x1 - 1 and y0 + 1 < y < y1 - 1
                    assert claim in mine or not inside, (seed, edge["title"], claim)


def test_edges_are_curves_that_end_on_the_target_box_with_a_title() -> None:
    section = argument_section(_several_parts(), {})
    boxes = _boxes(section)
    assert section["edges"]
    for edge in section["edges"]:
        assert CURVE.fullmatch(edge["d"]), edge["d"]
        assert "label" not in edge
        source, target = _ends(edge)
        assert re.match(
            rf"#{source} (supports|attacks) #{target}: claim {source} → claim ", edge["title"]
        )
        (sx, sy), (tx, ty) = _points(edge["d"])[0], _points(edge["d"])[-1]
        for (x, y), (x0, y0, x1, y1) in (((sx, sy), boxes[source]), ((tx, ty), boxes[target])):
            assert x0 < x < x1 and y in (y0, y1)


def test_the_report_svg_is_xml_has_no_edge_labels_and_is_byte_stable(
    argument_corpus: ArgumentCorpus, cli: RunCli, tmp_path: Path
) -> None:
    pages = []
    for name in ("one.html", "two.html"):
        made = cli("export", "matrix", "--format", "html", "-o", str(tmp_path / name))
        assert made.code == 0, made.err
        pages.append((tmp_path / name).read_bytes())
    assert pages[0] == pages[1]
    page = pages[0].decode("utf-8")
    svg = page.split("<h2>Argument map</h2>", 1)[1].split("<svg", 1)[1].split("</svg>", 1)[0]
    root = ET.fromstring("<svg" + svg + "</svg>")
    ns = "{http://www.w3.org/2000/svg}"
    edges = [p for p in root.iter(f"{ns}path") if p.get("marker-end")]
    assert len(edges) == 5
    assert all(p.find(f"{ns}title") is not None for p in edges)
    # Each edge again, wide and unpainted, so that hovering near it shows the title.
    hover = [p for p in root.iter(f"{ns}path") if p.get("stroke") == "transparent"]
    assert [(p.get("d"), p.findtext(f"{ns}title")) for p in hover] == [
        (p.get("d"), p.findtext(f"{ns}title")) for p in edges
    ]
    assert all(float(p.get("stroke-width", "0")) >= 10 for p in hover)
    texts = [t.text or "" for t in root.iter(f"{ns}text")]
    assert not [t for t in texts if t.startswith(("supports", "attacks"))]
