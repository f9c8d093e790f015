"""Editing a claim's label (its canonical wording) in a one-line modal."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class LabelModal(ModalScreen[str | None]):
    """Enter saves (an empty label clears it), escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="label.cancel"),
    ]

    DEFAULT_CSS = """
    LabelModal { align: center middle; }
    LabelModal > Vertical {
        width: 70; height: auto; border: round $accent; background: $surface; padding: 0 1;
    }
    LabelModal Static { color: $text-muted; height: auto; max-height: 3; }
    """

    def __init__(self, title: str, label: str) -> None:
        super().__init__()
        self.title_text = title
        self.label = label

    def compose(self) -> ComposeResult:
        with Vertical():
            # The title quotes the claim's first passage: article text, never markup.
            yield Static(self.title_text, markup=False)
            yield Input(self.label, placeholder="the claim in your words", id="label-input")
            yield Static("enter save · escape cancel · empty clears the label")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
