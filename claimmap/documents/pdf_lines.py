"""From a PDF page's text runs to lines: baselines, superscripts, line text.

A *run* is a stretch of characters one text object draws with no gap in it (a
line, a word, a superscript marker, a glyph from a fallback font), with its
baseline origin, right edge and type size.  A new line starts where the
baseline moves by more than half the type size, where a gap wider than a
column gutter opens, or where the pen goes back left over text already on the
line; a run that goes back left into a gap of the line fills it (a producer
draws a glyph its font lacks after the text around it).  A space goes between
two runs of Latin text that a word gap separates (some producers draw each word
apart, without space characters); between Chinese and anything, none.
"""

from __future__ import annotations

import itertools
import re
import statistics
import unicodedata
from dataclasses import dataclass, field

# PDFium's marks for a hyphen it takes for a line-end hyphenation: U+FFFE in the
# text page's text, U+0002 in a text object's text.
SOFT_HYPHENS = ("\ufffe", "\x02")
# Relative to the line's type size: a raised run this much smaller is a superscript.
SUPERSCRIPT_SIZE = 0.85
SUPERSCRIPT_RISE = 0.15
# Wider than any word space of justified text, narrower than a column gutter.
GUTTER_GAP = 2.5
MARKER_CHARS = frozenset("0123456789*†‡§¶" + "".join(chr(c) for c in range(0x2460, 0x2474)))


@dataclass(slots=True)
class Run:
    """One text run: what one text-showing operator drew (one character or many)."""

    text: str
    x0: float
    x1: float
    y: float  # baseline (PDF user space: y grows upwards)
    size: float
    # PDFium saw a word space between this run and the one drawn just before it
    # (its own judgement, from the font's space width; not a character in the file).
    space_before: bool = False
    # This run and the one drawn just before it are pieces of one text object,
    # split at a gap: one text-showing operator, so no column gutter between them.
    same_object: bool = False


@dataclass(slots=True)
class Line:
    runs: list[Run]
    page: int
    x0: float = 0.0
    x1: float = 0.0
    y: float = 0.0
    size: float = 0.0
    # (start, end) index ranges of runs that are raised and smaller: marker candidates.
    raised: list[tuple[int, int]] = field(default_factory=list)
    # The line ends in a space the file draws (where a paragraph was broken at a
    # space): joining the next line keeps it, even next to Chinese.
    spaced_end: bool = False

    @property
    def plain(self) -> str:
        return "".join(g.text for g in self.runs).strip()


