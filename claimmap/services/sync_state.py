"""What the last sync saw, so the next one can skip what has not changed since.

A teammate who did not work since the last sync leaves their folder with the
same bytes, and their layer in this database as the last sync left it: reading
and diffing 20,000 annotations would then change nothing.  So each sync records,
per sync folder and per layer, a digest of the folder's files and a signature of
the layer in this database; when both are unchanged the layer is not read.  The
signature is made of counts, sums of ids and latest update times: ids are never
reused and every claimmap write stamps ``updated_at``, so any edit to the layer
(by a sync, the CLI or the app) changes it.

Recorded in ``app_state`` under ``sync.<folder id>.<name>``, in the sync's own
write unit.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlite_utils import Database

from claimmap.safe_reading import FileId, read_capped
from claimmap.services.sync_read import MAX_FILE

_SIGNATURE_SQL = """
SELECT
  (SELECT count(*) || ':' || total(id) || ':' || ifnull(max(updated_at), '') || ':' ||
          total(orphaned) FROM spans WHERE annotator = :who),
  (SELECT count(*) || ':' || total(st.tag_id) FROM span_tags st
     JOIN spans s ON s.id = st.span_id WHERE s.annotator = :who),
  (SELECT count(*) || ':' || ifnull(max(n.updated_at), '') FROM notes n
     JOIN spans s ON s.id = n.span_id WHERE s.annotator = :who),
  (SELECT count(*) || ':' || total(l.id) || ':' || ifnull(max(l.updated_at), '') || ':' ||
          total(l.status = 'confirmed') FROM links l
     JOIN spans s ON s.id = l.a WHERE s.annotator = :who),
  (SELECT count(*) || ':' || total(id) || ':' || ifnull(max(updated_at), '')
     FROM relations WHERE annotator = :who),
  (SELECT count(*) || ':' || total(c.id) || ':' || ifnull(max(c.updated_at), '') FROM claims c
     WHERE c.id IN (SELECT claim_id FROM spans WHERE annotator = :who))
"""


def layer_signature(db: Database, who: str) -> str:
    row = db.execute(_SIGNATURE_SQL, {"who": who}).fetchone()
    return "|".join(str(v) for v in row)


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
        value = json.dumps(parts)
        if self.seen.get(name) == value:
            return
        self.db.execute(
            "INSERT INTO app_state (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [self.prefix + name, value],
        )
        self.seen[name] = value
