"""Text with note markers at code-point offsets, kept right through joins and strips.

Readers build a document's body from pieces (runs, cells, paragraphs, chapters);
each piece carries the markers of the note references inside it, and every
operation that shifts text shifts its markers with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from claimmap.documents.notes import marker_text
from claimmap.documents.types import NoteMarker

# Markup whitespace only: no-break and ideographic spaces are the author's.
_MARKUP_SPACE_RE = re.compile(r"[ \t\n\r\f]+")


@dataclass(slots=True)
class MarkedText:
    """Text with note markers at offsets into it; joined and stripped as one."""

    text: str = ""
    marks: list[NoteMarker] = field(default_factory=list)

    def add_markup_text(self, text: str) -> None:
        """Append text from markup: whitespace runs are one space, none after a break."""
        text = _MARKUP_SPACE_RE.sub(" ", text)
        if text.startswith(" ") and (not self.text or self.text[-1] in " \n"):
            text = text[1:]
        self.text += text

    def add_break(self) -> None:
        self.text = self.text.rstrip(" ") + "\n"

    def add_marker(self, label: str) -> None:
        # Written in caret form (``notes.marker_text``), as the PDF reader writes it.
        start = len(self.text)
        mark = marker_text(label)
        self.text += mark
        self.marks.append(NoteMarker(start, start + len(mark), label))

    def strip(self) -> MarkedText:
        lead = len(self.text) - len(self.text.lstrip())
        stripped = self.text.strip()
        marks = [
            NoteMarker(mark.start - lead, mark.end - lead, mark.label)
            for mark in self.marks
            if mark.start - lead >= 0 and mark.end - lead <= len(stripped)
        ]
        return MarkedText(stripped, marks)

    def flat(self) -> MarkedText:
        """Line breaks and tabs as spaces (same length): for a table cell."""
        return MarkedText(self.text.replace("\n", " ").replace("\t", " "), self.marks)


def join(separator: str, pieces: Iterable[MarkedText]) -> MarkedText:
    out = MarkedText()
    parts: list[str] = []
    length = 0
    for k, piece in enumerate(pieces):
        if k:
            parts.append(separator)
            length += len(separator)
        out.marks.extend(NoteMarker(m.start + length, m.end + length, m.label) for m in piece.marks)
        parts.append(piece.text)
        length += len(piece.text)
    out.text = "".join(parts)
    return out
