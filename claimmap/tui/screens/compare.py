"""The compare screen: the claim matrix, each cell's wording, tag shares, and exports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from claimmap.errors import ClaimmapError
from claimmap.exporters.framing import Framing
from claimmap.exporters.matrix import ClaimMatrix, MatrixOptions
from claimmap.tui.background import run_with_db
from claimmap.tui.matrix_view import LEAD_COLUMNS, describe_cell, lay_out, share_bars
from claimmap.tui.screens.picker import FuzzyPicker, Picked
from claimmap.tui.screens.save_as import SaveAsModal
from claimmap.tui.widgets.passage import Passage
from claimmap.wording import count

EXPORT_NAME = "claimmap-matrix"
# Format -> (name, what it holds), in the order the picker and the palette offer them.
FORMATS: dict[str, tuple[str, str]] = {
    "html": ("HTML", "report with heatmaps"),
    "xlsx": ("Excel", "workbook, a sheet per view"),
    "csv": ("CSV", "matrix for spreadsheets"),
    "md": ("Markdown", "readable report"),
    "json": ("JSON", "the full structure"),
}


@dataclass(frozen=True, slots=True)
class Loaded:
    matrix: ClaimMatrix
    framing: Framing


def export_path(fmt: str, directory: Path | None = None) -> Path:
    """Where an export from the screen goes: the current directory, a fixed name."""
    return (directory or Path.cwd()) / f"{EXPORT_NAME}.{fmt}"


class CompareScreen(Screen[None]):
    """How each article frames the claims: a row per claim, a column per article."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Back", id="compare.close"),
        Binding("m", "toggle_marks", "Marks/wording", id="compare.marks"),
        Binding("s", "toggle_shared", "Shared only", id="compare.shared"),
        Binding("e", "export", "Export…", id="compare.export"),
        Binding("ctrl+e", "export_as('html')", "Export HTML", show=False, id="compare.html"),
    ]

    DEFAULT_CSS = """
    CompareScreen { layout: vertical; }
    CompareScreen #compare-title { height: 1; padding: 0 1; color: $text-muted; }
    CompareScreen #matrix { height: 1fr; border: round $panel; }
    CompareScreen #matrix:focus { border: round $accent; }
    CompareScreen #compare-bottom { height: 11; }
    CompareScreen #cell-detail {
        width: 1fr; border: round $panel; border-title-color: $text; padding: 0 1;
    }
    CompareScreen #tag-shares {
        width: 78; border: round $panel; border-title-color: $text; padding: 0 1;
    }
    CompareScreen.-narrow #tag-shares { display: none; }
    """

    def __init__(self, db: Database, layer: str | None = None) -> None:
        super().__init__()
        self.db = db
        # The analyst whose layer the matrix shows (None: every layer).
        self.shown_layer = layer
        self.loaded: Loaded | None = None
        self.marks = False
        self.shared_only = False

    def compose(self) -> ComposeResult:
        # The title shows build errors, which may quote codes, titles or paths.
        yield Static("Claim matrix: loading…", id="compare-title", markup=False)
        yield DataTable(cursor_type="cell", zebra_stripes=True, id="matrix")
        with Horizontal(id="compare-bottom"):
            with VerticalScroll(id="cell-detail"):
                yield Passage("", id="detail")
            with VerticalScroll(id="tag-shares"):
                yield Static("", id="shares")
        yield Footer()

    @property
    def table(self) -> DataTable[object]:
        return self.query_one("#matrix", DataTable)

    def on_mount(self) -> None:
        self.query_one("#cell-detail").border_title = "Wording"
        self.query_one("#tag-shares").border_title = "Share of spans per tag"
        self.table.focus()
        self.reload()

    # -- loading ---------------------------------------------------------------

    def options(self) -> MatrixOptions:
        return MatrixOptions(min_coverage=2 if self.shared_only else 1)

    def reload(self) -> None:
        options, layer = self.options(), self.shown_layer
        run_with_db(
            self,
            self.db,
            lambda db: self._build(db, options, layer),
            self._show,
            group="compare-load",
            exclusive=True,
        )

    @staticmethod
    def _build(db: Database, options: MatrixOptions, layer: str | None) -> Loaded | str:
        # Imported on first use: the exporters (xlsx, html) are not needed to start the app.
        from claimmap.services import exporting

        try:
            matrix, framing, _data = exporting.build(db, options, layer)
        except (ClaimmapError, OSError) as exc:
            return f"cannot build the matrix: {exc}"
        return Loaded(matrix, framing)

    def _show(self, loaded: Loaded | str) -> None:
        if not self.is_mounted:
            return
        if isinstance(loaded, str):
            self.query_one("#compare-title", Static).update(loaded)
            return
        self.loaded = loaded
        self._fill()
        self.query_one("#shares", Static).update(share_bars(loaded.matrix, loaded.framing))

    def _fill(self) -> None:
        if self.loaded is None:
            return
        matrix = self.loaded.matrix
        table = self.table
        where = table.cursor_coordinate
        laid = lay_out(matrix, self.marks)
        table.clear(columns=True)
        for k, (header, width) in enumerate(zip(laid.headers, laid.widths, strict=True)):
            key = matrix.columns[k - LEAD_COLUMNS].ref if k >= LEAD_COLUMNS else None
            table.add_column(header, width=width, key=key)
        for cells, key in zip(laid.rows, laid.keys, strict=True):
            table.add_row(*cells, key=key)
        table.fixed_columns = LEAD_COLUMNS
        scope = "shared claims" if self.shared_only else "claims"
        title = (
            f"Claim matrix: {count(len(matrix.rows), scope[:-1], scope)} × "
            f"{count(len(matrix.columns), 'article')}"
            f" · cells: {'marks' if self.marks else 'wording'}"
        )
        if laid.hidden_rows or laid.hidden_columns:
            shown = len(laid.headers) - LEAD_COLUMNS
            title += (
                f" · showing {count(len(laid.rows), 'best-covered claim')} × first "
                f"{count(shown, 'article')}"
                " (exports have all)"
            )
        self.query_one("#compare-title", Static).update(title)
        if not laid.rows:
            self.query_one("#detail", Passage).update(
                "No claims to compare yet: tag spans in the annotator, then accept links "
                "between articles (P, a/r in the side panel)."
            )
            return
        table.move_cursor(
            row=min(where.row, len(laid.rows) - 1),
            column=min(max(where.column, LEAD_COLUMNS), len(laid.headers) - 1),
        )
        self._describe(table.cursor_coordinate.row, table.cursor_coordinate.column)

    # -- the focused cell -----------------------------------------------------

    @on(DataTable.CellHighlighted, "#matrix")
    def _cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self._describe(event.coordinate.row, event.coordinate.column)

    def _describe(self, row: int, column: int) -> None:
        if self.loaded is None or not 0 <= row < len(self.loaded.matrix.rows):
            return
        matrix = self.loaded.matrix
        self.query_one("#detail", Passage).update(describe_cell(matrix, matrix.rows[row], column))
        self.query_one("#cell-detail", VerticalScroll).scroll_home(animate=False)

    # -- actions --------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    def action_toggle_marks(self) -> None:
        self.marks = not self.marks
        self._fill()

    def action_toggle_shared(self) -> None:
        self.shared_only = not self.shared_only
        self.reload()

    def action_export(self) -> None:
        def chosen(picked: Picked | None) -> None:
            if picked is not None:
                self.action_export_as(picked.value)

        items = [
            (fmt, f"{name:<9} {export_path(fmt).name}  ({what})")
            for fmt, (name, what) in FORMATS.items()
        ]
        self.app.push_screen(FuzzyPicker("Export the claim matrix", items), chosen)

    def action_export_as(self, fmt: str) -> None:
        """Ask where (suggesting the usual name), confirm an overwrite, then write."""

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._export_to(fmt, path)

        name = FORMATS[fmt][0]
        self.app.push_screen(
            SaveAsModal(f"Export the claim matrix as {name} to", export_path(fmt)), chosen
        )

    def _export_to(self, fmt: str, path: Path) -> None:
        options, layer = self.options(), self.shown_layer
        run_with_db(
            self,
            self.db,
            lambda db: self._write(db, fmt, options, path, layer),
            lambda result: self._exported(*result),
            group="compare-export",
        )

    @staticmethod
    def _write(
        db: Database, fmt: str, options: MatrixOptions, path: Path, layer: str | None
    ) -> tuple[str, bool]:
        from claimmap.services import exporting

        try:
            exporting.write_file(path, exporting.export_matrix(db, fmt, options, layer))
        except (ClaimmapError, OSError) as exc:
            return f"export failed: {exc}", False
        return f"matrix written to {path}", True

    def _exported(self, message: str, ok: bool) -> None:
        # The message names the file (its folder is the user's) or quotes an error.
        self.app.notify(message, severity="information" if ok else "error", timeout=8, markup=False)

    def export_commands(self) -> list[tuple[str, str, str]]:
        """(title, help, format) for the command palette."""
        return [
            (f"Export matrix as {name}", f"{export_path(fmt).name}: {what}", fmt)
            for fmt, (name, what) in FORMATS.items()
        ]
