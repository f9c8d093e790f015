"""Backups (``claimmap backup``, automatic before migrations and bulk imports, with
rotation), ``claimmap check``, and the network-mount warning."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

import claimmap.store.connection as connection
import claimmap.store.schema as schema
from claimmap.store import open_db
from claimmap.store.backup import KEEP_AUTOMATIC, automatic_backup, backup_dir
from tests.conftest import RunCli
from tests.helpers import assert_one_error_line, dump
from tests.reliability.helpers import SEED_FILES


def test_backup_to_path_is_a_consistent_copy(seeded: RunCli, db_path: Path, tmp_path: Path) -> None:
    assert seeded("annotate", "1", "--start", "10", "--end", "30", "--tag", "motive").code == 0
    target = tmp_path / "copy.db"
    result = seeded("backup", str(target), "--json")
    assert result.code == 0, result.err
    assert result.json() == {"backup": str(target)}
    assert dump(target) == dump(db_path)
    # The copy is a complete database on its own (no -wal needed).
    assert not Path(f"{target}-wal").exists()


def test_backup_default_name_and_refusals(seeded: RunCli, db_path: Path, tmp_path: Path) -> None:
    result = seeded("backup")
    assert result.code == 0, result.err
    written = Path(result.out.strip().removeprefix("backup written to "))
    assert written.parent == db_path.parent and written.name.startswith("test-backup-")
    again = seeded("backup", str(written))
    assert again.code == 1
    assert_one_error_line(again.err, str(written), "already exists")
    nowhere = tmp_path / "missing" / "b.db"
    missing = seeded("backup", str(nowhere))
    assert missing.code == 1
    assert_one_error_line(missing.err, "does not exist")


def test_automatic_backup_before_a_migration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "claims.db"
    db = open_db(path)
    db.execute("INSERT INTO claims (label, created_at, updated_at) VALUES ('before', 'x', 'x')")
    db.close()

    def add_column(db: Database) -> None:
        db.execute("ALTER TABLE claims ADD COLUMN colour TEXT")

    monkeypatch.setattr(
        schema, "MIGRATIONS", [*schema.MIGRATIONS, ("9000_test_colour", add_column)]
    )
    import claimmap.store.migrations as migrations

    monkeypatch.setattr(migrations, "MIGRATIONS", schema.MIGRATIONS)
    open_db(path).close()
    backups = sorted(backup_dir(path).glob("claims-*-migrate.db"))
    assert len(backups) == 1
    conn = sqlite3.connect(backups[0])
    try:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(claims)")]
        labels = [r[0] for r in conn.execute("SELECT label FROM claims")]
    finally:
        conn.close()
    assert "colour" not in columns  # taken before the schema changed
    assert labels == ["before"]


def test_automatic_backups_rotate(tmp_path: Path) -> None:
    path = tmp_path / "claims.db"
    db = open_db(path)
    try:
        made = [automatic_backup(db, path, reason="import") for _ in range(KEEP_AUTOMATIC + 3)]
    finally:
        db.close()
    kept = sorted(backup_dir(path).glob("claims-*.db"))
    assert kept == sorted(made[-KEEP_AUTOMATIC:])


def test_bulk_import_is_preceded_by_a_backup(cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    assert cli("import", str(SEED_FILES[0])).code == 0
    before = dump(db_path)
    bulk = tmp_path / "bulk"
    bulk.mkdir()
    for n in range(20):
        (bulk / f"a{n:02d}.txt").write_text(
            f"第{n}篇文章。这里是正文内容，讨论国际合作。\n", encoding="utf-8"
        )
    assert cli("import", str(bulk)).code == 0
    backups = sorted(backup_dir(db_path).glob("test-*-import.db"))
    assert len(backups) == 1
    assert dump(backups[0]) == before


def test_check_reports_broken_invariants(seeded: RunCli, db_path: Path) -> None:
    made = seeded("annotate", "1", "--start", "10", "--end", "30", "--tag", "motive", "--json")
    span = made.json()["id"]
    assert seeded("check").out.strip() == "ok"
    conn = sqlite3.connect(db_path)
    # The storage refuses a span off its text; a tool that dropped the guard does not.
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE spans SET quote = 'not the text' WHERE id = ?", [span])
    conn.execute("DROP TRIGGER spans_quote_matches_update")
    conn.execute("UPDATE spans SET quote = 'not the text' WHERE id = ?", [span])
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(
        "INSERT INTO links (a, b, score, status, created_at, updated_at) "
        "VALUES (?, 9999, 50, 'suggested', 'x', 'x')",
        [span],
    )
    conn.commit()
    conn.close()
    result = seeded("check", "--json")
    assert result.code == 1
    problems = result.json()["problems"]
    assert any(f"span {span}: quote differs" in p for p in problems)
    assert any("spans_quote_matches_update is missing" in p for p in problems)
    assert any(p.startswith("foreign key:") for p in problems)


# -- network mounts ---------------------------------------------------------------


@pytest.fixture
def mount_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    table = tmp_path / "mounts"
    monkeypatch.setattr(connection, "MOUNTS_FILE", table)
    monkeypatch.setattr(connection, "_warned", set())
    return table


@pytest.mark.parametrize("fs_type", ["nfs4", "nfs", "cifs", "smb3", "fuse.sshfs"])
def test_network_mount_warns_once_and_works(
    cli: RunCli, db_path: Path, mount_table: Path, fs_type: str
) -> None:
    folder = str(db_path.parent.resolve()).replace(" ", "\\040")
    mount_table.write_text(
        f"/dev/vda / ext4 rw,relatime 0 0\nserver:/export {folder} {fs_type} rw,relatime 0 0\n",
        encoding="utf-8",
    )
    result = cli("import", str(SEED_FILES[0]))
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1, result.err
    assert fs_type in warnings[0] and str(db_path) in warnings[0]
    assert "local disk" in warnings[0]
    again = cli("articles")
    assert again.code == 0 and "warning:" not in again.err


def test_local_disk_and_longest_mount_wins(cli: RunCli, db_path: Path, mount_table: Path) -> None:
    parent = db_path.parent.resolve()
    # An NFS mount above, but a local file system mounted closer to the database.
    mount_table.write_text(
        f"server:/export {parent.parent} nfs4 rw 0 0\n/dev/vdb {parent} ext4 rw 0 0\n",
        encoding="utf-8",
    )
    result = cli("tags")
    assert result.code == 0 and "warning:" not in result.err


def test_unreadable_mount_table_is_no_error(cli: RunCli, mount_table: Path) -> None:
    # mount_table was never written: as on a system without /proc.
    result = cli("tags")
    assert result.code == 0 and result.err == ""