def is_wide(ch: str) -> bool:
    """CJK ideographs, kana, hangul and CJK/full-width punctuation: no spaces around."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xAC00 <= o <= 0xD7AF
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x3FFFF
        or ch in "“”‘’—…"
    )


# Curly quotes are wide in Chinese fonts and narrow in Latin ones, and ’ opens a
# quotation in some English documents: at a junction, the letter a quote encloses
# decides, and a run of quotes alone leaves it to the other side.
_QUOTES = "“”‘’"


def wide_end(text: str) -> bool:
    """Does ``text`` end in Chinese (or the like), quotes aside?  ``“政治遗产”`` does,
    ``Intelligence,”`` does not."""
    core = text.rstrip(_QUOTES)
    return bool(core) and is_wide(core[-1])


def wide_start(text: str) -> bool:
    """Does ``text`` start in Chinese (or the like), quotes aside?"""
    core = text.lstrip(_QUOTES)
    return bool(core) and is_wide(core[0])


_LIGATURES = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB50)}
_LIGATURE_RE = re.compile("[\ufb00-\ufb4f]")
# A gap this share of the type size between two runs of Latin text is a word space.
WORD_GAP = 0.2


def ligatures(text: str) -> str:
    """The U+FB00 block (ﬁ, ﬂ, ﬀ...) to its letters; nothing else is NFKC-folded
    (full-width punctuation is the author's)."""
    return text.translate(_LIGATURES) if _LIGATURE_RE.search(text) else text


def split_lines(runs: list[Run], page: int) -> list[Line]:
    """Group a page's runs, in content order, into lines, each in reading order."""
    lines: list[Line] = []
    # The line being built: (content order, run), left to right.
    current: list[tuple[int, Run]] = []
    base_y = 0.0
    base_size = 0.0
    for k, g in enumerate(runs):
        if not g.text.strip():
            continue
        if current:
            last = current[-1][1]
            size = max(base_size, g.size, 1.0)
            # A superscript (or the normal text after a leading one) may sit up to
            # a type size off the baseline; same-size runs only half of one.
            mixed = min(g.size, base_size) < SUPERSCRIPT_SIZE * size
            limit = size if mixed else 0.5 * size
            gap = g.x0 - last.x1
            gutter = gap > GUTTER_GAP * size and not (g.same_object and k == current[-1][0] + 1)
            if abs(g.y - base_y) > limit or gutter:
                lines.append(_finish(current, page))
                current = []
            elif gap < -size:
                hole = _hole(current, g, size)
                if hole is None:
                    lines.append(_finish(current, page))
                    current = []
                else:
                    current.insert(hole, (k, g))
                    continue
        if not current or g.size > base_size:
            base_y, base_size = g.y, g.size
        current.append((k, g))
    if current:
        lines.append(_finish(current, page))
    return [line for line in lines if line.plain]


# A run fills a gap in its line when it overlaps the runs either side by no more
# than this share of the type size (glyph boxes and advances differ a little).
FILL_TOLERANCE = 0.15


def _hole(line: list[tuple[int, Run]], g: Run, size: float) -> int | None:
    """Where in ``line`` (left to right) ``g`` fills a gap between two runs, or
    before the first: a glyph drawn after the run it sits in (a producer draws a
    character its font lacks from a fallback font, as a run of its own, after the
    text around it).  None when ``g`` would lie over ink already on the line."""
    slack = FILL_TOLERANCE * size
    for i, (_, right) in enumerate(line):
        if g.x1 <= right.x0 + slack:
            left_end = line[i - 1][1].x1 if i else g.x0 - size
            return i if g.x0 >= left_end - slack and right.x0 - g.x1 <= GUTTER_GAP * size else None
    return None


def _spaced(members: list[tuple[int, Run]]) -> list[Run]:
    """The line's runs with a space run between two runs of Latin text that a word
    gap separates: wider than ``WORD_GAP``, or one PDFium generated a space for
    (from the font's own space width) between runs drawn one after the other."""
    out = [members[0][1]]
    base_size = members[0][1].size
    for (i, last), (j, g) in itertools.pairwise(members):
        size = max(base_size, g.size, 1.0)
        base_size = max(base_size, g.size)
        gap = g.x0 - last.x1
        if (
            (gap > WORD_GAP * size or (g.space_before and j == i + 1 and gap > 0))
            and not last.text.endswith(" ")
            and not g.text.startswith(" ")
            and not wide_end(last.text)
            and not wide_start(g.text)
        ):
            out.append(Run(" ", last.x1, g.x0, last.y, last.size))
        out.append(g)
    return out


def _finish(members: list[tuple[int, Run]], page: int) -> Line:
    runs = _spaced(members)
    end = runs[-1].text
    runs[-1].text = end.rstrip()
    spaced_end = runs[-1].text != end
    runs[0].text = runs[0].text.lstrip()
    for g in runs:
        g.text = ligatures(g.text)
    ink = [g for g in runs if g.text.strip()] or runs
    size = max(g.size for g in ink)
    main = [g for g in ink if g.size >= SUPERSCRIPT_SIZE * size]
    line = Line(
        runs=runs,
        page=page,
        x0=min(g.x0 for g in ink),
        x1=max(g.x1 for g in ink),
        y=statistics.median(g.y for g in main),
        size=size,
        spaced_end=spaced_end,
    )
    start: int | None = None
    ups = [
        bool(g.text)
        and all(c in MARKER_CHARS for c in g.text)
        and g.size < SUPERSCRIPT_SIZE * size
        and g.y > line.y + SUPERSCRIPT_RISE * size
        for g in runs
    ]
    for i, up in enumerate([*ups, False]):
        if up and start is None:
            start = i
        elif not up and start is not None:
            line.raised.append((start, i))
            start = None
    return line
