"""Write units: each user action is one ``BEGIN IMMEDIATE`` ... ``COMMIT``.

A deferred transaction that reads and then writes fails with SQLITE_BUSY at once
when another process holds the write lock, whatever ``busy_timeout`` says, so we
take the write lock up front.  sqlite-utils operations inside the unit use
savepoints (``Database.atomic`` nests), so the unit commits or rolls back whole.

Failures of the storage itself (disk full, read-only location, I/O error, a
lock held longer than the busy timeout) are turned into one ``ClaimmapError``
naming the database file, after the unit is rolled back: they are the user's
environment, not a bug, and must not reach them as a traceback.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING

from claimmap.errors import ClaimmapError
from claimmap.store.schema import QUOTE_GUARD_MESSAGE

if TYPE_CHECKING:  # only annotations: importing claimmap.store costs no sqlite-utils
    from sqlite_utils import Database

# Primary result codes (the low byte of extended codes) that describe the
# environment rather than a programming error.
_ENVIRONMENT_ERRORS: dict[int, str] = {
    5: "the database is busy: another process held its write lock too long; try again",
    6: "the database is locked by another connection; try again",
    8: "the database location is read-only (cannot write there)",
    10: "disk I/O error while writing (is the disk full or failing?)",
    11: "the database file is corrupt; restore a backup ('claimmap check' tells more)",
    13: "the disk is full (or the database reached its size limit)",
    14: "cannot open a file next to the database (is its folder writable?)",
    26: "the file is not a database",
}


def storage_error(db: Database, exc: sqlite3.Error) -> ClaimmapError | None:
    """A user-facing error for an environmental SQLite failure, else None."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    problem = _ENVIRONMENT_ERRORS.get(code & 0xFF)
    if problem is None:
        return None
    return ClaimmapError(f"{database_name(db)}: {problem} ({exc}); nothing was changed")


def database_name(db: Database) -> str:
    try:
        row = db.conn.execute("PRAGMA database_list").fetchone()
    except sqlite3.Error:
        return "database"
    return str(row[2]) if row and row[2] else "in-memory database"


def _rollback(db: Database) -> None:
    if db.conn.in_transaction:
        # SQLite may already have rolled back (e.g. after SQLITE_FULL); the
        # original error is the one worth reporting.
        with suppress(sqlite3.Error):
            db.conn.execute("ROLLBACK")


@contextmanager
def write_unit(db: Database) -> Iterator[Database]:
    """Run the block as one immediate transaction; roll back on any exception."""
    conn = db.conn
    if conn.in_transaction:
        # Nested unit: the outer one owns commit/rollback.
        with db.atomic():
            yield db
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        error = storage_error(db, exc)
        if error is None:
            raise
        raise error from None
    try:
        yield db
        conn.execute("COMMIT")
    except sqlite3.IntegrityError as exc:
        _rollback(db)
        if QUOTE_GUARD_MESSAGE in str(exc):
            raise ClaimmapError(
                f"{database_name(db)}: refused: the {QUOTE_GUARD_MESSAGE} (the article "
                "changed since it was read?); nothing was changed"
            ) from None
        raise
    except sqlite3.OperationalError as exc:
        _rollback(db)
        error = storage_error(db, exc)
        if error is None:
            raise
        raise error from None
    except BaseException:
        _rollback(db)
        raise
