"""Span text -> linking key (a match key with analyst aliases applied), and the
character n-gram features the scorer and the blocking index share."""

from __future__ import annotations

import re
from collections.abc import Iterable

from claimmap.textprep.matchkey import FOOTNOTE_MARKER_RE, PINYIN_LEAK_RE, _fold_char
from claimmap.textprep.script import to_simplified


class _FoldTable(dict[int, str]):
    """``str.translate`` table computing ``_fold_char`` lazily per code point.

    ``match_key`` folds character by character in a Python loop (about 25 µs a
    sentence, 2.5 s for 100k spans); ``str.translate`` does the same per-character
    fold in C once each distinct character has been seen.
    """

    def __missing__(self, cp: int) -> str:
        folded = _fold_char(chr(cp))
        self[cp] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fast_match_key(text: str) -> str:
    """Exactly ``match_key(text)``, without the source-position map (tested equal)."""
    ranges = [m.span() for m in PINYIN_LEAK_RE.finditer(text)]
    ranges += [m.span() for m in FOOTNOTE_MARKER_RE.finditer(text)]
    if ranges:
        ranges.sort()
        parts: list[str] = []
        pos = 0
        for start, end in ranges:
            if start > pos:
                parts.append(text[pos:start])
            pos = max(pos, end)
        parts.append(text[pos:])
        text = "".join(parts)
    return to_simplified(text.translate(_FOLD_TABLE))


class AliasTable:
    """Analyst aliases (布萊切特 = 布莱奇利 = Bletchley) applied to keys.

    Pairs are (variant, canonical); equivalence is transitive, so every member of
    a group is rewritten to one representative key.  Both sides are folded to
    match keys first, so an alias given in traditional script also catches the
    simplified spelling.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        order: list[str] = []
        for variant, canonical in pairs:
            v, c = fast_match_key(variant), fast_match_key(canonical)
            if not v or not c:
                continue
            for k in (v, c):
                if k not in parent:
                    order.append(k)
            rv, rc = find(v), find(c)
            if rv != rc:
                # The first canonical seen stays the representative, so adding
                # aliases later does not rename existing groups.
                parent[rv] = rc
        self._replacement = {k: find(k) for k in order if find(k) != k}
        # Longest variant first so 布莱奇利园 wins over 布莱奇利 inside it.
        variants = sorted(self._replacement, key=lambda s: (-len(s), s))
        self._pattern = re.compile("|".join(map(re.escape, variants))) if variants else None

    def __bool__(self) -> bool:
        return self._pattern is not None

    def apply(self, key: str) -> str:
        if self._pattern is None:
            return key
        return self._pattern.sub(lambda m: self._replacement[m.group()], key)


def span_key(text: str, aliases: AliasTable | None = None) -> str:
    """The key a span is linked on: its match key with aliases applied."""
    key = fast_match_key(text)
    return aliases.apply(key) if aliases else key


# Runs of digits, of Latin letters, and of anything else (Han, kana, hangul...).
_RUN_RE = re.compile(r"[0-9]+|[a-z\u00c0-\u024f]+|[^0-9a-z\u00c0-\u024f]+")
# A Latin run this short is a word, acronym or name (openai, nscai, ttc); longer
# runs are whole English phrases with the spaces folded away, compared by trigrams.
_LATIN_WORD_MAX = 12


def features(key: str) -> list[str]:
    """Character n-gram features of a key (duplicates kept, order kept).

    Han text has no spaces, so words are approximated by character bigrams;
    numbers and short Latin runs are whole tokens (prefixed so they cannot collide
    with bigrams) because ``2024`` or ``openai`` is one piece of evidence.
    """
    out: list[str] = []
    for m in _RUN_RE.finditer(key):
        run = m.group()
        first = run[0]
        if first.isdigit():
            out.append("#" + run)
        elif first.isascii() or "\u00c0" <= first <= "\u024f":
            if len(run) <= _LATIN_WORD_MAX:
                out.append("@" + run)
            else:
                out.extend(run[i : i + 3] for i in range(len(run) - 2))
        elif len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def numbers(key: str) -> frozenset[str]:
    """The digit runs of a key: dates and figures, compared for conflicts."""
    return frozenset(re.findall(r"[0-9]+", key))
