"""Reading spans with their tags and notes as models."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.models import Span
from claimmap.store.span_listing import span_rows


def query_spans(
    db: Database,
    *,
    article_id: int | None = None,
    tag: str | None = None,
    orphaned: bool | None = None,
    ids: Iterable[int] | None = None,
    annotator: str | None = None,
) -> list[Span]:
    rows = span_rows(
        db.conn, article_id=article_id, tag=tag, orphaned=orphaned, ids=ids, annotator=annotator
    )
    return [Span(**row) for row in rows]


def get_span(db: Database, span_id: int) -> Span:
    found = query_spans(db, ids=[span_id])
    if not found:
        raise ClaimmapError(f"no span with id {span_id}; list them with 'claimmap spans'")
    return found[0]


def placed_span_at(
    db: Database, article_id: int, start: int, end: int, annotator: str | None = None
) -> int | None:
    """The id of the placed (not orphaned) span covering exactly [start, end), if any;
    with ``annotator``, only theirs (two analysts coding one passage keep two spans)."""
    sql = 'SELECT id FROM spans WHERE article_id = ? AND start = ? AND "end" = ? AND orphaned = 0'
    params: list[Any] = [article_id, start, end]
    if annotator is not None:
        sql += " AND annotator = ?"
        params.append(annotator)
    row = db.execute(sql + " ORDER BY id LIMIT 1", params).fetchone()
    return None if row is None else int(row[0])


def tag_counts_by_article(db: Database) -> dict[int, dict[str, int]]:
    """Spans per tag, per article id, in one grouped read (not a query per article)."""
    counts: dict[int, dict[str, int]] = {}
    for article_id, name, count in db.execute(
        "SELECT s.article_id, t.name, count(*) FROM spans s "
        "JOIN span_tags st ON st.span_id = s.id JOIN tags t ON t.id = st.tag_id "
        "GROUP BY s.article_id, t.name"
    ):
        counts.setdefault(int(article_id), {})[str(name)] = int(count)
    return counts
