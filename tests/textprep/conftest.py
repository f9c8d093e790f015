"""Seed-corpus fixtures for the text-preparation tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def read_seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def seed() -> Callable[[str], str]:
    """``seed("001")`` -> the text of seeds/001_*.txt."""
    return read_seed
