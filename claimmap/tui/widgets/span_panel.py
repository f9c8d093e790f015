"""The side panel: this article's spans near the cursor, and similar claims elsewhere."""

from __future__ import annotations

from bisect import bisect_left
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from claimmap.models import Tag
from claimmap.services.relations import SpanRelation
from claimmap.tui.session import SpanView
from claimmap.tui.textlayout import cell_widths, styled_lines, wrap

WINDOW = 60
PROMPT_CELLS = 34
QUOTE_LINES = 2


class SpanList(OptionList):
    """Spans of the article; selecting one jumps to it."""

    class Chosen(Message):
        def __init__(self, span_id: int) -> None:
            super().__init__()
            self.span_id = span_id


class SimilarList(OptionList):
    """Near-duplicate claims in other articles; confirm or reject the pair."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Focused-widget bindings win over the app's a (article list) and the
        # document's r (recommendation): these apply only while this list has focus.
        Binding("a", "judge('confirmed')", "Accept link", id="similar.accept"),
        Binding("r", "judge('rejected')", "Reject link", id="similar.reject"),
        Binding("y", "judge('confirmed')", "Same claim", show=False, id="similar.confirm"),
        Binding("d", "judge('rejected')", "Different", show=False, id="similar.different"),
        # The app's global undo, so a judgement is undone where it was made.
        Binding("u", "app.undo", "Undo", show=False, id="similar.undo"),
        Binding("ctrl+r", "app.redo", "Redo", show=False, id="similar.redo"),
    ]

    class Judged(Message):
        def __init__(self, other_span: int, status: str) -> None:
            super().__init__()
            self.other_span = other_span
            self.status = status

    def action_judge(self, status: str) -> None:
        if self.highlighted is None:
            return
        option = self.get_option_at_index(self.highlighted)
        if option.id and option.id.isdigit():
            self.post_message(self.Judged(int(option.id), status))


class RelationList(OptionList):
    """The current span's relations both ways; enter goes to the other span."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x,delete", "delete_relation", "Delete relation", id="relations.delete"),
        Binding("n", "note_relation", "Note", id="relations.note"),
        # The app's global undo, so a deletion is undone where it was made.
        Binding("u", "app.undo", "Undo", show=False, id="relations.undo"),
        Binding("ctrl+r", "app.redo", "Redo", show=False, id="relations.redo"),
    ]

    class Delete(Message):
        def __init__(self, relation_id: int) -> None:
            super().__init__()
            self.relation_id = relation_id

    class EditNote(Message):
        def __init__(self, relation_id: int) -> None:
            super().__init__()
            self.relation_id = relation_id

    others: dict[int, int]
    """Relation id -> the other span, for the options shown."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.others = {}

    def highlighted_relation(self) -> int | None:
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return int(option.id) if option.id and option.id.isdigit() else None

    def action_delete_relation(self) -> None:
        relation_id = self.highlighted_relation()
        if relation_id is not None:
            self.post_message(self.Delete(relation_id))

    def action_note_relation(self) -> None:
        relation_id = self.highlighted_relation()
        if relation_id is not None:
            self.post_message(self.EditNote(relation_id))


def relation_prompt(row: SpanRelation) -> Text:
    """Direction and type, the other span's article, then its quote (and the note)."""
    kind = row.relation.type
    verb = kind if row.outgoing else ("supported by" if kind == "supports" else "attacked by")
    out = Text()
    out.append("→ " if row.outgoing else "← ", style="bold")
    out.append(verb, style="bold green" if kind == "supports" else "bold red")
    out.append(f" {row.other_article}", style="dim")
    out.truncate(PROMPT_CELLS, overflow="ellipsis")
    quote = Text(row.other_quote.replace("\n", " ")[:80])
    quote.truncate(PROMPT_CELLS, overflow="ellipsis")
    out.append("\n")
    out.append_text(quote)
    if row.relation.note:
        note = Text("  ✎ " + row.relation.note.replace("\n", " ")[:80], style="italic dim")
        note.truncate(PROMPT_CELLS, overflow="ellipsis")
        out.append("\n")
        out.append_text(note)
    return out


