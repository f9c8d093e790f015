"""A reader's ``DocumentText`` to the canonical text, its regions and its pages.

The body gets the cleaning that is safe on a document a reader has already laid
out: Unicode/line-end normalisation and the pinyin-leak repair (which changes a
text only where it shows the pattern repeatedly).  Not the spam filter: the
reader has already left out page furniture and site navigation, and the
filter's link-farm rule would take lists that are content (reference lists,
keywords, author lists) for spam.  Not the footnote step either: the reader
found the notes from the layout, which is surer than from the text.

Then the notes are appended as a footnote block, each on its own paragraph
(``^1 text``), like the plain-text treatment of a PDF conversion (seed 002),
and the markers and pages are carried through every change the cleaning made.
A note printed on a page gets a page range of its own in the footnote block.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from claimmap.anchoring import offset_map
from claimmap.documents.notes import note_line
from claimmap.documents.types import DocumentText, Page
from claimmap.textprep.normalize import normalize_text
from claimmap.textprep.pinyin_leak import repair_pinyin_leaks
from claimmap.textprep.types import CleanResult, LogEntry, Region

NOTE_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class CanonicalDocument:
    cleaned: CleanResult
    pages: list[Page]


def _identity(offset: int) -> int:
    return offset


def canonical_document(doc: DocumentText) -> CanonicalDocument:
    normalized = normalize_text(doc.body)
    log = list(doc.log)
    if normalized != doc.body:
        log.append(LogEntry("normalize", "replaced", "Unicode NFC and line endings", "", "", None))
    body, leak_log = repair_pinyin_leaks(normalized)
    body = body.rstrip()
    log += leak_log
    moved: Callable[[int], int] = _identity if body == doc.body else offset_map(doc.body, body)
    regions = [
        Region("footnote_marker", moved(m.start), moved(m.end))
        for m in doc.markers
        if moved(m.end) > moved(m.start)
    ]
    pages = _pages(doc.pages, moved, len(body))
    text = body
    for note in doc.notes:
        line = normalize_text(note_line(note)).strip()
        if not line:
            continue
        text += NOTE_SEPARATOR if text else ""
        regions.append(Region("footnote", len(text), len(text) + len(line)))
        if note.page is not None:
            # The note keeps the page it was printed on, so a quote from the
            # footnote block is cited there (the body's pages end before it).
            pages.append(Page(len(text), len(text) + len(line), note.page))
        text += line
    return CanonicalDocument(CleanResult(text=text, log=log, regions=regions), pages)


def _pages(pages: list[Page], moved: Callable[[int], int], end: int) -> list[Page]:
    """Pages carried through the cleaning, still contiguous and in order."""
    starts = [min(moved(p.start), end) for p in pages]
    for k in range(1, len(starts)):
        starts[k] = max(starts[k], starts[k - 1])
    bounds = [*starts, end]
    if pages:
        bounds[-1] = max(min(moved(pages[-1].end), end), starts[-1])
    return [Page(bounds[k], bounds[k + 1], p.label) for k, p in enumerate(pages)]
