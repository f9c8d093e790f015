"""Team benchmark: 5 analysts x 500 articles x 40 spans each (100,000 spans).

Generates the study straight into a temporary database (bulk inserts): a
reference coding per article that each analyst follows with their own slips
(boundaries moved, a tag changed, a passage missed or added), sentences stored
as the importer stores them, and per analyst confirmed links between the spans
of recurring claims (some rejected).  Then times ``claimmap agreement``'s
service (reading the layers, uα and sentence alpha per tag, link agreement for
every pair of analysts) and ``disagreements`` for one pair, with the peak Python
memory (tracemalloc) of each and the process's peak RSS.  Goal: agreement <= 10 s.

    python benchmarks/bench_team.py [--analysts N] [--articles N] [--spans N]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from claimmap.services.agreement import agreement, disagreements
from claimmap.store import open_db, write_unit

STAMP = "2024-01-01T00:00:00.000000+00:00"
WORDS = ["人工智能", "合作", "供应链", "安全", "治理", "规则", "美日", "欧盟", "技术", "标准"]


def generate(db: Database, analysts: int, articles: int, spans: int, seed: int = 13) -> None:
    rng = random.Random(seed)
    tag_ids = [int(r[0]) for r in db.execute("SELECT id FROM tags ORDER BY ordinal")]
    names = [f"analyst{k}" for k in range(analysts)]
    with write_unit(db):
        texts = []
        for i in range(articles):
            text = "".join(rng.choice(WORDS) + ("。" if k % 10 == 9 else "，") for k in range(1200))
            texts.append(text)
            sentences = []
            start = 0
            for pos, ch in enumerate(text):
                if ch == "。":
                    sentences.append([start, pos + 1])
                    start = pos + 1
            db.execute(
                "INSERT INTO articles (id, ref, source, title, script, encoding, raw_sha256, "
                "text_sha256, text, chars, imported_at, updated_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [i + 1, f"a{i:04d}", f"a{i:04d}.txt", f"文章 {i}", "simplified", "utf-8",
                 f"{i:064x}", f"{i:064x}", text, len(text), STAMP, STAMP],
            )  # fmt: skip
            db.execute(
                "INSERT INTO article_segments (article_id, paragraphs, sentences, clauses) "
                "VALUES (?, ?, ?, '[]')",
                [i + 1, json.dumps([[0, len(text)]]), json.dumps(sentences)],
            )
        span_rows, tag_rows, link_rows = [], [], []
        next_id = itertools.count(1)
        reference = []
        for i, text in enumerate(texts):
            slot = len(text) // spans
            for k in range(spans):
                start = k * slot + rng.randrange(0, slot // 2)
                end = start + rng.randrange(10, slot // 2)
                reference.append((i, start, end, rng.choice(tag_ids), rng.randrange(spans * 5)))
        for name in names:
            by_claim: dict[int, list[int]] = {}
            for article, start, end, tag, claim in reference:
                roll = rng.random()
                if roll < 0.05:
                    continue  # missed
                if roll < 0.15:
                    start = max(0, start + rng.randrange(-8, 9))
                    end = max(start + 1, end + rng.randrange(-8, 9))
                if rng.random() < 0.08:
                    tag = rng.choice(tag_ids)
                text = texts[article]
                span_id = next(next_id)
                span_rows.append(
                    (
                        span_id,
                        article + 1,
                        start,
                        end,
                        text[start:end],
                        "",
                        "",
                        "",
                        name,
                        STAMP,
                        STAMP,
                    )
                )
                tag_rows.append((span_id, tag))
                by_claim.setdefault(claim, []).append(span_id)
            for members in by_claim.values():
                for a, b in itertools.pairwise(members):
                    status = "confirmed" if rng.random() < 0.85 else "rejected"
                    link_rows.append((a, b, 0.9, status, STAMP, STAMP))
        db.conn.executemany(
            'INSERT INTO spans (id, article_id, start, "end", quote, prefix, suffix, text_sha256, '
            "annotator, claim_id, orphaned, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,NULL,0,?,?)",
            span_rows,
        )
        db.conn.executemany("INSERT INTO span_tags (span_id, tag_id) VALUES (?, ?)", tag_rows)
        db.conn.executemany(
            "INSERT INTO links (a, b, score, status, created_at, updated_at) VALUES (?,?,?,?,?,?)",
            link_rows,
        )


def measure(label: str, fn: Callable[[], object]) -> object:
    """Time a clean run, then measure memory in a second run (tracemalloc slows code)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<34} {wall:6.2f} s wall  {cpu:6.2f} s cpu  peak {peak / 2**20:7.1f} MiB")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--analysts", type=int, default=5)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--spans", type=int, default=40, help="per analyst per article")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "team.db")
        started = time.perf_counter()
        generate(db, args.analysts, args.articles, args.spans)
        total = db.execute("SELECT count(*) FROM spans").fetchone()[0]
        links = db.execute("SELECT count(*) FROM links").fetchone()[0]
        print(
            f"{args.analysts} analysts x {args.articles} articles x {args.spans} spans: "
            f"{total} spans, {links} links (generated in {time.perf_counter() - started:.1f} s)"
        )
        report = measure("agreement (all analysts)", lambda: agreement(db))
        measure(
            "disagreements (two analysts)",
            lambda: disagreements(db, annotators=["analyst0", "analyst1"]),
        )
        db.close()
    assert report is not None
    for tag, t in report.per_tag.items():  # type: ignore[attr-defined]
        print(f"  {tag:<16} uα {t.alpha_u:.3f}  sentence α {t.alpha_sentence:.3f}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
