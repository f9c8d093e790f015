"""Databases for the annotator's Pilot tests, built through the real import pipeline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from claimmap.services.importing import import_paths
from claimmap.store import open_db
from claimmap.tui import app as app_module
from claimmap.tui.app import ClaimmapApp

# A CJK article (traditional script in the second paragraph) and a short one.
ARTICLE_A = (
    "美日人工智能合作的現狀與局限\n\n"
    "数字技术的发展让人工智能成为大国竞争的新疆域。美日两国自二战后即开展技术合作，"
    "如今两国在人工智能领域的合作日益紧密。\n\n"
    "這個機構發布了報告，指出合作存在局限；美國的出口管制影響了日本企業。"
    "两国需要加强协调。\n"
)
ARTICLE_B = "欧盟人工智能法案的影响\n\n欧盟的监管框架对美国企业产生了影响。双方仍在谈判。\n"

MakeDb = Callable[..., Path]


@pytest.fixture
def make_db(tmp_path: Path) -> MakeDb:
    """Write articles as files, import them, return the database path."""

    def build(articles: dict[str, str] | None = None) -> Path:
        path = tmp_path / "tui.db"
        db = open_db(path)
        try:
            if articles:
                src = tmp_path / "src"
                src.mkdir(exist_ok=True)
                for name, text in articles.items():
                    (src / f"{name}.txt").write_text(text, encoding="utf-8")
                import_paths(db, [str(src)])
        finally:
            db.close()
        return path

    return build


@pytest.fixture
def two_articles(make_db: MakeDb) -> Path:
    return make_db({"a_alliance": ARTICLE_A, "b_eu": ARTICLE_B})


@pytest.fixture
def quick_similar(monkeypatch: pytest.MonkeyPatch) -> None:
    """The similar panel asks at once (tests should not wait for a resting cursor)."""
    monkeypatch.setattr(app_module, "SIMILAR_DELAY", 0.01)
    monkeypatch.setattr(app_module, "SIMILAR_AFTER_EDIT_DELAY", 0.01)


S = TypeVar("S", bound=Screen[Any])


async def open_by_key(app: ClaimmapApp, pilot: Pilot[None], key: str, kind: type[S]) -> S:
    """Press ``key``, let the screen's loading worker finish, return the screen."""
    await pilot.press(key)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, kind)
    return screen
