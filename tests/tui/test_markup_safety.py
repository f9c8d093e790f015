"""Article and analyst text that looks like markup is shown as typed, never parsed.

Textual and Rich read ``[...]`` in plain strings as markup: ``[/]`` crashes the app
(MarkupError), ``[b]`` silently vanishes, and ``[@click=app.quit]`` turns the text
into a button that runs an action.  Every test here feeds such text through one
screen and reads the rendered screen back: the text must appear literally, the
app must still run, and no cell on screen may carry a click action.
"""

from __future__ import annotations

import ast
import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.content import Content
from textual.widgets import Input, OptionList

import claimmap.tui
from claimmap.errors import ClaimmapError
from claimmap.services import exporting
from claimmap.services.annotating import annotate_range, set_note
from claimmap.services.claims import claim_of, label_claim
from claimmap.services.codebook import add_tag
from claimmap.services.linking import set_pair_status
from claimmap.store import open_db
from claimmap.tui import app as app_module
from claimmap.tui.app import ClaimmapApp, make_app
from claimmap.tui.screens.claims import ClaimsScreen
from claimmap.tui.screens.compare import CompareScreen
from claimmap.tui.screens.help import HelpScreen
from claimmap.tui.screens.note import NoteModal
from claimmap.tui.screens.picker import FuzzyPicker
from claimmap.tui.screens.search import SearchModal

MakeDb = Callable[..., Path]
SIZE = (140, 36)

REF_A = "a[b]"
TITLE_A = "T[/]x[@click=app.quit]q[b]B \\[ 😊𠀀"
TITLE_B = "B[/]题[@click=app.quit]b"
# The head of each claim fits the side panel's 34 cells, so it is on screen there.
HEAD = "[/][b]粗[@click=app.quit]x[/]"
TAIL = "[link=https://x]L \\[ 😊𠀀"
CLAIM_S = "美日两国的人工智能合作带有明显的对华竞争色彩，旨在遏制中国技术发展"
CLAIM_T = "美日兩國的人工智能合作帶有明顯的對華競爭色彩，旨在遏制中國技術發展"
SENTENCE_A = f"{HEAD}{CLAIM_S}{TAIL}。"
SENTENCE_B = f"{HEAD}{CLAIM_T}{TAIL}。"
CODE_SLASH = "[/]"
CODE_CLICK = "[@click=app.quit]q"
NOTE = "[/]备注[@click=app.quit]n"
LABEL = "[/]标签[@click=app.quit]c [bold]"


