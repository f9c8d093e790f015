"""Online backups with ``VACUUM INTO`` (never a file copy of a live database)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from claimmap.errors import ClaimmapError

KEEP_AUTOMATIC = 5


def backup_to(db: Database, target: Path) -> Path:
    """Write a consistent copy of ``db`` to ``target`` (which must not exist)."""
    if target.exists():
        raise ClaimmapError(f"{target}: already exists; choose another backup path")
    if not target.parent.exists():
        raise ClaimmapError(f"{target.parent}: directory does not exist")
    try:
        db.execute("VACUUM INTO ?", [str(target)])
    except sqlite3.OperationalError as exc:
        # A half-written copy is worse than none: nobody should restore from it.
        target.unlink(missing_ok=True)
        raise ClaimmapError(f"{target}: cannot write the backup ({exc})") from None
    return target


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / f"{db_path.name}.backups"


def automatic_backup(db: Database, db_path: Path, reason: str) -> Path:
    """A timestamped backup beside the database, keeping the newest few."""
    folder = backup_dir(db_path)
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_to(db, folder / f"{db_path.stem}-{stamp}-{reason}.db")
    backups = sorted(folder.glob(f"{db_path.stem}-*.db"))
    for old in backups[:-KEEP_AUTOMATIC]:
        old.unlink()
    return target
