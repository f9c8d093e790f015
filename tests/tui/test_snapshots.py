"""Snapshots of the main screens at a fixed size (update with --snapshot-update)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from claimmap.services.annotating import annotate_range, set_note
from claimmap.services.linking import set_pair_status
from claimmap.store import open_db
from claimmap.tui import app as app_module
from claimmap.tui.app import make_app

SIZE = (130, 32)


@pytest.fixture
def annotated(two_articles: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # The similar-claims lookup runs on a timer in a thread: keep it out of snapshots.
    monkeypatch.setattr(app_module, "SIMILAR_DELAY", 3600.0)
    # The span panel follows the cursor on a short timer: make it fire at once so
    # a loaded machine cannot take the snapshot before the panel caught up.
    monkeypatch.setattr(app_module, "PANEL_DELAY", 0.001)
    db = open_db(two_articles)
    text = str(db.execute("SELECT text FROM articles WHERE id = 1").fetchone()[0])
    a = text.index("数字技术")
    span = annotate_range(db, "1", a, text.index("。", a) + 1, ["motive"])
    annotate_range(db, "1", a + 8, a + 20, ["impact", "limitation"])  # overlaps, two codes
    b = text.index("這個機構")
    annotate_range(db, "1", b, text.index("；", b) + 1, ["limitation"])
    set_note(db, span.id, "核心论点", annotator="tester")
    db.close()
    return two_articles


@pytest.fixture
def compared(annotated: Path) -> Path:
    """The annotated article plus one claim stated by both articles (a confirmed link)."""
    db = open_db(annotated)
    text = str(db.execute("SELECT text FROM articles WHERE id = 2").fetchone()[0])
    start = text.index("欧盟的监管")
    b = annotate_range(db, "2", start, text.index("。", start) + 1, ["limitation"])
    set_pair_status(db, 3, b.id, "confirmed", score=80.0)
    db.close()
    return annotated


async def _open_compare(pilot: Any) -> None:
    await pilot.press("c")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_compare_screen(compared: Path, snap_compare: Any) -> None:
    assert snap_compare(make_app(compared), terminal_size=SIZE, run_before=_open_compare)


async def _tab_twice(pilot: Any) -> None:
    await pilot.press("tab", "tab")
    await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen_cjk_overlapping_spans(annotated: Path, snap_compare: Any) -> None:
    assert snap_compare(make_app(annotated), terminal_size=SIZE, run_before=_tab_twice)


def test_help_screen(annotated: Path, snap_compare: Any) -> None:
    assert snap_compare(make_app(annotated), terminal_size=SIZE, press=["question_mark"])


def test_code_picker(annotated: Path, snap_compare: Any) -> None:
    assert snap_compare(make_app(annotated), terminal_size=SIZE, press=["v", "l", "t", "i", "m"])
