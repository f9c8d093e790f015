"""Opening a database: path resolution, connection pragmas, schema migration."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from claimmap.errors import ClaimmapError
from claimmap.store.migrations import migrate

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_MS = 10_000
SQLITE_NOTADB = 26

# SQLite's locking is unreliable on network file systems (its own FAQ says so):
# WAL needs shared memory that these cannot provide across machines.
NETWORK_FS_TYPES = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "sshfs", "afs", "ncpfs", "9p"}
)
MOUNTS_FILE = Path("/proc/mounts")
_warned: set[Path] = set()


def default_db_path() -> Path:
    """``$CLAIMMAP_DB`` or ``./claimmap.db``."""
    return Path(os.environ.get("CLAIMMAP_DB") or "claimmap.db")


def _check_file(path: Path) -> None:
    """Refuse what cannot be a database file, from its metadata alone.

    The file's contents are never read here: opening and closing the database
    file (or its -wal/-shm) with plain ``open()`` in a process that holds SQLite
    connections drops all of that process's POSIX locks on it, and another
    process then deletes the WAL under them.  SQLite itself says whether the
    header is a database's (SQLITE_NOTADB, in ``connect``).
    """
    if path.is_dir():
        raise ClaimmapError(f"{path}: is a directory, not a database file")
    if path.exists() and not path.is_file():
        raise ClaimmapError(f"{path}: not a regular file, so not a database file")
    if not path.exists() and not path.parent.exists():
        raise ClaimmapError(f"{path.parent}: directory does not exist")


def _unescape_mount(field: str) -> str:
    # /proc/mounts writes space, tab, newline and backslash as octal escapes.
    for code, ch in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, ch)
    return field


def network_filesystem(path: Path) -> tuple[str, str] | None:
    """(fs type, mount point) when ``path`` lies on a network file system, else None."""
    try:
        lines = MOUNTS_FILE.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None  # not Linux, or /proc unavailable: nothing to warn about
    target = path.resolve()
    best: tuple[str, str] | None = None
    best_len = -1
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point, fs_type = _unescape_mount(fields[1]), fields[2]
        mp = Path(mount_point)
        if (target == mp or mp in target.parents) and len(mount_point) > best_len:
            best, best_len = (fs_type, mount_point), len(mount_point)
    if best is None:
        return None
    fs_type = best[0].lower()
    return best if fs_type in NETWORK_FS_TYPES or fs_type.startswith("nfs") else None


def warn_if_network(path: Path) -> None:
    """One ``warning:`` line on stderr (once per path) for a database on a network mount."""
    key = path.resolve()
    if key in _warned:
        return
    found = network_filesystem(path)
    if found is None:
        return
    _warned.add(key)
    fs_type, mount_point = found
    sys.stderr.write(
        f"warning: {path}: the database is on a network file system ({fs_type} at "
        f"{mount_point}); SQLite locking is unreliable there and concurrent use can corrupt "
        "it: keep the database on a local disk\n"
    )


def _cannot_open(path: Path, exc: sqlite3.Error) -> ClaimmapError:
    """Say why a database cannot be opened, when the reason is the location."""
    folder = path.parent if str(path.parent) else Path(".")
    if not os.access(folder, os.W_OK):
        return ClaimmapError(
            f"{path}: cannot open database: folder {folder} is read-only (claimmap needs to "
            f"create the database and its -wal/-shm files there) ({exc})"
        )
    if path.exists() and not os.access(path, os.W_OK):
        return ClaimmapError(f"{path}: cannot open database: the file is read-only ({exc})")
    return ClaimmapError(f"{path}: cannot open database ({exc})")


def connect(path: Path | str | None = None, *, memory: bool = False) -> Database:
    """Open a connection with the pragmas every connection needs, without migrating."""
    # Imported here: the path helpers above serve the lean listings, which
    # reads with plain sqlite3 and must not pay for sqlite-utils' import.
    from sqlite_utils import Database

    if memory:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    else:
        p = Path(path) if path is not None else default_db_path()
        _check_file(p)
        warn_if_network(p)
        try:
            conn = sqlite3.connect(
                str(p),
                isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
            )
        except sqlite3.OperationalError as exc:
            raise _cannot_open(p, exc) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not memory:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise ClaimmapError(f"cannot switch database to WAL mode (got {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        if memory:
            raise ClaimmapError(f"cannot use in-memory database ({exc})") from None
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code == 14:  # SQLITE_CANTOPEN: -wal/-shm
            raise _cannot_open(p, exc) from None
        if code == SQLITE_NOTADB:
            raise ClaimmapError(f"{p}: not a claimmap database (not an SQLite file)") from None
        raise ClaimmapError(f"{p}: cannot use database ({exc})") from None
    return Database(conn)


def db_file(db: Database) -> Path | None:
    """The file behind ``db``; None for an in-memory database."""
    name = db.conn.execute("PRAGMA database_list").fetchone()[2]
    return Path(name) if name else None


def open_db(path: Path | str | None = None, *, memory: bool = False) -> Database:
    """Open (creating if needed) and migrate a claimmap database."""
    db = connect(path, memory=memory)
    where = "in-memory database" if memory else str(path if path is not None else default_db_path())
    try:
        migrate(db, db_file(db))
    except ClaimmapError as exc:
        db.close()
        message = str(exc)
        # Name the file in every refusal (newer schema, foreign tables, disk full...).
        named = message.startswith((where, str(Path(where).resolve())))
        raise ClaimmapError(message if named else f"{where}: {message}") from None
    except sqlite3.OperationalError as exc:
        db.close()
        raise ClaimmapError(f"{where}: cannot prepare database: {exc}") from None
    except BaseException:
        db.close()
        raise
    return db
