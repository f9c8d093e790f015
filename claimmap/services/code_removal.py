"""Taking back a code the analyst has just created (the app's undo).

A code is removed only while no span uses it: undo must never strip a tag from
the analyst's spans as a side effect.
"""

from __future__ import annotations

from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.store import write_unit


def remove_unused_tag(db: Database, name: str) -> None:
    """Delete the code ``name`` (one write unit); refused while a span uses it."""
    with write_unit(db):
        row = db.execute("SELECT id FROM tags WHERE name = ?", [name]).fetchone()
        if row is None:
            raise ClaimmapError(f"no code named {name!r}")
        used = db.execute(
            "SELECT count(*) FROM span_tags WHERE tag_id = ?", [int(row[0])]
        ).fetchone()[0]
        if used:
            raise ClaimmapError(
                f"code {name!r} is used by {used} span(s): untag them first; nothing undone"
            )
        db.execute("DELETE FROM tags WHERE id = ?", [int(row[0])])
