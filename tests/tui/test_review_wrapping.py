"""The review screen wraps both passages by UAX #14 with the CJK prohibitions (issue 11):
no row starts with closing punctuation or ends with opening punctuation, numbers
stay whole, the matched characters keep their style, and a resize wraps again."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from claimmap.services.annotating import annotate_range
from claimmap.store import open_db
from claimmap.tui.app import make_app
from claimmap.tui.screens.review import MATCH_STYLE
from tests.tui.conftest import MakeDb
from tests.tui.test_review_screen import open_review
from tests.tui.wrapcheck import breaking_faults, naive_starts, rendered_lines

CLAIM_S = (
    "美日两国的人工智能合作（以下简称“合作”）始于2022年，带有明显的对华竞争色彩，"
    "旨在遏制中国技术发展。美国在2023年发布了“国家安全战略”，强调技术优势（尤其是芯片）。"
)
CLAIM_T = (
    "美日兩國的人工智能合作（以下簡稱“合作”）始於2022年，帶有明顯的對華競爭色彩，"
    "旨在遏制中國技術發展。美國在2023年發布了“國家安全戰略”，強調技術優勢（尤其是芯片）。"
)
NUMBERS = ["2022", "2023"]
# Every one of these must land at a line start (or, for the numbers, be cut) when
# the passage is cut wherever a cell runs out, at one of the widths tried.
PROVOKED = ["。", "，", "”", "）"]
TERMINAL_WIDTHS = range(96, 152, 2)
HEIGHT = 36
# Longer than a span's stored context (32 characters): the passage is one paragraph.
BEFORE = "数字技术的发展让人工智能成为大国竞争的新疆域，两国自二战后即开展技术合作。"
AFTER = "此后两国在半导体、量子计算等领域的合作日益紧密，引起了各方的广泛关注和讨论。"


def build(make_db: MakeDb) -> Path:
    path = make_db(
        {
            "a_one": f"标题一\n\n{BEFORE}{CLAIM_S}{AFTER}\n",
            "b_two": f"標題二\n\n{BEFORE}{CLAIM_T}{AFTER}\n",
        }
    )
    db = open_db(path)
    for article, quote in (("1", CLAIM_S), ("2", CLAIM_T)):
        text = str(db.execute("SELECT text FROM articles WHERE id = ?", [article]).fetchone()[0])
        start = text.index(quote)
        annotate_range(db, article, start, start + len(quote), ["motive"])
    db.close()
    return path


def prose(widget: Widget) -> tuple[str, list[str]]:
    """The passage's paragraph (after the heading lines) as text and as drawn rows."""
    content = widget.content if isinstance(widget, Static) else None
    assert isinstance(content, Text)
    paragraph = content.plain.split("\n\n", 1)[1]
    rows = rendered_lines(widget)
    return paragraph, rows[rows.index("") + 1 :]


def underlined(widget: Widget) -> str:
    """The characters drawn underlined (the matches), in reading order."""
    return "".join(
        seg.text
        for y in range(widget.size.height)
        for seg in widget.render_line(y)
        if seg.style is not None and seg.style.underline
    )


async def test_passages_wrap_by_the_line_breaking_rules_at_every_width(
    make_db: MakeDb,
) -> None:
    app = make_app(build(make_db))
    provoked: set[str] = set()
    layouts: set[int] = set()
    async with app.run_test(size=(TERMINAL_WIDTHS[0], HEIGHT)) as pilot:
        screen = await open_review(app, pilot)
        for terminal_width in TERMINAL_WIDTHS:
            await pilot.resize_terminal(terminal_width, HEIGHT)
            await pilot.pause()
            for side in ("a", "b"):
                widget = screen.query_one(f"#review-{side}", Static)
                paragraph, rows = prose(widget)
                faults = breaking_faults(rows, NUMBERS)
                assert not faults, (terminal_width, side, faults)
                # Nothing is lost or reordered: the rows are the paragraph.
                assert "".join(rows) == paragraph
                width = widget.size.width
                starts = naive_starts(paragraph, width)
                provoked.update(paragraph[s] for s in starts[1:] if paragraph[s] in PROVOKED)
                provoked.update(
                    n
                    for n in NUMBERS
                    for s in starts[1:]
                    if paragraph.find(n) < s < paragraph.find(n) + len(n)
                )
                layouts.add(len(rows))
                content = widget.content
                assert isinstance(content, Text)
                lit = "".join(
                    content.plain[s.start : s.end] for s in content.spans if s.style == MATCH_STYLE
                )
                assert lit and underlined(widget) == lit
    # The widths tried did provoke every case, and resizing did change the wrap.
    assert provoked >= {*PROVOKED, *NUMBERS}
    assert len(layouts) > 1
