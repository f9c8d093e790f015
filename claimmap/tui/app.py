"""The annotator app: layout, article switching, and edits requested by the document view."""

from __future__ import annotations

import importlib.util
import sqlite3
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from sqlite_utils import Database
from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.dom import DOMNode
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, OptionList, Static

from claimmap.anchoring import offset_map
from claimmap.errors import ArticleChanged, ClaimmapError
from claimmap.models import LinkStatus
from claimmap.services.analyst import adopt_annotator
from claimmap.services.argument_map import claim_of_span
from claimmap.services.relations import get_relation
from claimmap.store import open_db
from claimmap.store.articles import list_articles
from claimmap.store.spans import query_spans, tag_counts_by_article
from claimmap.textprep.segment import trim
from claimmap.tui import layers, state
from claimmap.tui.background import run_with_db
from claimmap.tui.screens.argument_map import ArgumentMapScreen
from claimmap.tui.screens.claims import ClaimsScreen
from claimmap.tui.screens.compare import CompareScreen
from claimmap.tui.screens.help import HelpScreen, code_rows, describe
from claimmap.tui.screens.note import NoteModal
from claimmap.tui.screens.picker import FuzzyPicker, Picked, code_items
from claimmap.tui.screens.review import ReviewScreen
from claimmap.tui.screens.search import SearchModal
from claimmap.tui.session import Outcome, Session
from claimmap.tui.similar_cache import SimilarCache
from claimmap.tui.span_claims import MarkedSpan, link_to_marked, mark_current, span_claim_commands
from claimmap.tui.span_relations import refresh_relations, relate_to_marked
from claimmap.tui.textlayout import next_boundary, prev_boundary
from claimmap.tui.widgets.article_list import ArticleList, ArticleRow
from claimmap.tui.widgets.document_view import DocumentView
from claimmap.tui.widgets.span_panel import (
    RelationList,
    SimilarList,
    SpanList,
    SpanPanel,
    similar_prompt,
)
from claimmap.wording import count

SAVE_DELAY = 1.0
PANEL_DELAY = 0.2
# The linker is CPU-heavy and shares the GIL with the UI: only ask once the cursor rests.
SIMILAR_DELAY = 0.8
# After an edit the analyst waits for the suggestions: ask almost at once.
SIMILAR_AFTER_EDIT_DELAY = 0.2
# How often the app looks for commits by other processes (the CLI, sqlite-utils, a
# second app): one PRAGMA on the app's connection, so cheap enough to do often.
EXTERNAL_POLL = 0.5
# From this width on, the article list, the document and the span panel fit side by side.
WIDE_LAYOUT = 120
SIMILAR_QUOTE_CHARS = 160
SIMILAR_TITLE_CHARS = 20
ALL_CODES = "\x00all"
# Actions of the app's own keys that only make sense on the main screen.
MAIN_SCREEN_ACTIONS = frozenset(
    {
        "help",
        "goto_article",
        "step_article",
        "claims",
        "compare",
        "review",
        "focus_articles",
        "focus_panel",
        "focus_similar",
        "focus_document",
        "mark_span",
        "link_marked",
        "relate_marked",
    }
)


def linker_available() -> bool:
    return importlib.util.find_spec("claimmap.services.linking") is not None


