"""Import throughput on a generated corpus of about 1,000 articles.

The corpus is built from the seeds with variations: paragraphs shuffled and
dropped, spam lines and pinyin leaks sprinkled in, and files written as UTF-8,
UTF-8 with BOM, UTF-16, GB18030 or Big5 (traditional text only).  Prints MB/s
(raw bytes read) and articles/s for the whole ``import_paths`` call: decode,
clean, segment, store.  Goal: >= 5 MB/s on 2 cores.

    python benchmarks/bench_import.py [--articles 1000] [--profile]
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path

from claimmap.services.importing import import_paths
from claimmap.store import open_db

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SPAM = "热门推荐,在线观看,免费下载,高清视频,最新资讯,精品推荐,手机版,排行榜 ?"


def variant(text: str, rng: random.Random, n: int) -> str:
    paragraphs = [p for p in text.split("\n") if p.strip()]
    keep = [p for p in paragraphs if rng.random() > 0.15]
    head, body = keep[:3], keep[3:]
    rng.shuffle(body)
    lines = head + body
    if rng.random() < 0.3:
        lines.insert(0, SPAM)
        lines.append(SPAM)
    lines.insert(1, f"编号 {n}")
    return "\n".join(lines) + "\n"


def encode(text: str, rng: random.Random, traditional: bool) -> bytes:
    choices = ["utf-8", "utf-8-sig", "utf-16", "gb18030"] + (["big5"] if traditional else [])
    enc = rng.choice(choices)
    try:
        return text.encode(enc)
    except UnicodeEncodeError:
        return text.encode("utf-8")


def build_corpus(folder: Path, count: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    seeds = [
        (p.read_text(encoding="utf-8"), p.name.startswith(("001", "003")))
        for p in sorted(SEEDS.glob("*.txt"))
    ]
    total = 0
    for n in range(count):
        text, traditional = seeds[n % len(seeds)]
        raw = encode(variant(text, rng, n), rng, traditional)
        (folder / f"article_{n:05d}.txt").write_bytes(raw)
        total += len(raw)
    return total


def _cpu() -> float:
    """CPU seconds of this process and its reaped worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="Profile with pyinstrument.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        size = build_corpus(corpus, args.articles)
        db = open_db(Path(tmp) / "bench.db")
        profiler = None
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
        t0 = time.perf_counter()
        c0 = _cpu()
        items = import_paths(db, [str(corpus)])
        elapsed = time.perf_counter() - t0
        cpu = _cpu() - c0
        if profiler is not None:
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        imported = sum(1 for i in items if i.status == "imported")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"articles: {len(items)} ({imported} imported), raw size: {size / 1e6:.1f} MB")
        print(f"time: {elapsed:.2f} s wall, {cpu:.2f} s CPU (all processes)")
        print(f"throughput: {size / 1e6 / elapsed:.2f} MB/s, {len(items) / elapsed:.0f} articles/s")
        print(f"throughput per CPU-second: {size / 1e6 / cpu:.2f} MB/s")
        print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
