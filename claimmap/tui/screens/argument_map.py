"""The argument map around one claim: what supports and attacks it, and what it
supports and attacks, level by level, as a tree.

Each claim node lists the papers' own wordings (enter on one opens that span in
its article; enter on a claim opens its first wording), then the claims one
relation away, which unfold in turn.  A claim met again deeper down is shown once
more, marked, but not unfolded again, so cycles end.  Every label is built as a
``Text`` (never markup): labels and quotes are the analyst's and the papers' text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static, Tree
from textual.widgets.tree import TreeNode

from claimmap.argument_graph import ArgumentMap, ClaimEdge, Step, explore, shorten
from claimmap.services.argument_map import load_map
from claimmap.tui.background import run_with_db
from claimmap.tui.screens.picker import FuzzyPicker, Picked, one_line

DEFAULT_DEPTH = 3
MAX_DEPTH = 9
MAX_ENTRIES = 1500
QUOTE_CHARS = 70
VERBS = {
    ("in", "supports"): ("supported by", "green"),
    ("in", "attacks"): ("attacked by", "red"),
    ("out", "supports"): ("supports", "green"),
    ("out", "attacks"): ("attacks", "red"),
}


@dataclass(frozen=True, slots=True)
class MapEntry:
    """What a tree node stands for: a claim, or one wording (span) of it."""

    claim: int
    span: int | None


def claim_text(graph: ArgumentMap, claim_id: int) -> Text:
    node = graph.nodes[claim_id]
    text = Text(f"#{claim_id} ", style="bold")
    text.append(one_line(node.display, QUOTE_CHARS))
    text.append(f"  {node.tag or 'no code'} · {', '.join(node.papers)}", style="dim")
    return text


def step_text(graph: ArgumentMap, step: Step) -> Text:
    assert step.edge is not None and step.direction is not None
    verb, colour = VERBS[(step.direction, step.edge.type)]
    text = Text(f"{verb} ", style=f"bold {colour}")
    text.append_text(claim_text(graph, step.claim))
    text.append(f"  ({_asserted(step.edge)})", style=colour)
    if step.seen:
        text.append("  ↺ shown above", style="italic dim")
    return text


def _asserted(edge: ClaimEdge) -> str:
    times = f"{edge.count} relations, " if edge.count > 1 else ""
    return f"{times}asserted by {', '.join(edge.papers)}"


class ArgumentMapScreen(Screen[int | None]):
    """Dismisses with the span to open in its article, or None (escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="map.close"),
        Binding("c", "choose", "Choose claim…", id="map.choose"),
        Binding("r", "recentre", "Centre here", id="map.recentre"),
        Binding("plus,equals_sign", "depth(1)", "Deeper", key_display="+", id="map.deeper"),
        Binding("minus", "depth(-1)", "Shallower", key_display="-", id="map.shallower"),
    ]

    DEFAULT_CSS = """
    ArgumentMapScreen Static { padding: 0 1; color: $text-muted; }
    ArgumentMapScreen Tree { height: 1fr; }
    """

    def __init__(self, db: Database, claim: int | None, depth: int = DEFAULT_DEPTH) -> None:
        super().__init__()
        self.db = db
        self.claim = claim
        self.depth = depth
        self.graph: ArgumentMap | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="map-title", markup=False)
        yield Tree(Text("argument map"), id="map-tree")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#map-title", Static).update("Reading the argument map…")
        self.query_one(Tree).focus()
        # A corpus with tens of thousands of relations takes a moment to read:
        # off the UI thread, on a connection of the worker's own.
        run_with_db(self, self.db, load_map, self._loaded, group="argument-map", exclusive=True)

    def _loaded(self, graph: ArgumentMap) -> None:
        self.graph = graph
        if self.claim is None or self.claim not in graph.nodes:
            # No claim given: start from the most connected one.
            related = sorted(graph.nodes, key=lambda c: (-graph.degree(c), c))
            self.claim = related[0] if related else None
        self.show()

    def show(self) -> None:
        tree: Tree[MapEntry] = self.query_one(Tree)
        title = self.query_one("#map-title", Static)
        tree.clear()
        graph = self.graph
        if graph is None or self.claim is None:
            tree.root.set_label(Text("No claims yet"))
            title.update("No claims: code some spans first.")
            return
        levels = explore(graph, self.claim, self.depth)
        reached = sum(1 for level in levels[1:] for s in level if not s.seen)
        title.update(
            f"Claim #{self.claim}: {reached} claims within {self.depth} relations "
            f"({graph.relation_count} relations in the corpus) · enter: open the span · "
            "space: fold · c: choose claim · r: centre here · +/-: depth · escape: back"
        )
        tree.root.set_label(claim_text(graph, self.claim))
        tree.root.data = MapEntry(self.claim, None)
        placed: dict[int, TreeNode[MapEntry]] = {self.claim: tree.root}
        self._wordings(tree.root, self.claim)
        steps = [step for level in levels[1:] for step in level]
        # A hub of a large corpus can reach thousands of claims in a few levels:
        # a tree that long is neither quick to build nor readable.
        if len(steps) > MAX_ENTRIES:
            tree.root.add_leaf(
                Text(
                    f"… {len(steps) - MAX_ENTRIES} more relations within {self.depth} levels "
                    "are not shown: press - for fewer levels",
                    style="italic",
                )
            )
            steps = steps[:MAX_ENTRIES]
        for step in steps:
            parent = placed[step.parent] if step.parent is not None else tree.root
            entry = MapEntry(step.claim, None)
            if step.seen:
                parent.add_leaf(step_text(graph, step), data=entry)
                continue
            node = parent.add(step_text(graph, step), data=entry, expand=step.level < 2)
            placed[step.claim] = node
            self._wordings(node, step.claim)
        tree.root.expand()
        tree.move_cursor(tree.root)

    def _wordings(self, node: TreeNode[MapEntry], claim_id: int) -> None:
        assert self.graph is not None
        for w in self.graph.nodes[claim_id].wordings:
            label = Text(f"¶ {w.article}: ", style="dim")
            label.append(shorten(w.quote, QUOTE_CHARS))
            node.add_leaf(label, data=MapEntry(claim_id, w.span_id))

    def _current(self) -> MapEntry | None:
        node = self.query_one(Tree).cursor_node
        return node.data if node is not None else None

    @on(Tree.NodeSelected)
    def _open(self, event: Tree.NodeSelected[MapEntry]) -> None:
        event.stop()
        entry = event.node.data
        if entry is None or self.graph is None:
            return
        span = entry.span
        if span is None:
            wordings = self.graph.nodes[entry.claim].wordings
            span = wordings[0].span_id if wordings else None
        self.dismiss(span)

    def action_recentre(self) -> None:
        entry = self._current()
        if entry is not None and entry.claim != self.claim:
            self.claim = entry.claim
            self.show()

    def action_depth(self, delta: int) -> None:
        depth = max(1, min(MAX_DEPTH, self.depth + delta))
        if depth != self.depth:
            self.depth = depth
            self.show()

    def action_choose(self) -> None:
        graph = self.graph
        if graph is None:
            return
        ranked = sorted(graph.nodes, key=lambda c: (-graph.degree(c), c))
        items = [
            (str(c), f"#{c} {one_line(graph.nodes[c].display, QUOTE_CHARS)}  ({graph.degree(c)})")
            for c in ranked
        ]

        def chosen(picked: Picked | None) -> None:
            if picked is not None and picked.value.isdigit():
                self.claim = int(picked.value)
                self.show()

        self.app.push_screen(FuzzyPicker("Map of claim", items), chosen)

    def action_close(self) -> None:
        self.dismiss(None)
