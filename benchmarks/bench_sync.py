"""Sync benchmark: 5 analysts x 500 articles x 40 spans each (100,000 spans).

Generates the team's work straight into one database (bulk inserts), writes each
analyst's folder with ``claimmap sync`` as that analyst, then times, on a
teammate's own database:

* the first full sync of an empty database (500 articles and 5 layers read);
* the changed analyst's own sync, after changing 300 spans (100 retagged, 100
  deleted, 100 added): it writes the files of the articles that changed (goal:
  at most 5 s).  Before it, that analyst syncs once with nothing changed, to
  read the layers written after their first sync, so the timed sync is their
  own writing and nothing else;
* a teammate's sync after that one (goal: at most 5 s);
* a sync when nothing changed (no file written, no row changed).

Each phase prints wall and CPU time, the process's peak resident memory so far
(``ru_maxrss``) and the 1-minute load average when it ended (the machine may be
shared: compare CPU times when it is loaded); ``--tracemalloc`` adds each
phase's peak Python allocation (slower: it traces every allocation).

    python benchmarks/bench_sync.py [--analysts N] [--articles N] [--spans N] [--tracemalloc]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database

from claimmap.anchoring import context
from claimmap.services.analyst import acting_as
from claimmap.services.sync import SyncReport, sync
from claimmap.store import open_db, write_unit

T = TypeVar("T")
STAMP = "2024-01-01T00:00:00.000000+00:00"
LATER = "2024-02-01T00:00:00.000000+00:00"
WORDS = ["人工智能", "合作", "供应链", "安全", "治理", "规则", "美日", "欧盟", "技术", "标准"]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def generate(db: Database, analysts: list[str], n_articles: int, n_spans: int) -> None:
    """Articles, and per analyst ``n_spans`` spans per article (1-2 codes each),
    a confirmed link on every 20th span and a relation on every 50th."""
    rng = random.Random(7)
    tag_ids = [int(r[0]) for r in db.execute("SELECT id FROM tags ORDER BY ordinal")]
    with write_unit(db):
        texts: list[str] = []
        for i in range(n_articles):
            text = "".join(
                rng.choice(WORDS) + ("。\n" if k % 12 == 11 else "，") for k in range(n_spans * 12)
            )
            texts.append(text)
            db.execute(
                "INSERT INTO articles (id, ref, source, title, script, encoding, raw_sha256, "
                "text_sha256, text, chars, imported_at, updated_at) "
                "VALUES (?, ?, ?, ?, 'simplified', 'utf-8', ?, ?, ?, ?, ?, ?)",
                [i + 1, f"a{i:04d}", f"a{i:04d}.txt", f"Article {i}", _sha(text), _sha(text),
                 text, len(text), STAMP, STAMP],
            )  # fmt: skip
        span_id = 0
        for who in analysts:
            mine: list[int] = []
            for article, text in enumerate(texts, start=1):
                step = len(text) // n_spans
                for k in range(n_spans):
                    start = k * step + rng.randrange(0, step // 2)
                    end = start + rng.randrange(4, step // 2)
                    span_id += 1
                    prefix, suffix = context(text, start, end)
                    db.execute(
                        "INSERT INTO claims (id, label, created_at, updated_at) "
                        "VALUES (?, NULL, ?, ?)",
                        [span_id, STAMP, STAMP],
                    )
                    db.execute(
                        'INSERT INTO spans (id, article_id, start, "end", quote, prefix, suffix, '
                        "text_sha256, annotator, claim_id, orphaned, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                        [span_id, article, start, end, text[start:end], prefix, suffix,
                         _sha(text), who, span_id, STAMP, STAMP],
                    )  # fmt: skip
                    db.conn.executemany(
                        "INSERT INTO span_tags (span_id, tag_id) VALUES (?, ?)",
                        [(span_id, t) for t in rng.sample(tag_ids, rng.randrange(1, 3))],
                    )
                    mine.append(span_id)
            # Pairs across articles: span k of one article with span k of the next.
            for n in range(0, len(mine) - n_spans, 20):
                a, b = mine[n], mine[n + n_spans]
                db.execute(
                    "INSERT INTO links (a, b, score, status, method, annotator, created_at, "
                    "updated_at) VALUES (?, ?, 80, 'confirmed', 'manual', ?, ?, ?)",
                    [a, b, who, STAMP, STAMP],
                )
                # Chains of links make claims of several spans: b joins a's claim.
                claim = int(
                    db.execute("SELECT claim_id FROM spans WHERE id = ?", [a]).fetchone()[0]
                )
                db.execute("UPDATE spans SET claim_id = ? WHERE id = ?", [claim, b])
                db.execute("DELETE FROM claims WHERE id = ?", [b])
                db.execute("UPDATE claims SET label = ? WHERE id = ?", [f"claim {claim}", claim])
            for n in range(1, len(mine) - n_spans, 50):
                db.execute(
                    "INSERT INTO relations (source, target, type, annotator, created_at, "
                    "updated_at) VALUES (?, ?, 'supports', ?, ?, ?)",
                    [mine[n], mine[n + n_spans], who, STAMP, STAMP],
                )


def change_layer(db: Database, who: str, n: int = 100) -> None:
    """One analyst's day: ``n`` spans retagged, ``n`` deleted, ``n`` added."""
    rng = random.Random(11)
    ids = [int(r[0]) for r in db.execute("SELECT id FROM spans WHERE annotator = ?", [who])]
    chosen = rng.sample(ids, 2 * n)
    impact = int(db.execute("SELECT id FROM tags WHERE name = 'impact'").fetchone()[0])
    with write_unit(db):
        for span_id in chosen[:n]:
            db.execute("INSERT OR IGNORE INTO span_tags VALUES (?, ?)", [span_id, impact])
            db.execute("UPDATE spans SET updated_at = ? WHERE id = ?", [LATER, span_id])
        for span_id in chosen[n:]:
            db.execute("DELETE FROM spans WHERE id = ?", [span_id])
        db.execute("DELETE FROM claims WHERE id NOT IN (SELECT claim_id FROM spans)")
        articles = [(int(i), str(t)) for i, t in db.execute("SELECT id, text FROM articles")]
        for k in range(n):
            article, text = rng.choice(articles)
            start = rng.randrange(0, len(text) - 10)
            end = start + 5 + k % 4
            prefix, suffix = context(text, start, end)
            claim = db.execute(
                "INSERT INTO claims (label, created_at, updated_at) VALUES (NULL, ?, ?)",
                [LATER, LATER],
            ).lastrowid
            span = db.execute(
                'INSERT INTO spans (article_id, start, "end", quote, prefix, suffix, text_sha256, '
                "annotator, claim_id, orphaned, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                [article, start, end, text[start:end], prefix, suffix, _sha(text), who, claim,
                 LATER, LATER],
            ).lastrowid  # fmt: skip
            db.execute("INSERT INTO span_tags VALUES (?, ?)", [span, impact])


