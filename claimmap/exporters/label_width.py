"""How wide a character of the report's 12px SVG label font is, roughly.

Wide (CJK) glyphs take about a full em, others a bit over half.  Good enough to
keep a label inside its box or column; the full text stays in a tooltip.  One
estimate for every SVG label of the report (the tag bars and the argument map).
"""

from __future__ import annotations

import unicodedata

WIDE_PX = 12.5
NARROW_PX = 7.0


def char_px(ch: str) -> float:
    return WIDE_PX if unicodedata.east_asian_width(ch) in "WF" else NARROW_PX
