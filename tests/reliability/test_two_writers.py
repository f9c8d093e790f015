"""Two writers at once (issue 6): no "database is locked" reaches the user, no
write is lost, and the final counts are exact.

The writers are started together on the same database: a CLI loop and a
services loop (which also runs the linker now and then, a
longer write unit), and in a second test two CLI loops.  ``OPS`` annotations
each, plus a tag on every 5th and a note on every 7th.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from claimmap.services.checks import check_database
from claimmap.store import open_db
from tests.reliability.crash import REPO, fresh_db, make_template

OPS = int(os.environ.get("CLAIMMAP_TWO_WRITER_OPS", "120"))


def _start(
    mode: str, name: str, parity: int, db: Path, result: Path, go: Path
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.reliability.loop",
            mode,
            name,
            str(parity),
            str(db),
            str(OPS),
            str(result),
            str(go),
        ],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _expected_counts(ops: int) -> tuple[int, int, int]:
    """(spans, spans tagged impact, notes) that one writer must leave."""
    return ops, len(range(0, ops, 5)), len(range(0, ops, 7))


@pytest.mark.parametrize("modes", [("cli", "services"), ("cli", "cli")])
def test_two_writers_lose_nothing(tmp_path: Path, modes: tuple[str, str]) -> None:
    db = fresh_db(make_template(tmp_path), tmp_path / "shared.db")
    names = [f"{mode}-{n}" for n, mode in enumerate(modes)]
    results = [tmp_path / f"{name}.json" for name in names]
    go = tmp_path / "go"
    procs = [
        _start(mode, name, parity, db, result, go)
        for parity, (mode, name, result) in enumerate(zip(modes, names, results, strict=True))
    ]
    for proc in procs:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
    go.touch()
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        # Nothing at all on stderr: no warning, no traceback, no lock message.
        assert err == "", err
    for name, result in zip(names, results, strict=True):
        summary = json.loads(result.read_text(encoding="utf-8"))
        assert summary["failures"] == [], (name, summary["failures"][:5])
        assert summary["commands"] > OPS

    conn = sqlite3.connect(db)
    try:
        for name in names:
            spans = conn.execute(
                "SELECT count(*) FROM spans WHERE annotator = ?", [name]
            ).fetchone()[0]
            impact = conn.execute(
                "SELECT count(*) FROM spans s JOIN span_tags st ON st.span_id = s.id "
                "JOIN tags t ON t.id = st.tag_id WHERE s.annotator = ? AND t.name = 'impact'",
                [name],
            ).fetchone()[0]
            notes = conn.execute(
                "SELECT count(*) FROM notes WHERE body LIKE ?", [f"{name} note %"]
            ).fetchone()[0]
            assert (spans, impact, notes) == _expected_counts(OPS), name
        total = conn.execute("SELECT count(*) FROM spans").fetchone()[0]
        assert total == OPS * len(names)
        # The writers really interleaved (else this test proved nothing about locking).
        order = [r[0] for r in conn.execute("SELECT annotator FROM spans ORDER BY id")]
        switches = sum(1 for x, y in itertools.pairwise(order) if x != y)
        assert switches >= 2, "the two writers did not overlap"
    finally:
        conn.close()
    checked = open_db(db)
    try:
        assert check_database(checked) == []
    finally:
        checked.close()


def test_two_processes_creating_one_new_database(tmp_path: Path) -> None:
    """Both see an empty file and migrate it: the second must not redo the first's work."""
    db = tmp_path / "brand-new.db"
    script = (
        "import sys\n"
        "from claimmap.store import open_db\n"
        "for _ in range(3):\n"
        "    open_db(sys.argv[1]).close()\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(db)],
            cwd=REPO,
            env=dict(os.environ, PYTHONPATH=str(REPO)),
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    conn = sqlite3.connect(db)
    try:
        applied = [r[0] for r in conn.execute("SELECT name FROM schema_migrations")]
        tags = conn.execute("SELECT count(*) FROM tags").fetchone()[0]
    finally:
        conn.close()
    assert applied == sorted(set(applied))
    assert tags == 4
