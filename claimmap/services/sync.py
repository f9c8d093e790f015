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

from claimmap.atomic_files import fsync_dir, write_file
from claimmap.errors import ClaimmapError
from claimmap.linking.claims import components
from claimmap.safe_reading import FileId
from claimmap.services.analyst import check_annotator, current_annotator
from claimmap.services.annotating import text_sha256
from claimmap.services.article_files import database_files
from claimmap.services.codebook import add_tag
from claimmap.services.sync_files import (
    ARTICLES,
    LINKS,
    RELATIONS,
    Placed,
    article_document,
    link_line,
    ref_file,
    relation_line,
    span_ids,
    span_line,
)
from claimmap.services.sync_read import (
    Layer,
    LinkRecord,
    SpanRecord,
    read_article,
    read_layer,
    read_text,
)
from claimmap.services.sync_state import (
    SyncState,
    articles_signature,
    data_version,
    folder_digest,
    layer_signatures,
)
from claimmap.store import write_unit
from claimmap.store.clock import now
from claimmap.store.spans import query_spans
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
            _LayerSync(db, layer, report).run()
            report.read.append(name)
        after = layer_signatures(db) if report.read else inside
        for name in report.read:
            state.record(name, folders[name][1], after.get(name, ""))
        # Inside the unit: a file that cannot be written rolls the reading back
        # too, so a failed sync leaves the database as it was.
        _write_own(db, directory, me, forbidden, report, state, after.get(me, ""))
        state.record(
            ARTICLES,
            folder_digest(directory / ARTICLES, "*.json", forbidden),
            articles_signature(db),
        )
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


# -- one teammate's layer ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Local:
    id: int
    record: SpanRecord
    claim: int | None


