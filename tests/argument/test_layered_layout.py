"""The layered layout: targets above sources, long edges bent through layers, few crossings."""

from __future__ import annotations

import itertools
import random

from claimmap.exporters.layered_layout import count_crossings, layered_layout


def test_targets_sit_above_what_points_at_them() -> None:
    layout = layered_layout(["top", "mid", "low"], [("mid", "top"), ("low", "mid")])
    assert layout.layers == [["top"], ["mid"], ["low"]]
    ys = {n: y for n, (_x, y) in layout.positions.items()}
    assert ys["top"] < ys["mid"] < ys["low"]


def test_a_long_edge_bends_through_every_layer_it_crosses() -> None:
    edges = [("b", "a"), ("c", "b"), ("c", "a")]
    layout = layered_layout(["a", "b", "c"], edges)
    assert [len(p) for p in layout.paths] == [2, 2, 3]
    path = layout.paths[2]
    assert path[0] == layout.positions["c"] and path[-1] == layout.positions["a"]


def test_barycentre_ordering_removes_the_crossings_of_the_input_order() -> None:
    # Input order crosses: a1's children are listed last, a2's first.
    nodes = ["a1", "a2", "x2", "y2", "x1", "y1"]
    edges = [("x1", "a1"), ("y1", "a1"), ("x2", "a2"), ("y2", "a2")]
    assert (
        count_crossings([["a1", "a2"], ["x2", "y2", "x1", "y1"]], [(a, b) for b, a in edges]) == 4
    )
    layout = layered_layout(nodes, edges)
    assert layout.crossings == 0
    row = layout.layers[1]
    assert {row.index("x1"), row.index("y1")} == {0, 1}


def test_cycles_are_laid_out_and_every_edge_keeps_its_direction() -> None:
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("a", "a")]
    layout = layered_layout(["a", "b", "c"], edges)
    assert sorted(n for row in layout.layers for n in row) == ["a", "b", "c"]
    for (source, target), path in zip(edges[:3], layout.paths[:3], strict=True):
        assert path[0] == layout.positions[source]
        assert path[-1] == layout.positions[target]
    assert layout.paths[3] == [layout.positions["a"]]  # a loop: nothing to draw


def test_nodes_do_not_overlap_and_fit_the_canvas() -> None:
    nodes = [f"n{k}" for k in range(30)]
    edges = [(f"n{k}", f"n{k // 3}") for k in range(1, 30)]
    layout = layered_layout(nodes, edges, node_width=100, node_height=40)
    for row in layout.layers:
        xs = sorted(layout.positions[n][0] for n in row)
        assert all(b - a >= 100 for a, b in itertools.pairwise(xs))
        assert len({layout.positions[n][1] for n in row}) == 1
    for x, y in layout.positions.values():
        assert x - 50 >= 0 and x + 50 <= layout.width
        assert y - 20 >= 0 and y + 20 <= layout.height
    assert layered_layout([], []).width == 0


def test_barycentre_sweeps_reduce_crossings_on_random_graphs() -> None:
    """Between adjacent layers (edges joining consecutive layers, where the count is
    exact either way), the sweeps cross less than the input order on most graphs."""
    import random

    rng = random.Random(5)
    improved = 0
    for _ in range(30):
        nodes = list(range(25))
        edges = sorted({(rng.randrange(25), rng.randrange(25)) for _ in range(40)})
        layout = layered_layout(nodes, edges)
        assert layered_layout(nodes, edges) == layout  # deterministic
        where = {n: r for r, row in enumerate(layout.layers) for n in row}
        short = [(a, b) for a, b in edges if abs(where[a] - where[b]) == 1]
        in_input_order = [sorted(row) for row in layout.layers]
        improved += count_crossings(layout.layers, short) < count_crossings(in_input_order, short)
    assert improved >= 15


def test_a_wide_layer_is_dealt_into_rows_and_edges_still_point_up() -> None:
    supporters = [f"s{k}" for k in range(20)]
    edges = [(s, "hub") for s in supporters]
    layout = layered_layout(["hub", *supporters], edges, max_per_row=8)
    # Dealt round-robin into as few rows as fit: the rows interleave like bricks.
    assert [len(row) for row in layout.layers] == [1, 7, 7, 6]
    assert layout.layers[1][:2] == ["s0", "s3"] and layout.layers[2][:2] == ["s1", "s4"]
    for (source, target), path in zip(edges, layout.paths, strict=True):
        assert layout.positions[source][1] > layout.positions[target][1]
        assert path[-1] == layout.positions[target]
    wide = layered_layout(["hub", *supporters], edges)
    assert layout.width < wide.width / 2


