"""Migration 0009: links record who decided them; old links take their spans' analyst."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from claimmap.store import migrations, open_db, schema

STAMP = "2024-01-01T00:00:00.000000+00:00"


def test_existing_links_take_their_spans_analyst(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    before_0009 = [m for m in schema.MIGRATIONS if m[0] != "0009_link_annotators"]
    assert len(before_0009) == len(schema.MIGRATIONS) - 1
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", before_0009)
        patch.setattr(migrations, "MIGRATIONS", before_0009)
        old = open_db(path)
        old.execute(
            "INSERT INTO articles (id, ref, source, title, script, encoding, raw_sha256, "
            "text_sha256, text, chars, imported_at, updated_at) "
            "VALUES (1, 'a', 'a.txt', 'A', 'simplified', 'utf-8', 'x', 'y', 'abcdef', 6, ?, ?)",
            [STAMP, STAMP],
        )
        for span_id, (start, who) in enumerate(((0, "ann"), (3, "ann")), start=1):
            old.execute(
                "INSERT INTO claims (id, created_at, updated_at) VALUES (?, ?, ?)",
                [span_id, STAMP, STAMP],
            )
            old.execute(
                'INSERT INTO spans (id, article_id, start, "end", quote, prefix, suffix, '
                "text_sha256, annotator, claim_id, created_at, updated_at) "
                "VALUES (?, 1, ?, ?, ?, '', '', 'y', ?, ?, ?, ?)",
                [
                    span_id,
                    start,
                    start + 2,
                    "abcdef"[start : start + 2],
                    who,
                    span_id,
                    STAMP,
                    STAMP,
                ],
            )
        old.execute(
            "INSERT INTO links (a, b, score, status, created_at, updated_at) "
            "VALUES (1, 2, 50, 'confirmed', ?, ?)",
            [STAMP, STAMP],
        )
        old.conn.commit()
        old.close()
    open_db(path).close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT annotator FROM links").fetchall() == [("ann",)]
    finally:
        conn.close()
