"""Claims across articles: groups of spans joined by confirmed links."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from claimmap.models import Claim
from claimmap.wording import count


class ClaimsScreen(Screen[int | None]):
    """Enter returns the first span of the highlighted claim, escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Back", id="claims.close")]

    DEFAULT_CSS = """
    ClaimsScreen Static { padding: 0 1; color: $text-muted; }
    ClaimsScreen DataTable { height: 1fr; }
    """

    def __init__(self, claims: list[Claim], quotes: dict[int, str]) -> None:
        super().__init__()
        self.claims = claims
        self.quotes = quotes

    def compose(self) -> ComposeResult:
        yield Static(
            f"{count(len(self.claims), 'claim')} with spans in several places (enter: open)",
            markup=False,
        )
        yield DataTable(cursor_type="row", id="claims-table")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("claim", "code", "spans", "articles", "first quote")
        for claim in self.claims:
            first = claim.spans[0]
            # DataTable reads str cells as Rich markup: labels, codes and quotes are
            # the analyst's and the articles' text, so they go in as Text.
            table.add_row(
                Text((claim.label or f"#{claim.id}")[:48]),
                Text(claim.tag or ""),
                str(len(claim.spans)),
                str(len(claim.articles)),
                Text(self.quotes.get(first, "")[:30]),
                key=str(first),
            )
        table.focus()

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        self.dismiss(int(key) if key and key.isdigit() else None)

    def action_close(self) -> None:
        self.dismiss(None)
