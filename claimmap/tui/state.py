"""Remembered UI state (last article, cursor per article) in the ``app_state`` table.

Plain SQL over the store's write units: no Textual here, so it is testable alone.
"""

from __future__ import annotations

from sqlite_utils import Database

from claimmap.store import write_unit

LAST_ARTICLE = "tui.last_article"


def _pos_key(article_id: int) -> str:
    return f"tui.pos.{article_id}"


def get_value(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM app_state WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def set_values(db: Database, values: dict[str, str]) -> None:
    with write_unit(db):
        db.conn.executemany(
            "INSERT INTO app_state (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            list(values.items()),
        )


def last_article(db: Database) -> int | None:
    value = get_value(db, LAST_ARTICLE)
    return int(value) if value and value.isdigit() else None


def saved_positions(db: Database) -> dict[int, int]:
    """Cursor offset per article id."""
    out: dict[int, int] = {}
    for key, value in db.execute("SELECT key, value FROM app_state WHERE key LIKE 'tui.pos.%'"):
        suffix = str(key)[len("tui.pos.") :]
        if suffix.isdigit() and str(value).isdigit():
            out[int(suffix)] = int(value)
    return out


def remember(db: Database, article_id: int, offset: int) -> None:
    set_values(db, {LAST_ARTICLE: str(article_id), _pos_key(article_id): str(offset)})
