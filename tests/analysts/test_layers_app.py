"""The app shows one analyst's layer, overlays another's, and writes as its analyst."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from claimmap.services.annotating import annotate_range
from claimmap.store import open_db
from claimmap.tui import app as app_module
from claimmap.tui.app import ClaimmapApp
from claimmap.tui.screens.picker import FuzzyPicker
from tests.tui.conftest import ARTICLE_A, ARTICLE_B

SIZE = (130, 32)


@pytest.fixture
def two_layers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One article coded by alice (two spans) and by bob (one span, elsewhere)."""
    from claimmap.services.importing import import_paths

    monkeypatch.setattr(app_module, "SIMILAR_DELAY", 3600.0)
    monkeypatch.setattr(app_module, "PANEL_DELAY", 0.001)
    src = tmp_path / "src"
    src.mkdir()
    (src / "a_alliance.txt").write_text(ARTICLE_A, encoding="utf-8")
    (src / "b_eu.txt").write_text(ARTICLE_B, encoding="utf-8")
    path = tmp_path / "layers.db"
    db = open_db(path)
    try:
        import_paths(db, [str(src)])
        text = str(db.execute("SELECT text FROM articles WHERE id = 1").fetchone()[0])
        a = text.index("数字技术")
        annotate_range(db, "1", a, text.index("。", a) + 1, ["motive"], annotator="alice")
        b = text.index("這個機構")
        annotate_range(db, "1", b, text.index("；", b) + 1, ["limitation"], annotator="alice")
        c = text.index("美日两国")
        annotate_range(db, "1", c, text.index("，", c), ["impact"], annotator="bob")
    finally:
        db.close()
    return path


def _app(path: Path, annotator: str = "alice", layer: str | None = "alice") -> ClaimmapApp:
    return ClaimmapApp(open_db(path), annotator=annotator, layer=layer)


async def _pick(pilot: Any, key: str, query: str) -> None:
    await pilot.press(key)
    assert isinstance(pilot.app.screen, FuzzyPicker)
    await pilot.press(*query)
    await pilot.press("enter")
    await pilot.pause()


def _annotators(app: ClaimmapApp) -> list[str]:
    return [str(r[0]) for r in app.db.execute("SELECT annotator FROM spans ORDER BY id")]


async def test_the_current_analysts_layer_is_shown_and_others_can_be_picked(
    two_layers: Path,
) -> None:
    app = _app(two_layers)
    async with app.run_test(size=SIZE) as pilot:
        assert app.view.doc is not None
        assert len(app.view.doc.spans) == 2  # alice's, not bob's
        await _pick(pilot, "y", "bob")
        assert app.session.layer == "bob"
        assert sorted(app.view.doc.spans) == [3]
        await _pick(pilot, "y", "every")
        assert app.session.layer is None
        assert sorted(app.view.doc.spans) == [1, 2, 3]


async def test_another_analysts_layer_is_read_only(two_layers: Path) -> None:
    app = _app(two_layers, layer="bob")
    async with app.run_test(size=SIZE) as pilot:
        before = list(app.db.execute("SELECT id, annotator FROM spans ORDER BY id"))
        app.view.focus_span(3)
        await pilot.press("1")  # would add the first code to bob's span
        await pilot.pause()
        assert list(app.db.execute("SELECT id, annotator FROM spans ORDER BY id")) == before
        assert list(app.db.execute("SELECT span_id FROM span_tags WHERE span_id = 3")) == [(3,)]


async def test_tagging_writes_into_the_apps_analyst_layer(two_layers: Path) -> None:
    app = _app(two_layers, annotator="carol", layer="carol")
    async with app.run_test(size=SIZE) as pilot:
        assert app.view.doc is not None and app.view.doc.spans == {}
        text = app.view.doc.text
        start = text.index("两国需要")
        app.view.select(start, start + 6)
        await pilot.press("1")
        await pilot.pause()
        assert _annotators(app) == ["alice", "alice", "bob", "carol"]
        assert len(app.view.doc.spans) == 1


async def test_overlay_underlines_the_other_layer(two_layers: Path) -> None:
    app = _app(two_layers)
    async with app.run_test(size=SIZE) as pilot:
        await _pick(pilot, "Y", "bob")
        doc = app.view.doc
        assert doc is not None and app.session.overlay == "bob"
        start, end, tag = doc.overlay[0]
        assert (doc.text[start:end], tag) == ("美日两国自二战后即开展技术合作", "impact")
        lines = range(app.view._wrapped.line_of(start), app.view._wrapped.line_of(end - 1) + 1)
        underlined = "".join(
            seg.text
            for y in lines
            for seg in app.view._line_strip(y)
            if seg.style and seg.style.underline
        )
        assert underlined == "美日两国自二战后即开展技术合作"
        # Bob's span is not one of ours: not selectable, not filled.
        assert 3 not in doc.spans


def test_overlay_snapshot(two_layers: Path, snap_compare: Any) -> None:
    async def overlay_bob(pilot: Any) -> None:
        await _pick(pilot, "Y", "bob")

    assert snap_compare(_app(two_layers), terminal_size=SIZE, run_before=overlay_bob)


async def test_claims_screen_lists_the_shown_layers_claims(two_layers: Path) -> None:
    from claimmap.services.linking import set_pair_status
    from claimmap.tui.screens.claims import ClaimsScreen

    db = open_db(two_layers)
    try:
        text = str(db.execute("SELECT text FROM articles WHERE id = 2").fetchone()[0])
        start = text.index("欧盟的监管")
        end = text.index("。", start) + 1
        for who, first in (("alice", 1), ("bob", 3)):
            other = annotate_range(db, "2", start, end, ["impact"], annotator=who).id
            set_pair_status(db, first, other, "confirmed", score=50.0)
    finally:
        db.close()
    app = _app(two_layers, layer="bob")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClaimsScreen)
        owners = {
            str(r[0])
            for claim in screen.claims
            for r in app.db.execute(
                f"SELECT annotator FROM spans WHERE id IN ({','.join('?' * len(claim.spans))})",
                claim.spans,
            )
        }
        assert owners == {"bob"} and len(screen.claims) == 1
