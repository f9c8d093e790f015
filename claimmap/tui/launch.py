"""Running the annotator from the command line."""

from __future__ import annotations

from pathlib import Path

from claimmap.store import open_db
from claimmap.tui.app import ClaimmapApp


def run_app(db_path: Path) -> None:
    """Open (creating and migrating if needed) the database and run the app on it."""
    db = open_db(db_path)
    try:
        ClaimmapApp(db).run()
    finally:
        db.close()
