"""Codes have a description and may have a parent: through the CLI, on the rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

import claimmap.store.migrations as migrations
from claimmap.store import open_db, schema
from tests.conftest import RunCli
from tests.helpers import assert_one_error_line, dump


def _rows(db_path: Path) -> dict[str, dict[str, Any]]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(
            "SELECT t.id, t.name, t.key, t.color, t.description, t.parent_id, p.name AS parent "
            "FROM tags t LEFT JOIN tags p ON p.id = t.parent_id"
        ).fetchall()
        return {r["name"]: dict(r) for r in rows}
    finally:
        conn.close()


def test_tags_add_makes_a_described_child_of_an_existing_code(cli: RunCli, db_path: Path) -> None:
    made = cli("tags", "add", "limitation/technical", "--description", "tooling falls short")
    assert made.code == 0, made.err
    assert "under limitation" in made.out
    rows = _rows(db_path)
    child = rows["limitation/technical"]
    assert child["parent_id"] == rows["limitation"]["id"]
    assert child["description"] == "tooling falls short"
    listed = {t["name"]: t for t in cli("tags", "--json").json()}
    assert listed["limitation/technical"]["parent"] == "limitation"
    assert listed["limitation/technical"]["description"] == "tooling falls short"
    assert listed["motive"]["parent"] is None
    text = cli("tags").out
    assert "limitation/technical  # tooling falls short" in text


def test_a_child_tag_is_usable_by_its_path(cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("A title\n\n美日两国开展技术合作。两国需要加强协调。\n", encoding="utf-8")
    assert cli("import", str(src)).code == 0
    assert cli("tags", "add", "limitation/technical").code == 0
    made = cli("annotate", "a", "--quote", "两国需要", "--tag", "limitation/technical", "--json")
    assert made.code == 0, made.err
    assert made.json()["tags"] == ["limitation/technical"]
    spans = cli("spans", "--tag", "limitation/technical", "--json").json()
    assert [s["quote"] for s in spans] == ["两国需要"]


def test_a_child_needs_its_parent_and_refusals_change_nothing(cli: RunCli, db_path: Path) -> None:
    cli("tags")  # create and migrate the database
    before = dump(db_path)
    missing = cli("tags", "add", "evidence/data", "--description", "numbers")
    assert missing.code == 1
    assert_one_error_line(missing.err, "'evidence'", "add it first")
    for bad in ("limitation/", "/limitation", "limitation//x", "limitation/ x"):
        refused = cli("tags", "add", bad)
        assert refused.code == 1, bad
        assert_one_error_line(refused.err, "invalid tag name")
    too_long = cli("tags", "add", "evidence", "--description", "x" * 4001)
    assert too_long.code == 1
    assert_one_error_line(too_long.err, "description too long")
    assert dump(db_path) == before


def test_tags_describe_sets_and_clears_a_description(cli: RunCli, db_path: Path) -> None:
    described = cli("tags", "describe", "L", "a limit the article admits")
    assert described.code == 0, described.err
    assert _rows(db_path)["limitation"]["description"] == "a limit the article admits"
    assert cli("tags", "describe", "limitation", "").code == 0
    assert _rows(db_path)["limitation"]["description"] is None
    unknown = cli("tags", "describe", "nothing", "text")
    assert unknown.code == 1
    assert_one_error_line(unknown.err, "unknown tag")


def test_migration_makes_existing_slash_names_children(
    cli: RunCli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database made before 0006 holding ``impact/economic`` opens with that code
    under ``impact``; ``and/or``, whose prefix is no code, stays at the top."""
    before_0006 = [m for m in schema.MIGRATIONS if m[0] != "0006_codebook_descriptions"]
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", before_0006)
        patch.setattr(migrations, "MIGRATIONS", before_0006)
        old = open_db(db_path)
        for name in ("impact/economic", "and/or"):
            old.execute("INSERT INTO tags (name, color, ordinal) VALUES (?, '#000000', 9)", [name])
        old.conn.commit()
        old.close()
    listed = {t["name"]: t for t in cli("tags", "--json").json()}
    assert listed["impact/economic"]["parent"] == "impact"
    assert listed["and/or"]["parent"] is None
    rows = _rows(db_path)
    assert rows["impact/economic"]["parent_id"] == rows["impact"]["id"]
