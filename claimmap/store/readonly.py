"""Looking at a database without changing it: never created, never migrated, never written.

``check`` and ``import --dry-run`` must leave the file exactly as they found it,
and must not create one where there is none; ``open_db`` does both.  The file is
opened through SQLite only (never with ``open()``: see PITFALLS, POSIX locks), with
``query_only`` so that SQLite itself refuses any write statement.

Not ``mode=ro``: a read-only connection to a WAL database creates empty -wal and
-shm files it can then never remove, littering the folder of every database it
looks at.  A ``query_only`` connection that closes last checkpoints and removes
them as any claimmap command does; the rows stay as they were.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from claimmap.errors import ClaimmapError
from claimmap.store import schema
from claimmap.store.connection import BUSY_TIMEOUT_MS, connect
from claimmap.store.migrations import MIGRATIONS_TABLE, applied_migrations, migrate

if TYPE_CHECKING:
    from sqlite_utils import Database


def existing_file(path: Path) -> os.stat_result:
    """The file's status; ClaimmapError when there is no database file to look at."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ClaimmapError(f"{path}: no database here (nothing was created)") from None
    if stat.S_ISDIR(st.st_mode):
        raise ClaimmapError(f"{path}: is a directory, not a database file")
    if not stat.S_ISREG(st.st_mode):
        raise ClaimmapError(f"{path}: is not a regular file")
    return st


def open_readonly(path: Path) -> Database:
    """An existing database file, to read as it is (``existing_file`` first)."""
    from sqlite_utils import Database

    return Database(readonly_connection(path))


def readonly_connection(path: Path) -> sqlite3.Connection:
    """``open_readonly`` as a plain sqlite3 connection, for readers that need no
    sqlite-utils (``current_read``)."""
    # mode=rw: open an existing file, never create one (if it vanished meanwhile).
    conn = sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=rw",
        uri=True,
        isolation_level=None,
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA query_only = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def pending_migrations(db: Database | sqlite3.Connection) -> list[str]:
    applied = set(applied_migrations(db))
    # Through the module, so a test that adds a migration is seen here too.
    return [name for name, _ in schema.MIGRATIONS if name not in applied]


def unknown_migrations(db: Database | sqlite3.Connection) -> list[str]:
    known = {name for name, _ in schema.MIGRATIONS}
    return sorted(set(applied_migrations(db)) - known)


def is_claimmap_schema(db: Database) -> bool:
    return MIGRATIONS_TABLE in db.table_names()


def lookup_db(path: Path) -> Database:
    """A database to read, as this claimmap sees it, that leaves ``path`` untouched.

    No file (or an empty one): an empty in-memory database, so everything reads as
    new.  An older schema: an in-memory copy, migrated there.  Otherwise the file
    itself, read-only.
    """
    if not os.path.lexists(path) or existing_file(path).st_size == 0:
        return _migrated_copy(None)
    db = open_readonly(path)
    try:
        if db.table_names() and not is_claimmap_schema(db):
            raise ClaimmapError(f"{path}: not a claimmap database")
        if unknown_migrations(db):
            raise ClaimmapError(
                f"{path}: database schema is newer than this claimmap; upgrade claimmap"
            )
        if not pending_migrations(db):
            return db
        copy = _migrated_copy(db)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise ClaimmapError(f"{path}: cannot read the database ({exc})") from None
    except BaseException:
        db.close()
        raise
    db.close()
    return copy


def _migrated_copy(source: Database | None) -> Database:
    memory = connect(memory=True)
    if source is not None:
        source.conn.backup(memory.conn)
    migrate(memory, None)
    return memory
