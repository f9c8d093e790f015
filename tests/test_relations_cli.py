"""``claimmap relations``: add, list, delete; refusals leave the database as it was;
deleting a span takes its relations with it, and undoing the delete restores them."""

from __future__ import annotations

from pathlib import Path

from claimmap.services.annotating import delete_span, restore_span
from claimmap.store import open_db
from claimmap.tui.session import Session
from tests.conftest import RunCli
from tests.helpers import assert_one_error_line, dump


def _span(cli: RunCli, article: str, start: int, end: int) -> int:
    result = cli(
        "annotate", article, "--start", str(start), "--end", str(end), "--tag", "motive", "--json"
    )
    assert result.code == 0, result.err
    return int(result.json()["id"])


def test_relations_add_list_delete_from_the_cli(seeded: RunCli, db_path: Path) -> None:
    a, b, c = _span(seeded, "1", 10, 30), _span(seeded, "2", 10, 30), _span(seeded, "3", 40, 60)
    added = seeded(
        "relations", "add", str(a), str(b), "--type", "supports", "--note", "same evidence",
        "--annotator", "ana", "--json",
    )  # fmt: skip
    assert added.code == 0, added.err
    first = added.json()
    assert {k: first[k] for k in ("source", "target", "type", "annotator", "note")} == {
        "source": a, "target": b, "type": "supports", "annotator": "ana", "note": "same evidence",
    }  # fmt: skip
    second = seeded("relations", "add", str(c), str(a), "--type", "attacks", "--json").json()
    listed = seeded("relations", "--json").json()
    assert [r["id"] for r in listed] == [first["id"], second["id"]]
    assert {"id", "source", "target", "type", "annotator", "note"} <= set(listed[0])
    # An article filter (either end), a type filter, and the explicit 'list'.
    assert [r["id"] for r in seeded("relations", "3", "--json").json()] == [second["id"]]
    assert [r["id"] for r in seeded("relations", "--type", "attacks", "--json").json()] == [
        second["id"]
    ]
    assert [r["id"] for r in seeded("relations", "list", "2", "--json").json()] == [first["id"]]
    text = seeded("relations")
    assert text.code == 0 and f"{a} (" in text.out and "supports" in text.out
    deleted = seeded("relations", "delete", str(first["id"]), "--json")
    assert deleted.code == 0 and deleted.json() == {"deleted": first["id"]}
    # Ids are never reused.
    again = seeded("relations", "add", str(a), str(b), "--type", "supports", "--json").json()
    assert again["id"] > second["id"]


def test_relations_refusals_are_one_error_line_and_change_nothing(
    seeded: RunCli, db_path: Path
) -> None:
    a, b = _span(seeded, "1", 10, 30), _span(seeded, "2", 10, 30)
    assert seeded("relations", "add", str(a), str(b), "--type", "supports").code == 0
    before = dump(db_path)
    for args, words in [
        ((str(a), str(a), "--type", "supports"), "itself"),
        ((str(a), "9999", "--type", "attacks"), "no span with id 9999"),
        ((str(a), str(b), "--type", "supports", "--annotator", "ana"), None),
        ((str(a), str(b), "--type", "rebuts"), "rebuts"),
    ]:
        result = seeded("relations", "add", *args)
        if words is None:  # a second analyst may state the same relation
            assert result.code == 0, result.err
            before = dump(db_path)
            continue
        assert result.code == 1
        assert_one_error_line(result.err, words)
        assert dump(db_path) == before
    assert (
        seeded("relations", "add", str(a), str(b), "--type", "supports", "--annotator", "ana").code
        == 1
    )
    no_type = seeded("relations", "add", str(a), str(b))
    assert no_type.code == 1
    assert_one_error_line(no_type.err, "--type")
    missing = seeded("relations", "delete", "4242")
    assert missing.code == 1
    assert_one_error_line(missing.err, "no relation with id 4242")
    unknown_article = seeded("relations", "nope")
    assert unknown_article.code == 1
    assert dump(db_path) == before


def test_deleting_a_span_deletes_its_relations_and_restoring_it_brings_them_back(
    seeded: RunCli, db_path: Path
) -> None:
    a, b, c = _span(seeded, "1", 10, 30), _span(seeded, "2", 10, 30), _span(seeded, "2", 40, 60)
    seeded("relations", "add", str(a), str(b), "--type", "supports", "--note", "why")
    seeded("relations", "add", str(c), str(a), "--type", "attacks")
    seeded("relations", "add", str(b), str(c), "--type", "attacks")
    db = open_db(db_path)
    rows = db.execute("SELECT * FROM relations ORDER BY id").fetchall()
    snap = delete_span(db, a)
    assert db.execute("SELECT * FROM relations ORDER BY id").fetchall() == [rows[2]]
    restore_span(db, snap)
    # The same rows, ids, notes and timestamps included.
    assert db.execute("SELECT * FROM relations ORDER BY id").fetchall() == rows


def test_the_apps_undo_of_a_span_delete_restores_its_relations(
    seeded: RunCli, db_path: Path
) -> None:
    a, b = _span(seeded, "1", 10, 30), _span(seeded, "2", 10, 30)
    seeded("relations", "add", str(a), str(b), "--type", "attacks", "--note", "undercuts")
    db = open_db(db_path)
    rows = db.execute("SELECT * FROM relations").fetchall()
    session = Session(db)
    session.delete(b)
    assert db.execute("SELECT count(*) FROM relations").fetchone()[0] == 0
    session.undo()
    assert db.execute("SELECT * FROM relations").fetchall() == rows
    session.redo()
    assert db.execute("SELECT count(*) FROM relations").fetchone()[0] == 0


def test_deleting_a_span_from_the_cli_deletes_its_relations(seeded: RunCli, db_path: Path) -> None:
    a, b = _span(seeded, "1", 10, 30), _span(seeded, "2", 10, 30)
    seeded("relations", "add", str(a), str(b), "--type", "supports")
    assert seeded("delete", str(b)).code == 0
    assert seeded("relations", "--json").json() == []


def test_relations_note_sets_and_clears_a_note(seeded: RunCli, db_path: Path) -> None:
    a, b = _span(seeded, "1", 10, 30), _span(seeded, "2", 10, 30)
    rid = seeded("relations", "add", str(a), str(b), "--type", "attacks", "--json").json()["id"]
    noted = seeded("relations", "note", str(rid), "数字不一致：2023 vs 2024", "--json")
    assert noted.code == 0, noted.err
    assert noted.json()["note"] == "数字不一致：2023 vs 2024"
    assert noted.json()["updated_at"] >= noted.json()["created_at"]
    assert seeded("relations", "--json").json()[0]["note"] == "数字不一致：2023 vs 2024"
    cleared = seeded("relations", "note", str(rid), "", "--json")
    assert cleared.code == 0 and cleared.json()["note"] is None
    before = dump(db_path)
    missing = seeded("relations", "note", str(rid + 100), "why")
    assert missing.code == 1
    assert_one_error_line(missing.err, f"no relation with id {rid + 100}")
    assert dump(db_path) == before
