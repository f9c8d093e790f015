"""Online backups with ``VACUUM INTO`` (never a file copy of a live database).

A backup is written under a temporary name beside its final one, verified with
``PRAGMA integrity_check``, fsynced and only then given its final name, so a
killed backup never leaves a partial file where a restore would look, and the
rotation counts only complete backups.

``integrity_check`` rather than ``quick_check``: the quick check neither matches
index entries against their rows nor verifies UNIQUE constraints, and a backup
is the copy someone restores when everything else failed (a wrong index gives
wrong answers silently).  The full check is cheap beside writing the copy
(``benchmarks/bench_crash.py`` prints both), and backups are rare: before
migrations and bulk imports, or on request.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from claimmap.atomic_files import (
    folder_of,
    fsync_dir,
    fsync_file,
    remove_leftovers,
    temp_sibling,
)
from claimmap.errors import ClaimmapError

KEEP_AUTOMATIC = 5


def backup_to(db: Database, target: Path, family: str | None = None) -> Path:
    """Write a consistent, verified copy of ``db`` to ``target`` (which must not exist).

    ``family``: a glob for the names of earlier backups of the same series, whose
    temporaries left by a killed run are removed too (timestamped names never repeat).
    """
    if os.path.lexists(target):
        raise ClaimmapError(f"{target}: already exists; choose another backup path")
    folder = folder_of(target)
    if not folder.is_dir():
        raise ClaimmapError(f"{folder}: directory does not exist")
    remove_leftovers(target, family)
    tmp = temp_sibling(target)
    try:
        db.execute("VACUUM INTO ?", [str(tmp)])
        verify_backup(tmp)
        # The copy has no connection open on it, so opening it to fsync is safe.
        fsync_file(tmp)
        _publish(tmp, target)
    except sqlite3.Error as exc:
        # The live database could not be read whole (damaged), or the disk is full.
        raise ClaimmapError(f"{target}: cannot write the backup ({exc})") from None
    except OSError as exc:
        raise ClaimmapError(f"{target}: cannot write the backup ({exc.strerror})") from None
    finally:
        _remove(tmp)
    fsync_dir(folder)
    return target


def verify_backup(path: Path) -> None:
    """Raise ClaimmapError unless ``path`` is a complete, consistent database."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        result = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        result = [str(exc)]
    finally:
        conn.close()
    if result != ["ok"]:
        first = result[0].replace("\n", "; ") if result else "no answer"
        raise ClaimmapError(
            f"{path}: the backup copy failed its integrity check ({first}); nothing was kept"
        )


def _publish(tmp: Path, target: Path) -> None:
    """Give ``tmp`` the name ``target`` without ever replacing an existing file."""
    try:
        # A hard link fails if the name exists, atomically, unlike a rename.
        os.link(tmp, target)
    except FileExistsError:
        raise ClaimmapError(f"{target}: already exists; choose another backup path") from None
    except OSError:
        # File systems without hard links (some FUSE and FAT mounts): check, then rename.
        if os.path.lexists(target):
            raise ClaimmapError(f"{target}: already exists; choose another backup path") from None
        os.replace(tmp, target)


def _remove(tmp: Path) -> None:
    tmp.unlink(missing_ok=True)
    # VACUUM INTO may leave its rollback journal behind when it fails.
    Path(f"{tmp}-journal").unlink(missing_ok=True)


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / f"{db_path.name}.backups"


def automatic_backup(db: Database, db_path: Path, reason: str) -> Path:
    """A timestamped backup beside the database, keeping the newest few."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        folder.mkdir(exist_ok=True)
        fsync_dir(folder_of(db_path))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_to(
        db, folder / f"{db_path.stem}-{stamp}-{reason}.db", family=f"{db_path.stem}-*.db"
    )
    # Temporaries start with a dot, so this glob sees only complete backups.
    backups = sorted(folder.glob(f"{db_path.stem}-*.db"))
    for old in backups[:-KEEP_AUTOMATIC]:
        old.unlink()
    return target


def backups_of(db_path: Path) -> list[Path]:
    """Complete backups of ``db_path``, newest first: the automatic ones and those
    ``claimmap backup`` writes beside the database by default."""
    found = [
        *backup_dir(db_path).glob(f"{db_path.stem}-*.db"),
        *folder_of(db_path).glob(f"{db_path.stem}-backup-*.db"),
    ]
    regular = [p for p in found if p.is_file() and not p.is_symlink()]
    return sorted(regular, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
