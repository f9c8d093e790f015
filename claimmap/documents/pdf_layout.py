"""A PDF's lines, page by page, to one body text with notes, markers and pages.

Per page: furniture out (``pdf_furniture``), the footnote block apart, the rest
put in reading order (two columns read column by column).  Then the body lines
of all pages are joined into paragraphs, across page breaks where a sentence
runs on, so a sentence split by a page break or a footnote block is whole.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field

from claimmap.documents.notes import marker_text
from claimmap.documents.pdf_furniture import (
    PageBox,
    body_size,
    find_furniture,
    footnote_lines,
    note_label,
)
from claimmap.documents.pdf_lines import SOFT_HYPHENS, Line, is_wide
from claimmap.documents.types import Note, NoteMarker, Page
from claimmap.textprep.types import LogEntry
from claimmap.wording import count

STEP = "pdf"
# A line this many type sizes further right than the line above starts a paragraph.
INDENT = 0.8
# A gap this many times the page's usual line pitch separates paragraphs.
PARAGRAPH_GAP = 1.25
# A line ending this many type sizes short of its column's right edge ends a
# paragraph when it ends a sentence (a paragraph's last line); at any character
# when it leaves this share of the column empty (a heading: ragged lines of a
# narrow column fall short by a long word, not by half).
SHORT_SENTENCE_END = 2.0
SHORT_HEADING = 0.5
MIN_COLUMN_LINES = 3
_SENTENCE_END = frozenset("。！？!?….:：;；")
_CLOSERS = frozenset("”’」』）)】》]\"'")
_TRAILING_MARKER_RE = re.compile(r"\^(?:\{[^}]{1,8}\}|\d{1,3}|[\u2460-\u2473])$")


@dataclass
class Layout:
    body: str = ""
    notes: list[Note] = field(default_factory=list)
    markers: list[NoteMarker] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    log: list[LogEntry] = field(default_factory=list)


def _text_and_markers(line: Line, labels: set[str]) -> tuple[str, list[tuple[int, int, str]]]:
    """The line's text with note markers in caret form; markers as (start, end, label)."""
    parts: list[str] = []
    markers: list[tuple[int, int, str]] = []
    at = 0
    length = 0
    for start, end in line.raised:
        label = "".join(g.ch for g in line.glyphs[start:end])
        if label not in labels:
            continue  # a raised digit that no note on the page has: an exponent, say
        plain = "".join(g.ch for g in line.glyphs[at:start])
        parts.append(plain)
        length += len(plain)
        shown = marker_text(label)
        markers.append((length, length + len(shown), label))
        parts.append(shown)
        length += len(shown)
        at = end
    parts.append("".join(g.ch for g in line.glyphs[at:]))
    text = "".join(parts)
    lead = len(text) - len(text.lstrip())
    return text.strip(), [(s - lead, e - lead, label) for s, e, label in markers]


def _reading_order(lines: list[Line], width: float) -> list[int]:
    """Indices of the lines top to bottom; on a two-column page, column by column."""
    order = sorted(range(len(lines)), key=lambda i: (-round(lines[i].y, 1), lines[i].x0))
    mid = width / 2
    left = [i for i in order if lines[i].x1 <= mid + lines[i].size]
    right = [i for i in order if lines[i].x0 >= mid - lines[i].size and i not in set(left)]
    if len(left) < MIN_COLUMN_LINES or len(right) < MIN_COLUMN_LINES:
        return order
    columns = set(left) | set(right)
    top = max(lines[i].y for i in columns)
    above = [i for i in order if i not in columns and lines[i].y > top]
    below = [i for i in order if i not in columns and lines[i].y <= top]
    return above + left + right + below


def _ends_sentence(text: str) -> bool:
    core = _TRAILING_MARKER_RE.sub("", text.rstrip()).rstrip()
    while core and core[-1] in _CLOSERS:
        core = core[:-1]
    return bool(core) and core[-1] in _SENTENCE_END


