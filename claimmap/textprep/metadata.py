"""What an article states about itself: title, authors, venue, date, script.

Only statements the text makes in a recognisable form are taken; a field is None
rather than a guess.  The title is looked for only in the header, before the
first body paragraph: a document that opens with its abstract or its body has no
stated title, and a section heading further down is not one.
"""

from __future__ import annotations

import re

from claimmap.textprep.script import detect_script
from claimmap.textprep.spam import spam_reason
from claimmap.textprep.types import Metadata

TITLE_MAX_CHARS = 80
# A line this long, or one ending a sentence, is body text: the header is over.
BODY_LINE_MIN_CHARS = 100
HEADER_MAX_LINES = 15

_MARKERS_RE = re.compile(r"\^(?:\{[^}\n]{1,6}\}|[\u2460-\u2473]|\d{1,3})")
_DATE_ISO_RE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*(.*)$")
_DATE_CJK_RE = re.compile(r"^\s*(\d{4}年\d{1,2}月\d{1,2}日)\s*$")
# "作者:..." / "Author: ..." / "[作者簡介] 孫曉濤,..." / "(作者简介:杜洞光,...".
_AUTHOR_LABEL_RE = re.compile(
    r"^\s*[\[【(（]?\s*(?:作者|author|authors|by)\s*[\]】)）]?\s*[:：]\s*(.+)$", re.IGNORECASE
)
_AUTHOR_BIO_RE = re.compile(
    r"^\s*[\[【(（]\s*作者(?:简介|簡介)\s*(?:[\]】)）]\s*[:：]?|[:：])\s*([^,，:：;；。]+)"
)
# A label line ("[關鍵詞] ...", "指导老师:...", "Abstract: ..."): bracketed labels,
# or the fixed labels journals print.  A title may itself contain a colon
# ("美日人工智能合作:現狀、局限與影響"), so unbracketed labels are listed.
_LABEL_LINE_RE = re.compile(
    r"^\s*(?:[\[【][^\]】]{1,8}[\]】]|(?:摘要|内容提要|內容提要|提要|关键词|關鍵詞|关键字|關鍵字|"
    r"指导老师|指導老師|指导教师|指導教師|责任编辑|責任編輯|中图分类号|中圖分類號|文献标识码|"
    r"文獻標識碼|文章编号|文章編號|基金项目|基金項目|收稿日期|作者简介|作者簡介|作者单位|作者單位|"
    r"通讯作者|通訊作者|来源|來源|出处|出處|abstract|summary|key\s*words?|keywords|doi|"
    r"received|funding)\s*[:：])",
    re.IGNORECASE,
)
_SENTENCE_FINAL_RE = re.compile(r"[。！？]\s*$")
# Venue line: "世界經濟與政治論壇 2025年4期" (journal name, year, issue).
_VENUE_RE = re.compile(r"^\s*(\S.{1,40}?)\s+(\d{4})\s*年\s*(?:第\s*)?\d{1,2}\s*期\s*$")
# A byline of personal names only: "杜洞光 李相毅".
_NAMES_LINE_RE = re.compile(
    r"^\s*[\u4e00-\u9fff]{2,4}(?:[ \u3000、,，]+[\u4e00-\u9fff]{2,4}){0,5}\s*$"
)
_HAN_NAME_RE = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")
# English bylines without a colon: "By Laura Mendes", "By Ana Li and Tom O'Neil".
_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|der|da|di|bin|al-\w+)){0,4}"
# Case matters for the names (re.I would let "By the way" pass), not for "by".
_BYLINE_RE = re.compile(rf"^\s*(?:By|BY|by)\s+({_NAME}(?:\s*(?:,|\band\b|&)\s*{_NAME})*)\s*$")
_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
# "Published 14 March 2025", "Updated: March 14, 2025", "14 Mar 2025".
_DATE_EN_RE = re.compile(
    r"^\s*(?:(?:published|updated|posted|first published|last updated|date)\s*(?:on)?\s*:?\s*)?"
    rf"(?:(?P<day1>\d{{1,2}})\s+{_MONTH}|{_MONTH.replace('month', 'month2')}\s+(?P<day2>\d{{1,2}}),?)"
    r"\s+(?P<year>\d{4})\s*$",
    re.IGNORECASE,
)


def _english_date(line: str) -> str | None:
    """An English date line as ISO ``YYYY-MM-DD``; None when it is not one."""
    m = _DATE_EN_RE.match(line)
    if m is None:
        return None
    month = _MONTHS.get((m.group("month") or m.group("month2")).lower())
    day = int(m.group("day1") or m.group("day2"))
    if month is None or not 1 <= day <= 31:
        return None
    return f"{m.group('year')}-{month:02d}-{day:02d}"


