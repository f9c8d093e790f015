"""Two analysts (alice, bob) coding the seeds through the real CLI."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from tests.conftest import RunCli

# (annotator, article id, start, end, tag)
CODING: list[tuple[str, int, int, int, str]] = [
    ("alice", 1, 52, 78, "motive"),
    ("bob", 1, 52, 80, "motive"),  # same place, ends 2 apart: within the tolerance
    ("alice", 1, 100, 130, "limitation"),
    ("bob", 1, 100, 131, "impact"),  # same place, different tags
    ("bob", 1, 200, 260, "impact"),  # only bob
    ("alice", 2, 60, 100, "motive"),
    ("bob", 2, 70, 100, "motive"),  # boundaries 10 apart
]


def annotate(cli: RunCli, rows: Sequence[tuple[str, int, int, int, str]]) -> list[int]:
    ids = []
    for who, article, start, end, tag in rows:
        result = cli(
            "annotate", str(article), "--start", str(start), "--end", str(end),
            "--tag", tag, "--annotator", who, "--json",
        )  # fmt: skip
        assert result.code == 0, result.err
        ids.append(int(result.json()["id"]))
    return ids


@pytest.fixture
def two_analysts(seeded: RunCli) -> RunCli:
    """Spans 1-7 as in CODING; alice links 1 and 6 (same claim), bob rejects 2-7."""
    assert annotate(seeded, CODING) == [1, 2, 3, 4, 5, 6, 7]
    assert seeded("links", "accept", "--pair", "1", "6").code == 0
    assert seeded("links", "reject", "--pair", "2", "7").code == 0
    return seeded
