"""Importing article files: decode, clean, segment, store — all or nothing.

Every file is prepared (pure work, no database) before anything is written, so a
bad file in a batch leaves the database unchanged.  The same content imported
twice is reported as present.  A file's source (its path relative to the import
root, see ``article_files``) is the article's identity: a changed file from the
same source, or one that could be the same article (one source ends with the
other), is refused unless ``update`` is set, in which case the article keeps its
id and its spans are re-anchored on the new text (orphaned where they cannot be
placed), or ``as_new``, which imports it as a separate article.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import multiprocessing as mp
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from sqlite_utils import Database

from claimmap.anchoring import Anchor, offset_map, reanchor
from claimmap.documents.canonical import canonical_document
from claimmap.documents.readers import is_document, read_document
from claimmap.documents.types import DocumentMetadata, DocumentText, Page, UnreadableDocument
from claimmap.errors import ClaimmapError
from claimmap.models import ImportItem
from claimmap.safe_reading import FileId
from claimmap.services.annotating import place_span, text_sha256
from claimmap.services.article_files import (
    Found,
    check_name,
    database_files,
    expand_paths,
    read_article_bytes,
)
from claimmap.store import db_file, write_unit
from claimmap.store.backup import automatic_backup
from claimmap.store.clock import now
from claimmap.textprep.decode import DecodeError, decode_bytes
from claimmap.textprep.metadata import extract_metadata, fallback_title
from claimmap.textprep.pipeline import clean
from claimmap.textprep.segment import segment_ranges
from claimmap.textprep.types import CleanResult, Metadata

BACKUP_BEFORE_BULK = 20
# Below this many files per worker, starting processes costs more than it saves.
PARALLEL_MIN_FILES = 16


@dataclass(frozen=True)
class Prepared:
    """One file made ready to store."""

    found: Found
    raw_sha256: str
    encoding: str
    cleaned: CleanResult
    metadata: Metadata
    # Segment ranges as the JSON stored in article_segments, made in the worker
    # process: smaller to send back than lists of tuples, and off the main process.
    segments_json: dict[str, str]
    # A document's pages (code-point ranges of the canonical text) and its own URL.
    pages: tuple[Page, ...] = ()
    url: str | None = None

    @property
    def text(self) -> str:
        return self.cleaned.text


def prepare_bytes(found: Found, raw: bytes) -> Prepared:
    """Decode (or read as a document), clean, segment and describe one article (pure)."""
    suffix = PurePosixPath(found.source).suffix.lower()
    pages: tuple[Page, ...] = ()
    stated = DocumentMetadata()
    if is_document(suffix):
        doc = _read_document(found, suffix, raw)
        canonical = canonical_document(doc)
        cleaned, pages, stated = canonical.cleaned, tuple(canonical.pages), doc.metadata
        encoding = suffix.lstrip(".")  # the format: there is no text encoding to report
    else:
        decoded = decode_bytes(raw, found.shown)
        cleaned, encoding = clean(decoded.text), decoded.encoding
    if not cleaned.text.strip():
        raise DecodeError(f"{found.shown}: no text left after cleaning")
    segments = {
        kind: json.dumps(ranges, separators=(",", ":"))
        for kind, ranges in segment_ranges(cleaned.text).items()
    }
    return Prepared(
        found=found,
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        encoding=encoding,
        cleaned=cleaned,
        metadata=_metadata(cleaned.text, PurePosixPath(found.source).stem, stated),
        segments_json=segments,
        pages=pages,
        url=stated.url,
    )


def _read_document(found: Found, suffix: str, raw: bytes) -> DocumentText:
    """The reader's document; its refusal as one line naming the file."""
    try:
        return read_document(suffix, raw, found.shown)
    except UnreadableDocument as exc:
        message = str(exc)
        if not message.startswith(found.shown):
            message = f"{found.shown}: {message}"
        raise DecodeError(message) from None
    except ImportError as exc:
        raise DecodeError(
            f"{found.shown}: cannot read {suffix} files here ({exc}); "
            "reinstall claimmap with its dependencies"
        ) from None


