"""Claim actions on the span under the cursor: mark it, link another span to it,
detach it from its claim, label its claim.

Linking by hand spans two articles: the analyst marks a span (ctrl+l), moves to
another article (g, J/K, the similar panel), puts the cursor on the counterpart
and links it to the marked span (ctrl+k).  The mark is shown in the status line
until the link is made.  Every action is a ``Session`` edit, so ``u`` undoes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from claimmap.tui.screens.label import LabelModal
from claimmap.tui.session import Outcome

if TYPE_CHECKING:
    from claimmap.tui.app import ClaimmapApp

QUOTE_CHARS = 24


@dataclass(frozen=True, slots=True)
class MarkedSpan:
    """The span waiting to be linked, as the status line names it."""

    span: int
    article: str
    quote: str

    def describe(self) -> str:
        return f"span {self.span} ({self.article}) “{self.quote[:QUOTE_CHARS]}”"


def _current(app: ClaimmapApp) -> int | None:
    span_id = app.view.current_span
    if span_id is None:
        app.notify("no span under the cursor (Tab jumps to the next one)", severity="warning")
    return span_id


def mark_current(app: ClaimmapApp) -> MarkedSpan | None:
    """Mark the span under the cursor; on the marked span itself, clear the mark."""
    doc = app.view.doc
    span_id = _current(app)
    if span_id is None or doc is None:
        return app.marked
    if app.marked is not None and app.marked.span == span_id:
        app.marked = None
        app.status(f"span {span_id} no longer marked")
        return None
    span = doc.spans[span_id]
    app.marked = MarkedSpan(span_id, doc.article.ref, doc.text[span.start : span.end])
    app.status(
        "move to the other span (any article): ctrl+k links it as the same claim, "
        "ctrl+s: the marked span supports it, ctrl+a: attacks it"
    )
    return app.marked


def link_to_marked(app: ClaimmapApp) -> None:
    marked = app.marked
    if marked is None:
        app.notify("mark a span first (ctrl+l), then link another to it", severity="warning")
        return
    span_id = _current(app)
    if span_id is None:
        return
    if span_id == marked.span:
        app.notify("this is the marked span: move to its counterpart", severity="warning")
        return
    spend_mark(app, marked, lambda: app.session.link(marked.span, span_id))


def spend_mark(app: ClaimmapApp, marked: MarkedSpan, edit: Callable[[], Outcome]) -> None:
    """Run ``edit`` (linking or relating to the marked span) as a guarded session
    edit: the mark is spent once it is stored; on an error it stays for a retry."""
    stored = {"ok": False}

    def run() -> Outcome:
        outcome = edit()
        stored["ok"] = True
        return outcome

    app.marked = None
    app.guard(run)
    if not stored["ok"]:
        app.marked = marked


def _detach(app: ClaimmapApp) -> None:
    span_id = _current(app)
    if span_id is not None:
        app.guard(lambda: app.session.detach(span_id))


def _label(app: ClaimmapApp) -> None:
    span_id = _current(app)
    doc = app.view.doc
    if span_id is None or doc is None:
        return
    row = app.db.execute(
        "SELECT c.id, c.label FROM spans s JOIN claims c ON c.id = s.claim_id WHERE s.id = ?",
        [span_id],
    ).fetchone()
    if row is None:
        app.notify(f"span {span_id} has no claim", severity="warning", markup=False)
        return
    claim_id, old = int(row[0]), row[1] or ""
    span = doc.spans[span_id]
    quote = doc.text[span.start : span.end][:40]

    def saved(text: str | None) -> None:
        if text is not None and text.strip() != old:
            app.guard(lambda: app.session.label_claim(claim_id, text))

    app.push_screen(LabelModal(f"Label claim #{claim_id}: “{quote}”", old), saved)


def span_claim_commands(app: ClaimmapApp) -> Iterator[SystemCommand]:
    """The palette's commands for the span under the cursor that have no key."""
    yield SystemCommand(
        "Detach span from its claim",
        "take the span under the cursor out of its claim (u undoes)",
        partial(app.call_next, _detach, app),
    )
    yield SystemCommand(
        "Label this span's claim",
        "the canonical wording of the claim the span under the cursor belongs to",
        partial(app.call_next, _label, app),
    )
