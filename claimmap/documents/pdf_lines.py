"""From a PDF page's glyphs to lines: baselines, superscripts, line text.

PDFium's own line breaks are not used: it merges a hyphenated line end with the
next line (``para\\ufffegraph``) and keeps two columns drawn side by side on one
line.  A new line starts where the baseline moves by more than half the type
size, where the pen goes back left, or where a gap wider than a gutter opens.
"""

from __future__ import annotations

import statistics
import unicodedata
from dataclasses import dataclass, field

# PDFium puts U+FFFE where it removed a hyphen at a line end it joined.
SOFT_HYPHEN = "\ufffe"
# Relative to the line's type size: a raised glyph this much smaller is a superscript.
SUPERSCRIPT_SIZE = 0.85
SUPERSCRIPT_RISE = 0.15
# Wider than any word space of justified text, narrower than a column gutter.
GUTTER_GAP = 2.5
MARKER_CHARS = frozenset("0123456789*†‡§¶" + "".join(chr(c) for c in range(0x2460, 0x2474)))


@dataclass(slots=True)
class Glyph:
    ch: str
    x0: float
    x1: float
    y: float  # baseline (PDF user space: y grows upwards)
    size: float
    # PDFium's own space where the file has none (a gap between words): dropped
    # between two CJK characters, where a gap is only spacing.
    generated: bool = False


@dataclass(slots=True)
class Line:
    glyphs: list[Glyph]
    page: int
    x0: float = 0.0
    x1: float = 0.0
    y: float = 0.0
    size: float = 0.0
    # (start, end) glyph index runs that are raised and smaller: marker candidates.
    raised: list[tuple[int, int]] = field(default_factory=list)

    @property
    def plain(self) -> str:
        return "".join(g.ch for g in self.glyphs).strip()


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


def _ligatures(ch: str) -> str:
    """The U+FB00 block (ﬁ, ﬂ, ﬀ...) to its letters; nothing else is NFKC-folded
    (full-width punctuation is the author's)."""
    if "\ufb00" <= ch <= "\ufb4f":
        return unicodedata.normalize("NFKC", ch)
    return ch


def split_lines(glyphs: list[Glyph], page: int) -> list[Line]:
    """Group a page's glyphs, in content order, into lines."""
    lines: list[Line] = []
    current: list[Glyph] = []
    base_y = 0.0
    base_size = 0.0
    last: Glyph | None = None
    for g in glyphs:
        if g.ch in "\r\n":
            continue
        if g.ch == " " and not current:
            continue
        if last is not None and current:
            size = max(base_size, g.size, 1.0)
            # A superscript (or the normal text after a leading one) may sit up to
            # a type size off the baseline; same-size glyphs only half of one.
            mixed = min(g.size, base_size) < SUPERSCRIPT_SIZE * size
            limit = size if mixed else 0.5 * size
            if (
                abs(g.y - base_y) > limit
                or g.x0 < last.x0 - size
                or (g.ch != " " and g.x0 - last.x1 > GUTTER_GAP * size)
            ):
                lines.append(_finish(current, page))
                current = []
        if not current or (g.size > base_size and g.ch != " "):
            base_y, base_size = g.y, g.size
        current.append(g)
        if g.ch != " " or last is None:
            last = g
    if current:
        lines.append(_finish(current, page))
    return [line for line in lines if line.plain]


def _spacing(glyphs: list[Glyph]) -> list[Glyph]:
    """Without PDFium's made-up spaces next to CJK text or a superscript marker
    (letter-spacing and the pen after a raised glyph leave gaps it takes for spaces)."""
    out: list[Glyph] = []
    for i, g in enumerate(glyphs):
        if g.generated and 0 < i < len(glyphs) - 1:
            a, b = glyphs[i - 1], glyphs[i + 1]
            if is_wide(a.ch) or is_wide(b.ch) or abs(a.size - b.size) > 0.1 * max(a.size, b.size):
                continue
        out.append(g)
    return out


def _finish(glyphs: list[Glyph], page: int) -> Line:
    glyphs = _spacing(glyphs)
    while glyphs and glyphs[-1].ch == " ":
        glyphs.pop()
    for g in glyphs:
        g.ch = _ligatures(g.ch)
    ink = [g for g in glyphs if g.ch != " "] or glyphs
    size = max(g.size for g in ink)
    main = [g for g in ink if g.size >= SUPERSCRIPT_SIZE * size]
    line = Line(
        glyphs=glyphs,
        page=page,
        x0=min(g.x0 for g in ink),
        x1=max(g.x1 for g in ink),
        y=statistics.median(g.y for g in main),
        size=size,
    )
    start: int | None = None
    ups = [
        g.ch in MARKER_CHARS
        and g.size < SUPERSCRIPT_SIZE * size
        and g.y > line.y + SUPERSCRIPT_RISE * size
        for g in glyphs
    ]
    for i, up in enumerate([*ups, False]):
        if up and start is None:
            start = i
        elif not up and start is not None:
            line.raised.append((start, i))
            start = None
    return line
