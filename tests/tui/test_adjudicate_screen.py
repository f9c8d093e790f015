"""Pilot tests of the adjudication screen: keys write the consensus layer, the walk
resumes where it was left, undo takes decisions back; asserted on database rows."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, Static

from claimmap.services.annotating import annotate_range
from claimmap.store import open_db
from claimmap.tui.app import ClaimmapApp, make_app
from claimmap.tui.screens.adjudicate import AdjudicationScreen, EditModal
from tests.tui.conftest import MakeDb, open_by_key

SIZE = (140, 36)
MARKUP = "[bold]欧盟[/]重视人工智能监管[@click=app.quit]与合作[/bold]。"


def build(make_db: MakeDb) -> Path:
    path = make_db({"a_one": f"标题一\n\n前文在此。{MARKUP}后文在此。\n\n第二段落的内容。\n"})
    db = open_db(path)
    text = str(db.execute("SELECT text FROM articles WHERE id = 1").fetchone()[0])
    m = text.index(MARKUP)
    second = text.index("第二段落")
    for who, start, end, tag in (
        ("alice", m, m + len(MARKUP), "motive"),
        ("bob", m, m + len(MARKUP), "impact"),  # 1:2, tags
        ("bob", second, second + 4, "impact"),  # :3, only bob
    ):
        annotate_range(db, "1", start, end, [tag], annotator=who)
    db.close()
    return path


def consensus(app: ClaimmapApp) -> list[tuple[int, int, str]]:
    return [
        (int(s), int(e), str(t))
        for s, e, t in app.db.execute(
            'SELECT s.start, s."end", group_concat(t.name) FROM spans s '
            "JOIN span_tags st ON st.span_id = s.id JOIN tags t ON t.id = st.tag_id "
            "WHERE s.annotator = 'consensus' GROUP BY s.id ORDER BY s.start"
        )
    ]


def decided(app: ClaimmapApp) -> list[tuple[str, str]]:
    return [
        (str(i), str(t))
        for i, t in app.db.execute("SELECT item, take FROM adjudications ORDER BY id")
    ]


async def open_screen(app: ClaimmapApp, pilot: Pilot[None]) -> AdjudicationScreen:
    return await open_by_key(app, pilot, "A", AdjudicationScreen)


def side(screen: AdjudicationScreen, which: str) -> str:
    content = screen.query_one(f"#adjudicate-{which}", Static).content
    assert isinstance(content, Text)
    return content.plain


async def test_keys_write_the_consensus_layer_and_undo(make_db: MakeDb) -> None:
    app = make_app(build(make_db))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(app, pilot)
        # Ranked: the passage only bob coded first, then the tag difference.
        assert "not coded" in side(screen, "a")
        assert "第二段落" in side(screen, "b")
        await pilot.press("b")
        await pilot.pause()
        assert decided(app) == [(":3", "b")]
        # Article text with markup is shown as text, not interpreted.
        assert MARKUP in side(screen, "a") and MARKUP in side(screen, "b")
        await pilot.press("t")
        await pilot.pause()
        assert decided(app) == [(":3", "b"), ("1:2", "both")]
        assert [t for _s, _e, t in consensus(app)] == ["motive,impact", "impact"]
        await pilot.press("u")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert decided(app) == [(":3", "b")]
        assert [t for _s, _e, t in consensus(app)] == ["impact"]
        assert screen.item is not None and screen.item.key == "1:2"


async def test_the_walk_resumes_and_edit_adjusts(make_db: MakeDb) -> None:
    path = build(make_db)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert decided(app) == [(":3", "neither")]
        await pilot.press("escape")
        await pilot.pause()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(app, pilot)
        assert screen.item is not None and screen.item.key == "1:2"
        await pilot.press("e")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, EditModal)
        start = int(modal.query_one("#edit-start", Input).value)
        modal.query_one("#edit-end", Input).value = str(start + 8)
        modal.query_one("#edit-tags", Input).value = "impact"
        await pilot.press("enter")
        await pilot.pause()
        assert decided(app) == [(":3", "neither"), ("1:2", "edit")]
        assert consensus(app) == [(start, start + 8, "impact")]


async def test_one_analyst_only_says_so(make_db: MakeDb) -> None:
    path = make_db({"a_one": "标题一\n\n前文在此。\n"})
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(app, pilot)
        content = screen.query_one("#adjudicate-progress", Static).content
        assert "at least two annotators" in str(content)
        await pilot.press("a")  # nothing to decide: no error, no row
        await pilot.pause()
        assert decided(app) == []
