"""A confirmed link shows its similarity, not a placeholder (issue 11)."""

from __future__ import annotations

from pathlib import Path

from claimmap.cli.demo import build_demo
from claimmap.services.linking import pair_score
from claimmap.store import open_db


def test_demo_links_carry_the_linker_score(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    build_demo(path)
    db = open_db(path)
    try:
        rows = db.execute("SELECT a, b, score FROM links WHERE status = 'confirmed'").fetchall()
        assert len(rows) == 66
        scores = [score for _, _, score in rows]
        # They were all 1.0: a placeholder, whatever the two passages.
        assert len(set(scores)) > 30
        for a, b, score in rows[:10]:
            assert score == pair_score(db, a, b)
    finally:
        db.close()
