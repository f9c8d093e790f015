"""Plain value types shared by the text-preparation steps.

All offsets are code-point indices into the canonical text, end exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

LogAction = Literal["removed", "replaced", "moved", "joined"]
RegionKind = Literal["footnote", "footnote_marker"]
SegmentKind = Literal["paragraph", "sentence", "clause"]


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from raw bytes and the encoding that produced it."""

    text: str
    encoding: str


@dataclass(frozen=True, slots=True)
class Region:
    """A typed range of the canonical text (footnote block, footnote marker)."""

    kind: RegionKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Segment:
    """A paragraph, sentence or clause range of the canonical text."""

    kind: SegmentKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One change made by a cleaning step.

    ``before`` is the exact text the step took out or rewrote and ``after`` what
    replaced it ("" for removals), so a dry run can show each change verbatim.
    ``line`` is the 1-based line number in the step's *input* text (None when the
    change is not tied to one line).
    """

    step: str
    action: LogAction
    detail: str
    before: str
    after: str
    line: int | None


@dataclass(frozen=True, slots=True)
class CleanResult:
    """Canonical text, the log of every change, and typed regions of the text."""

    text: str
    log: list[LogEntry] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Metadata:
    """What the article states about itself; None where it does not say so reliably."""

    title: str | None
    authors: str | None
    venue: str | None
    date: str | None
    script: str
