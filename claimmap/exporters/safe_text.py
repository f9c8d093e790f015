"""Characters an output format cannot carry, replaced one for one.

XML 1.0 allows TAB, LF and CR but no other C0 control, no lone surrogate and
neither U+FFFE nor U+FFFF: one of them (a form feed from ``pdftotext`` at a page
break, a stray ``\\x01``) makes the whole document not well-formed.  HTML parses
them, but as errors: C0 controls other than its whitespace (TAB, LF, FF, CR),
C1 controls and noncharacters.

Each such character becomes exactly one other character, so code-point offsets
(REFI-QDA positions into a source text) still hold:

- a control that Python counts as whitespace (VT, FF, the separators
  U+001C-U+001F, NEL) becomes a space: it separates words, lines or pages, and a
  space keeps them apart without inventing structure;
- anything else becomes U+FFFD REPLACEMENT CHARACTER, which says "a character
  was here that could not be written", so the loss stays visible instead of
  turning into plausible text.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Noncharacters are U+FDD0-U+FDEF and the last two code points of every plane.
# The astral ones are matched as one range from U+1FFFE and sorted out in
# ``_substitute``: a class listing 32 astral code points makes the regex ten times
# slower on every page, a range does not.
_HTML_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\U0001fffe-\U0010ffff]"
)


def _is_noncharacter(cp: int) -> bool:
    return 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE


def _substitute(match: re.Match[str]) -> str:
    ch = match.group()
    if ch >= "\U0001fffe" and not _is_noncharacter(ord(ch)):
        return ch  # an ordinary astral character (CJK Extension B and beyond)
    return " " if ch.isspace() else REPLACEMENT


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 forbids replaced (same length)."""
    # Printable text (most quotes, names, labels) has none of them: skip the regex.
    return text if text.isprintable() else _XML_FORBIDDEN.sub(_substitute, text)


def html_safe(text: str) -> str:
    """``text`` with every character HTML reports as a parse error replaced (same length)."""
    return text if text.isprintable() else _HTML_FORBIDDEN.sub(_substitute, text)
