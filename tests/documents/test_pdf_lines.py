"""Lines from text runs, and how lines join: pure, on hand-made runs."""

from __future__ import annotations

from claimmap.documents.pdf_furniture import PageBox
from claimmap.documents.pdf_layout import lay_out
from claimmap.documents.pdf_lines import Run, ligatures, split_lines

BOX = PageBox(595.0, 842.0)


def run(text: str, x0: float, y: float, size: float = 11.0, width: float | None = None) -> Run:
    w = width if width is not None else len(text) * size * (1.0 if text[:1] > "\u2e80" else 0.5)
    return Run(text, x0, x0 + w, y, size)


def test_ligatures_become_letters_and_nothing_else_is_folded() -> None:
    assert ligatures("eﬃcient ﬁnance ﬂow") == "efficient finance flow"
    assert ligatures("合作，（一）：１２") == "合作，（一）：１２"


def test_superscript_marker_stays_on_its_line_and_is_raised() -> None:
    runs = [run("美国与日本合作", 72, 700), run("1", 149, 704.4, 6.6), run("正在加强。", 153, 700)]
    (line,) = split_lines(runs, 0)
    assert line.plain == "美国与日本合作1正在加强。"
    assert line.raised == [(1, 2)]


def test_runs_apart_get_a_space_only_between_latin_words() -> None:
    runs = [
        run("trade", 72, 700),
        run("policy", 110, 700),
        run("合作", 160, 700),
        run("加强", 185, 700),
    ]
    (line,) = split_lines(runs, 0)
    assert line.plain == "trade policy合作加强"


def test_a_column_gutter_splits_a_line() -> None:
    runs = [run("left column text", 72, 700, width=200), run("right column", 320, 700)]
    assert [line.plain for line in split_lines(runs, 0)] == ["left column text", "right column"]


def _lines(*texts: str, width: float = 440.0) -> list[Run]:
    return [run(t, 72, 700 - 15 * k, width=width) for k, t in enumerate(texts)]


def test_paragraph_lines_join_by_script() -> None:
    runs = _lines(
        "人工智能合作的主要路径，美日两国",
        "开展合作。Cooperation between the allies is extra-",
        "ordinarily complicated and well",
        "known.",
    )
    runs[-1].x1 = 120.0  # a paragraph's short last line
    layout = lay_out([split_lines(runs, 0)], [BOX], ["1"])
    assert layout.body == (
        "人工智能合作的主要路径，美日两国开展合作。Cooperation between the allies is "
        "extraordinarily complicated and well known."
    )
    assert layout.pages[0].label == "1" and layout.pages[0].end == len(layout.body)


def test_footnote_block_at_the_bottom_becomes_notes_with_markers() -> None:
    runs = [
        run("美日同盟是合作的主要路径", 72, 700),
        run("1", 204, 704.4, 6.6),
        run("，两国密切合作。", 208, 700, width=40),
        run("1 Berman 2023.", 72, 120, 8.0),
    ]
    layout = lay_out([split_lines(runs, 0)], [BOX], ["1"])
    assert layout.body == "美日同盟是合作的主要路径^1，两国密切合作。"
    assert [(n.label, n.text) for n in layout.notes] == [("1", "Berman 2023.")]
    (marker,) = layout.markers
    assert layout.body[marker.start : marker.end] == "^1"


def test_a_raised_digit_without_a_note_is_text() -> None:
    runs = [run("面积为10 km", 72, 700, width=68), run("2", 140, 704.4, 6.6), run("。", 144, 700)]
    layout = lay_out([split_lines(runs, 0)], [BOX], ["1"])
    assert layout.body == "面积为10 km2。"
    assert layout.markers == []


def test_a_page_of_notes_only_is_an_empty_page_where_it_falls() -> None:
    # The marker is on page 1, its note on page 2 (the bottom of page 1 was full).
    first = split_lines([run("第一页的正文，", 72, 700), run("1", 149, 704.4, 6.6)], 0)
    notes_only = split_lines([run("1 A note.", 72, 120, 8.0)], 1)
    third = split_lines([run("第三页继续。", 72, 700)], 2)
    layout = lay_out([first, notes_only, third], [BOX] * 3, ["1", "2", "3"])
    assert layout.body == "第一页的正文，^1第三页继续。"
    assert [(n.label, n.text) for n in layout.notes] == [("1", "A note.")]
    spans = [(p.start, p.end, p.label) for p in layout.pages]
    assert spans == [(0, 9, "1"), (9, 9, "2"), (9, len(layout.body), "3")]


