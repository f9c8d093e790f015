"""Screens that show article prose over several lines wrap it by UAX #14 with the
CJK prohibitions (issue 11), as the document view does: no row starts with closing
punctuation or ends with opening punctuation, numbers stay whole, styles survive,
and a resize wraps again.  The link review, adjudication and compare screens, and
the similar claims in the side panel."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static

from claimmap.services.annotating import annotate_range
from claimmap.services.linking import set_pair_status
from claimmap.store import open_db
from claimmap.tui.app import ClaimmapApp, make_app
from claimmap.tui.screens.compare import CompareScreen
from claimmap.tui.screens.review import MATCH_STYLE
from claimmap.tui.widgets.span_panel import PROMPT_CELLS, SimilarList
from tests.tui.conftest import MakeDb
from tests.tui.test_adjudicate_screen import open_screen as open_adjudication
from tests.tui.test_review_screen import open_review
from tests.tui.wrapcheck import breaking_faults, naive_starts, rendered_lines

CLAIM_S = (
    "美日两国的人工智能合作（以下简称“合作”）始于2022年，带有明显的对华竞争色彩（见附表），"
    "旨在遏制中国技术发展。美国在2023年发布了“国家安全战略”，强调“技术优势”（尤其是芯片）。"
    "日本随后跟进，于2024年修订了“经济安全”法案。"
)
CLAIM_T = (
    "美日兩國的人工智能合作（以下簡稱“合作”）始於2022年，帶有明顯的對華競爭色彩（見附表），"
    "旨在遏制中國技術發展。美國在2023年發布了“國家安全戰略”，強調“技術優勢”（尤其是芯片）。"
    "日本隨後跟進，於2024年修訂了“經濟安全”法案。"
)
NUMBERS = ["2022", "2023", "2024"]
# Every one of these must land at a line start (or, for the numbers, be cut) when
# the passage is cut wherever a cell runs out, at one of the widths tried.
PROVOKED = ["。", "，", "”", "）"]
TERMINAL_WIDTHS = range(96, 152, 2)
HEIGHT = 36
# Longer than a span's stored context (32 characters): the passage is one paragraph.
BEFORE = "数字技术的发展让人工智能成为大国竞争的新疆域，两国自二战后即开展技术合作。"
AFTER = "此后两国在半导体、量子计算等领域的合作日益紧密，引起了各方的广泛关注和讨论。"
ARTICLES = {
    "a_one": f"标题一\n\n{BEFORE}{CLAIM_S}{AFTER}\n",
    "b_two": f"標題二\n\n{BEFORE}{CLAIM_T}{AFTER}\n",
}


def annotate(path: Path, *rows: tuple[str, str, str, str]) -> list[int]:
    """(article, quote, tag, analyst) rows as spans; their ids."""
    db = open_db(path)
    ids = []
    for article, quote, tag, who in rows:
        text = str(db.execute("SELECT text FROM articles WHERE id = ?", [article]).fetchone()[0])
        start = text.index(quote)
        ids.append(annotate_range(db, article, start, start + len(quote), [tag], annotator=who).id)
    db.close()
    return ids


def prose(widget: Widget) -> tuple[str, list[str]]:
    """The widget's last paragraph (the quote) as text and as drawn rows."""
    content = widget.content if isinstance(widget, Static) else None
    assert isinstance(content, Text)
    rows = rendered_lines(widget)
    last_blank = len(rows) - 1 - rows[::-1].index("")
    return content.plain.rsplit("\n\n", 1)[1], rows[last_blank + 1 :]


def underlined(widget: Widget) -> str:
    """The characters drawn underlined (the matches), in reading order."""
    return "".join(
        seg.text
        for y in range(widget.size.height)
        for seg in widget.render_line(y)
        if seg.style is not None and seg.style.underline
    )


async def sweep(
    app: ClaimmapApp, pilot: Pilot[None], ids: list[str], widths: range = TERMINAL_WIDTHS
) -> None:
    """Resize through ``widths`` and check the prose of the widgets ``ids``
    at each: the rules hold, nothing is lost, the widths provoked every case the
    rules prevent, and the wrap changed with the width."""
    provoked: set[str] = set()
    layouts: set[tuple[str, int]] = set()
    for terminal_width in widths:
        await pilot.resize_terminal(terminal_width, HEIGHT)
        await pilot.pause()
        for name in ids:
            widget = app.screen.query_one(f"#{name}", Static)
            paragraph, rows = prose(widget)
            faults = breaking_faults(rows, NUMBERS)
            assert not faults, (terminal_width, name, faults)
            assert "".join(rows) == paragraph  # nothing lost or reordered
            starts = naive_starts(paragraph, widget.size.width)[1:]
            provoked.update(paragraph[s] for s in starts if paragraph[s] in PROVOKED)
            for n in NUMBERS:
                at = paragraph.find(n)
                provoked.update(n for s in starts if at < s < at + len(n))
            layouts.add((name, len(rows)))
    assert provoked >= {*PROVOKED, *NUMBERS}
    assert all(len({n for name, n in layouts if name == i}) > 1 for i in ids)