def timed(label: str, fn: Callable[[], T], trace: bool) -> T:
    if trace:
        tracemalloc.start()
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = ""
    if trace:
        peak = f", peak Python allocation {tracemalloc.get_traced_memory()[1] / 2**20:.0f} MB"
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[0]
    print(
        f"{label:<58} {wall:7.2f} s wall, {cpu:6.2f} s CPU, max RSS {rss:.0f} MB, "
        f"load {load:.1f}{peak}"
    )
    return result


def synced(db: Database, share: Path, who: str) -> Callable[[], SyncReport]:
    def run() -> SyncReport:
        with acting_as(who):
            return sync(db, share)

    return run


def describe(report: SyncReport) -> str:
    return (
        f"  files written {report.written}, unchanged {report.unchanged}, deleted "
        f"{report.deleted}; articles added {report.articles_added}; spans added "
        f"{report.spans_added}, updated {report.spans_updated}, deleted {report.spans_deleted}; "
        f"links changed {report.links_changed}, relations changed {report.relations_changed}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--analysts", type=int, default=5)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--spans", type=int, default=40, help="spans per analyst per article")
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    names = [f"analyst{i}" for i in range(args.analysts)]
    trace = bool(args.tracemalloc)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        share = root / "share"
        team = open_db(root / "team.db")
        total = args.analysts * args.articles * args.spans
        timed(
            f"generate {args.analysts} x {args.articles} x {args.spans} ({total:,} spans)",
            lambda: generate(team, names, args.articles, args.spans),
            trace,
        )
        for who in names:
            report = timed(f"first write of {who}'s layer", synced(team, share, who), trace)
        print(describe(report))
        mine = open_db(root / "teammate.db")
        report = timed("first full sync of an empty database", synced(mine, share, "me"), trace)
        print(describe(report))
        report = timed(
            f"{names[1]} reads the layers written after theirs",
            synced(team, share, names[1]),
            trace,
        )
        print(describe(report))
        change_layer(team, names[1])
        report = timed(
            f"{names[1]} changed 300 spans: own sync (goal <= 5 s)",
            synced(team, share, names[1]),
            trace,
        )
        print(describe(report))
        report = timed(
            "teammate reads the one changed analyst (goal <= 5 s)", synced(mine, share, "me"), trace
        )
        print(describe(report))
        report = timed("sync with nothing changed", synced(mine, share, "me"), trace)
        print(describe(report))
        mine.close()
        team.close()


if __name__ == "__main__":
    main()
