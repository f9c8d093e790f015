"""Highlight ranges: key-level matches mapped back onto the candidate's own text."""

from __future__ import annotations

from claimmap.linking.highlight import matched_ranges


def lit(candidate: str, ranges: list[tuple[int, int]]) -> list[str]:
    return [candidate[a:b] for a, b in ranges]


def test_traditional_candidate_with_pinyin_leak_against_simplified_query() -> None:
    query = "美日两国的人工智能合作，旨在遏制中国。"
    candidate = "因此美日兩國的人(rén)工智能合作旨在遏制中國技術。"
    ranges = matched_ranges(query, candidate)
    # Script differences match; the leaked reading (rén) and the unmatched head and
    # tail stay unlit; the leak splits the highlight where it sits.
    assert ranges == [(2, 8), (13, 24)]
    assert lit(candidate, ranges) == ["美日兩國的人", "工智能合作旨在遏制中國"]


def test_punctuation_between_matches_joins_the_highlight() -> None:
    query = "美国的出口管制影响了日本企业"
    candidate = "美國的出口管制，影響了日本企業！"
    assert lit(candidate, matched_ranges(query, candidate)) == ["美國的出口管制，影響了日本企業"]


def test_full_width_digits_and_latin_case() -> None:
    query = "Japan governs AI by soft law since 2019"
    candidate = "Like the US, JAPAN governs AI by “soft law” since ２０１９."
    assert lit(candidate, matched_ranges(query, candidate)) == [
        "JAPAN governs AI by “soft law” since ２０１９"
    ]


def test_lone_shared_characters_are_not_highlighted() -> None:
    assert matched_ranges("美日合作", "欧盟的监管框架与合") == []
    assert matched_ranges("abc", "xaybzc") == []


def test_empty_inputs() -> None:
    assert matched_ranges("", "美日") == []
    assert matched_ranges("美日", "，。") == []
    assert matched_ranges("美日", "美日", min_block=1) == [(0, 2)]
