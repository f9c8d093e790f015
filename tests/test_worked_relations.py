"""The worked example states how its claims bear on each other, and the demo loads it."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

from claimmap.cli.demo import build_demo


def test_the_demo_loads_the_worked_examples_relations(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    build_demo(path)
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT r.type, r.note, s.claim_id, t.claim_id, s.article_id, t.article_id, "
            "st.name, tt.name FROM relations r "
            "JOIN spans s ON s.id = r.source JOIN spans t ON t.id = r.target "
            "JOIN span_tags sst ON sst.span_id = s.id JOIN tags st ON st.id = sst.tag_id "
            "JOIN span_tags tst ON tst.span_id = t.id JOIN tags tt ON tt.id = tst.tag_id "
            "GROUP BY r.id"
        ).fetchall()
    finally:
        conn.close()
    assert len(rows) >= 30
    types = Counter(r[0] for r in rows)
    assert types["supports"] >= 10 and types["attacks"] >= 10
    # Each says why, and none joins two spans of one claim (that is identity).
    assert all(r[1] and r[1].strip() for r in rows)
    assert all(r[2] != r[3] for r in rows)
    # Some cross papers; some limitations attack motives; some impacts support
    # the recommendations that answer them.
    assert sum(1 for r in rows if r[4] != r[5]) >= 5
    assert any(r[0] == "attacks" and r[6] == "limitation" and r[7] == "motive" for r in rows)
    assert any(r[0] == "supports" and r[6] == "impact" and r[7] == "recommendation" for r in rows)
