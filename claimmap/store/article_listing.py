"""Articles as plain rows: what ``claimmap articles`` prints, without the model.

The rows are exactly ``Article.model_dump(mode="json")`` (every field is a
string, an integer or null, which JSON mode passes through unchanged; a test
keeps the two equal), so the model stays the one description of an article
without being imported to list them (issue 11: pydantic's import alone cost more
than the listing's start-up budget).
"""

from __future__ import annotations

import sqlite3
from typing import Any

# The Article model's fields, in its order (the JSON keys' order): also the
# columns every article query selects.
ARTICLE_FIELDS: tuple[str, ...] = (
    "id",
    "ref",
    "source",
    "title",
    "authors",
    "venue",
    "date",
    "script",
    "encoding",
    "chars",
    "raw_sha256",
    "text_sha256",
    "imported_at",
    "updated_at",
    "url",
)
ARTICLE_COLUMNS = ", ".join(ARTICLE_FIELDS)


def article_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every article as ``Article.model_dump(mode="json")`` would give it, by id."""
    cursor = conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY id")
    return [dict(zip(ARTICLE_FIELDS, row, strict=True)) for row in cursor]


def text_by_ref(conn: sqlite3.Connection, reference: str) -> str | None:
    """The text of the one article whose ref is exactly ``reference`` (stripped), or
    None.  An exact ref is the first thing ``resolve_article`` matches, so where
    this finds an article the resolver would return the same one; anything else
    (an id, a file name, a prefix, a near miss) is left to the resolver."""
    rows = conn.execute(
        "SELECT text FROM articles WHERE ref = ? LIMIT 2", [reference.strip()]
    ).fetchall()
    return str(rows[0][0]) if len(rows) == 1 else None
