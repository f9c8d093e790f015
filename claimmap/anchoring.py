"""Finding a quote, or re-finding a stored span, in an article's canonical text.

Order of evidence, strongest first: the stored position (if the text is the
same), the exact quote (ranked by prefix/suffix context and distance from the old
position), the quote on match keys (script, pinyin leaks, punctuation and width
folded), then fuzzy alignment on keys above a threshold.  Below the threshold a
span is orphaned: a look-alike passage is never adopted silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

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
    """Re-find a stored span on a (possibly changed) text; None means orphaned."""
    if same_text and text[old_start : old_start + len(quote)] == quote:
        return Anchor(old_start, old_start + len(quote), "position")
    exact = _all_occurrences(text, quote)
    if exact:
        best = max(
            exact, key=lambda i: _context_score(text, i, len(quote), prefix, suffix, old_start)
        )
        method = "position" if best == old_start else "moved"
        return Anchor(best, best + len(quote), method)
    doc = _folded(text)
    key = fold(quote).key
    if not key:
        return None
    hits = _all_occurrences(doc.key, key)
    if len(hits) == 1:
        start, end = doc.source_range(hits[0], hits[0] + len(key))
        return Anchor(start, end, "normalized")
    return _fuzzy(doc, key)


def _context_score(text: str, i: int, n: int, prefix: str, suffix: str, old_start: int) -> float:
    before, after = context(text, i, i + n)
    score = 0.0
    score += _common_suffix_len(before, prefix) + _common_prefix_len(after, suffix)
    # Prefer the nearest occurrence when context ties.
    return score - abs(i - old_start) / (len(text) + 1)


def _common_prefix_len(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix_len(a: str, b: str) -> int:
    return _common_prefix_len(a[::-1], b[::-1])
