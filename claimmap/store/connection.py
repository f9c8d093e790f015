"""Opening a database: path resolution, connection pragmas, schema migration."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.store.migrations import migrate

BUSY_TIMEOUT_MS = 10_000
SQLITE_MAGIC = b"SQLite format 3\x00"


def default_db_path() -> Path:
    """``$CLAIMMAP_DB`` or ``./claimmap.db``."""
    return Path(os.environ.get("CLAIMMAP_DB") or "claimmap.db")


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise ClaimmapError(f"{path}: is a directory, not a database file")
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as fh:
            head = fh.read(16)
        if head != SQLITE_MAGIC:
            raise ClaimmapError(f"{path}: not a claimmap database (not an SQLite file)")
    elif not path.parent.exists():
        raise ClaimmapError(f"{path.parent}: directory does not exist")


def connect(path: Path | str | None = None, *, memory: bool = False) -> Database:
    """Open a connection with the pragmas every connection needs, without migrating."""
    if memory:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    else:
        p = Path(path) if path is not None else default_db_path()
        _check_file(p)
        try:
            conn = sqlite3.connect(
                str(p),
                isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
            )
        except sqlite3.OperationalError as exc:
            raise ClaimmapError(f"{p}: cannot open database ({exc})") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not memory:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise ClaimmapError(f"cannot switch database to WAL mode (got {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise ClaimmapError(f"{path}: cannot use database ({exc})") from None
    return Database(conn)


def open_db(path: Path | str | None = None, *, memory: bool = False) -> Database:
    """Open (creating if needed) and migrate a claimmap database."""
    db = connect(path, memory=memory)
    try:
        migrate(db, None if memory else Path(db.conn.execute("PRAGMA database_list").fetchone()[2]))
    except sqlite3.OperationalError as exc:
        db.close()
        raise ClaimmapError(f"cannot prepare database: {exc}") from None
    except BaseException:
        db.close()
        raise
    return db
