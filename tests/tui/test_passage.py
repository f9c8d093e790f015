"""The Passage widget: prose wrapped by the document view's rules at any width."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult

from claimmap.tui.widgets import passage as passage_module
from claimmap.tui.widgets.passage import Passage
from tests.tui.wrapcheck import breaking_faults, rendered_lines

# CJK with every kind of punctuation the prohibitions cover, a number, an emoji,
# a ZWJ sequence, an astral ideograph (CJK Extension B) and spaced English.
PROSE = (
    "据统计，2022年双方（美国与日本）签署了“技术合作”协议。𠀀字😊在内，"
    "共有12,345项👩‍💻成果」。The alliance grew quickly, and so did doubts."
)
NUMBERS = ["2022", "12,345"]
ASTRAL = ["𠀀", "😊", "👩‍💻"]
BOLD = "𠀀字😊在内"
WORD_CELLS = 8  # the longest run with no break opportunity: "quickly,"


class PassageApp(App[None]):
    def __init__(self, text: Text | str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Passage(self.text, id="passage")


def styled() -> Text:
    text = Text(PROSE)
    start = PROSE.index(BOLD)
    text.stylize("bold", start, start + len(BOLD))
    return text


def bold_drawn(widget: Passage) -> str:
    return "".join(
        seg.text
        for y in range(widget.size.height)
        for seg in widget.render_line(y)
        if seg.style is not None and seg.style.bold
    )


@pytest.mark.parametrize("width", [5, 9, 10, 12, 17, 23, 31, 44])
async def test_rows_keep_the_rules_the_text_and_its_styles(width: int) -> None:
    app = PassageApp(styled())
    async with app.run_test(size=(width, 40)) as pilot:
        await pilot.pause()
        widget = app.query_one(Passage)
        rows = rendered_lines(widget)
        if width >= WORD_CELLS:
            assert not breaking_faults(rows, NUMBERS), rows
        # Narrower, a word has no break opportunity left and is cut between graphemes.
        assert all(cell_len(row) <= width for row in rows), rows
        # Only the spaces at soft breaks go; no character is cut or reordered.
        assert "".join(rows).replace(" ", "") == PROSE.replace(" ", "")
        # An astral character, emoji or ZWJ sequence is never split between rows.
        assert all(any(a in row for row in rows) for a in ASTRAL), rows
        assert not any(row.startswith(" ") for row in rows), rows
        assert bold_drawn(widget) == BOLD


async def test_a_resize_wraps_again_without_breaking_the_text_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []

    def counted(text: str) -> bytes:
        calls.append(text)
        return passage_module_line_breaks(text)

    passage_module_line_breaks = passage_module.line_breaks
    monkeypatch.setattr(passage_module, "line_breaks", counted)
    app = PassageApp(styled())
    async with app.run_test(size=(40, 30)) as pilot:
        await pilot.pause()
        widget = app.query_one(Passage)
        wide = rendered_lines(widget)
        await pilot.resize_terminal(16, 30)
        await pilot.pause()
        narrow = rendered_lines(widget)
        assert len(narrow) > len(wide)
        assert all(cell_len(row) <= 16 for row in narrow)
        assert widget.size.height == len(narrow)  # the height follows the wrap
        await pilot.resize_terminal(40, 30)
        await pilot.pause()
        assert rendered_lines(widget) == wide
        # Break opportunities are found once per text, not once per render or width.
        assert len(calls) == 1
        widget.update(Text("一二三四五六七八九十。"))
        await pilot.pause()
        assert rendered_lines(widget) == ["一二三四五六七八九十。"]
        assert len(calls) == 2


async def test_text_is_never_read_as_markup() -> None:
    app = PassageApp("[bold]欧盟[/]与[@click=app.quit]合作[/]。")
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        rows = rendered_lines(app.query_one(Passage))
        assert rows == ["[bold]欧盟[/]与[@click=app.quit]合作[/]。"]


async def test_a_mouse_selection_copies_the_passage_text_without_soft_breaks() -> None:
    app = PassageApp(styled())
    async with app.run_test(size=(17, 20)) as pilot:
        await pilot.pause()
        widget = app.query_one(Passage)
        rows = rendered_lines(widget)
        # From the second glyph of the first row to the third of the third (cells).
        await pilot.mouse_down(widget, offset=(cell_len(rows[0][:1]), 0))
        await pilot.hover(widget, offset=(cell_len(rows[2][:3]), 2))
        await pilot.mouse_up(widget, offset=(cell_len(rows[2][:3]), 2))
        await pilot.pause()
        copied = app.screen.get_selected_text()
        # The passage's own characters from the second on, soft breaks copying as
        # nothing: the whole second row and the head of the third are in it.
        assert copied is not None and "\n" not in copied
        assert copied == PROSE[1 : 1 + len(copied)]
        assert rows[1] + rows[2][:2] in copied
