"""Editing a note (a span's, or a relation's) in a modal."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea


class NoteModal(ModalScreen[str | None]):
    """``ctrl+s`` saves (an empty note clears it), ``escape`` cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save note", id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    DEFAULT_CSS = """
    NoteModal { align: center middle; }
    NoteModal > Vertical {
        width: 70; height: 16; border: round $accent; background: $surface; padding: 0 1;
    }
    NoteModal Static { color: $text-muted; height: auto; max-height: 3; }
    NoteModal TextArea { height: 1fr; }
    """

    def __init__(self, quote: str, body: str, *, subject: str | None = None) -> None:
        super().__init__()
        self.quote = quote
        self.body = body
        self.subject = subject  # what the note is on, when not a span's quote

    def compose(self) -> ComposeResult:
        with Vertical():
            # The quote is article text: never read it as markup.
            yield Static(self.subject or f"Note on “{self.quote[:120]}”", markup=False)
            yield TextArea(self.body, id="note-text", soft_wrap=True)
            yield Static("ctrl+s save · escape cancel · empty note clears it")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
