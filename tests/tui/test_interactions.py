"""Pilot tests of the annotator: every interaction is checked against database rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from claimmap.services.annotating import annotate_range
from claimmap.services.codebook import add_tag
from claimmap.store import open_db
from claimmap.tui.app import ClaimmapApp, make_app
from claimmap.tui.screens.help import HelpScreen
from claimmap.tui.widgets.article_list import ArticleList
from claimmap.tui.widgets.document_view import GUTTER, DocumentView
from claimmap.tui.widgets.span_panel import SpanList

from .conftest import ARTICLE_A, ARTICLE_B

SIZE = (120, 32)
# The ``make_db`` fixture (conftest): articles by name -> imported database path.
MakeDb = Callable[..., Path]


def spans(app: ClaimmapApp) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in app.db.query(
            'SELECT s.id, s.article_id, s.start, s."end", s.quote, '
            "(SELECT group_concat(t.name) FROM span_tags st JOIN tags t ON t.id = st.tag_id "
            "WHERE st.span_id = s.id) AS tags FROM spans s ORDER BY s.start, s.id"
        )
    ]


def text_of(app: ClaimmapApp, article_id: int = 1) -> str:
    return str(app.db.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()[0])


async def test_starts_on_first_article_with_document_focused(two_articles: Path) -> None:
    app = make_app(two_articles)
    async with app.run_test(size=SIZE):
        assert app.focused is app.view
        assert app.article_id == 1
        assert app.view.cursor == app.view.doc.segmentation.sentences[0][0]  # type: ignore[union-attr]


async def test_select_by_keys_then_tag_creates_exact_span(two_articles: Path) -> None:
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        text = text_of(app)
        start = text.index("数字技术")
        await pilot.press("j", "j")  # title, blank line, then the first body line
        assert app.view.cursor == start
        await pilot.press("v", *["right"] * 4, "1")
        await pilot.pause()
        assert spans(app) == [
            {
                "id": 1,
                "article_id": 1,
                "start": start,
                "end": start + 4,
                "quote": "数字技术",
                "tags": "motive",
            },
        ]


async def test_sentence_select_grows_and_tag_key(two_articles: Path) -> None:
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        text = text_of(app)
        await pilot.press("j", "j", "s")
        first_end = text.index("。") + 1
        assert app.view.selection() == (text.index("数字"), first_end)
        await pilot.press("s", "L")  # L: limitation (l moves right, hjkl)
        await pilot.pause()
        second_end = text.index("。", first_end) + 1
        rows = spans(app)
        assert [(r["start"], r["end"], r["tags"]) for r in rows] == [
            (text.index("数字"), second_end, "limitation")
        ]
        assert rows[0]["quote"] == text[text.index("数字") : second_end]


async def test_clause_motion_stops_at_chinese_clause_marks(two_articles: Path) -> None:
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        text = text_of(app)
        para = text.index("這個")
        app.view._set_cursor(para)
        await pilot.press("v", ">", "r")
        await pilot.pause()
        assert [(r["quote"], r["tags"]) for r in spans(app)] == [
            ("這個機構發布了報告，", "recommendation")
        ]


async def test_mouse_drag_selects_and_tags(two_articles: Path) -> None:
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        text = text_of(app)
        y = view._wrapped.line_of(text.index("数字"))
        ls = view._wrapped.starts[y]
        region = view.content_region
        x0 = region.x - view.region.x + GUTTER
        y0 = region.y - view.region.y + y - int(view.scroll_y)
        # Each glyph is two cells: drag from glyph 1 to glyph 4 inclusive.
        await pilot.mouse_down(DocumentView, offset=(x0 + 2, y0))
        await pilot.hover(DocumentView, offset=(x0 + 6, y0))
        await pilot.mouse_up(DocumentView, offset=(x0 + 8, y0))
        assert view.selection() == (ls + 1, ls + 5)
        await pilot.press("i")
        await pilot.pause()
        assert [(r["start"], r["end"], r["quote"], r["tags"]) for r in spans(app)] == [
            (ls + 1, ls + 5, text[ls + 1 : ls + 5], "impact")
        ]


async def test_undo_redo_across_tag_and_delete(two_articles: Path) -> None:
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "s", "m")
        await pilot.pause()
        created = spans(app)
        assert len(created) == 1
        await pilot.press("x")
        await pilot.pause()
        assert spans(app) == []
        await pilot.press("u")  # undo delete
        await pilot.pause()
        assert spans(app) == created
        await pilot.press("u")  # undo the tagging itself
        await pilot.pause()
        assert spans(app) == []
        await pilot.press("ctrl+r", "ctrl+r")
        await pilot.pause()
        assert spans(app) == []  # redo tag, then redo delete
        await pilot.press("u")
        await pilot.pause()
        assert spans(app) == created


async def test_several_tags_on_one_span_and_toggle(two_articles: Path) -> None:
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "s", "m")
        await pilot.pause()
        await pilot.press("i")  # no selection: toggles impact on the span under the cursor
        await pilot.pause()
        assert [r["tags"] for r in spans(app)] == ["motive,impact"]
        await pilot.press("m")
        await pilot.pause()
        assert [r["tags"] for r in spans(app)] == ["impact"]
        await pilot.press("u")
        await pilot.pause()
        assert [r["tags"] for r in spans(app)] == ["motive,impact"]


async def test_note_edit_saves_note_row(two_articles: Path) -> None:
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "s", "m")
        await pilot.pause()
        await pilot.press("n", *"check 出处", "ctrl+s")
        await pilot.pause()
        rows = list(app.db.query("SELECT span_id, body FROM notes"))
        assert rows == [{"span_id": 1, "body": "check 出处"}]
        await pilot.press("n", "escape")  # cancel leaves the note alone
        await pilot.pause()
        assert list(app.db.query("SELECT body FROM notes")) == [{"body": "check 出处"}]
        await pilot.press("u")
        await pilot.pause()
        assert list(app.db.query("SELECT body FROM notes")) == []


async def test_boundary_adjust_keys(two_articles: Path) -> None:
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        text = text_of(app)
        start = text.index("数字")
        await pilot.press("j", "j", "v", "right", "right", "right", "m")
        await pilot.pause()
        await pilot.press("]", "]")
        await pilot.pause()
        assert [(r["start"], r["end"], r["quote"]) for r in spans(app)] == [
            (start, start + 5, text[start : start + 5])
        ]
        await pilot.press("=", "[")
        await pilot.pause()
        assert [(r["start"], r["end"]) for r in spans(app)] == [(start + 1, start + 4)]
        await pilot.press("-")
        await pilot.pause()
        assert [(r["start"], r["end"]) for r in spans(app)] == [(start, start + 4)]
        await pilot.press("u", "u")
        await pilot.pause()
        assert [(r["start"], r["end"]) for r in spans(app)] == [(start + 1, start + 5)]


async def test_filter_limits_tab_navigation_to_one_code(two_articles: Path) -> None:
    db = open_db(two_articles)
    text = str(db.execute("SELECT text FROM articles WHERE id = 1").fetchone()[0])
    a = text.index("数字")
    b = text.index("這個")
    annotate_range(db, "1", a, a + 4, ["motive"])
    annotate_range(db, "1", b, b + 4, ["limitation"])
    annotate_range(db, "1", a + 2, a + 8, ["impact"])  # overlaps the motive span
    db.close()
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", *"limit", "enter")
        await pilot.pause()
        assert app.view.filter_tag == "limitation"
        # The span panel lists what the document shows: the limitation span only.
        listing = app.query_one(SpanList)
        assert [listing.get_option_at_index(i).id for i in range(listing.option_count)] == [
            str(r["id"]) for r in spans(app) if r["tags"] == "limitation"
        ]
        await pilot.press("tab", "x")
        await pilot.pause()
        assert [(r["quote"], r["tags"]) for r in spans(app)] == [
            ("数字技术", "motive"),
            ("技术的发展让", "impact"),
        ]
        await pilot.press("f", "enter")  # first option: all codes
        await pilot.pause()
        assert app.view.filter_tag is None


async def test_tab_walks_spans_in_order(two_articles: Path) -> None:
    db = open_db(two_articles)
    text = str(db.execute("SELECT text FROM articles WHERE id = 1").fetchone()[0])
    a, b = text.index("数字"), text.index("這個")
    annotate_range(db, "1", b, b + 2, ["impact"])
    annotate_range(db, "1", a, a + 2, ["motive"])
    db.close()
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        assert app.view.cursor == a
        await pilot.press("tab")
        assert app.view.cursor == b
        await pilot.press("shift+tab")
        assert app.view.cursor == a


async def test_search_across_scripts_selects_match(two_articles: Path) -> None:
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        text = text_of(app)
        # Simplified query, ASCII comma: the text is traditional with a full-width comma.
        await pilot.press("/", *"这个机构发布了报告,指出", "enter")
        await pilot.pause()
        start = text.index("這個機構")
        assert app.view.selection() == (start, text.index("指出") + 2)
        await pilot.press("r")
        await pilot.pause()
        assert [(r["quote"], r["tags"]) for r in spans(app)] == [
            ("這個機構發布了報告，指出", "recommendation")
        ]


async def test_search_never_matches_across_a_paragraph_break(make_db: MakeDb) -> None:
    # "紧密。" ends a paragraph and "這個" starts the next: folded, they are adjacent.
    app = make_app(make_db({"a_alliance": ARTICLE_A}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("/", *"紧密这个", "enter")
        await pilot.pause()
        assert app.view.matches == []
        await pilot.press("/", *"紧密", "enter")
        await pilot.pause()
        assert len(app.view.matches) == 1
        assert str(app.query_one("#status").render()).startswith("1 match for")


async def test_article_picker_folds_scripts_and_width(make_db: MakeDb) -> None:
    app = make_app(make_db({"a_alliance": ARTICLE_A, "b_eu": ARTICLE_B}))
    async with app.run_test(size=SIZE) as pilot:
        # The title says 欧盟 (simplified); the analyst types the traditional 歐盟.
        await pilot.press("g", *"歐盟", "enter")
        await pilot.pause()
        assert app.article_id == 2
        # And the other way round: the traditional title 現狀 found by simplified 现状.
        await pilot.press("g", *"现状", "enter")
        await pilot.pause()
        assert app.article_id == 1


async def test_article_switching_tags_the_right_article(two_articles: Path) -> None:
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("J")
        await pilot.pause()
        assert app.article_id == 2
        await pilot.press("j", "j", "s", "i")
        await pilot.pause()
        rows = spans(app)
        assert [(r["article_id"], r["quote"]) for r in rows] == [
            (2, "欧盟的监管框架对美国企业产生了影响。")
        ]
        await pilot.press("g", *"a_all", "enter")
        await pilot.pause()
        assert app.article_id == 1
        assert app.view.doc is not None and app.view.doc.text.startswith("美日")


async def test_reopens_at_last_article_and_position(two_articles: Path) -> None:
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("J", "j", "j", "right", "right", "right")
        cursor = app.view.cursor
        await pilot.press("ctrl+q")
    rows = {r["key"]: r["value"] for r in app.db.query("SELECT key, value FROM app_state")}
    assert rows["tui.last_article"] == "2"
    assert rows["tui.pos.2"] == str(cursor)
    again = make_app(two_articles)
    async with again.run_test(size=SIZE):
        assert again.article_id == 2
        assert again.view.cursor == cursor


async def test_empty_database(make_db: MakeDb) -> None:
    app = make_app(make_db(None))
    async with app.run_test(size=SIZE) as pilot:
        assert "Empty database" in str(app.query_one("#status").render())
        await pilot.press("j", "v", "s", "1", "x", "tab", "u", "/", "escape", "J")
        await pilot.pause()
        assert app.view.doc is None
        assert "no articles" in str(app.view.border_title)
        assert list(app.db.query("SELECT * FROM spans")) == []


async def test_one_line_article_and_grapheme_clusters(make_db: MakeDb) -> None:
    # q + combining acute (no precomposed form survives NFC), a ZWJ family emoji,
    # an astral CJK character.
    text = "Cafq\u0301 👨\u200d👩\u200d👧 𠀀好"
    app = make_app(make_db({"one": text}))
    async with app.run_test(size=SIZE) as pilot:
        stored = text_of(app)
        base = stored.index("Caf")
        app.view._set_cursor(base)
        await pilot.press("v", *["right"] * 4, "m")  # C a f q́: four graphemes, five code points
        await pilot.pause()
        family = stored.index("👨")
        app.view._set_cursor(family)
        await pilot.press("v", "right", "i")
        await pilot.pause()
        assert [(r["quote"], r["tags"]) for r in spans(app)] == [
            ("Cafq\u0301", "motive"),
            ("👨\u200d👩\u200d👧", "impact"),
        ]


async def test_huge_article_loads_scrolls_and_resizes(make_db: MakeDb) -> None:
    sentence = "美日两国在人工智能领域的合作日益紧密，旨在维持优势地位。"
    body = "\n".join(sentence * 20 for _ in range(int(300_000 / (len(sentence) * 20)) + 1))
    app = make_app(make_db({"huge": body}))
    async with app.run_test(size=SIZE) as pilot:
        assert app.view.doc is not None and app.view.doc.article.chars >= 300_000
        await pilot.press("ctrl+end", "pageup", "up", "v", "left", "left", "1")
        await pilot.pause()
        assert len(spans(app)) == 1
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        await pilot.press("ctrl+home", "s", "2")
        await pilot.pause()
        assert [r["tags"] for r in spans(app)] == ["limitation", "motive"]
        assert app.view.doc is not None
        assert spans(app)[0]["quote"] == sentence


async def test_new_code_from_picker(two_articles: Path) -> None:
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "s", "t", *"evidence", "enter")
        await pilot.pause()
        assert [r["tags"] for r in spans(app)] == ["evidence"]
        names = [r["name"] for r in app.db.query("SELECT name FROM tags ORDER BY ordinal")]
        assert names[-1] == "evidence"
        await pilot.press("escape", "5")  # the new code is number 5 in the codebook
        await pilot.pause()
        assert [r["tags"] for r in spans(app)] == ["evidence"]  # toggle refused: only tag


async def test_codebook_key_of_an_added_code(two_articles: Path) -> None:
    db = open_db(two_articles)
    add_tag(db, "evidence", key="q")
    db.close()
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "s", "q")
        await pilot.pause()
        assert [r["tags"] for r in spans(app)] == ["evidence"]


async def test_command_palette_runs_a_document_action(two_articles: Path) -> None:
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "ctrl+p", *"Sentence")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        text = text_of(app)
        assert app.view.selection() == (text.index("数字"), text.index("。") + 1)
        await pilot.press("4")
        await pilot.pause()
        assert [r["tags"] for r in spans(app)] == ["recommendation"]


async def test_help_lists_bindings(two_articles: Path) -> None:
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        from claimmap.tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        rows = dict((d, k) for k, d in app.screen.rows)
        assert rows["Undo"] == "u"
        assert rows["Tag"] == "1-9"
        assert "ctrl+q" in rows["Quit"] or "^q" in rows["Quit"]
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_claims_screen_jumps_to_a_linked_span(two_articles: Path) -> None:
    from claimmap.services.linking import set_pair_status

    db = open_db(two_articles)
    a = annotate_range(db, "1", 16, 24, ["impact"])
    text_b = str(db.execute("SELECT text FROM articles WHERE id = 2").fetchone()[0])
    start_b = text_b.index("欧盟的监管")
    b = annotate_range(db, "2", start_b, start_b + 6, ["impact"])
    set_pair_status(db, a.id, b.id, "confirmed")
    db.close()
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.article_id == 1 and app.view.current_span == a.id
        await pilot.press("C", "down", "escape")
        await pilot.pause()
        assert app.view.current_span == a.id


async def test_similar_claims_panel_confirms_a_pair(
    make_db: MakeDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimmap.tui import app as app_module
    from claimmap.tui.widgets.span_panel import SimilarList

    monkeypatch.setattr(app_module, "SIMILAR_DELAY", 0.01)
    claim_s = "美日两国的人工智能合作带有明显的对华竞争色彩，旨在遏制中国技术发展。"
    claim_t = "美日兩國的人工智能合作帶有明顯的對華競爭色彩，旨在遏制中國技術發展。"
    path = make_db({"a_one": f"标题一\n\n{claim_s}\n", "b_two": f"標題二\n\n{claim_t}\n"})
    db = open_db(path)
    for article, claim in (("1", claim_s), ("2", claim_t)):
        text = str(db.execute("SELECT text FROM articles WHERE id = ?", [article]).fetchone()[0])
        start = text.index(claim[:4])
        annotate_range(db, article, start, start + len(claim), ["motive"])
    db.close()
    app = make_app(path)
    async with app.run_test(size=(140, 32)) as pilot:
        await pilot.press("tab")
        similar = app.query_one(SimilarList)
        await pilot.pause(0.1)  # let the debounce timer start the worker
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert similar.option_count >= 1
        similar.focus()
        await pilot.press("y")
        await pilot.pause()
        rows = list(app.db.query("SELECT a, b, status FROM links"))
        assert rows == [{"a": 1, "b": 2, "status": "confirmed"}]


async def test_click_places_cursor_in_a_span_then_delete(two_articles: Path) -> None:
    db = open_db(two_articles)
    text = str(db.execute("SELECT text FROM articles WHERE id = 1").fetchone()[0])
    start = text.index("数字")
    annotate_range(db, "1", start, start + 6, ["impact"])
    db.close()
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        y = view._wrapped.line_of(start)
        region = view.content_region
        x0 = region.x - view.region.x + GUTTER + 2 * (start - view._wrapped.starts[y])
        y0 = region.y - view.region.y + y - int(view.scroll_y)
        await pilot.click(DocumentView, offset=(x0 + 4, y0))  # third glyph of the span
        assert view.cursor == start + 2
        assert view.selection() is None
        assert view.current_span == 1
        await pilot.press("x")
        await pilot.pause()
        assert spans(app) == []


@pytest.mark.parametrize("size", [(80, 24), (70, 24)])
async def test_side_panels_stay_reachable_on_a_narrow_terminal(
    two_articles: Path, size: tuple[int, int]
) -> None:
    app = make_app(two_articles)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        panel = app.query_one(SpanList)
        assert not panel.display or not panel.parent.display  # type: ignore[union-attr]
        assert "p spans" in str(app.query_one("#status").render())  # the keys are shown
        await pilot.press("p")
        await pilot.pause()
        assert app.focused is panel
        assert panel.region.width > 0 and panel.region.height > 0  # on screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is app.view
        assert panel.region.width == 0 or not app.query_one("#span-panel").display
        await pilot.press("a")
        await pilot.pause()
        articles = app.query_one(ArticleList)
        assert app.focused is articles and articles.region.width > 0
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.article_id == 2 and app.focused is app.view
        assert app.view.region.width > 0


async def test_article_list_counters_stay_on_one_line_and_are_explained(
    two_articles: Path,
) -> None:
    db = open_db(two_articles)
    for name in ("evidence", "background", "counterclaim", "method", "actor"):
        add_tag(db, name)
    db.close()
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.query_one(ArticleList)
        for i in range(listing.option_count):
            prompt = listing.get_option_at_index(i).prompt
            lines = str(prompt).split("\n")
            assert len(lines) == 2, lines
            assert lines[1].endswith("%") and len(lines[1]) <= 26, lines
        assert "% read" in str(listing.border_subtitle)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "spans per code" in shown


async def test_a_selection_across_paragraphs_is_tagged_with_a_warning(
    two_articles: Path,
) -> None:
    app = make_app(two_articles)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        text = text_of(app)
        await pilot.press("j", "j", "v", "}", *["l"] * 5, "1")  # into the next paragraph
        await pilot.pause()
        rows = spans(app)
        assert len(rows) == 1 and "\n" in rows[0]["quote"]
        messages = [n.message for n in app._notifications]
        assert "the span runs across a paragraph break" in messages
        assert text[rows[0]["start"] : rows[0]["end"]] == rows[0]["quote"]
