"""The spam rules prove themselves on academic text: nothing of a paper is removed.

Author lists, reference lists, keyword lines, tables of contents and tables are
content.  Each fixture is a realistic paper; ``remove_spam`` must leave it whole,
while seed 001's spam (tests/textprep/test_spam.py) is still removed.
"""

from __future__ import annotations

import pytest

from claimmap.textprep.pipeline import clean
from claimmap.textprep.spam import find_spam, remove_spam

SURNAMES = [
    "Abbott",
    "Brown",
    "Clark",
    "Davis",
    "Evans",
    "Fischer",
    "Garcia",
    "Huang",
    "Ito",
    "Jensen",
    "Kim",
    "Lopez",
    "Müller",
    "Nakamura",
    "O'Brien",
    "Park",
    "Quinn",
]
GIVEN = [
    "Alice",
    "Ben",
    "Carla",
    "Dmitri",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jonas",
    "Kenji",
    "Lena",
    "Marta",
    "Noor",
    "Oscar",
    "Priya",
    "Rafael",
]

# The line the issue reports: a reference's author list, wrapped onto its own line
# by the PDF conversion ("Surname, Given, Surname, Given, ...", 17 names).
WRAPPED_REFERENCE_AUTHORS = ", ".join(f"{s}, {g}" for s, g in zip(SURNAMES, GIVEN, strict=True))
AUTHOR_LINE_17 = ", ".join(f"{g} {s}" for g, s in zip(GIVEN, SURNAMES, strict=True))
AUTHOR_LINE_MARKED = ", ".join(
    f"{g} {s}{i % 3 + 1}" + ("*" if i == 0 else "")
    for i, (g, s) in enumerate(zip(GIVEN[:8], SURNAMES[:8], strict=True))
)
VANCOUVER_AUTHORS = ", ".join(
    f"{s} {g[0]}{chr(65 + i)}" for i, (s, g) in enumerate(zip(SURNAMES, GIVEN, strict=True))
)


def _english_references() -> list[str]:
    refs: list[str] = []
    journals = ["International Organization", "Global Policy", "AI & Society", "Science"]
    for k in range(30):
        s1, s2, s3 = SURNAMES[k % 17], SURNAMES[(k + 3) % 17], SURNAMES[(k + 7) % 17]
        g1, g2, g3 = GIVEN[k % 17], GIVEN[(k + 3) % 17], GIVEN[(k + 7) % 17]
        year = 2000 + k % 24
        journal = journals[k % 4]
        style = k % 5
        if style == 0:
            refs.append(
                f"{s1}, {g1[0]}., {s2}, {g2[0]}., & {s3}, {g3[0]}. ({year}). "
                f"Governing artificial intelligence across borders. {journal}, {k + 3}({k % 4 + 1}), {k * 10 + 1}-{k * 10 + 19}."
            )
        elif style == 1:
            refs.append(
                f"[{k + 1}] {s1} {g1[0]}, {s2} {g2[0]}, {s3} {g3[0]}. AI alliances. {journal}. {year};{k}:{k + 1}-{k + 9}."
            )
        elif style == 2:
            # A wrapped entry: the author part alone on a line, as PDF conversions leave it.
            refs.append(
                f"{s1}, {g1}, {s2}, {g2}, {s3}, {g3}, {SURNAMES[(k + 9) % 17]}, {GIVEN[(k + 9) % 17]},"
            )
            refs.append(
                f"and {SURNAMES[(k + 11) % 17]}, {GIVEN[(k + 11) % 17]}. {year}. Chips and power. {journal} {k}: {k + 2}-{k + 30}."
            )
        elif style == 3:
            refs.append(
                f"{s1} {g1}, {s2} {g2}, {s3} {g3}, {SURNAMES[(k + 5) % 17]} {GIVEN[(k + 5) % 17]}, {SURNAMES[(k + 8) % 17]} {GIVEN[(k + 8) % 17]}, {SURNAMES[(k + 10) % 17]} {GIVEN[(k + 10) % 17]}"
            )
        else:
            refs.append(f"{s1}, {g1}. {year}. The geopolitics of compute. Cambridge: Polity.")
    return refs


ENGLISH_REFERENCES = _english_references()

ENGLISH_PAPER = "\n".join(
    [
        "Allied AI Cooperation and Its Limits",
        "",
        AUTHOR_LINE_17,
        "",
        AUTHOR_LINE_MARKED,
        "1 University of Tokyo, 2 Stanford University, 3 KU Leuven",
        "",
        "Abstract: We study how allies coordinate research on artificial intelligence.",
        "Keywords: artificial intelligence, alliances, export controls, semiconductors, Japan, United States",
        "Index Terms—AI governance, compute, chips, standards, alliances, trust",
        "JEL classification: F13, F52, O33, O38, L63, H56",
        "",
        "Contents",
        "1 Introduction 1",
        "2 Related work 3",
        "3 Data and method 5",
        "4 Results 9",
        "5 Discussion 14",
        "References 18",
        "Appendix A. Interview protocol .................... 21",
        "Appendix B. Coding scheme ......................... 24",
        "List of tables: Table 1 | Table 2 | Table 3 | Table 4 | Table 5 | Table 6",
        "",
        "1 Introduction",
        "",
        "Technology has long shaped the distribution of power among states. Allies now coordinate research, investment and standards.",
        "",
        "Table 1. Joint projects by year",
        "Country | 2019 | 2020 | 2021 | 2022 | 2023",
        "Japan | 12 | 15 | 19 | 24 | 31",
        "United States | 40 | 44 | 51 | 57 | 66",
        "Korea | 5 | 7 | 8 | 11 | 13",
        "Region\tUniversities\tFirms\tLabs\tAgencies\tTotal",
        "Kanto\t14\t22\t\t3\t39",
        "Kansai\t9\t12\t2\t\t23",
        "",
        "Partner | Field | Funding | Start | Status | Lead",
        "Japan | Chips | Public | Early | Active | METI",
        "Korea | Robots | Mixed | Late | Paused | MSIT",
        "",
        "The results show that cooperation deepens when firms take part.",
        "",
        "Keywords",
        "alliances, compute, chips, trust, standards, export controls",
        "",
        "References",
        *ENGLISH_REFERENCES,
        "",
        "Further reading",
        WRAPPED_REFERENCE_AUTHORS,
        VANCOUVER_AUTHORS,
    ]
)

