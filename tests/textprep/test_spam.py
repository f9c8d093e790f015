from __future__ import annotations

from collections.abc import Callable

from claimmap.textprep.spam import find_spam, link_farm_reason, remove_spam


def test_seed_001_spam_removed_body_kept(seed: Callable[[str], str]) -> None:
    raw = seed("001")
    raw_lines = raw.split("\n")
    cleaned, log = remove_spam(raw)
    # The spam of 001: the first line, the 猜你喜歡 block and the last line.
    spam_lines = [raw_lines[0], *raw_lines[330:344], raw_lines[344]]
    assert raw_lines[330] == "猜你喜歡"
    kept = set(cleaned.split("\n"))
    for line in spam_lines:
        if line.strip():
            assert line not in kept
    assert "精品" not in cleaned and "猜你喜歡" not in cleaned and "南風窗" not in cleaned
    for sentence in (
        "美日人工智能合作:現狀、局限與影響",
        "技術一直是塑造國際體系,影響國家間權力格局的重要因素",
        "以扶持兩國初創企業,擴大投資機會,促進創業創新。",
        "(責任編輯:孫燦)",
    ):
        assert sentence in cleaned
    assert cleaned.startswith("美日人工智能合作")
    assert cleaned.endswith("(責任編輯:孫燦)")
    assert [entry.line for entry in log] == [1, 330, 345]
    assert all(entry.action == "removed" and entry.before for entry in log)
    # Everything removed is in the log.
    assert len(raw) - len(cleaned) <= sum(len(e.before) + 1 for e in log)


def test_clean_seeds_untouched(seed: Callable[[str], str]) -> None:
    for prefix in ("000", "002", "003", "004"):
        text = seed(prefix)
        assert remove_spam(text) == (text, [])


ENGLISH_PAGE = """Home | News | World | Business | Tech | Sport | Contact
Skip to main content

AI cooperation between allies deepens

The two governments signed an agreement on research, e.g. on chips, in 2024. Analysts approve.
Critics, however, argue that the pact excludes developing countries, which weakens it.

cheap flights, best hotels, free movies online, casino bonus, buy followers, hot deals, top10 sites
Share on Facebook
Related articles
US and EU launch AI council
Japan invests in chips
Five things to know about GPAI

Back to top
Copyright © 2024 Example Media. All rights reserved.
"""


def test_synthetic_english_page() -> None:
    cleaned, log = remove_spam(ENGLISH_PAGE)
    assert cleaned.split("\n")[:3] == [
        "AI cooperation between allies deepens",
        "",
        cleaned.split("\n")[2],
    ]
    assert "The two governments signed an agreement" in cleaned
    assert "Critics, however, argue that the pact excludes developing countries" in cleaned
    for spam in (
        "Home | News",
        "Skip to main",
        "cheap flights",
        "Share on",
        "Related articles",
        "Japan invests",
        "Back to top",
        "Copyright",
    ):
        assert spam not in cleaned, spam
    reasons = " ".join(entry.detail for entry in log)
    assert "link-farm" in reasons and "related-articles" in reasons and "chrome" in reasons


def test_labelled_keyword_lists_and_prose_are_not_spam() -> None:
    for line in (
        "Key words: Artificial Intelligence; China, Japan and South Korea; Globalization; AI; a; b",
        "关键词:联盟韧性, 美欧关系, 人工智能, 技术合作, 全球治理, 数字主权",
        "隨著技術的快速迭代,人工智能的誤用、濫用和惡用已危及個體、群體、社會、生態以及價值規范等不同層面的安全。",
        "[3]高婷,李文強,陳娜.國內外人工智能產業政策演進及對山東省的啟示[J].產業創新研究,2023(19):45-48.",
    ):
        assert link_farm_reason(line) is None, line
    assert find_spam(["正文第一段。", "", "上一篇:另一篇文章", "下一篇:再一篇"]) != []
