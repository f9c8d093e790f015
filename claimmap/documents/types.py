"""What a document reader hands the importer: body text, notes, pages, metadata.

Offsets are code points into ``body`` (end exclusive).  A reader has already
joined the lines of a paragraph and separates paragraphs with one blank line; it
keeps out what is not the author's text (running headers, page numbers, site
navigation) and says so in ``log``.  Notes (footnotes, endnotes) are given apart
from the body; the importer appends them as a marked footnote block, as it does
for notes found in plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from claimmap.textprep.types import LogEntry


@dataclass(frozen=True, slots=True)
class Page:
    """One page's range of the body, with the label printed on it (``xii``, ``12``)."""

    start: int
    end: int
    label: str | None


@dataclass(frozen=True, slots=True)
class Note:
    """A footnote or endnote: its label as printed (``1``, ``*``) and its text, and
    for a paged document the label of the page it is printed on (where a quote from
    it is cited)."""

    label: str
    text: str
    page: str | None = None


@dataclass(frozen=True, slots=True)
class NoteMarker:
    """Where the body refers to a note (the marker's own characters)."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class DocumentMetadata:
    """What the document states about itself; None where it does not say."""

    title: str | None = None
    authors: str | None = None
    date: str | None = None
    venue: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentText:
    body: str
    notes: list[Note] = field(default_factory=list)
    markers: list[NoteMarker] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    metadata: DocumentMetadata = field(default_factory=DocumentMetadata)
    log: list[LogEntry] = field(default_factory=list)


class UnreadableDocument(Exception):
    """The file cannot be read as its format (scanned PDF, encrypted, damaged):
    the message says which and why, for one ``error:`` line."""
