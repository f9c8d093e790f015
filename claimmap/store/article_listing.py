"""Listing articles with plain sqlite3: what ``claimmap articles`` prints, fast.

Scripts call ``claimmap articles --json`` often, and its start-up was mostly
importing pydantic and sqlite-utils (issue 11).  The rows here are exactly
``Article.model_dump(mode="json")`` (every field is a string, an integer or
null, which JSON mode passes through unchanged; a test keeps the two equal), so
the model stays the one description of an article without being imported to
list them.

The file is read only when it is a claimmap database that needs nothing done to
it: it exists, is in WAL mode and has exactly this claimmap's migrations.
Anything else (no file, an older or newer schema, not a database at all) is
left to ``open_db``, which creates, converts, migrates or refuses it as every
command does.  That keeps ``articles`` behaving as before in those cases.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

from claimmap.store.connection import warn_if_network
from claimmap.store.readonly import pending_migrations, readonly_connection, unknown_migrations

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


def article_rows_if_current(path: Path) -> list[dict[str, Any]] | None:
    """The articles of the database at ``path``, read without changing it; None when
    it is not a current claimmap database, for the caller to open it with ``open_db``."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_size == 0:
        return None
    warn_if_network(path)  # as open_db would; it warns once per path
    try:
        conn = readonly_connection(path)
    except sqlite3.Error:
        return None
    try:
        # One snapshot, so a migration committed meanwhile cannot come between
        # the schema check and the rows.
        conn.execute("BEGIN")
        mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        if mode != "wal" or pending_migrations(conn) or unknown_migrations(conn):
            return None
        return article_rows(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()