def _metadata(text: str, stem: str, stated: DocumentMetadata | None = None) -> Metadata:
    """The stated metadata (a document's own first, then what the text says); a title
    for display is always set (first sentence, else the file stem)."""
    meta = extract_metadata(text)
    if stated is not None:
        meta = dataclasses.replace(
            meta,
            title=stated.title or meta.title,
            authors=stated.authors or meta.authors,
            date=stated.date or meta.date,
            venue=stated.venue or meta.venue,
        )
    if meta.title:
        return meta
    return dataclasses.replace(meta, title=fallback_title(text) or stem)


def prepare_file(found: Found, forbidden: frozenset[FileId] = frozenset()) -> Prepared:
    """Read (never the database files in ``forbidden``) and prepare one article file."""
    check_name(found)
    raw = read_article_bytes(found.path, forbidden=forbidden)
    try:
        return prepare_bytes(found, raw)
    except DecodeError as exc:
        raise ClaimmapError(str(exc)) from None


def _prepare_or_error(found: Found, forbidden: frozenset[FileId]) -> Prepared | str:
    try:
        return prepare_file(found, forbidden)
    except ClaimmapError as exc:
        return str(exc)


def _prepare_all(files: list[Found], forbidden: frozenset[FileId]) -> list[Prepared | str]:
    """Prepare files, on every core for a large batch (preparation is pure CPU work)."""
    prepare = functools.partial(_prepare_or_error, forbidden=forbidden)
    workers = min(os.cpu_count() or 1, len(files) // PARALLEL_MIN_FILES)
    if workers < 2:
        return [prepare(f) for f in files]
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
        return list(pool.map(prepare, files, chunksize=8))


def _changes(prep: Prepared) -> list[dict[str, object]]:
    return [dataclasses.asdict(entry) for entry in prep.cleaned.log]


def import_paths(
    db: Database,
    paths: Sequence[str],
    *,
    dry_run: bool = False,
    update: bool = False,
    skip_bad: bool = False,
    as_new: bool = False,
) -> list[ImportItem]:
    """Import files; raise ClaimmapError (one line per bad file) before writing anything."""
    if update and as_new:
        raise ClaimmapError(
            "--update and --as-new contradict each other: a changed file either replaces "
            "its article's text or becomes a separate article"
        )
    db_path = db_file(db)
    forbidden = database_files(db_path)
    files = expand_paths(paths, skip=forbidden)
    prepared: list[Prepared] = []
    errors: list[str] = []
    bad: list[ImportItem] = []
    for f, outcome in zip(files, _prepare_all(files, forbidden), strict=True):
        if isinstance(outcome, Prepared):
            prepared.append(outcome)
        else:
            errors.append(outcome)
            bad.append(ImportItem(path=f.shown, status="error", error=outcome))
    if errors and not skip_bad:
        raise ClaimmapError("\n".join(errors))
    batch = [p.found.source for p in prepared]
    if dry_run:
        refs = {r[0] for r in db.execute("SELECT ref FROM articles")}
        return [_dry_item(db, p, batch, refs, update=update, as_new=as_new) for p in prepared] + bad
    if db_path is not None and len(prepared) >= BACKUP_BEFORE_BULK and _has_articles(db):
        automatic_backup(db, db_path, reason="import")
    items: list[ImportItem] = []
    with write_unit(db):
        used_refs = {r[0] for r in db.execute("SELECT ref FROM articles")}
        for prep in prepared:
            items.append(_store_one(db, prep, batch, used_refs, update=update, as_new=as_new))
    return items + bad


def _has_articles(db: Database) -> bool:
    return db.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None


def _present(db: Database, raw_sha256: str, text_hash: str) -> tuple[int, str] | None:
    """The (id, ref) of an article with these raw bytes or this canonical text."""
    row = db.execute(
        "SELECT id, ref FROM articles WHERE raw_sha256 = ? OR text_sha256 = ?",
        [raw_sha256, text_hash],
    ).fetchone()
    return (int(row[0]), str(row[1])) if row is not None else None


def _item_base(prep: Prepared) -> dict[str, Any]:
    """What every report item says of the file, whatever happens to it."""
    return {
        "path": prep.found.shown,
        "title": prep.metadata.title,
        "chars": len(prep.text),
        "encoding": prep.encoding,
        "script": prep.metadata.script,
    }


def _dry_item(
    db: Database, prep: Prepared, batch: list[str], refs: set[str], *, update: bool, as_new: bool
) -> ImportItem:
    """What importing this file would do, decided as ``_store_one`` decides it: present,
    a new article, an update (with what it would do to the spans), or the error the
    import would stop at (a changed file without --update or --as-new, an ambiguity)."""
    base = {**_item_base(prep), "changes": _changes(prep)}
    text_hash = text_sha256(prep.text)
    present = _present(db, prep.raw_sha256, text_hash)
    if present is not None:
        return ImportItem(status="present", article_id=present[0], ref=present[1], **base)
    try:
        same = None if as_new else _same_article(db, prep, batch, update)
    except ClaimmapError as exc:
        return ImportItem(status="error", error=str(exc), **base)
    if same is None:
        return ImportItem(
            status="would-import", ref=_ref_stem(prep.found.source, batch, refs), **base
        )
    article_id, ref = same
    old_hash, old_text = _stored_text(db, article_id)
    outcome = Reanchored.of(
        plan_reanchoring(
            db, article_id, prep.text, same_text=(old_hash == text_hash), old_text=old_text
        )
    )
    return ImportItem(
        status="would-update",
        article_id=article_id,
        ref=ref,
        spans=outcome.summary(),
        orphaned_span_ids=outcome.orphaned_ids,
        **base,
    )


def _unique_ref(stem: str, used: set[str]) -> str:
    ref, n = stem, 2
    while ref in used or ref.isdigit():
        ref = f"{stem}-{n}"
        n += 1
    used.add(ref)
    return ref


def _ref_stem(source: str, batch: Sequence[str], used: set[str]) -> str:
    """The file stem, or, when another file shares it, the relative path as a ref.

    ``2023/index.md`` and ``2024/index.md`` become ``2023-index`` and
    ``2024-index``; a file alone with its stem keeps the plain stem.
    """
    path = PurePosixPath(source)
    stem = path.stem
    clash = stem in used or sum(PurePosixPath(s).stem == stem for s in batch) > 1
    if clash and len(path.parts) > 1:
        return "-".join((*path.parts[:-1], stem))
    return stem


def _related(a: str, b: str) -> bool:
    """Could two sources be one file imported from different roots (one ends with the other)?"""
    return a != b and (a.endswith("/" + b) or b.endswith("/" + a))


def _same_article(
    db: Database, prep: Prepared, batch: Sequence[str], update: bool
) -> tuple[int, str] | None:
    """The article this (changed) file replaces under ``update``; None for a new article.

    Raises when the file is, or could be, an imported article and the analyst
    has not said whether it replaces it (--update) or is another one (--as-new).
    """
    source, name = prep.found.source, prep.found.shown
    rows = db.execute(
        "SELECT id, ref, source FROM articles WHERE source = ? ORDER BY id", [source]
    ).fetchall()
    if not rows:
        base = PurePosixPath(source).name
        like = "%/" + base.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = [
            r
            for r in db.execute(
                "SELECT id, ref, source FROM articles WHERE source = ? OR source LIKE ? "
                "ESCAPE '\\' ORDER BY id",
                [base, like],
            ).fetchall()
            # An article whose source another file of this batch has exactly is that file's.
            if _related(source, r[2]) and r[2] not in batch
        ]
    if not rows:
        return None
    rivals = [s for s in batch if s != source and any(_related(s, r[2]) for r in rows)]
    if len(rows) > 1 or rivals:
        described = ", ".join(f"{r[1]!r} (from {r[2]!r})" for r in rows)
        others = f"; other files here could be it too ({', '.join(rivals)})" if rivals else ""
        raise ClaimmapError(
            f"{name}: could be article {described}{others}; use '--as-new' to import it as a "
            "separate article, or '--update' importing from the folder the article was "
            "imported from, so that one path names one article"
        )
    article_id, ref, was = rows[0]
    if not update:
        raise ClaimmapError(
            f"{name}: article {ref!r} was imported from {was!r} with other content; if this "
            "is a new version of it, use 'claimmap import --update' to replace its text "
            "(spans are re-anchored); if it is another article, use '--as-new'"
        )
    return int(article_id), str(ref)


def _store_one(
    db: Database,
    prep: Prepared,
    batch: Sequence[str],
    used_refs: set[str],
    *,
    update: bool,
    as_new: bool,
) -> ImportItem:
    text_hash = text_sha256(prep.text)
    present = _present(db, prep.raw_sha256, text_hash)
    base = _item_base(prep)
    if present is not None:
        return ImportItem(status="present", article_id=present[0], ref=present[1], **base)
    same = None if as_new else _same_article(db, prep, batch, update)
    if same is not None:
        article_id, ref = same
        outcome = _replace_text(db, article_id, prep, text_hash)
        return ImportItem(
            status="updated",
            article_id=article_id,
            ref=ref,
            spans=outcome.summary(),
            orphaned_span_ids=outcome.orphaned_ids,
            **base,
        )
    ref = _unique_ref(_ref_stem(prep.found.source, batch, used_refs), used_refs)
    stamp = now()
    meta = prep.metadata
    cursor = db.execute(
        "INSERT INTO articles (ref, source, source_path, title, authors, venue, date, script, "
        "encoding, raw_sha256, text_sha256, text, chars, imported_at, updated_at, url) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            ref,
            prep.found.source,
            prep.found.shown,
            meta.title,
            meta.authors,
            meta.venue,
            meta.date,
            meta.script,
            prep.encoding,
            prep.raw_sha256,
            text_hash,
            prep.text,
            len(prep.text),
            stamp,
            stamp,
            prep.url,
        ],
    )
    assert cursor.lastrowid is not None
    article_id = int(cursor.lastrowid)
    _write_derived(db, article_id, prep)
    return ImportItem(status="imported", article_id=article_id, ref=ref, **base)


