"""Pilot tests of the link-review screen (issue 11): keys store decisions in the database."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from sqlite_utils import Database
from textual.pilot import Pilot
from textual.widgets import Static

from claimmap.services import review
from claimmap.services.annotating import annotate_range
from claimmap.store import open_db
from claimmap.tui.app import ClaimmapApp, make_app
from claimmap.tui.screens.review import MATCH_STYLE, ReviewScreen
from tests.tui.conftest import MakeDb, open_by_key

SIZE = (140, 36)
CLAIM_S = "美日两国的人工智能合作带有明显的对华竞争色彩，旨在遏制中国技术发展。"
CLAIM_T = "美日兩國的人(rén)工智能合作帶有明顯的對華競爭色彩，旨在遏制中國技術發展。"
# Article text that would be markup if rendered as such.
MARKUP = "[bold]欧盟[/]重视人工智能监管[@click=app.quit]与合作[/bold]。"
MARKUP_2 = "欧盟重视人工智能监管与合作，[red]美国[/red]也是。"


def build(make_db: MakeDb) -> Path:
    path = make_db(
        {
            "a_one": f"标题一\n\n前文。{CLAIM_S}后文。\n\n{MARKUP}\n",
            "b_two": f"標題二\n\n{CLAIM_T}\n\n{MARKUP_2}\n",
        }
    )
    db = open_db(path)
    for article, quote, tag in (
        ("1", CLAIM_S, "motive"),
        ("2", CLAIM_T, "motive"),
        ("1", MARKUP, "impact"),
        ("2", MARKUP_2, "impact"),
    ):
        text = str(db.execute("SELECT text FROM articles WHERE id = ?", [article]).fetchone()[0])
        start = text.index(quote)
        annotate_range(db, article, start, start + len(quote), [tag])
    db.close()
    return path


async def open_review(app: ClaimmapApp, pilot: Pilot[None]) -> ReviewScreen:
    return await open_by_key(app, pilot, "V", ReviewScreen)


def links(app: ClaimmapApp) -> list[tuple[int, int, str, str]]:
    return [
        (int(a), int(b), str(s), str(m))
        for a, b, s, m in app.db.execute("SELECT a, b, status, method FROM links ORDER BY id")
    ]


def shown(screen: ReviewScreen, side: str) -> Text:
    content = screen.query_one(f"#review-{side}", Static).content
    assert isinstance(content, Text)
    return content


async def test_pairs_side_by_side_with_matches_lit(
    make_db: MakeDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = review.review_queue

    def slow_queue(db: Database, **kwargs: Any) -> review.ReviewQueue:
        time.sleep(0.5)  # a larger corpus: the screen is up before its queue
        return queue(db, **kwargs)

    monkeypatch.setattr(review, "review_queue", slow_queue)
    app = make_app(build(make_db))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        assert (screen.items[0].a, screen.items[0].b) == (1, 2)
        left, right = shown(screen, "a"), shown(screen, "b")
        assert CLAIM_S in left.plain and CLAIM_T in right.plain
        assert "前文。" in left.plain and "后文。" in left.plain  # context around the quote
        assert "a_one" in left.plain and "b_two" in right.plain
        assert "motive" in left.plain and "motive" in right.plain
        lit = [right.plain[s.start : s.end] for s in right.spans if s.style == MATCH_STYLE]
        assert lit and lit[0].startswith("美日兩國的人")
        assert "(rén)" not in "".join(lit)
        progress = screen.query_one("#review-progress", Static).content
        assert isinstance(progress, Text)
        # The screen renders whole (a ``loading`` attribute once shadowed Textual's
        # reactive and left the compositor without lines: the export crashed).
        assert not screen.loading
        assert "Link&#160;review" in app.export_screenshot()
        remaining = len(screen.items)
        assert "0 reviewed" in progress.plain and f"{remaining} remaining" in progress.plain


async def test_accept_reject_skip_undo_keys_store_decisions(make_db: MakeDb) -> None:
    app = make_app(build(make_db))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        pairs = [(i.a, i.b) for i in screen.items]
        first, second = pairs[:2]
        await pilot.press("a")
        assert links(app) == [(*first, "confirmed", "review")]
        claims = dict(app.db.execute("SELECT id, claim_id FROM spans").fetchall())
        assert claims[first[0]] == claims[first[1]]
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert links(app) == []
        claims = dict(app.db.execute("SELECT id, claim_id FROM spans").fetchall())
        assert claims[first[0]] != claims[first[1]]
        assert [(i.a, i.b) for i in screen.items] == pairs  # the undone pair is back in front
        await pilot.press("s")
        assert app.db.execute("SELECT a, b FROM review_skips").fetchall() == [first]
        assert [(i.a, i.b) for i in screen.items] == [*pairs[1:], first]
        await pilot.press("r")
        assert links(app) == [(*second, "rejected", "review")]
        progress = screen.query_one("#review-progress", Static).content
        assert isinstance(progress, Text)
        assert "1 reviewed" in progress.plain and f"{len(pairs) - 1} remaining" in progress.plain
        await pilot.press("u", "u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert links(app) == [] and app.db.execute("SELECT * FROM review_skips").fetchall() == []
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)


async def test_queue_resumes_after_restart(make_db: MakeDb) -> None:
    path = build(make_db)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        first = (screen.items[0].a, screen.items[0].b)
        await pilot.press("r")
    app.db.close()
    again = make_app(path)
    async with again.run_test(size=SIZE) as pilot:
        screen = await open_review(again, pilot)
        assert first not in [(i.a, i.b) for i in screen.items]
        assert screen.reviewed == 1
    again.db.close()


async def test_article_text_is_never_markup(make_db: MakeDb) -> None:
    app = make_app(build(make_db))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        markup_pair = next(i for i in screen.items if i.quote_a == MARKUP)
        while screen.items[0] != markup_pair:
            await pilot.press("s")
        left, right = shown(screen, "a"), shown(screen, "b")
        assert MARKUP in left.plain and MARKUP_2 in right.plain
        assert app.is_running  # [@click=app.quit] did nothing


async def test_article_title_is_not_markup(make_db: MakeDb) -> None:
    # The title of this article is taken from its text and holds markup-like brackets.
    path = make_db({"c_three": f"{MARKUP}\n\n{CLAIM_S}\n"})
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        title = app.view.border_title
        assert title is not None and "[/]" in str(title)
        assert app.is_running
