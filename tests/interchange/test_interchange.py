"""Importing W3C JSONL and REFI-QDA: round trips, re-anchoring, refusal of bad input."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from exporters.corpus import TEXTS, Corpus, add_article, add_articles, build_corpus
from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.services import exporting
from claimmap.services.claims import list_claims
from claimmap.services.interchange import import_annotations
from claimmap.store import open_db
from claimmap.store.spans import query_spans


def _fresh() -> Database:
    db = open_db(memory=True)
    add_articles(db)
    return db


def _spans(db: Database) -> list[tuple[Any, ...]]:
    return sorted(
        (
            s.article,
            s.start,
            s.end,
            s.quote,
            s.prefix,
            s.suffix,
            tuple(s.tags),
            s.note,
            s.annotator,
            s.orphaned,
            s.created_at,
        )
        for s in query_spans(db)
    )


def _claims(db: Database) -> list[tuple[str | None, tuple[str, ...]]]:
    by_id = {s.id: (s.article, s.start) for s in query_spans(db)}
    return sorted(
        (c.label or "", tuple(sorted(str(by_id[i]) for i in c.spans))) for c in list_claims(db)
    )


def _dump(db: Database) -> list[tuple[Any, ...]]:
    """Every table an import writes, for "unchanged" checks."""
    out: list[tuple[Any, ...]] = []
    for table in ("spans", "span_tags", "notes", "links", "claims", "tags"):
        out.extend((table, *row) for row in db.execute(f"SELECT * FROM {table} ORDER BY 1"))
    return out


@pytest.mark.parametrize("target", ["w3c", "w3c.jsonl", "p.qdpx"])
def test_round_trip_gives_identical_spans_and_claims(
    corpus: Corpus, tmp_path: Path, target: str
) -> None:
    path = tmp_path / target
    fmt = "qdpx" if target.endswith(".qdpx") else "w3c"
    exporting.export_annotations(corpus.db, fmt, path)
    db = _fresh()
    report = import_annotations(db, path)
    assert (report.annotations, report.exact, report.moved, report.orphaned) == (14, 14, 0, 0)
    assert report.links == 4
    assert _spans(db) == _spans(corpus.db)
    assert _claims(db) == _claims(corpus.db)
    # Re-exporting the imported database gives the same bytes.
    again = tmp_path / (
        "again" + ("" if fmt == "w3c" and "." not in target else Path(target).suffix)
    )
    exporting.export_annotations(db, fmt, again)
    if path.is_dir():
        assert sorted(p.read_bytes() for p in path.iterdir()) == sorted(
            p.read_bytes() for p in again.iterdir()
        )
    else:
        assert path.read_bytes() == again.read_bytes()


def test_reimport_merges_instead_of_duplicating(corpus: Corpus, tmp_path: Path) -> None:
    exporting.export_annotations(corpus.db, "w3c", tmp_path / "w3c")
    db = _fresh()
    import_annotations(db, tmp_path / "w3c")
    before = _dump(db)
    report = import_annotations(db, tmp_path / "w3c")
    assert report.merged == 14
    assert [r for r in _dump(db) if r[0] != "links"] == [r for r in before if r[0] != "links"]


def test_reanchors_on_changed_text_and_orphans_what_is_gone(corpus: Corpus, tmp_path: Path) -> None:
    exporting.export_annotations(corpus.db, "w3c", tmp_path / "w3c")
    db = open_db(memory=True)
    title, text = TEXTS["alpha"]
    # The article was re-cleaned: a line added at the top, one passage removed.
    changed = "新增的第一行。\n" + text.replace("@SUM(A1:A2) 与 ", "")
    add_article(db, "alpha", title, changed)
    for ref in ("beta", "gamma"):
        add_article(db, ref, *TEXTS[ref])
    report = import_annotations(db, tmp_path / "w3c")
    assert report.orphaned == 1 and report.orphans[0].quote == "@SUM(A1:A2)"
    assert report.moved == 7 and report.exact == 6
    spans = query_spans(db, article_id=1)
    for span in spans:
        if not span.orphaned:
            assert changed[span.start : span.end] == span.quote
    orphan = next(s for s in spans if s.orphaned)
    assert orphan.quote == "@SUM(A1:A2)"
    # An orphan is never given a place in the matrix.
    matrix, _, _ = exporting.build(db, exporting.matrix_options(db))
    assert orphan.id not in {i for r in matrix.rows for i in r.span_ids}


def _w3c_line(**over: Any) -> dict[str, Any]:
    anno: dict[str, Any] = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "urn:uuid:00000000-0000-4000-8000-000000000001",
        "type": "Annotation",
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": "motive"}],
        "target": {
            "source": "urn:claimmap:article:gamma",
            "selector": [
                {"type": "TextQuoteSelector", "exact": "供应链安全", "prefix": "", "suffix": ""},
            ],
        },
    }
    anno.update(over)
    return anno


def _target(
    *selectors: dict[str, Any], source: str = "urn:claimmap:article:gamma"
) -> dict[str, Any]:
    return {"source": source, "selector": list(selectors)}


BAD_LINES: dict[str, tuple[str, str]] = {
    "bad json": ('{"type": "Annotation", ', "invalid JSON"),
    "missing selectors": (json.dumps(_w3c_line(target=_target())), "no TextQuoteSelector"),
    "offsets past end": (
        json.dumps(
            _w3c_line(target=_target({"type": "TextPositionSelector", "start": 10, "end": 99999}))
        ),
        "past the end",
    ),
    "quote gone": (
        json.dumps(_w3c_line(target=_target({"type": "TextQuoteSelector", "prefix": "x"}))),
        "exact must be a string",
    ),
    "unknown article": (
        json.dumps(
            _w3c_line(
                target=_target(
                    {"type": "TextQuoteSelector", "exact": "x"}, source="urn:claimmap:article:nope"
                )
            )
        ),
        "not an article",
    ),
    "no tag": (json.dumps(_w3c_line(body=[])), "at least one tag"),
    "selectors disagree": (
        json.dumps(
            _w3c_line(
                target=_target(
                    {"type": "TextQuoteSelector", "exact": "供应链安全"},
                    {"type": "TextPositionSelector", "start": 0, "end": 2},
                )
            )
        ),
        "selectors disagree",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_malformed_w3c_is_one_line_error_and_db_unchanged(tmp_path: Path, case: str) -> None:
    bad, message = BAD_LINES[case]
    good = json.dumps(_w3c_line(id="urn:uuid:00000000-0000-4000-8000-000000000002"))
    path = tmp_path / "in.jsonl"
    path.write_text(good + "\n\n" + bad + "\n", "utf-8")
    corpus = build_corpus()
    before = _dump(corpus.db)
    with pytest.raises(ClaimmapError) as info:
        import_annotations(corpus.db, path)
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith(f"{path}:3: ") and message in text
    assert _dump(corpus.db) == before


def test_link_to_unknown_annotation_is_refused(tmp_path: Path) -> None:
    link = {
        "type": "Annotation",
        "motivation": "linking",
        "target": "urn:uuid:a",
        "body": "urn:uuid:b",
    }
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(_w3c_line()) + "\n" + json.dumps(link) + "\n")
    corpus = build_corpus()
    before = _dump(corpus.db)
    with pytest.raises(ClaimmapError, match=r"in\.jsonl:2: links to unknown annotation"):
        import_annotations(corpus.db, path)
    assert _dump(corpus.db) == before


def test_foreign_annotation_without_positions_and_new_tag(tmp_path: Path) -> None:
    path = tmp_path / "hypothesis.jsonl"
    anno = _w3c_line(
        body=[{"type": "TextualBody", "purpose": "tagging", "value": "evidence"}], creator="someone"
    )
    path.write_text(json.dumps(anno) + "\n")
    db = _fresh()
    report = import_annotations(db, path)
    assert report.exact == 1 and report.tags_created == ["evidence"]
    (span,) = query_spans(db)
    assert span.quote == "供应链安全" and span.tags == ["evidence"] and span.annotator == "someone"
    assert TEXTS["gamma"][1][span.start : span.end] == "供应链安全"


def _qdpx_with(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _valid_qde(corpus: Corpus, tmp_path: Path) -> dict[str, bytes]:
    exporting.export_annotations(corpus.db, "qdpx", tmp_path / "ok.qdpx")
    with zipfile.ZipFile(tmp_path / "ok.qdpx") as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_qdpx_path_traversal_rejected(corpus: Corpus, tmp_path: Path) -> None:
    members = _valid_qde(corpus, tmp_path)
    for evil in ("../evil.txt", "/etc/evil", "sources/../../x", "a\\..\\b"):
        path = tmp_path / "evil.qdpx"
        path.write_bytes(_qdpx_with({**members, evil: b"x"}))
        with pytest.raises(ClaimmapError, match="unsafe member name"):
            import_annotations(_fresh(), path)


def test_qdpx_zip_bomb_rejected(corpus: Corpus, tmp_path: Path) -> None:
    members = _valid_qde(corpus, tmp_path)
    path = tmp_path / "bomb.qdpx"
    path.write_bytes(_qdpx_with({**members, "sources/bomb.txt": b"\0" * (20 * 1024 * 1024)}))
    assert path.stat().st_size < 200_000
    db = _fresh()
    before = _dump(db)
    with pytest.raises(ClaimmapError, match="zip bomb"):
        import_annotations(db, path)
    assert _dump(db) == before


def test_qdpx_xxe_and_entity_expansion_rejected(corpus: Corpus, tmp_path: Path) -> None:
    members = _valid_qde(corpus, tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    payloads = [
        f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>',
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="&b;"/>',
    ]
    for payload in payloads:
        path = tmp_path / "xxe.qdpx"
        path.write_bytes(_qdpx_with({**members, "project.qde": payload.encode()}))
        with pytest.raises(ClaimmapError, match=r"project\.qde refused") as info:
            import_annotations(_fresh(), path)
        assert "TOP SECRET" not in str(info.value)


def test_qdpx_source_not_here_becomes_an_article(corpus: Corpus, tmp_path: Path) -> None:
    """A source the database lacks is created from the archive (it used to be refused)."""
    exporting.export_annotations(corpus.db, "qdpx", tmp_path / "p.qdpx")
    db = open_db(memory=True)
    add_article(db, "alpha", *TEXTS["alpha"])
    report = import_annotations(db, tmp_path / "p.qdpx")
    assert sorted(report.articles_created) == ["beta", "gamma"]
    assert report.orphaned == 0
    assert _spans(db) == _spans(corpus.db)
