"""Claims across articles: groups of spans joined by confirmed links.

Labelling, merging and detaching are the session's edits (one service call
each, on the app's global undo); ``act`` is the app's guard that runs one and
shows its message and warnings.  The table is re-read after every action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from claimmap.models import Claim
from claimmap.services.claims import list_claims
from claimmap.store.spans import query_spans
from claimmap.tui.screens.argument_map import ArgumentMapScreen
from claimmap.tui.screens.label import LabelModal
from claimmap.tui.screens.picker import FuzzyPicker, Picked
from claimmap.tui.session import Outcome, Session
from claimmap.wording import count

Act = Callable[[Callable[[], Outcome | None]], None]
QUOTE_CHARS = 40


class ClaimsScreen(Screen[int | None]):
    """Enter returns the first span of the highlighted claim, escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="claims.close"),
        Binding("l", "label", "Label", id="claims.label"),
        Binding("m", "merge", "Merge with…", id="claims.merge"),
        Binding("d", "detach", "Detach span…", id="claims.detach"),
        Binding("u", "undo", "Undo", id="claims.undo"),
        Binding("a", "argument_map", "Argument map", id="claims.argument-map"),
    ]

    DEFAULT_CSS = """
    ClaimsScreen Static { padding: 0 1; color: $text-muted; }
    ClaimsScreen DataTable { height: 1fr; }
    """

    def __init__(self, session: Session, act: Act) -> None:
        super().__init__()
        self.session = session
        self.act = act
        self.claims: list[Claim] = []
        self.quotes: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="claims-title", markup=False)
        yield DataTable(cursor_type="row", id="claims-table")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("claim", "code", "spans", "articles", "first quote")
        self.reload()
        table.focus()

    def reload(self) -> None:
        db = self.session.db
        self.claims = list_claims(db, min_spans=2, annotator=self.session.layer)
        ids = {s for c in self.claims for s in c.spans}
        self.quotes = {s.id: s.quote for s in query_spans(db, ids=ids)} if ids else {}
        self.query_one("#claims-title", Static).update(
            f"{count(len(self.claims), 'claim')} with spans in several places "
            "(enter: open · l label · m merge · d detach · u undo · a argument map)"
        )
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for claim in self.claims:
            # DataTable reads str cells as Rich markup: labels, codes and quotes are
            # the analyst's and the articles' text, so they go in as Text.
            table.add_row(
                Text((claim.label or f"#{claim.id}")[:48]),
                Text(claim.tag or ""),
                str(len(claim.spans)),
                str(len(claim.articles)),
                Text(self.quotes.get(claim.spans[0], "")[:30]),
                key=str(claim.id),
            )
        if self.claims:
            table.move_cursor(row=min(row, len(self.claims) - 1))

    def current(self) -> Claim | None:
        table = self.query_one(DataTable)
        if not self.claims or table.cursor_row >= len(self.claims):
            return None
        return self.claims[table.cursor_row]

    def _run(self, fn: Callable[[], Outcome | None]) -> None:
        self.act(fn)
        self.reload()

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        claim = self.current()
        self.dismiss(claim.spans[0] if claim else None)

    def action_label(self) -> None:
        claim = self.current()
        if claim is None:
            return
        claim_id = claim.id
        quote = self.quotes.get(claim.spans[0], "")[:QUOTE_CHARS]

        def saved(text: str | None) -> None:
            if text is not None and text.strip() != (claim.label or ""):
                self._run(lambda: self.session.label_claim(claim_id, text))

        self.app.push_screen(
            LabelModal(f"Label claim #{claim_id}: “{quote}”", claim.label or ""), saved
        )

    def action_merge(self) -> None:
        claim = self.current()
        if claim is None:
            return
        claim_id = claim.id
        # Every other claim, singletons included: a span alone is a claim of its own.
        claims = list_claims(self.session.db, annotator=self.session.layer)
        others = [c for c in claims if c.id != claim_id]
        firsts = {
            s.id: s.quote for s in query_spans(self.session.db, ids={c.spans[0] for c in others})
        }
        items = [
            (
                str(c.id),
                f"#{c.id} {c.label or firsts.get(c.spans[0], '')[:QUOTE_CHARS]}"
                f"  ({count(len(c.spans), 'span')})",
            )
            for c in others
        ]

        def chosen(picked: Picked | None) -> None:
            if picked is not None and picked.value.isdigit():
                other = int(picked.value)
                self._run(lambda: self.session.merge(claim_id, other))

        self.app.push_screen(FuzzyPicker(f"Merge claim #{claim_id} with", items), chosen)

    def action_detach(self) -> None:
        claim = self.current()
        if claim is None:
            return
        items = [(str(s), f"span {s}: {self.quotes.get(s, '')[:QUOTE_CHARS]}") for s in claim.spans]

        def chosen(picked: Picked | None) -> None:
            if picked is not None and picked.value.isdigit():
                span_id = int(picked.value)
                self._run(lambda: self.session.detach(span_id))

        self.app.push_screen(FuzzyPicker(f"Take out of claim #{claim.id}", items), chosen)

    def action_argument_map(self) -> None:
        claim = self.current()
        if claim is None:
            return

        def chosen(span: int | None) -> None:
            if span is not None:
                self.dismiss(span)

        self.app.push_screen(ArgumentMapScreen(self.session.db, claim.id), chosen)

    def action_undo(self) -> None:
        self._run(self.session.undo)

    def action_close(self) -> None:
        self.dismiss(None)
