"""The claim-level argument map drawn for the HTML report: boxes and arrows on a layered layout.

Only claims that take part in a relation are drawn, and at most ``MAX_CLAIMS``
of them (around the most connected, see ``neighbourhood``), at most
``MAX_PER_ROW`` side by side, so that a large corpus still gives a map that
reads; the note says how many were left out, and the Argdown, AIF and DOT
exports carry the whole map.  Each connected group of claims is laid out on its
own and the groups are packed in rows (``component_packing``); edges are curves
between ports on the boxes' sides (``edge_curves``), with no text label.
Returns plain numbers and strings: the report's template escapes every piece of
text when it writes the SVG."""

from __future__ import annotations

import heapq
from typing import Any

from claimmap.argument_graph import ArgumentMap, most_connected, subgraph
from claimmap.exporters.component_packing import packed_layout
from claimmap.exporters.edge_curves import attach, curve
from claimmap.exporters.label_width import char_px
from claimmap.textprep.line_breaking import line_breaks

MAX_CLAIMS = 60
MAX_PER_ROW = 8
NODE_W = 220.0
NODE_H = 66.0
GAP_X = 36.0
GAP_Y = 84.0
MARGIN = 16.0
LINE_PX = NODE_W - 16
EDGE_COLORS = {"supports": "#2e7d32", "attacks": "#c62828"}
NO_TAG_COLOR = "#888888"
EDGE_WIDTH = 1.6
EDGE_WIDTH_STEP = 0.9
TITLE_PX = 240.0
# Unrelated parts of the map are packed side by side up to about this width.
TARGET_WIDTH = 1400.0
COMPONENT_GAP = 56.0


def wrap(text: str, max_px: float = LINE_PX, lines: int = 2) -> list[str]:
    """``text`` on at most ``lines`` lines of ``max_px``, broken where UAX #14 allows
    (between words, never before ，。 or inside a number; as the app wraps); a word
    wider than a line is cut, and an ellipsis ends a text that does not fit."""
    flat = " ".join(text.split())
    breaks = line_breaks(flat)
    out: list[str] = []
    start = 0
    while start < len(flat):
        width, end, last_break = 0.0, start, 0
        while end < len(flat) and width + char_px(flat[end]) <= max_px:
            width += char_px(flat[end])
            end += 1
            if breaks[end]:
                last_break = end
        if len(out) == lines - 1 and end < len(flat):
            # The last line: as much as fits beside the ellipsis.
            while end > start and width + char_px("…") > max_px:
                end -= 1
                width -= char_px(flat[end])
            out.append(flat[start:end].rstrip() + "…")
            return out
        cut = end if end == len(flat) or last_break <= start else last_break
        out.append(flat[start:cut].rstrip())
        start = cut
        while start < len(flat) and flat[start] == " ":
            start += 1
    return out or [""]


def neighbourhood(graph: ArgumentMap, ranked: list[int], limit: int) -> list[int]:
    """At most ``limit`` claims that hang together: from the most connected claim,
    grow best connected first along the relations; when that part of the map is
    drawn whole, start again from the most connected claim not drawn yet.

    The ``limit`` most connected claims of a large corpus are mostly not related to
    each other, and would be drawn as a row of boxes without arrows.
    """
    chosen: list[int] = []
    taken: set[int] = set()
    for seed in ranked:
        if len(chosen) >= limit:
            break
        if seed in taken:
            continue
        frontier = [(-graph.degree(seed), seed)]
        while frontier and len(chosen) < limit:
            _degree, claim = heapq.heappop(frontier)
            if claim in taken:
                continue
            taken.add(claim)
            chosen.append(claim)
            for edge in graph.outgoing(claim) + graph.incoming(claim):
                other = edge.target if edge.source == claim else edge.source
                if other not in taken:
                    heapq.heappush(frontier, (-graph.degree(other), other))
    return chosen


def argument_section(graph: ArgumentMap, colors: dict[str, str]) -> dict[str, Any]:
    """What the report's template needs to draw the map (``colors``: tag -> #rrggbb)."""
    related = most_connected(graph, len(graph.nodes))
    shown = subgraph(graph, sorted(neighbourhood(graph, related, MAX_CLAIMS)))
    order = sorted(shown.nodes)
    pairs = [(e.source, e.target) for e in shown.edges]
    layout = packed_layout(
        order,
        pairs,
        target_width=TARGET_WIDTH,
        gap=COMPONENT_GAP,
        node_width=NODE_W,
        node_height=NODE_H,
        gap_x=GAP_X,
        gap_y=GAP_Y,
        max_per_row=MAX_PER_ROW,
    )
    nodes = []
    for claim_id in order:
        node = shown.nodes[claim_id]
        cx, cy = layout.positions[claim_id]
        papers = ", ".join(node.papers)
        nodes.append(
            {
                "x": round(MARGIN + cx - NODE_W / 2, 1),
                "y": round(MARGIN + cy - NODE_H / 2, 1),
                "lines": wrap(node.display),
                "meta": wrap(f"#{claim_id} · {node.tag or 'no code'} · {papers}", lines=1)[0],
                "color": colors.get(node.tag or "", NO_TAG_COLOR),
                "title": f"#{claim_id} {node.display}\n{node.tag or 'no code'}; stated by {papers}",
            }
        )
    # No text label on the edges: where edges meet, labels landed on each other.
    # Colour and dash say the type (the note above the map explains them), the
    # width how many relations, and each edge's title says all of it on hover.
    routes = attach(layout.paths, pairs, layout.positions, NODE_W, NODE_H)
    edges = []
    for edge, route in zip(shown.edges, routes, strict=True):
        source, target = shown.nodes[edge.source], shown.nodes[edge.target]
        edges.append(
            {
                "d": curve([(MARGIN + x, MARGIN + y) for x, y in route]),
                "color": EDGE_COLORS[edge.type],
                "type": edge.type,
                "width": EDGE_WIDTH + EDGE_WIDTH_STEP * (min(edge.count, 3) - 1),
                "title": f"#{edge.source} {edge.type} #{edge.target}: "
                f"{wrap(source.display, TITLE_PX, 1)[0]} → {wrap(target.display, TITLE_PX, 1)[0]}\n"
                f"{edge.count} relation(s), asserted by {', '.join(edge.papers)}"
                + (f"\n{'; '.join(edge.notes)}" if edge.notes else ""),
            }
        )
    return {
        "nodes": nodes,
        "edges": edges,
        "width": round(layout.width + 2 * MARGIN, 1),
        "height": round(layout.height + 2 * MARGIN, 1),
        "node_w": NODE_W,
        "node_h": NODE_H,
        "shown": len(order),
        "related": len(related),
        "claims": len(graph.nodes),
        "relations": graph.relation_count,
        "claim_relations": len(graph.edges),
        "cut": len(related) - len(order),
        "crossings": layout.crossings,
    }
