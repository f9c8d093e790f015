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
    furniture_key,
    note_label,
    raised_labels,
)
from claimmap.documents.pdf_lines import SOFT_HYPHENS, Line, wide_end, wide_start
from claimmap.documents.types import Note, NoteMarker, Page
from claimmap.textprep.types import LogEntry
from claimmap.wording import count

STEP = "pdf"
# A line this many type sizes further right than the line above starts a paragraph.
INDENT = 0.8
# A gap this many times the page's usual line pitch separates paragraphs (the
# pitch in type sizes, times the lines' own size: a title's lines are further
# apart than the body's).
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
PARAGRAPH_SEPARATOR = "\n\n"
# A table of contents' line: dot leaders to a page number.  Each is its own line.
_LEADERS_RE = re.compile(r"(?:\.\s?){4,}\s*[\divxlc]+$")
# A web address in the line's last word (``新华网，http://…`` has no space before it).
_URL_RE = re.compile(r"[a-z][a-z0-9+.-]*://|www\.", re.IGNORECASE)
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
        label = "".join(g.text for g in line.runs[start:end])
        if label not in labels:
            continue  # a raised digit that no note on the page has: an exponent, say
        plain = "".join(g.text for g in line.runs[at:start])
        parts.append(plain)
        length += len(plain)
        shown = marker_text(label)
        markers.append((length, length + len(shown), label))
        parts.append(shown)
        length += len(shown)
        at = end
    parts.append("".join(g.text for g in line.runs[at:]))
    text = "".join(parts)
    lead = len(text) - len(text.lstrip())
    return text.strip(), [(s - lead, e - lead, label) for s, e, label in markers]


def _columns(lines: list[Line], width: float) -> list[list[int]]:
    """The page's lines (indices) in reading order, grouped by column.

    Top to bottom; on a two-column page (at least ``MIN_COLUMN_LINES`` lines on
    each side of the middle) the full-width lines above the columns, the left
    column, the right column, then the full-width lines below.
    """
    order = sorted(range(len(lines)), key=lambda i: (-round(lines[i].y, 1), lines[i].x0))
    mid = width / 2
    left = [i for i in order if lines[i].x1 <= mid + lines[i].size]
    in_left = set(left)
    right = [i for i in order if i not in in_left and lines[i].x0 >= mid - lines[i].size]
    if len(left) < MIN_COLUMN_LINES or len(right) < MIN_COLUMN_LINES:
        return [order] if order else []
    columns = in_left | set(right)
    top = max(lines[i].y for i in columns)
    above = [i for i in order if i not in columns and lines[i].y > top]
    below = [i for i in order if i not in columns and lines[i].y <= top]
    return [group for group in (above, left, right, below) if group]


def _ends_sentence(text: str) -> bool:
    core = _TRAILING_MARKER_RE.sub("", text.rstrip()).rstrip()
    while core and core[-1] in _CLOSERS:
        core = core[:-1]
    return bool(core) and core[-1] in _SENTENCE_END


def _join(prev: str, nxt: str, spaced_end: bool = False) -> tuple[str, str]:
    """How to join two lines of a paragraph: (prev's new end, separator).
    ``spaced_end``: the file draws a space at the end of ``prev``."""
    if prev.endswith(SOFT_HYPHENS) or (
        prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and prev[-2].isascii()
    ):
        stem = prev[:-1]
        if (
            stem
            and stem[-1].isalpha()
            and nxt[:1].islower()
            and nxt[:1].isascii()
            and not _URL_RE.search(stem[stem.rfind(" ") + 1 :])
        ):
            return stem, ""  # an English word hyphenated at the line end
        # A real hyphen: before a capital, after a digit, or in a URL (typesetters
        # break URLs at their own hyphens, never hyphenate them).
        return stem + "-", ""
    core = _TRAILING_MARKER_RE.sub("", prev) or prev
    # A URL broken at a slash has no space in it.
    if wide_end(core) or wide_start(nxt) or core.endswith("/") or nxt.startswith("/"):
        return prev, " " if spaced_end else ""
    return prev, " "


def _pitch(lines: list[Line]) -> float:
    """The usual line pitch of these lines, in type sizes."""
    gaps = [
        (a.y - b.y) / a.size
        for a, b in itertools.pairwise(lines)
        if 0 < a.y - b.y < 3 * a.size and abs(a.size - b.size) < 0.5
    ]
    return statistics.median(gaps) if gaps else 1.2


def _starts_paragraph(
    prev: Line, prev_text: str, line: Line, edges: tuple[float, float, float], pitch: float
) -> bool:
    """Does ``line`` start a new paragraph after ``prev`` (same page and column)?"""
    left, right, size = edges
    if abs(prev.size - line.size) > 0.1 * max(prev.size, line.size):
        return True
    if prev.y - line.y > PARAGRAPH_GAP * pitch * line.size or _LEADERS_RE.search(prev_text):
        return True
    if line.x0 - prev.x0 > INDENT * size and line.x0 - left > INDENT * size:
        return True
    short = right - prev.x1
    return short > SHORT_HEADING * (right - left) or (
        short > SHORT_SENTENCE_END * size and _ends_sentence(prev_text)
    )


