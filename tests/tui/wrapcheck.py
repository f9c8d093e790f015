"""What the wrapping tests check on rendered lines: the CJK line-breaking rules."""

from __future__ import annotations

import re

from rich.cells import cell_len
from textual.widget import Widget

# Never at the start of a wrapped line (closing punctuation, CJK kinsoku) ...
CLOSING = set("。，、；：！？）」』”’》〉】〕．,.;:!?)")
# ... and never at the end of one (opening punctuation).
OPENING = set("（「『“‘《〈【〔(")
NUMBER = re.compile(r"\d[\d,.]*\d")


def rendered_lines(widget: Widget) -> list[str]:
    """The widget's content as drawn, one string per row, trailing blanks trimmed."""
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


def naive_starts(text: str, width: int) -> list[int]:
    """Where lines start when text is cut wherever a cell runs out (what Rich does
    to unspaced Chinese): the cases a test's text must provoke."""
    starts, used = [0], 0
    for i, ch in enumerate(text):
        w = cell_len(ch)
        if used + w > width and i > starts[-1]:
            starts.append(i)
            used = 0
        used += w
    return starts


def breaking_faults(lines: list[str], numbers: list[str]) -> list[str]:
    """Lines that break the rules, described; an empty list when all is well.

    ``lines`` are the soft-wrapped rows of one paragraph; each of ``numbers``
    must appear whole on one of them.
    """
    faults = [f"starts with {line[0]!r}: {line!r}" for line in lines[1:] if line[:1] in CLOSING]
    faults += [f"ends with {line[-1]!r}: {line!r}" for line in lines[:-1] if line[-1:] in OPENING]
    faults += [f"number {n} split" for n in numbers if not any(n in line for line in lines)]
    return faults
