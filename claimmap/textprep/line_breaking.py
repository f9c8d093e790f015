"""Where a line may break (UAX #14 with the CJK prohibitions), by ICU.

Shared by the app's text layout (``tui/textlayout.py``) and the report's SVG
labels (``exporters/argument_svg.py``), so every place claimmap wraps article
text keeps the same rules.
"""

from __future__ import annotations

# ICU's rules are locale-tailored only for a few languages; Chinese gets the CJK
# line-breaking prohibitions (kinsoku) that UAX #14 describes for ideographs.
LINE_BREAK_LOCALE = "zh"


def line_breaks(text: str) -> bytes:
    """One byte per code point: 1 where a line may start (UAX #14, by ICU).

    No line then starts with closing punctuation (，。」) or ends with opening
    punctuation (「（), numbers stay whole, and a wrapped Latin line starts with a
    word, never with the space before it.  ICU counts UTF-16 units: past an
    astral character (emoji, 𠀀) they are mapped back to code points.
    """
    from icu4py.breakers import LineBreaker

    flags = bytearray(len(text) + 1)
    ends = (end for _start, end in LineBreaker(text, LINE_BREAK_LOCALE).segments())
    if len(text.encode("utf-16-le")) == 2 * len(text):
        for end in ends:  # no astral character: units are code points
            flags[end] = 1
    else:
        code_point_at = [0] * (2 * len(text) + 1)
        unit = 0
        for i, ch in enumerate(text):
            code_point_at[unit] = i
            unit += 2 if ord(ch) > 0xFFFF else 1
        code_point_at[unit] = len(text)
        for end in ends:
            flags[code_point_at[end]] = 1
    return bytes(flags)
