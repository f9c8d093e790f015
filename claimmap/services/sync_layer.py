"""Making one teammate's layer in the database equal to their sync folder.

A diff, not a reload: spans are matched by their stable ids (``sync_files``),
and only what differs is written, so reading an unchanged folder changes no row
and claims that already match keep their ids.  Runs inside the sync's write unit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlite_utils import Database

from claimmap.linking.claims import components
from claimmap.services.annotating import text_sha256
from claimmap.services.codebook import add_tag
from claimmap.services.sync_files import Placed, span_ids
from claimmap.services.sync_read import Layer, LinkRecord, SpanRecord
from claimmap.store.clock import now

if TYPE_CHECKING:
    from claimmap.services.sync import SyncReport


@dataclass(frozen=True, slots=True)
class _Local:
    id: int
    record: SpanRecord
    claim: int | None


class LayerSync:
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
