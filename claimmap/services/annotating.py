"""Creating and editing spans: each public function is one committed write unit."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from sqlite_utils import Database

from claimmap.anchoring import Anchor, AnchorError, anchor_quote, context
from claimmap.errors import ArticleChanged, ClaimmapError
from claimmap.models import AnnotateResult, Span
from claimmap.services.analyst import current_annotator
from claimmap.services.boundaries import boundary_warnings, nearby_spans
from claimmap.services.codebook import resolve_tag
from claimmap.store import write_unit
from claimmap.store.articles import article_text, resolve_article
from claimmap.store.clock import now
from claimmap.store.spans import get_span, placed_span_at


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def annotate_quote(
    db: Database,
    article_ref: str,
    quote: str,
    tags: Sequence[str],
    *,
    note: str | None = None,
    occurrence: int | None = None,
    annotator: str | None = None,
) -> AnnotateResult:
    """Anchor ``quote`` in the article's canonical text and store a tagged span."""
    tag_ids = _tag_ids(db, tags)  # report an unknown tag before any anchoring problem
    article = resolve_article(db, article_ref)

    def place(text: str) -> Anchor:
        try:
            return anchor_quote(text, quote, occurrence)
        except AnchorError as exc:
            raise AnchorError(f"{article.ref}: {exc}") from None

    return _store(db, article.id, place, tag_ids, note, annotator)


def annotate_range(
    db: Database,
    article_ref: str,
    start: int,
    end: int,
    tags: Sequence[str],
    *,
    note: str | None = None,
    annotator: str | None = None,
    expect_quote: str | None = None,
) -> AnnotateResult:
    """Store a tagged span at code-point offsets [start, end).

    ``expect_quote`` is the text the caller saw there (the app passes it): if the
    article changed since, the offsets mean another passage and nothing is stored.
    """
    tag_ids = _tag_ids(db, tags)
    article = resolve_article(db, article_ref)

    def place(text: str) -> Anchor:
        _check_range(text, start, end)
        check_expected(text, start, end, expect_quote, article.ref)
        return Anchor(start, end, "exact")

    return _store(db, article.id, place, tag_ids, note, annotator)


def check_expected(text: str, start: int, end: int, expect: str | None, ref: str) -> None:
    """Refuse offsets read on an older version of the article's text."""
    if expect is not None and text[start:end] != expect:
        raise ArticleChanged(
            f"article {ref} changed since it was read (another process updated its text): "
            "nothing was stored; it has been re-read, select the passage again"
        )


def _check_range(text: str, start: int, end: int) -> None:
    if not 0 <= start < end <= len(text):
        raise ClaimmapError(f"range {start}-{end} is outside the article (0-{len(text)}) or empty")
    if not text[start:end].strip():
        raise ClaimmapError(f"range {start}-{end} holds only whitespace")


def _tag_ids(db: Database, tags: Sequence[str]) -> list[int]:
    if not tags:
        raise ClaimmapError("give at least one --tag")
    ids: list[int] = []
    for name in tags:
        tag_id = resolve_tag(db, name).id
        if tag_id not in ids:
            ids.append(tag_id)
    return ids


def _store(
    db: Database,
    article_id: int,
    place: Callable[[str], Anchor],
    tag_ids: Sequence[int],
    note: str | None,
    annotator: str | None,
) -> AnnotateResult:
    """Place the span on the text as it is inside the write unit, and store it.

    The text is read after ``BEGIN IMMEDIATE``: read before it, another process's
    ``import --update`` could slip in between and the offsets would land on
    another passage.
    """
    who = annotator or current_annotator()
    with write_unit(db):
        text = article_text(db, article_id)
        anchor = place(text)
        existing = placed_span_at(db, article_id, anchor.start, anchor.end, who)
        merged = existing is not None
        warnings = boundary_warnings(
            text, anchor.start, anchor.end, nearby_spans(db, article_id, anchor.start, anchor.end)
        )
        if existing is not None:
            span_id = existing
            db.execute("UPDATE spans SET updated_at = ? WHERE id = ?", [now(), span_id])
        else:
            span_id = insert_span(db, article_id, text, anchor.start, anchor.end, who)
        db.conn.executemany(
            "INSERT OR IGNORE INTO span_tags (span_id, tag_id) VALUES (?, ?)",
            [(span_id, t) for t in tag_ids],
        )
        if note is not None:
            _write_note(db, span_id, note, who)
    span = get_span(db, span_id)
    return AnnotateResult(
        id=span.id,
        article=span.article,
        start=span.start,
        end=span.end,
        quote=span.quote,
        tags=span.tags,
        anchor=anchor.method,  # type: ignore[arg-type]
        merged=merged,
        warnings=warnings,
    )


