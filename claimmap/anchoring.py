"""Finding a quote, or re-finding a stored span, in an article's canonical text.

Order of evidence, strongest first: the stored position (if the text is the
same), the exact quote (ranked by prefix/suffix context and distance from the old
position), the quote on match keys (script, pinyin leaks, punctuation and width
folded), then fuzzy alignment on keys above a threshold.  Below the threshold a
span is orphaned: a look-alike passage is never adopted silently.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from claimmap.errors import ClaimmapError
from claimmap.textprep.matchkey import Folded, fold

CONTEXT_CHARS = 32
FUZZY_MIN_SCORE = 90.0


@dataclass(frozen=True, slots=True)
class Anchor:
    start: int
    end: int
    method: str  # exact | normalized | fuzzy | position | moved


class AnchorError(ClaimmapError):
    """The quote could not be placed (absent, or ambiguous without --occurrence)."""


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The ~32 characters before and after a range (the TextQuoteSelector context)."""
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


@lru_cache(maxsize=32)
def _folded(text: str) -> Folded:
    return fold(text)


def _all_occurrences(haystack: str, needle: str) -> list[int]:
    found: list[int] = []
    i = haystack.find(needle)
    while i != -1:
        found.append(i)
        i = haystack.find(needle, i + 1)
    return found


def _pick(candidates: list[tuple[int, int]], occurrence: int | None, quote: str) -> tuple[int, int]:
    if occurrence is not None:
        if not 1 <= occurrence <= len(candidates):
            raise AnchorError(
                f"--occurrence {occurrence} is out of range: the quote occurs "
                f"{len(candidates)} time(s)"
            )
        return candidates[occurrence - 1]
    if len(candidates) > 1:
        raise AnchorError(
            f"quote occurs {len(candidates)} times; add --occurrence N (1-{len(candidates)}) "
            "or a longer quote"
        )
    return candidates[0]


def anchor_quote(text: str, quote: str, occurrence: int | None = None) -> Anchor:
    """Place a quote typed or copied by an analyst (perhaps from the raw, noisy file)."""
    if not quote.strip():
        raise AnchorError("the quote is empty")
    exact = _all_occurrences(text, quote)
    if exact:
        start, end = _pick([(i, i + len(quote)) for i in exact], occurrence, quote)
        return Anchor(start, end, "exact")
    doc = _folded(text)
    key = fold(quote).key
    if not key:
        raise AnchorError("the quote has no letters or characters to match")
    hits = _all_occurrences(doc.key, key)
    if hits:
        ranges = [doc.source_range(i, i + len(key)) for i in hits]
        start, end = _pick(ranges, occurrence, quote)
        return Anchor(start, end, "normalized")
    if occurrence is not None:
        raise AnchorError("quote not found exactly; --occurrence applies only to exact matches")
    aligned = _fuzzy(doc, key)
    if aligned is None:
        raise AnchorError(
            "quote not found in the article (not even approximately); check the article "
            "with 'claimmap show ARTICLE' and copy the passage from there"
        )
    return aligned


def _fuzzy(doc: Folded, key: str, min_score: float = FUZZY_MIN_SCORE) -> Anchor | None:
    if len(key) < 8 or not doc.key:
        return None
    al = fuzz.partial_ratio_alignment(key, doc.key, score_cutoff=min_score)
    if al is None or al.dest_end <= al.dest_start:
        return None
    start, end = doc.source_range(al.dest_start, al.dest_end)
    return Anchor(start, end, "fuzzy")


def reanchor(
    text: str,
    *,
    quote: str,
    prefix: str,
    suffix: str,
    old_start: int,
    same_text: bool,
) -> Anchor | None:
    """Re-find a stored span on a (possibly changed) text; None means orphaned.

    ``old_start`` is a hint: the span's old offset, or better (``offset_map``)
    where that offset went in the new text.  An occurrence is adopted only with
    evidence: the hint itself, or stored context agreeing with the text around
    it.  A quote that still occurs, but nowhere with its context, is orphaned:
    short quotes recur all over an article, and the one the analyst meant may be
    the one that was deleted.
    """
    n = len(quote)
    if same_text and text[old_start : old_start + n] == quote:
        return Anchor(old_start, old_start + n, "position")
    exact = _all_occurrences(text, quote)
    if exact:
        best = _supported([(i, i + n) for i in exact], text, prefix, suffix, old_start)
        if best is None:
            return None
        return Anchor(best[0], best[1], "position" if best[0] == old_start else "moved")
    doc = _folded(text)
    key = fold(quote).key
    if not key:
        return None
    hits = _all_occurrences(doc.key, key)
    if hits:
        ranges = [doc.source_range(i, i + len(key)) for i in hits]
        found = _supported(ranges, text, prefix, suffix, old_start)
        return None if found is None else Anchor(found[0], found[1], "normalized")
    return _fuzzy_reanchor(text, doc, key, prefix, suffix, old_start, len(quote))