def _write_derived(db: Database, article_id: int, prep: Prepared) -> None:
    """Segments, regions, pages and the cleaning log of one article (replacing old ones)."""
    for table in ("article_segments", "article_regions", "article_pages", "cleaning_log"):
        db.execute(f"DELETE FROM {table} WHERE article_id = ?", [article_id])
    db.execute(
        "INSERT INTO article_segments (article_id, paragraphs, sentences, clauses) "
        "VALUES (?, ?, ?, ?)",
        [article_id, *(prep.segments_json[k] for k in ("paragraph", "sentence", "clause"))],
    )
    db.conn.executemany(
        'INSERT INTO article_regions (article_id, kind, start, "end") VALUES (?, ?, ?, ?)',
        [(article_id, r.kind, r.start, r.end) for r in prep.cleaned.regions],
    )
    db.conn.executemany(
        'INSERT INTO article_pages (article_id, seq, start, "end", label) VALUES (?, ?, ?, ?, ?)',
        [(article_id, seq, p.start, p.end, p.label) for seq, p in enumerate(prep.pages)],
    )
    db.conn.executemany(
        "INSERT INTO cleaning_log (article_id, seq, step, action, detail, before, after, line) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (article_id, i, e.step, e.action, e.detail, e.before, e.after, e.line)
            for i, e in enumerate(prep.cleaned.log)
        ],
    )


