"""The argument map as Argdown (https://argdown.org), which the Argdown tools parse.

Each claim is one statement, an equivalence class in Argdown's terms: its first
definition is the claim's label and tag, and every paper's wording follows as a
further definition under the same title, so the same-claim spans stay one
statement and keep each paper's words.  Claim edges are outgoing relations under
their source, ``+>`` for supports and ``->`` for attacks.

Argdown reads much of ASCII punctuation as syntax (``[x]`` is a statement
reference, ``#x`` a tag, ``//`` a comment, ``_x_`` italics, ``{...}`` data), and
its grammar takes any punctuation behind a backslash as itself, so every ASCII
punctuation character in text we did not write is escaped.  Titles keep only
letters, digits and spaces, and start with the claim id so that two claims with
the same label stay two statements.
"""

from __future__ import annotations

import string

from claimmap.argument_graph import ArgumentMap, ClaimNode, shorten

TITLE_CHARS = 40
_ESCAPES = {ord(c): "\\" + c for c in string.punctuation}
ARROWS = {"supports": "+>", "attacks": "->"}


def escape_text(text: str) -> str:
    """One line of Argdown text that reads back as ``text`` (whitespace folded)."""
    return " ".join(text.split()).translate(_ESCAPES)


def title(node: ClaimNode) -> str:
    words = "".join(ch if ch.isalnum() else " " for ch in shorten(node.display, TITLE_CHARS))
    short = " ".join(words.split())
    return f"C{node.id} {short}" if short else f"C{node.id}"


def _tag(name: str) -> str:
    # A tag runs to the next whitespace or syntax: #(...) takes any text but ")".
    return f"#({name.replace(')', ' ')})"


def render_argdown(graph: ArgumentMap) -> str:
    titles = {c: title(n) for c, n in graph.nodes.items()}
    out = [
        f"// {len(graph.nodes)} claims, {len(graph.edges)} claim relations "
        f"(from {graph.relation_count} span relations)",
        "",
    ]
    for claim_id in sorted(graph.nodes):
        node = graph.nodes[claim_id]
        head = escape_text(node.display)
        if node.tag:
            head += " " + _tag(node.tag)
        out += [f"[{titles[claim_id]}]: {head}", ""]
        for w in node.wordings:
            out += [f"[{titles[claim_id]}]: {escape_text(f'{w.article}: {w.quote}')}", ""]
    for source in sorted({e.source for e in graph.edges}):
        out.append(f"[{titles[source]}]")
        for edge in graph.outgoing(source):
            papers = " ".join(", ".join(edge.papers).split())
            out.append(f"  {ARROWS[edge.type]} [{titles[edge.target]}]")
            out.append(f"    // {edge.count} × {edge.type}, asserted by {papers}")
        out.append("")
    return "\n".join(out)
