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

``_links.jsonl`` and ``_relations.jsonl`` are rebuilt every time: they name
spans by stable ids, which move with any span of any article, and they are a
few lines per hundred spans.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from claimmap.atomic_files import write_file
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
from claimmap.store.spans import layer_span_rows, span_from_row

# Part of every article digest: bump it when the same rows give other bytes (a
# change to the line format), so that every file is rebuilt once.
LINES_FORMAT = "sync-lines-1"


@dataclass
class Written:
    """What writing a folder did, file by file."""

    written: int = 0
    unchanged: int = 0
    deleted: int = 0


def write_if_changed(path: Path, text: str, forbidden: frozenset[FileId], done: Written) -> None:
    # Unchanged files are not rewritten: no new mtime, no fsync, nothing for git.
    if path.exists() and read_text(path, forbidden) == text:
        done.unchanged += 1
        return
    write_file(path, text.encode("utf-8"), sync_folder=False)
    done.written += 1


def write_layer(
    db: Database, folder: Path, me: str, forbidden: frozenset[FileId], state: SyncState
) -> Written:
    """Bring ``folder`` in line with ``me``'s layer (the caller syncs the folder)."""
    done = Written()
    columns, rows = layer_span_rows(db, me)
    col = {name: n for n, name in enumerate(columns)}
    i_id, i_ref, i_start, i_end = col["id"], col["article"], col["start"], col["end"]
    i_orphaned, i_quote, i_claim = col["orphaned"], col["quote"], col["claim_id"]
    labels: dict[int, str | None] = {
        int(i): label
        for i, label in db.execute(
            "SELECT id, label FROM claims WHERE id IN "
            "(SELECT claim_id FROM spans WHERE annotator = ?)",
            [me],
        )
    }
    by_ref: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        by_ref[str(row[i_ref])].append(row)
    ids = span_ids(
        (
            int(r[i_id]),
            Placed(me, str(r[i_ref]), int(r[i_start]), int(r[i_end])),
            (int(r[i_orphaned]), str(r[i_quote])),
        )
        for r in rows
    )
    # Recorded under the name the whole-folder record had (names have no "/", so
    # no analyst's own record can take it); an old value reads as no record.
    key = f"{me}/written"
    recorded = state.files(key)
    record: dict[str, tuple[str, str]] = {}
    for ref, article_rows in sorted(by_ref.items()):
        name = ref_file(ref, ".jsonl")
        path = folder / name
        digest = _rows_digest(
            [(row, labels.get(row[i_claim]) if row[i_claim] is not None else None)
             for row in article_rows]
        )  # fmt: skip
        old = recorded.get(name)
        if old is not None and old[0] == digest and _file_digest(path, forbidden) == old[1]:
            done.unchanged += 1
            record[name] = old
            continue
        lines: list[tuple[tuple[int, int, str], str]] = []
        for row in article_rows:
            span = span_from_row(columns, row)
            label = labels.get(span.claim_id) if span.claim_id is not None else None
            stable = ids[span.id]
            lines.append(((span.start, span.end, stable), span_line(span, stable, label)))
        text = "".join(line + "\n" for _, line in sorted(lines))
        write_if_changed(path, text, forbidden, done)
        record[name] = (digest, hashlib.sha256(text.encode("utf-8")).hexdigest())
    wanted = set(record)
    for name, text in ((LINKS, _links(db, me, ids)), (RELATIONS, _relations(db, me, ids))):
        if text:
            write_if_changed(folder / name, text, forbidden, done)
            wanted.add(name)
    for stale in sorted(p for p in folder.glob("*.jsonl") if p.name not in wanted):
        stale.unlink()
        done.deleted += 1
    state.record_files(key, record)
    return done


def _rows_digest(rows: list[tuple[tuple[Any, ...], str | None]]) -> str:
    # repr of str, int, float and None is exact and stable, and escapes what UTF-8
    # cannot hold (a lone surrogate), so equal digests mean equal rows.
    return hashlib.sha256(repr((LINES_FORMAT, rows)).encode("utf-8")).hexdigest()


def _file_digest(path: Path, forbidden: frozenset[FileId]) -> str | None:
    if not path.is_file():
        return None
    data = read_capped(path, MAX_FILE, advice="is this a sync folder?", forbidden=forbidden)
    return hashlib.sha256(data).hexdigest()


def _links(db: Database, me: str, ids: dict[int, str]) -> str:
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
    return "".join(text + "\n" for text in sorted(links))


def _relations(db: Database, me: str, ids: dict[int, str]) -> str:
    relations = sorted(
        relation_line(me, ids[int(s)], ids[int(t)], str(ty), n, str(c), str(u))
        for s, t, ty, n, c, u in db.execute(
            "SELECT r.source, r.target, r.type, r.note, r.created_at, r.updated_at "
            "FROM relations r JOIN spans ss ON ss.id = r.source JOIN spans st ON st.id = r.target "
            "WHERE r.annotator = ? AND ss.annotator = ? AND st.annotator = ?",
            [me, me, me],
        )
    )
    return "".join(text + "\n" for text in relations)
