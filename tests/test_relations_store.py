"""The relations table and its core service: refusals, both-ways listing, cascade."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimmap.errors import ClaimmapError
from claimmap.services import relations
from claimmap.store import open_db
from tests.conftest import RunCli


def _span(cli: RunCli, article: str, start: int, end: int) -> int:
    result = cli(
        "annotate", article, "--start", str(start), "--end", str(end), "--tag", "motive", "--json"
    )
    assert result.code == 0, result.err
    return int(result.json()["id"])


def test_relations_add_list_delete_and_cascade(seeded: RunCli, db_path: Path) -> None:
    a, b, c = _span(seeded, "1", 10, 30), _span(seeded, "2", 10, 30), _span(seeded, "2", 40, 60)
    db = open_db(db_path)
    first = relations.add_relation(db, a, b, "supports", note="evidence", annotator="ana")
    second = relations.add_relation(db, c, a, "attacks", annotator="ana")
    assert (first.source, first.target, first.type, first.note) == (a, b, "supports", "evidence")
    assert [r.id for r in relations.relations_of_span(db, a)] == [first.id, second.id]
    assert [r.id for r in relations.list_relations(db, type_="attacks")] == [second.id]
    with pytest.raises(ClaimmapError, match="itself"):
        relations.add_relation(db, a, a, "supports")
    with pytest.raises(ClaimmapError, match="already supports"):
        relations.add_relation(db, a, b, "supports", annotator="ana")
    with pytest.raises(ClaimmapError, match="unknown relation type"):
        relations.add_relation(db, a, b, "rebuts")
    deleted = relations.delete_relation(db, first.id)
    assert deleted.id == first.id
    # A new relation never takes a deleted relation's id.
    third = relations.add_relation(db, a, b, "supports", annotator="ana")
    assert third.id > second.id
    # Deleting a span deletes its relations in the same statement.
    db.execute("DELETE FROM spans WHERE id = ?", [c])
    assert [r.id for r in relations.list_relations(db)] == [third.id]