async def test_review_passages_wrap_by_the_rules_and_keep_the_matches_lit(
    make_db: MakeDb,
) -> None:
    path = make_db(ARTICLES)
    annotate(path, ("1", CLAIM_S, "motive", "default"), ("2", CLAIM_T, "motive", "default"))
    app = make_app(path)
    async with app.run_test(size=(TERMINAL_WIDTHS[0], HEIGHT)) as pilot:
        screen = await open_review(app, pilot)
        await sweep(app, pilot, ["review-a", "review-b"])
        for side in ("a", "b"):
            widget = screen.query_one(f"#review-{side}", Static)
            content = widget.content
            assert isinstance(content, Text)
            lit = "".join(
                content.plain[s.start : s.end] for s in content.spans if s.style == MATCH_STYLE
            )
            assert lit and underlined(widget) == lit


async def test_adjudication_versions_wrap_by_the_rules(make_db: MakeDb) -> None:
    path = make_db(ARTICLES)
    annotate(path, ("1", CLAIM_S, "motive", "alice"), ("1", CLAIM_S, "impact", "bob"))
    app = make_app(path)
    async with app.run_test(size=(TERMINAL_WIDTHS[0], HEIGHT)) as pilot:
        await open_adjudication(app, pilot)
        await sweep(app, pilot, ["adjudicate-a", "adjudicate-b"])


async def test_compare_wording_wraps_by_the_rules(make_db: MakeDb) -> None:
    path = make_db(ARTICLES)
    a, b = annotate(path, ("1", CLAIM_S, "motive", "default"), ("2", CLAIM_T, "motive", "default"))
    db = open_db(path)
    set_pair_status(db, a, b, "confirmed")
    db.close()
    app = make_app(path)
    async with app.run_test(size=(TERMINAL_WIDTHS[0], HEIGHT)) as pilot:
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        # The panel's width steps with the terminal's: at even widths no row of this
        # quote would start with ” when cut anywhere, at odd ones one does.
        await sweep(app, pilot, ["detail"], range(TERMINAL_WIDTHS[0] + 1, TERMINAL_WIDTHS[-1], 2))


# Cut wherever a cell runs out at the list's width (36 cells with no scrollbar),
# the second row would start with ，.
SIMILAR_S = (
    "美日两国人工智能合作带有对华竞争色彩，旨在遏制中国技术发展（尤其是芯片），并于2022年开始加速。"
)
SIMILAR_T = (
    "美日兩國人工智能合作帶有對華競爭色彩，旨在遏制中國技術發展（尤其是芯片），並於2022年開始加速。"
)


@pytest.mark.usefixtures("quick_similar")
async def test_similar_claims_wrap_by_the_rules_in_two_rows(make_db: MakeDb) -> None:
    path = make_db({"a_one": f"标题一\n\n{SIMILAR_S}\n", "b_two": f"標題二\n\n{SIMILAR_T}\n"})
    annotate(path, ("1", SIMILAR_S, "motive", "default"), ("2", SIMILAR_T, "motive", "default"))
    app = make_app(path)
    async with app.run_test(size=(140, 32)) as pilot:
        await pilot.press("tab")  # onto the span: its similar claims are listed
        await pilot.pause(0.1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        similar = app.query_one(SimilarList)
        assert similar.option_count == 1
        assert SIMILAR_T[naive_starts(SIMILAR_T, similar.size.width)[1]] == "，"
        drawn = [row.strip() for row in rendered_lines(similar) if row.strip()]
        quote_rows = drawn[1:]  # under the score and article
        assert not breaking_faults(quote_rows, []), quote_rows
        assert len(quote_rows) == 2 and quote_rows[-1].endswith("…")
        # Cut where the prompt is built, to the panel's width: the list only draws it.
        prompt = similar.get_option_at_index(0).prompt
        assert isinstance(prompt, Text)
        assert prompt.plain.split("\n")[1:] == quote_rows
        assert all(cell_len(row) <= PROMPT_CELLS for row in quote_rows)
        # The characters matching the current span stay lit.
        assert "美日兩國人工智能合作" in underlined(similar)
