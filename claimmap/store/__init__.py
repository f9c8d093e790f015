"""SQLite storage through sqlite-utils: connection settings, migrations, write units."""

from claimmap.store.connection import default_db_path, open_db
from claimmap.store.transaction import write_unit

__all__ = ["default_db_path", "open_db", "write_unit"]
