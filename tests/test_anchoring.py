"""Placing quotes: exact, normalized (script, pinyin, punctuation, width), fuzzy."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimmap.anchoring import AnchorError, anchor_quote, reanchor

TEXT = "人工智能產業發展已經進入快車道。美日两国，在“共同价值观”下合作😊𠀀。"


def test_exact_and_normalized() -> None:
    a = anchor_quote(TEXT, "已經進入快車道")
    assert (a.method, TEXT[a.start : a.end]) == ("exact", "已經進入快車道")
    # Simplified script, pinyin leak and half-width punctuation in the quote.
    b = anchor_quote(TEXT, "产业(yè)发展已经进入快车道")
    assert b.method == "normalized"
    assert TEXT[b.start : b.end] == "產業發展已經進入快車道"
    c = anchor_quote(TEXT, '美日两国,在"共同价值观"下合作')
    assert TEXT[c.start : c.end] == "美日两国，在“共同价值观”下合作"


def test_fuzzy_and_refusals() -> None:
    long_text = (
        "前言。" + "美国国防部联合日本澳大利亚等十二个国家启动人工智能国防伙伴关系计划。" + "结尾。"
    )
    f = anchor_quote(long_text, "美国国防部联合日本澳大利亚等12个国家启动人工智能国防伙伴关系计划")
    assert f.method == "fuzzy"
    assert "国防伙伴关系" in long_text[f.start : f.end]
    with pytest.raises(AnchorError, match="not found"):
        anchor_quote(long_text, "完全不相干的一句话放在这里看看会怎么样")
    with pytest.raises(AnchorError, match="occurs 2 times"):
        anchor_quote("甲乙。甲乙。", "甲乙")
    assert anchor_quote("甲乙。甲乙。", "甲乙", occurrence=2).start == 3


def test_reanchor_moves_with_inserted_text_and_orphans_when_gone() -> None:
    quote = "在“共同价值观”下合作"
    start = TEXT.index(quote)
    moved = "新增的一段話。\n" + TEXT
    a = reanchor(
        moved,
        quote=quote,
        prefix=TEXT[start - 8 : start],
        suffix="😊𠀀。",
        old_start=start,
        same_text=False,
    )
    assert a is not None and moved[a.start : a.end] == quote and a.method == "moved"
    gone = reanchor(
        "完全不同的文本，没有任何相似之处，只是另一篇文章的开头部分而已。",
        quote=quote,
        prefix="",
        suffix="",
        old_start=start,
        same_text=False,
    )
    assert gone is None


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80)
ANY = st.one_of(CJK, st.sampled_from(list("，。“”😊𠀀é a\n")), st.characters(codec="utf-8"))


@settings(max_examples=200, deadline=None)
@given(text=st.text(ANY, min_size=1, max_size=80), data=st.data())
def test_anchored_text_equals_slice(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    try:
        a = anchor_quote(text, quote, occurrence=None)
    except AnchorError:
        return  # ambiguous or unmatchable: refused, never misplaced
    if a.method == "exact":
        assert text[a.start : a.end] == quote
    assert 0 <= a.start < a.end <= len(text)