def _header_lines(lines: list[str]) -> list[str]:
    header: list[str] = []
    for line in lines:
        if len(header) >= HEADER_MAX_LINES:
            break
        stripped = line.strip()
        if not stripped:
            continue
        if spam_reason(stripped):
            continue
        if len(stripped) >= BODY_LINE_MIN_CHARS and not _LABEL_LINE_RE.match(stripped):
            break
        header.append(stripped)
    return header


def _is_date_line(line: str) -> bool:
    return bool(_DATE_ISO_RE.match(line) or _DATE_CJK_RE.match(line) or _english_date(line))


def _title(header: list[str]) -> str | None:
    for line in header:
        if _is_date_line(line) or _AUTHOR_LABEL_RE.match(line) or _LABEL_LINE_RE.match(line):
            continue
        if _BYLINE_RE.match(line):
            continue
        if _VENUE_RE.match(line) or (_NAMES_LINE_RE.match(line) and len(line) <= 12):
            continue
        title = _MARKERS_RE.sub("", line).strip()
        if len(title) > TITLE_MAX_CHARS or _SENTENCE_FINAL_RE.search(title):
            return None
        return title or None
    return None


def _authors(header: list[str], lines: list[str], title: str | None) -> str | None:
    for line in header:
        m = _AUTHOR_LABEL_RE.match(line)
        if m:
            value = m.group(1).strip()
            # Chinese bylines put affiliations first and the name last.
            parts = value.split()
            if len(parts) > 1 and _HAN_NAME_RE.match(parts[-1]):
                return parts[-1]
            return value
        byline = _BYLINE_RE.match(line)
        if byline:
            return byline.group(1).strip()
        iso = _DATE_ISO_RE.match(line)
        if iso and iso.group(2) and _HAN_NAME_RE.match(iso.group(2).replace(" ", "")[:5]):
            # "2025-08-12 00:00:00高宏宇徐萬勝": names glued after the timestamp, as
            # stated; splitting unspaced names would be a guess.
            return iso.group(2).strip()
        if title and line != title and _NAMES_LINE_RE.match(line) and len(line) <= 30:
            return " ".join(re.split(r"[ \u3000、,，]+", line))
    for line in lines:
        bio = _AUTHOR_BIO_RE.match(line)
        if bio:
            return bio.group(1).strip()
    return None


def _venue(header: list[str]) -> str | None:
    for line in header:
        m = _VENUE_RE.match(line)
        if m and not _is_date_line(line):
            return m.group(1).strip()
    return None


def _date(header: list[str]) -> str | None:
    for line in header:
        iso = _DATE_ISO_RE.match(line)
        if iso:
            return iso.group(1)
        cjk = _DATE_CJK_RE.match(line)
        if cjk:
            return cjk.group(1)
        english = _english_date(line)
        if english:
            return english
    return None


def extract_metadata(text: str) -> Metadata:
    """Title, authors, venue and date where the text states them; script always."""
    lines = text.split("\n")
    header = _header_lines(lines)
    title = _title(header)
    return Metadata(
        title=title,
        authors=_authors(header, lines, title),
        venue=_venue(header),
        date=_date(header),
        script=detect_script(text),
    )


FALLBACK_TITLE_CHARS = 40
_LABEL_PREFIX_RE = re.compile(r"^\s*[\[【][^\]】]{1,8}[\]】]\s*")
_FIRST_SENTENCE_RE = re.compile(r"^(.+?)(?:[。！？!?]|$)")


def fallback_title(text: str) -> str | None:
    """A display title for an article that states none: its first body sentence,
    shortened.  Label lines (author, abstract labels) and spam are skipped; a
    bracketed label such as ``[摘要]`` is dropped from the sentence."""
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped or spam_reason(stripped) or _AUTHOR_LABEL_RE.match(stripped):
            continue
        if _LABEL_LINE_RE.match(stripped) and not _LABEL_PREFIX_RE.match(stripped):
            continue
        body = _LABEL_PREFIX_RE.sub("", stripped)
        match = _FIRST_SENTENCE_RE.match(body)
        sentence = (match.group(1) if match else body).strip(" ,，")
        if len(sentence) < 4:
            continue
        if len(sentence) > FALLBACK_TITLE_CHARS:
            sentence = sentence[: FALLBACK_TITLE_CHARS - 1].rstrip(" ,，、") + "…"
        return sentence
    return None
