"""Backups are whole or absent; ``check`` reports damage and the backup to restore,
and neither ``check`` nor ``import --dry-run`` creates or migrates a database."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlite_utils import Database

import claimmap.store.migrations as migrations
import claimmap.store.schema as schema
from claimmap.errors import ClaimmapError
from claimmap.store import open_db
from claimmap.store.backup import automatic_backup, backup_dir, backup_to
from tests.conftest import RunCli
from tests.helpers import assert_one_error_line, dump
from tests.reliability.file_crash import backup_kill_rounds
from tests.reliability.helpers import SEED_FILES

ROUNDS = int(os.environ.get("CLAIMMAP_FILE_CRASH_ROUNDS", "6"))


def _corrupt(path: Path, page: int) -> None:
    """Overwrite the header of one page (no connection is open on the file here)."""
    with path.open("r+b") as fh:
        fh.seek((page - 1) * 4096)
        fh.write(b"\xff" * 64)


def _root_page(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return int(
            conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
        )
    finally:
        conn.close()


def _page_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return int(conn.execute("PRAGMA page_count").fetchone()[0])
    finally:
        conn.close()


def _listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# -- backups ----------------------------------------------------------------------


def test_killed_backups_leave_no_partial_file(tmp_path: Path) -> None:
    stages: set[str] = set()
    for n, result in backup_kill_rounds(tmp_path, ROUNDS, seed=11, megabytes=3.0):
        assert result.problems == [], f"round {n} (killed at {result.stage}): {result.problems}"
        stages.add(result.stage)
    assert any(s.startswith("backup ") for s in stages)  # kills landed in backups


def test_backup_of_a_damaged_database_leaves_no_file(
    cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    assert cli("import", str(SEED_FILES[0])).code == 0
    _corrupt(db_path, _root_page(db_path, "articles"))
    target = tmp_path / "copy.db"
    db = Database(sqlite3.connect(db_path))
    try:
        with pytest.raises(ClaimmapError, match="cannot write the backup") as raised:
            backup_to(db, target)
    finally:
        db.close()
    assert "\n" not in str(raised.value)
    assert not target.exists()
    assert _listing(tmp_path) == {"test.db"}


def test_backup_that_fails_verification_is_not_published(
    cli: RunCli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("import", str(SEED_FILES[0])).code == 0
    real_connect = sqlite3.connect

    def damaged_copy(database: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        # The freshly written copy is damaged before it is verified.
        if "claimmap-tmp" in str(database):
            copy = Path(str(database).removeprefix("file:").split("?")[0])
            _corrupt(copy, 2)
        return real_connect(database, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", damaged_copy)
    result = cli("backup", str(tmp_path / "copy.db"))
    monkeypatch.undo()
    assert result.code == 1
    assert_one_error_line(result.err, "copy.db", "integrity")
    assert _listing(tmp_path) <= {"test.db", "test.db-wal", "test.db-shm"}
    assert not (tmp_path / "copy.db").exists()


# -- check ------------------------------------------------------------------------


def test_check_on_a_missing_database_creates_nothing(cli: RunCli, db_path: Path) -> None:
    result = cli("check")
    assert result.code == 1
    assert_one_error_line(result.err, str(db_path), "no database")
    assert not db_path.exists()
    assert list(db_path.parent.iterdir()) == []


@pytest.mark.parametrize(
    "content", [b"", b"just some notes, not a database\n" * 100], ids=["empty", "text"]
)
def test_check_never_calls_an_empty_or_foreign_file_ok(
    cli: RunCli, db_path: Path, content: bytes
) -> None:
    db_path.write_bytes(content)
    result = cli("check")
    assert result.code == 1
    assert "ok" not in result.out.splitlines()
    assert any(line.startswith("problem: ") for line in result.out.splitlines()), result.out
    assert db_path.read_bytes() == content  # looked at, not turned into a database
    json_result = cli("check", "--json")
    assert json_result.code == 1 and json_result.json()["ok"] is False


def test_check_lists_damage_and_names_the_newest_backup(
    cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    assert cli("import", *map(str, SEED_FILES)).code == 0
    older = cli("backup")
    assert older.code == 0
    os.utime(Path(older.out.strip().removeprefix("backup written to ")), (1, 1))
    newest = tmp_path / "test.db.backups" / "test-20990101T000000000000Z-import.db"
    newest.parent.mkdir()
    conn = open_db(db_path)
    backup_to(conn, newest)
    conn.close()
    healthy = dump(db_path)
    pages = _page_count(db_path)
    for page in range(pages // 3, pages, max(1, pages // 10)):
        _corrupt(db_path, page)
    result = cli("check")
    assert result.code == 1
    lines = result.out.splitlines()
    problems = [line for line in lines if line.startswith("problem: ")]
    assert len(problems) >= 2, result.out  # each finding on its own line
    assert all("\n" not in p and p.strip() != "problem:" for p in problems)
    assert f"newest backup: {newest}" in result.out
    restore = [line.strip() for line in lines if line.strip().startswith("mv ")]
    assert len(restore) == 1 and str(newest) in restore[0], result.out
    report = cli("check", "--json").json()
    assert report["backup"] == str(newest) and report["restore"] == restore[0]
    # The command printed does restore the database.
    subprocess.run(restore[0], shell=True, check=True, cwd=tmp_path)
    assert cli("check").out.strip() == "ok"
    assert dump(db_path) == healthy
    assert (tmp_path / "test.db.damaged").exists()


def test_check_without_any_backup_says_so(cli: RunCli, db_path: Path) -> None:
    assert cli("import", str(SEED_FILES[0])).code == 0
    _corrupt(db_path, _root_page(db_path, "articles"))
    result = cli("check")
    assert result.code == 1
    assert any(line.startswith("problem: ") for line in result.out.splitlines())
    assert "no backup found" in result.out


def test_backup_of_a_missing_database_creates_nothing(
    cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """A mistyped --db is an error, not an empty database and a backup of it."""
    before = sorted(tmp_path.rglob("*"))
    result = cli("backup")
    assert result.code == 1
    assert_one_error_line(result.err, str(db_path.name), "no database")
    assert not db_path.exists()
    assert sorted(tmp_path.rglob("*")) == before


def test_check_does_not_migrate_an_older_schema(
    cli: RunCli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("import", str(SEED_FILES[0])).code == 0
    before = dump(db_path)

    def add_column(db: Database) -> None:
        db.execute("ALTER TABLE claims ADD COLUMN colour TEXT")

    newer = [*schema.MIGRATIONS, ("9000_test_colour", add_column)]
    monkeypatch.setattr(schema, "MIGRATIONS", newer)
    monkeypatch.setattr(migrations, "MIGRATIONS", newer)
    result = cli("check")
    assert result.code == 0, result.out + result.err
    assert "needs migration" in result.out and "9000_test_colour" in result.out
    assert result.out.splitlines()[-1] == "ok"
    assert dump(db_path) == before
    assert not backup_dir(db_path).exists()
    assert cli("check", "--json").json()["notes"]


# -- import --dry-run -------------------------------------------------------------


def test_import_dry_run_creates_no_database(cli: RunCli, db_path: Path) -> None:
    result = cli("import", "--dry-run", *map(str, SEED_FILES), "--json")
    assert result.code == 0, result.err
    assert {item["status"] for item in result.json()} == {"would-import"}
    assert not db_path.exists()
    assert list(db_path.parent.iterdir()) == []


def test_import_dry_run_neither_writes_nor_migrates(
    cli: RunCli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("import", str(SEED_FILES[0])).code == 0
    before = dump(db_path)

    def add_table(db: Database) -> None:
        db.execute("CREATE TABLE colours (name TEXT)")

    newer = [*schema.MIGRATIONS, ("9000_test_colours", add_table)]
    monkeypatch.setattr(schema, "MIGRATIONS", newer)
    monkeypatch.setattr(migrations, "MIGRATIONS", newer)
    result = cli("import", "--dry-run", *map(str, SEED_FILES[:2]), "--json")
    assert result.code == 0, result.err
    assert [item["status"] for item in result.json()] == ["present", "would-import"]
    assert dump(db_path) == before
    assert not backup_dir(db_path).exists()


def test_restore_instructions_use_only_sqlite_safe_moves(tmp_path: Path) -> None:
    # A WAL left by the damaged database must move aside with it, or SQLite would
    # replay it onto the restored copy.
    from claimmap.services.checks import restore_command

    db = tmp_path / "my db.db"
    db.write_bytes(b"x")
    Path(f"{db}-wal").write_bytes(b"w")
    command = restore_command(db, tmp_path / "b.db")
    assert command.count("mv ") == 2 and "'" in command
    shutil.copy(db, tmp_path / "b.db")
    subprocess.run(command, shell=True, check=True, cwd=tmp_path)
    assert not Path(f"{db}-wal").exists() and Path(f"{db}.damaged-wal").exists()


def test_leftovers_of_killed_automatic_backups_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "claims.db"
    db = open_db(path)
    try:
        automatic_backup(db, path, reason="import")
        folder = backup_dir(path)
        dead = 2**22 + 4321
        stale = folder / f".claims-20200101T000000000000Z-import.db.claimmap-tmp-{dead}-ab12"
        stale.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)  # a partial copy
        Path(f"{stale}-journal").write_bytes(b"j")
        other = folder / "notes.txt"
        other.write_text("mine")
        automatic_backup(db, path, reason="import")
    finally:
        db.close()
    names = {p.name for p in folder.iterdir()}
    assert names - {"notes.txt"} == {p.name for p in folder.glob("claims-*.db")}
    assert len(names) == 3
