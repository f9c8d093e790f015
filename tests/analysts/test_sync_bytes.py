"""The bytes ``claimmap sync`` writes for a fixed database, pinned.

Git sees every byte of a sync folder, and two clones must write the same file
the same way, so a change to these bytes is a format change: it needs a reason,
and ``sync_own.LINES_FORMAT`` bumped so that every analyst's folder is rebuilt
once (the skip would otherwise keep the old bytes for unchanged articles).  The
digests below are those of the files the sync code wrote before it learned to
skip unchanged articles.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlite_utils import Database

from claimmap.services.analyst import acting_as
from claimmap.services.sync import sync
from claimmap.store import open_db, write_unit

STAMP = "2024-01-01T00:00:00.000000+00:00"
LATER = "2024-02-01T08:30:00.250000+00:00"
TEXTS = {
    "news-1": "美日两国自二战后即开展技术合作。\n人工智能😊治理，𠀀规则与标准。\n",
    "paper 2": "Cooperation on AI: café policy.\nSecond page starts here, with more text.\n",
}
# (article, start, end, tags, note, orphaned, claim): two spans share a place in
# "news-1" (one orphaned), so their stable ids differ only by their rank.
SPANS = [
    ("news-1", 0, 4, ["motive"], "why\u2028now", 0, 1),
    ("news-1", 0, 4, ["impact"], None, 1, 2),
    ("news-1", 17, 24, ["limitation", "impact"], None, 0, 3),
    ("paper 2", 0, 11, ["motive"], "the same claim", 0, 1),
    ("paper 2", 32, 43, ["recommendation"], None, 0, 4),
]
EXPECTED = {
    "alice/_links.jsonl": "f71ef6a6eee865d75c85691f4daeaa4f74ccd41145c6a82fac950b35dc80df52",
    "alice/_relations.jsonl": "53c99a7f496e8b556d02cd45640bac930007eb65a02f6b9f94e970a8bfc7eea6",
    "alice/news-1.jsonl": "6db27236f52199e281d37ab790cc4a40e2fc2f37d1257e2d69fe4d914c4f1122",
    "alice/paper_2-2b1a8cf132.jsonl": "1b3b79d90913c22dab6a7b33c0e3785b15138bdf1cc9bf08bac2b088560921b1",
    "articles/news-1.json": "ec0545416583e6e62c5397ef99bfc46daa3956735e6e559c9a0b7d2a782620dc",
    "articles/paper_2-2b1a8cf132.json": "659f0fe69caf8cf6d2f69ce1a05a5a84c7954400e3b0f14b5d48047ea2eca415",
}


def _build(db: Database) -> None:
    tag = {str(n): int(i) for i, n in db.execute("SELECT id, name FROM tags")}
    with write_unit(db):
        ids = {}
        for n, (ref, text) in enumerate(TEXTS.items(), start=1):
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            db.execute(
                "INSERT INTO articles (id, ref, source, title, script, encoding, raw_sha256, "
                "text_sha256, text, chars, imported_at, updated_at) "
                "VALUES (?, ?, ?, ?, 'simplified', 'utf-8', ?, ?, ?, ?, ?, ?)",
                [n, ref, f"{ref}.txt", ref.title(), sha, sha, text, len(text), STAMP, STAMP],
            )
            ids[ref] = (n, text, sha)
        db.execute(
            'INSERT INTO article_pages (article_id, seq, start, "end", label) VALUES '
            "(2, 0, 0, 32, 'iv'), (2, 1, 32, 73, NULL)"
        )
        for claim, label in ((1, "AI cooperation"), (2, None), (3, None), (4, None)):
            db.execute(
                "INSERT INTO claims (id, label, created_at, updated_at) VALUES (?, ?, ?, ?)",
                [claim, label, STAMP, STAMP],
            )
        for span_id, (ref, start, end, tags, note, orphaned, claim) in enumerate(SPANS, 1):
            article, text, sha = ids[ref]
            created = "2024-01-01T08:00:00+08:00" if span_id == 3 else STAMP
            db.execute(
                'INSERT INTO spans (id, article_id, start, "end", quote, prefix, suffix, '
                "text_sha256, annotator, claim_id, orphaned, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'alice', ?, ?, ?, ?)",
                [span_id, article, start, end, text[start:end], text[max(0, start - 5) : start],
                 text[end : end + 5], sha, claim, orphaned, created, LATER],
            )  # fmt: skip
            db.conn.executemany(
                "INSERT INTO span_tags (span_id, tag_id) VALUES (?, ?)",
                [(span_id, tag[t]) for t in tags],
            )
            if note is not None:
                db.execute(
                    "INSERT INTO notes (span_id, body, author, created_at, updated_at) "
                    "VALUES (?, ?, 'alice', ?, ?)",
                    [span_id, note, STAMP, LATER],
                )
        db.execute(
            "INSERT INTO links (a, b, score, status, method, annotator, created_at, updated_at) "
            "VALUES (1, 4, 87.5, 'confirmed', 'manual', 'alice', ?, ?), "
            "(3, 5, 41, 'rejected', 'fuzzy', 'alice', ?, ?)",
            [STAMP, LATER, STAMP, STAMP],
        )
        db.execute(
            "INSERT INTO relations (source, target, type, note, annotator, created_at, "
            "updated_at) VALUES (3, 1, 'attacks', 'a limit', 'alice', ?, ?)",
            [STAMP, LATER],
        )


def test_sync_writes_the_pinned_bytes(tmp_path: Path) -> None:
    db = open_db(tmp_path / "pinned.db")
    try:
        _build(db)
        share = tmp_path / "share"
        with acting_as("alice"):
            sync(db, share)
        got = {
            str(p.relative_to(share)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(share.rglob("*"))
            if p.is_file()
        }
    finally:
        db.close()
    assert got == EXPECTED
