"""Counts in messages agree with their nouns."""

from __future__ import annotations

import pytest

from claimmap.wording import count


@pytest.mark.parametrize(
    ("n", "noun", "said"),
    [
        (0, "match", "0 matches"),
        (1, "match", "1 match"),
        (2, "pair", "2 pairs"),
        (1, "note", "1 note"),
        (1200, "character", "1,200 characters"),
        (3, "box", "3 boxes"),
        (2, "analysis", "2 analyses"),
    ],
)
def test_count(n: int, noun: str, said: str) -> None:
    plural = "analyses" if noun == "analysis" else None
    assert count(n, noun, plural) == said
