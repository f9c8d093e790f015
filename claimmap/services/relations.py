"""Relations between spans: one span supports or attacks another.

Each public function is one committed write unit.  A relation is the current
analyst's statement; the same pair may carry both types (a passage can support one
reading and attack another), but each analyst states each type once.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.models import RELATION_TYPES, Relation
from claimmap.services.analyst import current_annotator
from claimmap.store import write_unit
from claimmap.store.articles import resolve_article
from claimmap.store.clock import now

_SELECT = """
    SELECT r.id, r.source, r.target, r.type, r.annotator, r.note,
           sa.ref, ta.ref, r.created_at, r.updated_at
    FROM relations r
    JOIN spans s ON s.id = r.source JOIN articles sa ON sa.id = s.article_id
    JOIN spans t ON t.id = r.target JOIN articles ta ON ta.id = t.article_id
"""


def _relation(row: Any) -> Relation:
    return Relation(
        id=row[0],
        source=row[1],
        target=row[2],
        type=row[3],
        annotator=row[4],
        note=row[5],
        article_source=row[6],
        article_target=row[7],
        created_at=row[8],
        updated_at=row[9],
    )


def check_type(type_: str) -> str:
    if type_ not in RELATION_TYPES:
        raise ClaimmapError(
            f"unknown relation type {type_!r}; use one of: {', '.join(RELATION_TYPES)}"
        )
    return type_


def get_relation(db: Database, relation_id: int) -> Relation:
    row = db.execute(_SELECT + " WHERE r.id = ?", [relation_id]).fetchone()
    if row is None:
        raise ClaimmapError(f"no relation with id {relation_id}")
    return _relation(row)


def insert_relation(
    db: Database,
    source: int,
    target: int,
    type_: str,
    *,
    note: str | None = None,
    annotator: str | None = None,
) -> int:
    """Store one relation inside the caller's write unit; returns its id."""
    check_type(type_)
    if source == target:
        raise ClaimmapError(f"span {source} cannot support or attack itself")
    for span_id in (source, target):
        if db.execute("SELECT 1 FROM spans WHERE id = ?", [span_id]).fetchone() is None:
            raise ClaimmapError(f"no span with id {span_id}")
    who = annotator or current_annotator()
    stamp = now()
    try:
        cursor = db.execute(
            "INSERT INTO relations (source, target, type, annotator, note, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [source, target, type_, who, note or None, stamp, stamp],
        )
    except sqlite3.IntegrityError:
        existing = db.execute(
            "SELECT id FROM relations WHERE source = ? AND target = ? AND type = ? "
            "AND annotator = ?",
            [source, target, type_, who],
        ).fetchone()
        if existing is None:
            raise
        raise ClaimmapError(
            f"span {source} already {type_} span {target} (relation {existing[0]})"
        ) from None
    return int(cursor.lastrowid or 0)


def add_relation(
    db: Database,
    source: int,
    target: int,
    type_: str,
    *,
    note: str | None = None,
    annotator: str | None = None,
) -> Relation:
    with write_unit(db):
        relation_id = insert_relation(db, source, target, type_, note=note, annotator=annotator)
        return get_relation(db, relation_id)


def list_relations(
    db: Database, article_ref: str | None = None, type_: str | None = None
) -> list[Relation]:
    """Relations touching an article (as source or target), optionally of one type."""
    where: list[str] = []
    params: list[Any] = []
    if article_ref is not None:
        article_id = resolve_article(db, article_ref).id
        where.append("(s.article_id = ? OR t.article_id = ?)")
        params += [article_id, article_id]
    if type_ is not None:
        where.append("r.type = ?")
        params.append(check_type(type_))
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY r.id"
    return [_relation(row) for row in db.execute(sql, params)]


def relations_of_span(db: Database, span_id: int) -> list[Relation]:
    """A span's relations both ways (it as source, then it as target)."""
    rows = db.execute(
        _SELECT + " WHERE r.source = ? OR r.target = ? ORDER BY r.source <> ?, r.id",
        [span_id, span_id, span_id],
    )
    return [_relation(row) for row in rows]


def delete_relation(db: Database, relation_id: int) -> Relation:
    with write_unit(db):
        relation = get_relation(db, relation_id)
        db.execute("DELETE FROM relations WHERE id = ?", [relation_id])
        return relation


def set_relation_note(db: Database, relation_id: int, note: str) -> tuple[Relation, Relation]:
    """Replace a relation's note (blank clears it); returns (before, after) for undo."""
    with write_unit(db):
        before = get_relation(db, relation_id)
        db.execute(
            "UPDATE relations SET note = ?, updated_at = ? WHERE id = ?",
            [note if note.strip() else None, now(), relation_id],
        )
        return before, get_relation(db, relation_id)


def restore_relation(db: Database, relation: Relation) -> Relation:
    """Put a deleted relation back as it was, its id included (undo of a delete, redo
    of an add): the id was this relation's, so no other relation ever takes it."""
    with write_unit(db):
        if db.execute("SELECT 1 FROM relations WHERE id = ?", [relation.id]).fetchone():
            raise ClaimmapError(f"relation {relation.id} exists already")
        for span_id in (relation.source, relation.target):
            if db.execute("SELECT 1 FROM spans WHERE id = ?", [span_id]).fetchone() is None:
                raise ClaimmapError(f"span {span_id} no longer exists; nothing restored")
        try:
            db.execute(
                "INSERT INTO relations (id, source, target, type, annotator, note, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    relation.id,
                    relation.source,
                    relation.target,
                    relation.type,
                    relation.annotator,
                    relation.note,
                    relation.created_at,
                    relation.updated_at,
                ],
            )
        except sqlite3.IntegrityError:
            raise ClaimmapError(
                f"span {relation.source} already {relation.type} span {relation.target}; "
                "nothing restored"
            ) from None
        return get_relation(db, relation.id)


@dataclass(frozen=True, slots=True)
class SpanRelation:
    """One of a span's relations as seen from that span: the other end and its quote."""

    relation: Relation
    outgoing: bool  # the span supports/attacks the other (else the other it)
    other: int
    other_article: str
    other_quote: str


def span_relations(db: Database, span_id: int) -> list[SpanRelation]:
    """A span's relations both ways with the other span's article and quote."""
    found = relations_of_span(db, span_id)
    others = {r.target if r.source == span_id else r.source for r in found}
    quotes = {
        int(i): str(q)
        for i, q in db.execute(
            f"SELECT id, quote FROM spans WHERE id IN ({','.join('?' * len(others))})",
            sorted(others),
        )
    }
    out = []
    for r in found:
        outgoing = r.source == span_id
        other = r.target if outgoing else r.source
        article = r.article_target if outgoing else r.article_source
        out.append(SpanRelation(r, outgoing, other, article, quotes.get(other, "")))
    return out