@pytest.fixture
def hostile(make_db: MakeDb, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two articles stating one claim, with markup-like text in every field the app shows."""
    monkeypatch.setattr(app_module, "SIMILAR_DELAY", 0.01)
    monkeypatch.setattr(app_module, "SIMILAR_AFTER_EDIT_DELAY", 0.01)
    monkeypatch.setattr(app_module, "PANEL_DELAY", 0.001)
    path = make_db(
        {
            REF_A: f"{TITLE_A}\n\n{SENTENCE_A}第二句没有标记。\n",
            "b_two": f"{TITLE_B}\n\n{SENTENCE_B}\n",
        }
    )
    db = open_db(path)
    try:
        # A '/' in a code's name is a level: "[/]" is the child of a code "[".
        add_tag(db, CODE_SLASH, create_parents=True)
        add_tag(db, CODE_CLICK)
        ids = []
        for article, sentence in (("1", SENTENCE_A), ("2", SENTENCE_B)):
            text = str(
                db.execute("SELECT text FROM articles WHERE id = ?", [article]).fetchone()[0]
            )
            start = text.index(sentence)
            tags = [CODE_SLASH, CODE_CLICK] if article == "1" else [CODE_SLASH]
            ids.append(annotate_range(db, article, start, start + len(sentence), tags).id)
        set_note(db, ids[0], NOTE, annotator="tester")
        set_pair_status(db, ids[0], ids[1], "confirmed")
        label_claim(db, claim_of(db, ids[0]), LABEL)
        titles = [r["title"] for r in db.query("SELECT title FROM articles ORDER BY id")]
    finally:
        db.close()
    # The import pipeline keeps these titles as they are; the tests rely on it.
    assert titles == [TITLE_A, TITLE_B]
    return path


def screen_text(app: ClaimmapApp) -> str:
    """The rendered screen (with any screens below a modal), one line per row.

    Read from the SVG screenshot: each run of same-styled cells is one ``<text>``
    element clipped to its row, so joining a row's elements by x gives its text.
    """
    rows: dict[int, list[tuple[float, str]]] = {}
    pattern = r'<text [^>]*x="([\d.]+)"[^>]*clip-path="url\(#[^"]*-line-(\d+)\)"[^>]*>(.*?)</text>'
    for x, row, body in re.findall(pattern, app.export_screenshot(), re.S):
        rows.setdefault(int(row), []).append((float(x), html.unescape(body).replace("\xa0", " ")))
    return "\n".join("".join(t for _, t in sorted(parts)) for _, parts in sorted(rows.items()))


def assert_inert(app: ClaimmapApp) -> None:
    """The app runs and nothing on the active screen would run an action when clicked."""
    assert app.is_running
    assert app.return_code is None
    width, height = app.size
    actions = {
        (x, y)
        for y in range(height)
        for x in range(width)
        if "@click" in app.screen.get_style_at(x, y).meta
    }
    assert not actions


async def settle(app: ClaimmapApp, pilot: Any) -> None:
    await pilot.pause(0.1)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def on_first_span(app: ClaimmapApp, pilot: Any) -> None:
    await pilot.press("tab")
    await settle(app, pilot)
    assert app.view.current_span == 1


async def type_into(app: ClaimmapApp, pilot: Any, text: str) -> None:
    app.screen.query_one(Input).value = text
    await pilot.pause()


def prompts(app: ClaimmapApp) -> list[str]:
    """The picker's options as the analyst reads them."""
    options = app.screen.query_one(OptionList)
    return [
        Content.from_rich_text(p).plain if isinstance(p, Text) else str(p)
        for p in (options.get_option_at_index(k).prompt for k in range(options.option_count))
    ]


# -- the main screen -----------------------------------------------------------


async def test_main_screen_shows_titles_quotes_codes_and_notes_literally(hostile: Path) -> None:
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await on_first_span(app, pilot)
        shown = screen_text(app)
        # Article list (cut to its width) and the document's border title (whole).
        assert "T[/]x[@click=app.quit]q[b" in shown
        assert f"─ {TITLE_A} ─" in shown
        # The article text itself, then the span panel: codes' squares and the quote.
        assert TAIL in shown
        assert "■■ [/][b]粗[@click=app.quit]x[/]" in shown
        assert f"✎ {NOTE}" in shown
        # The border subtitle names the codes of the span under the cursor.
        assert f"span 1 ({CODE_SLASH},{CODE_CLICK})" in shown
        # The similar-claims panel: the other article's title and quote.
        assert "B[/]题[@click=app.quit]" in shown
        assert HEAD in shown.split("Similar claims", 1)[1]
        # The status line names the article by its ref.
        assert f"{REF_A} · " in shown
        assert_inert(app)


async def test_similar_panel_shows_a_failure_message_literally(
    hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(hostile)

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("index [/] failed [b]")

    monkeypatch.setattr(app.similar_cache, "similar", broken)
    async with app.run_test(size=SIZE) as pilot:
        await on_first_span(app, pilot)
        assert "Similar claims: index [/] failed [b]" in screen_text(app)
        assert_inert(app)


# -- search and notes --------------------------------------------------------


async def test_search_for_markup_reports_the_query_literally(hostile: Path) -> None:
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchModal)
        # Search ignores punctuation, so this finds 粗; the status quotes the query.
        await type_into(app, pilot, "[b]粗")
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.view.matches) == 1
        assert "1 match for “[b]粗”" in screen_text(app)
        assert_inert(app)


async def test_note_modal_shows_quote_and_note_literally(hostile: Path) -> None:
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await on_first_span(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteModal)
        shown = screen_text(app)
        assert f"“{HEAD}" in shown  # after "Note on", wrapped before the quote
        assert NOTE in shown
        assert_inert(app)
        await pilot.press("end", "[", "/", "]", "ctrl+s")
        await pilot.pause()
        body = app.db.execute("SELECT body FROM notes WHERE span_id = 1").fetchone()[0]
        assert body == NOTE + "[/]"
        assert "note saved" in screen_text(app)


# -- pickers -------------------------------------------------------------------


async def test_code_picker_lists_filtered_codes_literally(hostile: Path) -> None:
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await on_first_span(app, pilot)
        await pilot.press("t")
        assert isinstance(app.screen, FuzzyPicker)
        # Typing narrows the list and lights matched characters: the labels stay text.
        await type_into(app, pilot, "[/")
        assert prompts(app) == [CODE_SLASH, "+ create code “[/”"]
        await type_into(app, pilot, "quit")
        assert prompts(app)[0] == CODE_CLICK
        assert f"│{CODE_CLICK}" in screen_text(app)
        assert_inert(app)
        await type_into(app, pilot, "[/]")
        await pilot.press("enter")
        await pilot.pause()
        # The span had both codes: picking [/] toggled it off, and the status says so.
        tags = [
            r["name"]
            for r in app.db.query(
                "SELECT t.name FROM span_tags st JOIN tags t ON t.id = st.tag_id WHERE st.span_id = 1"
            )
        ]
        assert tags == [CODE_CLICK]
        assert "removed [/]" in screen_text(app)
        assert_inert(app)


