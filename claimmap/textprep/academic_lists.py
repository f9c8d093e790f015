"""Lists that academic text is made of: author names, table rows.

An author line ("Alice Abbott, Ben Brown, ...", "王奕博、蒋旭栋、...") or a
reference's author list wrapped onto its own line has exactly the shape of a
keyword link farm: many short separator-delimited items, no sentence
punctuation.  What tells them apart is the items themselves: personal names
(capitalised words and initials; two to four Han characters starting with a
surname), or numbers in a table.  The spam filter asks these questions before it
removes a list line, because a wrongly removed author list is lost content.
"""

from __future__ import annotations

import re

# The most common Chinese surnames (together they cover the great majority of
# people), in simplified and traditional forms.  A two-to-four character item
# starting with one of them reads as a name; keyword items ("人工智能",
# "技术合作") and link-farm items rarely do.
_SINGLE_SURNAMES = frozenset(
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許"
    "韩韓冯馮邓鄧曹彭曾萧蕭肖田董袁潘于於蒋蔣蔡余餘杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜"
    "崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付傅方白邹鄒孟熊秦邱江尹薛闫閻段雷侯龙龍史陶"
    "黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯常温溫康施文牛樊葛邢安齐齊易"
    "乔喬伍庞龐颜顏倪庄莊聂聶章鲁魯岳翟殷詹申欧歐耿关關兰蘭焦俞左柳甘祝包宁寧尚符"
    "舒阮柯纪紀梅童凌毕畢单單季裴霍涂成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙鲍鮑华華喻"
    "祁蒲房滕屈饶饒解牟艾尤阳陽时時穆农農司卓古吉缪繆简簡车車项項连連芦蘆麦麥褚娄婁"
    "窦竇戚岑景党黨宫宮费費卜冷晏席卫衛米柏宗瞿桂全佟应應臧闵閔苟邬鄔边邊卞姬师師和"
    "仇栾欒隋商刁沙荣榮巫寇桑郎甄丛叢仲虞敖巩鞏明佘池查麻苑迟遲邝鄺官封谈談匡鞠惠荆荊"
    "乐樂冀郁胥南班储儲原栗燕楚鄢劳勞谌諶奚皮粟冼蔺藺楼樓盘盤满滿闻聞位厉厲伊仝区區"
)
_COMPOUND_SURNAMES = (
    "欧阳",
    "歐陽",
    "司马",
    "司馬",
    "诸葛",
    "諸葛",
    "上官",
    "皇甫",
    "司徒",
    "东方",
    "東方",
    "慕容",
    "令狐",
    "夏侯",
    "公孙",
    "公孫",
    "长孙",
    "長孫",
    "尉迟",
    "尉遲",
)
_HAN_NAME_RE = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
# Transliterated foreign names: 埃里克·施密特.
_HAN_FOREIGN_NAME_RE = re.compile(r"^[\u4e00-\u9fff]{1,8}[·・•][\u4e00-\u9fff]{1,10}$")
# Affiliation and corresponding-author marks after a name: "Abbott1*", "王奕博1,2".
_NAME_MARKS_RE = re.compile(r"[\d*†‡§¶#⁰¹²³⁴⁵⁶⁷⁸⁹]+$")
_MARK_ONLY_RE = re.compile(r"^[\d*†‡§¶#⁰¹²³⁴⁵⁶⁷⁸⁹a-e]{1,3}$")
_LEADING_AND_RE = re.compile(r"^(?:and|&|与|和|及)\s*", re.IGNORECASE)
# One word of a Latin-script name: a capitalised word (Müller, O'Brien,
# Jean-Luc), initials (J., JK, J.-P.), or a lower-case particle.
_NAME_WORD_RE = re.compile(
    r"^(?:[A-ZÀ-ÖØ-ÞĀ-Ž](?:[^\W\d_]|['’-])*\.?"
    r"|[A-Z](?:\.?-?[A-Z])*\.?"
    r"|van|von|der|den|de|da|di|del|della|du|la|le|bin|ibn|al|el|y|dos|das)$"
)
_CAPITALISED_WORD_RE = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-Ž](?:[^\W\d_]|['’-])+")
_NUMBER_CELL_RE = re.compile(r"^[+\-−–]?[\d][\d.,\s]*(?:%|‰|年|月|日|[kKmMbB]n?)?$")

NAME_SEPARATORS = frozenset({",", "，", "、", ";", "；"})
NAME_LIST_MIN_SHARE = 0.9
NUMERIC_ROW_MIN_SHARE = 0.5


def _is_han_name(item: str) -> bool:
    if _HAN_FOREIGN_NAME_RE.match(item):
        return True
    if not _HAN_NAME_RE.match(item):
        return False
    if item[:2] in _COMPOUND_SURNAMES:
        return True
    return item[0] in _SINGLE_SURNAMES


def _is_latin_name(item: str) -> bool:
    words = item.split()
    if not 1 <= len(words) <= 5:
        return False
    if not all(_NAME_WORD_RE.match(word) for word in words):
        return False
    # At least one real word: "J. K." alone is an initials fragment, still a name part.
    return any(_CAPITALISED_WORD_RE.match(word) for word in words) or len(words) <= 2


def is_name(item: str) -> bool:
    """Whether ``item`` (one list item, stripped) reads as a personal name."""
    item = _NAME_MARKS_RE.sub("", _LEADING_AND_RE.sub("", item.strip())).strip()
    if not item:
        return False
    return _is_han_name(item) or _is_latin_name(item)


def is_name_list(items: list[str], separator: str) -> bool:
    """A byline or a reference's author list: (nearly) every item is a name.

    Only the separators people put between names count; ``|`` and runs of
    spaces are how navigation bars and link farms are laid out, never bylines.
    Bare affiliation marks ("2", "*") between names are ignored.
    """
    if separator not in NAME_SEPARATORS:
        return False
    names = [item.strip() for item in items if not _MARK_ONLY_RE.match(item.strip())]
    if not names:
        return False
    named = sum(1 for item in names if is_name(item))
    return named >= NAME_LIST_MIN_SHARE * len(names)


def is_numeric_row(items: list[str]) -> bool:
    """A table row: at least half of its cells are numbers (12, 3.5%, 2019年)."""
    cells = [item.strip() for item in items if item.strip()]
    numbers = sum(1 for cell in cells if _NUMBER_CELL_RE.match(cell))
    return bool(cells) and numbers >= NUMERIC_ROW_MIN_SHARE * len(cells)


def table_columns(line: str) -> tuple[str, int] | None:
    """The cell separator (``|`` or tab) of a table-like line and its count, or None."""
    for separator in ("|", "｜", "\t"):
        n = line.count(separator)
        if n >= 2:
            return separator, n
    return None
