"""Longer fuzzing run over the importer/cleaner, the W3C/qdpx readers and import paths.

Targets: textprep on raw bytes; W3C JSONL and ``.qdpx`` with damaged JSON, XML
and zip bytes; and the hostile shapes of issue "Trust": deeply nested JSON
(``w3c-deep``), huge and non-integer numbers (``w3c-numbers``), foreign and
invalid dates (``w3c-dates``, ``qdpx-numbers-dates``) and ``<Code>`` chains
thousands deep (``qdpx-codes``).  ``--targets`` picks some of them.

Same targets and mutators as ``tests/reliability/test_fuzz.py``
(``tests/reliability/fuzzing.py``), driven by a seeded ``random.Random`` for a
time budget per target.  Prints inputs tried and findings (distinct exception
type + message + place), with one reproducing input saved per finding.

    python benchmarks/bench_fuzz.py [--seconds 60] [--seed 1] [--out fuzz-findings]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.reliability.fuzz_paths import check_import_tree, random_tree
from tests.reliability.fuzzing import (
    AnnotationBase,
    check_annotation_file,
    check_textprep,
    random_qdpx,
    random_qdpx_bytes,
    random_qdpx_nested_codes,
    random_qdpx_numbers_and_dates,
    random_raw,
    random_w3c,
    random_w3c_dates,
    random_w3c_deep,
    random_w3c_numbers,
)


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if "/claimmap/" in f.filename] or frames
    last = own[-1]
    return f"{Path(last.filename).name}:{last.lineno} {last.name}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="budget per target")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("fuzz-findings"))
    parser.add_argument(
        "--targets", default=None, help="comma-separated target names (default: all)"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    total_findings = 0
    with tempfile.TemporaryDirectory() as tmp:
        base = AnnotationBase(Path(tmp))
        targets: list[tuple[str, Callable[[], bytes], Callable[[bytes], object], str]] = [
            ("textprep", lambda: random_raw(rng), check_textprep, ".txt"),
            (
                "w3c",
                lambda: random_w3c(rng, base),
                lambda d: check_annotation_file(base, d, ".jsonl"),
                ".jsonl",
            ),
            (
                "qdpx-xml",
                lambda: random_qdpx(rng, base),
                lambda d: check_annotation_file(base, d, ".qdpx"),
                ".qdpx",
            ),
            (
                "qdpx-zip",
                lambda: random_qdpx_bytes(rng, base),
                lambda d: check_annotation_file(base, d, ".qdpx"),
                ".qdpx",
            ),
            (
                "w3c-deep",
                lambda: random_w3c_deep(rng, base),
                lambda d: check_annotation_file(base, d, ".jsonl"),
                ".jsonl",
            ),
            (
                "w3c-numbers",
                lambda: random_w3c_numbers(rng, base),
                lambda d: check_annotation_file(base, d, ".jsonl"),
                ".jsonl",
            ),
            (
                "w3c-dates",
                lambda: random_w3c_dates(rng, base),
                lambda d: check_annotation_file(base, d, ".jsonl"),
                ".jsonl",
            ),
            (
                "qdpx-codes",
                lambda: random_qdpx_nested_codes(rng, base),
                lambda d: check_annotation_file(base, d, ".qdpx"),
                ".qdpx",
            ),
            (
                "qdpx-numbers-dates",
                lambda: random_qdpx_numbers_and_dates(rng, base),
                lambda d: check_annotation_file(base, d, ".qdpx"),
                ".qdpx",
            ),
            # Trees with non-UTF-8 names, FIFOs, /dev/zero, symlink loops, the database.
            ("import-tree", lambda: random_tree(rng), check_import_tree, ".json"),
        ]
        if args.targets:
            wanted = set(args.targets.split(","))
            unknown = wanted - {t[0] for t in targets}
            if unknown:
                parser.error(f"unknown targets: {', '.join(sorted(unknown))}")
            targets = [t for t in targets if t[0] in wanted]
        for name, make, check, suffix in targets:
            tried = 0
            outcomes: Counter[str] = Counter()
            findings: Counter[str] = Counter()
            deadline = time.monotonic() + args.seconds
            while time.monotonic() < deadline:
                data = make()
                tried += 1
                try:
                    outcomes[str(check(data) or "ok")] += 1
                except Exception as exc:  # a finding: anything but the documented outcomes
                    key = f"{type(exc).__name__}: {str(exc)[:80]} at {_where(exc)}"
                    if key not in findings:
                        args.out.mkdir(exist_ok=True)
                        (args.out / f"{name}-{len(findings)}{suffix}").write_bytes(data)
                    findings[key] += 1
            total_findings += len(findings)
            print(
                f"{name}: {tried} inputs tried, outcomes {dict(outcomes)}, "
                f"{sum(findings.values())} failing inputs, {len(findings)} distinct findings"
            )
            for key, count in findings.most_common():
                print(f"    {count:>5}  {key}")
    return 1 if total_findings else 0


if __name__ == "__main__":
    sys.exit(main())
