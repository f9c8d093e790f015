"""Applying the ordered migrations, each in its own write unit, recorded in a table."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from claimmap.errors import ClaimmapError
from claimmap.store.schema import MIGRATIONS
from claimmap.store.transaction import write_unit

if TYPE_CHECKING:  # only annotations: the lean listings check migrations without sqlite-utils
    from sqlite_utils import Database

MIGRATIONS_TABLE = "schema_migrations"


def applied_migrations(db: Database | sqlite3.Connection) -> list[str]:
    """The migrations recorded in ``db``; a plain connection will do (the lean
    listings check them without sqlite-utils: ``current_read``)."""
    table = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
    ).fetchone()
    if table is None:
        return []
    return [row[0] for row in db.execute(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY name")]


def migrate(db: Database, path: Path | None) -> list[str]:
    """Apply pending migrations; refuse a database written by a newer claimmap.

    Returns the names applied.  A database that already holds data is backed up
    (``VACUUM INTO``) before its schema changes.
    """
    known = [name for name, _ in MIGRATIONS]
    applied = applied_migrations(db)
    unknown = sorted(set(applied) - set(known))
    if unknown:
        raise ClaimmapError(
            f"database schema is newer than this claimmap (unknown migration {unknown[-1]}); "
            "upgrade claimmap"
        )
    if not applied and db.table_names() and MIGRATIONS_TABLE not in db.table_names():
        raise ClaimmapError("not a claimmap database (it has other tables and no schema record)")
    pending = [(name, fn) for name, fn in MIGRATIONS if name not in applied]
    if pending and applied and path is not None:
        from claimmap.store.backup import automatic_backup

        automatic_backup(db, path, reason="migrate")
    for name, fn in pending:
        _apply(db, name, fn)
    return [name for name, _ in pending]


def _apply(db: Database, name: str, fn: Callable[[Database], None]) -> None:
    """One migration in one write unit.  Foreign keys are off while it runs (a
    table rebuild drops and recreates referenced tables; with keys on, the drop
    would cascade) and checked before it commits."""
    db.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction: set it first
    try:
        with write_unit(db):
            db.execute(
                f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} "
                "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            # Two processes opening a new database both see it unmigrated; the second
            # gets the write lock only after the first committed, so look again.
            done = db.execute(f"SELECT 1 FROM {MIGRATIONS_TABLE} WHERE name = ?", [name]).fetchone()
            if done is not None:
                return
            fn(db)
            broken = db.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise ClaimmapError(
                    f"migration {name} would break {len(broken)} references "
                    f"(first: {tuple(broken[0])}); nothing was changed"
                )
            db.execute(
                f"INSERT INTO {MIGRATIONS_TABLE} (name, applied_at) VALUES (?, ?)",
                [name, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")],
            )
    finally:
        db.execute("PRAGMA foreign_keys = ON")
