"""One process with several connections, another process beside it: no lock is ever dropped.

POSIX advisory locks belong to the process: closing *any* descriptor of the
database file drops every lock the process holds on it.  A claimmap process that
opened the file with plain ``open()`` (to sniff its header) while its own
connections were live let the next process believe it was the last user: that
process checkpointed and deleted ``-wal``/``-shm`` under the live connections,
and later writes were lost or overwrote each other (same span id).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from claimmap.errors import ClaimmapError
from claimmap.services.annotating import annotate_quote
from claimmap.services.importing import import_paths
from claimmap.store import open_db
from claimmap.store.connection import connect

from .helpers import SEED_FILES, run_cli_subprocess


def _open_and_close_elsewhere(db_path: Path) -> None:
    """What ``claimmap articles`` in another terminal does to the file's locks."""
    done = run_cli_subprocess(db_path, "articles", "--json")
    assert done.returncode == 0, done.stderr


def test_a_second_connection_keeps_the_first_ones_locks(tmp_path: Path) -> None:
    db_path = tmp_path / "a.db"
    app = open_db(db_path)
    import_paths(app, [str(SEED_FILES[0])])
    app.execute("SELECT count(*) FROM spans").fetchone()  # the app reads: it holds the WAL
    # The similar-claims panel opens a second connection inside the app's process.
    panel = connect(db_path)
    try:
        _open_and_close_elsewhere(db_path)
        # The other process must not have taken the file for its own: the WAL stays.
        assert Path(f"{db_path}-wal").exists()
        assert Path(f"{db_path}-shm").exists()
        # Writes from both sides all arrive, with distinct ids.
        cli = run_cli_subprocess(
            db_path,
            "annotate",
            SEED_FILES[0].stem,
            "--quote",
            "美日",
            "--occurrence",
            "1",
            "--tag",
            "motive",
            "--json",
        )
        assert cli.returncode == 0, cli.stderr
        mine = annotate_quote(app, SEED_FILES[0].stem, "美日", ["impact"], occurrence=2)
        panel.execute("SELECT count(*) FROM spans").fetchone()
    finally:
        panel.close()
        app.close()
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT id, quote FROM spans ORDER BY id").fetchall()
    finally:
        conn.close()
    assert len(rows) == 2
    assert mine.id in {r[0] for r in rows}


def test_not_a_database_is_refused_without_reading_the_file_by_hand(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database\n" * 10, encoding="utf-8")
    with pytest.raises(ClaimmapError, match="not an SQLite"):
        connect(bogus)
    assert bogus.read_text(encoding="utf-8").startswith("these are my notes")
    assert not Path(f"{bogus}-wal").exists()
