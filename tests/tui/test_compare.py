"""Pilot tests of the compare screen: rows, cell wording and exports, checked against files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static

from claimmap.services.annotating import annotate_range
from claimmap.services.linking import set_pair_status
from claimmap.store import open_db
from claimmap.tui import app as app_module
from claimmap.tui.app import ClaimmapApp, make_app
from claimmap.tui.screens.compare import CompareScreen
from claimmap.tui.screens.picker import FuzzyPicker
from claimmap.tui.screens.save_as import SaveAsModal

SIZE = (150, 42)


@pytest.fixture
def seeded(two_articles: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three claims: impact stated by both articles, a motive and a limitation by one each."""
    monkeypatch.setattr(app_module, "SIMILAR_DELAY", 3600.0)
    db = open_db(two_articles)
    text_a = str(db.execute("SELECT text FROM articles WHERE id = 1").fetchone()[0])
    text_b = str(db.execute("SELECT text FROM articles WHERE id = 2").fetchone()[0])

    def span(article: str, text: str, quote: str, tag: str) -> int:
        start = text.index(quote)
        return annotate_range(db, article, start, start + len(quote), [tag]).id

    impact_a = span("1", text_a, "美國的出口管制影響了日本企業", "impact")
    impact_b = span("2", text_b, "欧盟的监管框架对美国企业产生了影响", "impact")
    span("1", text_a, "美日两国自二战后即开展技术合作", "motive")
    span("2", text_b, "双方仍在谈判", "limitation")
    set_pair_status(db, impact_a, impact_b, "confirmed")
    db.close()
    return two_articles


async def open_compare(app: ClaimmapApp, pilot: Any) -> CompareScreen:
    await pilot.press("c")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, CompareScreen)
    return app.screen


def detail(screen: CompareScreen) -> str:
    return str(screen.query_one("#detail", Static).content)


async def test_compare_rows_grouped_by_tag_and_focused_wording(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_compare(app, pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        assert len(table.columns) == 3 + 2  # code, claim, coverage, then the two articles
        assert [str(table.get_row_at(k)[2]) for k in range(3)] == ["1", "1", "2"]
        assert [r.tag for r in screen.loaded.matrix.rows] == ["motive", "limitation", "impact"]  # type: ignore[union-attr]
        # The cursor starts on the first article's cell of the first claim.
        assert "美日两国自二战后即开展技术合作" in detail(screen)
        await pilot.press("down", "down")
        assert "美國的出口管制影響了日本企業" in detail(screen)
        assert "2 of 2 articles" in detail(screen)
        await pilot.press("right")
        assert "欧盟的监管框架对美国企业产生了影响" in detail(screen)
        await pilot.press("up")
        assert "双方仍在谈判" in detail(screen)
        await pilot.press("up")
        assert "silent" in detail(screen)  # article 2 does not state the motive
        await pilot.press("m")
        assert str(table.get_row_at(2)[3]) == "●"
        await pilot.press("s")  # shared claims only
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 1
        assert "美國的出口管制" in detail(screen)


async def test_app_keys_are_inactive_on_the_compare_screen(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await open_compare(app, pilot)
        await pilot.press("g", "c", "C")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert len(app.screen_stack) == 2
        await pilot.press("escape")
        assert app.screen is app.screen_stack[0]
        assert app.focused is app.view


async def test_export_from_keys_writes_the_matrix(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await open_compare(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FuzzyPicker)
        await pilot.press(*"CSV", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SaveAsModal)  # where to? the usual name suggested
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        written = out / "claimmap-matrix.csv"
        text = written.read_text(encoding="utf-8-sig")
        assert "美國的出口管制影響了日本企業" in text
        assert "欧盟的监管框架对美国企业产生了影响" in text
        assert any(str(written) in n.message for n in app._notifications)


async def test_export_from_the_command_palette(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await open_compare(app, pilot)
        await pilot.press("ctrl+p", *"Export matrix as Markdown")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # accept the suggested path
        await app.workers.wait_for_complete()
        await pilot.pause()
        report = (tmp_path / "claimmap-matrix.md").read_text(encoding="utf-8")
        assert report.startswith("# Claim matrix")
        assert "3 claims across 2 articles" in report


async def test_export_asks_for_the_path_and_confirms_an_overwrite(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "report.md"
    mine.write_text("my own notes\n", encoding="utf-8")
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await open_compare(app, pilot)
        await pilot.press("e", *"Markdown", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SaveAsModal)
        field = app.screen.query_one(Input)
        field.value = str(mine)
        await pilot.press("enter")  # the file exists: only a warning
        await pilot.pause()
        assert isinstance(app.screen, SaveAsModal)
        assert mine.read_text(encoding="utf-8") == "my own notes\n"
        await pilot.press("escape")  # cancelled: nothing written
        await pilot.pause()
        assert mine.read_text(encoding="utf-8") == "my own notes\n"
        assert not (tmp_path / "claimmap-matrix.md").exists()

        await pilot.press("e", *"Markdown", "enter")
        await pilot.pause()
        app.screen.query_one(Input).value = str(mine)
        await pilot.press("enter", "enter")  # confirmed
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert mine.read_text(encoding="utf-8").startswith("# Claim matrix")
