"""Assertions shared across test packages: a database changed by nothing, one error line."""

from __future__ import annotations

import sqlite3
from pathlib import Path


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
