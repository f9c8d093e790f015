"""Reading a current claimmap database with plain sqlite3, changing nothing.

The listings scripts call most (``articles``, ``spans``) start fast by reading
without sqlite-utils or pydantic (issue 11).  They may do so only when the
database needs nothing done to it: it exists, is in WAL mode and has exactly
this claimmap's migrations.  Anything else (no file, an older or newer schema,
not a database at all, a read that fails) is left to ``open_db``, which
creates, converts, migrates or refuses it as every command does, so those
cases behave as they always did.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from claimmap.store.connection import warn_if_network
from claimmap.store.readonly import pending_migrations, readonly_connection, unknown_migrations

T = TypeVar("T")


def read_if_current(path: Path, read: Callable[[sqlite3.Connection], T]) -> T | None:
    """``read(conn)`` on the database at ``path`` in one read snapshot; None when it
    is not a current claimmap database, for the caller to open it with ``open_db``.

    An SQLite error in ``read`` also gives None (``open_db`` then reports it as
    it always did); any other error of ``read`` (a user's mistake) propagates."""
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
        return read(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()
