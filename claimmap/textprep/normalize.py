"""Canonical form of decoded text: one line-ending convention, NFC, no leading BOM.

Deliberately nothing more: script is never converted and full-width punctuation
is never rewritten, because analysts quote the paper as written.
"""

from __future__ import annotations

import re
import unicodedata

_LINE_ENDINGS_RE = re.compile(r"\r\n?")
# U+FEFF at the start is a BOM that survived decoding; elsewhere it is left alone
# (it is a zero-width no-break space that some text legitimately contains).
_LEADING_BOM_RE = re.compile(r"^\ufeff+")


def normalize_text(text: str) -> str:
    """``\\r\\n``/``\\r`` -> ``\\n``, NFC, leading BOM removed."""
    text = _LINE_ENDINGS_RE.sub("\n", text)
    text = _LEADING_BOM_RE.sub("", text)
    return unicodedata.normalize("NFC", text)
