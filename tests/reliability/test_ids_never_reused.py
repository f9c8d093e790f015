"""A deleted span, link or claim id never comes back meaning something else."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from claimmap.services.annotating import annotate_quote, delete_span
from claimmap.services.importing import import_paths
from claimmap.services.linking import detach_span, set_pair_status
from claimmap.store import open_db
from claimmap.store.schema import MIGRATIONS

from .helpers import SEED_FILES


def test_span_link_and_claim_ids_are_not_reused_after_a_delete(tmp_path: Path) -> None:
    db = open_db(tmp_path / "ids.db")
    import_paths(db, [str(f) for f in SEED_FILES[:2]])
    a, b = SEED_FILES[0].stem, SEED_FILES[1].stem
    first = annotate_quote(db, a, "美日", ["motive"], occurrence=1)
    other = annotate_quote(db, b, "人工智能", ["motive"], occurrence=1)
    link = set_pair_status(db, first.id, other.id, "confirmed", score=50.0).id
    claim = db.execute("SELECT claim_id FROM spans WHERE id = ?", [first.id]).fetchone()[0]
    detach_span(db, first.id)  # the claim splits: one of the two claim ids goes away
    claims_before = {r[0] for r in db.execute("SELECT id FROM claims")}
    delete_span(db, first.id)
    delete_span(db, other.id)

    again = annotate_quote(db, a, "美日", ["motive"], occurrence=1)
    again_other = annotate_quote(db, b, "人工智能", ["motive"], occurrence=1)
    new_link = set_pair_status(db, again.id, again_other.id, "confirmed", score=50.0).id
    new_claim = db.execute("SELECT claim_id FROM spans WHERE id = ?", [again.id]).fetchone()[0]

    assert again.id > max(first.id, other.id)
    assert again_other.id > again.id
    assert new_link > link
    assert new_claim not in claims_before | {claim}
    db.close()


def test_an_older_database_keeps_its_rows_through_the_rebuild(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    # A database as the first release wrote it: only the initial migration applied.
    legacy = Database(sqlite3.connect(path, isolation_level=None))
    legacy.execute(
        "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    legacy.execute("INSERT INTO schema_migrations VALUES ('0001_initial', '2026-01-01T00:00:00')")
    dict(MIGRATIONS)["0001_initial"](legacy)
    stamp = "2026-01-01T00:00:00Z"
    legacy.execute(
        "INSERT INTO articles (id, ref, source, title, script, encoding, raw_sha256, "
        "text_sha256, text, chars, imported_at, updated_at) "
        "VALUES (1, 'a', 'a.txt', 'A', 'simplified', 'utf-8', 'r', 't', '美日合作', 4, ?, ?)",
        [stamp, stamp],
    )
    for claim in (1, 2):
        legacy.execute("INSERT INTO claims VALUES (?, NULL, ?, ?)", [claim, stamp, stamp])
    for span, (start, end) in ((1, (0, 2)), (2, (2, 4))):
        legacy.execute(
            'INSERT INTO spans (id, article_id, start, "end", quote, prefix, suffix, text_sha256, '
            "annotator, claim_id, created_at, updated_at) VALUES (?, 1, ?, ?, ?, '', '', 't', "
            "'x', ?, ?, ?)",
            [span, start, end, "美日合作"[start:end], span, stamp, stamp],
        )
        legacy.execute("INSERT INTO span_tags VALUES (?, 1)", [span])
    legacy.execute("INSERT INTO notes VALUES (1, 2, 'n', 'x', ?, ?)", [stamp, stamp])
    legacy.execute(
        "INSERT INTO links VALUES (1, 1, 2, 50, 'suggested', 'linker', ?, ?)", [stamp, stamp]
    )
    legacy.close()

    db = open_db(path)
    try:
        counts = {
            t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("spans", "span_tags", "notes", "links", "claims")
        }
        assert counts == {"spans": 2, "span_tags": 2, "notes": 1, "links": 1, "claims": 2}
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        delete_span(db, 2)  # the note and the link go with it, through the rebuilt keys
        assert db.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM links").fetchone()[0] == 0
        assert annotate_quote(db, "a", "日合", ["motive"]).id == 3
    finally:
        db.close()
