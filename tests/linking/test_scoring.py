from claimmap.linking.keys import span_key
from claimmap.linking.scoring import CorpusStats, profile, score, score_keys

SIMP = "2024年3月，联合国大会通过了由美日等国提出的人工智能治理决议，旨在推动国际社会接纳安全可靠的人工智能。"
TRAD = "2024年3月，聯合國大會通過了由美日等國提出的人工智能治理決議，旨在推動國際社會接納安全可靠的人工智能。"
SAME_NUMBERS_OTHER_CLAIM = "2024年3月，日本宣布对生产高性能芯片的制造设备实行出口限制。"
OTHER = "其一，日本短期内难以填补高技术人力资源的缺口。"


def _stats() -> CorpusStats:
    return CorpusStats.from_keys(span_key(t) for t in (SIMP, TRAD, SAME_NUMBERS_OTHER_CLAIM, OTHER))


def test_same_claim_in_both_scripts_scores_full() -> None:
    stats = _stats()
    assert score(profile(span_key(SIMP), stats), profile(span_key(TRAD), stats)) == 100.0


def test_shared_numbers_do_not_make_a_different_claim_similar() -> None:
    stats = _stats()
    same = score(profile(span_key(SIMP), stats), profile(span_key(TRAD[:-6] + "。"), stats))
    other = score(
        profile(span_key(SIMP), stats), profile(span_key(SAME_NUMBERS_OTHER_CLAIM), stats)
    )
    assert same > 80
    assert other < 40


def test_number_conflict_lowers_the_score() -> None:
    a = span_key("2021年4月，两国宣布成立竞争力与韧性伙伴关系")
    b = span_key("2021年4月，两国宣布成立竞争力与韧性伙伴关系。")
    c = span_key("2023年9月，两国宣布成立竞争力与韧性伙伴关系")
    assert score_keys(a, b) > score_keys(a, c)


def test_latin_pairs() -> None:
    stats = CorpusStats.from_keys(
        span_key(t)
        for t in (
            "OpenAI dropped its ban on military use of its models.",
            "OpenAI dropped the ban on military uses of its models",
            "The EU prefers binding rules for AI safety.",
        )
    )
    a = profile(span_key("OpenAI dropped its ban on military use of its models."), stats)
    b = profile(span_key("OpenAI dropped the ban on military uses of its models"), stats)
    c = profile(span_key("The EU prefers binding rules for AI safety."), stats)
    assert score(a, b) > 80
    assert score(a, c) < 40


def test_sharing_only_common_words_is_capped_by_the_cosine() -> None:
    """Short spans sharing one common term have a high ratio but little rare
    evidence: the score stays at COSINE_CAP times their cosine."""
    from rapidfuzz import fuzz

    from claimmap.linking.scoring import COSINE_CAP, RATIO_WEIGHT, cosine

    corpus = [
        f"{topic}人工智能{tail}" for topic in "美日中英法德" for tail in ("治理", "合作", "竞争")
    ]
    stats = CorpusStats.from_keys(span_key(t) for t in [*corpus, "人工智能产业", "人工智能边界"])
    a = profile(span_key("人工智能产业"), stats)
    b = profile(span_key("人工智能边界"), stats)
    assert RATIO_WEIGHT * fuzz.ratio(a.key, b.key) > 40  # the ratio alone would link them
    assert score(a, b) == COSINE_CAP * cosine(a, b) < 40
