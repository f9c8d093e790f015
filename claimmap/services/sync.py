"""``claimmap sync DIR``: share layers through a folder kept in git.

The current analyst's layer is written into ``DIR/<annotator>/`` and every other
analyst's folder is read into their layer; the articles travel in
``DIR/articles/``.  Each analyst writes only their own folder (article files are
the same bytes for everyone holding the same text), so ``git pull`` and ``git
push`` never conflict.

Reading is a diff, not a reload: a layer's spans, links, relations and claims
are compared with the folder by their stable ids and only what differs is
written, in one write unit for the whole sync.  So a second sync changes no row
and no file; deletions and edits in a teammate's folder propagate; and the
analyst's own layer is never read from any folder, so a stale or hostile file
cannot overwrite it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from claimmap.atomic_files import fsync_dir
from claimmap.errors import ClaimmapError
from claimmap.safe_reading import FileId
from claimmap.services.analyst import check_annotator, current_annotator
from claimmap.services.article_files import database_files
from claimmap.services.sync_files import ARTICLES, article_document, ref_file
from claimmap.services.sync_layer import LayerSync
from claimmap.services.sync_own import write_if_changed, write_layer, write_pending
from claimmap.services.sync_read import read_article, read_layer
from claimmap.services.sync_state import (
    SyncState,
    articles_signature,
    data_version,
    folder_digest,
    layer_signatures,
)
from claimmap.store import write_unit
from claimmap.store.clock import now
from claimmap.textprep.segment import segment_ranges


@dataclass
class SyncReport:
    """What one sync did, for the CLI (``--json`` prints it as is)."""

    directory: str
    annotator: str
    written: int = 0
    unchanged: int = 0
    deleted: int = 0
    read: list[str] = field(default_factory=list)
    articles_added: int = 0
    spans_added: int = 0
    spans_updated: int = 0
    spans_deleted: int = 0
    links_changed: int = 0
    relations_changed: int = 0
    warnings: list[str] = field(default_factory=list)


def sync(db: Database, directory: Path, db_path: Path | None = None) -> SyncReport:
    """Read every other analyst's folder into the database, then write ours."""
    me = check_annotator(current_annotator())
    if directory.exists() and not directory.is_dir():
        raise ClaimmapError(f"{directory}: not a directory")
    directory.mkdir(parents=True, exist_ok=True)
    forbidden = database_files(db_path)
    report = SyncReport(str(directory), me)
    state = SyncState(db, directory)
    # Files are read and parsed before the write unit (a teammate's layer can be
    # large; the write lock is not held meanwhile); a folder whose bytes and whose
    # layer here are as the last sync left them is not read at all.
    article_digest = folder_digest(directory / ARTICLES, "*.json", forbidden)
    articles = (
        []
        if state.unchanged(ARTICLES, article_digest, articles_signature(db))
        else [read_article(p, forbidden) for p in sorted((directory / ARTICLES).glob("*.json"))]
    )
    folders = {
        folder.name: (folder, folder_digest(folder, "*.jsonl", forbidden))
        for folder in _layer_folders(directory, me, report)
    }
    version = data_version(db)
    before = layer_signatures(db)
    layers = {
        name: read_layer(folder, name, forbidden)
        for name, (folder, digest) in folders.items()
        if not state.unchanged(name, digest, before.get(name, ""))
    }
    with write_unit(db):
        _add_articles(db, articles, report)
        # Only if another process committed since: what we skipped may have changed.
        inside = before if data_version(db) == version else layer_signatures(db)
        for name, (folder, digest) in folders.items():
            if name not in layers and state.unchanged(name, digest, inside.get(name, "")):
                continue
            layer = layers.get(name) or read_layer(folder, name, forbidden)
            LayerSync(db, layer, report).run()
            report.read.append(name)
        after = layer_signatures(db) if report.read else inside
        for name in report.read:
            state.record(name, folders[name][1], after.get(name, ""))
        # Inside the unit: a file that cannot be written rolls the reading back
        # too, so a failed sync leaves the database as it was.
        article_digest = _write_own(db, directory, me, forbidden, report, state, article_digest)
        state.record(ARTICLES, article_digest, articles_signature(db))
    return report


def _layer_folders(directory: Path, me: str, report: SyncReport) -> list[Path]:
    folders: list[Path] = []
    for folder in sorted(p for p in directory.iterdir() if p.is_dir()):
        name = folder.name
        if name == ARTICLES or name.startswith("."):
            continue  # the articles, and .git and the like
        if name == me:
            continue  # our own layer is written, never read back
        try:
            check_annotator(name)
        except ClaimmapError as exc:
            report.warnings.append(f"{folder}: skipped: {exc}")
            continue
        folders.append(folder)
    return folders


# -- articles -------------------------------------------------------------------