async def test_code_picker_keeps_the_key_hint_while_filtering(hostile: Path) -> None:
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await type_into(app, pilot, "moti")
        assert "motive  [m]" in screen_text(app)


async def test_new_code_named_like_markup_is_created_and_applied(hostile: Path) -> None:
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await on_first_span(app, pilot)
        await pilot.press("t")
        await type_into(app, pilot, "[b]新")
        assert "+ create code “[b]新”" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        names = [t.name for t in app.session.tags]
        assert "[b]新" in names
        assert "added [b]新" in screen_text(app)
        assert_inert(app)


async def test_refused_code_name_is_reported_literally(hostile: Path) -> None:
    app = make_app(hostile)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("t")
        await type_into(app, pilot, "[/],x")
        await pilot.press("enter")
        await pilot.pause()
        # The service refuses the comma; the toast quotes the name as typed.
        assert "invalid tag name '[/],x'" in screen_text(app)
        assert_inert(app)


async def test_filter_by_a_code_named_like_markup(hostile: Path) -> None:
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await type_into(app, pilot, CODE_SLASH)
        await pilot.press("enter")
        await pilot.pause()
        assert app.view.filter_tag == CODE_SLASH
        shown = screen_text(app)
        assert f"filter: {CODE_SLASH}" in shown
        assert f"showing {CODE_SLASH} spans only" in shown
        assert_inert(app)


async def test_article_picker_lists_titles_literally(hostile: Path) -> None:
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("J")  # to the second article, so picking the first opens it
        await pilot.press("g")
        assert isinstance(app.screen, FuzzyPicker)
        assert f"{REF_A}  {TITLE_A}" in screen_text(app)
        await type_into(app, pilot, "T[/")
        assert f"{REF_A}  {TITLE_A}" in screen_text(app)
        assert_inert(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.article_id == 1
        assert_inert(app)


# -- other screens -------------------------------------------------------------


async def test_claims_screen_shows_label_code_and_quote_literally(hostile: Path) -> None:
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, ClaimsScreen)
        shown = screen_text(app)
        assert LABEL in shown
        assert HEAD in shown
        assert_inert(app)


async def test_compare_screen_shows_codes_titles_and_wording_literally(hostile: Path) -> None:
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, CompareScreen)
        shown = screen_text(app)
        assert "[/]标签[@click=app.quit]" in shown  # the claim column, cut to width
        assert "1 T[/]x[@click=ap…" in shown  # the first article's column and share bar
        # The focused cell (the first article's): its code, the label, the title in
        # full, and its wording (wrapped in the box, so its head).
        assert f"■ {CODE_SLASH} · 2 of 2 articles · {LABEL}" in shown
        assert f"1 {TITLE_A}" in shown
        assert f"{HEAD}{CLAIM_S[:5]}" in shown
        assert_inert(app)


async def test_compare_screen_shows_a_build_failure_literally(
    hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise ClaimmapError("no matrix [/] here [b]")

    monkeypatch.setattr(exporting, "build", broken)
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await settle(app, pilot)
        assert "cannot build the matrix: no matrix [/] here [b]" in screen_text(app)
        assert_inert(app)


async def test_export_notice_names_a_markup_like_folder_literally(
    hostile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "[b]out[@click=app.quit]z"
    folder.mkdir()
    monkeypatch.chdir(folder)
    app = make_app(hostile)
    async with app.run_test(size=(200, 36), notifications=True) as pilot:
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        assert "[b]out[@click=app.quit]z" in screen_text(app)  # the suggested path
        await pilot.press("enter")
        await settle(app, pilot)
        assert (folder / "claimmap-matrix.html").is_file()
        assert "[b]out[@click=app.quit]z" in screen_text(app)
        assert_inert(app)


async def test_help_and_command_palette_survive_hostile_codes(hostile: Path) -> None:
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Tag motive" in screen_text(app)
        assert_inert(app)
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        await type_into(app, pilot, "[/]")
        await pilot.pause(0.2)
        assert_inert(app)
        # Hits are read as markup by the palette: the key shown for "[" must survive.
        await type_into(app, pilot, "shrink end")
        await pilot.pause(0.2)
        assert "key: [" in screen_text(app)
        assert_inert(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


def test_every_notification_built_from_values_is_plain_text() -> None:
    """``notify`` reads its message as markup unless told not to: a message that is
    not a fixed string (it embeds an error, a name, a path) must pass markup=False."""
    unsafe = []
    for path in sorted(Path(claimmap.tui.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "notify"
                and node.args
            ):
                continue
            fixed = isinstance(node.args[0], ast.Constant)
            plain = any(
                k.arg == "markup" and isinstance(k.value, ast.Constant) and k.value.value is False
                for k in node.keywords
            )
            if not (fixed or plain):
                unsafe.append(f"{path.name}:{node.lineno}")
    assert unsafe == []