def test_small_numbered_lines_without_markers_stay_in_the_body() -> None:
    # A code listing in small type at the bottom of a page, numbered like notes:
    # no superscript in the body refers to them, so they are content (found in a
    # real specification PDF, where 50 listing lines were taken for footnotes).
    runs = [
        *_lines(*["The cache file is laid out as a header and lists."] * 4),
        run("2 CARD16 MAJOR_VERSION", 72, 130, 8.0),
        run("4 CARD32 ALIAS_LIST_OFFSET", 72, 120, 8.0),
    ]
    layout = lay_out([split_lines(runs, 0)], [BOX], ["1"])
    assert layout.notes == []
    assert "CARD16 MAJOR_VERSION" in layout.body and "ALIAS_LIST_OFFSET" in layout.body


def test_a_header_on_the_page_number_line_is_furniture_even_once() -> None:
    # TeX's left-hand header: the chapter's title and the page number on one line,
    # set apart above the text; a chapter with one left-hand page shows it once.
    body = [
        run("Body text of the chapter runs here.", 72, 700 - 15 * k, width=440) for k in range(5)
    ]
    page = [run("Chapter 3: Utilities 6", 72, 780, width=440), *body]
    layout = lay_out([split_lines(page, 0)], [BOX], ["6"])
    assert "Chapter 3" not in layout.body
    assert any(e.detail.startswith("running header") for e in layout.log)


def test_table_of_contents_lines_stay_lines() -> None:
    runs = _lines(
        "1 Introduction . . . . . . . . . . . . . . . . 1",
        "2 ASN.1 structure handling . . . . . . . . . 2",
        "2.1 ASN.1 syntax . . . . . . . . . . . . . . . 2",
    )
    layout = lay_out([split_lines(runs, 0)], [BOX], ["i"])
    assert layout.body.count("\n\n") == 2


def test_a_glyph_drawn_after_the_text_it_sits_in_is_read_in_its_place() -> None:
    # LibreOffice draws a character the body font lacks (here ①, from a fallback
    # font) as its own run after the run whose gap it fills: in drawing order the
    # pen goes back left on the same baseline.  Read by position it is one line.
    runs = [
        Run("工程。", 270.0, 315.5, 466.0, 12.0),
        Run("^", 323.6, 329.1, 466.0, 12.0),
        Run("2024", 340.0, 363.8, 466.0, 12.0),
        Run("①", 329.2, 339.1, 466.0, 12.0),
        Run("年", 366.4, 377.9, 466.0, 12.0),
    ]
    (line,) = split_lines(runs, 0)
    assert line.plain == "工程。^①2024年"


def test_a_run_going_back_over_other_text_still_starts_a_line() -> None:
    # Going back left onto ink that is there already is another line (or overprint),
    # not a glyph filling a gap.
    runs = [run("first line of text", 72, 700, width=200), run("again", 100, 700)]
    assert [line.plain for line in split_lines(runs, 0)] == ["first line of text", "again"]


def test_pdfium_word_space_between_latin_pieces_is_kept() -> None:
    # A narrow justified word space that PDFium saw (from the font's own space
    # width) is kept even where it is under the reader's own gap rule; between a
    # Chinese character and a digit no space is added whatever the gap.
    runs = [
        Run("Trade", 72.0, 100.0, 700.0, 11.0),
        Run("and", 101.5, 118.0, 700.0, 11.0, space_before=True),
        Run("合作", 130.0, 152.0, 700.0, 11.0, space_before=True),
        Run("2024", 160.0, 182.0, 700.0, 11.0, space_before=True),
        Run("年", 190.0, 201.0, 700.0, 11.0, space_before=True),
    ]
    (line,) = split_lines(runs, 0)
    assert line.plain == "Trade and合作2024年"


def test_a_heading_wrapped_over_two_lines_is_one_paragraph() -> None:
    # An 18 pt title's lines are further apart than the 12 pt body's: its own
    # line pitch, not the body's, tells a wrapped line from a new paragraph.
    runs = [
        run("联盟韧性视域下美国—欧盟人工智能合", 57, 505.7, 18.0, width=306),
        run("作", 57, 479.7, 18.0),
        run("作者：测试作者", 57, 454.7, 12.0),
        *[run("正文" * 12, 57, 437.5 - 17.25 * k, 12.0, width=300) for k in range(6)],
    ]
    layout = lay_out([split_lines(runs, 0)], [BOX], ["1"])
    assert layout.body.split("\n\n")[:2] == [
        "联盟韧性视域下美国—欧盟人工智能合作",
        "作者：测试作者",
    ]