class _LayerSync:
    """Make one layer in the database equal to its folder, touching only what differs."""

    def __init__(self, db: Database, layer: Layer, report: SyncReport) -> None:
        self.db, self.layer, self.report = db, layer, report
        self.name = layer.annotator
        self.articles = {
            str(ref): (int(i), str(text))
            for i, ref, text in db.execute("SELECT id, ref, text FROM articles")
        }
        self.tags = {str(n): int(i) for i, n in db.execute("SELECT id, name FROM tags")}
        self.ids: dict[str, int] = {}  # stable id -> span id, once spans are synced
        self.spans_changed = False

    def run(self) -> None:
        self._spans()
        self._links()
        self._claims()
        self._relations()

    def _local(self) -> dict[str, _Local]:
        tags: dict[int, list[str]] = defaultdict(list)
        for span_id, name in self.db.execute(
            "SELECT st.span_id, t.name FROM span_tags st JOIN tags t ON t.id = st.tag_id "
            "JOIN spans s ON s.id = st.span_id WHERE s.annotator = ? ORDER BY t.name",
            [self.name],
        ):
            tags[int(span_id)].append(str(name))
        rows = self.db.execute(
            'SELECT s.id, a.ref, s.start, s."end", s.orphaned, s.quote, s.prefix, s.suffix, '
            "n.body, s.created_at, s.updated_at, s.claim_id "
            "FROM spans s JOIN articles a ON a.id = s.article_id "
            "LEFT JOIN notes n ON n.span_id = s.id WHERE s.annotator = ?",
            [self.name],
        ).fetchall()
        ids = span_ids(
            (int(r[0]), Placed(self.name, str(r[1]), int(r[2]), int(r[3])), (int(r[4]), str(r[5])))
            for r in rows
        )
        out: dict[str, _Local] = {}
        for r in rows:
            uid = ids[int(r[0])]
            record = SpanRecord(
                uid, str(r[1]), int(r[2]), int(r[3]), bool(r[4]), str(r[5]), str(r[6]),
                str(r[7]), tuple(tags.get(int(r[0]), [])), r[8], None, str(r[9]), str(r[10]),
            )  # fmt: skip
            out[uid] = _Local(int(r[0]), record, None if r[11] is None else int(r[11]))
        return out

    def _tag_id(self, name: str) -> int:
        if name not in self.tags:
            created: list[str] = []
            tag = add_tag(self.db, name, create_parents=True, created=created)
            self.tags = {str(n): int(i) for i, n in self.db.execute("SELECT id, name FROM tags")}
            self.report.warnings.append(f"code {tag.name} added (used by {self.name})")
        return self.tags[name]

    def _placeable(self, record: SpanRecord) -> bool:
        text = self.articles[record.ref][1]
        return not record.orphaned and text[record.start : record.end] == record.quote

    def _spans(self) -> None:
        local = self._local()
        wanted = {r.uid: r for r in self.layer.spans}
        gone = [loc for uid, loc in local.items() if uid not in wanted]
        if gone:
            claims = {loc.claim for loc in gone if loc.claim is not None}
            self.db.conn.executemany("DELETE FROM spans WHERE id = ?", [(g.id,) for g in gone])
            self.db.conn.executemany(
                "DELETE FROM claims WHERE id = ? AND NOT EXISTS "
                "(SELECT 1 FROM spans WHERE claim_id = claims.id)",
                [(c,) for c in sorted(claims)],
            )
            self.report.spans_deleted += len(gone)
            self.spans_changed = True
        for uid, record in sorted(wanted.items()):
            if record.ref not in self.articles:
                self.report.warnings.append(
                    f"{self.name}: span on article {record.ref}, which is not here: skipped"
                )
                continue
            have = local.get(uid)
            if have is None:
                self.ids[uid] = self._insert(record)
                self.report.spans_added += 1
                self.spans_changed = True
                continue
            self.ids[uid] = have.id
            if self._differs(have.record, record):
                self._update(have.id, record)
                self.report.spans_updated += 1

    def _differs(self, have: SpanRecord, want: SpanRecord) -> bool:
        # A span that cannot be placed on this database's text (its article has
        # another text here) is kept orphaned: that is not a difference to fix.
        orphaned = not self._placeable(want)
        return (
            have.orphaned != orphaned
            or (have.quote, have.prefix, have.suffix) != (want.quote, want.prefix, want.suffix)
            or sorted(have.tags) != sorted(want.tags)
            or (have.note or None) != (want.note or None)
            or (have.created, have.updated) != (want.created, want.updated)
        )

    def _insert(self, record: SpanRecord) -> int:
        article_id, text = self.articles[record.ref]
        placed = self._placeable(record)
        claim = self.db.execute(
            "INSERT INTO claims (label, created_at, updated_at) VALUES (NULL, ?, ?)",
            [record.created, record.updated],
        ).lastrowid
        cursor = self.db.execute(
            'INSERT INTO spans (article_id, start, "end", quote, prefix, suffix, text_sha256, '
            "annotator, claim_id, orphaned, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                article_id, record.start, record.end, record.quote, record.prefix, record.suffix,
                text_sha256(text) if placed else "", self.name, claim, int(not placed),
                record.created, record.updated,
            ],
        )  # fmt: skip
        span_id = int(cursor.lastrowid or 0)
        self._tags_and_note(span_id, record)
        return span_id

    def _update(self, span_id: int, record: SpanRecord) -> None:
        placed = self._placeable(record)
        text = self.articles[record.ref][1]
        self.db.execute(
            "UPDATE spans SET quote = ?, prefix = ?, suffix = ?, orphaned = ?, text_sha256 = ?, "
            "created_at = ?, updated_at = ? WHERE id = ?",
            [
                record.quote, record.prefix, record.suffix, int(not placed),
                text_sha256(text) if placed else "", record.created, record.updated, span_id,
            ],
        )  # fmt: skip
        self.db.execute("DELETE FROM span_tags WHERE span_id = ?", [span_id])
        self.db.execute("DELETE FROM notes WHERE span_id = ?", [span_id])
        self._tags_and_note(span_id, record)

    def _tags_and_note(self, span_id: int, record: SpanRecord) -> None:
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO span_tags (span_id, tag_id) VALUES (?, ?)",
            [(span_id, self._tag_id(t)) for t in record.tags],
        )
        if record.note and record.note.strip():
            self.db.execute(
                "INSERT INTO notes (span_id, body, author, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [span_id, record.note, self.name, record.created, record.updated],
            )

    def _pair(self, a: str, b: str) -> tuple[int, int] | None:
        if a not in self.ids or b not in self.ids or a == b:
            return None
        x, y = self.ids[a], self.ids[b]
        return (x, y) if x < y else (y, x)

    def _links(self) -> None:
        wanted: dict[tuple[int, int], LinkRecord] = {}
        for link in self.layer.links:
            pair = self._pair(link.a, link.b)
            if pair is not None:
                wanted[pair] = link
        have = {
            (int(a), int(b)): (int(i), str(st), float(sc), str(m), str(c), str(u))
            for i, a, b, st, sc, m, c, u in self.db.execute(
                "SELECT l.id, l.a, l.b, l.status, l.score, l.method, l.created_at, l.updated_at "
                "FROM links l JOIN spans sa ON sa.id = l.a JOIN spans sb ON sb.id = l.b "
                "WHERE sa.annotator = ? AND sb.annotator = ?",
                [self.name, self.name],
            )
        }
        changed = 0
        for pair, old in have.items():
            # Suggestions are this database's own (the linker makes them anew);
            # decisions are the layer's, and one the folder lacks was undone.
            if old[1] != "suggested" and pair not in wanted:
                self.db.execute("DELETE FROM links WHERE id = ?", [old[0]])
                changed += 1
        for pair, link in sorted(wanted.items()):
            values = (link.status, link.score, link.method, link.created, link.updated)
            row = have.get(pair)
            if row is None:
                self.db.execute(
                    "INSERT INTO links (a, b, score, status, method, annotator, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [*pair, link.score, link.status, link.method, self.name, *values[3:]],
                )
                changed += 1
            elif row[1:] != values:
                self.db.execute(
                    "UPDATE links SET status = ?, score = ?, method = ?, annotator = ?, "
                    "created_at = ?, updated_at = ? WHERE id = ?",
                    [link.status, link.score, link.method, self.name, *values[3:], row[0]],
                )
                changed += 1
        self.report.links_changed += changed

    def _claims(self) -> None:
        """The layer's claims are the components of its confirmed links; a claim's
        label is the one its spans carry.  Claims that already match keep their ids."""
        labels = {self.ids[r.uid]: r.label for r in self.layer.spans if r.uid in self.ids}
        members: dict[int, int | None] = {
            int(s): (None if c is None else int(c))
            for s, c in self.db.execute(
                "SELECT id, claim_id FROM spans WHERE annotator = ?", [self.name]
            )
        }
        edges = [
            (int(a), int(b))
            for a, b in self.db.execute(
                "SELECT l.a, l.b FROM links l JOIN spans sa ON sa.id = l.a "
                "JOIN spans sb ON sb.id = l.b WHERE l.status = 'confirmed' "
                "AND sa.annotator = ? AND sb.annotator = ?",
                [self.name, self.name],
            )
        ]
        by_claim: dict[int | None, set[int]] = defaultdict(set)
        for span_id, claim in members.items():
            by_claim[claim].add(span_id)
        current = dict(self.db.execute("SELECT id, label FROM claims").fetchall())
        emptied: set[int] = set()
        for group in sorted(components(members, edges), key=min):
            label = next((labels[s] for s in sorted(group) if labels.get(s)), None)
            claims = {members[s] for s in group}
            claim = next(iter(claims)) if len(claims) == 1 else None
            if claim is not None and by_claim[claim] == set(group):
                if current.get(claim) != label:
                    self.db.execute(
                        "UPDATE claims SET label = ?, updated_at = ? WHERE id = ?",
                        [label, now(), claim],
                    )
                continue
            stamp = now()
            new = int(
                self.db.execute(
                    "INSERT INTO claims (label, created_at, updated_at) VALUES (?, ?, ?)",
                    [label, stamp, stamp],
                ).lastrowid
                or 0
            )
            self.db.conn.executemany(
                "UPDATE spans SET claim_id = ? WHERE id = ?", [(new, s) for s in group]
            )
            emptied.update(c for c in claims if c is not None)
        self.db.conn.executemany(
            "DELETE FROM claims WHERE id = ? AND NOT EXISTS "
            "(SELECT 1 FROM spans WHERE claim_id = claims.id)",
            [(c,) for c in sorted(emptied)],
        )

    def _relations(self) -> None:
        wanted: dict[tuple[int, int, str], tuple[str | None, str, str]] = {}
        for rel in self.layer.relations:
            if rel.source in self.ids and rel.target in self.ids and rel.source != rel.target:
                key = (self.ids[rel.source], self.ids[rel.target], rel.type)
                wanted[key] = (rel.note or None, rel.created, rel.updated)
        have = {
            (int(s), int(t), str(ty)): (int(i), n, str(c), str(u))
            for i, s, t, ty, n, c, u in self.db.execute(
                "SELECT id, source, target, type, note, created_at, updated_at FROM relations "
                "WHERE annotator = ?",
                [self.name],
            )
        }
        changed = 0
        for key, old in have.items():
            if key not in wanted:
                self.db.execute("DELETE FROM relations WHERE id = ?", [old[0]])
                changed += 1
        for key, values in sorted(wanted.items(), key=lambda kv: kv[0]):
            row = have.get(key)
            if row is None:
                self.db.execute(
                    "INSERT INTO relations (source, target, type, annotator, note, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [*key, self.name, *values],
                )
                changed += 1
            elif row[1:] != values:
                self.db.execute(
                    "UPDATE relations SET note = ?, created_at = ?, updated_at = ? WHERE id = ?",
                    [*values, row[0]],
                )
                changed += 1
        self.report.relations_changed += changed


