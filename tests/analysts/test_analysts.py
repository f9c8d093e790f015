"""Every write records its analyst: the global option, the environment, the OS user;
views, the linker and exports work on one analyst's layer."""

from __future__ import annotations

import getpass
import json
import sqlite3
from pathlib import Path

import pytest

from claimmap.store import open_db
from tests.analysts.conftest import A0, A1, QUOTE_0, Claimmap, ok
from tests.conftest import SEEDS
from tests.helpers import assert_one_error_line

SHARED = "美日人工智能合作"


@pytest.fixture
def db(claimmap: Claimmap, tmp_path: Path) -> Path:
    path = tmp_path / "team.db"
    ok(claimmap(path, "import", *(str(p) for p in sorted(SEEDS.glob("00*.txt")))))
    return path


def _annotators(db: Path, sql: str) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [str(r[0]) for r in conn.execute(sql)]
    finally:
        conn.close()


def test_global_option_names_the_analyst_of_a_span(claimmap: Claimmap, db: Path) -> None:
    ok(claimmap(db, "annotate", A0, "--quote", QUOTE_0, "--tag", "motive", annotator="alice"))
    spans = ok(claimmap(db, "spans", "--json")).json()
    assert [s["annotator"] for s in spans] == ["alice"]


def test_environment_names_the_analyst_when_the_option_does_not(
    claimmap: Claimmap, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMMAP_ANNOTATOR", "bob")
    ok(claimmap(db, "annotate", A0, "--quote", QUOTE_0, "--tag", "motive"))
    ok(
        claimmap(
            db,
            "annotate",
            A1,
            "--quote",
            SHARED,
            "--occurrence",
            "1",
            "--tag",
            "motive",
            annotator="carol",
        )
    )
    who = {s["article"]: s["annotator"] for s in ok(claimmap(db, "spans", "--json")).json()}
    # The option wins over the environment; spans lists every layer here because
    # ``--annotator`` on spans was not given and the environment names bob: only bob's.
    assert who == {A0: "bob"}
    everyone = ok(claimmap(db, "spans", "--json", "--annotator", "carol")).json()
    assert [s["annotator"] for s in everyone] == ["carol"]


def test_os_user_is_the_analyst_when_nobody_is_named(claimmap: Claimmap, db: Path) -> None:
    ok(claimmap(db, "annotate", A0, "--quote", QUOTE_0, "--tag", "motive"))
    assert _annotators(db, "SELECT annotator FROM spans") == [getpass.getuser()]


def test_annotate_annotator_overrides_the_global_option(claimmap: Claimmap, db: Path) -> None:
    ok(
        claimmap(
            db, "annotate", A0, "--quote", QUOTE_0, "--tag", "motive", "--annotator", "dora",
            annotator="alice",
        )
    )  # fmt: skip
    assert _annotators(db, "SELECT annotator FROM spans") == ["dora"]


def test_notes_record_the_current_analyst(claimmap: Claimmap, db: Path) -> None:
    span = ok(claimmap(db, "annotate", A0, "--quote", QUOTE_0, "--tag", "motive", "--json"))
    ok(claimmap(db, "note", str(span.json()["id"]), "why", annotator="erin"))
    assert _annotators(db, "SELECT author FROM notes") == ["erin"]


def test_two_analysts_coding_one_passage_make_two_spans(claimmap: Claimmap, db: Path) -> None:
    for who, tag in (("alice", "motive"), ("bob", "impact")):
        ok(claimmap(db, "annotate", A0, "--quote", QUOTE_0, "--tag", tag, annotator=who))
    spans = ok(claimmap(db, "spans", "--json")).json()
    assert sorted((s["annotator"], s["tags"][0]) for s in spans) == [
        ("alice", "motive"),
        ("bob", "impact"),
    ]


def test_linker_pairs_spans_within_one_layer_only(claimmap: Claimmap, db: Path) -> None:
    for who in ("alice", "bob"):
        for article in (A0, A1):
            ok(
                claimmap(
                    db,
                    "annotate",
                    article,
                    "--quote",
                    SHARED,
                    "--occurrence",
                    "1",
                    "--tag",
                    "motive",
                    annotator=who,
                )
            )
    ok(claimmap(db, "link"))
    pairs = _annotators(
        db,
        "SELECT sa.annotator || '/' || sb.annotator FROM links l "
        "JOIN spans sa ON sa.id = l.a JOIN spans sb ON sb.id = l.b",
    )
    assert sorted(pairs) == ["alice/alice", "bob/bob"]
    ok(claimmap(db, "link", "--annotator", "alice"))
    assert len(_annotators(db, "SELECT id FROM links")) == 2


def test_links_record_their_decider_and_a_cross_layer_link_is_flagged(
    claimmap: Claimmap, db: Path
) -> None:
    ids = {}
    for who, article in (("alice", A0), ("alice", A1), ("bob", A1)):
        made = ok(
            claimmap(db, "annotate", article, "--quote", SHARED, "--occurrence", "1", "--tag",
                     "motive", "--json", annotator=who)
        ).json()  # fmt: skip
        ids[(who, article)] = made["id"]
    a, b, c = ids[("alice", A0)], ids[("alice", A1)], ids[("bob", A1)]
    same = ok(claimmap(db, "links", "accept", "--pair", str(a), str(b), annotator="alice"))
    assert "layer" not in same.err
    assert _annotators(db, "SELECT annotator FROM links") == ["alice"]
    # Linking is never refused for looking odd; spans of two layers are said to be.
    across = ok(claimmap(db, "links", "accept", "--pair", str(a), str(c), annotator="carol"))
    warnings = [line for line in across.err.splitlines() if line.startswith("warning: ")]
    assert any("alice's layer" in w and "bob's" in w for w in warnings), across.err
    assert _annotators(db, "SELECT annotator FROM links ORDER BY id") == ["alice", "carol"]


def test_claims_and_exports_take_one_layer(claimmap: Claimmap, db: Path, tmp_path: Path) -> None:
    made = {}
    for who in ("alice", "bob"):
        for article in (A0, A1):
            made[(who, article)] = ok(
                claimmap(db, "annotate", article, "--quote", SHARED, "--occurrence", "1", "--tag", "motive", "--json",
                         annotator=who)
            ).json()["id"]  # fmt: skip
    ok(
        claimmap(
            db, "links", "accept", "--pair", str(made[("alice", A0)]), str(made[("alice", A1)])
        )
    )
    alice = ok(claimmap(db, "claims", "--json", "--annotator", "alice")).json()
    bob = ok(claimmap(db, "claims", "--json", "--annotator", "bob")).json()
    assert sorted(len(c["spans"]) for c in alice) == [2]
    assert sorted(len(c["spans"]) for c in bob) == [1, 1]
    every = ok(claimmap(db, "claims", "--json")).json()
    assert len(every) == 3
    out = tmp_path / "bob.json"
    ok(claimmap(db, "export", "matrix", "--format", "json", "-o", str(out), "--annotator", "bob"))
    matrix = json.loads(out.read_text())
    assert matrix["matrix"]["total_claims"] == 2
    w3c = tmp_path / "alice.jsonl"
    ok(claimmap(db, "export", "annotations", "--format", "w3c", "-o", str(w3c), annotator="alice"))
    creators = {json.loads(line).get("creator", {}).get("name") for line in w3c.open()}
    assert creators <= {"alice", None}


def test_a_name_that_cannot_be_a_folder_is_refused(claimmap: Claimmap, db: Path) -> None:
    # A name is a folder of the sync directory: DIR/<annotator>/.
    for bad in ("../x", "a/b", "articles", ".hidden", " "):
        for where in ("global", "command"):
            extra = ("--annotator", bad) if where == "command" else ()
            result = claimmap(
                db, "annotate", A0, "--quote", QUOTE_0, "--tag", "motive", *extra,
                annotator=bad if where == "global" else None,
            )  # fmt: skip
            assert result.code == 1, (bad, where)
            assert_one_error_line(result.err, "annotator name")
    assert _annotators(db, "SELECT annotator FROM spans") == []


def test_relations_record_the_current_analyst(claimmap: Claimmap, db: Path) -> None:
    first = ok(claimmap(db, "annotate", A0, "--quote", QUOTE_0, "--tag", "motive", "--json"))
    second = ok(
        claimmap(
            db, "annotate", A1, "--quote", SHARED, "--occurrence", "1", "--tag", "motive", "--json"
        )
    )
    # Imported here so that the other tests of this file run on code without it.
    from claimmap.services.analyst import acting_as
    from claimmap.services.relations import add_relation

    store = open_db(db)
    try:
        with acting_as("fay"):
            relation = add_relation(store, first.json()["id"], second.json()["id"], "supports")
    finally:
        store.close()
    assert relation.annotator == "fay"


def test_imported_annotations_without_a_creator_take_the_current_analyst(
    claimmap: Claimmap, db: Path, tmp_path: Path
) -> None:
    line = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "urn:uuid:6f1c2a4e-0000-5000-8000-000000000001",
        "type": "Annotation",
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": "motive"}],
        "target": {
            "source": f"urn:claimmap:article:{A0}",
            "selector": [{"type": "TextQuoteSelector", "exact": QUOTE_0}],
        },
    }
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    ok(claimmap(db, "import-annotations", str(path), annotator="hana"))
    assert _annotators(db, "SELECT annotator FROM spans") == ["hana"]
