"""Adjudication: two analysts' disagreements one at a time, both versions side by
side; one key takes A's, B's, both or neither into the consensus layer, or edits.

Each decision is stored at once (``services.adjudication``), so the walk resumes
at the first undecided item when the screen or the app is opened again; undo
takes back this screen's decisions, most recent first.  Article and analyst text
is rendered as ``rich.text.Text``, never as markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from sqlite_utils import Database
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Static

from claimmap.agreement.disagreements import Disagreement
from claimmap.agreement.study import CodedSpan
from claimmap.errors import ClaimmapError
from claimmap.exporters.team import kind_label
from claimmap.services import adjudication
from claimmap.services.adjudication import Edit, Take, Walk
from claimmap.services.agreement import CONSENSUS
from claimmap.tui.background import run_with_db
from claimmap.tui.widgets.passage import Passage

LINKED = {"same": "same claim", "different": "rejected", None: "not linked"}


def version(
    who: str, side: str, span: CodedSpan | None, item: Disagreement, refs: dict[int, str]
) -> Text:
    """One analyst's version of an item: tags, place and quote (or "not coded")."""
    text = Text()
    text.append(f"{side.upper()} · {who}\n", style="bold")
    if span is None:
        text.append("\nnot coded", style="italic dim")
        return text
    text.append("tags: ", style="dim")
    text.append(", ".join(sorted(span.tags)) or "-")
    text.append(f"\n{refs.get(span.article, '')} {span.start}–{span.end}\n\n", style="dim")
    text.append(span.quote, style="bold")
    if item.kind == "link":
        other = item.a_other if side == "a" else item.b_other
        said = item.decision_a if side == "a" else item.decision_b
        if other is not None:
            text.append(
                f"\n\nand in {refs.get(other.article, '')} {other.start}–{other.end}:\n",
                style="dim",
            )
            text.append(other.quote, style="bold")
        text.append(f"\n\n{who}: {LINKED.get(said, '')}", style="italic")
    return text