def _join(prev: str, nxt: str) -> tuple[str, str]:
    """How to join two lines of a paragraph: (prev's new end, separator)."""
    if prev.endswith(SOFT_HYPHENS) or (
        prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and prev[-2].isascii()
    ):
        stem = prev[:-1]
        if stem and stem[-1].isalpha() and nxt[:1].islower() and nxt[:1].isascii():
            return stem, ""  # an English word hyphenated at the line end
        return stem + "-", ""
    core = _TRAILING_MARKER_RE.sub("", prev) or prev
    # A URL broken at a slash has no space in it.
    if is_wide(core[-1]) or is_wide(nxt[0]) or core.endswith("/") or nxt.startswith("/"):
        return prev, ""
    return prev, " "


@dataclass
class _PageBody:
    lines: list[Line]
    pitch: float
    left: dict[int, float]
    right: dict[int, float]


def _column_edges(
    lines: list[Line], order: list[int], width: float
) -> tuple[dict[int, float], dict[int, float]]:
    """Each line's column's left and right edge (the extremes of its column's lines)."""
    mid = width / 2
    groups: dict[str, list[int]] = {"left": [], "right": [], "wide": []}
    for i in order:
        line = lines[i]
        if line.x1 <= mid + line.size:
            groups["left"].append(i)
        elif line.x0 >= mid - line.size:
            groups["right"].append(i)
        else:
            groups["wide"].append(i)
    if len(groups["left"]) < MIN_COLUMN_LINES or len(groups["right"]) < MIN_COLUMN_LINES:
        groups = {"all": list(order)}
    lefts: dict[int, float] = {}
    rights: dict[int, float] = {}
    for members in groups.values():
        if not members:
            continue
        lo = min(lines[i].x0 for i in members)
        hi = max(lines[i].x1 for i in members)
        for i in members:
            lefts[i], rights[i] = lo, hi
    return lefts, rights


def _pitch(lines: list[Line]) -> float:
    gaps = [
        a.y - b.y
        for a, b in itertools.pairwise(lines)
        if 0 < a.y - b.y < 3 * a.size and abs(a.size - b.size) < 0.5
    ]
    return statistics.median(gaps) if gaps else 1.2 * (lines[0].size if lines else 10.0)


def _starts_paragraph(
    prev: Line, prev_text: str, line: Line, edges: tuple[float, float, float], pitch: float
) -> bool:
    """Does ``line`` start a new paragraph after ``prev`` (same page and column)?"""
    left, right, size = edges
    if abs(prev.size - line.size) > 0.1 * max(prev.size, line.size):
        return True
    if prev.y - line.y > PARAGRAPH_GAP * pitch:
        return True
    if line.x0 - prev.x0 > INDENT * size and line.x0 - left > INDENT * size:
        return True
    short = right - prev.x1
    return short > SHORT_HEADING * (right - left) or (
        short > SHORT_SENTENCE_END * size and _ends_sentence(prev_text)
    )


