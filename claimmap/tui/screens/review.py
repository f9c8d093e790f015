"""Link review: the queue's pairs one at a time, both passages side by side.

The queue is ``services.review``'s (every span's best candidates in other
articles, most likely links first); each key stores its decision at once, so
closing the screen or the app loses nothing and the queue resumes there.  Undo
reverts this screen's own decisions, most recent first.  Article and analyst
text is rendered as ``rich.text.Text``, never as markup.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from sqlite_utils import Database
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from claimmap.errors import ClaimmapError
from claimmap.linking.highlight import matched_ranges
from claimmap.linking.semantic import load_embedder
from claimmap.models import LinkStatus
from claimmap.services import review
from claimmap.services.review import Decision, ReviewItem, ReviewQueue
from claimmap.tui.background import run_with_db
from claimmap.tui.widgets.passage import Passage

MATCH_STYLE = "underline bold yellow"


def passage(item: ReviewItem, side: str) -> Text:
    """One side of a pair: where it comes from, its tags and claim, the quote in
    context with the characters that match the other side lit (``Passage`` wraps it)."""
    if side == "a":
        span, ref, quote, other = item.a, item.article_a, item.quote_a, item.quote_b
        before, after, tags = item.before_a, item.after_a, item.tags_a
        claim, label = item.claim_a, item.claim_label_a
    else:
        span, ref, quote, other = item.b, item.article_b, item.quote_b, item.quote_a
        before, after, tags = item.before_b, item.after_b, item.tags_b
        claim, label = item.claim_b, item.claim_label_b
    text = Text()
    text.append(f"span {span} · {ref}\n", style="bold")
    text.append("tags: ", style="dim")
    text.append(", ".join(tags) or "-")
    text.append("\nclaim: ", style="dim")
    text.append("-" if claim is None else f"#{claim}")
    if label:
        text.append(f" {label}", style="italic")
    text.append("\n\n")
    if before:
        text.append("…" + before, style="dim")
    start = len(text)
    text.append(quote, style="bold")
    for s, e in matched_ranges(other, quote):
        text.stylize(MATCH_STYLE, start + s, start + e)
    if after:
        text.append(after + "…", style="dim")
    return text


class ReviewScreen(Screen[int]):
    """Walk the review queue: a accept, r reject, s skip, u undo, escape back.

    Dismisses with the number of decisions taken, so the caller knows whether
    to refresh what it shows.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "decide('confirmed')", "Accept", id="review.accept"),
        Binding("r", "decide('rejected')", "Reject", id="review.reject"),
        Binding("s", "skip", "Skip", id="review.skip"),
        Binding("u", "undo", "Undo", id="review.undo"),
        Binding("escape", "close", "Back", id="review.close"),
    ]

    DEFAULT_CSS = """
    ReviewScreen #review-progress { padding: 0 1; height: auto; background: $boost; }
    ReviewScreen #review-pair { height: 1fr; }
    ReviewScreen .review-side { width: 1fr; padding: 1 2; border: round $primary-darken-2; }
    """

    def __init__(self, db: Database, k: int = review.DEFAULT_K, layer: str | None = None) -> None:
        super().__init__()
        self.db = db
        self.k = k
        # The analyst whose pairs are reviewed (None: each layer's own pairs).
        self.shown_layer = layer
        self.items: list[ReviewItem] = []
        self.reviewed = 0
        self.found = 0
        # Not ``loading``: that is Textual's reactive that covers a widget with a spinner.
        self.busy = True
        self.history: list[Decision] = []
        self.decisions = 0
        # Ranking by meaning too when the encoder is installed (claimmap[semantic]).
        self.meaning = load_embedder()
        self.meaning_model: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("Link review: loading the queue…", id="review-progress")
        with Horizontal(id="review-pair"):
            with VerticalScroll(classes="review-side"):
                yield Passage(id="review-a")
            with VerticalScroll(classes="review-side"):
                yield Passage(id="review-b")
        yield Footer()

    def on_mount(self) -> None:
        self._reload()

    # -- the queue -------------------------------------------------------------

    def _reload(self, front: tuple[int, int] | None = None) -> None:
        self.busy = True
        k, layer = self.k, self.shown_layer
        run_with_db(
            self,
            self.db,
            lambda db: review.review_queue(
                db, k=k, annotator=layer, meaning=self.meaning, progress=self._embedding
            ),
            partial(self._loaded, front),
            group="review",
            exclusive=True,
        )

    def _embedding(self, done: int, total: int) -> None:
        """Progress of the first embedding of the spans (from the worker thread)."""

        def show() -> None:
            self.query_one("#review-progress", Static).update(
                Text(f"Link review: reading the spans' meaning ({done}/{total})…")
            )

        try:
            self.app.call_from_thread(show)
        except RuntimeError:  # run inline on the UI thread (an in-memory database)
            show()

    def _loaded(self, front: tuple[int, int] | None, queue: ReviewQueue) -> None:
        self.items = list(queue.items)
        self.meaning_model = queue.meaning_model
        self.reviewed, self.found = queue.reviewed, queue.found
        if front is not None:
            # The pair just undone comes back in front: the analyst decides it again.
            for i, item in enumerate(self.items):
                if (item.a, item.b) == front:
                    self.items.insert(0, self.items.pop(i))
                    break
        self.busy = False
        self._show()

    def _show(self) -> None:
        progress = Text("Link review", style="bold")
        progress.append(
            f" · {self.reviewed} reviewed · {len(self.items)} remaining · "
            f"{self.found} links found · k={self.k} · ranked by "
            + ("wording and meaning" if self.meaning_model else "wording")
        )
        left, right = self.query_one("#review-a", Passage), self.query_one("#review-b", Passage)
        if not self.items:
            progress.append(" · nothing left to review")
            left.update(Text("No candidate pairs left.", style="dim"))
            right.update(Text(""))
        else:
            item = self.items[0]
            progress.append(f" · score {item.score:.2f}")
            if item.meaning is not None:
                progress.append(f" · meaning {item.meaning:.3f}")
            if item.skipped:
                progress.append(" · skipped before", style="dim")
            left.update(passage(item, "a"))
            right.update(passage(item, "b"))
        self.query_one("#review-progress", Static).update(progress)

    def _drop_joined(self) -> int:
        """Drop pairs whose spans now share a claim (an accept joins claims)."""
        spans = sorted({s for item in self.items for s in (item.a, item.b)})
        claim: dict[int, int | None] = {}
        for start in range(0, len(spans), 500):
            part = spans[start : start + 500]
            claim.update(
                (int(s), c)
                for s, c in self.db.execute(
                    f"SELECT id, claim_id FROM spans WHERE id IN ({','.join('?' * len(part))})",
                    part,
                )
            )
        kept = [i for i in self.items if claim.get(i.a) is None or claim.get(i.a) != claim.get(i.b)]
        dropped = len(self.items) - len(kept)
        self.items = kept
        return dropped

    # -- keys --------------------------------------------------------------------

    def action_decide(self, status: str) -> None:
        if self.busy or not self.items:
            return
        item = self.items[0]
        verdict: LinkStatus = "confirmed" if status == "confirmed" else "rejected"
        try:
            # The queue's score is the linker's: passing it spares an index build.
            decision = review.decide(self.db, item.a, item.b, verdict, score=item.score)
        except ClaimmapError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.history.append(decision)
        self.decisions += 1
        self.items.pop(0)
        self.reviewed += 1
        if verdict == "confirmed":
            self.found += 1
            self.reviewed += self._drop_joined()
        self._show()

    def action_skip(self) -> None:
        if self.busy or not self.items:
            return
        item = self.items[0]
        try:
            decision = review.skip(self.db, item.a, item.b)
        except ClaimmapError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.history.append(decision)
        self.decisions += 1
        self.items.append(self.items.pop(0))
        self._show()

    def action_undo(self) -> None:
        if self.busy:
            return
        if not self.history:
            self.notify("nothing to undo in this review", severity="warning")
            return
        decision = self.history[-1]
        try:
            review.undo(self.db, decision)
        except ClaimmapError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.history.pop()
        self.decisions += 1
        self.notify(f"undone: {decision.action} {decision.a}–{decision.b}", markup=False)
        self._reload(front=(decision.a, decision.b))

    def action_close(self) -> None:
        self.dismiss(self.decisions)
