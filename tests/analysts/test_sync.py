"""``claimmap sync DIR``: deterministic files, idempotent reads, own layer kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimmap.store import open_db
from tests.analysts.conftest import A0, A1, QUOTE_0, Claimmap, files, layers, ok
from tests.conftest import SEEDS
from tests.helpers import assert_one_error_line, dump

SHARED = ("--quote", "美日人工智能合作", "--occurrence", "1")


@pytest.fixture
def alice_db(claimmap: Claimmap, tmp_path: Path) -> Path:
    """Alice's database: the seeds, two spans linked as one claim, a relation."""
    db = tmp_path / "alice.db"
    ok(claimmap(db, "import", *(str(p) for p in sorted(SEEDS.glob("00*.txt")))))
    first = ok(
        claimmap(db, "annotate", A0, "--quote", QUOTE_0, "--tag", "motive", "--note", "why",
                 "--json", annotator="alice")
    ).json()["id"]  # fmt: skip
    second = ok(
        claimmap(db, "annotate", A1, *SHARED, "--tag", "impact", "--json", annotator="alice")
    ).json()["id"]
    ok(claimmap(db, "links", "accept", "--pair", str(first), str(second), annotator="alice"))
    claim = ok(claimmap(db, "claims", "--json", annotator="alice")).json()[0]["id"]
    ok(claimmap(db, "claims", "label", str(claim), "Cooperation has a long history"))
    _relate(db, first, second, "alice")
    return db


def _relate(db: Path, source: int, target: int, who: str) -> None:
    from claimmap.services.analyst import acting_as
    from claimmap.services.relations import add_relation

    store = open_db(db)
    try:
        with acting_as(who):
            add_relation(store, source, target, "supports", note="because")
    finally:
        store.close()


def test_sync_writes_the_layer_and_the_articles(
    claimmap: Claimmap, alice_db: Path, tmp_path: Path
) -> None:
    share = tmp_path / "share"
    report = ok(claimmap(alice_db, "sync", str(share), "--json", annotator="alice")).json()
    assert sorted(p.name for p in (share / "alice").iterdir()) == sorted(
        ["_links.jsonl", "_relations.jsonl", f"{A0}.jsonl", f"{A1}.jsonl"]
    )
    assert len(list((share / "articles").glob("*.json"))) == 5
    assert report["written"] == 9 and report["deleted"] == 0
    span = json.loads((share / "alice" / f"{A0}.jsonl").read_text())
    assert span["creator"] == {"type": "Person", "name": "alice"}
    assert {"purpose": "identifying", "type": "TextualBody",
            "value": "Cooperation has a long history"} in span["body"]  # fmt: skip
    link = json.loads((share / "alice" / "_links.jsonl").read_text())
    assert link["motivation"] == "linking" and len(link["target"]) == 2
    relation = json.loads((share / "alice" / "_relations.jsonl").read_text())
    assert relation["body"][0]["value"] == "claimmap:supports"


def test_second_sync_changes_no_file_and_no_row(
    claimmap: Claimmap, alice_db: Path, tmp_path: Path
) -> None:
    share = tmp_path / "share"
    bob_db = tmp_path / "bob.db"
    ok(claimmap(alice_db, "sync", str(share), annotator="alice"))
    ok(claimmap(bob_db, "sync", str(share), annotator="bob"))
    ok(claimmap(alice_db, "sync", str(share), annotator="alice"))
    before = (files(share), dump(alice_db), dump(bob_db))
    again_alice = ok(claimmap(alice_db, "sync", str(share), "--json", annotator="alice")).json()
    again_bob = ok(claimmap(bob_db, "sync", str(share), "--json", annotator="bob")).json()
    assert (files(share), dump(alice_db), dump(bob_db)) == before
    for report in (again_alice, again_bob):
        assert report["written"] == 0 and report["deleted"] == 0
        assert report["spans_added"] == report["spans_updated"] == report["spans_deleted"] == 0
        assert report["links_changed"] == report["relations_changed"] == 0


def test_empty_database_receives_everything(
    claimmap: Claimmap, alice_db: Path, tmp_path: Path
) -> None:
    share = tmp_path / "share"
    ok(claimmap(alice_db, "sync", str(share), annotator="alice"))
    bob_db = tmp_path / "bob.db"
    report = ok(claimmap(bob_db, "sync", str(share), "--json", annotator="bob")).json()
    assert report["articles_added"] == 5 and report["read"] == ["alice"]
    assert layers(bob_db) == layers(alice_db)
    # What the app and the CLI need of an article: its segments too.
    conn = open_db(bob_db)
    try:
        assert conn.execute("SELECT count(*) FROM article_segments").fetchone()[0] == 5
    finally:
        conn.close()


