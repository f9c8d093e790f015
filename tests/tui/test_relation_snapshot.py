"""Snapshot of the span panel listing the current span's relations both ways."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from claimmap.services.annotating import annotate_range
from claimmap.services.relations import add_relation
from claimmap.store import open_db
from claimmap.tui import app as app_module
from claimmap.tui.app import make_app

SIZE = (130, 32)


@pytest.fixture
def related(two_articles: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # As in test_snapshots: no similar-claims thread, the panel follows at once.
    monkeypatch.setattr(app_module, "SIMILAR_DELAY", 3600.0)
    monkeypatch.setattr(app_module, "PANEL_DELAY", 0.001)
    db = open_db(two_articles)
    text = str(db.execute("SELECT text FROM articles WHERE id = 1").fetchone()[0])
    a = text.index("数字技术")
    motive = annotate_range(db, "1", a, text.index("。", a) + 1, ["motive"])
    b = text.index("這個機構")
    limit = annotate_range(db, "1", b, text.index("；", b) + 1, ["limitation"])
    other = str(db.execute("SELECT text FROM articles WHERE id = 2").fetchone()[0])
    c = other.index("欧盟的监管")
    eu = annotate_range(db, "2", c, other.index("。", c) + 1, ["impact"])
    add_relation(db, limit.id, motive.id, "attacks", note="局限削弱动机", annotator="tester")
    add_relation(db, motive.id, eu.id, "supports", annotator="tester")
    db.close()
    return two_articles


async def _first_span(pilot: Any) -> None:
    await pilot.press("tab")
    await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_span_panel_lists_relations_both_ways(related: Path, snap_compare: Any) -> None:
    assert snap_compare(make_app(related), terminal_size=SIZE, run_before=_first_span)
