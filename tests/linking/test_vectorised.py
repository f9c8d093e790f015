"""The vectorised paths agree with the readable string/dict implementations."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimmap.linking.blocking import unique_sorted
from claimmap.linking.engine import LinkIndex
from claimmap.linking.keys import (
    NUM_BASE,
    TRIGRAM_BASE,
    WORD_BASE,
    feature_codes,
    features,
    span_key,
)
from claimmap.linking.scoring import CorpusStats, profile, score

ALPHABET = list("人工智能合作美日中国的了2024年0９abcxyzéÀ OpenAI,，。")
keys_strategy = st.lists(st.text(alphabet=ALPHABET, max_size=30), min_size=1, max_size=12)


def _decode(code: int, inverse: dict[int, str]) -> str:
    if code >= NUM_BASE:
        return "#" + inverse[code - NUM_BASE]
    if code >= WORD_BASE:
        return "@" + inverse[code - WORD_BASE]
    if code >= TRIGRAM_BASE:
        c = code - TRIGRAM_BASE
        return chr(c >> 32) + chr((c >> 16) & 0xFFFF) + chr(c & 0xFFFF)
    if code >= 1 << 21:
        return chr(code >> 21) + chr(code & ((1 << 21) - 1))
    return chr(code)


@settings(max_examples=200, deadline=None)
@given(keys_strategy)
def test_feature_codes_are_the_string_features(texts: list[str]) -> None:
    keys = [span_key(t) for t in texts] + ["abcdefghijklmnopqrst人工"]
    tokens: dict[str, int] = {}
    codes, rows = feature_codes(keys, tokens)
    inverse = {v: k for k, v in tokens.items()}
    got: list[set[str]] = [set() for _ in keys]
    for c, r in zip(codes.tolist(), rows.tolist(), strict=True):
        got[r].add(_decode(c, inverse))
    assert got == [set(features(k)) for k in keys]


def test_unique_sorted() -> None:
    values, counts = unique_sorted(np.array([5, 1, 5, 3, 1, 5], np.int64))
    assert values.tolist() == [1, 3, 5]
    assert counts.tolist() == [2, 1, 3]
    assert len(unique_sorted(np.zeros(0, np.int64))[0]) == 0


@settings(max_examples=50, deadline=None)
@given(keys_strategy)
def test_index_score_equals_profile_score(texts: list[str]) -> None:
    index = LinkIndex((i, i, t) for i, t in enumerate(texts))
    keys = [span_key(t) for t in texts]
    stats = CorpusStats.from_keys(keys)
    profiles = [profile(k, stats) for k in keys]
    for i in range(len(texts)):
        for j in range(len(texts)):
            if i != j:
                assert abs(index.score(i, j) - score(profiles[i], profiles[j])) < 1e-6


def test_cosine_join_finds_exactly_the_pairs_brute_force_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every cross-article pair at or above the cosine, with the same cosine, on
    several threads (small row tasks), on a corpus of few, common words."""
    import random

    from claimmap.linking import blocking
    from claimmap.linking.scoring import pair_dots

    rng = random.Random(5)
    words = ["人工智能", "合作", "美日", "中国", "2024年", "OpenAI", "监管", "竞争", "技术"]
    items = [
        (i, i % 7, "".join(rng.choice(words) for _ in range(rng.randint(2, 8)))) for i in range(400)
    ]
    index = LinkIndex(items)
    sp = index._profiles()
    articles = np.array([a for _, a, _ in items], dtype=np.int64)
    left, right = np.triu_indices(len(items), k=1)
    cross = articles[left] != articles[right]
    left, right = left[cross].astype(np.int64), right[cross].astype(np.int64)
    cos, shared = pair_dots(sp, sp.codes(), left, right)
    monkeypatch.setattr(blocking, "JOIN_ROWS", 37)
    monkeypatch.setattr(blocking.os, "cpu_count", lambda: 4)
    for small in (blocking.SMALL_JOIN_PAIRS, 0):  # all pairs in numpy, then the prefix join
        monkeypatch.setattr(blocking, "SMALL_JOIN_PAIRS", small)
        for min_cos in (0.1, 0.3, 0.6, 0.95):
            want = cos >= 100 * min_cos
            got = blocking.cosine_join(sp, articles, min_cos)
            assert np.array_equal(got[0], left[want])
            assert np.array_equal(got[1], right[want])
            assert np.allclose(got[2], cos[want])
            assert np.array_equal(got[3], shared[want])
