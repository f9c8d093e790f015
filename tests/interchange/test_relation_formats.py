"""Relations travel in the existing formats: W3C and REFI-QDA round trips, brat
``R`` lines inside one article, and the JSON matrix export."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from exporters.brat_rules import problems
from exporters.corpus import FIXED, Corpus, add_articles, build_corpus
from sqlite_utils import Database

from claimmap.exporters import w3c
from claimmap.services import exporting
from claimmap.services.interchange import import_annotations
from claimmap.services.relations import add_relation
from claimmap.store import open_db, write_unit

XSD = Path(__file__).resolve().parent.parent / "data" / "refi-qda-project-1.0.xsd"


def _with_relations(corpus: Corpus) -> Corpus:
    s, db = corpus.spans, corpus.db
    # Across articles, with a note that needs escaping; inside one article; two
    # analysts stating the same relation.
    add_relation(
        db, s["b_script"], s["a_supply"], "attacks", note="=1+1\n<b>why</b>", annotator="ana"
    )
    add_relation(db, s["a_at"], s["a_plus"], "attacks", annotator="ana")
    add_relation(
        db, s["g_supply"], s["g_rules"], "supports", note="security first", annotator="ana"
    )
    add_relation(db, s["g_supply"], s["g_rules"], "supports", annotator="bo")
    with write_unit(db):
        db.execute("UPDATE relations SET created_at = ?, updated_at = ?", [FIXED, FIXED])
    return corpus


def _relations(db: Database) -> list[tuple[Any, ...]]:
    """Relations by their spans' places (ids differ between databases)."""
    return sorted(
        db.execute(
            'SELECT sa.ref, s.start, s."end", ta.ref, t.start, t."end", r.type, r.annotator, '
            "r.note, r.created_at, r.updated_at FROM relations r "
            "JOIN spans s ON s.id = r.source JOIN articles sa ON sa.id = s.article_id "
            "JOIN spans t ON t.id = r.target JOIN articles ta ON ta.id = t.article_id"
        ).fetchall()
    )


def _fresh() -> Database:
    db = open_db(memory=True)
    add_articles(db)
    return db


@pytest.mark.parametrize("target", ["w3c", "w3c.jsonl"])
def test_w3c_round_trip_keeps_every_relation(corpus: Corpus, tmp_path: Path, target: str) -> None:
    _with_relations(corpus)
    path = tmp_path / target
    summary = exporting.export_annotations(corpus.db, "w3c", path)
    assert summary["relations"] == 4
    db = _fresh()
    report = import_annotations(db, path)
    assert report.relations == 4
    assert _relations(db) == _relations(corpus.db)
    again = tmp_path / ("again" + Path(target).suffix)
    exporting.export_annotations(db, "w3c", again)
    if path.is_dir():
        assert {p.name: p.read_bytes() for p in path.iterdir()} == {
            p.name: p.read_bytes() for p in again.iterdir()
        }
    else:
        assert path.read_bytes() == again.read_bytes()
    # Importing the same file again adds no relation.
    assert import_annotations(db, path).relations == 0
    assert _relations(db) == _relations(corpus.db)


def test_w3c_relation_annotation_shape(corpus: Corpus, tmp_path: Path) -> None:
    _with_relations(corpus)
    exporting.export_annotations(corpus.db, "w3c", tmp_path / "out")
    lines = (tmp_path / "out" / w3c.RELATIONS_FILE).read_text("utf-8").splitlines()
    annos = [json.loads(line) for line in lines]
    assert len(annos) == 4
    ids = {
        json.loads(line)["id"]
        for f in (tmp_path / "out").iterdir()
        if f.suffix == ".jsonl" and f.name not in (w3c.RELATIONS_FILE, w3c.LINKS_FILE)
        for line in f.read_text("utf-8").splitlines()
    }
    attack = next(a for a in annos if a["body"][0]["value"] == "attacks" and len(a["body"]) == 2)
    assert attack["motivation"] == "linking" and attack["type"] == "Annotation"
    assert attack["body"][0] == {
        "type": "TextualBody",
        "purpose": "classifying",
        "value": "attacks",
    }
    assert attack["body"][1]["purpose"] == "commenting"
    assert attack["body"][1]["value"] == "=1+1\n<b>why</b>"
    assert attack["creator"] == {"type": "Person", "name": "ana"}
    # Both targets are span annotations of the export: the one that argues first.
    assert len(attack["target"]) == 2 and set(attack["target"]) <= ids


