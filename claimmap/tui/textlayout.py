"""Screen geometry of canonical text: cell widths, soft wrap, grapheme boundaries.

Terminal cells are not characters (a CJK glyph takes two), so every mapping
between a screen column and a code-point offset goes through the per-character
width table built here.  No Textual import: this is plain, testable Python.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, Self, TypeVar

from rich.cells import get_character_cell_size

from claimmap.textprep.line_breaking import line_breaks

ZWJ = "\u200d"


@lru_cache(maxsize=65536)
def char_width(ch: str) -> int:
    """Cells one code point takes; control characters show as a one-cell blank."""
    if ch < " " or ch == "\x7f":
        return 1
    return get_character_cell_size(ch)


def display_char(ch: str) -> str:
    """What to draw for a code point (controls and tabs become a space)."""
    return " " if ch < " " or ch == "\x7f" else ch


# ``display_char`` as a ``str.translate`` table, newlines kept (they end a line).
_BLANK_CONTROLS = {cp: " " for cp in (*range(0x20), 0x7F) if cp != 0x0A}


def display_text(text: str) -> str:
    """``display_char`` of every code point of ``text`` but its newlines."""
    return text.translate(_BLANK_CONTROLS)


def cell_widths(text: str) -> bytes:
    """One byte per code point: its cell width (0, 1 or 2)."""
    return bytes(map(char_width, text))


@lru_cache(maxsize=65536)
def _extends(ch: str) -> bool:
    """True for code points that attach to the previous one inside a grapheme."""
    cat = unicodedata.category(ch)
    if cat in ("Mn", "Me", "Mc"):
        return True
    cp = ord(ch)
    return (
        ch == ZWJ
        or 0xFE00 <= cp <= 0xFE0F  # variation selectors
        or 0xE0100 <= cp <= 0xE01EF
        or 0x1F3FB <= cp <= 0x1F3FF  # emoji skin-tone modifiers
        or 0xE0020 <= cp <= 0xE007F  # tag characters (flag sequences)
    )


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def is_grapheme_boundary(text: str, i: int) -> bool:
    """Whether offset ``i`` falls between two grapheme clusters.

    A practical subset of UAX #29: combining marks, variation selectors, emoji
    modifiers and ZWJ sequences stay with their base, CRLF and regional-indicator
    pairs stay together.
    """
    if i <= 0 or i >= len(text):
        return True
    prev, cur = text[i - 1], text[i]
    if prev == "\r" and cur == "\n":
        return False
    if _extends(cur):
        return False
    if prev == ZWJ:
        return False
    if _regional(prev) and _regional(cur):
        # Pairs of regional indicators form one flag; count the run before i.
        j = i - 1
        while j >= 0 and _regional(text[j]):
            j -= 1
        return (i - j - 1) % 2 == 0
    return True


def next_boundary(text: str, i: int) -> int:
    """The first grapheme boundary after ``i`` (or the text end)."""
    n = len(text)
    i += 1
    while i < n and not is_grapheme_boundary(text, i):
        i += 1
    return min(i, n)


def prev_boundary(text: str, i: int) -> int:
    """The last grapheme boundary before ``i`` (or 0)."""
    i -= 1
    while i > 0 and not is_grapheme_boundary(text, i):
        i -= 1
    return max(i, 0)


def snap_to_boundary(text: str, i: int) -> int:
    """Move ``i`` back to the start of the grapheme cluster it falls inside."""
    i = max(0, min(i, len(text)))
    while i > 0 and not is_grapheme_boundary(text, i):
        i -= 1
    return i


@dataclass(slots=True)
class Wrapped:
    """Visual lines of a text at one width: ``starts[k]:ends[k]`` is line ``k``.

    ``ends[k]`` excludes a hard newline; for a soft break it equals
    ``starts[k + 1]``.
    """

    width: int
    starts: list[int]
    ends: list[int]

    def __len__(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        """Visual line holding ``offset`` (a cursor at a soft break goes down)."""
        return max(0, bisect_right(self.starts, offset) - 1)


def wrap(text: str, widths: bytes, width: int, breaks: bytes | None = None) -> Wrapped:
    """Soft-wrap ``text`` at ``width`` cells at its line-break opportunities
    (``line_breaks``; computed here when not given), never inside a grapheme
    cluster.  Spaces at a break hang past the edge instead of starting the next
    line; a run with no opportunity that is wider than the line is cut between
    graphemes.
    """
    width = max(2, width)
    if breaks is None:
        breaks = line_breaks(text)
    starts: list[int] = []
    ends: list[int] = []
    n = len(text)
    pos = 0
    find = text.find
    while True:
        nl = find("\n", pos)
        hard_end = n if nl == -1 else nl
        start = pos
        if start == hard_end:
            starts.append(start)
            ends.append(start)
        while start < hard_end:
            used = 0
            i = start
            while i < hard_end:
                w = widths[i]
                if used + w > width and i > start:
                    break
                used += w
                i += 1
            if i < hard_end:
                i = _break_before(text, breaks, start, i, hard_end)
            starts.append(start)
            ends.append(i)
            start = i
        if nl == -1:
            break
        pos = nl + 1
    return Wrapped(width, starts, ends)


class Styled(Protocol):
    """Styled text that cuts like ``rich.text.Text`` and Textual's ``Content`` do."""

    @property
    def plain(self) -> str: ...

    def divide(self, offsets: Sequence[int], /) -> Iterable[Self]: ...

    def __getitem__(self, cut: slice, /) -> Self: ...


S = TypeVar("S", bound=Styled)


def styled_lines(text: S, wrapped: Wrapped) -> list[S]:
    """The visual lines of ``wrapped`` (a ``wrap`` of ``text.plain``) cut out of
    ``text``, each keeping its styles.  Spaces hanging at a soft break are
    dropped, so no line reaches past the width: line ``k`` is
    ``text[wrapped.starts[k] : wrapped.starts[k] + len(line.plain)]``.
    """
    plain = text.plain
    lines: list[S] = []
    for k, piece in enumerate(text.divide(wrapped.starts[1:])):
        start, end = wrapped.starts[k], wrapped.ends[k]
        if k + 1 < len(wrapped) and wrapped.starts[k + 1] == end:
            while end > start and plain[end - 1] == " ":
                end -= 1
        # A piece runs on to the next line's start: past ``end`` it holds a hard
        # newline or the hanging spaces.
        lines.append(piece[: end - start])
    return lines


def _break_before(text: str, breaks: bytes, start: int, i: int, hard_end: int) -> int:
    """Where a line from ``start`` that overflows at ``i`` ends."""
    k = i
    while k < hard_end and text[k] == " ":
        k += 1
    if k > i and (k == hard_end or breaks[k]):
        return k  # the spaces hang at the end of this line
    j = i
    while j > start and not breaks[j]:
        j -= 1
    if j > start:
        return j
    # No opportunity on the whole line (a long URL, a run of digits): cut between
    # graphemes, and let a single cluster wider than the line overflow.
    j = i
    while j > start and not is_grapheme_boundary(text, j):
        j -= 1
    if j > start:
        return j
    while i < hard_end and not is_grapheme_boundary(text, i):
        i += 1
    return i


def column_of(widths: bytes, line_start: int, offset: int) -> int:
    """Screen column of ``offset`` on a visual line beginning at ``line_start``."""
    return sum(widths[line_start:offset])


def offset_at_column(widths: bytes, line_start: int, line_end: int, column: int) -> int:
    """Offset whose glyph covers ``column`` (clamped to the line end)."""
    used = 0
    for i in range(line_start, line_end):
        w = widths[i]
        if used + w > column:
            return i
        used += w
    return line_end
