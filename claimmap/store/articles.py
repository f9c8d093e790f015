"""Reading articles and resolving the references analysts type."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.models import Article
from claimmap.store.article_listing import ARTICLE_COLUMNS


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
    """An article by ref, original file name, id (``3``, ``#3``), or a unique prefix
    of a ref or a title.

    Exact ref and file name win.  Otherwise every reading of the reference is
    collected (``003`` is id 3 and also the prefix of the ref ``003_9521…``); more
    than one article is an error that lists them, none suggests near names.
    """
    ref = reference.strip()
    if not ref:
        raise ClaimmapError("empty article reference")
    for column in ("ref", "source"):
        rows = list(db.query(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE {column} = ?", [ref]))
        if len(rows) == 1:
            return _article(rows[0])
        if len(rows) > 1:
            raise ClaimmapError(_ambiguous(ref, [(_article(r), "file name") for r in rows]))
    explicit_id = ref[1:] if ref.startswith("#") else None
    if explicit_id is not None and explicit_id.isdigit():
        return get_article(db, int(explicit_id))
    found: dict[int, tuple[Article, str]] = {}
    if ref.isdigit():
        for row in db.query(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", [int(ref)]):
            found[row["id"]] = (_article(row), "id")
    for column, how in (("ref", "ref prefix"), ("title", "title prefix")):
        for row in db.query(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE substr({column}, 1, ?) = ? ORDER BY id",
            [len(ref), ref],
        ):
            found.setdefault(row["id"], (_article(row), how))
    if len(found) == 1:
        return next(iter(found.values()))[0]
    if found:
        raise ClaimmapError(_ambiguous(ref, list(found.values())))
    raise ClaimmapError(_no_match(db, ref))


def _ambiguous(ref: str, candidates: list[tuple[Article, str]]) -> str:
    shown = "; ".join(
        f"#{a.id} {a.ref} ({how})" for a, how in sorted(candidates, key=lambda c: c[0].id)[:8]
    )
    more = f" and {len(candidates) - 8} more" if len(candidates) > 8 else ""
    return (
        f"article reference {ref!r} is ambiguous: {shown}{more}; "
        "give the full ref, or #ID for an id"
    )


def _no_match(db: Database, ref: str) -> str:
    """Say nothing matched, with the nearest refs and titles as suggestions."""
    from rapidfuzz import fuzz, process

    names = [str(r[0]) for r in db.execute("SELECT ref FROM articles ORDER BY id")]
    names += [str(r[0]) for r in db.execute("SELECT title FROM articles ORDER BY id")]
    near = process.extract(ref, names, scorer=fuzz.WRatio, limit=3, score_cutoff=60)
    hint = f" (did you mean {', '.join(repr(n[0]) for n in near)}?)" if near else ""
    return f"no article matches {ref!r}{hint}; list them with 'claimmap articles'"


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
