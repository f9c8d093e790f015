"""Writing the current analyst's folder of a sync: only the articles that changed.

Building an article's file (a W3C annotation per span, JSON, timestamps) is what
a sync of a large layer spends its time on, and after a day's work most articles
are as the last sync wrote them.  So each article's file is recorded with two
digests: one of everything its bytes are made from (each span row of the layer
on that article, as ``query_spans`` reads it: offsets, quote, context, times,
orphan flag, note, page, tag names in order, database id; and the claim label
the span carries), and one of the bytes written.  Next time an article whose
digests both still hold is skipped without building a line.  Any change to what
the file is made from changes the first digest, whoever made it (claimmap,
another process, sqlite-utils by hand, stamping ``updated_at`` or not), and a
deleted span takes its row out of it; a file edited or removed in the folder
fails the second.  Either way the file is rebuilt and, if its bytes differ,
rewritten.

``_links.jsonl`` and ``_relations.jsonl`` are recorded the same way, their
digest made of their own rows and of the whole layer's (they name spans by
stable ids, which a change to any article can move).  A sync that changes
nothing thus reads the layer's rows and the folder's bytes, and builds nothing.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from claimmap.atomic_files import write_file
from claimmap.models import Span
from claimmap.safe_reading import FileId, read_capped
from claimmap.services.sync_files import (
    LINKS,
    RELATIONS,
    Placed,
    link_line,
    ref_file,
    relation_line,
    span_ids,
    span_line,
)
from claimmap.services.sync_read import MAX_FILE, read_text
from claimmap.services.sync_state import SyncState
from claimmap.store.span_listing import SPAN_FIELDS, as_row, layer_span_rows

# Part of every article digest: bump it when the same rows give other bytes (a
# change to the line format), so that every file is rebuilt once.
LINES_FORMAT = "sync-lines-1"


# Files written at once by ``write_pending``.
_WRITERS = 8


@dataclass
class Written:
    """What writing a folder did, file by file, and the files still to write."""

    written: int = 0
    unchanged: int = 0
    deleted: int = 0
    pending: dict[Path, str] = field(default_factory=dict)


def write_if_changed(path: Path, text: str, forbidden: frozenset[FileId], done: Written) -> None:
    """Queue ``text`` for ``path`` unless the file holds it already (no new mtime,
    no fsync, nothing for git); ``write_pending`` writes the queue."""
    if path.exists() and read_text(path, forbidden) == text:
        done.unchanged += 1
        return
    done.pending[path] = text


def write_pending(done: Written) -> None:
    """Write the queued files, several at a time.  Each is still fsynced before its
    rename (whole or absent); fsyncs issued together share the journal's commits,
    where one after another each waits for its own (223 files of 28 kB on ext4:
    1.6 s in turn, 0.16 s eight at a time).  The first error is raised once every
    write has ended."""
    jobs = sorted(done.pending.items())
    with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
        futures = [
            pool.submit(write_file, path, text.encode("utf-8"), sync_folder=False)
            for path, text in jobs
        ]
    for future in futures:
        future.result()
    done.written += len(jobs)
    done.pending.clear()


def write_layer(
    db: Database, folder: Path, me: str, forbidden: frozenset[FileId], state: SyncState
) -> Written:
    """Bring ``folder`` in line with ``me``'s layer (the caller syncs the folder)."""
    layer = _Layer(db, me)
    # Recorded under the name the whole-folder record had (names have no "/", so
    # no analyst's own record can take it); an old value reads as no record.
    key = f"{me}/written"
    recorded = state.files(key)
    record: dict[str, tuple[str, str]] = {}
    done = Written()

    def keep(name: str, digest: str, build: Callable[[], str]) -> None:
        path = folder / name
        old = recorded.get(name)
        if old is not None and old[0] == digest and _file_digest(path, forbidden) == old[1]:
            done.unchanged += 1
            record[name] = old
            return
        text = build()
        if text:
            write_if_changed(path, text, forbidden, done)
            record[name] = (digest, hashlib.sha256(text.encode("utf-8")).hexdigest())

    for ref, digest in sorted(layer.digests.items()):
        keep(ref_file(ref, ".jsonl"), digest, partial(layer.article_text, ref))
    # Both name spans by their stable ids, which any span of the layer can move:
    # their digests take in the whole layer's.
    whole = _digest(sorted(layer.digests.items()))
    links = _link_rows(db, me)
    keep(LINKS, _digest((whole, links)), partial(_links_text, me, links, layer.ids))
    relations = _relation_rows(db, me)
    keep(RELATIONS, _digest((whole, relations)), partial(_relations_text, me, relations, layer.ids))
    for stale in sorted(p for p in folder.glob("*.jsonl") if p.name not in record):
        stale.unlink()
        done.deleted += 1
    state.record_files(key, record)
    return done