def _stored_text(db: Database, article_id: int) -> tuple[str, str]:
    """An article's text hash and text as stored (what an update replaces)."""
    text_hash, text = db.execute(
        "SELECT text_sha256, text FROM articles WHERE id = ?", [article_id]
    ).fetchone()
    return str(text_hash), str(text)


def _replace_text(db: Database, article_id: int, prep: Prepared, text_hash: str) -> Reanchored:
    """New text for an existing article; every span is re-anchored or orphaned."""
    old_hash, old_text = _stored_text(db, article_id)
    meta = prep.metadata
    db.execute(
        "UPDATE articles SET text = ?, chars = ?, text_sha256 = ?, raw_sha256 = ?, encoding = ?, "
        "title = ?, authors = ?, venue = ?, date = ?, script = ?, source_path = ?, updated_at = ?, "
        "url = coalesce(?, url) WHERE id = ?",
        [
            prep.text,
            len(prep.text),
            text_hash,
            prep.raw_sha256,
            prep.encoding,
            meta.title,
            meta.authors,
            meta.venue,
            meta.date,
            meta.script,
            prep.found.shown,
            now(),
            prep.url,
            article_id,
        ],
    )
    _write_derived(db, article_id, prep)
    return reanchor_article_spans(
        db, article_id, prep.text, same_text=(old_hash == text_hash), old_text=old_text
    )