def lay_out(pages: list[list[Line]], boxes: list[PageBox], labels: list[str]) -> Layout:
    out = Layout()
    body = body_size(pages)
    furniture = find_furniture(pages, boxes)
    # One log entry per running header text, one for all page numbers.
    removed: dict[tuple[str, str], list[str]] = {}
    for (p, i), why in sorted(furniture.lines.items()):
        text = pages[p][i].plain
        removed.setdefault((why, "" if why == "page number" else text), []).append(text)

    paragraphs: list[str] = []
    current = ""
    prev: tuple[Line, str, tuple[float, float, float], float] | None = None
    page_starts: list[int] = []
    done = 0  # length of the body before ``current``

    def flush() -> None:
        nonlocal current, done
        if current:
            paragraphs.append(current)
            done += len(current) + 2
            current = ""

    for p, lines in enumerate(pages):
        kept = [i for i in range(len(lines)) if (p, i) not in furniture.lines]
        sub = [lines[i] for i in kept]
        # Footnotes are the bottom of the page whatever the columns above them.
        by_height = sorted(range(len(sub)), key=lambda i: (-sub[i].y, sub[i].x0))
        notes_at = footnote_lines(sub, by_height, body)
        order = _reading_order(sub, boxes[p].width)
        note_set = set(notes_at)
        page_labels = _collect_notes(sub, notes_at, out)
        if notes_at:
            out.log.append(
                LogEntry(
                    STEP,
                    "moved",
                    f"{count(len(page_labels), 'footnote')} of page {labels[p]} moved to the end",
                    "\n".join(sub[i].plain for i in notes_at),
                    "",
                    None,
                )
            )
        body_order = [i for i in order if i not in note_set]
        lefts, rights = _column_edges(sub, body_order, boxes[p].width)
        pitch = _pitch([sub[i] for i in body_order])
        labels_known = page_labels | {n.label for n in out.notes}
        page_starts.append(-1)
        for i in body_order:
            line = sub[i]
            text, marks = _text_and_markers(line, labels_known)
            if not text:
                continue
            edges = (lefts[i], rights[i], line.size)
            if prev is None:
                new_paragraph = True
            elif prev[0].page != p or prev[0].y < line.y:
                # A new page or column: a paragraph runs on unless a sentence ended.
                new_paragraph = (
                    _ends_sentence(prev[1])
                    or abs(prev[0].size - line.size) > 0.1 * line.size
                    or line.x0 - edges[0] > INDENT * line.size
                )
            else:
                new_paragraph = _starts_paragraph(prev[0], prev[1], line, edges, pitch)
            if new_paragraph:
                flush()
                at = done
            else:
                head, sep = _join(current, text)
                if prev is not None and prev[0].page != p:
                    out.log.append(
                        LogEntry(
                            STEP,
                            "joined",
                            f"sentence split by the break before page {labels[p]} rejoined",
                            current[-20:] + "\n" + text[:20],
                            (head + sep)[-20:] + text[:20],
                            None,
                        )
                    )
                current = head + sep
                at = done + len(current)
            if page_starts[p] < 0:
                page_starts[p] = at
            for s, e, label in marks:
                out.markers.append(NoteMarker(at + s, at + e, label))
            current = current + text if not new_paragraph else text
            prev = (line, text, edges, pitch)
    flush()
    out.body = "\n\n".join(paragraphs)
    out.pages = _pages(page_starts, len(out.body), labels)
    for (why, _), texts in sorted(removed.items()):
        before = " | ".join(texts) if why == "page number" else texts[0]
        out.log.append(
            LogEntry(STEP, "removed", f"{why} ({count(len(texts), 'page')})", before, "", None)
        )
    return out


def _collect_notes(lines: list[Line], at: list[int], out: Layout) -> set[str]:
    """Append the page's footnotes to ``out.notes``; the labels they have."""
    labels: set[str] = set()
    for i in at:
        line = lines[i]
        found = note_label(line)
        text = line.plain
        if found is not None:
            label, width = found
            body = (
                "".join(g.ch for g in line.glyphs)[width:].strip()
                if line.raised and line.raised[0][0] == 0
                else text[width:].strip()
            )
            out.notes.append(Note(label, body))
            labels.add(label)
        elif out.notes:
            last = out.notes[-1]
            head, sep = _join(last.text, text) if last.text else ("", "")
            out.notes[-1] = Note(last.label, head + sep + text)
    return labels


def _pages(starts: list[int], end: int, labels: list[str]) -> list[Page]:
    """Contiguous page ranges: a page without body text is empty where it falls."""
    fixed: list[int] = []
    nxt = end
    for s in reversed(starts):
        nxt = s if s >= 0 else nxt
        fixed.append(nxt)
    fixed.reverse()
    if fixed:
        fixed[0] = 0
    bounds = [*fixed, end]
    return [Page(bounds[k], bounds[k + 1], labels[k]) for k in range(len(starts))]
