"""Word's automatic numbers: list and heading numbers, note numbers.

An auto-numbered heading ("一、", "2.3") or list item ("(a)") shows a number
that is not in the paragraph's text runs: Word computes it from numbering.xml.
Analysts quote it ("一、美日两国政府在人工智能合作中的作用"), so the reader puts it
back.  Bullets are decoration and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element

from claimmap.documents.xml_parts import attr, local

_CHINESE_DIGITS = "〇一二三四五六七八九"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)
MAX_LEVELS = 9


def _chinese(n: int) -> str:
    """一 .. 九十九 as Chinese counting writes them; larger numbers digit by digit."""
    if 0 < n < 10:
        return _CHINESE_DIGITS[n]
    if 10 <= n < 100:
        tens, ones = divmod(n, 10)
        return (
            (_CHINESE_DIGITS[tens] if tens > 1 else "")
            + "十"
            + (_CHINESE_DIGITS[ones] if ones else "")
        )
    return "".join(_CHINESE_DIGITS[int(d)] for d in str(n))


def format_number(n: int, fmt: str) -> str:
    """``n`` in one of Word's number formats (ST_NumberFormat); unknown ones as decimal."""
    if fmt in ("lowerRoman", "upperRoman"):
        out = []
        rest = n
        for value, numeral in _ROMAN:
            while rest >= value:
                out.append(numeral)
                rest -= value
        roman = "".join(out)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt in ("lowerLetter", "upperLetter"):
        # a..z, then aa..zz, as Word counts.
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "chicago":
        return "*†‡§"[(n - 1) % 4] * ((n - 1) // 4 + 1)
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
    ):
        return _chinese(n)
    if fmt == "ideographDigital":
        return "".join(_CHINESE_DIGITS[int(d)] for d in str(n))
    if fmt == "ideographTraditional" and 0 < n <= 10:
        return _HEAVENLY_STEMS[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


@dataclass(frozen=True, slots=True)
class _Level:
    start: int
    fmt: str
    text: str  # "%1.", "（%2）"
    suffix: str  # what Word puts between the number and the text
    legal: bool  # isLgl: every level's number as decimal


def _child(element: Element, name: str) -> Element | None:
    return next((child for child in element if local(child.tag) == name), None)


def _val(element: Element | None) -> str | None:
    return None if element is None else attr(element, "val")


def _number_properties(ppr: Element | None) -> tuple[str, int] | None:
    numpr = None if ppr is None else _child(ppr, "numPr")
    if numpr is None:
        return None
    num_id = _val(_child(numpr, "numId"))
    level = _val(_child(numpr, "ilvl")) or "0"
    if not num_id or num_id == "0" or not level.isdigit():
        return None
    return num_id, min(int(level), MAX_LEVELS - 1)


def _levels(definition: Element) -> dict[int, _Level]:
    levels: dict[int, _Level] = {}
    for lvl in definition:
        if local(lvl.tag) != "lvl" or not (attr(lvl, "ilvl") or "").isdigit():
            continue
        start = _val(_child(lvl, "start")) or "1"
        suffix = {"nothing": "", "space": " "}.get(_val(_child(lvl, "suff")) or "tab", " ")
        levels[int(attr(lvl, "ilvl") or "0")] = _Level(
            start=int(start) if start.lstrip("-").isdigit() else 1,
            fmt=_val(_child(lvl, "numFmt")) or "decimal",
            text=_val(_child(lvl, "lvlText")) or "",
            suffix=suffix,
            legal=_child(lvl, "isLgl") is not None,
        )
    return levels


class Numbering:
    """Counts numbered paragraphs in reading order and gives each its number text."""

    def __init__(self, numbering: Element | None, styles: Element | None) -> None:
        self._levels: dict[str, dict[int, _Level]] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._style_numbers: dict[str, tuple[str, int]] = {}
        if numbering is not None:
            abstract = {
                attr(node, "abstractNumId") or "": _levels(node)
                for node in numbering
                if local(node.tag) == "abstractNum"
            }
            for node in numbering:
                if local(node.tag) != "num":
                    continue
                levels = dict(abstract.get(_val(_child(node, "abstractNumId")) or "", {}))
                for override in node:
                    if local(override.tag) != "lvlOverride":
                        continue
                    ilvl = attr(override, "ilvl") or "0"
                    if not ilvl.isdigit():
                        continue
                    level = int(ilvl)
                    replaced = _child(override, "lvl")
                    if replaced is not None:
                        levels.update(_levels(_wrap(replaced, level)))
                    start = _val(_child(override, "startOverride"))
                    if start and start.isdigit() and level in levels:
                        old = levels[level]
                        levels[level] = _Level(int(start), old.fmt, old.text, old.suffix, old.legal)
                self._levels[attr(node, "numId") or ""] = levels
        if styles is not None:
            for style in styles:
                if local(style.tag) == "style" and attr(style, "type") == "paragraph":
                    found = _number_properties(_child(style, "pPr"))
                    if found:
                        self._style_numbers[attr(style, "styleId") or ""] = found

    def label(self, paragraph: Element) -> str:
        """The number Word shows before ``paragraph`` ("" if none), counting it."""
        ppr = _child(paragraph, "pPr")
        found = _number_properties(ppr)
        if found is None and ppr is not None:
            found = self._style_numbers.get(_val(_child(ppr, "pStyle")) or "")
        if found is None:
            return ""
        num_id, level = found
        levels = self._levels.get(num_id)
        if not levels or level not in levels or levels[level].fmt == "bullet":
            return ""
        counters = self._counters.setdefault(num_id, [None] * MAX_LEVELS)
        current = counters[level]
        counters[level] = levels[level].start if current is None else current + 1
        for deeper in range(level + 1, MAX_LEVELS):
            counters[deeper] = None
        text = levels[level].text
        for k in range(level + 1):
            definition = levels.get(k)
            value = counters[k]
            if value is None:
                value = definition.start if definition else 1
            fmt = "decimal" if levels[level].legal or definition is None else definition.fmt
            text = text.replace(f"%{k + 1}", format_number(value, fmt))
        return text + levels[level].suffix if text else ""


def _wrap(lvl: Element, level: int) -> Element:
    """An override's ``w:lvl`` as an abstract definition holding just that level."""
    holder = Element("abstractNum")
    if attr(lvl, "ilvl") is None:
        lvl.set("ilvl", str(level))
    holder.append(lvl)
    return holder
