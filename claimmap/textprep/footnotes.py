"""Footnote blocks of PDF conversions: set apart at the end, split sentences rejoined.

A PDF-to-text conversion drops each page's footnotes (``^① Author, "Title"…``)
between body paragraphs, often in the middle of a sentence.  We move every
footnote line to the end of the document, in order and unchanged, and where the
body paragraph before a block does not end a sentence we rejoin it with the body
text after the block.  The markers in the body (``^①``, ``^{*}``) stay in the
text and are reported as regions, as are the footnotes themselves.

A document is only changed when it clearly shows the pattern: caret markers in
the body and at least ``MIN_INTERLEAVED_BLOCKS`` footnote blocks followed by more
body text.  A document whose footnotes are already all at the end (for instance
one cleaned before) gets its regions reported and its text left as is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimmap.textprep.types import LogEntry, Region
from claimmap.wording import count

STEP = "footnotes"
MIN_INTERLEAVED_BLOCKS = 2
MIN_BODY_MARKERS = 2
# A fragment must look like running prose before we glue anything to it.
MIN_JOIN_FRAGMENT_CHARS = 30

_CIRCLED = "\u2460-\u2473\u3251-\u325f\u32b1-\u32bf"
_FOOTNOTE_LINE_RE = re.compile(
    r"^[ \t]*(?:\^?[" + _CIRCLED + r"]|\^\{[^}\n]{1,6}\}|\^\d{1,3})[ \t]*\S"
)
_STAR_NOTE_LINE_RE = re.compile(r"^[ \t]*\*[ \t]*\S")
# In-body markers are the caret forms only: a bare ① in running text is as often an
# enumeration as a note reference.
_BODY_MARKER_RE = re.compile(r"\^(?:\{[^}\n]{1,6}\}|[" + _CIRCLED + r"]|\d{1,3})")
_TRAILING_MARKERS_RE = re.compile(r"(?:\s*\^(?:\{[^}\n]{1,6}\}|[" + _CIRCLED + r"]|\d{1,3}))+\s*$")
_SENTENCE_FINAL = frozenset("。！？!?…；;.:：")
_CLOSERS = frozenset("”’」』）)】》]\"'")
_PROSE_PUNCT_RE = re.compile(r"[,，、。;；:：]")
_HYPHEN_END_RE = re.compile(r"[A-Za-z]-$")
_LOWER_START_RE = re.compile(r"^[a-z]")


@dataclass(frozen=True, slots=True)
class _Block:
    first: int  # first footnote line (0-based)
    last: int  # last footnote line (0-based, inclusive)
    notes: tuple[int, ...]  # footnote line indices in the block


def _footnote_lines(lines: list[str], star_notes: bool) -> list[bool]:
    return [
        bool(_FOOTNOTE_LINE_RE.match(line) or (star_notes and _STAR_NOTE_LINE_RE.match(line)))
        for line in lines
    ]


def _blocks(lines: list[str], is_note: list[bool]) -> list[_Block]:
    """Maximal runs of footnote lines, blank lines allowed between them."""
    blocks: list[_Block] = []
    i = 0
    n = len(lines)
    while i < n:
        if not is_note[i]:
            i += 1
            continue
        notes = [i]
        j = i + 1
        while j < n:
            if is_note[j]:
                notes.append(j)
            elif lines[j].strip():
                break
            j += 1
        blocks.append(_Block(notes[0], notes[-1], tuple(notes)))
        i = j
    return blocks


def _ends_sentence(fragment: str) -> bool:
    core = _TRAILING_MARKERS_RE.sub("", fragment).rstrip()
    while core and core[-1] in _CLOSERS:
        core = core[:-1]
    return not core or core[-1] in _SENTENCE_FINAL


def _marker_regions(body: str) -> list[Region]:
    return [Region("footnote_marker", m.start(), m.end()) for m in _BODY_MARKER_RE.finditer(body)]


def set_apart_footnotes(text: str) -> tuple[str, list[LogEntry], list[Region]]:
    """Move interleaved footnote blocks to the end and rejoin split sentences.

    Returns the new text, the log (one ``moved`` entry per block, one ``joined``
    entry per rejoined sentence; line numbers are 1-based in ``text``) and the
    regions (footnotes and in-body markers) in the new text.
    """
    lines = text.split("\n")
    star_notes = "^{*}" in text
    is_note = _footnote_lines(lines, star_notes)
    blocks = _blocks(lines, is_note)
    if not blocks:
        return text, [], []
    body_markers = sum(
        len(_BODY_MARKER_RE.findall(line))
        for line, note in zip(lines, is_note, strict=True)
        if not note
    )
    if body_markers < MIN_BODY_MARKERS:
        return text, [], []
    tail_start = blocks[-1].first
    trailing = all(not lines[k].strip() or is_note[k] for k in range(tail_start, len(lines)))
    interleaved = blocks[:-1] if trailing else blocks
    if len(interleaved) < MIN_INTERLEAVED_BLOCKS:
        if trailing and len(blocks) == 1:
            return text, [], _regions_in_place(text, lines, blocks[0])
        return text, [], []

    paragraph_sep = "\n\n" if text.count("\n\n") * 4 >= text.count("\n") else "\n"
    log: list[LogEntry] = []
    body = ""
    chunk_start = 0
    for block in interleaved:
        chunk = "\n".join(lines[chunk_start : block.first])
        stripped_chunk = chunk.rstrip("\n \t")
        gap = chunk[len(stripped_chunk) :] + "\n"
        body = _append_chunk(body, stripped_chunk, log, lines, chunk_start)
        body_gap = gap if body else ""
        block_text = "\n".join(lines[k] for k in block.notes)
        log.append(
            LogEntry(
                STEP,
                "moved",
                f"footnote block of {count(len(block.notes), 'note')} moved to the end",
                block_text,
                "",
                block.first + 1,
            )
        )
        body += body_gap
        chunk_start = block.last + 1
        # Skip the blank lines between the block and the body that resumes after it.
        while chunk_start < len(lines) and not lines[chunk_start].strip():
            chunk_start += 1
    end = tail_start if trailing else len(lines)
    last_chunk = "\n".join(lines[chunk_start:end]).rstrip("\n \t")
    body = _append_chunk(body, last_chunk, log, lines, chunk_start).rstrip("\n \t")

    notes = [lines[k] for block in blocks for k in block.notes]
    regions = _marker_regions(body)
    out = body
    for note in notes:
        out += paragraph_sep
        regions.append(Region("footnote", len(out), len(out) + len(note)))
        out += note
    if text.endswith("\n"):
        out += "\n"
    return out, log, regions


def _append_chunk(
    body: str, chunk: str, log: list[LogEntry], lines: list[str], chunk_line: int
) -> str:
    """Append a body chunk, rejoining it to ``body`` when a sentence was split."""
    if not body or not chunk:
        return body + chunk
    gap_len = len(body) - len(body.rstrip("\n \t"))
    head = body[: len(body) - gap_len]
    last_line = head.rsplit("\n", 1)[-1]
    first_line = chunk.split("\n", 1)[0]
    if (
        len(last_line) < MIN_JOIN_FRAGMENT_CHARS
        or not _PROSE_PUNCT_RE.search(last_line)
        or _ends_sentence(last_line)
        or not first_line.strip()
        # Tab-separated lines are table rows: a row never continues into the next.
        or "\t" in last_line
        or "\t" in first_line
    ):
        return body + chunk
    detail = "sentence split by a footnote block rejoined"
    if _HYPHEN_END_RE.search(head) and _LOWER_START_RE.match(first_line):
        # PDF line-end hyphenation of a Latin word ("Intelli-" + "gence").
        head = head[:-1]
        detail = "sentence split by a footnote block rejoined (end-of-line hyphen removed)"
    tail = head[-20:]
    log.append(
        LogEntry(
            STEP,
            "joined",
            detail,
            body[-20 - gap_len :] + first_line[:20],
            tail + first_line[:20],
            chunk_line + 1,
        )
    )
    return head + chunk


def _regions_in_place(text: str, lines: list[str], block: _Block) -> list[Region]:
    """Regions for a document whose footnotes already sit at the end."""
    starts: list[int] = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    body_end = starts[block.first]
    regions = _marker_regions(text[:body_end])
    regions += [Region("footnote", starts[k], starts[k] + len(lines[k])) for k in block.notes]
    return regions
