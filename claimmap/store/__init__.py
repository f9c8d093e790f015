"""SQLite storage through sqlite-utils: connection settings, migrations, write units."""

from claimmap.store.connection import db_file, default_db_path, open_db
from claimmap.store.transaction import write_unit

__all__ = ["db_file", "default_db_path", "open_db", "write_unit"]
