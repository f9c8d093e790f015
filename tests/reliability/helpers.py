"""Shared helpers for the reliability tests: database dumps, subprocess CLI runs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


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