def insert_span(
    db: Database,
    article_id: int,
    text: str,
    start: int,
    end: int,
    who: str,
    *,
    created: str | None = None,
    modified: str | None = None,
) -> int:
    """Insert a span of ``text`` (inside the caller's write unit) with its own singleton claim.

    ``created``/``modified`` keep an imported annotation's own times (default: now).
    """
    prefix, suffix = context(text, start, end)
    row = (article_id, start, end, text[start:end], prefix, suffix, text_sha256(text), who)
    return _insert_span_row(db, row, orphaned=False, created=created, modified=modified)


def insert_orphaned_span(
    db: Database,
    article_id: int,
    start: int,
    quote: str,
    prefix: str,
    suffix: str,
    who: str,
    *,
    created: str | None = None,
    modified: str | None = None,
) -> int:
    """Insert a span whose quote no longer anchors, kept with its context for review.

    Its text hash is left empty: it belongs to no version of the text we hold.
    """
    row = (article_id, start, start + len(quote), quote, prefix, suffix, "", who)
    return _insert_span_row(db, row, orphaned=True, created=created, modified=modified)


def _insert_span_row(
    db: Database,
    row: tuple[int, int, int, str, str, str, str, str],
    *,
    orphaned: bool,
    created: str | None,
    modified: str | None,
) -> int:
    """(article, start, end, quote, prefix, suffix, text hash, annotator) -> span id."""
    created = created or now()
    modified = modified or created
    claim = db.execute(
        "INSERT INTO claims (label, created_at, updated_at) VALUES (NULL, ?, ?)",
        [created, modified],
    )
    cursor = db.execute(
        'INSERT INTO spans (article_id, start, "end", quote, prefix, suffix, text_sha256, '
        "annotator, claim_id, orphaned, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [*row, claim.lastrowid, int(orphaned), created, modified],
    )
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


def _write_note(db: Database, span_id: int, body: str, who: str) -> None:
    if not body.strip():
        db.execute("DELETE FROM notes WHERE span_id = ?", [span_id])
        return
    stamp = now()
    db.execute(
        "INSERT INTO notes (span_id, body, author, created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(span_id) DO UPDATE SET body = excluded.body, author = excluded.author, "
        "updated_at = excluded.updated_at",
        [span_id, body, who, stamp, stamp],
    )


def set_note(db: Database, span_id: int, body: str, annotator: str | None = None) -> Span:
    """Set (or, with an empty body, clear) a span's note."""
    with write_unit(db):
        get_span(db, span_id)
        _write_note(db, span_id, body, annotator or current_annotator())
        db.execute("UPDATE spans SET updated_at = ? WHERE id = ?", [now(), span_id])
    return get_span(db, span_id)


def change_tags(
    db: Database, span_id: int, add: Sequence[str] = (), remove: Sequence[str] = ()
) -> Span:
    """Add and remove tags; a span keeps at least one tag (delete it instead)."""
    if not add and not remove:
        raise ClaimmapError("give --add TAG or --remove TAG")
    with write_unit(db):
        span = get_span(db, span_id)
        add_ids = [resolve_tag(db, t).id for t in add]
        remove_ids = [resolve_tag(db, t).id for t in remove]
        db.conn.executemany(
            "INSERT OR IGNORE INTO span_tags (span_id, tag_id) VALUES (?, ?)",
            [(span.id, t) for t in add_ids],
        )
        db.conn.executemany(
            "DELETE FROM span_tags WHERE span_id = ? AND tag_id = ?",
            [(span.id, t) for t in remove_ids],
        )
        left = db.execute("SELECT count(*) FROM span_tags WHERE span_id = ?", [span.id]).fetchone()
        if left[0] == 0:
            raise ClaimmapError(
                f"span {span.id} would have no tag left; delete it with 'claimmap delete {span.id}'"
            )
        db.execute("UPDATE spans SET updated_at = ? WHERE id = ?", [now(), span.id])
    return get_span(db, span_id)


