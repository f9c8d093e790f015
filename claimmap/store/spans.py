"""Reading spans with their tags and notes as models."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.models import Span

_SPAN_SQL = """
SELECT s.id, a.ref AS article, s.article_id, s.start, s."end", s.quote, s.prefix, s.suffix,
       s.annotator, s.claim_id, s.orphaned, s.created_at, s.updated_at,
       n.body AS note,
       (SELECT coalesce(p.label, CAST(p.seq + 1 AS TEXT)) FROM article_pages p
        WHERE p.article_id = s.article_id AND p.start <= s.start AND s.start < p."end"
        ORDER BY p.seq LIMIT 1) AS page,
       (SELECT group_concat(name, char(31)) FROM (
            SELECT t.name FROM span_tags st JOIN tags t ON t.id = st.tag_id
            WHERE st.span_id = s.id ORDER BY t.ordinal, t.name)) AS tag_names
FROM spans s
JOIN articles a ON a.id = s.article_id
LEFT JOIN notes n ON n.span_id = s.id
"""
_ORDER = ' ORDER BY s.article_id, s.start, s."end", s.id'


def _span(row: dict[str, Any]) -> Span:
    names = row.pop("tag_names")
    row["tags"] = names.split("\x1f") if names else []
    row["orphaned"] = bool(row["orphaned"])
    return Span(**row)


def query_spans(
    db: Database,
    *,
    article_id: int | None = None,
    tag: str | None = None,
    orphaned: bool | None = None,
    ids: Iterable[int] | None = None,
    annotator: str | None = None,
) -> list[Span]:
    where: list[str] = []
    params: list[Any] = []
    if annotator is not None:
        where.append("s.annotator = ?")
        params.append(annotator)
    if article_id is not None:
        where.append("s.article_id = ?")
        params.append(article_id)
    if tag is not None:
        where.append(
            "s.id IN (SELECT st.span_id FROM span_tags st JOIN tags t ON t.id = st.tag_id "
            "WHERE t.name = ?)"
        )
        params.append(tag)
    if orphaned is not None:
        where.append("s.orphaned = ?")
        params.append(int(orphaned))
    if ids is not None:
        id_list = list(ids)
        where.append(f"s.id IN ({','.join('?' * len(id_list))})" if id_list else "0")
        params.extend(id_list)
    sql = _SPAN_SQL + (" WHERE " + " AND ".join(where) if where else "") + _ORDER
    return [_span(r) for r in db.query(sql, params)]


def layer_span_rows(db: Database, annotator: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """``query_spans(annotator=...)`` before its rows become models: the column names
    and the plain rows, in the same order.  For a caller that looks at every span of a
    layer but needs models of a few (sync rebuilds only the articles that changed)."""
    cursor = db.execute(_SPAN_SQL + " WHERE s.annotator = ?" + _ORDER, [annotator])
    return [str(d[0]) for d in cursor.description], cursor.fetchall()


def span_from_row(columns: list[str], row: tuple[Any, ...]) -> Span:
    """One row of ``layer_span_rows`` as the model ``query_spans`` makes of it."""
    return _span(dict(zip(columns, row, strict=True)))


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