# -- our own layer --------------------------------------------------------------


def layer_files(db: Database, me: str) -> dict[str, str]:
    """File name -> content of ``me``'s folder: deterministic for one layer."""
    spans = query_spans(db, annotator=me)
    labels = {int(i): lab for i, lab in db.execute("SELECT id, label FROM claims")}
    ids = span_ids(
        (s.id, Placed(me, s.article, s.start, s.end), (int(s.orphaned), s.quote)) for s in spans
    )
    lines: dict[str, list[tuple[tuple[int, int, str], str]]] = defaultdict(list)
    for s in spans:
        label = labels.get(s.claim_id) if s.claim_id is not None else None
        lines[s.article].append(((s.start, s.end, ids[s.id]), span_line(s, ids[s.id], label)))
    files = {
        ref_file(ref, ".jsonl"): "".join(text + "\n" for _, text in sorted(items))
        for ref, items in lines.items()
    }
    links: list[str] = []
    for a, b, st, sc, m, c, u in db.execute(
        "SELECT l.a, l.b, l.status, l.score, l.method, l.created_at, l.updated_at "
        "FROM links l JOIN spans sa ON sa.id = l.a JOIN spans sb ON sb.id = l.b "
        "WHERE l.status IN ('confirmed', 'rejected') AND sa.annotator = ? "
        "AND sb.annotator = ?",
        [me, me],
    ):
        first, second = sorted((ids[int(a)], ids[int(b)]))
        links.append(link_line(me, first, second, str(st), float(sc), str(m), c, u))
    links.sort()
    if links:
        files[LINKS] = "".join(text + "\n" for text in links)
    relations = sorted(
        relation_line(me, ids[int(s)], ids[int(t)], str(ty), n, str(c), str(u))
        for s, t, ty, n, c, u in db.execute(
            "SELECT r.source, r.target, r.type, r.note, r.created_at, r.updated_at "
            "FROM relations r JOIN spans ss ON ss.id = r.source JOIN spans st ON st.id = r.target "
            "WHERE r.annotator = ? AND ss.annotator = ? AND st.annotator = ?",
            [me, me, me],
        )
    )
    if relations:
        files[RELATIONS] = "".join(text + "\n" for text in relations)
    return files


