"""Relations from the app: the marked span supports or attacks the span under the cursor.

The analyst marks the source span (ctrl+l, the same mark as for linking), moves
to the target in any article (g, J/K, the similar panel), and presses ctrl+s
(supports) or ctrl+a (attacks).  The span panel lists the current span's
relations both ways; x there deletes one.  Every action is a ``Session`` edit, so
``u`` undoes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from claimmap.services.relations import span_relations
from claimmap.tui.span_claims import spend_mark
from claimmap.tui.widgets.span_panel import SpanPanel

if TYPE_CHECKING:
    from claimmap.tui.app import ClaimmapApp


def relate_to_marked(app: ClaimmapApp, type_: str) -> None:
    marked = app.marked
    if marked is None:
        app.notify(
            f"mark the span that {type_} first (ctrl+l), then press this on its target",
            severity="warning",
            markup=False,
        )
        return
    target = app.view.current_span
    if target is None:
        app.notify("no span under the cursor (Tab jumps to the next one)", severity="warning")
        return
    spend_mark(app, marked, lambda: app.session.relate(marked.span, target, type_))


def refresh_relations(app: ClaimmapApp) -> None:
    """Show the current span's relations in the span panel (hidden when none)."""
    span_id = app.view.current_span
    rows = [] if span_id is None else span_relations(app.db, span_id)
    app.query_one(SpanPanel).show_relations(rows)
