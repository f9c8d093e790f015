"""CLI start-up benchmark: what one ``claimmap`` call costs, and what a batch saves.

On a small database (the five bundled seeds), prints the median wall time of N
runs of ``claimmap articles --json``, ``claimmap --help`` and ``claimmap spans
--json``, each a fresh subprocess as a shell script would run it, beside the
cost of a bare ``python -c pass`` (the floor nothing in claimmap can lower).
Then the time to annotate Q quotes with one ``annotate`` command each against
one ``annotate --from`` call.  Goal (issue 11): ``articles --json`` <= 0.25 s
wall.  On a current database ``articles`` and ``spans`` (without ARTICLE or
--tag) import neither pydantic nor sqlite-utils (``claimmap/store/current_read.py``),
so what is left over ``python -c pass`` is click and claimmap's own modules
(``python -X importtime -m claimmap ...`` shows them).  Where PYTHONDONTWRITEBYTECODE
is set, claimmap's modules are compiled on every call: unset it (and point
PYTHONPYCACHEPREFIX at a scratch folder) to time what an installed claimmap costs.

One command per quote is timed on the first ``--sample`` quotes and scaled to Q
(the output says so): at ~0.3 s a call, 1,000 calls would take minutes.

    python benchmarks/bench_cli.py [--runs N] [--quotes Q] [--sample S]

The subprocesses inherit PYTHONPATH, so the same script measures any checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from claimmap.store import open_db
from claimmap.store.articles import article_text, list_articles

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
CLAIMMAP = [sys.executable, "-m", "claimmap"]
ARTICLES_GOAL = 0.25  # seconds wall, issue 11


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(args: list[str], stdin: bytes | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of one subprocess.  It runs in a neutral directory:
    ``python -m`` puts the working directory first on sys.path, which would
    shadow the checkout that PYTHONPATH names."""
    cpu = _children_cpu()
    started = time.perf_counter()
    result = subprocess.run(
        args, input=stdin, capture_output=True, check=False, cwd=tempfile.gettempdir()
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {result.stderr.decode(errors='replace')}")
    return elapsed, _children_cpu() - cpu


def _median(args: list[str], runs: int) -> tuple[float, float]:
    times = [_run(args) for _ in range(runs)]
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def quotes(db_path: Path, count: int, length: int = 12) -> list[dict[str, object]]:
    """``count`` passages, each occurring once in its article, spread over the seeds."""
    db = open_db(db_path)
    try:
        texts = [(a.ref, article_text(db, a.id)) for a in list_articles(db)]
    finally:
        db.close()
    found: list[dict[str, object]] = []
    step = 7
    offset = 0
    while len(found) < count:
        progressed = False
        for ref, text in texts:
            start = offset
            if start + length > len(text):
                continue
            progressed = True
            quote = text[start : start + length]
            if "\n" in quote or not quote.strip() or text.count(quote) != 1:
                continue
            found.append({"article": ref, "quote": quote, "tags": ["motive"]})
            if len(found) == count:
                break
        if not progressed:
            raise SystemExit(f"the seeds hold fewer than {count} usable quotes")
        offset += step
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per command (median)")
    parser.add_argument("--quotes", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=100, help="one-command-each quotes timed")
    opts = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        _run([*CLAIMMAP, "--db", str(db), "import", *map(str, sorted(SEEDS.glob("*.txt")))])
        print(f"PYTHONPATH={os.environ.get('PYTHONPATH', '')}  median of {opts.runs} runs")
        floor, floor_cpu = _median([sys.executable, "-c", "pass"], opts.runs)
        print(
            f"  python -c pass              {floor:6.3f} s wall {floor_cpu:6.3f} s CPU "
            "(interpreter start-up alone)"
        )
        for label, args in [
            ("claimmap articles --json", ["articles", "--json"]),
            ("claimmap --help", ["--help"]),
            ("claimmap spans --json", ["spans", "--json"]),
        ]:
            wall, cpu = _median([*CLAIMMAP, "--db", str(db), *args], opts.runs)
            goal = ""
            if label == "claimmap articles --json":
                goal = f"; goal {ARTICLES_GOAL} s {'met' if wall <= ARTICLES_GOAL else 'MISSED'}"
            print(
                f"  {label:<27} {wall:6.3f} s wall {cpu:6.3f} s CPU "
                f"({wall - floor:+.3f} s wall over python{goal})"
            )

        batch = quotes(db, opts.quotes)
        sample = batch[: min(opts.sample, len(batch))]
        one_db = Path(tmp) / "one.db"
        _run([*CLAIMMAP, "--db", str(one_db), "import", *map(str, sorted(SEEDS.glob("*.txt")))])
        cpu = wall = 0.0
        for item in sample:
            quote, article = str(item["quote"]), str(item["article"])
            one = _run([*CLAIMMAP, "--db", str(one_db), "annotate", article, "--quote", quote,
                        "--tag", "motive"])  # fmt: skip
            wall, cpu = wall + one[0], cpu + one[1]
        scale = len(batch) / len(sample)
        print(
            f"annotate {len(batch)} quotes, one command each: {wall * scale:7.1f} s wall "
            f"{cpu * scale:7.1f} s CPU (timed {len(sample)} calls, scaled)"
        )
        helped = subprocess.run(
            [*CLAIMMAP, "annotate", "--help"],
            capture_output=True,
            text=True,
            check=False,
            cwd=tempfile.gettempdir(),
        )
        if "--from" not in helped.stdout:
            print("annotate --from: not in this checkout")
            return
        lines = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in batch)
        wall, cpu = _run(
            [*CLAIMMAP, "--db", str(db), "annotate", "--from", "-", "--json"], lines.encode()
        )
        print(
            f"annotate {len(batch)} quotes, one 'annotate --from' call: {wall:7.1f} s wall "
            f"{cpu:7.1f} s CPU"
        )


if __name__ == "__main__":
    main()