def test_bend_points_take_little_room() -> None:
    # Long edges from "far" to the top layer pass the two middle rows beside a box:
    # their straight runs make those rows no wider than the rows of boxes.
    nodes = ["t1", "t2", "t3", "t4", "m1", "m2", "far"]
    edges = [("m1", "t1"), ("m2", "m1"), ("far", "m2"), ("far", "t2"), ("far", "t3"), ("far", "t4")]
    layout = layered_layout(nodes, edges, node_width=100, gap_x=10)
    boxes_only = max(len(row) for row in layout.layers) * 110 - 10
    assert layout.width <= boxes_only + 2 * (8 + 8)


def test_swapping_neighbours_removes_what_the_barycentres_leave() -> None:
    # Barycentres put n6 (one edge, to n2) between n5 and n4, crossing n4's edge to
    # n3; swapping n2/n3 and n4/n6 (the transpose step) leaves no crossing.
    nodes = [f"n{k}" for k in range(8)]
    edges = [("n4", "n0"), ("n4", "n3"), ("n5", "n0"), ("n5", "n1"), ("n6", "n2"), ("n7", "n6")]
    layout = layered_layout(nodes, edges)
    assert layout.crossings == 0
    assert layout.layers == [["n1", "n0", "n3", "n2"], ["n5", "n4", "n6"], ["n7"]]


def test_a_claim_supported_only_from_below_sits_next_to_its_supporter() -> None:
    # Longest path would put "x" on the top layer with a long edge from "low".
    layout = layered_layout(["top", "m", "low", "x"], [("m", "top"), ("low", "m"), ("low", "x")])
    assert layout.layers == [["top"], ["m", "x"], ["low"]]
    assert all(len(path) == 2 for path in layout.paths)


def test_a_start_from_a_depth_first_walk_untangles_what_the_input_order_keeps() -> None:
    # A zigzag n2 <- n7 -> n5 <- n6 -> n3 <- n4, listed out of order: sweeps and
    # swaps from the input order keep two crossings; from a walk along it, none.
    nodes = [f"n{k}" for k in range(8)]
    edges = [("n1", "n0"), ("n4", "n3"), ("n6", "n3"), ("n6", "n5"), ("n7", "n2"), ("n7", "n5")]
    layout = layered_layout(nodes, edges)
    assert layout.crossings == 0
    assert layout.layers == [["n0", "n2", "n5", "n3"], ["n1", "n7", "n6", "n4"]]


def test_a_dense_map_spreads_at_most_twice_its_widest_row() -> None:
    # Hundreds of long edges, each straight in a column of its own, would make this
    # several times as wide as its widest row (10,500 px against 4,244 here); it is
    # squeezed to twice that, and pushing apart what came too close adds a little.
    rng = random.Random(3)
    nodes = list(range(60))
    edges = sorted({(a, b) for a, b in (rng.sample(nodes, 2) for _ in range(540))})
    layout = layered_layout(nodes, edges, node_width=220, gap_x=36, max_per_row=8)
    boxes = {(round(x, 6), round(y, 6)) for x, y in layout.positions.values()}
    rows: dict[float, list[tuple[float, bool]]] = {}
    for x, y in boxes:
        rows.setdefault(y, []).append((x, True))
    for path in layout.paths:
        for x, y in path[1:-1]:
            rows.setdefault(round(y, 6), []).append((round(x, 6), False))
    least = 0.0
    for items in rows.values():
        items.sort()
        for (xa, box_a), (xb, box_b) in itertools.pairwise(items):
            if box_a and box_b:
                assert xb - xa >= 256 - 1e-6  # boxes never overlap
        span = sum(
            (220 if a else 8) / 2 + (220 if b else 8) / 2 + (36 if a and b else 8)
            for (_, a), (_, b) in itertools.pairwise(items)
        )
        least = max(least, span)
    xs = [x for items in rows.values() for x, _ in items]
    assert max(xs) - min(xs) <= 2.1 * least
