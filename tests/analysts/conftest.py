"""Several analysts, several databases: a runner that names the database and the
analyst, and a per-layer view of a database that ignores row ids."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Result, run_main

Claimmap = Callable[..., Result]

A0 = "000_9f00d43fca9a4a2d"
A1 = "001_222e73f4153aafe6"
A4 = "004_9f477515f64b012c"
# The same claim in two articles: the linker pairs these.
QUOTE_0 = "美日两国自二战后即开展技术合作"
QUOTE_4 = "中日两国"


@pytest.fixture
def claimmap(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Claimmap:
    """``claimmap --db DB [--annotator NAME] ARGS`` in-process."""
    monkeypatch.delenv("CLAIMMAP_ANNOTATOR", raising=False)

    def run(db: Path, *args: str, annotator: str | None = None) -> Result:
        who = ["--annotator", annotator] if annotator is not None else []
        return run_main(["--db", str(db), *who, *args], capsys)

    return run


def ok(result: Result) -> Result:
    assert result.code == 0, result.err
    return result


def layers(db_path: Path) -> dict[str, Any]:
    """Everything a layer holds, keyed by article ref and offsets, never by row id:
    two databases that hold the same layers compare equal."""
    conn = sqlite3.connect(db_path)
    try:
        place = {
            int(i): (str(r), int(s), int(e))
            for i, r, s, e in conn.execute(
                'SELECT s.id, a.ref, s.start, s."end" FROM spans s '
                "JOIN articles a ON a.id = s.article_id"
            )
        }
        tags: dict[int, list[str]] = defaultdict(list)
        for span_id, name in conn.execute(
            "SELECT st.span_id, t.name FROM span_tags st JOIN tags t ON t.id = st.tag_id"
        ):
            tags[int(span_id)].append(str(name))
        spans: dict[str, list[Any]] = defaultdict(list)
        claims: dict[str, dict[int, set[Any]]] = defaultdict(lambda: defaultdict(set))
        labels = dict(conn.execute("SELECT id, label FROM claims").fetchall())
        for row in conn.execute(
            "SELECT s.id, s.annotator, s.quote, s.prefix, s.suffix, s.orphaned, s.created_at, "
            "s.updated_at, n.body, s.claim_id FROM spans s LEFT JOIN notes n ON n.span_id = s.id"
        ):
            span_id, who = int(row[0]), str(row[1])
            spans[who].append(
                (*place[span_id], *row[2:9], sorted(tags[span_id]), labels.get(row[9]))
            )
            claims[who][int(row[9])].add(place[span_id])
        links: dict[str, list[Any]] = defaultdict(list)
        for a, b, status, who in conn.execute(
            "SELECT l.a, l.b, l.status, s.annotator FROM links l JOIN spans s ON s.id = l.a "
            "WHERE l.status != 'suggested'"
        ):
            links[str(who)].append((*sorted((place[int(a)], place[int(b)])), status))
        relations: dict[str, list[Any]] = defaultdict(list)
        for s, t, kind, who, note in conn.execute(
            "SELECT source, target, type, annotator, note FROM relations"
        ):
            relations[str(who)].append((place[int(s)], place[int(t)], kind, note))
        articles = sorted(
            conn.execute(
                "SELECT ref, title, text_sha256, text, url FROM articles ORDER BY ref"
            ).fetchall()
        )
        regions = sorted(
            conn.execute(
                'SELECT a.ref, r.kind, r.start, r."end" FROM article_regions r '
                "JOIN articles a ON a.id = r.article_id"
            ).fetchall()
        )
        return {
            "articles": articles,
            "regions": regions,
            "spans": {k: sorted(v, key=repr) for k, v in spans.items()},
            "claims": {k: sorted(sorted(group) for group in v.values()) for k, v in claims.items()},
            "links": {k: sorted(v) for k, v in links.items()},
            "relations": {k: sorted(v, key=repr) for k, v in relations.items()},
        }
    finally:
        conn.close()


def files(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` (but .git) with its bytes and mtime."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    }