_ARTICLE_COLUMNS = (
    "ref",
    "source",
    "source_path",
    "title",
    "authors",
    "venue",
    "date",
    "script",
    "encoding",
    "raw_sha256",
    "text_sha256",
    "url",
)


def _add_articles(db: Database, articles: Sequence[dict[str, Any]], report: SyncReport) -> None:
    """Articles we lack are added whole; one we hold with another text is kept as ours
    (replacing it is ``import --update``'s job, which re-anchors spans)."""
    held = {str(r): str(h) for r, h in db.execute("SELECT ref, text_sha256 FROM articles")}
    for doc in articles:
        ref = str(doc["ref"])
        if ref in held:
            if held[ref] != doc["text_sha256"]:
                report.warnings.append(
                    f"article {ref}: the shared copy has another text; kept this database's"
                )
            continue
        text = str(doc["text"])
        stamp = now()
        cursor = db.execute(
            f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}, text, chars, imported_at, "
            f"updated_at) VALUES ({', '.join('?' * (len(_ARTICLE_COLUMNS) + 4))})",
            [*(doc.get(c) for c in _ARTICLE_COLUMNS), text, len(text), stamp, stamp],
        )
        article_id = int(cursor.lastrowid or 0)
        segments = {
            k: json.dumps(v, separators=(",", ":")) for k, v in segment_ranges(text).items()
        }
        db.execute(
            "INSERT INTO article_segments (article_id, paragraphs, sentences, clauses) "
            "VALUES (?, ?, ?, ?)",
            [article_id, segments["paragraph"], segments["sentence"], segments["clause"]],
        )
        db.conn.executemany(
            'INSERT INTO article_regions (article_id, kind, start, "end") VALUES (?, ?, ?, ?)',
            [(article_id, r["kind"], r["start"], r["end"]) for r in doc.get("regions", [])],
        )
        db.conn.executemany(
            'INSERT INTO article_pages (article_id, seq, start, "end", label) '
            "VALUES (?, ?, ?, ?, ?)",
            [
                (article_id, n, p["start"], p["end"], p.get("label"))
                for n, p in enumerate(doc.get("pages", []), start=1)
            ],
        )
        held[ref] = str(doc["text_sha256"])
        report.articles_added += 1


def _article_rows(db: Database) -> list[tuple[str, dict[str, Any]]]:
    regions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for article_id, kind, start, end in db.execute(
        'SELECT article_id, kind, start, "end" FROM article_regions '
        'ORDER BY article_id, start, "end", kind'
    ):
        regions[int(article_id)].append({"kind": kind, "start": start, "end": end})
    pages: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for article_id, start, end, label in db.execute(
        'SELECT article_id, start, "end", label FROM article_pages ORDER BY article_id, seq'
    ):
        pages[int(article_id)].append({"start": start, "end": end, "label": label})
    rows: list[tuple[str, dict[str, Any]]] = []
    cols = ", ".join(f'"{c}"' for c in _ARTICLE_COLUMNS)
    for values in db.execute(f"SELECT id, {cols}, text FROM articles ORDER BY ref"):
        row: dict[str, Any] = dict(zip(_ARTICLE_COLUMNS, values[1:-1], strict=True))
        row["text"] = values[-1]
        row["regions"] = regions.get(int(values[0]), [])
        row["pages"] = pages.get(int(values[0]), [])
        rows.append((str(row["ref"]), row))
    return rows


# -- our own layer --------------------------------------------------------------


def _write_own(
    db: Database,
    directory: Path,
    me: str,
    forbidden: frozenset[FileId],
    report: SyncReport,
    state: SyncState,
    article_digest: str,
) -> str:
    """Write our folder and the articles; give the articles folder's digest after.
    ``article_digest`` is the one taken before the write unit: nothing of ours
    has written there since."""
    mine = directory / me
    articles = directory / ARTICLES
    for folder in (mine, articles):
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise ClaimmapError(f"{folder}: not a folder claimmap sync can write into")
        folder.mkdir(exist_ok=True)
    done = write_layer(db, mine, me, forbidden, state)
    own = len(done.pending)
    if not state.unchanged(ARTICLES, article_digest, articles_signature(db)):
        for ref, row in _article_rows(db):
            write_if_changed(
                articles / ref_file(ref, ".json"), article_document(row), forbidden, done
            )
    else:
        done.unchanged += len(list(articles.glob("*.json")))
    if len(done.pending) > own:
        article_digest = ""  # taken again once the files are written
    write_pending(done)
    report.written += done.written
    report.unchanged += done.unchanged
    report.deleted += done.deleted
    if done.written + done.deleted:
        # One folder sync for all the renames, not one per file.
        fsync_dir(mine)
        fsync_dir(articles)
    return article_digest or folder_digest(articles, "*.json", forbidden)
