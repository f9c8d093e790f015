"""A consistent read: several queries that see one state of the database.

Readers that assemble one picture from several tables (a map, an export) read
inside a deferred transaction, so that a writer committing between two queries
cannot give them relations that point at spans they never read.  Inside a unit
the caller already holds, the reads simply join it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database


@contextmanager
def read_snapshot(db: Database) -> Iterator[None]:
    conn = db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
