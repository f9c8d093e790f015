"""Asking where to write a file, and confirming before an existing one is replaced."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class SaveAsModal(ModalScreen[Path | None]):
    """One line with a suggested path; Enter writes there.  If the file exists,
    the first Enter only says so: a second Enter on the same name replaces it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="save-as.cancel")
    ]

    DEFAULT_CSS = """
    SaveAsModal { align: center middle; }
    SaveAsModal > Vertical {
        width: 80; height: auto; border: round $accent; background: $surface; padding: 0 1;
    }
    SaveAsModal Static { color: $text-muted; }
    SaveAsModal #save-as-warning { color: $warning; }
    """

    def __init__(self, title: str, suggested: Path) -> None:
        super().__init__()
        self.title_text = title
        self.suggested = suggested
        self._confirming: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, markup=False)
            yield Input(str(self.suggested), id="save-as-path")
            yield Static("", id="save-as-warning", markup=False)
            yield Static("enter: write · escape: cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _changed(self) -> None:
        self._confirming = None
        self.query_one("#save-as-warning", Static).update("")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        warning = self.query_one("#save-as-warning", Static)
        raw = event.value.strip()
        if not raw:
            warning.update("give a file name")
            return
        path = Path(raw).expanduser()
        if path.is_dir():
            warning.update(f"{path} is a folder: give a file name")
            return
        if not path.parent.is_dir():
            warning.update(f"folder {path.parent} does not exist")
            return
        if path.exists() and self._confirming != path:
            self._confirming = path
            warning.update(f"{path} exists: enter again to replace it, or change the name")
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
