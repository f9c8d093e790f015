"""Export benchmark: 1,000 articles, 50,000 spans, 10,000 claims, every format.

Generates the corpus straight into a temporary database (bulk inserts, no
anchoring), then times loading and each export separately and reports the peak
Python memory (tracemalloc) of each, with wall and CPU time.  Goal: <= 5 s per
format, xlsx <= 15 s.

    python benchmarks/bench_export.py [--articles N] [--spans N] [--claims N]
"""

from __future__ import annotations

import argparse
import functools
import itertools
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from claimmap.services import exporting
from claimmap.store import open_db, write_unit

STAMP = "2024-01-01T00:00:00.000000+00:00"
WORDS = [
    "人工智能",
    "合作",
    "供应链",
    "安全",
    "治理",
    "规则",
    "美日",
    "欧盟",
    "技术",
    "标准",
    "风险",
    "影响",
    "建议",
    "限制",
]


def generate(db: Database, n_articles: int, n_spans: int, n_claims: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    tag_ids = [r[0] for r in db.execute("SELECT id FROM tags ORDER BY ordinal")]
    texts: list[str] = []
    with write_unit(db):
        rows = []
        for i in range(n_articles):
            text = "".join(
                rng.choice(WORDS) + ("。\n" if k % 12 == 11 else "，") for k in range(400)
            )
            texts.append(text)
            rows.append(
                (
                    i + 1,
                    f"a{i:04d}",
                    f"a{i:04d}.txt",
                    f"文章 {i}：人工智能合作研究",
                    "simplified",
                    "utf-8",
                    f"{i:064x}",
                    f"{i:064x}",
                    text,
                    len(text),
                    STAMP,
                    STAMP,
                )
            )
        db.conn.executemany(
            "INSERT INTO articles (id, ref, source, title, script, encoding, raw_sha256, "
            "text_sha256, text, chars, imported_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        db.conn.executemany(
            "INSERT INTO claims (id, label, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [(c + 1, f"claim {c}" if c % 3 == 0 else None, STAMP, STAMP) for c in range(n_claims)],
        )
        spans, tags, notes = [], [], []
        for s in range(n_spans):
            art = rng.randrange(n_articles)
            text = texts[art]
            start = rng.randrange(0, len(text) - 40)
            end = start + rng.randrange(5, 40)
            claim = s % n_claims + 1
            spans.append(
                (
                    s + 1,
                    art + 1,
                    start,
                    end,
                    text[start:end],
                    text[max(0, start - 32) : start],
                    text[end : end + 32],
                    f"{art:064x}",
                    "bench",
                    claim,
                    STAMP,
                    STAMP,
                )
            )
            tags.append((s + 1, tag_ids[claim % len(tag_ids)]))
            if s % 5 == 0:
                notes.append((s + 1, f"=note {s}", "bench", STAMP, STAMP))
        db.conn.executemany(
            'INSERT INTO spans (id, article_id, start, "end", quote, prefix, suffix, text_sha256, '
            "annotator, claim_id, orphaned, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,0,?,?)",
            spans,
        )
        db.conn.executemany("INSERT INTO span_tags (span_id, tag_id) VALUES (?, ?)", tags)
        db.conn.executemany(
            "INSERT INTO notes (span_id, body, author, created_at, updated_at) VALUES (?,?,?,?,?)",
            notes,
        )
        # Confirmed links join consecutive spans of a claim (the claim invariant).
        by_claim: dict[int, list[int]] = {}
        for row in spans:
            by_claim.setdefault(row[9], []).append(row[0])
        links = [
            (a, b, 0.95, "confirmed", STAMP, STAMP)
            for members in by_claim.values()
            for a, b in itertools.pairwise(members)
        ]
        db.conn.executemany(
            "INSERT INTO links (a, b, score, status, created_at, updated_at) VALUES (?,?,?,?,?,?)",
            links,
        )


def measure(label: str, fn: Callable[[], object]) -> None:
    """Time a clean run, then measure memory in a second run (tracemalloc slows code 2-3x).

    Wall time and this process's CPU time are both shown: on a shared machine the
    wall time includes waiting for a core, the CPU time is the work itself.
    """
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = f"{len(result) / 1e6:8.1f} MB out" if isinstance(result, bytes) else " " * 15
    print(
        f"{label:<24} wall {elapsed:6.2f} s  cpu {cpu:6.2f} s  peak {peak / 1e6:7.1f} MB  {size}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--spans", type=int, default=50_000)
    parser.add_argument("--claims", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        generate(db, args.articles, args.spans, args.claims)
        print(
            f"generated {args.articles} articles, {args.spans} spans, {args.claims} claims "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        options = exporting.matrix_options(db)
        measure("load + build", lambda: exporting.build(db, options))
        matrix, framing, data = exporting.build(db, options)
        for mfmt in exporting.MATRIX_FORMATS:
            measure(
                f"matrix {mfmt} (render)",
                functools.partial(exporting.render_matrix, matrix, framing, data.spans, mfmt),
            )
        measure("matrix csv (end to end)", lambda: exporting.export_matrix(db, "csv", options))
        for ffmt in exporting.FRAMING_FORMATS:
            measure(
                f"framing {ffmt} (render)",
                functools.partial(exporting.render_framing, framing, ffmt),
            )
        for afmt, name in (("w3c", "w3c"), ("brat", "brat"), ("qdpx", "out.qdpx")):
            measure(
                f"annotations {afmt}",
                functools.partial(exporting.export_annotations, db, afmt, Path(tmp) / name),
            )
        db.close()


if __name__ == "__main__":
    main()
