"""The claim-level map as pure data: aggregation of span relations, and the walk."""

from __future__ import annotations

from claimmap.argument_graph import (
    ArgumentMap,
    ClaimNode,
    SpanRelation,
    Wording,
    build_map,
    explore,
    most_connected,
    subgraph,
)


def _node(claim: int, *spans: tuple[int, str]) -> ClaimNode:
    return ClaimNode(claim, None, "motive", tuple(Wording(s, a, f"quote {s}", 0) for s, a in spans))


def _chain_map() -> ArgumentMap:
    # Claims 1..4; span k belongs to claim k, span 10 is claim 1's second wording (paper b).
    nodes = [
        _node(1, (1, "a"), (10, "b")),
        _node(2, (2, "a")),
        _node(3, (3, "b")),
        _node(4, (4, "c")),
    ]
    span_claims = {1: 1, 10: 1, 2: 2, 3: 3, 4: 4}
    articles = {1: "a", 10: "b", 2: "a", 3: "b", 4: "c"}
    relations = [
        SpanRelation(1, 2, 1, "supports", "because"),
        SpanRelation(2, 3, 1, "attacks", None),
        SpanRelation(3, 3, 10, "attacks", "again"),
        SpanRelation(4, 4, 3, "supports", None),
        SpanRelation(5, 1, 4, "attacks", None),  # closes a cycle 4 -> 3 -> 1 -> 4
        SpanRelation(6, 10, 1, "supports", None),  # within claim 1
    ]
    return build_map(nodes, span_claims, relations, articles)


def test_span_relations_aggregate_into_one_edge_per_claim_pair_and_type() -> None:
    graph = _chain_map()
    edges = {(e.source, e.target, e.type): e for e in graph.edges}
    assert set(edges) == {
        (2, 1, "supports"),
        (3, 1, "attacks"),
        (4, 3, "supports"),
        (1, 4, "attacks"),
    }
    attack = edges[(3, 1, "attacks")]
    assert attack.count == 2
    assert attack.relations == (2, 3)
    assert attack.papers == ("b",)
    assert attack.notes == ("again",)
    assert graph.within_claim == 1
    assert graph.relation_count == 5


def test_a_node_shows_its_label_else_its_first_wording_and_its_papers() -> None:
    node = _node(1, (1, "a"), (10, "b"), (11, "a"))
    assert node.display == "quote 1"
    assert node.papers == ("a", "b")
    long = ClaimNode(2, None, None, (Wording(5, "a", "字" * 100, 0),))
    assert len(long.display) == 60 and long.display.endswith("…")
    assert ClaimNode(3, "Label", None, ()).display == "Label"


def test_explore_goes_level_by_level_both_ways_and_stops_at_cycles() -> None:
    graph = _chain_map()
    levels = explore(graph, 1, depth=5)
    assert [s.claim for s in levels[0]] == [1]
    first = {(s.claim, s.direction, s.edge.type if s.edge else None) for s in levels[1]}
    assert first == {(2, "in", "supports"), (3, "in", "attacks"), (4, "out", "attacks")}
    # Level 2: claim 4 supports 3; both were reached on level 1, so 4 is listed as
    # seen (not walked again), and the edge is shown once, not again from 4's side.
    assert [(s.parent, s.claim, s.direction, s.seen) for s in levels[2]] == [(3, 4, "in", True)]
    assert len(levels) == 3  # nothing new after level 2: the walk ends though depth is 5


def test_explore_respects_the_depth_and_unknown_roots() -> None:
    graph = _chain_map()
    assert len(explore(graph, 1, depth=1)) == 2
    assert explore(graph, 99, depth=3) == []
    lonely = build_map([_node(7, (7, "a"))], {7: 7}, [], {7: "a"})
    assert [[s.claim for s in level] for level in explore(lonely, 7, 3)] == [[7]]


def test_most_connected_and_subgraph() -> None:
    graph = _chain_map()
    assert most_connected(graph, 2) == [1, 3]
    small = subgraph(graph, [1, 3])
    assert set(small.nodes) == {1, 3}
    assert [(e.source, e.target) for e in small.edges] == [(3, 1)]
