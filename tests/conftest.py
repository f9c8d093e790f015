"""Shared fixtures: a CLI runner that goes through the real ``main`` entry point."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from claimmap.cli.main import main
from claimmap.linking.semantic import DISABLE_ENV

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


RunCli = Callable[..., Result]


@pytest.fixture(autouse=True)
def lexical_review(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite ranks review pairs by wording alone, as an install without the
    ``semantic`` extra does: embedding every test's spans would cost seconds each.
    The tests of the meaning ranking (tests/linking/test_review_meaning.py) switch
    it back on."""
    monkeypatch.setenv(DISABLE_ENV, "0")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Run ``claimmap --db <tmp> ARGS`` in-process; returns exit code, stdout, stderr."""

    def run(*args: str) -> Result:
        return run_main(["--db", str(db_path), *args], capsys)

    return run


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> Result:
    """``claimmap ARGV`` through the real ``main``, in-process: exit code and output."""
    capsys.readouterr()
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    target.mkdir()
    for f in sorted(SEEDS.glob("*.txt")):
        shutil.copy(f, target / f.name)
    return target


@pytest.fixture
def seeded(cli: RunCli, seeds_dir: Path) -> RunCli:
    result = cli("import", str(seeds_dir))
    assert result.code == 0, result.err
    return cli