def adjust_span(
    db: Database, span_id: int, start: int, end: int, *, expect_quote: str | None = None
) -> Span:
    """Move a span's boundaries (quote and context follow the text).

    ``expect_quote``: the text the caller saw at [start, end), as for ``annotate_range``.
    """
    with write_unit(db):
        span = get_span(db, span_id)
        text = article_text(db, span.article_id)
        _check_range(text, start, end)
        check_expected(text, start, end, expect_quote, span.article)
        clash = db.execute(
            'SELECT id FROM spans WHERE article_id = ? AND start = ? AND "end" = ? AND id != ?',
            [span.article_id, start, end, span_id],
        ).fetchone()
        if clash is not None:
            raise ClaimmapError(f"span {clash[0]} already covers {start}-{end}")
        place_span(db, span_id, text, start, end, text_sha256(text), now())
    return get_span(db, span_id)


def place_span(
    db: Database, span_id: int, text: str, start: int, end: int, text_hash: str, stamp: str
) -> None:
    """Put a span at [start, end) of ``text``: quote and context follow the text
    (inside the caller's write unit; ``text_hash`` is passed in so that
    re-anchoring many spans hashes the article once)."""
    prefix, suffix = context(text, start, end)
    db.execute(
        'UPDATE spans SET start = ?, "end" = ?, quote = ?, prefix = ?, suffix = ?, '
        "text_sha256 = ?, orphaned = 0, updated_at = ? WHERE id = ?",
        [start, end, text[start:end], prefix, suffix, text_hash, stamp, span_id],
    )


def snapshot_span(db: Database, span_id: int) -> dict[str, Any]:
    """Everything needed to restore a span exactly (for undo of a delete)."""
    cursor = db.execute("SELECT * FROM spans WHERE id = ?", [span_id])
    row = cursor.fetchone()
    if row is None:
        raise ClaimmapError(f"no span with id {span_id}")
    columns = [d[0] for d in cursor.description]
    return {
        "span": dict(zip(columns, row, strict=True)),
        "tags": [
            r[0] for r in db.execute("SELECT tag_id FROM span_tags WHERE span_id = ?", [span_id])
        ],
        "note": [dict(r) for r in db.query("SELECT * FROM notes WHERE span_id = ?", [span_id])],
        "links": [
            dict(r)
            for r in db.query("SELECT * FROM links WHERE a = ? OR b = ?", [span_id, span_id])
        ],
        # The cascade deletes them with the span; undo puts them back, ids included.
        "relations": [
            dict(r)
            for r in db.query(
                "SELECT * FROM relations WHERE source = ? OR target = ?", [span_id, span_id]
            )
        ],
        "claim": [
            dict(r)
            for r in db.query(
                "SELECT c.* FROM claims c JOIN spans s ON s.claim_id = c.id WHERE s.id = ?",
                [span_id],
            )
        ],
    }


def delete_span(db: Database, span_id: int) -> dict[str, Any]:
    """Delete a span (tags, note, links and relations go with it); returns a snapshot
    for undo."""
    from claimmap.services.claims import split_claim_components

    with write_unit(db):
        snap = snapshot_span(db, span_id)
        claim_id = snap["span"]["claim_id"]
        db.execute("DELETE FROM spans WHERE id = ?", [span_id])
        if claim_id is not None:
            split_claim_components(db, int(claim_id))
    return snap


def restore_span(db: Database, snap: dict[str, Any]) -> Span:
    """Undo a delete: put the span back with its id, tags, note, links and relations."""
    span = snap["span"]
    with write_unit(db):
        if db.execute("SELECT 1 FROM spans WHERE id = ?", [span["id"]]).fetchone():
            raise ClaimmapError(f"span {span['id']} exists already")
        if not span["orphaned"]:
            text = article_text(db, span["article_id"])
            ref = str(
                db.execute(
                    "SELECT ref FROM articles WHERE id = ?", [span["article_id"]]
                ).fetchone()[0]
            )
            check_expected(text, span["start"], span["end"], span["quote"], ref)
        for claim in snap["claim"]:
            db.table("claims").insert(claim, replace=True)
        db.table("spans").insert(span)
        db.conn.executemany(
            "INSERT OR IGNORE INTO span_tags (span_id, tag_id) VALUES (?, ?)",
            [(span["id"], t) for t in snap["tags"]],
        )
        for note in snap["note"]:
            db.table("notes").insert(note)
        for link in snap["links"]:
            other = link["b"] if link["a"] == span["id"] else link["a"]
            if db.execute("SELECT 1 FROM spans WHERE id = ?", [other]).fetchone():
                db.table("links").insert(link, replace=True)
        # .get: a snapshot taken before relations existed has none.
        for relation in snap.get("relations", []):
            other = relation["target"] if relation["source"] == span["id"] else relation["source"]
            if db.execute("SELECT 1 FROM spans WHERE id = ?", [other]).fetchone():
                db.table("relations").insert(relation, replace=True)
    return get_span(db, span["id"])