class EditModal(ModalScreen[Edit | None]):
    """New boundaries and tags for the consensus version; enter saves, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="adjudicate-edit.cancel"),
    ]

    DEFAULT_CSS = """
    EditModal { align: center middle; }
    EditModal > Vertical { width: 60; height: auto; border: round $accent; background: $surface; padding: 0 1; }
    EditModal Static { color: $text-muted; height: auto; }
    """

    def __init__(self, start: int, end: int, tags: list[str]) -> None:
        super().__init__()
        self.start, self.end, self.tags = start, end, tags

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Consensus version: start, end (code points), tags (comma separated)")
            yield Input(str(self.start), id="edit-start")
            yield Input(str(self.end), id="edit-end")
            yield Input(", ".join(self.tags), id="edit-tags")
            yield Static("enter save · escape cancel")

    def on_mount(self) -> None:
        self.query_one("#edit-start", Input).focus()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        try:
            start = int(self.query_one("#edit-start", Input).value)
            end = int(self.query_one("#edit-end", Input).value)
        except ValueError:
            self.notify("start and end are whole numbers", severity="error")
            return
        tags = tuple(
            t.strip() for t in self.query_one("#edit-tags", Input).value.split(",") if t.strip()
        )
        self.dismiss(Edit(start, end, tags))

    def action_cancel(self) -> None:
        self.dismiss(None)


class AdjudicationScreen(Screen[int]):
    """a take A's · b take B's · t both · n neither · e edit · u undo ·
    left/right other items · escape back.  Dismisses with the decisions taken."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "take('a')", "Take A's", id="adjudicate.a"),
        Binding("b", "take('b')", "Take B's", id="adjudicate.b"),
        Binding("t", "take('both')", "Take both", id="adjudicate.both"),
        Binding("n", "take('neither')", "Neither", id="adjudicate.neither"),
        Binding("e", "edit", "Edit", id="adjudicate.edit"),
        Binding("u", "undo", "Undo", id="adjudicate.undo"),
        Binding("right", "step(1)", "Next", show=False, id="adjudicate.next"),
        Binding("left", "step(-1)", "Previous", show=False, id="adjudicate.previous"),
        Binding("escape", "close", "Back", id="adjudicate.close"),
    ]

    DEFAULT_CSS = """
    AdjudicationScreen #adjudicate-progress { padding: 0 1; height: auto; background: $boost; }
    AdjudicationScreen #adjudicate-pair { height: 1fr; }
    AdjudicationScreen .adjudicate-side { width: 1fr; padding: 1 2; border: round $primary-darken-2; }
    """

    def __init__(self, db: Database, consensus: str = CONSENSUS) -> None:
        super().__init__()
        self.db = db
        self.consensus = consensus
        self.walk: Walk | None = None
        self.index: int | None = None
        self.busy = True
        self.history: list[str] = []
        self.decisions = 0

    def compose(self) -> ComposeResult:
        yield Static("Adjudication: loading the disagreements…", id="adjudicate-progress")
        with Horizontal(id="adjudicate-pair"):
            with VerticalScroll(classes="adjudicate-side"):
                yield Passage(id="adjudicate-a")
            with VerticalScroll(classes="adjudicate-side"):
                yield Passage(id="adjudicate-b")
        yield Footer()

    def on_mount(self) -> None:
        self._reload()

    def _reload(self, at: str | None = None) -> None:
        self.busy = True
        consensus = self.consensus

        def load(db: Database) -> Walk | str:
            try:
                return adjudication.walk(db, consensus=consensus)
            except ClaimmapError as exc:
                return str(exc)

        run_with_db(
            self,
            self.db,
            load,
            lambda got: self._loaded(got, at),
            group="adjudicate",
            exclusive=True,
        )

    def _loaded(self, got: Walk | str, at: str | None) -> None:
        self.busy = False
        if isinstance(got, str):
            self.walk, self.index = None, None
            self.query_one("#adjudicate-progress", Static).update(Text(got))
            return
        self.walk = got
        keys = [i.key for i in got.items]
        self.index = keys.index(at) if at in keys else got.next_index()
        self._show()

    @property
    def item(self) -> Disagreement | None:
        if self.walk is None or self.index is None or not self.walk.items:
            return None
        return self.walk.items[self.index]

    def _show(self) -> None:
        walk = self.walk
        if walk is None:
            return
        decided = sum(1 for i in walk.items if i.key in walk.decided)
        progress = Text("Adjudication", style="bold")
        progress.append(
            f" · {walk.annotator_a} (A) and {walk.annotator_b} (B) into {walk.consensus}"
            f" · {decided} of {len(walk.items)} decided"
        )
        left = self.query_one("#adjudicate-a", Passage)
        right = self.query_one("#adjudicate-b", Passage)
        item = self.item
        if item is None:
            progress.append(" · nothing left to adjudicate")
            left.update(Text("Every disagreement is decided.", style="dim"))
            right.update(Text(""))
        else:
            assert self.index is not None
            progress.append(f" · #{self.index + 1} {kind_label(item, 'A', 'B')} ({item.key})")
            taken = walk.decided.get(item.key)
            if taken:
                progress.append(f" · took {taken}", style="italic")
            refs = {a.id: a.ref for a in walk.study.articles.values()}
            left.update(version(walk.annotator_a, "a", item.a, item, refs))
            right.update(version(walk.annotator_b, "b", item.b, item, refs))
        self.query_one("#adjudicate-progress", Static).update(progress)

    def _decide(self, take: Take, edit: Edit | None = None) -> None:
        item = self.item
        if self.busy or item is None:
            return
        assert self.walk is not None
        try:
            # The item the analyst sees, not a fresh walk: a walk is seconds on a
            # large study, and decide_item refuses it if its spans changed since.
            adjudication.decide_item(self.db, self.walk, item, take, edit)
        except ClaimmapError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.history.append(item.key)
        self.decisions += 1
        assert self.walk is not None and self.index is not None
        self.walk.decided[item.key] = take
        following = self.walk.next_index(self.index)
        self.index = self.index if following is None else following
        self._show()

    def action_take(self, take: str) -> None:
        if take in ("a", "b", "both", "neither"):
            self._decide(take)  # type: ignore[arg-type]

    def action_edit(self) -> None:
        item = self.item
        if self.busy or item is None:
            return
        if item.kind == "link":
            self.notify("a link disagreement takes a, b or neither", severity="warning")
            return
        base = item.a or item.b
        assert base is not None
        tags = sorted(
            (item.a.tags if item.a else frozenset()) | (item.b.tags if item.b else frozenset())
        )

        def edited(edit: Edit | None) -> None:
            if edit is not None:
                self._decide("edit", edit)

        self.app.push_screen(EditModal(base.start, base.end, tags), edited)

    def action_undo(self) -> None:
        if self.busy:
            return
        if not self.history:
            self.notify("nothing to undo in this adjudication", severity="warning")
            return
        key = self.history[-1]
        try:
            adjudication.undo(self.db, key, consensus=self.consensus)
        except ClaimmapError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.history.pop()
        self.decisions += 1
        self.notify(f"undone: {key}", markup=False)
        self._reload(at=key)

    def action_step(self, delta: int) -> None:
        if self.walk is None or self.index is None or not self.walk.items:
            return
        self.index = (self.index + delta) % len(self.walk.items)
        self._show()

    def action_close(self) -> None:
        self.dismiss(self.decisions)
