"""The help screen, built from the bindings that are active on the main screen."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from claimmap.models import Tag
from claimmap.tui.screens.picker import one_line

# Room for a reminder of what the code means; the whole text is in 'claimmap tags'.
DESCRIPTION_WIDTH = 60


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close help", id="help.close")
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 84; height: 90%; border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, rows: Iterable[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for keys, description in self.rows:
            table.add_row(Text(keys), Text(description))
        with VerticalScroll():
            yield Static(Text("claimmap keys (escape closes)", style="bold underline"))
            yield Static(table)
            yield Static(
                Text(
                    "\nA selection is half-open: it runs from where v was pressed up to the "
                    "cursor. Tagging with no selection toggles the code on the span under the "
                    "cursor, or tags the sentence at the cursor. Every change is saved "
                    "immediately; u undoes it.\n\nThe article list shows, under each title, "
                    "the spans per code, each labelled with the key that applies the code "
                    "(m3 = 3 spans coded with the code on key m; 5:2 = 2 spans of the fifth "
                    "code), then how far you have read.",
                    style="dim",
                )
            )

    def action_close(self) -> None:
        self.dismiss(None)


def describe(bindings: Iterable[tuple[Binding, str]]) -> list[tuple[str, str]]:
    """One row per description, so ``h`` and ``left`` share a row.

    A binding with an explicit ``key_display`` (``1-9``) stands for the whole
    family sharing its description.
    """
    rows: dict[str, list[str]] = {}
    fixed: set[str] = set()
    for binding, display in bindings:
        description = binding.description
        if not description or description in fixed:
            continue
        if binding.key_display:
            rows[description] = [binding.key_display]
            fixed.add(description)
            continue
        keys = rows.setdefault(description, [])
        for key in display.split(","):
            if key and key not in keys:
                keys.append(key)
    return [(", ".join(keys), description) for description, keys in rows.items()]


def code_rows(tags: Sequence[Tag]) -> list[tuple[str, str]]:
    """One row per code with a key: the key as the picker shows it and the CLI
    accepts it, the code's whole name, and the start of its description."""
    return [
        (
            t.key,
            f"Tag {t.name}"
            + (f" · {one_line(t.description, DESCRIPTION_WIDTH)}" if t.description else ""),
        )
        for t in tags
        if t.key
    ]
