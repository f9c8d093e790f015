"""The argument map as a Graphviz DOT digraph, for people who draw with their own tools.

Every identifier is a number and every label a double-quoted string: inside one,
DOT gives meaning to ``\\"``, and Graphviz labels to backslash escapes such as
``\\n``, so backslashes are doubled, quotes escaped and line breaks folded; anything else
(CJK included) passes through as UTF-8, which the graph declares.
"""

from __future__ import annotations

from claimmap.argument_graph import ArgumentMap, shorten

COLORS = {"supports": "#2e7d32", "attacks": "#c62828"}
LABEL_CHARS = 60


def quoted(text: str) -> str:
    """A DOT double-quoted string holding ``text`` on one line."""
    flat = " ".join(text.split())
    body = flat.replace("\\", "\\\\").replace('"', '\\"')
    # Graphviz's scanner reads a backslash before a quote as an escaped quote even
    # when that backslash is itself escaped, so a label must not end in one.
    if body.endswith("\\"):
        body += " "
    return '"' + body + '"'


def render_dot(graph: ArgumentMap) -> str:
    out = [
        "digraph claimmap {",
        '  graph [charset="UTF-8", rankdir=BT];',
        '  node [shape=box, style="rounded"];',
    ]
    for claim_id in sorted(graph.nodes):
        node = graph.nodes[claim_id]
        papers = ", ".join(node.papers)
        label = f"#{claim_id} {shorten(node.display, LABEL_CHARS)}"
        tooltip = f"{node.tag or 'no code'}; stated by {papers}"
        out.append(f"  {claim_id} [label={quoted(label)}, tooltip={quoted(tooltip)}];")
    for edge in graph.edges:
        color = COLORS[edge.type]
        label = edge.type if edge.count == 1 else f"{edge.type} ×{edge.count}"
        papers = ", ".join(edge.papers)
        out.append(
            f"  {edge.source} -> {edge.target} [label={quoted(label)}, color={quoted(color)}, "
            f"fontcolor={quoted(color)}, tooltip={quoted('asserted by ' + papers)}];"
        )
    out.append("}")
    return "\n".join(out) + "\n"
