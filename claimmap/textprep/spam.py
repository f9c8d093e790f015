"""Spam and site boilerplate: keyword link farms, "related articles" blocks, chrome.

The tests are structural, not word lists of particular spam: a link-farm line is
many short separator-delimited fragments with no sentence punctuation, which is
how SEO keyword stuffing looks in any language.  Only the *headings* of related-
article blocks and site-chrome lines are matched by wording, since those are the
fixed labels websites print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimmap.textprep.academic_lists import (
    is_name_list,
    is_numeric_row,
    table_columns,
)
from claimmap.textprep.types import LogEntry

STEP = "spam"

# Separators between keyword items: ASCII and full-width comma, pipe, ideographic
# comma, semicolons, middle dots and slashes surrounded by spaces.
_SEPARATOR_RE = re.compile(r"\s*(?:[,，|｜、;；]|\s[/·•]\s|\s{2,})\s*")
_SENTENCE_END_RE = re.compile(r"[。！？]|[.!?](?=\s|$)")
_CJK_SENTENCE_END_RE = re.compile(r"[。！？]")
# Inside a genuine list item there is clause punctuation or a long phrase.
_CLAUSE_PUNCT_RE = re.compile(r"[,，、;；|｜。：:！？“”\"()（）《》]")
# A metadata label that legitimately introduces a separator-delimited list.
_LEGIT_LIST_LABEL_RE = re.compile(
    r"^\s*[\[【(（]?\s*(?:关键词|關鍵詞|关键字|關鍵字|key\s*words?|keywords|"
    r"作者|authors?|参考文献|參考文獻|references|bibliography|标签|標籤|tags|"
    r"主题词|主題詞|叙词|敘詞|index\s+terms|subjects?|"
    r"(?:jel\s+)?classifications?(?:\s+codes?)?|"
    r"中图分类号|中圖分類號|分类号|分類號|文献标识码|文獻標識碼|jel)\s*[\]】)）]?\s*[:：]?",
    re.IGNORECASE,
)
# A label alone on its line ("Keywords", "关键词:"): the list it introduces follows
# on the next line, as PDF conversions and some journals lay it out.
_BARE_LABEL_RE = re.compile(_LEGIT_LIST_LABEL_RE.pattern + r"\s*$", re.IGNORECASE)
# Bibliography entries ([1] ..., ... [J]. ...) are comma-heavy but never spam.
_CITATION_RE = re.compile(r"^\s*\[\d{1,3}\]|\[[JMCDNRSPZ](?:/OL)?\]")

_RELATED_HEADING_RE = re.compile(
    r"^\s*(?:猜你喜欢|猜你喜歡|相关文章|相關文章|相关阅读|相關閱讀|相关推荐|相關推薦|"
    r"推荐阅读|推薦閱讀|延伸阅读|延伸閱讀|热门文章|熱門文章|热门推荐|熱門推薦|"
    r"相关新闻|相關新聞|更多阅读|更多閱讀|"
    r"related(?:\s+(?:articles|posts|stories|reading|content|links))?|"
    r"you\s+(?:may|might)\s+also\s+like|recommended(?:\s+(?:for\s+you|reading|articles))?|"
    r"read\s+more|more\s+(?:stories|articles)(?:\s+from\s+.{1,30})?|popular\s+(?:posts|articles))"
    r"\s*[:：]?\s*$",
    re.IGNORECASE,
)
_CHROME_RE = re.compile(
    r"^\s*(?:返回顶部|返回頂部|回到顶部|回到頂部|返回首页|返回首頁|"
    r"上一篇|下一篇|上一页|下一頁|下一页|上一頁|"
    r"分享到|分享至|分享:|一键分享|打印本页|打印本頁|关闭窗口|關閉窗口|"
    r"扫一扫|掃一掃|扫描二维码|掃描二維碼|"
    r"back\s+to\s+top|previous\s+(?:article|post)|next\s+(?:article|post)|"
    r"share\s+(?:this|on)\b|share:|print\s+this|skip\s+to\s+(?:main\s+)?content|"
    r"subscribe\s+to\s+our|sign\s+up\s+for\s+our)",
    re.IGNORECASE,
)
_COPYRIGHT_RE = re.compile(
    r"^\s*(?:copyright\b|©|\(c\)\s*\d{4})|all\s+rights\s+reserved|版权所有|版權所有|"
    r"未经授权[^。]{0,10}转载|未經授權[^。]{0,10}轉載|禁止转载|禁止轉載|icp[备備证證]",
    re.IGNORECASE,
)

CHROME_MAX_CHARS = 80
RELATED_ITEM_MAX_CHARS = 80


@dataclass(frozen=True, slots=True)
class SpamHit:
    """Lines [first, last] (0-based, inclusive) judged spam, and why."""

    first: int
    last: int
    reason: str


def link_farm_reason(line: str) -> str | None:
    """Why ``line`` looks like a keyword link-farm line, or None.

    Many short fragments between one kind of separator, no sentence punctuation,
    and fragments free of any other punctuation: prose never looks like this (its
    comma-separated clauses are long and hold enumerations of their own), and a
    genuine keyword list is introduced by a label that we exempt.
    """
    stripped = line.strip()
    if len(stripped) < 20 or _LEGIT_LIST_LABEL_RE.match(stripped) or _CITATION_RE.search(stripped):
        return None
    if _CJK_SENTENCE_END_RE.search(stripped) or len(_SENTENCE_END_RE.findall(stripped)) > 1:
        return None
    separators = _SEPARATOR_RE.findall(stripped)
    if len(separators) < 5:
        return None
    kinds: dict[str, int] = {}
    for sep in separators:
        key = sep.strip() or " "
        kinds[key] = kinds.get(key, 0) + 1
    dominant = max(kinds, key=lambda k: kinds[k])
    if kinds[dominant] < 0.9 * len(separators):
        return None
    items = [item for item in _SEPARATOR_RE.split(stripped) if item]
    if len(items) < 6:
        return None
    short = sum(1 for item in items if len(item) <= 20)
    punctuated = sum(1 for item in items if _CLAUSE_PUNCT_RE.search(item))
    mean_len = sum(len(item) for item in items) / len(items)
    if short < 0.8 * len(items) or punctuated > 0.1 * len(items) or mean_len > 14:
        return None
    # Bylines, reference author lists and table rows have this shape too, and are content.
    if is_name_list(items, dominant) or is_numeric_row(items):
        return None
    return (
        f"keyword link-farm line: {len(items)} short items separated by {dominant!r}, "
        "no sentence punctuation"
    )


def chrome_reason(line: str) -> str | None:
    """Why ``line`` is site chrome (navigation, share buttons, copyright), or None."""
    stripped = line.strip()
    if not stripped or len(stripped) > CHROME_MAX_CHARS:
        return None
    if _CHROME_RE.match(stripped):
        return "site chrome line (navigation/share)"
    if _COPYRIGHT_RE.search(stripped):
        return "copyright/licence boilerplate line"
    return None


def spam_reason(line: str) -> str | None:
    """Why a single line is spam or boilerplate, or None (blocks are not judged here)."""
    return link_farm_reason(line) or chrome_reason(line)


def _is_related_item(line: str) -> bool:
    """A title-like line of a related-articles list: short, not a paragraph."""
    stripped = line.strip()
    if not stripped:
        return True
    if len(stripped) > RELATED_ITEM_MAX_CHARS or _CITATION_RE.search(stripped):
        # A bibliography entry under "延伸阅读"/"Recommended reading" is content.
        return False
    # A sentence followed by more text is body, not a headline.
    return len(_SENTENCE_END_RE.findall(stripped[:-1])) == 0


def _is_table_row(lines: list[str], i: int) -> bool:
    """A row of a table: a neighbouring line has the same cells (``|`` or tab)."""
    columns = table_columns(lines[i])
    if columns is None:
        return False
    return any(0 <= k < len(lines) and table_columns(lines[k]) == columns for k in (i - 1, i + 1))


def _follows_bare_label(lines: list[str], i: int) -> bool:
    return i > 0 and bool(_BARE_LABEL_RE.match(lines[i - 1].strip()))


def find_spam(lines: list[str]) -> list[SpamHit]:
    """Spam hits over ``lines`` (no trailing newlines), in document order."""
    hits: list[SpamHit] = []
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if _RELATED_HEADING_RE.match(line):
            j = i + 1
            while j < n and _is_related_item(lines[j]) and not spam_reason(lines[j]):
                j += 1
            last = j - 1
            while last > i and not lines[last].strip():
                last -= 1
            items = sum(1 for k in range(i + 1, last + 1) if lines[k].strip())
            if items >= 2 or (items >= 0 and last == n - 1) or j == n:
                hits.append(
                    SpamHit(i, last, f"related-articles block: heading and {items} item lines")
                )
                i = last + 1
                continue
        reason = spam_reason(line)
        if reason and not (_is_table_row(lines, i) or _follows_bare_label(lines, i)):
            hits.append(SpamHit(i, i, reason))
        i += 1
    return hits


def remove_spam(text: str) -> tuple[str, list[LogEntry]]:
    """Remove spam lines and blocks; one log entry per hit with its exact text.

    Blank lines next to a removed hit are taken with it where keeping them would
    leave blank lines at the document's edges or a double blank line, so the
    paragraph layout of the remaining text is unchanged.
    """
    lines = text.split("\n")
    hits = find_spam(lines)
    if not hits:
        return text, []
    remove = [False] * len(lines)
    hit_lines = {k for hit in hits for k in range(hit.first, hit.last + 1)}
    spans: list[tuple[int, int, str]] = []
    for hit in hits:
        first, last = hit.first, hit.last
        # Take following blank lines if the hit is at the top or sits between blanks,
        # preceding blank lines if it is at the bottom.
        after = last
        while after + 1 < len(lines) and not lines[after + 1].strip():
            after += 1
        before = first
        while before - 1 >= 0 and not lines[before - 1].strip() and not remove[before - 1]:
            before -= 1
        at_top = all(remove[k] or not lines[k].strip() for k in range(0, first))
        # At the bottom when only blank lines and later hits follow it.
        at_bottom = all(k in hit_lines or not lines[k].strip() for k in range(last + 1, len(lines)))
        if at_bottom:
            first = before
            last = after
        elif at_top or before < first:
            last = after
        spans.append((first, last, hit.reason))
        for k in range(first, last + 1):
            remove[k] = True
    log: list[LogEntry] = []
    for first, last, reason in spans:
        removed = "\n".join(lines[first : last + 1])
        log.append(LogEntry(STEP, "removed", reason, removed, "", first + 1))
    kept = [line for line, gone in zip(lines, remove, strict=True) if not gone]
    return "\n".join(kept), log
