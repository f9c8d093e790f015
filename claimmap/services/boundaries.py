"""Warnings about where a new span begins and ends: stored anyway, said aloud.

An analyst extending a selection word by word can run past a paragraph break or
stop inside an English word without noticing, and a quote typed again with one
letter less makes a second span beside the first.  None of these is wrong for
certain, so the span is stored and the front end shows the warning.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from sqlite_utils import Database

# How far (in code points, both ends together) a span may sit from an existing one
# and still count as the same passage typed again.
NEAR_DUPLICATE_SLACK = 3


def _wordish(ch: str) -> bool:
    """A letter or digit of a script that separates words with spaces."""
    return ch.isalnum() and unicodedata.east_asian_width(ch) not in ("W", "F")


def boundary_warnings(
    text: str, start: int, end: int, others: Iterable[tuple[int, int, int]]
) -> list[str]:
    """Warnings for a span [start, end) of ``text``; ``others`` are (id, start, end)
    of the article's other placed spans."""
    warnings: list[str] = []
    if "\n" in text[start:end]:
        warnings.append("the span runs across a paragraph break")
    if 0 < start < len(text) and _wordish(text[start - 1]) and _wordish(text[start]):
        warnings.append(f"the span starts inside the word {_word_at(text, start)!r}")
    if 0 < end < len(text) and _wordish(text[end - 1]) and _wordish(text[end]):
        warnings.append(f"the span ends inside the word {_word_at(text, end)!r}")
    for span_id, s, e in others:
        if (s, e) != (start, end) and abs(s - start) + abs(e - end) <= NEAR_DUPLICATE_SLACK:
            warnings.append(
                f"nearly the same passage as span {span_id} ({s}-{e}); "
                f"delete one if they are meant to be the same"
            )
    return warnings


def _word_at(text: str, i: int) -> str:
    lo, hi = i, i
    while lo > 0 and _wordish(text[lo - 1]):
        lo -= 1
    while hi < len(text) and _wordish(text[hi]):
        hi += 1
    return text[lo:hi]


def nearby_spans(db: Database, article_id: int, start: int, end: int) -> list[tuple[int, int, int]]:
    """(id, start, end) of placed spans close enough to matter for ``boundary_warnings``."""
    slack = NEAR_DUPLICATE_SLACK
    return [
        (int(i), int(s), int(e))
        for i, s, e in db.execute(
            'SELECT id, start, "end" FROM spans WHERE article_id = ? AND orphaned = 0 '
            "AND start BETWEEN ? AND ?",
            [article_id, start - slack, start + slack],
        )
    ]
