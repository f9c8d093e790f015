from hypothesis import given, settings
from hypothesis import strategies as st

from claimmap.linking.keys import AliasTable, fast_match_key, features, span_key
from claimmap.textprep.matchkey import match_key


def test_script_width_punctuation_and_pinyin_fold_to_one_key() -> None:
    simp = "2024年3月，联合国通过了人工智能决议。"
    trad = "２０２４年３月, 聯合國通過了人工智能決議"
    leak = "2024年3月聯合國通過(guò)了人工智能決(jué)議"
    assert span_key(simp) == span_key(trad) == span_key(leak) == "2024年3月联合国通过了人工智能决议"


def test_latin_text_is_lowercased_and_unspaced() -> None:
    assert span_key("OpenAI  changed its Policy!") == "openaichangeditspolicy"


def test_aliases_are_transitive_and_applied_on_keys() -> None:
    aliases = AliasTable([("布萊切特", "布莱奇利"), ("Bletchley", "布莱奇利")])
    expected = span_key("布莱奇利峰会")
    assert span_key("布萊切特峰會", aliases) == expected
    assert span_key("Bletchley 峰会", aliases) == expected
    assert span_key("其他峰会", aliases) == span_key("其他峰会")


def test_features_keep_numbers_and_short_latin_runs_whole() -> None:
    feats = features(span_key("2024年OpenAI宣布"))
    assert "#2024" in feats
    assert "@openai" in feats
    assert "宣布" in feats


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("產業(yè)发展發(fā)，。 ,.^①{*}12ＡbC😊𠀀é\u0301")),
        max_size=40,
    )
)
def test_fast_match_key_equals_match_key(text: str) -> None:
    assert fast_match_key(text) == match_key(text)
