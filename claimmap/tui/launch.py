"""Running the annotator from the command line."""

from __future__ import annotations

from pathlib import Path

from claimmap.store import open_db
from claimmap.tui.app import ClaimmapApp


def run_app(db_path: Path, *, annotator: str | None = None, layer: str | None = None) -> None:
    """Open (creating and migrating if needed) the database and run the app on it,
    writing as ``annotator`` and showing ``layer`` (None: every layer)."""
    db = open_db(db_path)
    try:
        ClaimmapApp(db, annotator=annotator, layer=layer).run()
    finally:
        db.close()
