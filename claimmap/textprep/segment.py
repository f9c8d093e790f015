"""Paragraphs, sentences and clauses as code-point ranges of the canonical text.

Ranges are end exclusive and never start or end on whitespace.  Boundaries are
only ever placed after punctuation, so an astral character, a ZWJ emoji sequence
or a base letter with its combining accent is never cut.
"""

from __future__ import annotations

import re

from claimmap.textprep.types import Segment

_CLOSERS = "”’」』）)》】\\]\"'"
_CJK = "\u3000-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U000323af"
# Sentence enders: CJK ones always; ASCII ! ? before whitespace, the end or a CJK
# character (Chinese text with ASCII punctuation); "." only before whitespace or
# the end, and subject to the abbreviation check below.  Closing quotes and
# brackets right after an ender belong to the sentence.
_SENTENCE_END_RE = re.compile(
    r"(?:[。！？；…]+|[!?]+(?=[" + _CLOSERS + r"]*(?:\s|$|[" + _CJK + r"]))"
    r"|\.+(?=[" + _CLOSERS + r"]*(?:\s|$)))[" + _CLOSERS + r"]*"
)
# Clause delimiters: full-width ones always; ASCII , ; : when followed by space or
# the end, or next to a CJK character, so "2,600" and "https://" stay whole.
_CLAUSE_END_RE = re.compile(r"[，、；：]|[,;:](?=\s|$|[" + _CJK + r"])|(?<=[" + _CJK + r"])[,;:]")
_PARAGRAPH_RE = re.compile(r"[^\n]+")
_WORD_BEFORE_DOT_RE = re.compile(r"[A-Za-z][A-Za-z.]*$")
_INITIALS_RE = re.compile(r"(?:[A-Za-z]\.)+")
_NEXT_LOWER_RE = re.compile(r"\s*[a-z]")
ABBREVIATIONS = frozenset(
    {
        "e.g.", "i.e.", "mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "jr.", "sr.",
        "al.", "no.", "nos.", "vol.", "vols.", "pp.", "p.", "ed.", "eds.", "fig.",
        "figs.", "vs.", "cf.", "ch.", "sec.", "art.", "inc.", "ltd.", "co.", "corp.",
        "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.",
        "oct.", "nov.", "dec.", "approx.", "dept.", "gov.", "rev.", "op.", "cit.",
    }
)  # fmt: skip
# An abbreviation is at most this long; looking back further is never needed.
_ABBREV_LOOKBACK = 12


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding whitespace from a range (no segment or span starts with a space)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_abbreviation(text: str, dot: int, end: int) -> bool:
    """True when the "." at ``dot`` closes an abbreviation, not a sentence."""
    word_match = _WORD_BEFORE_DOT_RE.search(text, max(0, dot - _ABBREV_LOOKBACK), dot + 1)
    if word_match is None:
        return False
    word = word_match.group()
    if word.lower() in ABBREVIATIONS or _INITIALS_RE.fullmatch(word):
        return True
    # "et al. have shown": a lower-case continuation means the sentence goes on.
    return _NEXT_LOWER_RE.match(text, end) is not None and "." in word[:-1]


def _sentence_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    cursor = start
    for m in _SENTENCE_END_RE.finditer(text, start, end):
        stop = m.end()
        if text[m.start()] == "." and m.end() - m.start() == 1:
            if _is_abbreviation(text, m.start(), stop):
                continue
        elif text[m.start()] == "." and _NEXT_LOWER_RE.match(text, stop):
            continue
        s, e = trim(text, cursor, stop)
        if s < e:
            ranges.append((s, e))
        cursor = stop
    s, e = trim(text, cursor, end)
    if s < e:
        ranges.append((s, e))
    return ranges


def _clauses(
    text: str, start: int, end: int, cuts: list[int], k: int, out: list[tuple[int, int]]
) -> int:
    """Append the clauses of sentence [start, end) given the paragraph's clause cut
    positions (``cuts[k:]`` are the ones not yet consumed); returns the new ``k``."""
    cursor = start
    n = len(cuts)
    while k < n and cuts[k] <= start:
        k += 1
    while k < n and cuts[k] < end:
        s, e = trim(text, cursor, cuts[k])
        if s < e:
            out.append((s, e))
        cursor = cuts[k]
        k += 1
    s, e = trim(text, cursor, end)
    if s < e:
        out.append((s, e))
    return k


def segment_ranges(text: str) -> dict[str, list[tuple[int, int]]]:
    """Paragraph, sentence and clause ranges, each list in document order.

    Clause delimiters are found once per paragraph (not once per sentence): the
    importer segments every article, so this is on its hot path.
    """
    paragraphs: list[tuple[int, int]] = []
    sentences: list[tuple[int, int]] = []
    clauses: list[tuple[int, int]] = []
    for para in _PARAGRAPH_RE.finditer(text):
        p_start, p_end = trim(text, para.start(), para.end())
        if p_start >= p_end:
            continue
        paragraphs.append((p_start, p_end))
        cuts = [m.end() for m in _CLAUSE_END_RE.finditer(text, p_start, p_end)]
        k = 0
        for s_start, s_end in _sentence_ranges(text, p_start, p_end):
            sentences.append((s_start, s_end))
            k = _clauses(text, s_start, s_end, cuts, k, clauses)
    return {"paragraph": paragraphs, "sentence": sentences, "clause": clauses}


def segment(text: str) -> list[Segment]:
    """All segments in document order: a paragraph precedes its sentences, and
    each sentence precedes its clauses.  Paragraphs are non-blank lines."""
    ranges = segment_ranges(text)
    out: list[Segment] = []
    sentences = iter(ranges["sentence"])
    clauses = iter(ranges["clause"])
    sentence = next(sentences, None)
    clause = next(clauses, None)
    for p_start, p_end in ranges["paragraph"]:
        out.append(Segment("paragraph", p_start, p_end))
        while sentence is not None and sentence[1] <= p_end:
            out.append(Segment("sentence", *sentence))
            while clause is not None and clause[1] <= sentence[1]:
                out.append(Segment("clause", *clause))
                clause = next(clauses, None)
            sentence = next(sentences, None)
    return out
