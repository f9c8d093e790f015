"""A read document goes through the importer's cleaning: nothing of a paper is removed.

Readers give tables as tab-separated rows and keep bylines, keyword lines and
reference lists; the cleaning pipeline that runs after them must leave all of it.
"""

from __future__ import annotations

from claimmap.documents.docx import read_docx
from claimmap.textprep.pipeline import clean
from tests.documents.builders import Block, Heading, Table, make_docx
from tests.textprep.test_spam_academic import (
    AUTHOR_LINE_17,
    CHINESE_NAMES,
    ENGLISH_REFERENCES,
    WRAPPED_REFERENCE_AUTHORS,
)


def test_a_word_paper_loses_nothing_to_cleaning() -> None:
    blocks: list[Block] = [
        Heading("Allied AI Cooperation and Its Limits", 0),
        AUTHOR_LINE_17,
        "、".join(CHINESE_NAMES),
        "Keywords: artificial intelligence, alliances, export controls, chips, Japan, trust",
        "关键词:人工智能;美日同盟;技术合作;全球治理;对华竞争;数字经济",
        Heading("1 Introduction", 1),
        "Technology has long shaped the distribution of power among states.",
        Table(
            [
                ["Country", "2019", "2020", "2021", "2022", "2023", "2024"],
                ["Japan", "12", "15", "19", "24", "31", "35"],
                ["Partner", "Chips", "Robots", "Cloud", "Data", "Talent", "Standards"],
            ]
        ),
        Heading("References", 1),
        *ENGLISH_REFERENCES,
        WRAPPED_REFERENCE_AUTHORS,
    ]
    document = read_docx(make_docx(blocks), "paper.docx")
    result = clean(document.body)
    assert [entry for entry in result.log if entry.step == "spam"] == []
    assert result.text == document.body
    assert "Partner\tChips\tRobots\tCloud\tData\tTalent\tStandards" in result.text
