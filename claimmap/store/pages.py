"""An article's pages (from a PDF or another paged document) and the page of an offset.

A span's page is the page it starts on, named by its printed label (``xii``,
``12``), else its number; articles without pages have none.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class PageIndex:
    """One article's page starts and ends (sorted) and labels: the body's pages are
    contiguous; a document's footnote block has a range per note, on the note's page."""

    starts: list[int]
    ends: list[int]
    labels: list[str]


def load_pages(db: Database) -> dict[int, PageIndex]:
    """Every article's pages, by article id (articles without pages are absent)."""
    out: dict[int, PageIndex] = {}
    for article_id, seq, start, end, label in db.execute(
        'SELECT article_id, seq, start, "end", label FROM article_pages '
        'WHERE "end" > start ORDER BY article_id, seq'
    ):
        index = out.setdefault(int(article_id), PageIndex([], [], []))
        index.starts.append(int(start))
        index.ends.append(int(end))
        index.labels.append(str(label) if label is not None else str(int(seq) + 1))
    return out


def page_at(index: PageIndex | None, offset: int) -> str | None:
    """The label of the page ``offset`` falls on; None outside every page."""
    if index is None:
        return None
    k = bisect.bisect_right(index.starts, offset) - 1
    if k < 0 or offset >= index.ends[k]:
        return None
    return index.labels[k]