def test_curly_quotes_at_a_junction_are_read_by_the_words_they_enclose() -> None:
    # “” count as wide (Chinese quotation marks are), but an English title's closing
    # quote at a line end or before a gap is followed by a space all the same.
    runs = _lines(
        "Noah Berman, “Governing Artificial Intelligence,”",
        "*Journal of Policy*, 2022；美欧所谓“政治遗产”",
        "、欧洲对战略自主的追求，以及“",
        "Brussels effect”的影响",
    )
    runs[-1].x1 = 120.0
    layout = lay_out([split_lines(runs, 0)], [BOX], ["1"])
    assert layout.body == (
        "Noah Berman, “Governing Artificial Intelligence,” *Journal of Policy*, 2022；"
        "美欧所谓“政治遗产”、欧洲对战略自主的追求，以及“Brussels effect”的影响"
    )
    apart = [run("said,”", 72, 700), run("and", 110, 700), run("“引号”", 140, 700)]
    (line,) = split_lines(apart, 0)
    assert line.plain == "said,” and“引号”"


def test_a_url_broken_at_its_own_hyphen_keeps_it() -> None:
    runs = _lines(
        "Reuters, <https://www.reuters.com/technology/white-house-european-commission-",
        "launch-first-of-its-kind-ai-agreement/>. The agreement was extra-",
        "ordinarily complicated.",
    )
    runs[-1].x1 = 120.0
    layout = lay_out([split_lines(runs, 0)], [BOX], ["1"])
    assert layout.body == (
        "Reuters, <https://www.reuters.com/technology/white-house-european-commission-"
        "launch-first-of-its-kind-ai-agreement/>. The agreement was extraordinarily complicated."
    )


def test_a_space_the_file_draws_at_a_line_end_is_kept_before_chinese() -> None:
    # "pp.13-21; 孙成昊" broken after the space: the space is the document's own,
    # drawn at the end of the line, so the join keeps it; a line that ends without
    # one joins Chinese without a space.
    runs = _lines(
        "Christie, “Defence Cooperation,” European View, 2022, pp.13-21; ",
        "孙成昊：《跨大西洋关系的变化与前景》，载《现代国际关系》，2021年第3期，",
        "第27页。",
    )
    runs[-1].x1 = 120.0
    layout = lay_out([split_lines(runs, 0)], [BOX], ["1"])
    assert layout.body == (
        "Christie, “Defence Cooperation,” European View, 2022, pp.13-21; "
        "孙成昊：《跨大西洋关系的变化与前景》，载《现代国际关系》，2021年第3期，第27页。"
    )


def test_a_quote_drawn_apart_takes_its_space_from_the_words_around_it() -> None:
    # TeX draws ‘ and ’ apart from the quoted word (another font), with word gaps
    # and no space characters: "the ‘Group’ type", "the form ’*.ext’ and".
    runs = [
        Run("the", 235.2, 250.0, 206.9, 10.9, space_before=True),
        Run("‘", 258.6, 260.7, 206.9, 10.9, space_before=True),
        Run("Group", 261.7, 290.0, 206.9, 10.9),
        Run("’", 290.4, 292.6, 206.9, 10.9),
        Run("type", 301.0, 320.0, 206.9, 10.9, space_before=True),
        Run("’*.ext’", 330.0, 360.0, 206.9, 10.9, space_before=True),
        Run("的", 370.0, 380.9, 206.9, 10.9, space_before=True),
        Run("“", 385.0, 390.0, 206.9, 10.9, space_before=True),
        Run("合作", 395.0, 416.8, 206.9, 10.9, space_before=True),
    ]
    (line,) = split_lines(runs, 0)
    assert line.plain == "the ‘Group’ type ’*.ext’的“合作"


def test_a_wide_gap_inside_one_text_object_is_not_a_column_gutter() -> None:
    # An option list set as one text object per line with a tab-like kerning gap:
    # the producer drew it as one line, and it stays one.
    runs = [
        Run("-c, --check", 90.0, 150.0, 500.0, 10.9),
        Run("checks the syntax only", 250.0, 380.0, 500.0, 10.9, True, same_object=True),
    ]
    assert [line.plain for line in split_lines(runs, 0)] == ["-c, --check checks the syntax only"]


def test_a_glyph_drawn_after_the_line_it_starts_goes_first() -> None:
    runs = [
        Run("2024年达成共识。", 99.5, 190.0, 466.0, 12.0),
        Run("①", 88.0, 99.0, 466.0, 12.0),
    ]
    (line,) = split_lines(runs, 0)
    assert line.plain == "①2024年达成共识。"
    assert line.x0 == 88.0