class _Layer:
    """One analyst's spans as plain rows grouped by article, with each article's
    digest; models, lines and stable ids are made only when asked for."""

    def __init__(self, db: Database, me: str) -> None:
        self.me = me
        self.columns, rows = list(SPAN_FIELDS), layer_span_rows(db.conn, me)
        col = {name: n for n, name in enumerate(self.columns)}
        self._ref, self._claim = col["article"], col["claim_id"]
        self._place = (col["id"], col["start"], col["end"], col["orphaned"], col["quote"])
        self.labels: dict[int, str | None] = {
            int(i): label
            for i, label in db.execute(
                "SELECT id, label FROM claims WHERE id IN "
                "(SELECT claim_id FROM spans WHERE annotator = ?)",
                [me],
            )
        }
        self.rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for row in rows:
            self.rows[str(row[self._ref])].append(row)
        self.digests = {
            ref: _digest([(row, self._label(row[self._claim])) for row in article])
            for ref, article in self.rows.items()
        }
        self._ids: dict[int, str] | None = None

    def _label(self, claim_id: int | None) -> str | None:
        return self.labels.get(claim_id) if claim_id is not None else None

    def ids(self) -> dict[int, str]:
        """Database span id -> stable id, for the whole layer (computed once)."""
        if self._ids is None:
            i_id, i_start, i_end, i_orphaned, i_quote = self._place
            self._ids = span_ids(
                (
                    int(row[i_id]),
                    Placed(self.me, ref, int(row[i_start]), int(row[i_end])),
                    (int(row[i_orphaned]), str(row[i_quote])),
                )
                for ref, article in self.rows.items()
                for row in article
            )
        return self._ids

    def article_text(self, ref: str) -> str:
        ids = self.ids()
        lines: list[tuple[tuple[int, int, str], str]] = []
        for row in self.rows[ref]:
            span = Span(**as_row(row))
            stable = ids[span.id]
            line = span_line(span, stable, self._label(span.claim_id))
            lines.append(((span.start, span.end, stable), line))
        return "".join(text + "\n" for _, text in sorted(lines))


def _digest(value: object) -> str:
    # repr of str, int, float and None is exact and stable, and escapes what UTF-8
    # cannot hold (a lone surrogate), so equal digests mean equal rows.
    return hashlib.sha256(repr((LINES_FORMAT, value)).encode("utf-8")).hexdigest()


def _file_digest(path: Path, forbidden: frozenset[FileId]) -> str | None:
    if not path.is_file():
        return None
    data = read_capped(path, MAX_FILE, advice="is this a sync folder?", forbidden=forbidden)
    return hashlib.sha256(data).hexdigest()


_Row = tuple[Any, ...]


def _link_rows(db: Database, me: str) -> list[_Row]:
    return db.execute(
        "SELECT l.a, l.b, l.status, l.score, l.method, l.created_at, l.updated_at "
        "FROM links l JOIN spans sa ON sa.id = l.a JOIN spans sb ON sb.id = l.b "
        "WHERE l.status IN ('confirmed', 'rejected') AND sa.annotator = ? "
        "AND sb.annotator = ? ORDER BY l.id",
        [me, me],
    ).fetchall()


def _links_text(me: str, rows: list[_Row], ids: Callable[[], dict[int, str]]) -> str:
    stable = ids()
    links: list[str] = []
    for a, b, st, sc, m, c, u in rows:
        first, second = sorted((stable[int(a)], stable[int(b)]))
        links.append(link_line(me, first, second, str(st), float(sc), str(m), c, u))
    return "".join(text + "\n" for text in sorted(links))


def _relation_rows(db: Database, me: str) -> list[_Row]:
    return db.execute(
        "SELECT r.source, r.target, r.type, r.note, r.created_at, r.updated_at "
        "FROM relations r JOIN spans ss ON ss.id = r.source JOIN spans st ON st.id = r.target "
        "WHERE r.annotator = ? AND ss.annotator = ? AND st.annotator = ? ORDER BY r.id",
        [me, me, me],
    ).fetchall()


def _relations_text(me: str, rows: list[_Row], ids: Callable[[], dict[int, str]]) -> str:
    stable = ids()
    relations = sorted(
        relation_line(me, stable[int(s)], stable[int(t)], str(ty), n, str(c), str(u))
        for s, t, ty, n, c, u in rows
    )
    return "".join(text + "\n" for text in relations)
