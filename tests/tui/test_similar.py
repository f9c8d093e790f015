"""Pilot tests of link review in the side panel: a/r keys, highlights, incremental index."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.text import Text

from claimmap.services.annotating import annotate_range
from claimmap.store import open_db
from claimmap.tui.app import ClaimmapApp, make_app
from claimmap.tui.widgets.article_list import ArticleList
from claimmap.tui.widgets.span_panel import SimilarList

MakeDb = Callable[..., Path]
# The similar panel asks at once instead of waiting for the cursor to rest.
pytestmark = pytest.mark.usefixtures("quick_similar")
SIZE = (140, 32)
CLAIM_S = "美日两国的人工智能合作带有明显的对华竞争色彩，旨在遏制中国技术发展。"
# Traditional script with a pinyin leak: the same claim as a mirror site prints it.
CLAIM_T = "美日兩國的人(rén)工智能合作帶有明顯的對華競爭色彩，旨在遏制中國技術發展。"


def build(make_db: MakeDb, annotate_second: bool = True) -> Path:
    path = make_db({"a_one": f"标题一\n\n{CLAIM_S}\n", "b_two": f"標題二\n\n{CLAIM_T}\n"})
    db = open_db(path)
    for article, claim in (("1", CLAIM_S), ("2", CLAIM_T))[: 2 if annotate_second else 1]:
        text = str(db.execute("SELECT text FROM articles WHERE id = ?", [article]).fetchone()[0])
        start = text.index(claim[:4])
        annotate_range(db, article, start, start + len(claim), ["motive"])
    db.close()
    return path


async def settle(app: ClaimmapApp, pilot: object) -> None:
    await pilot.pause(0.1)  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


def links(app: ClaimmapApp) -> list[dict[str, object]]:
    return list(app.db.query("SELECT a, b, status FROM links ORDER BY id"))


async def test_accept_with_a_in_the_similar_list(make_db: MakeDb) -> None:
    app = make_app(build(make_db))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")  # onto the span
        await settle(app, pilot)
        similar = app.query_one(SimilarList)
        assert similar.option_count == 1
        await pilot.press("P", "a")
        await pilot.pause()
        assert links(app) == [{"a": 1, "b": 2, "status": "confirmed"}]
        # The list had focus: a reviewed the link instead of focusing the article list.
        assert app.focused is similar
        assert not isinstance(app.focused, ArticleList)
        await settle(app, pilot)
        prompt = similar.get_option_at_index(0).prompt
        assert isinstance(prompt, Text) and "✓" in prompt.plain


async def test_reject_with_r_in_the_similar_list(make_db: MakeDb) -> None:
    app = make_app(build(make_db))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        await settle(app, pilot)
        spans_before = list(app.db.query("SELECT id, quote FROM spans ORDER BY id"))
        await pilot.press("P", "r")
        await pilot.pause()
        assert links(app) == [{"a": 1, "b": 2, "status": "rejected"}]
        # r was the review key, not "tag recommendation" on the document.
        assert list(app.db.query("SELECT id, quote FROM spans ORDER BY id")) == spans_before
        assert app.db.execute("SELECT count(*) FROM span_tags").fetchone()[0] == 2


async def test_matched_characters_are_lit_across_scripts(make_db: MakeDb) -> None:
    app = make_app(build(make_db))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        await settle(app, pilot)
        prompt = app.query_one(SimilarList).get_option_at_index(0).prompt
        assert isinstance(prompt, Text)
        lit = [
            prompt.plain[s.start : s.end]
            for s in prompt.spans
            if "underline" in str(s.style) and "not dim" in str(s.style)
        ]
        assert lit[0].startswith("美日兩國的人")
        assert "(rén)" not in "".join(lit)  # the leaked reading matched nothing


async def test_suggestions_for_a_new_span_without_rebuilding(make_db: MakeDb) -> None:
    app = make_app(build(make_db, annotate_second=False))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        await settle(app, pilot)
        assert app.similar_cache.builds == 1
        assert app.query_one(SimilarList).option_count == 0
        await pilot.press("J", "j", "j", "s", "m")  # second article: tag its claim sentence
        await settle(app, pilot)
        similar = app.query_one(SimilarList)
        assert app.view.current_span == 2
        assert [similar.get_option_at_index(k).id for k in range(similar.option_count)] == ["1"]
        assert app.similar_cache.builds == 1  # the new span was added, not re-indexed
        await pilot.press("P", "a")
        await pilot.pause()
        assert links(app) == [{"a": 1, "b": 2, "status": "confirmed"}]
