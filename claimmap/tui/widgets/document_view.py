"""The annotated document: a Line-API ``ScrollView`` over one article's canonical text.

Only visible lines are rendered, each from a per-line span index built once per
wrap, and each rendered line is kept in an LRU cache keyed on everything that
changes its look (line generation, cursor, selection, current span, filter,
search matches).  A key press therefore re-renders the one or two lines it
touches, whatever the number of spans in the article.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.color import Color
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from claimmap.models import Tag
from claimmap.textprep.matchkey import Folded, fold
from claimmap.textprep.segment import trim
from claimmap.tui.session import Document, SpanView
from claimmap.tui.textlayout import (
    Wrapped,
    column_of,
    display_text,
    next_boundary,
    offset_at_column,
    prev_boundary,
    snap_to_boundary,
    wrap,
)

GUTTER = 2
_OVERLAY = Style(underline=True, italic=True)


@dataclass(frozen=True, slots=True)
class TagStyles:
    soft: Style
    full: Style
    mark: Style


class DocumentView(ScrollView, can_focus=True):
    """Cursor, selection and spans over soft-wrapped canonical text."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "docview--selection",
        "docview--cursor",
        "docview--search",
        "docview--dim",
        "docview--gutter",
    }

    DEFAULT_CSS = """
    DocumentView {
        scrollbar-gutter: stable;
        overflow-x: hidden;
        overflow-y: scroll;
        background: $surface;
        color: $foreground;
        & > .docview--selection { background: $accent 45%; }
        & > .docview--cursor { text-style: reverse; }
        & > .docview--search { background: $warning 50%; }
        & > .docview--dim { color: $foreground 45%; }
        & > .docview--gutter { color: $foreground 30%; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "move('char', -1)", "Left", show=False, id="doc.left"),
        Binding("right,l", "move('char', 1)", "Right", show=False, id="doc.right"),
        Binding("up,k", "line(-1)", "Up", show=False, id="doc.up"),
        Binding("down,j", "line(1)", "Down", show=False, id="doc.down"),
        Binding("w,ctrl+right", "move('word', 1)", "Next word", show=False, id="doc.word-next"),
        Binding("b,ctrl+left", "move('word', -1)", "Previous word", show=False, id="doc.word-prev"),
        Binding(">", "move('clause', 1)", "Next clause", show=False, id="doc.clause-next"),
        Binding("<", "move('clause', -1)", "Previous clause", show=False, id="doc.clause-prev"),
        Binding(")", "move('sentence', 1)", "Next sentence", show=False, id="doc.sentence-next"),
        Binding(
            "(", "move('sentence', -1)", "Previous sentence", show=False, id="doc.sentence-prev"
        ),
        Binding("}", "move('paragraph', 1)", "Next paragraph", show=False, id="doc.paragraph-next"),
        Binding(
            "{", "move('paragraph', -1)", "Previous paragraph", show=False, id="doc.paragraph-prev"
        ),
        Binding("pageup", "page(-1)", "Page up", show=False, id="doc.page-up"),
        Binding("pagedown,space", "page(1)", "Page down", show=False, id="doc.page-down"),
        Binding("home", "edge(-1)", "Start of line", show=False, id="doc.home"),
        Binding("end", "edge(1)", "End of line", show=False, id="doc.end"),
        Binding("ctrl+home", "document(-1)", "Start of article", show=False, id="doc.top"),
        Binding("ctrl+end", "document(1)", "End of article", show=False, id="doc.bottom"),
        Binding("v", "visual", "Select", id="doc.visual"),
        Binding("s", "sentence", "Sentence", id="doc.sentence"),
        Binding("escape", "clear_selection", "Clear", id="doc.clear"),
        Binding("1", "tag_index(1)", "Tag", key_display="1-9", id="doc.tag-1"),
        *[
            Binding(str(k), f"tag_index({k})", "Tag", show=False, id=f"doc.tag-{k}")
            for k in range(2, 10)
        ],
        Binding("t", "command('pick_code')", "Code…", id="doc.pick-code"),
        Binding("n", "command('note')", "Note", id="doc.note"),
        Binding("x,delete", "command('delete')", "Delete", id="doc.delete"),
        Binding("]", "command('adjust', 'end+')", "Grow end", show=False, id="doc.grow"),
        Binding("[", "command('adjust', 'end-')", "Shrink end", show=False, id="doc.shrink"),
        Binding("-", "command('adjust', 'start-')", "Grow start", show=False, id="doc.grow-start"),
        Binding(
            "=", "command('adjust', 'start+')", "Shrink start", show=False, id="doc.shrink-start"
        ),
        Binding("tab", "next_span(1)", "Next span", show=False, id="doc.next-span"),
        Binding("shift+tab", "next_span(-1)", "Previous span", show=False, id="doc.prev-span"),
        Binding("u", "command('undo')", "Undo", id="doc.undo"),
        Binding("ctrl+r", "command('redo')", "Redo", show=False, id="doc.redo"),
        Binding("/", "command('search')", "Search", id="doc.search"),
        Binding("ctrl+n", "next_match(1)", "Next match", show=False, id="doc.match-next"),
        Binding("ctrl+b", "next_match(-1)", "Previous match", show=False, id="doc.match-prev"),
        Binding("f", "command('filter')", "Filter", id="doc.filter"),
    ]

    class CursorMoved(Message):
        """The cursor or current span changed (floods are collapsed)."""

        def __init__(self, view: DocumentView, offset: int, span_id: int | None) -> None:
            super().__init__()
            self.view = view
            self.offset = offset
            self.span_id = span_id

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, DocumentView.CursorMoved)

    class Command(Message):
        """A request the screen fulfils (edits, modals) with this view's state."""

        def __init__(self, name: str, argument: str | int | None = None) -> None:
            super().__init__()
            self.name = name
            self.argument = argument

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.doc: Document | None = None
        self.tags: dict[str, Tag] = {}
        self.tag_order: list[Tag] = []
        self.cursor = 0
        self.mark: int | None = None
        self.current_span: int | None = None
        self.filter_tag: str | None = None
        self.matches: list[tuple[int, int]] = []
        self._match_starts: list[int] = []
        self._folded: Folded | None = None
        self._wrapped = Wrapped(80, [0], [0])
        self._line_spans: list[list[int]] = [[]]
        # Indexes into ``doc.overlay`` per visual line: another analyst's spans.
        self._line_overlay: list[list[int]] = [[]]
        self._line_gen: list[int] = [0]
        self._gen = 0
        self._span_starts: list[tuple[int, int, int]] = []
        self._cache: LRUCache[tuple[object, ...], Strip] = LRUCache(maxsize=2000)
        self._tag_styles: dict[str, TagStyles] = {}
        self._goal_column: int | None = None
        self._dragging = False
        self._press = 0
        self._mode: tuple[int | None, bool] | None = None
        self._last_action = ""

    # -- loading and geometry ----------------------------------------------

    def set_codebook(self, tags: Iterable[Tag]) -> None:
        self.tag_order = list(tags)
        self.tags = {t.name: t for t in self.tag_order}
        self._tag_styles.clear()
        self._invalidate()

    def load(self, doc: Document | None, cursor: int = 0) -> None:
        """Show an article (or nothing) with the cursor at ``cursor``."""
        self.doc = doc
        self.mark = None
        self.current_span = None
        self.matches = []
        self._match_starts = []
        self._folded = None
        self._goal_column = None
        text_len = len(doc.text) if doc else 0
        self.cursor = snap_to_boundary(doc.text, cursor) if doc else 0
        self.cursor = min(self.cursor, text_len)
        # A plain string would be read as markup: titles come from articles.
        self.border_title = Content(
            doc.article.title if doc else "no articles: claimmap import FILES"
        )
        self._rewrap()
        self._update_current(prefer=None)
        self._scroll_to_cursor(center=True)
        self._mode_changed()
        self._announce()

    @property
    def text(self) -> str:
        return self.doc.text if self.doc else ""

    def _wrap_width(self) -> int:
        width = self.scrollable_content_region.width or self.size.width or 80
        return max(4, width - GUTTER)

    def _rewrap(self) -> None:
        doc = self.doc
        if doc is None:
            self._wrapped = Wrapped(self._wrap_width(), [0], [0])
        else:
            self._wrapped = wrap(doc.text, doc.widths, self._wrap_width(), doc.breaks)
        self._rebuild_index()
        self.virtual_size = Size(self._wrapped.width + GUTTER, len(self._wrapped))
        self._invalidate()

    def _rebuild_index(self) -> None:
        lines = len(self._wrapped)
        self._line_spans = [[] for _ in range(lines)]
        self._line_overlay = [[] for _ in range(lines)]
        self._line_gen = [0] * lines
        spans = self.doc.spans if self.doc else {}
        for span in spans.values():
            self._index_span(span)
        for n, (start, end, _tag) in enumerate(self.doc.overlay if self.doc else ()):
            for y in self._span_lines(start, end):
                self._line_overlay[y].append(n)
        self._span_starts = sorted((s.start, s.end, s.id) for s in spans.values())

    def _span_lines(self, start: int, end: int) -> range:
        line_of = self._wrapped.line_of
        return range(line_of(start), line_of(max(start, end - 1)) + 1)

    def _index_span(self, span: SpanView) -> None:
        for y in self._span_lines(span.start, span.end):
            self._line_spans[y].append(span.id)

    def _touch(self, start: int, end: int) -> None:
        for y in self._span_lines(start, end):
            self._line_gen[y] += 1

    def replace_spans(self, fresh: dict[int, SpanView], ids: Iterable[int]) -> None:
        """Swap in the database's current rows for ``ids`` (absent ones were deleted)."""
        doc = self.doc
        if doc is None:
            return
        for span_id in ids:
            old = doc.spans.pop(span_id, None)
            if old is not None:
                for y in self._span_lines(old.start, old.end):
                    lst = self._line_spans[y]
                    if span_id in lst:
                        lst.remove(span_id)
                self._touch(old.start, old.end)
            new = fresh.get(span_id)
            if new is not None:
                doc.spans[span_id] = new
                self._index_span(new)
                self._touch(new.start, new.end)
        self._span_starts = sorted((s.start, s.end, s.id) for s in doc.spans.values())
        if self.current_span is not None and self.current_span not in doc.spans:
            self.current_span = None
        self.refresh()

    def _invalidate(self) -> None:
        self._gen += 1
        self._cache.clear()
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self._wrap_width() != self._wrapped.width:
            self._rewrap()
        # The first resize comes after layout: only now is the height known, so this
        # is where a reopened article scrolls to its remembered position.
        self._scroll_to_cursor(center=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._tag_styles.clear()
        self._invalidate()

    # -- rendering ---------------------------------------------------------

    def _styles_for(self, name: str) -> TagStyles:
        cached = self._tag_styles.get(name)
        if cached is not None:
            return cached
        tag = self.tags.get(name)
        colour = Color.parse(tag.color if tag else "#888888")
        base_bg = self.rich_style.bgcolor
        background = Color.from_rich_color(base_bg) if base_bg else Color(0, 0, 0)
        soft = background.blend(colour, 0.45)
        styles = TagStyles(
            soft=Style(bgcolor=soft.rich_color, color=soft.get_contrast_text(0.95).rich_color),
            full=Style(
                bgcolor=colour.rich_color,
                color=colour.get_contrast_text(1.0).rich_color,
                bold=True,
            ),
            mark=Style(color=colour.rich_color, bold=True),
        )
        self._tag_styles[name] = styles
        return styles

    def _visible(self, span: SpanView) -> bool:
        return self.filter_tag is None or self.filter_tag in span.tags

    def selection(self) -> tuple[int, int] | None:
        if self.mark is None or self.mark == self.cursor:
            return None
        return (min(self.mark, self.cursor), max(self.mark, self.cursor))

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width or self.size.width
        base = self.rich_style
        if index >= len(self._wrapped) or self.doc is None:
            return Strip.blank(width, base)
        strip = self._line_strip(index)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _line_key(self, y: int) -> tuple[object, ...]:
        ls, le = self._wrapped.starts[y], self._wrapped.ends[y]
        on_line = self._wrapped.line_of(self.cursor) == y
        sel = self.selection()
        sel_key: tuple[int, int] | None = None
        if sel is not None and sel[0] <= le and sel[1] > ls:
            sel_key = (max(sel[0], ls), min(sel[1], le + 1))
        current = self.current_span if self.current_span in self._line_spans[y] else None
        m_lo = bisect_left(self._match_starts, ls - 200)
        m_hi = bisect_right(self._match_starts, le)
        matches = tuple(m for m in self.matches[m_lo:m_hi] if m[1] > ls)
        return (
            y,
            self._gen,
            self._line_gen[y],
            self.cursor if on_line else -1,
            sel_key,
            current,
            self.filter_tag,
            matches,
            self.has_focus,
        )

    def _line_strip(self, y: int) -> Strip:
        key = self._line_key(y)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        strip = self._render_visual_line(y, key)
        self._cache[key] = strip
        return strip

    def _render_visual_line(self, y: int, key: tuple[object, ...]) -> Strip:
        assert self.doc is not None
        doc = self.doc
        ls, le = self._wrapped.starts[y], self._wrapped.ends[y]
        cursor = key[3] if isinstance(key[3], int) else -1
        sel = key[4] if isinstance(key[4], tuple) else None
        current = key[5]
        matches: tuple[tuple[int, int], ...] = key[7]  # type: ignore[assignment]
        spans = [doc.spans[i] for i in self._line_spans[y] if self._visible(doc.spans[i])]
        overlay = [doc.overlay[i] for i in self._line_overlay[y]]
        dims = self._dims_on(ls, le)

        cuts = {ls, le}
        for start, end, _tag in overlay:
            cuts.add(max(ls, min(le, start)))
            cuts.add(max(ls, min(le, end)))
        for span in spans:
            cuts.add(max(ls, min(le, span.start)))
            cuts.add(max(ls, min(le, span.end)))
        for a, b in dims:
            cuts.update((max(ls, a), min(le, b)))
        for a, b in matches:
            cuts.update((max(ls, min(le, a)), max(ls, min(le, b))))
        if sel is not None:
            cuts.update((max(ls, sel[0]), min(le, sel[1])))
        cursor_end = -1
        if ls <= cursor < le:
            cursor_end = min(le, next_boundary(doc.text, cursor))
            cuts.update((cursor, cursor_end))
        points = sorted(cuts)

        base = self.rich_style
        dim = self.get_component_rich_style("docview--dim", partial=True)
        sel_style = self.get_component_rich_style("docview--selection", partial=True)
        cursor_style = self.get_component_rich_style("docview--cursor", partial=True)
        search_style = self.get_component_rich_style("docview--search", partial=True)
        overlap = Style(underline=True, bold=True)
        text = doc.text
        segments: list[Segment] = []
        for a, b in pairwise(points):
            if a >= b:
                continue
            style = base
            covering = [s for s in spans if s.start < b and s.end > a]
            if any(d0 < b and d1 > a for d0, d1 in dims):
                style += dim
            if covering:
                primary = next((s for s in covering if s.id == current), None)
                if primary is None:
                    primary = min(covering, key=lambda s: (s.end - s.start, s.id))
                name = self._first_visible_tag(primary)
                tag_styles = self._styles_for(name)
                style += tag_styles.full if primary.id == current else tag_styles.soft
                if len(covering) > 1 or len(primary.tags) > 1:
                    style += overlap
            elif self.filter_tag is not None:
                style += dim
            ghost = next((o for o in overlay if o[0] < b and o[1] > a), None)
            if ghost is not None:
                # Another analyst's span: underlined (in its code's colour where our
                # own spans leave the text unfilled), never filled like ours.
                style += _OVERLAY if covering else _OVERLAY + self._styles_for(ghost[2]).mark
            if any(m0 < b and m1 > a for m0, m1 in matches):
                style += search_style
            if sel is not None and sel[0] <= a and b <= sel[1]:
                style += sel_style
            if a == cursor:
                style += cursor_style
            # Within one visual line: no newline here, every control a blank.
            segments.append(Segment(display_text(text[a:b]), style))
        if cursor == le or (sel is not None and sel[1] > le and sel[0] <= le and le < len(text)):
            # The cursor (or a selection running past the line end) shows on the newline.
            extra = base + (cursor_style if cursor == le else sel_style)
            segments.append(Segment(" ", extra))
        return Strip([self._gutter(spans, ls, le), *segments])

    def _first_visible_tag(self, span: SpanView) -> str:
        if self.filter_tag is not None and self.filter_tag in span.tags:
            return self.filter_tag
        return span.tags[0] if span.tags else ""

    def _gutter(self, spans: list[SpanView], ls: int, le: int) -> Segment:
        """A coloured mark when a span starts on the line; its count when several do."""
        starting = [s for s in spans if ls <= s.start < max(le, ls + 1)]
        base = self.rich_style + self.get_component_rich_style("docview--gutter", partial=True)
        if not spans:
            return Segment(" " * GUTTER, base)
        first = starting[0] if starting else spans[0]
        mark_style = self._styles_for(self._first_visible_tag(first)).mark
        if not starting:
            return Segment("│".ljust(GUTTER), base + mark_style)
        mark = "▌" if len(starting) == 1 else str(min(len(starting), 9))
        return Segment(mark.ljust(GUTTER), base + mark_style)

    def _dims_on(self, ls: int, le: int) -> list[tuple[int, int]]:
        assert self.doc is not None
        regions = self.doc.dim_regions
        out = []
        k = bisect_right(regions, (le, le))
        for a, b in reversed(regions[max(0, k - 20) : k]):
            if b > ls and a < max(le, ls + 1):
                out.append((a, b))
        return out

    # -- cursor bookkeeping -------------------------------------------------

    def _refresh_offsets(self, *offsets: int | None) -> None:
        ys = [self._wrapped.line_of(o) for o in offsets if o is not None]
        if ys:
            top = min(ys)
            self.refresh_lines(top, max(ys) - top + 1)

    def _set_cursor(self, offset: int, *, keep_goal: bool = False) -> None:
        old_cursor, old_anchor, old_span = self.cursor, self.mark, self.current_span
        self.cursor = max(0, min(offset, len(self.text)))
        if not keep_goal:
            self._goal_column = None
        self._update_current(prefer=self.current_span)
        self._refresh_offsets(old_cursor, self.cursor, old_anchor)
        if old_span != self.current_span:
            self._refresh_span(old_span)
            self._refresh_span(self.current_span)
            self._mode_changed()
        self._scroll_to_cursor()
        self._announce()

    def _refresh_span(self, span_id: int | None) -> None:
        if span_id is None or self.doc is None or span_id not in self.doc.spans:
            return
        span = self.doc.spans[span_id]
        lines = self._span_lines(span.start, span.end)
        self.refresh_lines(lines.start, len(lines))

    def _update_current(self, prefer: int | None) -> None:
        """The current span is the innermost visible span under the cursor."""
        if self.doc is None:
            self.current_span = None
            return
        spans = self.doc.spans
        if prefer is not None and prefer in spans:
            p = spans[prefer]
            if p.start <= self.cursor < p.end and self._visible(p):
                self.current_span = prefer
                return
        y = self._wrapped.line_of(self.cursor)
        under = [
            spans[i]
            for i in self._line_spans[y]
            if spans[i].start <= self.cursor < spans[i].end and self._visible(spans[i])
        ]
        self.current_span = min(under, key=lambda s: (s.end - s.start, s.id)).id if under else None

    def _scroll_to_cursor(self, center: bool = False) -> None:
        y = self._wrapped.line_of(self.cursor)
        height = self.scrollable_content_region.height or self.size.height
        top = int(self.scroll_y)
        if center and not (top <= y < top + height):
            self.scroll_to(y=max(0, y - height // 3), animate=False, immediate=True)
        elif y < top:
            self.scroll_to(y=y, animate=False, immediate=True)
        elif height and y >= top + height:
            self.scroll_to(y=y - height + 1, animate=False, immediate=True)

    def _announce(self) -> None:
        self.post_message(self.CursorMoved(self, self.cursor, self.current_span))

    def _mode_changed(self) -> None:
        """Show the keys that matter now in the view's bottom border.

        The footer is kept static on purpose: ``refresh_bindings`` makes it rebuild
        every key widget (tens of milliseconds), which moving in and out of spans
        would trigger on most key presses.
        """
        mode = (self.current_span, self.mark is not None)
        if mode == self._mode:
            return
        self._mode = mode
        hints: list[str] = []
        if self.mark is not None:
            hints.append("SELECT · 1-9/m/i/r/L tag · t code · esc clear")
        elif self.current_span is not None and self.doc is not None:
            span = self.doc.spans.get(self.current_span)
            names = ",".join(span.tags) if span else ""
            hints.append(
                f"span {self.current_span} ({names}) · n note · x delete · [ ] - = "
                "boundary · keys toggle codes"
            )
        else:
            hints.append("v select · s sentence · tab next span")
        if self.filter_tag:
            hints.append(f"filter: {self.filter_tag}")
        # Code names are the analyst's: never read them as markup.
        self.border_subtitle = Content("  ".join(hints))

    # -- motions ------------------------------------------------------------

    def action_move(self, unit: str, direction: int) -> None:
        if self.doc is None:
            return
        text = self.doc.text
        if unit == "char":
            target = (
                next_boundary(text, self.cursor)
                if direction > 0
                else prev_boundary(text, self.cursor)
            )
        elif direction > 0:
            target = self.doc.segmentation.next_stop(unit, self.cursor)
        else:
            target = self.doc.segmentation.prev_stop(unit, self.cursor)
        self._last_action = "move"
        self._set_cursor(snap_to_boundary(text, target))

    def action_line(self, delta: int) -> None:
        if self.doc is None:
            return
        wrapped = self._wrapped
        y = wrapped.line_of(self.cursor)
        if self._goal_column is None:
            self._goal_column = column_of(self.doc.widths, wrapped.starts[y], self.cursor)
        target_y = max(0, min(len(wrapped) - 1, y + delta))
        if target_y == y:
            target = 0 if delta < 0 else len(self.doc.text)
        else:
            target = offset_at_column(
                self.doc.widths,
                wrapped.starts[target_y],
                wrapped.ends[target_y],
                self._goal_column,
            )
        self._last_action = "move"
        self._set_cursor(snap_to_boundary(self.doc.text, target), keep_goal=True)

    def action_page(self, direction: int) -> None:
        height = max(1, (self.scrollable_content_region.height or 10) - 2)
        self.action_line(direction * height)

    def action_edge(self, direction: int) -> None:
        y = self._wrapped.line_of(self.cursor)
        self._set_cursor(self._wrapped.starts[y] if direction < 0 else self._wrapped.ends[y])

    def action_document(self, direction: int) -> None:
        self._set_cursor(0 if direction < 0 else len(self.text))

    def action_visual(self) -> None:
        old = self.mark
        self.mark = None if self.mark is not None else self.cursor
        self._last_action = "visual"
        self._refresh_offsets(old, self.cursor)
        self._mode_changed()

    def action_clear_selection(self) -> None:
        old = self.mark
        self.mark = None
        self._refresh_offsets(old, self.cursor)
        self._mode_changed()

    def action_sentence(self) -> None:
        """Select the sentence at the cursor; again, grow the selection by a sentence."""
        if self.doc is None or not self.text:
            return
        seg = self.doc.segmentation
        sel = self.selection()
        if self._last_action == "sentence" and sel is not None:
            nxt = seg.sentence_after(sel[1])
            if nxt is None:
                return
            self.select(sel[0], nxt[1], trimmed=True)
        else:
            found = seg.sentence_at(self.cursor)
            if found is None:
                return
            self.select(*found, trimmed=True)
        self._last_action = "sentence"

    def select(self, start: int, end: int, *, trimmed: bool = False) -> None:
        """Select [start, end) with the cursor at its end."""
        if trimmed:
            start, end = trim(self.text, start, end)
        old = self.selection()
        self.mark = start
        self._set_cursor(end)
        if old is not None:
            self._refresh_offsets(old[0], old[1])
        self._refresh_offsets(start, end)
        self._mode_changed()

    # -- spans navigation ---------------------------------------------------

    def action_next_span(self, direction: int) -> None:
        if self.doc is None:
            return
        visible = [t for t in self._span_starts if self._visible(self.doc.spans[t[2]])]
        if not visible:
            self.notify("no spans to jump to", severity="warning")
            return
        cur = self.doc.spans.get(self.current_span) if self.current_span else None
        key = (cur.start, cur.end, cur.id) if cur else (self.cursor, -1, -1)
        if direction > 0:
            k = bisect_right(visible, key)
            target = visible[k] if k < len(visible) else visible[0]
        else:
            k = bisect_left(visible, key) - 1
            target = visible[k] if k >= 0 else visible[-1]
        self.focus_span(target[2])

    def focus_span(self, span_id: int) -> None:
        if self.doc is None or span_id not in self.doc.spans:
            return
        span = self.doc.spans[span_id]
        old = self.current_span
        self.action_clear_selection()
        self.current_span = span_id
        self._set_cursor(span.start)
        self._refresh_span(old)
        self._refresh_span(span_id)
        self._announce()
        self._mode_changed()

    # -- requests to the screen ---------------------------------------------

    def action_command(self, name: str, argument: str | int | None = None) -> None:
        """Ask the screen to run ``name`` (tag, note, delete, adjust, undo...)."""
        self._last_action = name
        self.post_message(self.Command(name, argument))

    def action_tag_index(self, number: int) -> None:
        if 0 < number <= len(self.tag_order):
            self.action_command("tag", self.tag_order[number - 1].name)
        else:
            self.notify(
                f"no code number {number} in the codebook", severity="warning", markup=False
            )

    def on_key(self, event: events.Key) -> None:
        # Each code's key, exactly as the codebook shows it (never one bound above:
        # services.codebook.RESERVED_KEYS keeps codes off the app's own keys).
        char = event.character
        if not char or not char.isprintable() or char.isdigit():
            return
        bound = {
            k
            for node in (self, self.app)
            for b in node.BINDINGS
            if isinstance(b, Binding)
            for k in b.key.split(",")
        }
        if char in bound:
            return
        for tag in self.tag_order:
            if tag.key == char:
                event.stop()
                event.prevent_default()
                self.action_command("tag", tag.name)
                return

    # -- filter and search -----------------------------------------------------

    def set_filter(self, tag: str | None) -> None:
        self.filter_tag = tag
        self._mode = None
        self._update_current(prefer=self.current_span)
        self._invalidate()
        self._mode_changed()
        self._announce()

    def search(self, query: str) -> int:
        """Find ``query`` ignoring script, width and punctuation; select the next hit.

        Folding drops line breaks with the rest of the white space, so a hit that
        would run from one paragraph into the next is not one."""
        if self.doc is None:
            return 0
        if self._folded is None:
            self._folded = fold(self.doc.text)
        needle = fold(query).key
        self.matches = []
        if needle:
            key = self._folded.key
            pos = key.find(needle)
            text = self.doc.text
            while pos != -1:
                start, end = self._folded.source_range(pos, pos + len(needle))
                if "\n" not in text[start:end]:
                    self.matches.append((start, end))
                pos = key.find(needle, pos + 1)
        self._match_starts = [m[0] for m in self.matches]
        self._invalidate()
        if self.matches:
            self.action_next_match(1, from_offset=self.cursor - 1)
        return len(self.matches)

    def action_next_match(self, direction: int, from_offset: int | None = None) -> None:
        if not self.matches:
            self.notify("no search matches (press / to search)", severity="warning")
            return
        sel = self.selection()
        origin = sel[0] if sel is not None else self.cursor
        if from_offset is not None:
            origin = from_offset
        if direction > 0:
            k = bisect_right(self._match_starts, origin)
            hit = self.matches[k % len(self.matches)]
        else:
            k = bisect_left(self._match_starts, origin) - 1
            hit = self.matches[k]
        self.select(*hit)

    # -- mouse ---------------------------------------------------------------

    def _offset_at(self, event: events.MouseEvent) -> int | None:
        if self.doc is None:
            return None
        content = event.get_content_offset_capture(self)
        y = content.y + int(self.scroll_y)
        y = max(0, min(len(self._wrapped) - 1, y))
        column = max(0, content.x - GUTTER)
        ls, le = self._wrapped.starts[y], self._wrapped.ends[y]
        offset = offset_at_column(self.doc.widths, ls, le, column)
        return snap_to_boundary(self.doc.text, offset)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = self._offset_at(event)
        if offset is None:
            return
        self.focus()
        self._dragging = True
        self._press = offset
        self.capture_mouse()
        old = self.mark
        self.mark = offset
        self._refresh_offsets(old, self.cursor)
        self._set_cursor(offset)

    def _drag_to(self, offset: int) -> None:
        # Dragging forward includes the glyph under the pointer, like any editor.
        target = next_boundary(self.text, offset) if offset > self._press else offset
        if offset == self._press:
            target = offset
        if target != self.cursor:
            self._set_cursor(target)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        offset = self._offset_at(event)
        if offset is not None:
            self._drag_to(offset)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if not self._dragging:
            return
        self._dragging = False
        self.capture_mouse(False)
        offset = self._offset_at(event)
        if offset is not None:
            self._drag_to(offset)
        if self.mark == self.cursor:
            self.mark = None
        self._mode_changed()

    def on_focus(self) -> None:
        self._invalidate()

    def on_blur(self) -> None:
        self._invalidate()
