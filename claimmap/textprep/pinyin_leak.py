"""Repair the spam-mirror pinyin leak: ``產業(yè)`` -> ``產業``.

Some mirror sites append the reading of a character in parentheses.  A single
``字(zì)`` is just as likely an author's gloss, so the repair runs only when the
document shows the pattern repeatedly (``MIN_LEAKS``), and removes a
parenthesised syllable only where pypinyin confirms it is a reading of the
preceding character (tone-marked match, or same syllable with another tone since
mirrors sometimes pick the wrong heteronym).  ``(WHO)``, ``(AI)`` and toneless
lower-case words are never candidates unless they are a reading of that character.

Leaks after a non-Han character (``卑l(fā)``, ``貐^(qū)``) appear where the mirror's
own output was later mis-decoded; there is no Han character to check the reading
against, so they are removed only in a leaky document and only when the very
same tone-marked syllable was confirmed as a leak elsewhere in that document.
A toneless syllable after a non-Han character is always kept.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from claimmap.textprep.script import is_han
from claimmap.textprep.types import LogEntry

STEP = "pinyin_leak"
MIN_LEAKS = 3

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# A single lower-case pinyin syllable (1-6 letters) in ASCII or full-width parentheses.
_CANDIDATE_RE = re.compile(r"[(（]([a-zü" + _TONED + r"]{1,6})[)）]")
_TONED_RE = re.compile("[" + _TONED + "]")
_STRIP_TONE = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ", "aaaaeeeeiiiioooouuuuüüüü")


@lru_cache(maxsize=16384)
def _readings(ch: str) -> tuple[frozenset[str], frozenset[str]]:
    """(tone-marked readings, tone-stripped readings) of one Han character."""
    # Imported here: pypinyin's dictionaries take a fifth of a second to load,
    # and only documents that show the leak pattern ever need them.
    from pypinyin import pinyin

    # pypinyin returns no entry at all for Han characters it has no reading for
    # (rare ones, CJK extensions): those have no reading a leak could match.
    found = pinyin(ch, heteronym=True, errors="ignore") if is_han(ch) else []
    marked = frozenset(unicodedata.normalize("NFC", r) for r in (found[0] if found else []))
    stripped = frozenset(r.translate(_STRIP_TONE) for r in marked)
    return marked, stripped


def _is_reading(ch: str, syllable: str) -> bool:
    marked, stripped = _readings(ch)
    if syllable in marked:
        return True
    return syllable.translate(_STRIP_TONE) in stripped


def repair_pinyin_leaks(text: str) -> tuple[str, list[LogEntry]]:
    """Remove confirmed pinyin leaks; one log entry per removal (line numbers 1-based)."""
    confirmed: list[tuple[int, int, str]] = []
    orphans: list[tuple[int, int, str]] = []
    for m in _CANDIDATE_RE.finditer(text):
        start = m.start()
        if start == 0:
            continue
        syllable = unicodedata.normalize("NFC", m.group(1))
        prev = text[start - 1]
        if is_han(prev):
            if _is_reading(prev, syllable):
                confirmed.append((start, m.end(), syllable))
        elif _TONED_RE.search(syllable) and not prev.isspace():
            orphans.append((start, m.end(), syllable))
    if len(confirmed) < MIN_LEAKS:
        return text, []
    known = {syllable for _, _, syllable in confirmed if _TONED_RE.search(syllable)}
    removals = confirmed + [o for o in orphans if o[2] in known]
    removals.sort()

    log: list[LogEntry] = []
    parts: list[str] = []
    pos = 0
    line = 1
    for start, end, _syllable in removals:
        line += text.count("\n", pos, start)
        parts.append(text[pos:start])
        prev = text[start - 1]
        detail = (
            f"pinyin leak {text[start:end]} after {prev}"
            if is_han(prev)
            else f"pinyin leak {text[start:end]} after non-Han {prev!r} (syllable confirmed "
            "elsewhere in this document)"
        )
        log.append(LogEntry(STEP, "removed", detail, text[start:end], "", line))
        pos = end
    parts.append(text[pos:])
    return "".join(parts), log
