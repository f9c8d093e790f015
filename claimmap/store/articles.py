"""Reading articles and resolving the references analysts type."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.models import Article

ARTICLE_COLUMNS = (
    "id, ref, source, title, authors, venue, date, script, encoding, chars, "
    "raw_sha256, text_sha256, imported_at, updated_at"
)


def _article(row: dict[str, Any]) -> Article:
    return Article(**row)


def list_articles(db: Database) -> list[Article]:
    return [_article(r) for r in db.query(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY id")]


def get_article(db: Database, article_id: int) -> Article:
    rows = list(db.query(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", [article_id]))
    if not rows:
        raise ClaimmapError(f"no article with id {article_id}")
    return _article(rows[0])


def resolve_article(db: Database, reference: str) -> Article:
    """An article by id, original file name, file stem (ref) or unique title prefix."""
    ref = reference.strip()
    if not ref:
        raise ClaimmapError("empty article reference")
    if ref.isdigit():
        rows = list(db.query(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", [int(ref)]))
        if rows:
            return _article(rows[0])
    for column in ("ref", "source"):
        rows = list(db.query(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE {column} = ?", [ref]))
        if len(rows) == 1:
            return _article(rows[0])
    rows = list(
        db.query(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE substr(title, 1, ?) = ? ORDER BY id",
            [len(ref), ref],
        )
    )
    if len(rows) == 1:
        return _article(rows[0])
    if len(rows) > 1:
        names = ", ".join(r["ref"] for r in rows[:5])
        raise ClaimmapError(f"article reference {ref!r} is ambiguous ({names}); use the ref or id")
    raise ClaimmapError(f"no article matches {ref!r}; list them with 'claimmap articles'")


def article_text(db: Database, article_id: int) -> str:
    row = db.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        raise ClaimmapError(f"no article with id {article_id}")
    return str(row[0])


def article_segments(db: Database, article_id: int) -> dict[str, list[tuple[int, int]]]:
    row = db.execute(
        "SELECT paragraphs, sentences, clauses FROM article_segments WHERE article_id = ?",
        [article_id],
    ).fetchone()
    if row is None:
        return {"paragraph": [], "sentence": [], "clause": []}
    return {
        kind: [(int(a), int(b)) for a, b in json.loads(value)]
        for kind, value in zip(("paragraph", "sentence", "clause"), row, strict=True)
    }


def article_regions(db: Database, article_id: int) -> list[tuple[str, int, int]]:
    return [
        (str(k), int(s), int(e))
        for k, s, e in db.execute(
            'SELECT kind, start, "end" FROM article_regions WHERE article_id = ? ORDER BY start',
            [article_id],
        )
    ]


def article_cleaning_log(
    db: Database, article_id: int
) -> list[tuple[str, str, str, str, int | None]]:
    """What cleaning did at import, in order: (step, action, detail, before, line)."""
    return [
        (str(step), str(action), str(detail), str(before), line)
        for step, action, detail, before, line in db.execute(
            "SELECT step, action, detail, before, line FROM cleaning_log WHERE article_id = ? "
            "ORDER BY seq",
            [article_id],
        )
    ]
