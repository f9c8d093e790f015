"""Script conversion for matching only (never for displayed or stored text).

OpenCC's plain ``t2s`` maps character by character for almost every input, so a
converted string keeps the length of its source and offsets stay valid.  We
check that and fall back to per-character conversion where a phrase rule would
change the length.
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> simplified with the length of ``text`` preserved."""
    if text.isascii():
        return text
    converted: str = _T2S.convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(_char_t2s(ch) for ch in text)


@lru_cache(maxsize=65536)
def _char_t2s(ch: str) -> str:
    out: str = _T2S.convert(ch)
    return out if len(out) == 1 else ch


def is_han(ch: str) -> bool:
    """True for CJK unified ideographs (BMP blocks and the astral extensions)."""
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x323AF
    )


_HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af]")
SCRIPT_SAMPLE = 1000
SCRIPT_WINDOW = 20_000


def detect_script(text: str) -> str:
    """Classify text as ``simplified``, ``traditional``, ``mixed`` or ``latin``.

    Counts traditional-only characters (changed by t2s) and simplified-only ones
    (changed by s2t, unchanged by t2s) among the first few thousand Han characters.
    """
    # A window of the text is evidence enough and keeps this O(1) per article.
    window = text[:SCRIPT_WINDOW]
    han = _HAN_RE.findall(window)
    if len(han) < max(10, len(window) // 20):
        return "latin"
    sample = "".join(han[:SCRIPT_SAMPLE])
    simplified = to_simplified(sample)
    traditional = _s2t().convert(sample)
    trad = simp = 0
    for ch, t2s, s2t in zip(sample, simplified, traditional, strict=False):
        if t2s != ch:
            trad += 1
        elif s2t != ch:
            simp += 1
    if trad >= 4 * simp and trad > len(sample) * 0.02:
        return "traditional"
    if simp >= 4 * trad:
        return "simplified"
    return "mixed"


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    # Loaded on first use: its dictionaries take ~0.1 s, and only script
    # detection at import needs them, not every command that matches text.
    return opencc.OpenCC("s2t")
