"""The review screen ranks by meaning when an encoder is installed: a Chinese claim
and its English translation (no shared character) come first, and accepting them
stores the link."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from claimmap.services.annotating import annotate_range
from claimmap.store import open_db
from claimmap.tui.app import make_app
from tests.linking.test_review_meaning import SPANS, TEXTS, FakeEncoder
from tests.tui.conftest import MakeDb
from tests.tui.test_review_screen import links, open_review

SIZE = (140, 36)


async def test_review_screen_ranks_by_meaning_and_stores_the_decision(
    make_db: MakeDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_db(TEXTS)
    with open_db(path) as db:
        refs = {str(r): int(i) for i, r in db.execute("SELECT id, ref FROM articles")}
        for ref, quote, tag in SPANS:
            text = str(
                db.execute("SELECT text FROM articles WHERE id = ?", [refs[ref]]).fetchone()[0]
            )
            start = text.index(quote)
            annotate_range(db, ref, start, start + len(quote), [tag])
    encoder = FakeEncoder()
    monkeypatch.setattr("claimmap.tui.screens.review.load_embedder", lambda: encoder)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        progress = str(screen.query_one("#review-progress", Static).content)
        assert "ranked by wording and meaning" in progress and "meaning 1.000" in progress
        assert (screen.items[0].a, screen.items[0].b) == (1, 5)
        assert len(encoder.embedded) == 6
        await pilot.press("a")
        await pilot.pause()
        assert links(app)[0][:3] == (1, 5, "confirmed")
