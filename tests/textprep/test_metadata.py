from __future__ import annotations

from collections.abc import Callable

import pytest

from claimmap.textprep.metadata import extract_metadata
from claimmap.textprep.pipeline import clean
from claimmap.textprep.types import Metadata


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        # 000, 003 and 004 do not state a title: 000 opens with its byline and body,
        # 003 with its abstract, 004 with an introductory paragraph.
        ("000", Metadata(None, "王奕博", None, None, "simplified")),
        (
            "001",
            Metadata(
                "美日人工智能合作:現狀、局限與影響",
                "高宏宇徐萬勝",
                "世界經濟與政治論壇",
                "2025-08-12",
                "traditional",
            ),
        ),
        (
            "002",
            Metadata(
                "联盟韧性视域下美国—欧盟人工智能合作发展及其限度",
                "杜洞光 李相毅",
                None,
                None,
                "simplified",
            ),
        ),
        ("003", Metadata(None, "孫曉濤", None, None, "traditional")),
        ("004", Metadata(None, None, None, None, "simplified")),
    ],
)
def test_seed_metadata(seed: Callable[[str], str], prefix: str, expected: Metadata) -> None:
    raw = seed(prefix)
    assert extract_metadata(raw) == expected
    # Cleaning does not change what the header states.
    assert extract_metadata(clean(raw).text) == expected


def test_english_header() -> None:
    text = (
        "Spam, spam, spam, eggs, ham, toast, beans, more spam\n"
        "A Title About AI\nAuthor: Jane Roe\n2024-05-01\n\nBody text that is long enough."
    )
    meta = extract_metadata(text)
    assert meta.title == "A Title About AI"
    assert meta.authors == "Jane Roe"
    assert meta.date == "2024-05-01"
    assert meta.script == "latin"


@pytest.mark.parametrize(
    ("header", "authors", "date"),
    [
        ("By Laura Mendes\nPublished 14 March 2025", "Laura Mendes", "2025-03-14"),
        ("By Ana Li and Tom O'Neil\nUpdated: March 4, 2024", "Ana Li and Tom O'Neil", "2024-03-04"),
        ("BY ANA LI\n13 Sept 2024", "ANA LI", "2024-09-13"),
        (
            "By Jan van der Berg, Mia Chen & Ravi Rao\nPosted on Jan 2, 2023",
            "Jan van der Berg, Mia Chen & Ravi Rao",
            "2023-01-02",
        ),
    ],
)
def test_english_bylines_and_dates(header: str, authors: str, date: str) -> None:
    text = f"Allies and the AI pact\n{header}\n\nThe allies signed a pact on AI chips and data."
    meta = extract_metadata(text)
    assert (meta.title, meta.authors, meta.date) == ("Allies and the AI pact", authors, date)


def test_a_sentence_starting_with_by_is_not_a_byline() -> None:
    meta = extract_metadata("By the way\n\nsomething else entirely happened in March 2025.")
    assert meta.authors is None
    assert meta.title == "By the way"