def _write_own(
    db: Database,
    directory: Path,
    me: str,
    forbidden: frozenset[FileId],
    report: SyncReport,
    state: SyncState,
    signature: str,
) -> None:
    mine = directory / me
    articles = directory / ARTICLES
    for folder in (mine, articles):
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise ClaimmapError(f"{folder}: not a folder claimmap sync can write into")
        folder.mkdir(exist_ok=True)
    wanted: dict[Path, str] = {}
    # Our own record is kept under a name no analyst can have (names have no "/").
    key = f"{me}/written"
    regenerate = not state.unchanged(key, folder_digest(mine, "*.jsonl", forbidden), signature)
    if regenerate:
        wanted = {mine / name: text for name, text in layer_files(db, me).items()}
    else:
        # Our layer and our folder are as the last sync left them.
        report.unchanged += len(list(mine.glob("*.jsonl")))
    if not state.unchanged(
        ARTICLES, folder_digest(articles, "*.json", forbidden), articles_signature(db)
    ):
        for ref, row in _article_rows(db):
            wanted[articles / ref_file(ref, ".json")] = article_document(row)
    else:
        report.unchanged += len(list(articles.glob("*.json")))
    before = report.written + report.deleted
    for path, text in sorted(wanted.items()):
        _write_if_changed(path, text, forbidden, report)
    if regenerate:
        for stale in sorted(set(mine.glob("*.jsonl")) - set(wanted)):
            stale.unlink()
            report.deleted += 1
    if report.written + report.deleted > before:
        # One folder sync for all the renames, not one per file.
        fsync_dir(mine)
        fsync_dir(articles)
    state.record(key, folder_digest(mine, "*.jsonl", forbidden), signature)


def _write_if_changed(
    path: Path, text: str, forbidden: frozenset[FileId], report: SyncReport
) -> None:
    # Unchanged files are not rewritten: no new mtime, no fsync, nothing for git.
    if path.exists() and read_text(path, forbidden) == text:
        report.unchanged += 1
        return
    write_file(path, text.encode("utf-8"), sync_folder=False)
    report.written += 1
