"""The lean article listing (plain sqlite3) cannot drift from the Article model, and
the lean read (``read_if_current``) steps aside whenever the database is not one it
can read as it is."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from claimmap.cli.safe_text import json_safe
from claimmap.models import Article
from claimmap.store import connection, migrations, open_db, schema, write_unit
from claimmap.store.article_listing import ARTICLE_FIELDS, article_rows
from claimmap.store.articles import list_articles
from claimmap.store.current_read import read_if_current
from tests.conftest import RunCli
from tests.helpers import assert_one_error_line

# Ids with gaps, CJK and astral characters, terminal controls, empty strings
# beside NULLs, a URL with a query, a zero-width space in a ref.
VARIED: list[dict[str, Any]] = [
    {
        "id": 1,
        "ref": "a",
        "source": "a.txt",
        "title": "標題 𠀀 😊 \u202e evil \x7f\x1b[31m",
        "authors": "張三, 李四",
        "venue": None,
        "date": "2024-01-02",
        "script": "traditional",
        "encoding": "utf-8",
        "chars": 12,
        "raw_sha256": "r1",
        "text_sha256": "t1",
        "imported_at": "2024-01-01T00:00:00+00:00",
        "updated_at": "2024-01-01T00:00:00+00:00",
        "url": "https://example.org/文章?y=1&z=2",
    },
    {
        "id": 3,
        "ref": "b",
        "source": "dir/b.md",
        "title": "English title",
        "authors": None,
        "venue": "Venue",
        "date": None,
        "script": "simplified",
        "encoding": "gb18030",
        "chars": 0,
        "raw_sha256": "r2",
        "text_sha256": "t2",
        "imported_at": "2024",
        "updated_at": "2025",
        "url": None,
    },
    {
        "id": 7,
        "ref": "c\u200b",
        "source": "c.txt",
        "title": "",
        "authors": "",
        "venue": "",
        "date": "",
        "script": "mixed",
        "encoding": "utf-16",
        "chars": 99999,
        "raw_sha256": "r3",
        "text_sha256": "t3",
        "imported_at": "x",
        "updated_at": "y",
        "url": "",
    },
]


def _add_articles(db: Database, rows: list[dict[str, Any]]) -> None:
    with write_unit(db):
        for row in rows:
            columns = [*row, "text"]
            db.execute(
                f"INSERT INTO articles ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})",
                [*row.values(), "text"],
            )


@pytest.fixture
def varied(db_path: Path) -> Path:
    db = open_db(db_path)
    _add_articles(db, VARIED)
    db.close()
    return db_path


def _model_rows(path: Path) -> list[dict[str, Any]]:
    db = open_db(path)
    try:
        return [a.model_dump(mode="json") for a in list_articles(db)]
    finally:
        db.close()


def test_article_fields_are_the_models_fields_in_order() -> None:
    assert tuple(Article.model_fields) == ARTICLE_FIELDS


def test_lean_rows_equal_the_article_models_dumps(varied: Path) -> None:
    expected = _model_rows(varied)
    assert expected  # the varied rows were stored
    lean = read_if_current(varied, article_rows)
    assert lean == expected
    # Equal dicts can differ in key order; the JSON output must not.
    assert json.dumps(lean, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)
    conn = sqlite3.connect(varied)
    try:
        assert article_rows(conn) == expected
    finally:
        conn.close()


def test_articles_json_is_what_the_models_printed(varied: Path, cli: RunCli) -> None:
    """Byte for byte what ``articles --json`` printed when it went through the models."""
    expected = json.dumps(_model_rows(varied), ensure_ascii=False, indent=2)
    result = cli("articles", "--json")
    assert result.code == 0, result.err
    assert result.out == json_safe(expected) + "\n"


def test_articles_text_is_what_the_models_printed(varied: Path, cli: RunCli) -> None:
    db = open_db(varied)
    try:
        lines = [
            f"{a.id:>4}  {a.ref:<28} {a.chars:>7}  {a.script:<11} {a.title}"
            for a in list_articles(db)
        ]
    finally:
        db.close()
    result = cli("articles")
    assert result.code == 0, result.err
    assert result.out.count("\n") == len(VARIED)
    # echo escapes terminal controls, so compare the plain rows and the hostile title apart.
    assert result.out.splitlines()[1:] == lines[1:]
    assert result.out.splitlines()[0].startswith(lines[0][:40])
    assert "\\u202e" in result.out and "\x1b" not in result.out


def _mode(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        conn.close()


def _applied(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY name")]
    finally:
        conn.close()


def _rollback_journal(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


def _future(path: Path) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO schema_migrations VALUES ('9999_future', 'x')")
    conn.close()


def _foreign(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE notes (x)")
    conn.close()


@pytest.mark.parametrize(
    "spoil",
    [_rollback_journal, _future, _foreign, lambda p: p.write_bytes(b"")],
    ids=["rollback-journal", "newer-schema", "foreign", "empty-file"],
)
def test_lean_read_steps_aside_and_changes_nothing(
    varied: Path, spoil: Callable[[Path], None]
) -> None:
    spoil(varied)
    before = varied.stat().st_size, sorted(p.name for p in varied.parent.iterdir())
    assert read_if_current(varied, article_rows) is None
    assert (varied.stat().st_size, sorted(p.name for p in varied.parent.iterdir())) == before


def test_lean_read_never_creates_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    assert read_if_current(missing, article_rows) is None
    assert list(tmp_path.iterdir()) == []
    folder = tmp_path / "folder.db"
    folder.mkdir()
    assert read_if_current(folder, article_rows) is None
    notes = tmp_path / "notes.db"
    notes.write_text("not a database\n", encoding="utf-8")
    assert read_if_current(notes, article_rows) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.db", "notes.db"]


def test_lean_read_steps_aside_for_a_pending_migration(
    varied: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    newer = [*schema.MIGRATIONS, ("9000_test_column", _add_column)]
    monkeypatch.setattr(schema, "MIGRATIONS", newer)
    assert read_if_current(varied, article_rows) is None
    assert "9000_test_column" not in _applied(varied)


def _add_column(db: Database) -> None:
    db.execute("ALTER TABLE articles ADD COLUMN test_column TEXT")


def test_articles_still_migrates_an_older_database(
    varied: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    newer = [*schema.MIGRATIONS, ("9000_test_column", _add_column)]
    monkeypatch.setattr(schema, "MIGRATIONS", newer)
    monkeypatch.setattr(migrations, "MIGRATIONS", newer)
    result = cli("articles", "--json")
    assert result.code == 0, result.err
    assert [a["id"] for a in result.json()] == [1, 3, 7]
    assert "9000_test_column" in _applied(varied)


def test_articles_still_switches_a_rollback_journal_to_wal(varied: Path, cli: RunCli) -> None:
    _rollback_journal(varied)
    result = cli("articles", "--json")
    assert [a["id"] for a in result.json()] == [1, 3, 7]
    assert _mode(varied) == "wal"


@pytest.mark.parametrize(
    ("spoil", "needle"),
    [(_future, "newer than this claimmap"), (_foreign, "not a claimmap database")],
)
def test_articles_still_refuses_what_it_cannot_read(
    varied: Path, cli: RunCli, spoil: Callable[[Path], None], needle: str
) -> None:
    spoil(varied)
    result = cli("articles", "--json")
    assert result.code == 1
    assert result.out == ""
    assert_one_error_line(result.err, needle)


def test_articles_on_a_missing_database_creates_and_migrates_it(db_path: Path, cli: RunCli) -> None:
    """As before the lean listing: ``articles`` on a new path makes an empty database."""
    assert not db_path.exists()
    result = cli("articles", "--json")
    assert (result.code, result.out, result.err) == (0, "[]\n", "")
    assert _applied(db_path) == sorted(name for name, _ in schema.MIGRATIONS)
    assert _mode(db_path) == "wal"
    db_path.unlink()
    assert cli("articles").out == ""
    assert db_path.exists()


def test_lean_read_takes_any_file_name(tmp_path: Path) -> None:
    """The file is opened by URI (mode=rw): characters a URI gives meaning to stay
    part of the name."""
    odd = tmp_path / "a b?c#d%20é.db"
    db = open_db(odd)
    _add_articles(db, VARIED[:1])
    db.close()
    lean = read_if_current(odd, article_rows)
    assert lean is not None and [a["ref"] for a in lean] == ["a"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [odd.name]


def test_articles_warns_of_a_network_mount_as_before(
    varied: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = varied.parent / "mounts"
    folder = str(varied.parent.resolve()).replace(" ", "\\040")
    table.write_text(f"server:/export {folder} nfs4 rw 0 0\n", encoding="utf-8")
    monkeypatch.setattr(connection, "MOUNTS_FILE", table)
    monkeypatch.setattr(connection, "_warned", set())
    result = cli("articles", "--json")
    assert [a["id"] for a in result.json()] == [1, 3, 7]
    warnings = result.err.splitlines()
    assert len(warnings) == 1 and warnings[0].startswith("warning: ") and "nfs4" in warnings[0]