class ClaimmapApp(App[None]):
    """Read, select and tag spans; every change is committed as it happens."""

    CSS_PATH = "claimmap.tcss"
    TITLE = "claimmap"
    # Textual declares this as a plain list attribute; narrow terminals drop side panels.
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012
        (0, "-very-narrow"),
        (80, "-narrow"),
        (WIDE_LAYOUT, "-wide"),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("g", "goto_article", "Article…", id="app.goto"),
        Binding("J", "step_article(1)", "Next article", show=False, id="app.next-article"),
        Binding("K", "step_article(-1)", "Previous article", show=False, id="app.prev-article"),
        Binding("C", "claims", "Claims", show=False, id="app.claims"),
        Binding("a", "focus_articles", "Focus article list", show=False, id="app.articles"),
        Binding("p", "focus_panel", "Focus span panel", show=False, id="app.panel"),
        Binding("P", "focus_similar", "Focus similar claims", show=False, id="app.similar"),
        Binding("c", "compare", "Compare", id="app.compare"),
        Binding("V", "review", "Review links", show=False, id="app.review"),
        Binding("ctrl+g", "argument_map", "Argument map", show=False, id="app.argument-map"),
        Binding("A", "adjudicate", "Adjudicate", show=False, id="app.adjudicate"),
        Binding("ctrl+l", "mark_span", "Mark span for linking", show=False, id="app.mark"),
        Binding("ctrl+k", "link_marked", "Link to marked span", show=False, id="app.link"),
        Binding(
            "ctrl+s",
            "relate_marked('supports')",
            "Marked span supports",
            show=False,
            id="app.supports",
        ),
        Binding(
            "ctrl+a",
            "relate_marked('attacks')",
            "Marked span attacks",
            show=False,
            id="app.attacks",
        ),
        Binding("escape", "focus_document", "Back to document", show=False, id="app.document"),
        Binding("y", "pick_layer", "Layer…", show=False, id="app.layer"),
        Binding("Y", "pick_overlay", "Overlay a layer…", show=False, id="app.overlay"),
    ]

    def __init__(
        self, db: Database, *, annotator: str | None = None, layer: str | None = None
    ) -> None:
        super().__init__()
        self.db = db
        self._annotator = annotator
        self.session = Session(db, annotator=annotator, layer=layer)
        self.article_id: int | None = None
        self._positions: dict[int, int] = {}
        self._save_timer: Timer | None = None
        self._panel_timer: Timer | None = None
        self._similar_timer: Timer | None = None
        self.similar_cache = SimilarCache()
        self._similar_scores: dict[int, float] = {}
        self._similar_for: int | None = None
        self._last_query = ""
        self.marked: MarkedSpan | None = None
        self._data_version = self._read_data_version()

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield ArticleList(id="articles")
            yield DocumentView(id="document")
            yield SpanPanel(id="span-panel")
        # Status messages quote titles, codes and queries: never read them as markup.
        yield Static("", id="status", markup=False)
        yield Footer()

    @property
    def view(self) -> DocumentView:
        return self.query_one(DocumentView)

    def on_load(self) -> None:
        if self._annotator is not None:
            # Set in the app's own task context, which its tasks and workers copy, so
            # everything the app writes is this analyst's; set in ``__init__`` it
            # leaked into the caller's context (a test's, then every later test).
            adopt_annotator(self._annotator)

    def on_mount(self) -> None:
        self.view.set_codebook(self.session.tags)
        self._positions = state.saved_positions(self.db)
        articles = list_articles(self.db)
        if not articles:
            self.view.load(None)
            self.status(
                "Empty database: import articles with 'claimmap import FILES', "
                "or try 'claimmap demo'."
            )
        else:
            last = state.last_article(self.db)
            ids = [a.id for a in articles]
            self.open_article(last if last in ids else ids[0])
        self.view.focus()
        self.set_interval(EXTERNAL_POLL, self.sync_external)

    # -- other processes -------------------------------------------------------

    def _read_data_version(self) -> int:
        # Changes whenever another connection commits (never for our own commits).
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def sync_external(self) -> bool:
        """Re-read what other processes committed; True when the open article's text
        changed (offsets the reader chose before are then meaningless)."""
        try:
            version = self._read_data_version()
        except sqlite3.Error:
            return False
        if version == self._data_version:
            return False
        self._data_version = version
        self.similar_cache.invalidate()
        self._schedule_articles()
        # Relations others stated show in the panel even when no span changed.
        self._schedule_panel()
        doc = self.view.doc
        if doc is None or self.article_id is None:
            return False
        row = self.db.execute(
            "SELECT text_sha256 FROM articles WHERE id = ?", [self.article_id]
        ).fetchone()
        if row is not None and row[0] != doc.article.text_sha256:
            self._reread_article(doc.text)
            return True
        fresh = self.session.span_views(self.article_id)
        changed = {i for i in fresh.keys() | doc.spans.keys() if fresh.get(i) != doc.spans.get(i)}
        if changed:
            self.view.replace_spans(fresh, changed)
            self._schedule_panel()
        return False

    def _reread_article(self, old_text: str) -> None:
        """Load the article's new text, keeping the reader's place in it: the cursor
        follows the text, and so does a selection whose passage is unchanged."""
        assert self.article_id is not None
        view = self.view
        selected = view.selection()
        doc = self.session.load(self.article_id)
        moved = offset_map(old_text, doc.text)
        view.load(doc, min(moved(view.cursor), len(doc.text)))
        if selected is not None:
            start, end = moved(selected[0]), moved(selected[1])
            if start < end and doc.text[start:end] == old_text[selected[0] : selected[1]]:
                view.select(start, end)
        self._refresh_panel()
        self.status(f"{doc.article.ref} was updated by another process: re-read, your place kept")

    def status(self, message: str) -> None:
        if self.marked is not None:
            message += (
                f" · marked: {self.marked.describe()} "
                "(ctrl+k links, ctrl+s supports, ctrl+a attacks)"
            )
        self.query_one("#status", Static).update(message)

    # -- articles ------------------------------------------------------------

    def open_article(self, article_id: int, cursor: int | None = None) -> None:
        self._save_position()
        try:
            doc = self.session.load(article_id)
        except ClaimmapError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.article_id = article_id
        if cursor is None:
            cursor = self._positions.get(article_id)
        if cursor is None:
            sentences = doc.segmentation.sentences
            cursor = sentences[0][0] if sentences else 0
        self.view.load(doc, cursor)
        self._save_position()
        self._refresh_articles()
        self._refresh_panel()
        self.status(
            f"{doc.article.ref} · {count(doc.article.chars, 'character')} · "
            f"{count(len(doc.spans), 'span')}" + self._narrow_hint()
        )

    def _refresh_articles(self) -> None:
        counts = tag_counts_by_article(self.db)
        rows = [
            ArticleRow(a, counts.get(a.id, {}), self._positions.get(a.id, 0))
            for a in list_articles(self.db)
        ]
        self.query_one(ArticleList).show(rows, self.session.tags, self.article_id)

    @on(OptionList.OptionSelected, "#articles")
    def _article_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and event.option.id.isdigit():
            self.open_article(int(event.option.id))
            self.action_focus_document()

    def action_step_article(self, delta: int) -> None:
        ids = [a.id for a in list_articles(self.db)]
        if not ids:
            return
        k = ids.index(self.article_id) if self.article_id in ids else -1
        self.open_article(ids[(k + delta) % len(ids)])

    def action_goto_article(self) -> None:
        items = [
            (str(a.id), f"{a.ref}  {a.title}" if a.title != a.ref else a.ref)
            for a in list_articles(self.db)
        ]

        def chosen(picked: Picked | None) -> None:
            if picked and picked.value.isdigit():
                self.open_article(int(picked.value))
            self.view.focus()

        self.push_screen(FuzzyPicker("Jump to article", items), chosen)

    # -- remembering the position ---------------------------------------------

    def _save_position(self) -> None:
        if self.article_id is None:
            return
        cursor = self.view.cursor
        self._positions[self.article_id] = cursor
        try:
            state.remember(self.db, self.article_id, cursor)
        except Exception as exc:  # a locked database must not crash the reader
            self.status(f"could not remember the position: {exc}")

    @on(DocumentView.CursorMoved)
    def _cursor_moved(self, event: DocumentView.CursorMoved) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.view.set_timer(SAVE_DELAY, self._save_position)
        self._schedule_panel()

    def _schedule_panel(self) -> None:
        if self._panel_timer is not None:
            self._panel_timer.stop()
        self._panel_timer = self.query_one(SpanPanel).set_timer(PANEL_DELAY, self._refresh_panel)

    def _refresh_panel(self) -> None:
        view = self.view
        doc = view.doc
        if doc is None:
            return
        panel = self.query_one(SpanPanel)
        panel.show_spans(
            doc.text, doc.spans, view.tags, view.current_span, view.cursor, view.filter_tag
        )
        refresh_relations(self)
        if view.current_span != self._similar_for:
            self._similar_for = view.current_span
            if self._similar_timer is not None:
                self._similar_timer.stop()
            span_id = view.current_span
            self._similar_timer = panel.set_timer(
                SIMILAR_DELAY, lambda: self._load_similar(span_id)
            )

    async def action_quit(self) -> None:
        self._save_position()
        self.exit()

    # -- similar claims (linker) ---------------------------------------------

    def _load_similar(self, span_id: int | None) -> None:
        if span_id != self.view.current_span:
            return
        panel = self.query_one(SpanPanel)
        if not linker_available():
            panel.show_similar(None, "Similar claims: linker not available")
            return
        if span_id is None:
            panel.show_similar(None, "Similar claims: no span under cursor")
            return
        panel.show_similar(None, "Similar claims: searching…")
        layer = self.session.layer
        run_with_db(
            self,
            self.db,
            lambda db: self._similar_rows(db, span_id, layer),
            lambda result: self._show_similar(span_id, *result),
            group="similar",
            exclusive=True,
        )

    def _similar_rows(
        self, db: Database, span_id: int, layer: str | None = None
    ) -> tuple[list[tuple[int, float, Text]], str]:
        from claimmap.exporters.matrix import short_title
        from claimmap.linking.highlight import matched_ranges

        try:
            found = self.similar_cache.similar(db, span_id, top=5, annotator=layer)
            row = db.execute("SELECT quote FROM spans WHERE id = ?", [span_id]).fetchone()
            query = str(row[0]) if row else ""
            titles = {
                str(ref): short_title(str(title), SIMILAR_TITLE_CHARS)
                for ref, title in db.execute(
                    f"SELECT ref, title FROM articles WHERE ref IN ({','.join('?' * len(found))})",
                    [s.article for s in found],
                )
            }
        except Exception as exc:  # the panel must survive a linker failure
            return [], f"Similar claims: {exc}"
        rows = []
        for s in found:
            # Only the head of a long quote is shown: match only that much.
            shown = s.quote[:SIMILAR_QUOTE_CHARS]
            prompt = similar_prompt(
                s.score,
                s.status,
                titles.get(s.article, s.article),
                shown,
                matched_ranges(query, shown),
            )
            rows.append((s.span, s.score, prompt))
        return rows, (
            f"Similar claims ({len(rows)}) · P: review, a/r" if rows else "Similar claims: none"
        )

    def _show_similar(
        self, span_id: int, rows: list[tuple[int, float, Text]], message: str
    ) -> None:
        if self.is_running and span_id == self.view.current_span:
            self._similar_scores = {other: score for other, score, _ in rows}
            self.query_one(SpanPanel).show_similar(
                [(other, prompt) for other, _, prompt in rows], message
            )

    @on(SimilarList.Judged)
    def _judged(self, event: SimilarList.Judged) -> None:
        current = self.view.current_span
        if current is None or not linker_available():
            return
        other = event.other_span
        status: LinkStatus = "confirmed" if event.status == "confirmed" else "rejected"
        # The score shown is the linker's: passing it spares a full index build.
        score = self._similar_scores.get(other)
        self.guard(lambda: self.session.judge(current, other, status, score))

    @on(SimilarList.OptionSelected, "#similar-list")
    def _similar_chosen(self, event: OptionList.OptionSelected) -> None:
        # Enter on a candidate goes there: to read it in context, or to link it by
        # hand to a marked span.
        if event.option.id and event.option.id.isdigit():
            self.goto_span(int(event.option.id))
            self.action_focus_document()

    @on(RelationList.OptionSelected, "#relation-list")
    def _relation_chosen(self, event: OptionList.OptionSelected) -> None:
        # Enter on a relation goes to the span at its other end, in its article.
        listing = self.query_one(RelationList)
        relation_id = int(event.option.id) if event.option.id and event.option.id.isdigit() else 0
        if relation_id in listing.others:
            self.goto_span(listing.others[relation_id])
            self.action_focus_document()

    @on(RelationList.Delete)
    def _relation_deleted(self, event: RelationList.Delete) -> None:
        relation_id = event.relation_id
        last = self.query_one(RelationList).option_count <= 1
        self.guard(lambda: self.session.unrelate(relation_id))
        if last:
            # The list hides with its last relation: back to the document, where u undoes.
            self.action_focus_document()

    @on(RelationList.EditNote)
    def _relation_note(self, event: RelationList.EditNote) -> None:
        relation_id = event.relation_id
        try:
            relation = get_relation(self.session.db, relation_id)
        except ClaimmapError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return

        def saved(body: str | None) -> None:
            if body is not None and body != (relation.note or ""):
                self.guard(lambda: self.session.relation_note(relation_id, body))
                refresh_relations(self)

        subject = f"Note on relation {relation_id}: span {relation.source} {relation.type} span {relation.target}"
        self.push_screen(NoteModal("", relation.note or "", subject=subject), saved)

    @on(SpanList.OptionSelected, "#span-list")
    def _span_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and event.option.id.isdigit():
            self.view.focus_span(int(event.option.id))
            self.action_focus_document()

    # -- edits -----------------------------------------------------------------

    def _apply(self, outcome: Outcome | None, empty: str = "") -> None:
        if outcome is None:
            self.status(empty)
            return
        view = self.view
        if outcome.codebook:
            view.set_codebook(self.session.tags)
        if outcome.article_id is not None and outcome.article_id != self.article_id:
            self.open_article(outcome.article_id)
        else:
            fresh = self.session.read_spans(outcome.span_ids)
            view.replace_spans(fresh, outcome.span_ids)
            view.action_clear_selection()
        if outcome.focus is not None:
            view.focus_span(outcome.focus)
        else:
            view._set_cursor(view.cursor)
        self.status(outcome.message)
        for warning in outcome.warnings:
            self.notify(warning, severity="warning", markup=False)
        # Only the touched spans are re-read into the linker index (no full re-link),
        # and the edited span's suggestions follow at once unless the cursor moves on.
        self.similar_cache.touched(outcome.span_ids)
        self._similar_for = span_id = view.current_span
        if self._similar_timer is not None:
            self._similar_timer.stop()
        self._similar_timer = self.query_one(SpanPanel).set_timer(
            SIMILAR_AFTER_EDIT_DELAY, lambda: self._load_similar(span_id)
        )
        self._schedule_panel()
        self._schedule_articles()

    def _schedule_articles(self) -> None:
        # The timer belongs to the list, so it dies with it when the app closes.
        self.query_one(ArticleList).set_timer(PANEL_DELAY, self._refresh_articles)

    def _stale(self) -> bool:
        """Before acting on offsets: if the article changed under the reader, re-read
        it and refuse this once (the selection was made on the old text)."""
        if self.sync_external():
            self.notify(
                "the article was updated by another process and has been re-read: "
                "nothing was stored; select the passage again",
                severity="warning",
            )
            return True
        return False

    def guard(self, fn: Callable[[], Outcome | None], empty: str = "") -> None:
        reason = layers.read_only_reason(self.session.layer, self.session.annotator)
        if reason is not None:
            self.notify(reason, severity="warning", markup=False)
            return
        try:
            outcome = fn()
        except ArticleChanged as exc:
            # Another process committed between our check and the write unit.
            self.sync_external()
            self.notify(str(exc), severity="warning", markup=False)
            return
        except ClaimmapError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        except sqlite3.Error as exc:
            # e.g. another process held the write lock past the busy timeout: the unit
            # rolled back, nothing was half-written; say so instead of crashing.
            self.notify(f"database error, change not saved: {exc}", severity="error", markup=False)
            return
        self._apply(outcome, empty)

    def tag(self, name: str) -> None:
        view = self.view
        doc = view.doc
        if doc is None or self.article_id is None:
            return
        if self._stale():
            return
        aid = self.article_id
        sel = view.selection()
        text = doc.text
        if sel is not None:
            start, end = trim(text, *sel)
            if start >= end:
                self.notify("the selection holds only whitespace", severity="warning")
                return
            self.guard(lambda: self.session.annotate(aid, start, end, name, text[start:end]))
        elif view.current_span is not None:
            span_id = view.current_span
            self.guard(lambda: self.session.toggle_tag(span_id, name))
        else:
            found = doc.segmentation.sentence_at(view.cursor)
            if found is None:
                self.notify("nothing to tag here", severity="warning")
                return
            start, end = trim(text, *found)
            if start < end:
                self.guard(lambda: self.session.annotate(aid, start, end, name, text[start:end]))

    @on(DocumentView.Command)
    def _command(self, event: DocumentView.Command) -> None:
        view = self.view
        name, arg = event.name, event.argument
        if name == "tag" and isinstance(arg, str):
            self.tag(arg)
        elif name == "undo":
            self.action_undo()
        elif name == "redo":
            self.action_redo()
        elif name == "pick_code":
            self._pick_code()
        elif name == "filter":
            self._pick_filter()
        elif name == "search":
            self.push_screen(SearchModal(self._last_query), self._searched)
        elif view.current_span is None:
            self.notify("no span under the cursor (Tab jumps to the next one)", severity="warning")
        elif name == "note":
            self._edit_note(view.current_span)
        elif name == "delete":
            span_id = view.current_span
            self.guard(lambda: self.session.delete(span_id))
        elif name == "adjust" and isinstance(arg, str):
            self._adjust(view.current_span, arg)

    def action_undo(self) -> None:
        self.guard(self.session.undo, "nothing to undo")

    def action_redo(self) -> None:
        self.guard(self.session.redo, "nothing to redo")

    def _adjust(self, span_id: int, how: str) -> None:
        if self._stale():
            return
        doc = self.view.doc
        if doc is None or span_id not in doc.spans:
            return
        span = doc.spans[span_id]
        start, end = span.start, span.end
        if how == "end+":
            end = next_boundary(doc.text, end)
        elif how == "end-":
            end = prev_boundary(doc.text, end)
        elif how == "start-":
            start = prev_boundary(doc.text, start)
        elif how == "start+":
            start = next_boundary(doc.text, start)
        if start >= end or (start, end) == (span.start, span.end):
            self.notify("the span cannot shrink further", severity="warning")
            return
        text = doc.text
        self.guard(lambda: self.session.adjust(span_id, start, end, text[start:end]))

    def _edit_note(self, span_id: int) -> None:
        doc = self.view.doc
        if doc is None:
            return
        span = doc.spans[span_id]

        def saved(body: str | None) -> None:
            if body is not None and body != (span.note or ""):
                self.guard(lambda: self.session.note(span_id, body))

        self.push_screen(NoteModal(doc.text[span.start : span.end], span.note or ""), saved)

    def _pick_code(self) -> None:
        items = code_items(self.session.tags)

        def chosen(picked: Picked | None) -> None:
            if picked is None:
                return
            if picked.created:
                try:
                    tag = self.session.create_code(picked.value)
                except ClaimmapError as exc:
                    self.notify(str(exc), severity="error", markup=False)
                    return
                self.view.set_codebook(self.session.tags)
                self.status(f"new code {tag.name}")
                self.tag(tag.name)
            else:
                self.tag(picked.value)

        self.push_screen(
            FuzzyPicker(
                "Tag with code",
                items,
                allow_create=True,
                hint="enter: apply · type a new name to create a code",
            ),
            chosen,
        )

    def _pick_filter(self) -> None:
        items = [(ALL_CODES, "(all codes)")] + [(t.name, t.name) for t in self.session.tags]

        def chosen(picked: Picked | None) -> None:
            if picked is None:
                return
            tag = None if picked.value == ALL_CODES else picked.value
            self.view.set_filter(tag)
            self._refresh_panel()  # the span list follows the filter too
            self.status(f"showing {tag} spans only" if tag else "showing all spans")

        self.push_screen(FuzzyPicker("Show only spans with code", items), chosen)

    def _searched(self, query: str | None) -> None:
        if not query:
            return
        self._last_query = query
        found = self.view.search(query)
        self.status(f"{count(found, 'match')} for “{query}”" + (" (ctrl+n next)" if found else ""))

    # -- layers ----------------------------------------------------------------

    def action_pick_layer(self) -> None:
        me = self.session.annotator

        def chosen(picked: Picked | None) -> None:
            if picked is not None:
                self.show_layers(None if picked.value == layers.EVERY_LAYER else picked.value)
            self.view.focus()

        self.push_screen(FuzzyPicker("Show the layer of", layers.layer_items(self.db, me)), chosen)

    def action_pick_overlay(self) -> None:
        items = layers.overlay_items(self.db, self.session.layer)

        def chosen(picked: Picked | None) -> None:
            if picked is not None:
                overlay = None if picked.value == layers.NO_OVERLAY else picked.value
                self.show_layers(self.session.layer, overlay)
            self.view.focus()

        self.push_screen(FuzzyPicker("Underline the spans of", items), chosen)

    def show_layers(self, shown: str | None, overlay: str | None = None) -> None:
        """Show ``shown``'s layer (None: every layer) with ``overlay``'s underlined."""
        self.session.layer, self.session.overlay = shown, overlay
        if self.article_id is not None:
            self.open_article(self.article_id, self.view.cursor)
        self.status(
            "showing " + layers.describe(shown, self.session.overlay, self.session.annotator)
        )

    # -- other screens ------------------------------------------------------

    def action_help(self) -> None:
        view = self.view
        pairs: list[tuple[Binding, str]] = []
        for node in (view, self):
            for binding in node.BINDINGS:
                if isinstance(binding, Binding):
                    keys = ",".join(
                        self.get_key_display(Binding(k, binding.action))
                        for k in binding.key.split(",")
                    )
                    pairs.append((binding, keys))
        pairs.append((Binding("ctrl+p", "command_palette", "Command palette"), "ctrl+p"))
        # The codebook's own keys, as the picker shows them and the CLI accepts them.
        codes = code_rows(self.session.tags)
        rows = describe(pairs)
        # Right after the "1-9 Tag" row, where a reader looks for how to code.
        at = next((i + 1 for i, (keys, _) in enumerate(rows) if keys == "1-9"), len(rows))
        self.push_screen(HelpScreen(rows[:at] + codes + rows[at:]))

    def action_claims(self) -> None:
        def chosen(span_id: int | None) -> None:
            if span_id is not None:
                self.goto_span(span_id)

        self.push_screen(ClaimsScreen(self.session, self.guard), chosen)

    def action_argument_map(self) -> None:
        """The map around the claim of the span under the cursor (or the most connected)."""
        span_id = self.view.current_span
        claim = None
        if span_id is not None:
            try:
                claim = claim_of_span(self.db, span_id)
            except ClaimmapError:  # deleted by another process, or in no claim
                claim = None

        def chosen(span: int | None) -> None:
            if span is not None:
                self.goto_span(span)

        self.push_screen(ArgumentMapScreen(self.db, claim), chosen)

    def goto_span(self, span_id: int) -> None:
        """Open the span's article (if another) with the span current."""
        found = query_spans(self.db, ids=[span_id])
        if found:
            span = found[0]
            if span.article_id != self.article_id:
                self.open_article(span.article_id, span.start)
            self.view.focus_span(span.id)

    def action_mark_span(self) -> None:
        self.marked = mark_current(self)

    def action_link_marked(self) -> None:
        link_to_marked(self)

    def action_relate_marked(self, type_: str) -> None:
        relate_to_marked(self, type_)

    def action_compare(self) -> None:
        self.push_screen(CompareScreen(self.db, self.session.layer))

    def action_review(self) -> None:
        screen = ReviewScreen(self.db, layer=self.session.layer)

        def closed(decisions: int | None) -> None:
            # Its own undo has already taken back what is no longer in its history.
            self.session.adopt(screen.history)
            if decisions:
                # Link statuses changed under the similar panel: show them afresh.
                self._load_similar(self.view.current_span)

        self.push_screen(screen, closed)

    def action_adjudicate(self) -> None:
        from claimmap.tui.screens.adjudicate import AdjudicationScreen

        screen = AdjudicationScreen(self.db)

        def closed(decisions: int | None) -> None:
            if decisions:
                # The consensus layer changed: show the spans afresh.
                self._load_similar(self.view.current_span)

        self.push_screen(screen, closed)

    # On a narrow terminal the side panels are hidden to leave the text room; their
    # keys reveal them (over the document when there is no room beside it) and
    # escape, or going back to the document, hides them again.

    def action_focus_articles(self) -> None:
        self.screen.add_class("-reveal-articles")
        self.query_one(ArticleList).focus()

    def action_focus_panel(self) -> None:
        self.screen.add_class("-reveal-panel")
        self.query_one(SpanList).focus()

    def action_focus_similar(self) -> None:
        self.screen.add_class("-reveal-panel")
        self.query_one(SimilarList).focus()

    def action_focus_document(self) -> None:
        self.screen.remove_class("-reveal-articles", "-reveal-panel")
        self.view.focus()

    def _narrow_hint(self) -> str:
        # Below the "-wide" breakpoint the span panel is hidden (see HORIZONTAL_BREAKPOINTS).
        narrow = self.size.width < WIDE_LAYOUT
        return " · narrow: p spans · P similar · a articles · esc back" if narrow else ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The app's keys act on the main screen: elsewhere (compare, claims, modals) they
        # would open screens or move a document hidden underneath.
        if action in MAIN_SCREEN_ACTIONS:
            return self.screen is self.screen_stack[0]
        return True

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, CompareScreen):
            # The main screen's actions would act on a document hidden behind this one.
            for title, help_text, fmt in screen.export_commands():
                yield SystemCommand(
                    title, help_text, partial(self.call_next, screen.action_export_as, fmt)
                )
            nodes: tuple[DOMNode, ...] = (screen,)
        else:
            nodes = (self.view, self)
            if screen is self.screen_stack[0]:
                yield from span_claim_commands(self)
        for node in nodes:
            for binding in node.BINDINGS:
                if not isinstance(binding, Binding) or binding.action == "quit":
                    continue
                keys = binding.key_display or self.get_key_display(binding)
                yield SystemCommand(
                    binding.description,
                    f"key: {keys}",
                    partial(self.call_next, self.run_action, binding.action, node),
                )


def make_app(db: Database | Path | str) -> ClaimmapApp:
    """The app on a database (an open one, or a path that is opened and migrated)."""
    return ClaimmapApp(db if isinstance(db, Database) else open_db(Path(db)))