# Context characters (exactly equal, next to the quote) that confirm an occurrence.
MIN_CONTEXT = 24
# Fuzzy similarity (0-100) of the stored context with the text around a candidate
# that confirms it when edits touched the context itself.
MIN_CONTEXT_SIMILARITY = 75.0


def _evidence(text: str, start: int, end: int, prefix: str, suffix: str) -> tuple[int, float]:
    """(exactly matching context characters, fuzzy context similarity 0-100).

    The exact count is 0 unless both sides agree at least a little (or one side
    has nothing stored): a repeated sentence elsewhere often shares what follows
    it, but rarely what precedes it as well.
    """
    before, after = text[max(0, start - len(prefix)) : start], text[end : end + len(suffix)]
    left, right = _common_suffix_len(before, prefix), _common_prefix_len(after, suffix)
    one_sided = (prefix and not left) or (suffix and not right)
    exact = 0 if one_sided else left + right
    weight = len(prefix) + len(suffix)
    if not weight:
        return 0, 100.0
    similar = (
        fuzz.ratio(before, prefix) * len(prefix) + fuzz.ratio(after, suffix) * len(suffix)
    ) / weight
    return exact, similar


def _supported(
    candidates: list[tuple[int, int]], text: str, prefix: str, suffix: str, hint: int
) -> tuple[int, int] | None:
    """The best-supported candidate, or None when no evidence (or a tie) decides."""
    available = len(prefix) + len(suffix)
    scored: list[tuple[bool, bool, int, float, int, int, int]] = []
    for start, end in candidates:
        exact, similar = _evidence(text, start, end, prefix, suffix)
        confirmed = exact >= min(MIN_CONTEXT, available) or similar >= MIN_CONTEXT_SIMILARITY
        at_hint = start == hint
        if at_hint and exact >= min(8, available):
            confirmed = True  # the hint and a little context agree
        scored.append((confirmed, at_hint, exact, similar, -abs(start - hint), start, end))
    scored.sort(reverse=True)
    best = scored[0]
    if not best[0]:
        return None
    if len(scored) > 1 and not best[1] and scored[1][:4] == best[:4]:
        # Identical evidence twice (a repeated passage) and no hint to choose:
        # nearest the old offset is a guess once text has shifted, so orphan.
        return None
    return best[5], best[6]


def _fuzzy_reanchor(
    text: str, doc: Folded, key: str, prefix: str, suffix: str, hint: int, length: int
) -> Anchor | None:
    """Fuzzy alignment near the hint first, then anywhere; confirmed by context."""
    if len(key) < 8 or not doc.key:
        return None
    # Near the hint, a corrected word is the likely story; look there first so a
    # look-alike sentence elsewhere cannot win on score alone.
    key_hint = _key_index(doc, hint)
    lo, hi = max(0, key_hint - 2 * len(key)), key_hint + 3 * len(key)
    windows = [(lo, hi), (0, len(doc.key))]
    for w_lo, w_hi in windows:
        al = fuzz.partial_ratio_alignment(key, doc.key[w_lo:w_hi], score_cutoff=FUZZY_MIN_SCORE)
        if al is None or al.dest_end <= al.dest_start:
            continue
        start, end = doc.source_range(w_lo + al.dest_start, w_lo + al.dest_end)
        exact, similar = _evidence(text, start, end, prefix, suffix)
        if exact >= MIN_CONTEXT or similar >= MIN_CONTEXT_SIMILARITY:
            return Anchor(start, end, "fuzzy")
    return None


def _key_index(doc: Folded, source_offset: int) -> int:
    """The match-key index nearest a source offset (keys drop punctuation)."""
    return bisect.bisect_left(doc.positions, source_offset) if doc.positions else 0


def offset_map(old: str, new: str) -> Callable[[int], int]:
    """Where each offset of ``old`` went in ``new`` (for re-anchoring hints).

    A line diff first (articles are edited by paragraph), then a character
    diff inside replaced lines (corrected words).  Offsets inside deleted text
    map to where the deletion happened.
    """
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    old_at, new_at = _line_starts(old_lines), _line_starts(new_lines)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    runs: list[tuple[int, int, int]] = []  # (old start, new start, length) of equal text
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        o1, o2, n1, n2 = old_at[i1], old_at[i2], new_at[j1], new_at[j2]
        if tag == "equal":
            runs.append((o1, n1, o2 - o1))
        elif tag == "replace" and (o2 - o1) * (n2 - n1) <= 4_000_000:
            for op in Indel.opcodes(old[o1:o2], new[n1:n2]):
                if op.tag == "equal":
                    runs.append((o1 + op.src_start, n1 + op.dest_start, op.src_end - op.src_start))
    starts = [r[0] for r in runs]

    def mapped(offset: int) -> int:
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return min(offset, len(new))
        o, n, length = runs[i]
        return n + min(offset - o, length)

    return mapped


def _line_starts(lines: list[str]) -> list[int]:
    out = [0]
    for line in lines:
        out.append(out[-1] + len(line))
    return out


def _common_prefix_len(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix_len(a: str, b: str) -> int:
    return _common_prefix_len(a[::-1], b[::-1])