def test_w3c_relation_with_an_unknown_type_is_refused(tmp_path: Path) -> None:
    corpus = _with_relations(build_corpus())
    exporting.export_annotations(corpus.db, "w3c", tmp_path / "out")
    rel_file = tmp_path / "out" / w3c.RELATIONS_FILE
    rel_file.write_text(rel_file.read_text("utf-8").replace('"attacks"', '"rebuts"'), "utf-8")
    db = _fresh()
    with pytest.raises(Exception, match="classifying"):
        import_annotations(db, tmp_path / "out")
    assert _relations(db) == []
    assert db.execute("SELECT count(*) FROM spans").fetchone()[0] == 0


def test_qdpx_round_trip_keeps_relations_and_validates(corpus: Corpus, tmp_path: Path) -> None:
    _with_relations(corpus)
    path = tmp_path / "p.qdpx"
    exporting.export_annotations(corpus.db, "qdpx", path)
    with zipfile.ZipFile(path) as zf:
        qde = zf.read("project.qde").decode("utf-8")
    xmlschema.XMLSchema(str(XSD)).validate(qde)
    assert qde.count('name="attacks" direction="OneWay"') == 2
    assert qde.count('name="supports" direction="OneWay"') == 2
    assert qde.count("<NoteRef ") == 2 and "&lt;b&gt;why&lt;/b&gt;" in qde
    db = _fresh()
    report = import_annotations(db, path)
    assert report.links == 4 and report.relations == 3
    # A Link carries no user: a relation with a note is its note's author's (the
    # Note's creatingUser), one without the origin selection's analyst's, so
    # "bo"'s note-less copy merges into "ana"'s.
    got = [r[:9] for r in _relations(db)]
    want = [r[:9] for r in _relations(corpus.db) if r[7] == "ana"]
    assert got == want
    assert any(r[8] == "=1+1\n<b>why</b>" for r in got)


def test_brat_relations_inside_one_article(corpus: Corpus, tmp_path: Path) -> None:
    _with_relations(corpus)
    exporting.export_annotations(corpus.db, "brat", tmp_path / "brat")
    conf = (tmp_path / "brat" / "annotation.conf").read_text("utf-8")
    assert "Supports\tArg1:<ENTITY>, Arg2:<ENTITY>" in conf
    for ref in ("alpha", "beta", "gamma"):
        text = (tmp_path / "brat" / f"{ref}.txt").read_text("utf-8")
        ann = (tmp_path / "brat" / f"{ref}.ann").read_text("utf-8")
        assert problems(text, ann, conf) == []
    alpha = (tmp_path / "brat" / "alpha.ann").read_text("utf-8")
    gamma = (tmp_path / "brat" / "gamma.ann").read_text("utf-8")
    beta = (tmp_path / "brat" / "beta.ann").read_text("utf-8")
    types = [line.split("\t")[1].split()[0] for line in alpha.splitlines() if line[0] == "R"]
    assert types == ["Attacks"]
    # Two analysts' copies are two R lines; the note goes on the R line.
    assert gamma.count("\tSupports Arg1:T") == 2
    assert "AnnotatorNotes R" in gamma and "security first" in gamma
    # The cross-article relation cannot be written in brat.
    assert "Attacks" not in beta


def test_json_matrix_export_lists_relations_with_their_claims(corpus: Corpus) -> None:
    _with_relations(corpus)
    data = json.loads(
        exporting.export_matrix(corpus.db, "json", exporting.matrix_options(corpus.db))
    )
    rels = data["relations"]
    assert len(rels) == 4
    s = corpus.spans
    claim_of = {span: claim["id"] for claim in data["matrix"]["claims"] for span in claim["spans"]}
    first = next(r for r in rels if r["source"] == s["b_script"])
    assert first["type"] == "attacks" and first["target"] == s["a_supply"]
    assert first["note"] == "=1+1\n<b>why</b>" and first["annotator"] == "ana"
    assert (first["source_claim"], first["target_claim"]) == (
        claim_of[s["b_script"]],
        claim_of[s["a_supply"]],
    )
    assert (first["source_article"], first["target_article"]) == ("beta", "alpha")