class SpanPanel(Vertical):
    DEFAULT_CSS = """
    SpanPanel { width: 40; }
    SpanPanel > Static { height: 1; color: $text-muted; padding: 0 1; }
    SpanPanel > SpanList { height: 1fr; border: round $panel; }
    SpanPanel > SimilarList { height: 1fr; border: round $panel; }
    SpanPanel > RelationList { height: auto; max-height: 10; border: round $panel; }
    SpanPanel > OptionList:focus { border: round $accent; }
    """

    _shown: tuple[SpanView, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static("Spans", id="spans-title", markup=False)
        yield SpanList(id="span-list")
        # The title shows linker errors, which may quote article text.
        yield Static("Similar claims", id="similar-title", markup=False)
        yield SimilarList(id="similar-list")
        # Hidden while the current span has no relations.
        yield Static("Relations", id="relations-title", markup=False)
        yield RelationList(id="relation-list")

    def on_mount(self) -> None:
        self.show_relations([])

    def show_relations(self, rows: list[SpanRelation]) -> None:
        """The current span's relations; the section hides when there are none."""
        listing = self.query_one(RelationList)
        title = self.query_one("#relations-title", Static)
        keep = listing.highlighted
        listing.clear_options()
        listing.others = {row.relation.id: row.other for row in rows}
        listing.display = title.display = bool(rows)
        if rows:
            title.update(f"Relations {len(rows)}")
            listing.add_options(
                [Option(relation_prompt(row), id=str(row.relation.id)) for row in rows]
            )
            listing.highlighted = min(keep or 0, len(rows) - 1)

    def show_spans(
        self,
        text: str,
        spans: dict[int, SpanView],
        tags: dict[str, Tag],
        current: int | None,
        cursor: int,
        only_tag: str | None = None,
    ) -> None:
        """List a window of spans around the cursor (bounded work for huge articles);
        with ``only_tag`` (the document's code filter), only the spans it shows."""
        ordered = sorted(
            (s for s in spans.values() if only_tag is None or only_tag in s.tags),
            key=lambda s: (s.start, s.end, s.id),
        )
        starts = [s.start for s in ordered]
        centre = bisect_left(starts, cursor)
        lo = max(0, centre - WINDOW // 2)
        window = ordered[lo : lo + WINDOW]
        title = f"Spans {len(ordered)}"
        if only_tag is not None:
            title += f" with {only_tag} (of {len(spans)})"
        if len(ordered) > WINDOW:
            title += f" (showing {lo + 1}-{lo + len(window)})"
        self.query_one("#spans-title", Static).update(title)
        listing = self.query_one(SpanList)
        ids = [s.id for s in window]
        # Rebuilding options is the costly part: skip it when the window is unchanged.
        shown = tuple(window)
        if shown != self._shown:
            self._shown = shown
            listing.clear_options()
            listing.add_options([Option(self._prompt(text, s, tags), id=str(s.id)) for s in window])
        if current in ids:
            listing.highlighted = ids.index(current)

    @staticmethod
    def _prompt(text: str, span: SpanView, tags: dict[str, Tag]) -> Text:
        # One line per span (two with a note), cut by cell width so CJK never wraps.
        out = Text()
        for name in span.tags:
            colour = tags[name].color if name in tags else "white"
            out.append("■", style=colour)
        out.append(" " + text[span.start : span.end].replace("\n", " ")[:80])
        out.truncate(PROMPT_CELLS, overflow="ellipsis")
        if span.note:
            note = Text("  ✎ " + span.note.replace("\n", " ")[:80], style="italic dim")
            note.truncate(PROMPT_CELLS, overflow="ellipsis")
            out.append("\n")
            out.append_text(note)
        return out

    def show_similar(self, rows: list[tuple[int, Text]] | None, message: str) -> None:
        listing = self.query_one(SimilarList)
        keep = listing.highlighted
        listing.clear_options()
        self.query_one("#similar-title", Static).update(message)
        if rows:
            listing.add_options([Option(prompt, id=str(sid)) for sid, prompt in rows])
            # After a judgement the list is re-read: stay on the same row.
            listing.highlighted = min(keep or 0, len(rows) - 1)


STATUS_MARKS = {"confirmed": ("✓", "bold green"), "rejected": ("✗", "bold red")}


def similar_prompt(
    score: float,
    status: str | None,
    article: str,
    quote: str,
    ranges: list[tuple[int, int]],
) -> Text:
    """A candidate: score, review mark and article, then its quote with matches lit."""
    out = Text()
    mark, style = STATUS_MARKS.get(status or "", (" ", ""))
    out.append(f"{score:3.0f} ", style="bold")
    out.append(mark, style=style)
    out.append(" " + article, style="dim")
    out.truncate(PROMPT_CELLS, overflow="ellipsis")
    # Unmatched text dims so the shared wording stands out in any theme.
    body = Text(quote.replace("\n", " "), style="dim")
    for start, end in ranges:
        body.stylize("not dim bold underline", start, end)
    # Cut into lines here, by the document view's rules: the option list would
    # wrap Chinese anywhere (a line starting with ，).  Two lines of quote at most:
    # the panel holds five candidates.
    plain = body.plain
    lines = styled_lines(body, wrap(plain, cell_widths(plain), PROMPT_CELLS))
    if len(lines) > QUOTE_LINES:
        lines = lines[:QUOTE_LINES]
        lines[-1].truncate(PROMPT_CELLS - 1)
        lines[-1].append("…", style="dim")
    out.append("\n")
    out.append_text(Text("\n").join(lines))
    return out
