"""The search prompt."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class SearchModal(ModalScreen[str | None]):
    """One line: the text to find (script and punctuation width are ignored)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="search.cancel")
    ]

    DEFAULT_CSS = """
    SearchModal { align: center top; }
    SearchModal > Vertical {
        width: 70; height: auto; margin-top: 3; border: round $accent; background: $surface;
    }
    SearchModal Static { color: $text-muted; padding: 0 1; }
    """

    def __init__(self, previous: str = "") -> None:
        super().__init__()
        self.previous = previous

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(self.previous, placeholder="search this article", id="search-input")
            yield Static(
                "simplified = traditional · full width = half width · punctuation and spaces "
                "ignored · within a paragraph · ctrl+n / ctrl+b: next / previous"
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
