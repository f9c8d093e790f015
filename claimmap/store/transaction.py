"""Write units: each user action is one ``BEGIN IMMEDIATE`` ... ``COMMIT``.

A deferred transaction that reads and then writes fails with SQLITE_BUSY at once
when another process holds the write lock, whatever ``busy_timeout`` says, so we
take the write lock up front.  sqlite-utils operations inside the unit use
savepoints (``Database.atomic`` nests), so the unit commits or rolls back whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database


@contextmanager
def write_unit(db: Database) -> Iterator[Database]:
    """Run the block as one immediate transaction; roll back on any exception."""
    conn = db.conn
    if conn.in_transaction:
        # Nested unit: the outer one owns commit/rollback.
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
