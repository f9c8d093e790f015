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
