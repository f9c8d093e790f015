"""Screen geometry and motions without Textual: cell widths, wrapping, graphemes, clauses."""

from __future__ import annotations

from itertools import pairwise

from rich.text import Text

from claimmap.textprep.segment import trim
from claimmap.tui.motions import Segmentation
from claimmap.tui.textlayout import (
    cell_widths,
    column_of,
    is_grapheme_boundary,
    next_boundary,
    offset_at_column,
    prev_boundary,
    styled_lines,
    wrap,
)


def test_cjk_glyphs_take_two_cells_when_wrapping() -> None:
    text = "数字技术的发展abc"
    widths = cell_widths(text)
    wrapped = wrap(text, widths, 6)
    assert [text[a:b] for a, b in zip(wrapped.starts, wrapped.ends, strict=True)] == [
        "数字技",
        "术的发",
        "展abc",
    ]
    assert column_of(widths, wrapped.starts[2], wrapped.starts[2] + 1) == 2
    assert offset_at_column(widths, 0, 3, 3) == 1  # the right half of 字 is still 字


def test_hard_newlines_and_blank_lines_are_lines() -> None:
    text = "一二\n\n三"
    wrapped = wrap(text, cell_widths(text), 10)
    assert list(zip(wrapped.starts, wrapped.ends, strict=True)) == [(0, 2), (3, 3), (4, 5)]
    assert wrapped.line_of(2) == 0  # a cursor on the newline stays on its line
    assert wrapped.line_of(4) == 2


def test_latin_words_wrap_at_spaces() -> None:
    text = "the alliance resilience framework"
    wrapped = wrap(text, cell_widths(text), 16)
    assert text[wrapped.starts[0] : wrapped.ends[0]] == "the alliance "


def test_grapheme_clusters_are_never_split() -> None:
    text = "q\u0301👨\u200d👩\u200d👧🇯🇵x"
    stops = [0]
    while stops[-1] < len(text):
        stops.append(next_boundary(text, stops[-1]))
    assert [text[a:b] for a, b in pairwise(stops)] == ["q\u0301", "👨\u200d👩\u200d👧", "🇯🇵", "x"]
    assert prev_boundary(text, len(text) - 1) == stops[-3]
    assert not is_grapheme_boundary(text, 1)
    # Wrapping a narrow line keeps the ZWJ family together.
    wrapped = wrap(text, cell_widths(text), 3)
    for end in wrapped.ends:
        assert is_grapheme_boundary(text, end)


def test_clause_motion_stops_after_chinese_clause_marks() -> None:
    text = "合作存在局限；美国的出口管制，影响了企业。两国需要协调。"
    seg = Segmentation.build(text, None)
    stops = [0]
    while stops[-1] < len(text):
        stops.append(seg.next_stop("clause", stops[-1]))
    assert [text[a:b] for a, b in pairwise(stops)] == [
        "合作存在局限；",
        "美国的出口管制，",
        "影响了企业。",
        "两国需要协调。",
    ]
    assert seg.prev_stop("sentence", len(text)) == text.index("两国")
    assert seg.sentence_at(3) == (0, text.index("。") + 1)


def test_trim_drops_surrounding_space() -> None:
    assert trim("  一二 ", 0, 5) == (2, 4)


def _lines(text: str, width: int) -> list[str]:
    wrapped = wrap(text, cell_widths(text), width)
    return [text[a:b] for a, b in zip(wrapped.starts, wrapped.ends, strict=True)]


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation() -> None:
    text = "两国的合作日益紧密，如今两国在人工智能领域“共同价值观”下进行。2022年6月，美日两国（政府）开展合作。"
    for width in range(6, 40):
        lines = _lines(text, width)
        assert "".join(lines) == text
        for line in lines[1:]:
            assert line[0] not in "，。、：；！？）」』】”", (width, lines)
        for line in lines[:-1]:
            assert line[-1] not in "（「『【“", (width, lines)


def test_numbers_stay_whole_and_latin_lines_start_with_a_word() -> None:
    text = "提高两国的竞争力。2022年6月，The U.S.-Japan Commission on Innovation met in 2023 again."
    for width in range(12, 40):
        lines = _lines(text, width)
        assert "".join(lines) == text
        for a, b in pairwise(lines):
            assert not (a[-1].isdigit() and b[0].isdigit()), (width, lines)
            assert not b.startswith(" "), (width, lines)


def test_break_offsets_are_code_points_after_astral_characters() -> None:
    text = "😊𠀀x 美国，日本 word and more words"
    for width in range(4, 20):
        lines = _lines(text, width)
        assert "".join(lines) == text
        for line in lines[1:]:
            assert not line.startswith(("，", " ")), (width, lines)


def test_styled_lines_keep_styles_and_drop_hanging_spaces() -> None:
    text = Text("合作𠀀始于2022年。Grew quickly\n新段落")
    text.stylize("bold", 1, 4)  # 作𠀀始
    text.stylize("italic", 9, 16)  # 年。Grew and the space after it: across two breaks
    lines = styled_lines(text, wrap(text.plain, cell_widths(text.plain), 10))
    assert [line.plain for line in lines] == ["合作𠀀始于", "2022年。", "Grew", "quickly", "新段落"]
    assert [(line.plain[s.start : s.end], s.style) for line in lines for s in line.spans] == [
        ("作𠀀始", "bold"),
        ("年。", "italic"),
        ("Grew", "italic"),  # the space after it hung at the break and is gone
    ]
