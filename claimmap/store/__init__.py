"""SQLite storage through sqlite-utils: connection settings, migrations, write units."""

# First, so that sqlite-utils is imported without numpy (see the module).
from claimmap.store import sqlite_utils_loader  # noqa: F401
from claimmap.store.connection import db_file, default_db_path, open_db
from claimmap.store.transaction import write_unit

__all__ = ["db_file", "default_db_path", "open_db", "write_unit"]
