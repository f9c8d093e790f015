"""Claims in the app (issue 11): label, merge, detach, link by hand, and one undo for
every decision, each checked against database rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from claimmap.services.annotating import annotate_range
from claimmap.services.claims import claim_of
from claimmap.services.linking import set_pair_status
from claimmap.store import open_db
from claimmap.tui.app import ClaimmapApp, make_app
from claimmap.tui.screens.claims import ClaimsScreen
from claimmap.tui.screens.review import ReviewScreen
from claimmap.tui.widgets.span_panel import SimilarList

MakeDb = Callable[..., Path]
# The similar panel asks at once instead of waiting for the cursor to rest.
pytestmark = pytest.mark.usefixtures("quick_similar")
SIZE = (140, 32)
CLAIM_S = "美日两国的人工智能合作带有明显的对华竞争色彩，旨在遏制中国技术发展。"
CLAIM_T = "美日兩國的人工智能合作帶有明顯的對華競爭色彩，旨在遏制中國技術發展。"
OTHER = "欧盟的监管框架对美国企业产生了影响。"


def build(make_db: MakeDb, tags: tuple[str, str, str] = ("motive", "motive", "limitation")) -> Path:
    """Span 1 (article 1), span 2 (article 2, same claim in traditional script) and
    span 3 (article 2, another passage)."""
    path = make_db(
        {"a_one": f"标题一\n\n{CLAIM_S}\n", "b_two": f"標題二\n\n{CLAIM_T}\n\n{OTHER}\n"}
    )
    db = open_db(path)
    for (article, quote), tag in zip(
        (("1", CLAIM_S), ("2", CLAIM_T), ("2", OTHER)), tags, strict=True
    ):
        text = str(db.execute("SELECT text FROM articles WHERE id = ?", [article]).fetchone()[0])
        start = text.index(quote)
        annotate_range(db, article, start, start + len(quote), [tag])
    db.close()
    return path


async def settle(app: ClaimmapApp, pilot: object) -> None:
    await pilot.pause(0.1)  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


def links(app: ClaimmapApp) -> list[tuple[int, int, str]]:
    return [
        (int(a), int(b), str(s)) for a, b, s in app.db.execute("SELECT a, b, status FROM links")
    ]


def claims(app: ClaimmapApp) -> dict[int, int]:
    return {int(s): int(c) for s, c in app.db.execute("SELECT id, claim_id FROM spans")}


def notes(app: ClaimmapApp) -> list[str]:
    return [str(r[0]) for r in app.db.execute("SELECT body FROM notes ORDER BY id")]


async def test_u_after_accepting_a_similar_link_undoes_the_link_not_an_older_note(
    make_db: MakeDb,
) -> None:
    app = make_app(build(make_db))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "n", *"older", "ctrl+s")  # a note: the older edit
        await settle(app, pilot)
        assert notes(app) == ["older"]
        assert app.query_one(SimilarList).option_count >= 1
        await pilot.press("P", "a", "escape")
        await pilot.pause()
        assert links(app) == [(1, 2, "confirmed")]
        assert claims(app)[1] == claims(app)[2]
        await pilot.press("u")
        await pilot.pause()
        assert links(app) == []  # the link the panel created is gone again
        assert claims(app)[1] != claims(app)[2]
        assert notes(app) == ["older"]
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert links(app) == [(1, 2, "confirmed")]


async def test_u_in_the_similar_list_undoes_the_judgement_made_there(make_db: MakeDb) -> None:
    app = make_app(build(make_db))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        await settle(app, pilot)
        await pilot.press("P", "a")
        await pilot.pause()
        assert links(app) == [(1, 2, "confirmed")]
        assert isinstance(app.focused, SimilarList)
        await pilot.press("u")
        await pilot.pause()
        assert links(app) == []
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert links(app) == [(1, 2, "confirmed")]


async def test_u_after_the_review_screen_undoes_its_last_decision(make_db: MakeDb) -> None:
    app = make_app(build(make_db))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "n", *"older", "ctrl+s")
        await pilot.press("V")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("a", "escape")
        await pilot.pause()
        assert links(app) == [(1, 2, "confirmed")]
        await pilot.press("u")
        await pilot.pause()
        assert links(app) == []
        assert notes(app) == ["older"]


async def test_enter_on_a_similar_claim_goes_there_to_link_by_hand(make_db: MakeDb) -> None:
    app = make_app(build(make_db))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "ctrl+l")
        await settle(app, pilot)
        await pilot.press("P", "enter")
        await pilot.pause()
        assert app.article_id == 2 and app.view.current_span == 2
        assert app.focused is app.view
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert links(app) == [(1, 2, "confirmed")]


async def test_undo_of_a_rejection_restores_the_suggestion(make_db: MakeDb) -> None:
    path = build(make_db)
    db = open_db(path)
    db.execute(
        "INSERT INTO links (a, b, score, status, method, created_at, updated_at) "
        "VALUES (1, 2, 90, 'suggested', 'linker', 'x', 'x')"
    )
    db.conn.commit()
    db.close()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        await settle(app, pilot)
        await pilot.press("P", "r", "escape")
        await pilot.pause()
        assert links(app) == [(1, 2, "rejected")]
        await pilot.press("u")
        await pilot.pause()
        assert links(app) == [(1, 2, "suggested")]
        # Accepting a pair rejected before is done, with a warning.
        await pilot.press("P", "r", "a", "escape")
        await pilot.pause()
        assert links(app) == [(1, 2, "confirmed")]
        messages = [n.message for n in app._notifications]
        assert any("were rejected as different claims before" in m for m in messages)


async def test_link_two_spans_by_hand_across_articles_then_undo(make_db: MakeDb) -> None:
    app = make_app(build(make_db))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "ctrl+l", "ctrl+l")  # on the marked span: unmark
        await pilot.pause()
        assert app.marked is None
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.marked is not None and app.marked.span == 1
        status = str(app.query_one("#status").render())
        assert "marked: span 1 (a_one)" in status
        await pilot.press("J")  # the next article
        await pilot.pause()
        assert app.article_id == 2
        await pilot.press("tab", "tab")  # onto span 3, the limitation passage
        await pilot.pause()
        assert app.view.current_span == 3
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert links(app) == [(1, 3, "confirmed")]
        assert app.db.execute("SELECT method FROM links").fetchone()[0] == "manual"
        assert claims(app)[1] == claims(app)[3]
        assert app.marked is None
        # Tags differ: the link is made, and the analyst is told.
        messages = [n.message for n in app._notifications]
        assert any("linking a motive span to a limitation span" in m for m in messages)
        await pilot.press("u")
        await pilot.pause()
        assert links(app) == [] and claims(app)[1] != claims(app)[3]
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert links(app) == [(1, 3, "confirmed")] and claims(app)[1] == claims(app)[3]


async def test_claims_screen_labels_merges_and_detaches_with_undo(make_db: MakeDb) -> None:
    path = build(make_db)
    db = open_db(path)
    set_pair_status(db, 1, 2, "confirmed", score=90.0)
    claim = claim_of(db, 1)
    db.close()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, ClaimsScreen)
        await pilot.press("l", *"aimed at China", "enter")
        await pilot.pause()
        label = "SELECT label FROM claims WHERE id = ?"
        assert app.db.execute(label, [claim]).fetchone()[0] == "aimed at China"
        await pilot.press("u")
        await pilot.pause()
        assert app.db.execute(label, [claim]).fetchone()[0] is None
        # Merge with span 3's claim, picked by its quote.
        await pilot.press("m", *"欧盟的监管", "enter")
        await pilot.pause()
        assert claims(app)[3] == claim
        messages = [n.message for n in app._notifications]
        assert any("merging a motive claim with a limitation claim" in m for m in messages)
        await pilot.press("u")
        await pilot.pause()
        assert claims(app)[3] != claim and claims(app)[2] == claim
        # Detach span 2 (picked from the claim's spans).
        await pilot.press("d", *"span 2", "enter")
        await pilot.pause()
        assert claims(app)[2] != claims(app)[1]
        assert links(app)[0] == (1, 2, "rejected")
        await pilot.press("u")
        await pilot.pause()
        assert claims(app)[2] == claims(app)[1] == claim
        assert links(app)[0] == (1, 2, "confirmed")


async def test_palette_detaches_the_span_under_the_cursor(make_db: MakeDb) -> None:
    path = build(make_db)
    db = open_db(path)
    set_pair_status(db, 1, 2, "confirmed", score=90.0)
    db.close()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "ctrl+p", *"Detach span")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert claims(app)[1] != claims(app)[2]
        await pilot.press("u")
        await pilot.pause()
        assert claims(app)[1] == claims(app)[2]


async def test_undo_of_a_new_code_removes_it(make_db: MakeDb) -> None:
    app = make_app(build(make_db))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "s", "t", *"evidence", "enter")
        await pilot.pause()
        code = "SELECT count(*) FROM tags WHERE name = 'evidence'"
        assert app.db.execute(code).fetchone()[0] == 1
        await pilot.press("escape", "u")  # the span tagged with it
        await pilot.pause()
        assert app.db.execute(code).fetchone()[0] == 1
        await pilot.press("u")  # the code itself
        await pilot.pause()
        assert app.db.execute(code).fetchone()[0] == 0
        assert [t.name for t in app.session.tags if t.name == "evidence"] == []
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.db.execute(code).fetchone()[0] == 1
