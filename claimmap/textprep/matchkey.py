"""Match keys: the folded form of text that matching and anchoring compare.

A key is NFKC, lower-cased, traditional->simplified (length-preserving t2s), with
pinyin leaks (``業(yè)``), footnote markers (``^①``, ``^{*}``) and all
punctuation, symbols and whitespace removed.  ``fold`` also returns, for each key
character, the code-point index in the source it came from, so a match found on
keys maps back to an exact range of the source text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from claimmap.textprep.script import to_simplified

# Tone-marked pinyin syllable in ASCII parentheses right after a Han character:
# the spam-mirror corruption of seed 003.  A syllable without a tone mark is
# ambiguous with a real gloss, so keys leave it in.
PINYIN_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN_LEAK_RE = re.compile(
    r"(?<=[\u3400-\u9fff\uf900-\ufaff])\((?=[a-zü]*["
    + PINYIN_VOWELS
    + r"])[a-z"
    + PINYIN_VOWELS
    + r"ü]{1,7}\)"
)
# Footnote markers from PDF conversion: ^①, ^{12}, ^{*}, ^12, and bare circled digits.
FOOTNOTE_MARKER_RE = re.compile(
    r"\^(?:\{[^}\n]{1,6}\}|[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]|\d{1,3})"
    r"|[\u2460-\u2473]"
)


@dataclass(frozen=True, slots=True)
class Folded:
    """A match key and, for each of its characters, the source index it came from."""

    key: str
    positions: tuple[int, ...]

    def source_range(self, key_start: int, key_end: int) -> tuple[int, int]:
        """Map a key range [key_start, key_end) back to a source range."""
        if key_end <= key_start:
            raise ValueError("empty key range")
        return self.positions[key_start], self.positions[key_end - 1] + 1


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """NFKC + lower-case of one character, with punctuation/space/symbols dropped."""
    out = []
    for c in unicodedata.normalize("NFKC", ch).lower():
        cat = unicodedata.category(c)
        if cat[0] in "PZSC":
            continue
        if cat == "Mn":  # combining marks carry no evidence for matching
            continue
        out.append(c)
    return "".join(out)


def _removed_ranges(text: str) -> list[tuple[int, int]]:
    ranges = [m.span() for m in PINYIN_LEAK_RE.finditer(text)]
    ranges += [m.span() for m in FOOTNOTE_MARKER_RE.finditer(text)]
    ranges.sort()
    return ranges


def fold(text: str) -> Folded:
    """Fold ``text`` into a match key, keeping the map back to source indices."""
    chars: list[str] = []
    positions: list[int] = []
    removed = _removed_ranges(text)
    r = 0
    i = 0
    n = len(text)
    while i < n:
        while r < len(removed) and removed[r][1] <= i:
            r += 1
        if r < len(removed) and removed[r][0] <= i < removed[r][1]:
            i = removed[r][1]
            continue
        folded = _fold_char(text[i])
        for c in folded:
            chars.append(c)
            positions.append(i)
        i += 1
    key = to_simplified("".join(chars))
    return Folded(key, tuple(positions))


def match_key(text: str) -> str:
    """The match key alone (see ``fold``)."""
    return fold(text).key


@lru_cache(maxsize=8192)
def _width_fold(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch).lower()
    return folded if len(folded) == 1 else ch


def fold_in_place(text: str) -> str:
    """Script, width and case folded, one character for one: offsets found in the
    result are offsets in ``text`` (for lighting what a fuzzy search matched)."""
    return to_simplified("".join(_width_fold(ch) for ch in text))
