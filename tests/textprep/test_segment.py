from __future__ import annotations

from claimmap.textprep.segment import segment
from claimmap.textprep.types import Segment


def _texts(text: str, kind: str) -> list[str]:
    return [text[s.start : s.end] for s in segment(text) if s.kind == kind]


def test_chinese_sentences_and_clauses() -> None:
    text = "美日合作日益紧密。他说:“很重要！”然后呢？好;再见……\n\n第二段,含顿号、分号；结束。"
    assert _texts(text, "paragraph") == [
        "美日合作日益紧密。他说:“很重要！”然后呢？好;再见……",
        "第二段,含顿号、分号；结束。",
    ]
    assert _texts(text, "sentence") == [
        "美日合作日益紧密。",
        "他说:“很重要！”",
        "然后呢？",
        "好;再见……",
        "第二段,含顿号、分号；",
        "结束。",
    ]
    assert _texts(text, "clause")[:4] == ["美日合作日益紧密。", "他说:", "“很重要！”", "然后呢？"]
    assert "第二段," in _texts(text, "clause") and "含顿号、" in _texts(text, "clause")


def test_english_abbreviations_and_decimals() -> None:
    text = (
        "See e.g. the U.S. report by Dr. Smith et al. in Vol. 3, No. 2, pp. 12-15. "
        "It grew 3.5% in 2024! Did Mr. Jones agree? Yes, i.e. mostly: 2,600 units."
    )
    assert _texts(text, "sentence") == [
        "See e.g. the U.S. report by Dr. Smith et al. in Vol. 3, No. 2, pp. 12-15.",
        "It grew 3.5% in 2024!",
        "Did Mr. Jones agree?",
        "Yes, i.e. mostly: 2,600 units.",
    ]
    assert _texts(text, "clause")[-3:] == ["Yes,", "i.e. mostly:", "2,600 units."]


def test_astral_zwj_and_combining_characters() -> None:
    text = "Emoji 😊 here. 𠀀字很古老。家庭 👩\u200d👩\u200d👧 在此。Cafe\u0301 ok."
    sentences = _texts(text, "sentence")
    assert sentences == [
        "Emoji 😊 here.",
        "𠀀字很古老。",
        "家庭 👩\u200d👩\u200d👧 在此。",
        "Cafe\u0301 ok.",
    ]
    # Offsets are code points: the ZWJ sequence counts as its 5 code points.
    (zwj,) = [s for s in segment(text) if s.kind == "sentence" and "👩" in text[s.start : s.end]]
    assert zwj.end - zwj.start == len("家庭 👩\u200d👩\u200d👧 在此。") == 12


def test_ranges_trimmed_and_nested() -> None:
    text = "  开头有空格。  \n\n\t second line .  \n   \n"
    segs = segment(text)
    for s in segs:
        piece = text[s.start : s.end]
        assert piece == piece.strip() and piece
    paragraphs = [s for s in segs if s.kind == "paragraph"]
    for s in segs:
        assert any(p.start <= s.start and s.end <= p.end for p in paragraphs)
    assert segs[0] == Segment("paragraph", 2, 8)
