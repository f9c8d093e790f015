"""The plain span rows (what ``spans`` prints without pydantic) cannot drift from the
Span model, and ``spans`` prints what it printed when it went through the models."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from claimmap.cli.safe_text import echo, json_safe
from claimmap.models import Span
from claimmap.store import open_db, write_unit
from claimmap.store.current_read import read_if_current
from claimmap.store.span_listing import SPAN_FIELDS, span_rows
from claimmap.store.spans import query_spans
from tests.conftest import RunCli
from tests.helpers import assert_one_error_line

SEED_000 = "000_9f00d43fca9a4a2d"
SEED_001 = "001_222e73f4153aafe6"


@pytest.fixture
def coded(seeded: RunCli, db_path: Path) -> RunCli:
    """Spans with several tags, none, a hostile note, two analysts, one orphaned,
    one on a labelled page and one on an unlabelled page."""
    runs = [
        ("annotate", SEED_000, "--start", "10", "--end", "30", "--tag", "motive", "--tag", "impact"),
        ("--annotator", "bob", "annotate", SEED_000, "--start", "5", "--end", "40", "--tag", "limitation"),
        ("annotate", SEED_001, "--start", "100", "--end", "130", "--tag", "recommendation"),
        ("annotate", SEED_001, "--start", "200", "--end", "210", "--tag", "impact"),
        ("note", "1", "a note 😊 \x1b[31m \u202e"),
    ]  # fmt: skip
    for args in runs:
        assert seeded(*args).code == 0, args
    db = open_db(db_path)
    with write_unit(db):
        db.execute("UPDATE spans SET orphaned = 1 WHERE id = 3")
        db.execute("DELETE FROM span_tags WHERE span_id = 4")  # the CLI keeps one tag at least
        db.execute(
            'INSERT INTO article_pages (article_id, seq, start, "end", label) VALUES '
            "(2, 0, 0, 150, 'iv'), (2, 1, 150, 400, NULL)"
        )
    db.close()
    return seeded


def _model_rows(path: Path, **filters: Any) -> list[dict[str, Any]]:
    db = open_db(path)
    try:
        return [s.model_dump(mode="json") for s in query_spans(db, **filters)]
    finally:
        db.close()


def test_span_fields_are_the_models_fields_in_order() -> None:
    assert tuple(Span.model_fields) == SPAN_FIELDS


@pytest.mark.parametrize(
    "filters",
    [{}, {"orphaned": True}, {"orphaned": False}, {"annotator": "bob"}, {"tag": "motive"}],
)
def test_span_rows_equal_the_span_models_dumps(
    coded: RunCli, db_path: Path, filters: dict[str, Any]
) -> None:
    expected = _model_rows(db_path, **filters)
    conn = sqlite3.connect(db_path)
    try:
        rows = span_rows(conn, **filters)
    finally:
        conn.close()
    assert rows == expected
    assert json.dumps(rows, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)


def test_the_varied_spans_are_varied(coded: RunCli, db_path: Path) -> None:
    """The fixture holds what the drift test is meant to cover."""
    rows = read_if_current(db_path, span_rows)
    assert rows is not None
    assert {r["page"] for r in rows} == {None, "iv", "2"}
    assert {len(r["tags"]) for r in rows} == {0, 1, 2}
    assert {r["orphaned"] for r in rows} == {True, False}
    assert {r["annotator"] for r in rows} >= {"bob"}
    assert any(r["note"] for r in rows) and any(r["note"] is None for r in rows)


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--orphaned",),
        ("--annotator", "bob"),
        ("--annotator", "nobody"),
        (SEED_000,),
        ("--tag", "motive"),
    ],
)
def test_spans_prints_what_the_models_printed(
    coded: RunCli, db_path: Path, args: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_db(db_path)
    try:
        annotator = args[1] if args[:1] == ("--annotator",) else None
        spans = query_spans(
            db,
            article_id=1 if args == (SEED_000,) else None,
            tag="motive" if args[:1] == ("--tag",) else None,
            orphaned=True if "--orphaned" in args else None,
            annotator=annotator,
        )
    finally:
        db.close()
    document = json.dumps([s.model_dump(mode="json") for s in spans], ensure_ascii=False, indent=2)
    as_json = coded("spans", *args, "--json")
    assert as_json.code == 0, as_json.err
    assert as_json.out == json_safe(document) + "\n"
    text = coded("spans", *args)
    assert text.code == 0, text.err
    # The lines as the command printed them from the models.
    capsys.readouterr()
    for s in spans:
        flag = " ORPHANED" if s.orphaned else ""
        note = f"  # {s.note}" if s.note else ""
        echo(
            f"{s.id:>5}  {s.article}  [{s.start}:{s.end}]{flag}  {','.join(s.tags)}: "
            f"{s.quote}{note}"
        )
    assert text.out == capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("nosuch",), "no article matches"),
        (("--tag", "nosuch"), "unknown tag"),
        (("--annotator", ""), "annotator name cannot be empty"),
        (("nosuch", "--annotator", ""), "no article matches"),
    ],
)
def test_spans_refuses_as_before(coded: RunCli, args: tuple[str, ...], needle: str) -> None:
    result = coded("spans", *args, "--json")
    assert result.code == 1 and result.out == ""
    assert_one_error_line(result.err, needle)


def test_spans_on_a_missing_database_creates_it_as_before(db_path: Path, cli: RunCli) -> None:
    result = cli("spans", "--json")
    assert (result.code, result.out, result.err) == (0, "[]\n", "")
    assert db_path.exists()