class _Body:
    """The body text as it is assembled: paragraphs, the one being built, markers."""

    def __init__(self, out: Layout) -> None:
        self.out = out
        self.paragraphs: list[str] = []
        self.current = ""
        self.done = 0  # length of the body before ``current``

    def flush(self) -> None:
        if self.current:
            self.paragraphs.append(self.current)
            self.done += len(self.current) + len(PARAGRAPH_SEPARATOR)
            self.current = ""

    def add(
        self, text: str, new_paragraph: bool, page_break: str | None, spaced_end: bool = False
    ) -> int:
        """Append a line; returns where its text starts in the body.  ``spaced_end``:
        the file draws a space at the end of the line before."""
        if new_paragraph:
            self.flush()
            self.current = text
            return self.done
        head, sep = _join(self.current, text, spaced_end)
        if page_break is not None:
            self.out.log.append(
                LogEntry(
                    STEP,
                    "joined",
                    f"sentence split by the break before page {page_break} rejoined",
                    self.current[-20:] + "\n" + text[:20],
                    (head + sep)[-20:] + text[:20],
                    None,
                )
            )
        self.current = head + sep
        at = self.done + len(self.current)
        self.current += text
        return at

    def text(self) -> str:
        self.flush()
        return PARAGRAPH_SEPARATOR.join(self.paragraphs)


def _runs_on(prev: Line, prev_text: str, line: Line, left: float) -> bool:
    """Across a page or column break: a paragraph runs on unless a sentence ended
    there, the type changed, or the new line is indented."""
    return not (
        _ends_sentence(prev_text)
        or abs(prev.size - line.size) > 0.1 * line.size
        or line.x0 - left > INDENT * line.size
    )


def lay_out(pages: list[list[Line]], boxes: list[PageBox], labels: list[str]) -> Layout:
    """One body text, its notes and markers and pages, from every page's lines."""
    out = Layout()
    body_type = body_size(pages)
    furniture = find_furniture(pages, boxes)
    # First every page's footnotes (a marker's note may be on the next page),
    # then the body lines that are left.
    body_lines: list[list[Line]] = []
    for p, all_lines in enumerate(pages):
        lines = [line for i, line in enumerate(all_lines) if (p, i) not in furniture.lines]
        # Footnotes are the bottom of the page whatever the columns above them.
        by_height = sorted(range(len(lines)), key=lambda i: (-lines[i].y, lines[i].x0))
        # A note's marker is on its page, or the page before for a note run over.
        markers = raised_labels(lines) | raised_labels(pages[p - 1] if p else [])
        notes_at = footnote_lines(lines, by_height, body_type, markers)
        _collect_notes(lines, notes_at, out, labels[p])
        skip = set(notes_at)
        body_lines.append([line for i, line in enumerate(lines) if i not in skip])
    known = {n.label for n in out.notes}
    body = _Body(out)
    prev: tuple[Line, str] | None = None
    page_starts: list[int] = []
    for p, lines in enumerate(body_lines):
        page_starts.append(-1)
        for column in _columns(lines, boxes[p].width):
            members = [lines[k] for k in column]
            left = min(line.x0 for line in members)
            right = max(line.x1 for line in members)
            pitch = _pitch(members)
            for line in members:
                text, marks = _text_and_markers(line, known)
                if not text:
                    continue
                if prev is None:
                    new_paragraph = True
                elif prev[0].page != p or prev[0].y < line.y:
                    new_paragraph = not _runs_on(prev[0], prev[1], line, left)
                else:
                    new_paragraph = _starts_paragraph(
                        prev[0], prev[1], line, (left, right, line.size), pitch
                    )
                crossed = prev is not None and prev[0].page != p and not new_paragraph
                at = body.add(
                    text,
                    new_paragraph,
                    labels[p] if crossed else None,
                    prev is not None and prev[0].spaced_end,
                )
                if page_starts[p] < 0:
                    page_starts[p] = at
                out.markers += [NoteMarker(at + s, at + e, label) for s, e, label in marks]
                prev = (line, text)
    out.body = body.text()
    out.pages = _pages(page_starts, len(out.body), labels)
    out.log += _furniture_log(pages, furniture.lines)
    return out


def _furniture_log(pages: list[list[Line]], removed: dict[tuple[int, int], str]) -> list[LogEntry]:
    """One entry per running header or footer (by its words), one for all the page
    numbers."""
    texts: dict[tuple[str, str], list[str]] = {}
    for (p, i), why in sorted(removed.items()):
        line = pages[p][i]
        key = "" if why == "page number" else furniture_key(line)
        texts.setdefault((why, key), []).append(line.plain)
    return [
        LogEntry(
            STEP,
            "removed",
            f"{why} ({count(len(found), 'page')})",
            " | ".join(found) if why == "page number" else found[0],
            "",
            None,
        )
        for (why, _), found in sorted(texts.items())
    ]


def _collect_notes(lines: list[Line], at: list[int], out: Layout, page: str) -> None:
    """Append the page's footnotes to ``out.notes`` and say so in the log."""
    labels: set[str] = set()
    before: Line | None = None
    for i in at:
        line = lines[i]
        found = note_label(line)
        text = line.plain
        if found is not None:
            label, width = found
            out.notes.append(Note(label, text[width:].strip(), page))
            labels.add(label)
        elif out.notes:  # a note's next line, or one running on from the page before
            last = out.notes[-1]
            spaced_end = before is not None and before.spaced_end
            head, sep = _join(last.text, text, spaced_end) if last.text else ("", "")
            out.notes[-1] = Note(last.label, head + sep + text, last.page)
        before = line
    if at:
        out.log.append(
            LogEntry(
                STEP,
                "moved",
                f"{count(len(labels), 'footnote')} of page {page} moved to the end",
                "\n".join(lines[i].plain for i in at),
                "",
                None,
            )
        )


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
