"""``claimmap demo`` rebuilds its own database through SQLite and never empties real work."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from claimmap.cli.demo import build_demo
from claimmap.errors import ClaimmapError
from claimmap.services.importing import import_paths
from claimmap.store import open_db
from tests.conftest import SEEDS


def test_rebuild_while_the_demo_is_open_elsewhere(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    first = build_demo(path)
    reader = sqlite3.connect(path)  # an annotator still has the demo open
    try:
        spans_before = reader.execute("SELECT count(*) FROM spans").fetchone()[0]
        assert build_demo(path) == first  # recreated, not appended to
        assert Path(f"{path}-wal").exists()  # the open connection's WAL was not deleted
        assert reader.execute("SELECT count(*) FROM spans").fetchone()[0] == spans_before
        assert reader.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        reader.close()


def test_the_demo_never_empties_a_real_database(tmp_path: Path) -> None:
    mine = tmp_path / "mine.db"
    db = open_db(mine)
    import_paths(db, [str(sorted(SEEDS.glob("*.txt"))[0])])
    db.close()
    with pytest.raises(ClaimmapError, match="not a demo"):
        build_demo(mine)
    check = sqlite3.connect(mine)
    try:
        assert check.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    finally:
        check.close()
