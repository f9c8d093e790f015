"""Codebook files: ``tags export`` / ``tags import`` with REFI-QDA ``.qdc`` and JSON,
and the code hierarchy and descriptions in ``.qdpx``; through the CLI, on the rows."""

from __future__ import annotations

import json
import os
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xmlschema

from claimmap.cli.main import main
from claimmap.exporters.safe_text import xml_safe
from claimmap.services import codebook_files
from tests.conftest import Result, RunCli
from tests.helpers import assert_one_error_line, dump

DATA = Path(__file__).resolve().parent / "data"
CODEBOOK_XSD = DATA / "refi-qda-codebook-1.0.xsd"
PROJECT_XSD = DATA / "refi-qda-project-1.0.xsd"
QDC_NS = "urn:QDA-XML:codebook:1.0"


def _codebook(db_path: Path) -> dict[str, tuple[Any, ...]]:
    """name -> (key, colour, description, parent name) for every code."""
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute(
            "SELECT t.name, t.key, t.color, t.description, p.name "
            "FROM tags t LEFT JOIN tags p ON p.id = t.parent_id"
        ).fetchall()
    finally:
        conn.close()
    return {r[0]: tuple(r[1:]) for r in rows}


def _ids(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    try:
        return {name: tag_id for tag_id, name in conn.execute("SELECT id, name FROM tags")}
    finally:
        conn.close()


def _other(path: Path, capsys: pytest.CaptureFixture[str]) -> Any:
    """A CLI runner on a second database."""

    def run(*args: str) -> Result:
        capsys.readouterr()
        try:
            main(["--db", str(path), *args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def _rich_codebook(cli: RunCli) -> None:
    steps = [
        ("tags", "add", "evidence", "--key", "e", "--color", "#123abc"),
        ("tags", "add", "evidence/data", "--description", "numbers & <tables>\fpage two"),
        ("tags", "add", "evidence/data/survey", "--description", "第二层\n两行"),
        ("tags", "add", "limitation/technical", "--description", "tooling falls short"),
        ("tags", "describe", "motive", "why \x01 they act"),
    ]
    for step in steps:
        result = cli(*step)
        assert result.code == 0, (step, result.err)


def test_qdc_export_nests_codes_validates_and_round_trips(
    cli: RunCli, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _rich_codebook(cli)
    qdc = tmp_path / "book.qdc"
    written = cli("tags", "export", str(qdc))
    assert written.code == 0, written.err
    raw = qdc.read_bytes()
    assert raw.startswith(b"<?xml") and not raw.startswith(b"\xef\xbb\xbf")
    schema = xmlschema.XMLSchema(str(CODEBOOK_XSD))
    schema.validate(raw.decode("utf-8"))
    tree = schema.to_dict(raw.decode("utf-8"))
    assert tree is not None
    codes = {c["@name"]: c for c in tree["Codes"]["Code"]}  # type: ignore[index]
    evidence = codes["evidence"]
    assert evidence["@color"] == "#123ABC"
    data = evidence["Code"][0]
    assert data["@name"] == "data"
    assert data["Description"] == "numbers & <tables> page two"
    assert data["Code"][0]["@name"] == "survey"

    fresh = tmp_path / "fresh.db"
    other = _other(fresh, capsys)
    # --replace: the defaults a fresh database has take the file's descriptions too.
    imported = other("tags", "import", str(qdc), "--replace")
    assert imported.code == 0, imported.err
    mine, theirs = _codebook(db_path), _codebook(fresh)
    assert set(theirs) == set(mine)
    for name, (_, colour, description, parent) in mine.items():
        assert theirs[name][1:] == (colour, description and xml_safe(description), parent), name
    # .qdc has no place for keys: the new code comes without one, defaults keep theirs.
    assert theirs["evidence"][0] is None and theirs["motive"][0] == "m"


def test_json_codebook_round_trips_keys_too(
    cli: RunCli, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _rich_codebook(cli)
    book = tmp_path / "book.json"
    assert cli("tags", "export", str(book)).code == 0
    document = json.loads(book.read_text("utf-8"))
    assert document["format"] == "claimmap-codebook"
    fresh = tmp_path / "fresh.db"
    imported = _other(fresh, capsys)("tags", "import", str(book), "--json")
    assert imported.code == 0, imported.err
    assert sorted(imported.json()["added"]) == [
        "evidence",
        "evidence/data",
        "evidence/data/survey",
        "limitation/technical",
    ]
    assert _codebook(fresh) | {"motive": _codebook(db_path)["motive"]} == _codebook(db_path)


def test_import_merges_keeps_ids_and_replaces_only_when_asked(
    cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    cli("tags", "describe", "impact", "ours")
    ids = _ids(db_path)
    book = tmp_path / "book.json"
    book.write_text(
        json.dumps(
            {
                "format": "claimmap-codebook",
                "version": 1,
                "codes": [
                    {"name": "IMPACT/policy", "description": "child first in the file"},
                    {"name": "Impact", "description": "theirs", "color": "#abc", "key": "z"},
                    {"name": "source", "key": "j"},
                    {"name": "stance", "key": "m"},
                    {"name": "tone", "key": "q"},
                ],
            }
        ),
        encoding="utf-8",
    )
    merged = cli("tags", "import", str(book))
    assert merged.code == 0, merged.err
    rows = _codebook(db_path)
    assert rows["impact"] == ("i", "#3465a4", "ours", None)
    assert rows["impact/policy"][2:] == ("child first in the file", "impact")
    # j moves the cursor down; m is motive's: both dropped, the codes still added.
    assert rows["source"][0] is None and rows["stance"][0] is None and rows["tone"][0] == "q"
    warnings = [line for line in merged.err.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 2 and "'j'" in warnings[0] and "'m'" in warnings[1]
    assert {name: ids[name] for name in ids} == {name: _ids(db_path)[name] for name in ids}

    replaced = cli("tags", "import", str(book), "--replace")
    assert replaced.code == 0, replaced.err
    assert _codebook(db_path)["impact"] == ("z", "#aabbcc", "theirs", None)
    assert _ids(db_path)["impact"] == ids["impact"]


def test_qdpx_carries_hierarchy_and_descriptions_both_ways(
    cli: RunCli, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "a.txt"
    src.write_text("A title\n\n美日两国开展技术合作。两国需要加强协调。\n", encoding="utf-8")
    assert cli("import", str(src)).code == 0
    _rich_codebook(cli)
    for quote, tag in (("两国需要", "evidence/data/survey"), ("技术合作", "limitation/technical")):
        assert cli("annotate", "a", "--quote", quote, "--tag", tag).code == 0
    project = tmp_path / "p.qdpx"
    assert cli("export", "annotations", "--format", "qdpx", "-o", str(project)).code == 0
    with zipfile.ZipFile(project) as zf:
        qde = zf.read("project.qde").decode("utf-8")
    schema = xmlschema.XMLSchema(str(PROJECT_XSD))
    schema.validate(qde)
    codes = schema.to_dict(qde)["CodeBook"]["Codes"]["Code"]  # type: ignore[index]
    evidence = next(c for c in codes if c["@name"] == "evidence")
    assert evidence["Code"][0]["@name"] == "data"
    assert evidence["Code"][0]["Code"][0]["Description"] == "第二层\n两行"

    fresh = tmp_path / "fresh.db"
    other = _other(fresh, capsys)
    assert other("import", str(src)).code == 0
    imported = other("import-annotations", str(project))
    assert imported.code == 0, imported.err
    rows = _codebook(fresh)
    # Created with the levels above, their descriptions from the file.
    assert rows["evidence/data/survey"][2:] == ("第二层\n两行", "evidence/data")
    assert rows["evidence/data"][2:] == ("numbers & <tables> page two", "evidence")
    assert rows["evidence"][3] is None
    assert rows["limitation/technical"][2:] == ("tooling falls short", "limitation")
    # A code that was already here is left as the analyst has it.
    assert rows["motive"][2] is None
    spans = other("spans", "--tag", "evidence/data/survey", "--json").json()
    assert [s["quote"] for s in spans] == ["两国需要"]


def test_bad_codebook_files_are_refused_whole(
    cli: RunCli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("tags")
    before = dump(db_path)
    cases: dict[str, tuple[str, str]] = {
        "dup.json": (
            json.dumps(
                {
                    "format": "claimmap-codebook",
                    "codes": [{"name": "new"}, {"name": "other"}, {"name": "NEW"}],
                }
            ),
            "twice",
        ),
        "bad.json": (
            json.dumps({"format": "claimmap-codebook", "codes": [{"name": "ok"}, {"name": "a,b"}]}),
            "invalid tag name",
        ),
        "wrong.json": (json.dumps({"codes": []}), "not a claimmap codebook"),
        "deep.json": ("[" * 5000, "nested"),
        "bad.qdc": ("<CodeBook", "refused"),
        "dtd.qdc": (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>'
            f'<CodeBook xmlns="{QDC_NS}"><Codes/></CodeBook>',
            "refused",
        ),
        "project.qdc": ('<Project xmlns="urn:QDA-XML:project:1.0"/>', "not a REFI-QDA codebook"),
        "book.txt": ("", "unknown codebook file"),
    }
    for name, (content, needle) in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        refused = cli("tags", "import", str(path))
        assert refused.code == 1, name
        assert_one_error_line(refused.err, needle)
    fifo = tmp_path / "fifo.qdc"
    os.mkfifo(fifo)
    refused = cli("tags", "import", str(fifo))
    assert refused.code == 1
    assert_one_error_line(refused.err, "not a regular file")
    monkeypatch.setattr(codebook_files, "MAX_CODEBOOK_BYTES", 100)
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"format": "claimmap-codebook", "codes": [{"name": "x" * 60}] * 5}))
    refused = cli("tags", "import", str(big))
    assert refused.code == 1
    assert_one_error_line(refused.err, "larger than")
    assert dump(db_path) == before


def test_export_writes_whole_files_and_refuses_special_targets(cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "book.qdc"
    target.write_text("old", encoding="utf-8")
    assert cli("tags", "export", str(target)).code == 0
    assert target.read_text("utf-8").startswith("<?xml")
    assert sorted(p.name for p in tmp_path.iterdir() if "book" in p.name) == ["book.qdc"]
    fifo = tmp_path / "out.qdc"
    os.mkfifo(fifo)
    refused = cli("tags", "export", str(fifo))
    assert refused.code == 1
    assert_one_error_line(refused.err, "not a regular file")
    unknown = cli("tags", "export", str(tmp_path / "book.xml"))
    assert unknown.code == 1
    assert_one_error_line(unknown.err, "unknown codebook file")


def test_a_codebook_from_another_tool_imports(cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    """As ATLAS.ti writes one: schemaLocation, upper-case GUIDs, a three-digit colour,
    an uncodable grouping code (imported as a code), Sets (ignored), and a colour
    no schema allows; the depth limit still holds."""
    book = tmp_path / "atlas.qdc"
    book.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<CodeBook xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{QDC_NS} Codebook.xsd" origin="ATLAS.ti" xmlns="{QDC_NS}">'
        "<Codes>"
        '<Code guid="1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="Risk" color="#a0F" '
        'isCodable="false"><Description>grouping</Description>'
        '<Code guid="2FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="safety" isCodable="true"/>'
        '<Code guid="3FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="misuse" color="red" '
        'isCodable="true"/>'
        "</Code></Codes>"
        '<Sets><Set name="s" guid="ECA18D76-2B8B-4F26-BC1D-19ECA19FB3F0">'
        '<MemberCode guid="2FF58B12-6F6F-4B0C-8BE5-BBDC91F55294"/></Set></Sets>'
        "</CodeBook>",
        encoding="utf-8",
    )
    imported = cli("tags", "import", str(book))
    assert imported.code == 0, imported.err
    rows = _codebook(db_path)
    assert rows["Risk"][1:] == ("#aa00ff", "grouping", None)
    assert rows["Risk/safety"][3] == "Risk" and rows["Risk/misuse"][3] == "Risk"
    # A colour the schema would refuse costs the code its colour, not the import.
    assert imported.err.startswith("warning: ") and imported.err.count("\n") == 1
    assert "colour 'red'" in imported.err

    deep = tmp_path / "deep.qdc"
    chain = "".join(
        f'<Code guid="00000000-0000-4000-8000-{i:012d}" name="n{i}" isCodable="true">'
        for i in range(70)
    )
    deep.write_text(
        f'<CodeBook xmlns="{QDC_NS}"><Codes>{chain}{"</Code>" * 70}</Codes></CodeBook>',
        encoding="utf-8",
    )
    before = dump(db_path)
    refused = cli("tags", "import", str(deep))
    assert refused.code == 1
    assert_one_error_line(refused.err, "nested more than 64")
    assert dump(db_path) == before


def test_import_reads_the_codebook_once_not_once_per_code(
    cli: RunCli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading every code back for every code added made a 1,040-code import take
    37 s; the merge works on one in-memory index."""
    from claimmap.services import codebook

    codes = [{"name": f"g{i}"} for i in range(5)]
    codes += [{"name": f"g{i}/c{j}", "description": "d"} for i in range(5) for j in range(20)]
    book = tmp_path / "big.json"
    book.write_text(json.dumps({"format": "claimmap-codebook", "codes": codes}), encoding="utf-8")
    cli("tags")
    reads: list[int] = []
    real = codebook.list_tags

    def counted(db: Any) -> Any:
        reads.append(1)
        return real(db)

    monkeypatch.setattr(codebook, "list_tags", counted)
    imported = cli("tags", "import", str(book))
    assert imported.code == 0, imported.err
    assert len(reads) == 1
    assert len(_codebook(db_path)) == 4 + 105