# What each re-anchoring method means to an analyst reading the import report.
# "position" is the span's old offset carried through the diff of the two texts:
# the same place.  Found elsewhere by its context, or on changed wording, it moved.
_OUTCOME = {
    "position": "kept",
    "moved": "moved",
    "exact": "moved",
    "normalized": "moved",
    "fuzzy": "moved",
    "orphaned": "orphaned",
}


@dataclass
class Reanchored:
    """What re-anchoring did to one article's spans."""

    by_method: dict[str, int] = dataclasses.field(default_factory=dict)
    orphaned_ids: list[int] = dataclasses.field(default_factory=list)

    @classmethod
    def of(cls, plan: list[tuple[int, Anchor | None]]) -> Reanchored:
        """What carrying out ``plan_reanchoring``'s plan does (or would do)."""
        result = cls()
        for span_id, anchor in plan:
            method = "orphaned" if anchor is None else anchor.method
            result.by_method[method] = result.by_method.get(method, 0) + 1
            if anchor is None:
                result.orphaned_ids.append(span_id)
        return result

    def summary(self) -> dict[str, int]:
        """Counts of spans kept in place, moved, orphaned (every span in one)."""
        out = {"kept": 0, "moved": 0, "orphaned": 0}
        for method, n in self.by_method.items():
            out[_OUTCOME[method]] += n
        return out


def reanchor_article_spans(
    db: Database, article_id: int, text: str, *, same_text: bool, old_text: str | None = None
) -> Reanchored:
    """Re-place every span of an article on ``text``; returns what happened to them."""
    stamp = now()
    text_hash = text_sha256(text)
    plan = plan_reanchoring(db, article_id, text, same_text=same_text, old_text=old_text)
    for span_id, anchor in plan:
        if anchor is None:
            db.execute(
                "UPDATE spans SET orphaned = 1, updated_at = ? WHERE id = ?", [stamp, span_id]
            )
        else:
            place_span(db, span_id, text, anchor.start, anchor.end, text_hash, stamp)
    return Reanchored.of(plan)


def plan_reanchoring(
    db: Database, article_id: int, text: str, *, same_text: bool, old_text: str | None = None
) -> list[tuple[int, Anchor | None]]:
    """Where each span of an article would go on ``text`` (None: orphaned); reads only,
    so ``import --dry-run`` can say what an update would do to the spans.

    With ``old_text``, each span's old offset is first carried through a diff of
    the two texts: the hint that tells repeated passages apart.
    """
    rows = db.execute(
        "SELECT id, start, quote, prefix, suffix FROM spans WHERE article_id = ? ORDER BY id",
        [article_id],
    ).fetchall()
    hint = offset_map(old_text, text) if old_text is not None and not same_text else None
    return [
        (
            int(span_id),
            reanchor(
                text,
                quote=quote,
                prefix=prefix,
                suffix=suffix,
                old_start=hint(start) if hint is not None else start,
                same_text=same_text,
            ),
        )
        for span_id, start, quote, prefix, suffix in rows
    ]
