"""The annotator's editing session: one article in memory, edits through services, undo.

Every edit is one service call (one committed ``BEGIN IMMEDIATE`` unit) and
pushes an inverse onto the history, so ``u``/``ctrl+r`` replay service calls,
never in-memory patches.  No Textual here: the document view drives this class
and the tests can too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.models import Article, LinkStatus, Span, Tag
from claimmap.services import claim_actions, relations, review
from claimmap.services.analyst import current_annotator
from claimmap.services.annotating import (
    adjust_span,
    annotate_range,
    change_tags,
    delete_span,
    restore_span,
    set_note,
)
from claimmap.services.code_removal import remove_unused_tag
from claimmap.services.codebook import add_tag, list_tags
from claimmap.store.articles import article_regions, article_segments, article_text, get_article
from claimmap.store.spans import placed_span_at, query_spans
from claimmap.textprep.line_breaking import line_breaks
from claimmap.tui.motions import Segmentation
from claimmap.tui.textlayout import cell_widths


@dataclass(slots=True, frozen=True)
class SpanView:
    """What the view needs of a span."""

    id: int
    start: int
    end: int
    tags: tuple[str, ...]
    note: str | None

    @classmethod
    def of(cls, span: Span) -> SpanView:
        return cls(span.id, span.start, span.end, tuple(span.tags), span.note)


@dataclass(slots=True)
class Document:
    """An article loaded for display: text, geometry inputs, spans by id."""

    article: Article
    text: str
    widths: bytes
    breaks: bytes
    segmentation: Segmentation
    dim_regions: list[tuple[int, int]]
    spans: dict[int, SpanView]
    # Another analyst's spans drawn beside the shown layer's: (start, end, first tag).
    overlay: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass(slots=True)
class Outcome:
    """What an edit touched: spans to re-read, and the span to make current."""

    article_id: int | None  # None: no article's text or spans changed (claims, links)
    span_ids: set[int]
    focus: int | None
    message: str
    warnings: tuple[str, ...] = ()
    codebook: bool = False  # the codebook changed: the view's keys and colours follow


@dataclass(slots=True)
class _Entry:
    label: str
    undo: Callable[[], Outcome]
    redo: Callable[[], Outcome]


@dataclass(slots=True)
class History:
    """Undo/redo stacks of inverse service calls."""

    done: list[_Entry] = field(default_factory=list)
    undone: list[_Entry] = field(default_factory=list)
    limit: int = 500

    def push(self, entry: _Entry) -> None:
        self.done.append(entry)
        del self.done[: -self.limit]
        self.undone.clear()


class Session:
    """Edits of spans in one database, with a global undo history."""

    def __init__(
        self, db: Database, *, annotator: str | None = None, layer: str | None = None
    ) -> None:
        self.db = db
        # Who writes (every edit is recorded under this analyst) and which layer
        # is shown: one analyst's spans, or every layer (None).
        self.annotator = annotator or current_annotator()
        self.layer = layer
        # Another analyst's layer drawn outlined beside the shown one (read only).
        self.overlay: str | None = None
        self.history = History()
        self.tags: list[Tag] = list_tags(db)

    def reload_tags(self) -> None:
        self.tags = list_tags(self.db)

    def tag_by_key(self, key: str) -> Tag | None:
        for tag in self.tags:
            if tag.key == key:
                return tag
        return None

    def load(self, article_id: int) -> Document:
        article = get_article(self.db, article_id)
        text = article_text(self.db, article_id)
        regions = [
            (s, e)
            for kind, s, e in article_regions(self.db, article_id)
            if kind in ("footnote", "boilerplate", "footnote_marker")
        ]
        spans = self.span_views(article_id)
        return Document(
            article=article,
            text=text,
            widths=cell_widths(text),
            breaks=line_breaks(text),
            segmentation=Segmentation.build(text, article_segments(self.db, article_id)),
            dim_regions=sorted(regions),
            spans=spans,
            overlay=self.overlay_views(article_id),
        )

    def span_views(self, article_id: int) -> dict[int, SpanView]:
        """All placed spans of an article, read straight into view records.

        Opening a 5,000-span article through ``query_spans`` builds 5,000 pydantic
        models with a correlated sub-query each; this single grouped read is several
        times faster and the view needs no more than this.
        """
        ordinal = {t.name: t.ordinal for t in self.tags}
        out: dict[int, SpanView] = {}
        for span_id, start, end, note, names in self.db.execute(
            'SELECT s.id, s.start, s."end", n.body, group_concat(t.name, char(31)) '
            "FROM spans s LEFT JOIN notes n ON n.span_id = s.id "
            "LEFT JOIN span_tags st ON st.span_id = s.id LEFT JOIN tags t ON t.id = st.tag_id "
            "WHERE s.article_id = ? AND s.orphaned = 0 AND (? IS NULL OR s.annotator = ?) "
            "GROUP BY s.id",
            [article_id, self.layer, self.layer],
        ):
            tags = (
                sorted(names.split("\x1f"), key=lambda n: (ordinal.get(n, 0), n)) if names else []
            )
            out[int(span_id)] = SpanView(int(span_id), int(start), int(end), tuple(tags), note)
        return out

    def overlay_views(self, article_id: int) -> list[tuple[int, int, str]]:
        """The overlaid analyst's placed spans on this article, by position."""
        if self.overlay is None or self.overlay == self.layer:
            return []
        ordinal = {t.name: t.ordinal for t in self.tags}
        out: list[tuple[int, int, str]] = []
        for start, end, names in self.db.execute(
            'SELECT s.start, s."end", group_concat(t.name, char(31)) FROM spans s '
            "LEFT JOIN span_tags st ON st.span_id = s.id LEFT JOIN tags t ON t.id = st.tag_id "
            "WHERE s.article_id = ? AND s.orphaned = 0 AND s.annotator = ? GROUP BY s.id",
            [article_id, self.overlay],
        ):
            tags = sorted((names or "").split("\x1f"), key=lambda n: (ordinal.get(n, 0), n))
            out.append((int(start), int(end), tags[0]))
        return sorted(out)

    def read_spans(self, ids: set[int]) -> dict[int, SpanView]:
        """Current rows of the given spans (deleted ones are absent)."""
        return {s.id: SpanView.of(s) for s in query_spans(self.db, ids=ids, orphaned=False)}

    # -- edits ---------------------------------------------------------------

    def annotate(self, article_id: int, start: int, end: int, tag: str, quote: str) -> Outcome:
        """Tag [start, end): a new span, or the tag added to an identical span.

        ``quote`` is the text the reader saw there: if another process changed the
        article since, the service refuses (``ArticleChanged``) instead of tagging
        whatever passage now sits at those offsets.
        """
        existing = placed_span_at(self.db, article_id, start, end, self.annotator)
        if existing is not None:
            return self.add_tag(existing, tag)
        result = annotate_range(
            self.db,
            str(article_id),
            start,
            end,
            [tag],
            expect_quote=quote,
            annotator=self.annotator,
        )
        span_id = result.id
        snapshot: dict[str, Any] = {}

        def undo() -> Outcome:
            snapshot.clear()
            snapshot.update(delete_span(self.db, span_id))
            return Outcome(article_id, {span_id}, None, f"removed {tag} span")

        def redo() -> Outcome:
            restore_span(self.db, snapshot)
            return Outcome(article_id, {span_id}, span_id, f"restored {tag} span")

        self.history.push(_Entry(f"tag {tag}", undo, redo))
        return Outcome(
            article_id, {span_id}, span_id, f"{tag}: {result.quote[:30]}", tuple(result.warnings)
        )

    def _tags_edit(self, span: Span, add: list[str], remove: list[str], label: str) -> Outcome:
        change_tags(self.db, span.id, add=add, remove=remove)
        aid, sid = span.article_id, span.id

        def undo() -> Outcome:
            change_tags(self.db, sid, add=remove, remove=add)
            return Outcome(aid, {sid}, sid, f"undid {label}")

        def redo() -> Outcome:
            change_tags(self.db, sid, add=add, remove=remove)
            return Outcome(aid, {sid}, sid, f"redid {label}")

        self.history.push(_Entry(label, undo, redo))
        return Outcome(aid, {sid}, sid, label)

    def add_tag(self, span_id: int, tag: str) -> Outcome:
        span = self._span(span_id)
        if tag in span.tags:
            return Outcome(span.article_id, set(), span_id, f"span already tagged {tag}")
        return self._tags_edit(span, [tag], [], f"added {tag}")

    def toggle_tag(self, span_id: int, tag: str) -> Outcome:
        """Add the tag, or remove it when the span has another one left."""
        span = self._span(span_id)
        if tag not in span.tags:
            return self._tags_edit(span, [tag], [], f"added {tag}")
        if len(span.tags) == 1:
            raise ClaimmapError(f"{tag} is this span's only tag; press x to delete the span")
        return self._tags_edit(span, [], [tag], f"removed {tag}")

    def note(self, span_id: int, body: str) -> Outcome:
        span = self._span(span_id)
        old = span.note or ""
        set_note(self.db, span_id, body, self.annotator)
        aid = span.article_id

        def undo() -> Outcome:
            set_note(self.db, span_id, old, self.annotator)
            return Outcome(aid, {span_id}, span_id, "note restored")

        def redo() -> Outcome:
            set_note(self.db, span_id, body, self.annotator)
            return Outcome(aid, {span_id}, span_id, "note set again")

        self.history.push(_Entry("note", undo, redo))
        return Outcome(aid, {span_id}, span_id, "note saved" if body.strip() else "note cleared")

    def adjust(self, span_id: int, start: int, end: int, quote: str) -> Outcome:
        """Move a span to [start, end), where the reader saw ``quote``."""
        span = self._span(span_id)
        old = (span.start, span.end)
        adjust_span(self.db, span_id, start, end, expect_quote=quote)
        aid = span.article_id

        def undo() -> Outcome:
            adjust_span(self.db, span_id, *old, expect_quote=span.quote)
            return Outcome(aid, {span_id}, span_id, "boundary restored")

        def redo() -> Outcome:
            adjust_span(self.db, span_id, start, end, expect_quote=quote)
            return Outcome(aid, {span_id}, span_id, "boundary moved again")

        self.history.push(_Entry("boundary", undo, redo))
        return Outcome(aid, {span_id}, span_id, f"span now {start}-{end}")

    def delete(self, span_id: int) -> Outcome:
        span = self._span(span_id)
        snapshot = delete_span(self.db, span_id)
        aid = span.article_id
        state: dict[str, Any] = {"snap": snapshot}

        def undo() -> Outcome:
            restore_span(self.db, state["snap"])
            return Outcome(aid, {span_id}, span_id, "span restored")

        def redo() -> Outcome:
            state["snap"] = delete_span(self.db, span_id)
            return Outcome(aid, {span_id}, None, "span deleted again")

        self.history.push(_Entry("delete", undo, redo))
        return Outcome(aid, {span_id}, None, "span deleted (u undoes)")

    # -- codes, links and claims ------------------------------------------------

    def create_code(self, name: str) -> Tag:
        """Add a code to the codebook; undo removes it while no span uses it."""
        tag = add_tag(self.db, name)
        self.reload_tags()
        key, color = tag.key, tag.color

        def undo() -> Outcome:
            remove_unused_tag(self.db, tag.name)
            self.reload_tags()
            return Outcome(None, set(), None, f"removed code {tag.name}", codebook=True)

        def redo() -> Outcome:
            add_tag(self.db, tag.name, key=key, color=color)
            self.reload_tags()
            return Outcome(None, set(), None, f"code {tag.name} added again", codebook=True)

        self.history.push(_Entry(f"new code {tag.name}", undo, redo))
        return tag

    def _decision_entry(self, label: str, state: dict[str, review.Decision]) -> None:
        """Undo/redo of a link decision (``services.review``'s record and inverse)."""
        row = self.db.execute(
            "SELECT score FROM links WHERE id = ?", [state["decision"].link_id]
        ).fetchone()
        # Redo passes the score back: undo may have deleted the link that held it, and
        # scoring afresh builds the whole linker index.
        score = None if row is None else float(row[0])

        def undo() -> Outcome:
            decision = state["decision"]
            review.undo(self.db, decision)
            return Outcome(None, set(), None, f"undid {label}")

        def redo() -> Outcome:
            done = state["decision"]
            status: LinkStatus = "confirmed" if done.action == "confirmed" else "rejected"
            state["decision"] = review.decide(
                self.db, done.a, done.b, status, score=score, method="manual"
            )
            return Outcome(None, set(), None, f"redid {label}")

        self.history.push(_Entry(label, undo, redo))

    def adopt(self, decisions: list[review.Decision]) -> None:
        """Put the link review screen's decisions on the global history (in order), so
        ``u`` back in the document undoes the last of them, not an older edit."""
        for decision in decisions:
            if decision.action != "skipped":
                verb = "accepted" if decision.action == "confirmed" else "rejected"
                self._decision_entry(
                    f"link {decision.a}–{decision.b} {verb}", {"decision": decision}
                )

    def judge(
        self, span_a: int, span_b: int, status: LinkStatus, score: float | None = None
    ) -> Outcome:
        """Accept or reject a pair from the similar panel."""
        done = claim_actions.link_pair(self.db, span_a, span_b, status, score=score)
        verb = "accepted" if status == "confirmed" else "rejected"
        label = f"link {span_a}–{span_b} {verb}"
        self._decision_entry(label, {"decision": done.decision})
        return Outcome(None, set(), None, label + " (u undoes)", done.warnings)

    def link(self, span_a: int, span_b: int) -> Outcome:
        """Link two spans by hand (a confirmed manual link)."""
        done = claim_actions.link_pair(self.db, span_a, span_b, "confirmed")
        label = f"linked span {span_a} to span {span_b}"
        self._decision_entry(label, {"decision": done.decision})
        return Outcome(None, set(), None, label + " (u undoes)", done.warnings)

    def merge(self, claim_a: int, claim_b: int) -> Outcome:
        done = claim_actions.merge(self.db, claim_a, claim_b)
        label = f"merged claim {done.merged} into claim {done.survivor}"
        self._decision_entry(label, {"decision": done.decision})
        return Outcome(None, set(), None, label + " (u undoes)", done.warnings)

    def detach(self, span_id: int) -> Outcome:
        state = {"done": claim_actions.detach(self.db, span_id)}
        label = f"detached span {span_id}"

        def undo() -> Outcome:
            claim_actions.undo_detach(self.db, state["done"])
            return Outcome(None, set(), None, f"undid {label}")

        def redo() -> Outcome:
            state["done"] = claim_actions.detach(self.db, span_id)
            return Outcome(None, set(), None, f"redid {label}")

        self.history.push(_Entry(label, undo, redo))
        return Outcome(
            None, set(), None, f"span {span_id} is now claim {state['done'].claim} (u undoes)"
        )

    def label_claim(self, claim_id: int, text: str) -> Outcome:
        done = claim_actions.label(self.db, claim_id, text)

        def undo() -> Outcome:
            claim_actions.label(self.db, claim_id, done.before or "")
            return Outcome(None, set(), None, f"claim {claim_id}'s label restored")

        def redo() -> Outcome:
            claim_actions.label(self.db, claim_id, done.after or "")
            return Outcome(None, set(), None, f"claim {claim_id} labelled again")

        self.history.push(_Entry(f"label claim {claim_id}", undo, redo))
        shown = f"“{done.after}”" if done.after else "no label"
        return Outcome(None, set(), None, f"claim {claim_id}: {shown}")

    def relate(self, source: int, target: int, type_: str) -> Outcome:
        """Store that span ``source`` supports or attacks span ``target``."""
        state = {"relation": relations.add_relation(self.db, source, target, type_)}
        label = f"span {source} {type_} span {target}"

        def undo() -> Outcome:
            relations.delete_relation(self.db, state["relation"].id)
            return Outcome(None, set(), None, f"undid {label}")

        def redo() -> Outcome:
            state["relation"] = relations.restore_relation(self.db, state["relation"])
            return Outcome(None, set(), None, f"redid {label}")

        self.history.push(_Entry(label, undo, redo))
        return Outcome(None, set(), None, label + " (u undoes)")

    def unrelate(self, relation_id: int) -> Outcome:
        """Delete a relation; undo puts it back with its id."""
        state = {"relation": relations.delete_relation(self.db, relation_id)}
        done = state["relation"]
        label = f"deleted relation: span {done.source} {done.type} span {done.target}"

        def undo() -> Outcome:
            state["relation"] = relations.restore_relation(self.db, state["relation"])
            return Outcome(None, set(), None, f"restored relation {relation_id}")

        def redo() -> Outcome:
            relations.delete_relation(self.db, relation_id)
            return Outcome(None, set(), None, f"deleted relation {relation_id} again")

        self.history.push(_Entry(label, undo, redo))
        return Outcome(None, set(), None, label + " (u undoes)")

    def relation_note(self, relation_id: int, body: str) -> Outcome:
        """Set a relation's note; undo puts the old one back."""
        before, after = relations.set_relation_note(self.db, relation_id, body)
        label = f"note on relation {relation_id}"

        def undo() -> Outcome:
            relations.set_relation_note(self.db, relation_id, before.note or "")
            return Outcome(None, set(), None, f"{label} restored")

        def redo() -> Outcome:
            relations.set_relation_note(self.db, relation_id, after.note or "")
            return Outcome(None, set(), None, f"{label} set again")

        self.history.push(_Entry(label, undo, redo))
        return Outcome(None, set(), None, f"{label} {'saved' if after.note else 'cleared'}")

    def undo(self) -> Outcome | None:
        if not self.history.done:
            return None
        entry = self.history.done.pop()
        try:
            outcome = entry.undo()
        except BaseException:
            # Keep the entry: the database refused, nothing changed.
            self.history.done.append(entry)
            raise
        self.history.undone.append(entry)
        return outcome

    def redo(self) -> Outcome | None:
        if not self.history.undone:
            return None
        entry = self.history.undone.pop()
        try:
            outcome = entry.redo()
        except BaseException:
            self.history.undone.append(entry)
            raise
        self.history.done.append(entry)
        return outcome

    def _span(self, span_id: int) -> Span:
        found = query_spans(self.db, ids=[span_id])
        if not found:
            raise ClaimmapError(f"span {span_id} no longer exists")
        return found[0]
