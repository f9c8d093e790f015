"""Spans as plain rows: the one query behind ``query_spans`` and ``claimmap spans``.

A row is exactly ``Span.model_dump(mode="json")`` (a test keeps the two equal):
``query_spans`` builds its models from these rows, and ``spans --json`` prints
them without importing pydantic or sqlite-utils (issue 11).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

# The Span model's fields, in its order (the JSON keys' order); the query below
# selects them in this order, with the tags as one string to split.
SPAN_FIELDS: tuple[str, ...] = (
    "id",
    "article",
    "article_id",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "tags",
    "note",
    "annotator",
    "claim_id",
    "orphaned",
    "created_at",
    "updated_at",
    "page",
)

_SPAN_SQL = """
SELECT s.id, a.ref AS article, s.article_id, s.start, s."end", s.quote, s.prefix, s.suffix,
       (SELECT group_concat(name, char(31)) FROM (
            SELECT t.name FROM span_tags st JOIN tags t ON t.id = st.tag_id
            WHERE st.span_id = s.id ORDER BY t.ordinal, t.name)) AS tag_names,
       n.body AS note, s.annotator, s.claim_id, s.orphaned, s.created_at, s.updated_at,
       (SELECT coalesce(p.label, CAST(p.seq + 1 AS TEXT)) FROM article_pages p
        WHERE p.article_id = s.article_id AND p.start <= s.start AND s.start < p."end"
        ORDER BY p.seq LIMIT 1) AS page
FROM spans s
JOIN articles a ON a.id = s.article_id
LEFT JOIN notes n ON n.span_id = s.id
"""
_ORDER = ' ORDER BY s.article_id, s.start, s."end", s.id'


def span_rows(
    conn: sqlite3.Connection,
    *,
    article_id: int | None = None,
    tag: str | None = None,
    orphaned: bool | None = None,
    ids: Iterable[int] | None = None,
    annotator: str | None = None,
) -> list[dict[str, Any]]:
    """The spans that pass every filter given, by article and position."""
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
    return [as_row(values) for values in conn.execute(sql, params)]


def layer_span_rows(conn: sqlite3.Connection, annotator: str) -> list[tuple[Any, ...]]:
    """One layer's spans as the query's raw tuples (``SPAN_FIELDS`` order, tags one
    string), for a caller that looks at every span but needs rows of a few (sync
    rebuilds only the articles that changed); ``as_row`` makes one a row."""
    return conn.execute(_SPAN_SQL + " WHERE s.annotator = ?" + _ORDER, [annotator]).fetchall()


def as_row(values: Iterable[Any]) -> dict[str, Any]:
    """A raw tuple of the query as the row ``span_rows`` gives."""
    row = dict(zip(SPAN_FIELDS, values, strict=True))
    names = row["tags"]
    row["tags"] = names.split("\x1f") if names else []
    row["orphaned"] = bool(row["orphaned"])
    return row
