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
    it.  Context within the span's own paragraph outranks the hint (paragraphs
    that share a sentence can swap places, leaving the hint on the other copy).
    A quote that still occurs, but nowhere with its context, is orphaned:
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
# Exactly matching characters that confirm a candidate at the hint, or one whose
# whole paragraph-local context matches.
MIN_LOCAL = 8


@dataclass(frozen=True, slots=True)
class _Evidence:
    """How well the text around one occurrence agrees with the stored context."""

    exact: int  # matching characters next to it (0 unless both sides agree a little)
    local: int  # matching characters within its own paragraph (boundary newline counted)
    local_full: bool  # the stored context up to the paragraph's edges matches entirely
    similar: float  # fuzzy similarity of the whole stored context, 0-100


def _local_lengths(prefix: str, suffix: str) -> tuple[int, int]:
    """How much of the stored prefix/suffix lies in the span's own paragraph.

    The newline that bounds the paragraph counts: "this sentence ends its
    paragraph" is evidence too.  Context across a paragraph boundary is weaker
    evidence than context inside it, because paragraphs move as whole units
    (swapped, inserted, deleted) while the text inside one stays together.
    """
    cut = prefix.rfind("\n")
    before = len(prefix) - cut if cut >= 0 else len(prefix)
    cut = suffix.find("\n")
    after = cut + 1 if cut >= 0 else len(suffix)
    return before, after


def _evidence(text: str, start: int, end: int, prefix: str, suffix: str) -> _Evidence:
    """The evidence for an occurrence at ``start:end``.

    The exact count is 0 unless both sides agree at least a little (or one side
    has nothing stored): a repeated sentence elsewhere often shares what follows
    it, but rarely what precedes it as well.
    """
    before, after = text[max(0, start - len(prefix)) : start], text[end : end + len(suffix)]
    # The ends of the text bound a paragraph as a newline does.
    if start < len(prefix):
        before = "\n" + before
    if end + len(suffix) > len(text):
        after += "\n"
    left, right = _common_suffix_len(before, prefix), _common_prefix_len(after, suffix)
    one_sided = (prefix and not left) or (suffix and not right)
    local_before, local_after = _local_lengths(prefix, suffix)
    local = min(left, local_before) + min(right, local_after)
    local_full = left >= local_before and right >= local_after
    weight = len(prefix) + len(suffix)
    if not weight:
        return _Evidence(0, 0, True, 100.0)
    similar = (
        fuzz.ratio(before, prefix) * len(prefix) + fuzz.ratio(after, suffix) * len(suffix)
    ) / weight
    return _Evidence(0 if one_sided else left + right, local, local_full, similar)


def _supported(
    candidates: list[tuple[int, int]], text: str, prefix: str, suffix: str, hint: int
) -> tuple[int, int] | None:
    """The best-supported candidate, or None when no evidence (or a tie) decides.

    Order of evidence: the whole paragraph-local context matching, then being
    at the hint, then how much context matches.  The hint does not outrank
    context: when paragraphs that share a sentence swap places, the old offset
    (and sometimes the diff) points at the other copy, whose own paragraph says
    otherwise.
    """
    available = len(prefix) + len(suffix)
    local_available = sum(_local_lengths(prefix, suffix))
    scored: list[tuple[bool, bool, bool, int, int, float, int, int, int]] = []
    for start, end in candidates:
        ev = _evidence(text, start, end, prefix, suffix)
        at_hint = start == hint
        local_full = ev.local_full and ev.local >= min(MIN_LOCAL, local_available)
        confirmed = (
            ev.exact >= min(MIN_CONTEXT, available)
            or ev.similar >= MIN_CONTEXT_SIMILARITY
            or local_full
            # the hint and a little context agree
            or (at_hint and ev.exact >= min(MIN_LOCAL, available))
        )
        scored.append(
            (
                confirmed,
                local_full,
                at_hint,
                ev.local,
                ev.exact,
                ev.similar,
                -abs(start - hint),
                start,
                end,
            )
        )
    scored.sort(reverse=True)
    best = scored[0]
    if not best[0]:
        return None
    if len(scored) > 1 and not best[2] and scored[1][:6] == best[:6]:
        # Identical evidence twice (a repeated passage) and no hint to choose:
        # nearest the old offset is a guess once text has shifted, so orphan.
        return None
    return best[7], best[8]


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
        ev = _evidence(text, start, end, prefix, suffix)
        if ev.exact >= MIN_CONTEXT or ev.similar >= MIN_CONTEXT_SIMILARITY:
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