def test_edits_and_deletions_propagate(claimmap: Claimmap, alice_db: Path, tmp_path: Path) -> None:
    share = tmp_path / "share"
    bob_db = tmp_path / "bob.db"
    ok(claimmap(alice_db, "sync", str(share), annotator="alice"))
    ok(claimmap(bob_db, "sync", str(share), annotator="bob"))
    spans = ok(claimmap(alice_db, "spans", "--json", annotator="alice")).json()
    ok(claimmap(alice_db, "tag", str(spans[0]["id"]), "--add", "limitation"))
    ok(claimmap(alice_db, "note", str(spans[0]["id"]), ""))
    ok(claimmap(alice_db, "delete", str(spans[1]["id"])))
    report = ok(claimmap(alice_db, "sync", str(share), "--json", annotator="alice")).json()
    # The article file left without spans, and the links and relations files (the
    # deleted span took its link and its relation with it).
    assert report["deleted"] == 3
    ok(claimmap(bob_db, "sync", str(share), annotator="bob"))
    assert layers(bob_db) == layers(alice_db)
    assert layers(bob_db)["links"] == {}
    assert layers(bob_db)["relations"] == {}


def test_own_layer_is_never_read_from_a_folder(
    claimmap: Claimmap, alice_db: Path, tmp_path: Path
) -> None:
    share = tmp_path / "share"
    ok(claimmap(alice_db, "sync", str(share), annotator="alice"))
    mine = layers(alice_db)
    own = share / "alice" / f"{A0}.jsonl"
    # A stale or forged copy of alice's file in her own folder is rewritten, not read...
    own.write_text(own.read_text().replace("motive", "impact"))
    ok(claimmap(alice_db, "sync", str(share), annotator="alice"))
    assert layers(alice_db) == mine
    assert "motive" in own.read_text()
    # ...and a file in another analyst's folder that claims to be alice's is refused.
    (share / "mallory").mkdir()
    forged = share / "mallory" / f"{A0}.jsonl"
    forged.write_text(own.read_text())
    before = dump(alice_db)
    result = claimmap(alice_db, "sync", str(share), annotator="alice")
    assert result.code == 1
    assert_one_error_line(result.err, "mallory", "creator")
    assert dump(alice_db) == before


def test_a_bad_line_stores_nothing(claimmap: Claimmap, alice_db: Path, tmp_path: Path) -> None:
    share = tmp_path / "share"
    ok(claimmap(alice_db, "sync", str(share), annotator="alice"))
    bob_db = tmp_path / "bob.db"
    ok(claimmap(bob_db, "sync", str(share), annotator="bob"))
    path = share / "alice" / f"{A1}.jsonl"
    path.write_text(path.read_text() + '{"creator": {"name": "alice"}, "target": 3}\n')
    before = dump(bob_db)
    result = claimmap(bob_db, "sync", str(share), annotator="bob")
    assert result.code == 1
    assert_one_error_line(result.err, f"{A1}.jsonl", "line 2")
    assert dump(bob_db) == before


def test_files_are_deterministic_across_databases(
    claimmap: Claimmap, alice_db: Path, tmp_path: Path
) -> None:
    """Bob's copy of the articles writes the same bytes as alice's: two clones
    never write one file differently, so git never sees a conflict."""
    share = tmp_path / "share"
    ok(claimmap(alice_db, "sync", str(share), annotator="alice"))
    bob_db = tmp_path / "bob.db"
    ok(claimmap(bob_db, "sync", str(share), annotator="bob"))
    articles = {k: v[0] for k, v in files(share).items() if k.startswith("articles/")}
    other = tmp_path / "other"
    ok(claimmap(bob_db, "sync", str(other), annotator="bob"))
    assert {k: v[0] for k, v in files(other).items() if k.startswith("articles/")} == articles


def test_a_local_edit_of_another_layer_is_put_back(
    claimmap: Claimmap, alice_db: Path, tmp_path: Path
) -> None:
    """Bob's folder did not change, but his layer in this database did (an edit
    made here): the next sync reads his folder again and puts his layer back."""
    share = tmp_path / "share"
    bob_db = tmp_path / "bob.db"
    ok(claimmap(alice_db, "sync", str(share), annotator="alice"))
    ok(claimmap(bob_db, "sync", str(share), annotator="bob"))
    shared = layers(bob_db)
    alices = ok(claimmap(bob_db, "spans", "--json", "--annotator", "alice")).json()
    ok(claimmap(bob_db, "tag", str(alices[0]["id"]), "--add", "recommendation"))
    ok(claimmap(bob_db, "delete", str(alices[1]["id"])))
    report = ok(claimmap(bob_db, "sync", str(share), "--json", annotator="bob")).json()
    assert report["read"] == ["alice"]
    assert layers(bob_db) == shared
