"""Relations in the app: mark a span, go to another (any article), press the key of
the relation type; the span panel lists a span's relations both ways; each add and
delete is one undo step.  Checked against database rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from claimmap.services.relations import add_relation
from claimmap.store import open_db
from claimmap.tui.app import EXTERNAL_POLL, PANEL_DELAY, ClaimmapApp, make_app
from claimmap.tui.widgets.span_panel import RelationList
from tests.tui.test_claims_app import SIZE, build


async def settle(app: ClaimmapApp, pilot: object) -> None:
    # The span panel follows the cursor after PANEL_DELAY.
    await pilot.pause(PANEL_DELAY + 0.1)  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


MakeDb = Callable[..., Path]
pytestmark = pytest.mark.usefixtures("quick_similar")


def relations(app: ClaimmapApp) -> list[tuple[int, int, int, str]]:
    return [
        (int(i), int(s), int(t), str(k))
        for i, s, t, k in app.db.execute("SELECT id, source, target, type FROM relations")
    ]


def shown(app: ClaimmapApp) -> list[str]:
    listing = app.query_one(RelationList)
    if not listing.display:
        return []
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_mark_then_attack_across_articles_then_undo_and_redo(make_db: MakeDb) -> None:
    app = make_app(build(make_db))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "ctrl+l")  # mark span 1 (article 1) as the source
        await pilot.pause()
        assert shown(app) == []
        await pilot.press("J", "tab")  # span 2, in article 2
        await pilot.pause()
        assert app.article_id == 2 and app.view.current_span == 2
        await pilot.press("ctrl+a")
        await settle(app, pilot)
        assert relations(app) == [(1, 1, 2, "attacks")]
        assert app.marked is None
        # The target's panel shows who attacks it, from which article, with the quote.
        rows = shown(app)
        assert len(rows) == 1
        assert "attacked by" in rows[0] and "a_one" in rows[0] and "美日两国" in rows[0]
        await pilot.press("u")
        await settle(app, pilot)
        assert relations(app) == []
        assert shown(app) == []
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert relations(app) == [(1, 1, 2, "attacks")]  # the same id again


async def test_supports_within_an_article_delete_from_the_panel_and_jump(
    make_db: MakeDb,
) -> None:
    app = make_app(build(make_db))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("J", "tab", "ctrl+l", "tab")  # mark span 2, move to span 3
        await pilot.pause()
        assert app.view.current_span == 3
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert relations(app) == [(1, 2, 3, "supports")]
        assert "supported by" in shown(app)[0]
        # Refused: a span cannot support itself; the mark stays for a retry.
        await pilot.press("ctrl+l", "ctrl+s")
        await settle(app, pilot)
        assert relations(app) == [(1, 2, 3, "supports")]
        assert app.marked is not None and app.marked.span == 3
        await pilot.press("ctrl+l")  # unmark
        await pilot.press("shift+tab")  # back to span 2: it supports span 3
        await settle(app, pilot)
        assert app.view.current_span == 2
        assert "supports" in shown(app)[0] and "b_two" in shown(app)[0]
        app.query_one(RelationList).focus()
        await pilot.press("x")
        await settle(app, pilot)
        assert relations(app) == []
        await pilot.press("u")
        await settle(app, pilot)
        assert relations(app) == [(1, 2, 3, "supports")]
        # Enter on a relation goes to the other span.
        app.query_one(RelationList).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.view.current_span == 3 and app.focused is app.view


async def test_a_relation_added_by_another_process_appears_in_the_panel(
    make_db: MakeDb,
) -> None:
    path = build(make_db)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")  # span 1
        await settle(app, pilot)
        assert shown(app) == []
        other = open_db(path)  # another connection, as the CLI would be
        try:
            add_relation(other, 2, 1, "supports", annotator="ana")
        finally:
            other.close()
        await pilot.pause(EXTERNAL_POLL + PANEL_DELAY + 0.2)
        rows = shown(app)
        assert len(rows) == 1 and "supported by" in rows[0] and "b_two" in rows[0]


async def test_a_relation_note_is_written_in_the_panel_and_undone(make_db: MakeDb) -> None:
    """``n`` on a relation in the span panel edits its note (why one claim bears on
    the other); the panel shows it; ``u`` puts the old note back."""
    path = build(make_db)
    with open_db(path) as db:
        add_relation(db, 2, 3, "supports", note="first reading", annotator="tester")
    app = make_app(path)

    def note() -> str | None:
        row = app.db.execute("SELECT note FROM relations WHERE id = 1").fetchone()
        return None if row[0] is None else str(row[0])

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("J", "tab")  # span 2, which supports span 3
        await settle(app, pilot)
        assert app.view.current_span == 2
        app.query_one(RelationList).focus()
        await pilot.press("n")
        await pilot.pause()
        area = app.screen.query_one("#note-text")
        assert area.text == "first reading"  # type: ignore[attr-defined]
        area.text = "the 2024 figures back this up 🙂"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert note() == "the 2024 figures back this up 🙂"
        assert any("the 2024 figures" in row for row in shown(app))
        app.view.focus()
        await pilot.press("u")
        await settle(app, pilot)
        assert note() == "first reading"
        # Emptied, the note is cleared (NULL), not an empty string.
        app.query_one(RelationList).focus()
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#note-text").text = "  "  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert note() is None
