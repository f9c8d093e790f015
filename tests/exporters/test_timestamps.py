"""Exported timestamps: UTC with ``Z``, valid xsd:dateTime, whatever was stored."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
import xmlschema

from claimmap.services import exporting
from claimmap.store import write_unit
from claimmap.store.clock import now, to_utc_z
from claimmap.store.timestamps import parse_timestamp
from exporters.corpus import Corpus

XSD = Path(__file__).resolve().parent.parent / "data" / "refi-qda-project-1.0.xsd"
# xsd:dateTime in UTC with Z, as the W3C Web Annotation model asks for created/modified.
UTC_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


@pytest.mark.parametrize(
    ("stored", "exported"),
    [
        ("2024-05-01T12:00:00.000000+00:00", "2024-05-01T12:00:00Z"),
        ("2024-05-01T12:00:00.123456+00:00", "2024-05-01T12:00:00.123456Z"),
        # An older import appended Z to a value that already had an offset.
        ("2024-05-01T12:00:00.000000+00:00Z", "2024-05-01T12:00:00Z"),
        ("2024-05-01T12:00:00+08:00", "2024-05-01T04:00:00Z"),
        ("2024-05-01T01:30:00-05:30", "2024-05-01T07:00:00Z"),
        ("2024-05-01T12:00:00Z", "2024-05-01T12:00:00Z"),
        # Naive values were written by claimmap, which stores UTC.
        ("2024-05-01T12:00:00", "2024-05-01T12:00:00Z"),
        ("2024-05-01 12:00:00.5", "2024-05-01T12:00:00.500000Z"),
        ("2024-01-01T01:00:00+02:00", "2023-12-31T23:00:00Z"),
    ],
)
def test_to_utc_z_normalises(stored: str, exported: str) -> None:
    assert to_utc_z(stored) == exported
    assert UTC_Z.match(exported)
    # Idempotent: normalising the export again changes nothing.
    assert to_utc_z(exported) == exported


@pytest.mark.parametrize(
    "stored",
    [
        None,
        "",
        "yesterday",
        "2024-13-01T00:00:00Z",
        "12:00",
        "2024-05-01",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
    ],
)
def test_to_utc_z_gives_none_for_no_date(stored: str | None) -> None:
    assert to_utc_z(stored) is None


def test_an_export_reads_back_as_the_form_now_writes() -> None:
    stamp = now()
    exported = to_utc_z(stamp)
    assert exported is not None
    assert parse_timestamp(exported) == stamp


def _odd_times(corpus: Corpus) -> None:
    with write_unit(corpus.db):
        corpus.db.execute(
            "UPDATE spans SET created_at = ?, updated_at = ?",
            ["2024-05-01T12:00:00.000000+00:00Z", "2024-05-01T20:00:00+08:00"],
        )
        corpus.db.execute(
            "UPDATE links SET created_at = ?, updated_at = ?",
            ["2024-05-01T12:00:00.000000+00:00Z", "2024-05-01T20:00:00+08:00"],
        )
        corpus.db.execute(
            "UPDATE articles SET imported_at = ?, updated_at = ?",
            ["2024-05-01T12:00:00.000000+00:00Z", "2024-05-01T20:00:00+08:00"],
        )


def test_w3c_times_are_utc_z(corpus: Corpus, tmp_path: Path) -> None:
    _odd_times(corpus)
    out = tmp_path / "all.jsonl"
    exporting.export_annotations(corpus.db, "w3c", out)
    annos = [json.loads(line) for line in out.read_text("utf-8").split("\n") if line]
    assert annos
    for anno in annos:
        assert anno["created"] == "2024-05-01T12:00:00Z"
        assert anno["modified"] == "2024-05-01T12:00:00Z"


def test_qdpx_times_are_utc_z_and_valid(corpus: Corpus, tmp_path: Path) -> None:
    _odd_times(corpus)
    out = tmp_path / "p.qdpx"
    exporting.export_annotations(corpus.db, "qdpx", out)
    with zipfile.ZipFile(out) as zf:
        qde = zf.read("project.qde").decode("utf-8")
    xmlschema.XMLSchema(str(XSD)).validate(qde)
    stamps = re.findall(r'(?:creation|modified)DateTime="([^"]*)"', qde)
    assert stamps
    assert set(stamps) == {"2024-05-01T12:00:00Z"}
