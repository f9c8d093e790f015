import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from claimmap.linking import blocking
from claimmap.linking.engine import LinkIndex

CLAIMS = [
    "美日两国的人工智能合作带有明显的对华竞争色彩",
    "2020年9月美国启动人工智能国防伙伴关系计划",
    "日本短期内难以填补高技术人力资源的缺口",
    "欧盟更关注制定规则为人工智能设定护栏",
    "OpenAI修改了将其技术运用于军事领域的禁令",
]


def test_pairs_are_cross_article_and_ordered() -> None:
    items = [
        (1, 1, CLAIMS[0]),
        (2, 2, "美日兩國的人工智能合作帶有明顯的對華競爭色彩"),
        (3, 1, CLAIMS[0]),
    ]
    pairs = LinkIndex(items).pairs(50)
    assert {(p.a, p.b) for p in pairs} == {(1, 2), (2, 3)}
    assert all(p.a < p.b and p.score >= 50 for p in pairs)


def test_similar_ignores_threshold_and_own_article() -> None:
    items = [(i, i, c) for i, c in enumerate(CLAIMS)] + [(10, 0, CLAIMS[2])]
    index = LinkIndex(items)
    best = index.similar(2, top_k=3)
    assert best[0] == (10, 100.0)
    assert len(best) == 3
    assert 2 not in [s for s, _ in best]
    assert index.similar(10, top_k=5)[0][0] == 2
    scores = [s for _, s in best]
    assert scores == sorted(scores, reverse=True)


def test_add_then_similar_and_pairs() -> None:
    index = LinkIndex([(i, i, c) for i, c in enumerate(CLAIMS)])
    index.add((99, 42, "日本短期內難以填補高技術人力資源的缺口。"))
    assert index.similar(99, top_k=1)[0][0] == 2
    assert index.similar(text="日本难以填补人力资源缺口", article_id=7, top_k=1)[0][0] in (2, 99)
    assert (2, 99) in {(p.a, p.b) for p in index.pairs(60)}


def _mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(0, 3)):
        i = rng.randrange(len(chars))
        chars[i] = rng.choice("的了在和与对是")
    return "".join(chars)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(0, 10_000),
    st.integers(5, 40),
    st.sampled_from([25.0, 40.0, 50.0, 60.0, 75.0]),
    st.booleans(),
)
def test_blocking_recall_equals_brute_force_on_small_corpora(
    seed: int, n: int, threshold: float, compiled: bool
) -> None:
    """``pairs`` finds what scoring every pair finds, on both join paths."""
    rng = random.Random(seed)
    pool = CLAIMS + [c[::-1] for c in CLAIMS]
    items = [(i, rng.randrange(4), _mutate(rng, rng.choice(pool))) for i in range(n)]
    index = LinkIndex(items)
    small = blocking.SMALL_JOIN_PAIRS
    blocking.SMALL_JOIN_PAIRS = 0 if compiled else small
    try:
        found = {(p.a, p.b) for p in index.pairs(threshold)}
    finally:
        blocking.SMALL_JOIN_PAIRS = small
    brute = {
        (a, b)
        for (a, art_a, _), (b, art_b, _) in itertools.combinations(items, 2)
        if art_a != art_b and index.score(a, b) >= threshold
    }
    assert found == brute


def test_contains() -> None:
    index = LinkIndex([(i, i, c) for i, c in enumerate(CLAIMS)])
    assert 2 in index
    assert 99 not in index
    index.add((99, 42, CLAIMS[0]))
    assert 99 in index