CHINESE_NAMES = [
    "王奕博",
    "蒋旭栋",
    "李相毅",
    "杜洞光",
    "孙晓涛",
    "陈娜",
    "高婷",
    "欧阳明",
    "張偉",
    "劉洋",
]

CHINESE_PAPER = "\n".join(
    [
        "美日人工智能合作:现状、局限与影响",
        "",
        "、".join(CHINESE_NAMES),
        " ".join(CHINESE_NAMES[:6]),
        ",".join(f"{name}{i % 2 + 1}" for i, name in enumerate(CHINESE_NAMES[:7])),
        "作者:" + ",".join(CHINESE_NAMES),
        "(1.南开大学 周恩来政府管理学院,天津 300350;2.上海日本研究交流中心,上海 200000)",
        "",
        "摘要:数字技术的发展让人工智能等技术成为大国竞争的新疆域。美日两国自二战后即开展技术合作。",
        "关键词:人工智能;美日同盟;技术合作;全球治理;对华竞争;数字经济",
        "關鍵詞:人工智能、美日同盟、技術合作、全球治理、對華競爭、數字經濟",
        "主题词 人工智能 美日同盟 技术合作 全球治理 对华竞争 数字经济",
        "中图分类号:D831.3;D871.2;TP18;F113;F49;G30",
        "",
        "目录",
        "一、引言 …… 1",
        "二、美日两国政府在人工智能合作中的作用 …… 3",
        "三、私营部门的参与 …… 7",
        "四、合作的局限 …… 11",
        "五、结论 …… 15",
        "一、引言  二、政府的作用  三、私营部门  四、局限  五、影响  六、结论",
        "",
        "一、引言",
        "",
        "作为全球科技和经济的重要参与者,美日两国从政府层面高度重视人工智能技术。",
        "",
        "表1 美日人工智能合作项目数量",
        "国家 | 2019年 | 2020年 | 2021年 | 2022年 | 2023年",
        "美国 | 12 | 15 | 19 | 24 | 31",
        "日本 | 8 | 9 | 13 | 16 | 20",
        "领域\t高校\t企业\t实验室\t政府\t合计",
        "芯片\t3\t5\t1\t2\t11",
        "",
        "关键词",
        "人工智能,美日同盟,技术合作,全球治理,对华竞争,数字经济",
        "",
        "参考文献",
        "[1]王奕博,蒋旭栋.美日人工智能合作的现状与影响[J].国际展望,2023(2):1-10.",
        "[2]高婷,李文强,陈娜.国内外人工智能产业政策演进[J].产业创新研究,2023(19):45-48.",
        "孙晓涛,杜洞光,李相毅,陈娜,高婷,王奕博,蒋旭栋",
        "习近平.论科技自立自强[M].北京:中央文献出版社,2023.",
        "Allison G. Destined for War[M]. Boston: Houghton Mifflin Harcourt, 2017.",
        "",
        "延伸阅读",
        "王奕博.美日同盟与技术竞争[M].北京:社会科学文献出版社,2022.",
        "蒋旭栋.日本人工智能战略研究[M].上海:上海人民出版社,2021.",
        "李相毅.中日韩科技合作[M].天津:南开大学出版社,2020.",
    ]
)


@pytest.mark.parametrize(("name", "text"), [("english", ENGLISH_PAPER), ("chinese", CHINESE_PAPER)])
def test_academic_paper_loses_no_line(name: str, text: str) -> None:
    lines = text.split("\n")
    hits = find_spam(lines)
    removed = [lines[k] for hit in hits for k in range(hit.first, hit.last + 1)]
    assert removed == [], (name, [hit.reason for hit in hits])
    assert remove_spam(text) == (text, [])
    assert [entry for entry in clean(text).log if entry.step == "spam"] == []


def test_fixtures_hold_what_the_issue_names() -> None:
    assert len(ENGLISH_REFERENCES) >= 30
    assert len(AUTHOR_LINE_17.split(", ")) == 17
    assert len(WRAPPED_REFERENCE_AUTHORS.split(", ")) == 34
    for needle in ("Keywords:", "Contents", "References", "Table 1."):
        assert needle in ENGLISH_PAPER
    for needle in ("摘要:", "关键词:", "作者:", "参考文献", "目录", "表1"):
        assert needle in CHINESE_PAPER


def test_spam_among_academic_text_still_goes() -> None:
    """The exemptions are narrow: link farms next to a paper's lists are still removed."""
    farm = "999精品在线视频,手机成人午夜在线视频,久久不卡国产精品无码,中日无码在线观看,成人av手机在线观看,四虎国产在线观看"
    english_farm = (
        "cheap flights, best hotels, free movies online, casino bonus, buy followers, hot deals"
    )
    for paper in (ENGLISH_PAPER, CHINESE_PAPER):
        text = f"{farm}\n{paper}\n{english_farm}\n"
        cleaned, log = remove_spam(text)
        assert [entry.before.strip() for entry in log] == [farm, english_farm]
        assert cleaned.strip() == paper.strip()
