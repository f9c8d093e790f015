"""What every interchange reader hands the placer: spans, links, codes, new articles.

A reader (``w3c``, ``qdpx``) only parses and validates; it never writes.  It
returns a ``Parsed``: annotations named by the article they belong to (an
article already here, or one the file itself brings, see ``NewArticle``), the
links between them, and the codes the file declares.  ``placing`` anchors and
writes them in one unit.  The helpers below check values from an untrusted file
and raise ``Bad``, which the reader turns into a line naming the file and place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from claimmap.store.timestamps import parse_timestamp
from claimmap.textprep.types import CleanResult, Metadata

# Far above any article claimmap imports (20 MB files), far below SQLite's 2**63.
MAX_OFFSET = 2**31 - 1


@dataclass(slots=True)
class ParsedSpan:
    origin: str
    key: str
    article: str  # the ref of an article here, or of a NewArticle of this import
    start: int | None
    end: int | None
    exact: str
    prefix: str
    suffix: str
    tags: list[str]
    note: str | None
    label: str | None
    annotator: str
    created: str | None
    modified: str | None
    same_text: bool


@dataclass(slots=True)
class ParsedLink:
    """A claim link (same claim), or with ``relation`` set a relation: ``a`` then
    supports or attacks ``b``."""

    origin: str
    a: str
    b: str
    label: str | None
    created: str | None = None
    modified: str | None = None
    relation: str | None = None
    note: str | None = None
    annotator: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedCode:
    """A code the file declares: its whole path, description and colour."""

    name: str
    description: str | None = None
    color: str | None = None


@dataclass(slots=True)
class NewArticle:
    """An article the file brings (another tool's source not in the database)."""

    ref: str
    source: str
    raw_sha256: str
    cleaned: CleanResult
    metadata: Metadata

    @property
    def text(self) -> str:
        return self.cleaned.text


@dataclass
class Parsed:
    format: str
    spans: list[ParsedSpan] = field(default_factory=list)
    links: list[ParsedLink] = field(default_factory=list)
    codes: list[ParsedCode] = field(default_factory=list)
    articles: list[NewArticle] = field(default_factory=list)
    # What the file holds that was left out or changed on the way in, and why.
    notices: list[str] = field(default_factory=list)


@dataclass
class OrphanReport:
    origin: str
    article: str
    quote: str


@dataclass
class ImportReport:
    format: str
    path: str
    annotations: int = 0
    exact: int = 0
    moved: int = 0
    orphaned: int = 0
    merged: int = 0
    links: int = 0
    links_skipped_rejected: int = 0
    relations: int = 0
    tags_created: list[str] = field(default_factory=list)
    articles_created: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    orphans: list[OrphanReport] = field(default_factory=list)
    dry_run: bool = False


class Bad(Exception):
    """A validation problem inside one annotation; the caller adds file and line."""


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def short(value: object) -> str:
    """A value for an error line, cut short: it came from an untrusted file."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:80] + "…"


def string(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise Bad(f"{what} must be a string")
    return value


def integer(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Bad(f"{what} must be an integer")
    return value


def offset(value: Any, what: str) -> int:
    number = integer(value, what)
    if not 0 <= number <= MAX_OFFSET:
        raise Bad(f"{what} {short(number)} is out of range (0-{MAX_OFFSET})")
    return number


def iri(value: Any, what: str) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    if not isinstance(value, str) or not value:
        raise Bad(f"{what} must be an IRI (a string or an object with an id)")
    return value


def stamp(value: Any, what: str) -> str | None:
    """A date as claimmap stores it, or None when the file gives none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise Bad(f"{what} must be a date-time string, got {short(value)}")
    try:
        return parse_timestamp(value.strip())
    except ValueError as exc:
        raise Bad(f"{what}: {exc}") from None
