"""Linking at corpus scale: synthetic claims from the seed sentences.

Synthetic corpus: 80% fresh claims spliced from fragments of different seed
clauses (numbers redrawn, names inserted), so that, as in a real corpus, most
claims are distinct but share vocabulary and topics; 20% near-duplicates of
earlier claims (deletions, insertions, punctuation/width changes,
simplified<->traditional conversion, number changes).

For each N (default 1k, 20k, 100k) prints: end-to-end wall and CPU time
(normalise, index, verify, cluster), peak RSS of the run, how many of the exact
brute-force pairs the blocked engine finds at the same threshold (brute force for
N <= 20k: rapidfuzz ``cdist`` on all pairs with the ratio cutoff below which no
pair can reach the threshold, survivors scored exactly), the time ratio against
plain ``cdist`` brute force, against a difflib baseline at 1k, and the latency
of ``add`` + ``similar`` for one new span against the index.

Each N runs in a fresh process so peak memory is that size's own.

    python benchmarks/bench_link_scale.py [--sizes 1000,20000,100000] [--threshold T]
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import opencc
from rapidfuzz import fuzz, process

from claimmap.linking.claims import components
from claimmap.linking.engine import DEFAULT_THRESHOLD, LinkIndex
from claimmap.linking.scoring import ratio_floor

ROOT = Path(__file__).resolve().parent.parent
_S2T = opencc.OpenCC("s2t")
_T2S = opencc.OpenCC("t2s")
_FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789,()ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def seed_clauses() -> list[str]:
    """Clauses of the seed sentences (split at sentence and clause punctuation)."""
    clauses: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text("utf-8")
        for sentence in re.split(r"[。！？!?；;\n]+", text):
            for clause in re.split(r"[，,、：:]", sentence):
                clause = clause.strip()
                if 6 <= len(clause) <= 60:
                    clauses.append(clause)
    return clauses


def edit(rng: random.Random, text: str, clauses: list[str]) -> str:
    """A near-duplicate: one to three realistic edits."""
    for _ in range(rng.randint(1, 3)):
        op = rng.choice(("delete", "insert", "punct", "width", "script", "number"))
        if op == "delete" and len(text) > 12:
            i = rng.randrange(len(text) - 4)
            text = text[:i] + text[i + rng.randint(1, 4) :]
        elif op == "insert":
            donor = rng.choice(clauses)
            j = rng.randrange(len(donor))
            piece = donor[j : j + rng.randint(1, 4)]
            i = rng.randrange(len(text) + 1)
            text = text[:i] + piece + text[i:]
        elif op == "punct":
            text = text.replace("，", rng.choice([",", " ", "；", ""]))
        elif op == "width":
            text = "".join(_FULLWIDTH.get(c, c) for c in text)
        elif op == "script":
            text = _S2T.convert(text) if rng.random() < 0.7 else _T2S.convert(text)
        elif op == "number":
            digits = [i for i, c in enumerate(text) if c.isdigit()]
            if digits:
                i = rng.choice(digits)
                text = text[:i] + str(rng.randrange(10)) + text[i + 1 :]
    return text


_NAME_CHARS = "安白包贝毕卞蔡曹岑常陈程池崔戴邓丁董杜段樊范方费冯符傅高葛龚顾管郭韩何贺洪侯胡华黄霍姬季贾江姜蒋金靳康孔雷黎李连梁廖林刘柳龙卢鲁陆罗吕马毛孟莫倪聂欧潘庞彭齐钱乔秦邱任荣沈盛施石史舒宋苏孙谭汤唐陶田童万汪王韦魏温文吴伍武夏向肖谢辛熊徐许薛严颜杨姚叶易殷尹应于余袁岳曾詹张章赵郑钟周朱祝庄卓"


def fresh_claim(rng: random.Random, clauses: list[str]) -> str:
    """A new, distinct claim: fragments spliced from different seed sentences.

    Two to four pieces (4-16 characters) cut at random points of random clauses,
    every number redrawn, sometimes a person's name inserted.  Claims share the
    seeds' vocabulary and topics (so blocking must tell same-topic from same-claim)
    but two fresh claims rarely state the same thing, as in a real corpus.
    """
    parts = []
    for _ in range(rng.randint(2, 4)):
        c = rng.choice(clauses)
        length = rng.randint(4, 16)
        i = rng.randrange(max(1, len(c) - length + 1))
        parts.append(c[i : i + length])
    text = "".join(p + rng.choice(("", "", "，", "、")) for p in parts).rstrip("，、")
    text = re.sub(r"[0-9]+", lambda m: str(rng.randrange(1, 10 ** len(m.group()))), text)
    if rng.random() < 0.3:
        name = "".join(rng.choice(_NAME_CHARS) for _ in range(rng.randint(2, 3)))
        i = rng.randrange(len(text) + 1)
        text = text[:i] + name + text[i:]
    return text + "。"


def synthetic(n: int, seed: int = 7) -> list[tuple[int, int, str]]:
    """N claims: 80% fresh spliced claims, 20% near-duplicates of earlier ones."""
    rng = random.Random(seed)
    clauses = seed_clauses()
    n_articles = max(5, n // 20)
    texts: list[str] = []
    for _ in range(n):
        if texts and rng.random() < 0.2:
            texts.append(edit(rng, rng.choice(texts), clauses))
        else:
            texts.append(fresh_claim(rng, clauses))
    return [(i, rng.randrange(n_articles), t) for i, t in enumerate(texts)]


def brute_force(index: LinkIndex, threshold: float) -> tuple[set[tuple[int, int]], float]:
    """Exact pairs >= threshold over all cross-article pairs, and its time.

    ``cdist`` (chunked, all cores) computes every ``fuzz.ratio`` with the score
    cutoff below which no pair can reach the threshold; the survivors get the
    exact final score (cosine and number penalty) from the engine's scorer.
    """
    t0 = time.perf_counter()
    n = len(index)
    keys = [index.key(i) for i in range(n)]
    articles = np.asarray(index._articles, dtype=np.int64)
    floor = ratio_floor(threshold)
    left: list[np.ndarray] = []
    right: list[np.ndarray] = []
    ratios: list[np.ndarray] = []
    step = 500
    for s in range(0, n, step):
        e = min(n, s + step)
        ratio = process.cdist(
            keys[s:e],
            keys[s:],
            scorer=fuzz.ratio,
            score_cutoff=floor,
            workers=-1,
            dtype=np.float64,
        )
        ok = ratio >= floor
        ok &= articles[s:e, None] != articles[None, s:]
        ok &= np.arange(s, e)[:, None] < np.arange(s, n)[None, :]
        i, j = np.nonzero(ok)
        left.append(s + i)
        right.append(s + j)
        ratios.append(ratio[i, j])
    li, rj, rr = np.concatenate(left), np.concatenate(right), np.concatenate(ratios)
    score = index._score_positions(li, rj, rr)
    ok = score >= threshold
    found = set(zip(li[ok].tolist(), rj[ok].tolist(), strict=True))
    return found, time.perf_counter() - t0


def cdist_baseline(keys: list[str], threshold: float) -> float:
    """Plain all-pairs ``cdist`` of ``fuzz.ratio`` at the threshold, chunked (time only)."""
    t0 = time.perf_counter()
    for s in range(0, len(keys), 2000):
        process.cdist(
            keys[s : s + 2000],
            keys,
            scorer=fuzz.ratio,
            score_cutoff=threshold,
            workers=-1,
            dtype=np.uint8,
        )
    return time.perf_counter() - t0


def difflib_estimate(texts: list[str], sample: int = 20000) -> float:
    """All-pairs difflib time, extrapolated from a random sample of pairs."""
    rng = random.Random(1)
    n = len(texts)
    pairs = [(rng.randrange(n), rng.randrange(n)) for _ in range(sample)]
    t0 = time.perf_counter()
    for i, j in pairs:
        difflib.SequenceMatcher(None, texts[i], texts[j]).ratio()
    per_pair = (time.perf_counter() - t0) / sample
    return per_pair * n * (n - 1) / 2


def run_one(n: int, threshold: float) -> None:
    items = synthetic(n + 1)
    new_item = items.pop()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    c0 = time.process_time()
    t0 = time.perf_counter()
    index = LinkIndex(items)
    t1, c1 = time.perf_counter(), time.process_time()
    pairs = index.pairs(threshold)
    t2, c2 = time.perf_counter(), time.process_time()
    claims = components([i for i, _, _ in items], [(p.a, p.b) for p in pairs])
    t3, c3 = time.perf_counter(), time.process_time()
    total = t3 - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"N={n}: end to end {total:.2f} s wall, {c3 - c0:.2f} s CPU (all threads) "
        f"(normalise+index {t1 - t0:.2f}/{c1 - c0:.2f}, block+verify {t2 - t1:.2f}/{c2 - c1:.2f}, "
        f"cluster {t3 - t2:.2f}/{c3 - c2:.2f} wall/CPU); {len(pairs)} pairs, "
        f"{len(claims)} claims; peak RSS {rss_mb:.0f} MB (before indexing {rss0:.0f} MB)"
    )
    lat = []
    for k in range(5):
        span_id, article, text = new_item
        q0 = time.perf_counter()
        index.add((span_id + k * 10_000_000, article, text))
        index.similar(span_id + k * 10_000_000, top_k=5)
        lat.append(time.perf_counter() - q0)
    print(
        f"  incremental add+similar for one new span: median {1000 * sorted(lat)[2]:.1f} ms, "
        f"max {1000 * max(lat):.1f} ms (index of {n})"
    )
    if n <= 20_000:
        exact, bf_time = brute_force(index_without_added(items), threshold)
        got = {(p.a, p.b) for p in pairs}
        share = len(got & exact) / len(exact) if exact else 1.0
        extra = len(got - exact)
        print(
            f"  brute force: {len(exact)} pairs in {bf_time:.1f} s; engine found "
            f"{share:.4f} of them ({extra} not in brute force)"
        )
        keys = [index.key(i) for i in range(n)]
        cd = cdist_baseline(keys, threshold)
        print(
            f"  plain cdist(fuzz.ratio) all pairs: {cd:.2f} s -> engine is {cd / total:.1f}x faster"
        )
        if n <= 1000:
            dl = difflib_estimate([t for _, _, t in items])
            print(
                f"  difflib SequenceMatcher all pairs (extrapolated from 20k pairs): "
                f"{dl:.1f} s -> engine is {dl / total:.0f}x faster"
            )


def index_without_added(items: list[tuple[int, int, str]]) -> LinkIndex:
    # The brute force must see exactly the corpus pairs() saw (before add()).
    return LinkIndex(items)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="1000,20000,100000")
    ap.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        run_one(args.one, args.threshold)
        return
    print(f"threshold {args.threshold}; {len(seed_clauses())} seed clauses")
    for n in (int(s) for s in args.sizes.split(",")):
        subprocess.run(
            [sys.executable, __file__, "--one", str(n), "--threshold", str(args.threshold)],
            check=True,
        )


if __name__ == "__main__":
    main()
