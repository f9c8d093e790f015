"""The export and import-annotations commands through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

from claimmap.store import open_db
from exporters.corpus import build_corpus


def _seed(db_path: Path) -> None:
    build_corpus(open_db(db_path))


def test_export_matrix_to_stdout_and_file(cli, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _seed(db_path)
    out = cli("export", "matrix", "--format", "md", "-o", "-")
    assert out.code == 0 and out.out.startswith("# Claim matrix")
    target = tmp_path / "m.json"
    res = cli(
        "export", "matrix", "--format", "json", "-o", str(target), "--min-coverage", "2", "--json"
    )
    assert res.code == 0, res.err
    assert res.json() == {"format": "json", "path": str(target), "claims": 2, "articles": 3}
    assert json.loads(target.read_text())["matrix"]["claims"][0]["coverage"] == 3
    res = cli("export", "matrix", "--format", "xlsx", "-o", "-")
    assert res.code == 1 and res.err.startswith("error: xlsx is a binary format")
    res = cli("export", "matrix", "--format", "csv", "-o", "-", "--tag", "nope")
    assert res.code == 1 and res.err.count("\n") == 1 and "unknown tag" in res.err


def test_export_framing(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    _seed(db_path)
    res = cli("export", "framing", "--format", "json", "-o", "-")
    assert res.code == 0
    doc = res.json()
    assert doc["format"] == "claimmap-framing"
    assert {a["ref"] for a in doc["framing"]["articles"]} == {"alpha", "beta", "gamma"}


def test_export_and_import_annotations(cli, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _seed(db_path)
    res = cli("export", "annotations", "--format", "w3c", "-o", str(tmp_path / "w3c"), "--json")
    assert res.code == 0
    summary = res.json()
    assert summary["spans"] == 14 and summary["links"] == 4
    assert set(summary) == {
        "format",
        "path",
        "files",
        "articles",
        "spans",
        "skipped_orphaned",
        "links",
        "relations",
    }
    res = cli("import-annotations", str(tmp_path / "w3c"), "--json")
    assert res.code == 0, res.err
    report = res.json()
    assert set(report) == {
        "format",
        "path",
        "annotations",
        "exact",
        "moved",
        "orphaned",
        "merged",
        "links",
        "links_skipped_rejected",
        "relations",
        "tags_created",
        "articles_created",
        "notices",
        "dry_run",
        "orphans",
    }
    assert report["merged"] == 14 and report["orphaned"] == 0
    res = cli("export", "annotations", "--format", "qdpx", "-o", str(tmp_path / "x.zip"))
    assert res.code == 1 and "must end in .qdpx" in res.err
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{nope\n")
    res = cli("import-annotations", str(bad))
    assert (
        res.code == 1
        and res.err
        == f"error: {bad}:1: invalid JSON (Expecting property name enclosed in double quotes at column 2)\n"
    )


def test_exported_file_gets_umask_permissions(tmp_path: Path) -> None:
    import os
    import stat

    from claimmap.services.exporting import write_file

    old = os.umask(0o022)
    try:
        target = tmp_path / "out.csv"
        write_file(target, b"a,b\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_include_suggested_takes_link_scores(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    """0-100 like ``link --threshold``: the corpus's suggestion (score 72) joins two
    claims at 70, not at 80; a value off that scale is one ``error:`` line."""
    _seed(db_path)

    def best(threshold: str) -> int:
        res = cli(
            "export", "matrix", "--format", "json", "-o", "-", "--tag", "limitation",
            "--include-suggested", threshold,
        )  # fmt: skip
        assert res.code == 0, res.err
        return max(c["coverage"] for c in res.json()["matrix"]["claims"])

    assert best("70") == 2
    assert best("80") == 1
    for bad in ("150", "-1"):
        res = cli("export", "framing", "--format", "md", "-o", "-", "--include-suggested", bad)
        assert res.code == 1 and res.err.count("\n") == 1
        assert res.err.startswith("error: --include-suggested") and "0 and 100" in res.err
