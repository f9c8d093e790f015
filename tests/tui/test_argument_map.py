"""The argument map screen: open it on the span under the cursor or from the claims
screen, walk it with the keyboard, and jump to a span in its article."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Tree

from claimmap.tui import app as app_module
from claimmap.tui.app import ClaimmapApp, make_app
from claimmap.tui.screens.argument_map import ArgumentMapScreen, MapEntry
from claimmap.tui.screens.claims import ClaimsScreen
from tests.argument.corpus import ArgumentCorpus, build_argument_corpus
from tests.conftest import RunCli

SIZE = (130, 32)


@pytest.fixture
def corpus(
    cli: RunCli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> ArgumentCorpus:
    monkeypatch.setattr(app_module, "SIMILAR_DELAY", 3600.0)
    src = tmp_path / "src"
    src.mkdir()
    return build_argument_corpus(cli, db_path, src)


def _tree(app: ClaimmapApp) -> Tree[MapEntry]:
    screen = app.screen
    assert isinstance(screen, ArgumentMapScreen)
    return screen.query_one(Tree)


def _lines(app: ClaimmapApp) -> list[str]:
    tree = _tree(app)
    return [str(tree.get_node_at_line(k).label) for k in range(tree.last_line + 1)]  # type: ignore[union-attr]


async def _open_map(app: ClaimmapApp, pilot: Any, key: str = "ctrl+g") -> None:
    """Press the map key and wait for the worker that reads the map."""
    await pilot.press(key)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _go_to_line(app: ClaimmapApp, pilot: Any, wanted: str) -> None:
    """Move the tree cursor with the arrow keys to the first line containing ``wanted``."""
    target = next(k for k, line in enumerate(_lines(app)) if wanted in line)
    tree = _tree(app)
    while tree.cursor_line != target:
        await pilot.press("down" if tree.cursor_line < target else "up")


async def test_the_map_key_opens_the_claim_under_the_cursor_level_by_level(
    corpus: ArgumentCorpus, db_path: Path
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_span(corpus.s2)
        await pilot.pause()
        await _open_map(app, pilot)
        lines = _lines(app)
        assert lines[0].startswith("#2 两国需要加强协调")
        assert any(line.startswith("¶ a: 两国需要加强协调") for line in lines)
        assert any(line.startswith("supports #1 US-Japan cooperation") for line in lines)
        assert any(line.startswith("attacked by #4 標準不一阻礙合作") for line in lines)
        # Level 2, under claim 1: claim 5 attacks it; claim 4 comes back, marked, not unfolded.
        assert any(line.startswith("attacked by #5") for line in lines)
        assert any("↺ shown above" in line for line in lines)
        # Enter on a wording opens that span in its article (another article here).
        await _go_to_line(app, pilot, "¶ b: 美日兩國開展技術合作")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ArgumentMapScreen)
        assert app.view.current_span == corpus.s3
        assert app.article_id == 2


async def test_recentre_depth_and_enter_on_a_claim(corpus: ArgumentCorpus, db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_span(corpus.s2)
        await pilot.pause()
        await _open_map(app, pilot)
        await pilot.press("minus", "minus")  # depth 1: only the direct neighbours
        assert not any("attacked by #5" in line for line in _lines(app))
        await pilot.press("plus")
        assert any("attacked by #5" in line for line in _lines(app))
        await _go_to_line(app, pilot, "attacked by #4")
        await pilot.press("r")
        lines = _lines(app)
        assert lines[0].startswith("#4 標準不一阻礙合作")
        assert any(line.startswith("supported by #1") and "2 relations" in line for line in lines)
        await pilot.press("enter")  # on the root claim: its first wording
        await pilot.pause()
        assert app.view.current_span == corpus.s4


async def test_the_claims_screen_opens_the_map_of_the_highlighted_claim(
    corpus: ArgumentCorpus, db_path: Path
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, ClaimsScreen)
        await _open_map(app, pilot, "a")
        assert _lines(app)[0].startswith("#1 US-Japan cooperation")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ClaimsScreen)
        await _open_map(app, pilot, "a")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, (ClaimsScreen, ArgumentMapScreen))
        assert app.view.current_span == corpus.s1


async def test_labels_are_text_not_markup(
    cli: RunCli, corpus: ArgumentCorpus, db_path: Path
) -> None:
    assert cli("claims", "label", "1", "[/] [@click=app.quit]boom[/] [b]").code == 0
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_span(corpus.s1)
        await pilot.pause()
        await _open_map(app, pilot)
        assert _lines(app)[0].startswith("#1 [/] [@click=app.quit]boom[/] [b]")
        assert app.is_running


def test_map_screen_snapshot(corpus: ArgumentCorpus, db_path: Path, snap_compare: Any) -> None:
    async def open_map(pilot: Any) -> None:
        pilot.app.goto_span(corpus.s1)
        await pilot.pause()
        await _open_map(pilot.app, pilot)

    assert snap_compare(make_app(db_path), terminal_size=SIZE, run_before=open_map)


async def test_a_very_large_neighbourhood_is_cut_with_a_note(
    corpus: ArgumentCorpus, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimmap.tui.screens import argument_map

    monkeypatch.setattr(argument_map, "MAX_ENTRIES", 2)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_span(corpus.s1)
        await pilot.pause()
        await _open_map(app, pilot)
        lines = _lines(app)
        relations = [line for line in lines if not line.startswith(("¶", "#", "…"))]
        assert len(relations) == 2
        assert any(line.startswith("… 3 more relations within 3 levels") for line in lines)
