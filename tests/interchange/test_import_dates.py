"""Dates on import (issue "Trust"): another tool's timestamps are validated and
stored in claimmap's own form, so claimmap's exports stay schema-valid.

Policy under test: a date that is not a date-time is refused with an error
naming the annotation (the import is all or nothing, like every other malformed
field); a missing date becomes the import time.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import pytest
import xmlschema
from exporters.corpus import build_corpus

from claimmap.errors import ClaimmapError
from claimmap.services import exporting
from claimmap.services.interchange import import_annotations
from claimmap.store import open_db
from claimmap.store.clock import now
from claimmap.store.spans import query_spans
from claimmap.store.timestamps import parse_timestamp

from .test_interchange import _dump, _fresh, _w3c_line

XSD = Path(__file__).resolve().parent.parent / "data" / "refi-qda-project-1.0.xsd"
# The form claimmap.store.clock.now() writes.
STORED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$")

NORMALISED = {
    "2024-05-01T12:00:00.000000+00:00": "2024-05-01T12:00:00.000000+00:00",
    "2024-05-01T12:00:00Z": "2024-05-01T12:00:00.000000+00:00",
    "2024-05-01T12:00:00z": "2024-05-01T12:00:00.000000+00:00",
    "2024-05-01T12:00:00+00:00Z": "2024-05-01T12:00:00.000000+00:00",
    "2024-05-01T12:00:00.5+00:00Z": "2024-05-01T12:00:00.500000+00:00",
    "2024-05-01T20:00:00+08:00": "2024-05-01T12:00:00.000000+00:00",
    "2024-05-01T20:00:00+0800": "2024-05-01T12:00:00.000000+00:00",
    "2024-05-01T02:30:00-09:30": "2024-05-01T12:00:00.000000+00:00",
    "2024-05-01T00:30:00+08:00": "2024-04-30T16:30:00.000000+00:00",
    "2024-05-01T12:00:00.123Z": "2024-05-01T12:00:00.123000+00:00",
    "2024-05-01T12:00:00.123456789Z": "2024-05-01T12:00:00.123456+00:00",
    "2024-05-01 12:00:00Z": "2024-05-01T12:00:00.000000+00:00",
    # No zone (REFI-QDA allows it): taken as UTC, the only reading that needs no guess
    # about the other machine.
    "2024-05-01T12:00:00": "2024-05-01T12:00:00.000000+00:00",
    "2024-02-29T23:59:59.999999-00:00": "2024-02-29T23:59:59.999999+00:00",
}

INVALID = [
    "",
    "garbage",
    "2024-05-01",
    "2024-13-01T00:00:00Z",
    "2023-02-29T00:00:00Z",
    "2024-05-01T24:00:00Z",
    "2024-05-01T12:00:60Z",
    "2024-05-01T12:00:00+08:00Z",
    "2024-05-01T12:00:00+24:00",
    "2024-05-01T12:00Z",
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "2024-W18-3T12:00:00Z",
    "20240501T120000Z",
    "2024-05-01T12:00:00Z\n",
    "２０２４-05-01T12:00:00Z",
    "2024-05-01T12:00:00." + "1" * 5000 + "Z",
]


@pytest.mark.parametrize("raw", sorted(NORMALISED))
def test_parse_timestamp_normalises_to_the_clock_form(raw: str) -> None:
    assert parse_timestamp(raw) == NORMALISED[raw]
    assert STORED.match(NORMALISED[raw])


@pytest.mark.parametrize("raw", INVALID)
def test_parse_timestamp_refuses_what_is_not_a_date_time(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(raw)


def test_clock_output_is_a_fixed_point() -> None:
    """What claimmap writes itself parses back to the same text (so round trips hold)."""
    stamp = now()
    assert STORED.match(stamp)
    assert parse_timestamp(stamp) == stamp
    whole = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC).isoformat(timespec="microseconds")
    assert parse_timestamp(whole) == whole


def _import_w3c(tmp_path: Path, created: object, modified: object) -> list[str]:
    anno = _w3c_line(
        created=created,
        modified=modified,
        body=[
            {"type": "TextualBody", "purpose": "tagging", "value": "motive"},
            {"type": "TextualBody", "purpose": "commenting", "value": "a note"},
        ],
    )
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(anno) + "\n", "utf-8")
    db = _fresh()
    import_annotations(db, path)
    (span,) = query_spans(db)
    (note,) = db.execute("SELECT created_at, updated_at FROM notes").fetchall()
    return [span.created_at, span.updated_at, *note]


def test_w3c_dates_are_stored_in_utc_clock_form(tmp_path: Path) -> None:
    stamps = _import_w3c(tmp_path, "2024-05-01T20:00:00+08:00", "2024-05-02T00:00:00+00:00Z")
    assert stamps == [
        "2024-05-01T12:00:00.000000+00:00",
        "2024-05-02T00:00:00.000000+00:00",
        "2024-05-01T12:00:00.000000+00:00",
        "2024-05-02T00:00:00.000000+00:00",
    ]


def test_missing_w3c_dates_become_the_import_time(tmp_path: Path) -> None:
    stamps = _import_w3c(tmp_path, None, None)
    assert all(STORED.match(s) for s in stamps), stamps


@pytest.mark.parametrize("field", ["created", "modified"])
@pytest.mark.parametrize("bad", ["yesterday", "2024-05-01T12:00:00+08:00Z", 1714564800, []])
def test_invalid_w3c_date_is_refused_naming_the_annotation(
    tmp_path: Path, field: str, bad: object
) -> None:
    anno = _w3c_line(**{field: bad})
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(anno) + "\n", "utf-8")
    db = build_corpus().db
    before = _dump(db)
    with pytest.raises(ClaimmapError) as info:
        import_annotations(db, path)
    message = str(info.value)
    assert message.startswith(f"{path}:1: ")
    assert "urn:uuid:00000000-0000-4000-8000-000000000001" in message and field in message
    assert _dump(db) == before


def test_invalid_w3c_link_date_is_refused(tmp_path: Path) -> None:
    link = {
        "type": "Annotation",
        "motivation": "linking",
        "id": "urn:uuid:link",
        "target": "urn:uuid:00000000-0000-4000-8000-000000000001",
        "body": "urn:uuid:00000000-0000-4000-8000-000000000001",
        "created": "not a date",
    }
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(_w3c_line()) + "\n" + json.dumps(link) + "\n", "utf-8")
    with pytest.raises(ClaimmapError, match=r"in\.jsonl:2: .*created"):
        import_annotations(_fresh(), path)


def _foreign_qdpx(tmp_path: Path, created: str, modified: str) -> Path:
    """claimmap's own export with its selection dates rewritten as another tool wrote them."""
    exporting.export_annotations(build_corpus().db, "qdpx", tmp_path / "ok.qdpx")
    with zipfile.ZipFile(tmp_path / "ok.qdpx") as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    qde = members["project.qde"].decode("utf-8")
    qde = re.sub(
        r'(<PlainTextSelection[^>]*?)creationDateTime="[^"]*"',
        lambda m: f'{m.group(1)}creationDateTime="{created}"',
        qde,
    )
    qde = re.sub(
        r'(<PlainTextSelection[^>]*?)modifiedDateTime="[^"]*"',
        lambda m: f'{m.group(1)}modifiedDateTime="{modified}"',
        qde,
    )
    members["project.qde"] = qde.encode("utf-8")
    path = tmp_path / "foreign.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_qdpx_dates_are_normalised_and_the_reexport_validates(tmp_path: Path) -> None:
    path = _foreign_qdpx(tmp_path, "2024-05-01T12:00:00+00:00Z", "2024-05-01T20:00:00+08:00")
    db = open_db(memory=True)
    from exporters.corpus import add_articles

    add_articles(db)
    import_annotations(db, path)
    spans = query_spans(db)
    assert len(spans) == 14
    assert {(s.created_at, s.updated_at) for s in spans} == {
        ("2024-05-01T12:00:00.000000+00:00", "2024-05-01T12:00:00.000000+00:00")
    }
    again = tmp_path / "again.qdpx"
    exporting.export_annotations(db, "qdpx", again)
    with zipfile.ZipFile(again) as zf:
        xmlschema.XMLSchema(str(XSD)).validate(zf.read("project.qde").decode("utf-8"))


def test_invalid_qdpx_date_is_refused_naming_the_selection(tmp_path: Path) -> None:
    path = _foreign_qdpx(tmp_path, "31/12/2024 10:00", "2024-05-01T12:00:00Z")
    db = build_corpus().db
    before = _dump(db)
    with pytest.raises(ClaimmapError, match=r"PlainTextSelection .*creationDateTime"):
        import_annotations(db, path)
    assert _dump(db) == before
