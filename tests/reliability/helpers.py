"""Shared helpers for the reliability tests: database dumps, subprocess CLI runs."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def dump(db_path: Path) -> list[str]:
    """Every row of every table: equal dumps prove a refused command changed nothing."""
    conn = sqlite3.connect(db_path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def assert_one_error_line(err: str, *needles: str) -> str:
    """Exactly one ``error:`` line, no traceback, mentioning every needle."""
    lines = [line for line in err.strip().splitlines() if not line.startswith("warning: ")]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: "), err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def run_cli_subprocess(
    db: Path,
    *args: str,
    preexec: Callable[[], None] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``python -m claimmap --db DB ARGS`` in a fresh process (real exit codes, real locks)."""
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "claimmap", "--db", str(db), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=REPO,
        preexec_fn=preexec,
        timeout=timeout,
        check=False,
    )
