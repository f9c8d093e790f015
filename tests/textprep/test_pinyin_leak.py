from __future__ import annotations

import re
from collections.abc import Callable

from claimmap.textprep.matchkey import PINYIN_LEAK_RE
from claimmap.textprep.pinyin_leak import repair_pinyin_leaks

ANY_PAREN_SYLLABLE_RE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)")


def test_seed_003_no_leak_survives(seed: Callable[[str], str]) -> None:
    raw = seed("003")
    assert len(PINYIN_LEAK_RE.findall(raw)) > 300
    cleaned, log = repair_pinyin_leaks(raw)
    assert PINYIN_LEAK_RE.findall(cleaned) == []
    # Including the odd ones after a non-Han character (l(fā), ^(qū)).
    assert ANY_PAREN_SYLLABLE_RE.findall(cleaned) == []
    assert "人工智能產業發展已經進入快車道" in cleaned
    assert "(GAN)" in cleaned and "(Large Model)" in cleaned
    assert sum(len(e.before) for e in log) == len(raw) - len(cleaned)
    assert all(e.step == "pinyin_leak" and e.action == "removed" for e in log)


def test_acronyms_and_glosses_kept() -> None:
    text = "產業(yè)發(fā)展,世界貿易組織(WTO)與人工智能(AI)。戰(zhàn)略。漢字(hànzì)是書寫系統。"
    cleaned, log = repair_pinyin_leaks(text)
    assert cleaned == "產業發展,世界貿易組織(WTO)與人工智能(AI)。戰略。漢字(hànzì)是書寫系統。"
    assert [e.before for e in log] == ["(yè)", "(fā)", "(zhàn)"]


def test_syllable_that_is_not_a_reading_is_kept() -> None:
    text = "產業(yè)發(fā)展戰(zhàn)略,天(mǎ)空。"
    cleaned, _ = repair_pinyin_leaks(text)
    assert "天(mǎ)空" in cleaned


def test_single_occurrence_untouched() -> None:
    text = "“中”字讀作中(zhōng),意為中間(WHO 也這樣寫)。"
    assert repair_pinyin_leaks(text) == (text, [])
