"""What the last sync saw, so the next one can skip what has not changed since.

A teammate who did not work since the last sync leaves their folder with the
same bytes, and their layer in this database as the last sync left it: reading
and diffing 20,000 annotations would then change nothing.  So each sync records,
per sync folder and per layer, a digest of the folder's files and a signature of
the layer in this database; when both are unchanged the layer is not read.  The
signature is made of counts, sums of ids and latest update times of the layer's
spans, links, relations and claims: ids are never reused and every claimmap
write stamps ``updated_at`` (a tag or note change stamps its span), so any edit
to the layer (by a sync, the CLI or the app) changes it.

Recorded in ``app_state`` under ``sync.<folder id>.<name>``, in the sync's own
write unit.  The analyst's own folder is recorded file by file instead, with
digests of the rows each file is made from (``sync_own``): writing is where a
sync spends its time, and one changed span should rebuild one file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlite_utils import Database

from claimmap.safe_reading import FileId, read_capped
from claimmap.services.sync_read import MAX_FILE

# One grouped pass per table for every layer at once: spans has no index on its
# annotator, so a query per layer would scan it once per layer and per table.
# Tags and notes need no pass of their own: changing either stamps the span.
_SIGNATURE_SQL = (
    "SELECT annotator, count(*), total(id), max(updated_at), total(orphaned) FROM spans "
    "GROUP BY annotator",
    "SELECT s.annotator, count(*), total(l.id), max(l.updated_at), total(l.status = 'confirmed') "
    "FROM links l JOIN spans s ON s.id = l.a GROUP BY s.annotator",
    "SELECT annotator, count(*), total(id), max(updated_at) FROM relations GROUP BY annotator",
    "SELECT s.annotator, count(DISTINCT c.id), total(DISTINCT c.id), max(c.updated_at) "
    "FROM spans s JOIN claims c ON c.id = s.claim_id GROUP BY s.annotator",
)


def data_version(db: Database) -> int:
    """Changes when another connection commits (SQLite's ``PRAGMA data_version``)."""
    return int(db.execute("PRAGMA data_version").fetchone()[0])


def layer_signatures(db: Database) -> dict[str, str]:
    """Each layer's signature (a layer with no rows anywhere has none)."""
    parts: dict[str, list[str]] = {}
    for n, sql in enumerate(_SIGNATURE_SQL):
        for who, *values in db.execute(sql):
            row = parts.setdefault(str(who), [""] * len(_SIGNATURE_SQL))
            row[n] = ":".join(str(v) for v in values)
    return {who: "|".join(row) for who, row in parts.items()}


def articles_signature(db: Database) -> str:
    row = db.execute(
        "SELECT count(*) || ':' || total(id) || ':' || ifnull(max(updated_at), '') FROM articles"
    ).fetchone()
    return str(row[0])


def folder_digest(folder: Path, pattern: str, forbidden: frozenset[FileId]) -> str:
    """A digest of the names and bytes of the folder's files matching ``pattern``."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob(pattern)):
        data = read_capped(path, MAX_FILE, advice="is this a sync folder?", forbidden=forbidden)
        digest.update(f"{path.name}\x00{len(data)}\x00".encode())
        digest.update(data)
    return digest.hexdigest()


class SyncState:
    """The recorded digests of one sync folder, read once and written when changed."""

    def __init__(self, db: Database, directory: Path) -> None:
        self.db = db
        folder_id = hashlib.sha256(str(directory.resolve()).encode("utf-8")).hexdigest()[:16]
        self.prefix = f"sync.{folder_id}."
        self.seen: dict[str, str] = {
            str(k)[len(self.prefix) :]: str(v)
            for k, v in db.execute(
                "SELECT key, value FROM app_state WHERE substr(key, 1, ?) = ?",
                [len(self.prefix), self.prefix],
            )
        }

    def unchanged(self, name: str, *parts: str) -> bool:
        return self.seen.get(name) == json.dumps(parts)

    def record(self, name: str, *parts: str) -> None:
        """Inside the caller's write unit."""
        self._store(name, json.dumps(parts))

    def files(self, name: str) -> dict[str, tuple[str, str]]:
        """A per-file record kept by ``record_files`` (empty if there is none, or if
        the stored value is not one: it came from the database, which anyone can edit)."""
        try:
            value = json.loads(self.seen.get(name, "{}"))
        except ValueError:
            return {}
        if not isinstance(value, dict):
            return {}
        return {
            str(k): (v[0], v[1])
            for k, v in value.items()
            if isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v)
        }

    def record_files(self, name: str, files: dict[str, tuple[str, str]]) -> None:
        """Inside the caller's write unit."""
        self._store(name, json.dumps(files, sort_keys=True, separators=(",", ":")))

    def _store(self, name: str, value: str) -> None:
        if self.seen.get(name) == value:
            return
        self.db.execute(
            "INSERT INTO app_state (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [self.prefix + name, value],
        )
        self.seen[name] = value
