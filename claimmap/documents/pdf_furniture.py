"""What on a PDF page is not the author's running text: furniture and footnotes.

*Furniture* is what the printer repeats on every page: running headers and
footers (the same words, digits aside, in the top or bottom band of many pages,
or as the short first or last line of at least two) and page numbers (a line
that is only a number, the first or last on its page).  Body lines can repeat
too (a quoted sentence, a corpus of similar reports): a full-width line in the
band is only furniture when it recurs on a good share of the pages.  *Footnotes* are the block of smaller type at the bottom of a page
whose lines start with a note label.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass

from claimmap.documents.pdf_lines import MARKER_CHARS, Line

# The top and bottom share of a page where running headers and footers live.
BAND = 0.12
# A header or footer recurring on this share of the pages is one wherever it sits.
COMMON_SHARE = 0.3
# Shorter than this share of the page's longest line: not a line of running text.
SHORT_LINE = 0.75
# A header stands off the text block by more than this many line pitches (more
# than a paragraph's or a heading's space).
APART = 2.0
# Footnote type is at most this share of the body type size.
NOTE_SIZE = 0.92
_PAGE_NUMBER_RE = re.compile(
    r"^[-–—\s]*(?:(?:page|p\.)\s*)?(?:第\s*)?(?:\d{1,5}|[ivxlcdm]{1,8})\s*(?:[页頁])?"
    r"(?:\s*(?:/|of)\s*\d{1,5})?[-–—\s]*$",
    re.IGNORECASE,
)
_DIGITS_RE = re.compile(r"\d+")
_NUMBERED_RE = re.compile(r"^(?:\d{1,5}|[ivxlc]{1,6})\s|\s(?:\d{1,5}|[ivxlc]{1,6})$")
_NOTE_LABEL_RE = re.compile(r"^(\d{1,3}|[*†‡§]|[\u2460-\u2473])(?:[.)]\s*|\s+|(?=\S))")


@dataclass(frozen=True, slots=True)
class PageBox:
    width: float
    height: float


def body_size(pages: list[list[Line]]) -> float:
    """The type size most of the document's characters are set in."""
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            sizes[round(line.size * 2) / 2] += len(line.plain)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _in_band(line: Line, box: PageBox) -> str | None:
    if line.y >= box.height * (1 - BAND):
        return "top"
    if line.y <= box.height * BAND:
        return "bottom"
    return None


def _key(line: Line) -> str:
    return " ".join(_DIGITS_RE.sub("#", line.plain).split()).lower()


@dataclass(frozen=True, slots=True)
class Furniture:
    """Lines to leave out, by (page, index in the page's lines), and why."""

    lines: dict[tuple[int, int], str]


def find_furniture(pages: list[list[Line]], boxes: list[PageBox]) -> Furniture:
    """Page numbers at the edge of a page and headers/footers repeated on 2+ pages."""
    out: dict[tuple[int, int], str] = {}
    seen: Counter[tuple[str, str]] = Counter()
    for p, lines in enumerate(pages):
        keys = {(band, _key(line)) for line in lines if (band := _in_band(line, boxes[p]))}
        seen.update(keys)
    common = max(3, math.ceil(COMMON_SHARE * len(pages)))
    for p, lines in enumerate(pages):
        if not lines:
            continue
        top = max(line.y for line in lines)
        bottom = min(line.y for line in lines)
        widest = max(line.x1 - line.x0 for line in lines)
        heights = sorted({round(line.y, 1) for line in lines}, reverse=True)
        pitch = _median_gap(heights)
        for i, line in enumerate(lines):
            band = _in_band(line, boxes[p])
            if band is None:
                continue
            edge = line.y == (top if band == "top" else bottom)
            short = line.x1 - line.x0 < SHORT_LINE * widest
            recurs = seen[(band, _key(line))]
            if edge and _PAGE_NUMBER_RE.match(line.plain):
                out[(p, i)] = "page number"
            elif (
                recurs >= common
                or (recurs >= 2 and edge and short)
                # At the edge, set apart, with a page number at one end: a header
                # met once (a chapter's only left-hand page).
                or (edge and _NUMBERED_RE.search(line.plain) and _apart(line, heights, pitch))
            ):
                out[(p, i)] = "running header" if band == "top" else "running footer"
        # A header set on the page number's line (``Chapter 3: Utilities ... 13``)
        # is one even where it appears once (a chapter's only left-hand page).
        numbers = [lines[i].y for (q, i), why in out.items() if q == p and why == "page number"]
        for i, line in enumerate(lines):
            band = _in_band(line, boxes[p])
            if (p, i) not in out and band and any(abs(line.y - y) < 1.0 for y in numbers):
                out[(p, i)] = "running header" if band == "top" else "running footer"
    return Furniture(out)


def _median_gap(heights: list[float]) -> float:
    gaps = sorted(a - b for a, b in itertools.pairwise(heights) if a > b)
    return gaps[len(gaps) // 2] if gaps else 0.0


def _apart(line: Line, heights: list[float], pitch: float) -> bool:
    """Is the line further from every other line than ``APART`` line pitches?"""
    others = [abs(h - line.y) for h in heights if abs(h - line.y) >= 1.0]
    return bool(others) and pitch > 0 and min(others) > APART * pitch


def furniture_key(line: Line) -> str:
    """What a running header is the same by: its words, digits aside."""
    return _key(line)


def note_label(line: Line) -> tuple[str, int] | None:
    """The note label a footnote line starts with, and how many characters it takes."""
    text = line.plain
    first = line.runs[0] if line.runs else None
    if line.raised and line.raised[0][0] == 0 and first is not None:
        start, end = line.raised[0]
        label = "".join(g.text for g in line.runs[start:end])
        return label, len(label)
    m = _NOTE_LABEL_RE.match(text)
    if m is None or not all(c in MARKER_CHARS for c in m.group(1)):
        return None
    return m.group(1), m.end()


def footnote_lines(
    lines: list[Line], order: list[int], body: float, markers: set[str]
) -> list[int]:
    """The indices (in ``order``, top to bottom) of the page's footnote block.

    The block is the run of small-type lines at the bottom of the page, from
    its first line that starts with a note label, when one of its labels is a
    superscript marker in the body (``markers``): small type alone may be a
    caption or a code listing, and numbered small lines a table.
    """
    run: list[int] = []
    for i in reversed(order):
        if lines[i].size > NOTE_SIZE * body:
            break
        run.append(i)
    run.reverse()
    for k, i in enumerate(run):
        if note_label(lines[i]) is not None:
            block = run[k:]
            labels = {found[0] for j in block if (found := note_label(lines[j])) is not None}
            return block if labels & markers else []
    return []


def raised_labels(lines: list[Line]) -> set[str]:
    """The superscript runs of these lines (where they are not a line's first
    characters): the note markers they may hold."""
    return {
        "".join(g.text for g in line.runs[start:end])
        for line in lines
        for start, end in line.raised
        if start > 0
    }
