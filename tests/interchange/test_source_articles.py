"""Carrying another tool's offsets onto claimmap's canonical text of its source."""

from __future__ import annotations

from claimmap.services.interchange.source_articles import carry
from claimmap.textprep.normalize import normalize_text

SOURCE = "\ufeffTitle 😊\r\n\r\nCafe\u0301 𠀀 line\rnext line\r\nend\r\n"


def _splits_a_unit(text: str, offset: int) -> bool:
    """Would cutting here split a CRLF pair or a letter from its combining accent?"""
    return 0 < offset < len(text) and (
        text[offset - 1 : offset + 1] == "\r\n" or text[offset] == "\u0301"
    )


def test_every_range_keeps_its_words_through_line_endings_bom_and_nfc() -> None:
    text = normalize_text(SOURCE)
    ranges = [
        (start, end)
        for start in range(1, len(SOURCE))
        for end in range(start + 1, len(SOURCE) + 1)
        if not _splits_a_unit(SOURCE, start)
        and not _splits_a_unit(SOURCE, end)
        and normalize_text(SOURCE[start:end]).strip()
    ]
    carried = carry(SOURCE, text, ranges)
    assert carried is not None
    for (start, end), (new_start, new_end) in zip(ranges, carried, strict=True):
        assert text[new_start:new_end] == normalize_text(SOURCE[start:end])


def test_a_range_whose_words_cleaning_changed_is_not_carried() -> None:
    assert carry("a\r\nb spam\r\nc", "a\nc", [(3, 9)]) is None
