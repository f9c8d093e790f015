"""Span text -> linking key (a match key with analyst aliases applied), and the
character n-gram features the scorer and the blocking index share."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

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


# -- the same features as integer codes, for whole corpora at once -----------
#
# ``features`` builds Python strings (about 30 µs a span); the index only needs
# to tell features apart, so it codes them as int64 in numpy:
#   unigram / Han bigram   c1 << 21 | c2                  (< 2**42)
#   long-Latin trigram     2**50 | c1 << 32 | c2 << 16 | c3
#   Latin word ("@word")   WORD_BASE + token id
#   number ("#2024")       NUM_BASE + token id
# Token ids come from a table the caller keeps, so codes are stable across calls.

TRIGRAM_BASE = 1 << 50
WORD_BASE = 1 << 52
NUM_BASE = 1 << 53

_DIGIT, _LATIN, _OTHER = 0, 1, 2


def feature_codes(
    keys: Sequence[str], tokens: dict[str, int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(codes, key index) of every feature of every key, duplicates kept.

    The same feature set as ``features`` (tested), coded as integers; ``tokens``
    (token text -> id) is extended with unseen numbers and Latin words.
    """
    lengths = np.fromiter((len(k) for k in keys), dtype=np.int64, count=len(keys))
    joined = "".join(keys)
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    row = np.repeat(np.arange(len(keys), dtype=np.int64), lengths)
    cls = np.full(len(cp), _OTHER, np.int8)
    cls[(cp >= 0x30) & (cp <= 0x39)] = _DIGIT
    cls[((cp >= 0x61) & (cp <= 0x7A)) | ((cp >= 0xC0) & (cp <= 0x24F))] = _LATIN
    start = np.ones(len(cp), np.bool_)
    start[1:] = (cls[1:] != cls[:-1]) | (row[1:] != row[:-1])
    run_id = np.cumsum(start) - 1
    run_start = np.flatnonzero(start)
    run_len = np.diff(np.append(run_start, len(cp)))
    run_cls = cls[run_start]
    codes: list[npt.NDArray[np.int64]] = []
    rows: list[npt.NDArray[np.int64]] = []
    # Han/other runs: the lone character of a one-character run, else bigrams.
    lone = run_start[(run_cls == _OTHER) & (run_len == 1)]
    codes.append(cp[lone])
    rows.append(row[lone])
    same1 = np.zeros(len(cp), np.bool_)
    same1[:-1] = run_id[1:] == run_id[:-1]
    bi = np.flatnonzero(same1 & (cls == _OTHER))
    codes.append((cp[bi] << 21) | cp[bi + 1])
    rows.append(row[bi])
    # Long Latin runs (whole phrases with spaces folded away): trigrams.
    long_latin = (run_cls == _LATIN) & (run_len > _LATIN_WORD_MAX)
    in_long = long_latin[run_id]
    same2 = np.zeros(len(cp), np.bool_)
    same2[:-2] = run_id[2:] == run_id[:-2]
    tri = np.flatnonzero(same2 & in_long)
    codes.append(TRIGRAM_BASE | (cp[tri] << 32) | (cp[tri + 1] << 16) | cp[tri + 2])
    rows.append(row[tri])
    # Numbers and short Latin runs: whole tokens.
    tok_runs = np.flatnonzero((run_cls == _DIGIT) | ((run_cls == _LATIN) & ~long_latin))
    if len(tok_runs):
        starts = run_start[tok_runs].tolist()
        ends = (run_start[tok_runs] + run_len[tok_runs]).tolist()
        ids = np.fromiter(
            (
                tokens.setdefault(joined[s:e], len(tokens))
                for s, e in zip(starts, ends, strict=True)
            ),
            dtype=np.int64,
            count=len(starts),
        )
        base = np.where(run_cls[tok_runs] == _DIGIT, NUM_BASE, WORD_BASE)
        codes.append(base + ids)
        rows.append(row[run_start[tok_runs]])
    return np.concatenate(codes), np.concatenate(rows)


def is_number_code(codes: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    out: npt.NDArray[np.bool_] = codes >= NUM_BASE
    return out
