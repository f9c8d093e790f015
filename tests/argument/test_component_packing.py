"""Components of the map laid out on their own and packed in shelves, largest first."""

from __future__ import annotations

import itertools

from claimmap.exporters.component_packing import connected_components, packed_layout


def test_components_keep_input_order_within_and_between() -> None:
    nodes = ["a", "x", "b", "y", "lone"]
    edges = [("b", "a"), ("y", "x")]
    assert connected_components(nodes, edges) == [["a", "b"], ["x", "y"], ["lone"]]


def test_parts_are_packed_largest_first_in_rows_no_wider_than_the_target() -> None:
    # A star of 6 around "hub", then four pairs: with room for about three boxes a
    # row, the star comes first, top left, and the pairs fill rows below it.
    star = [(f"s{k}", "hub") for k in range(3)]
    pairs = [(f"p{k}", f"q{k}") for k in range(4)]
    nodes = [n for e in pairs for n in e] + ["hub"] + [s for s, _ in star]
    layout = packed_layout(
        nodes, pairs + star, target_width=560, gap=40, node_width=100, gap_x=20, gap_y=50
    )
    first = sorted(layout.components, key=lambda c: (c[1][1], c[1][0]))[0][1]
    assert first[:2] == (0.0, 0.0)
    assert sorted(map(len, (members for members, _ in layout.components))) == [2, 2, 2, 2, 4]
    hub_part = next(box for members, box in layout.components if "hub" in members)
    assert hub_part == first
    for _members, (_x0, _y0, x1, _y1) in layout.components:
        assert x1 <= 560
    for (_, a), (_, b) in itertools.combinations(layout.components, 2):
        assert a[2] + 40 <= b[0] or b[2] + 40 <= a[0] or a[3] + 40 <= b[1] or b[3] + 40 <= a[1]
    assert layout.width <= 560 and layout.height == max(box[3] for _, box in layout.components)
    for (source, target), path in zip(pairs + star, layout.paths, strict=True):
        assert path[0] == layout.positions[source] and path[-1] == layout.positions[target]


def test_a_part_wider_than_the_target_gets_a_row_of_its_own() -> None:
    wide = [(f"s{k}", "hub") for k in range(5)]
    nodes = ["hub", *(s for s, _ in wide), "a", "b"]
    layout = packed_layout(nodes, [*wide, ("a", "b")], target_width=300, node_width=100)
    boxes = sorted(box for _, box in layout.components)
    assert boxes[0][2] > 300 and boxes[1][1] >= boxes[0][3]
    assert layout.width == boxes[0][2]
