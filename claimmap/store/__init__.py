"""SQLite storage through sqlite-utils: connection settings, migrations, write units.

Importing the package costs no sqlite-utils (it is imported where a connection
is made), so the listings can read with plain sqlite3 (``current_read``); and
whoever imports sqlite-utils first, it comes without numpy
(``claimmap/sqlite_utils_loader``).
"""

from claimmap.store.connection import db_file, default_db_path, open_db
from claimmap.store.transaction import write_unit

__all__ = ["db_file", "default_db_path", "open_db", "write_unit"]
