"""Crash safety, long run: SIGKILL writers many times, verify every time.

Database rounds: each starts ``tests/reliability/writer.py`` on the same (growing)
database, kills it after a random delay and checks: ``PRAGMA integrity_check`` ok,
``claimmap check`` invariants, claims equal to the components of confirmed
links, every acknowledged operation present and the one in flight applied whole
or not at all.

File rounds (``tests/reliability/file_writer.py``): an edit, a W3C and a brat
folder export, a manual and an automatic backup of a database of a few MB,
killed at a random moment (mostly while files are being written); then every
backup under a final name must pass ``integrity_check`` and every export folder
must be exactly the previous export or the new one.  Backup rounds kill a process
that does nothing but back up.

    python benchmarks/bench_crash.py [--rounds 300] [--file-rounds 60]
        [--backup-rounds 60] [--megabytes 3] [--seed 1] [--max-delay 0.4]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimmap.store import open_db
from claimmap.store.backup import backup_to, verify_backup
from tests.reliability.crash import run_rounds
from tests.reliability.file_crash import (
    FileRoundResult,
    backup_kill_rounds,
    file_rounds,
    make_big_db,
)


def database_rounds(args: argparse.Namespace) -> list[str]:
    survived = ops = in_flight = in_flight_applied = 0
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, result in run_rounds(Path(tmp), args.rounds, args.seed, args.max_delay):
            if result.problems:
                failures.append(f"round {n}: {'; '.join(result.problems)[:500]}")
            else:
                survived += 1
            ops += result.acked
            in_flight += result.pending
            in_flight_applied += result.pending_applied
            if (n + 1) % 25 == 0:
                print(f"  {n + 1} rounds, {ops} acknowledged operations checked", flush=True)
    print(f"rounds survived: {survived}/{args.rounds}")
    print(f"acknowledged operations checked: {ops}")
    print(
        f"killed with an operation in flight: {in_flight} "
        f"(committed before the kill: {in_flight_applied}, rolled back: {in_flight - in_flight_applied})"
    )
    return failures


def _summarise(kind: str, results: list[tuple[int, FileRoundResult]]) -> list[str]:
    failures = [
        f"{kind} round {n}: {'; '.join(r.problems)[:500]}" for n, r in results if r.problems
    ]
    stages = Counter(re.sub(r" \d+$", "", r.stage) for _, r in results)
    print(f"{kind} rounds survived: {len(results) - len(failures)}/{len(results)}")
    print(f"  killed during: {', '.join(f'{s} {c}' for s, c in sorted(stages.items()))}")
    print(f"  final-named backups verified: {sum(r.backups_checked for _, r in results)}")
    if kind == "file":
        print(
            f"  export folders found holding the previous export: "
            f"{sum(r.folders_previous for _, r in results)}, the new export: "
            f"{sum(r.folders_new for _, r in results)}"
        )
    # The harness backs up to one-off names (b-N.db), so their temporaries stay; a
    # folder export, and claimmap's own timestamped backups, remove what a killed
    # predecessor left (tests/reliability/test_backup_check.py).
    most = max((r.leftovers for _, r in results), default=0)
    print(f"  hidden temporaries standing after a kill: at most {most}")
    return failures


def backup_cost(megabytes: float) -> None:
    """What verifying a backup costs beside writing it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = make_big_db(Path(tmp), megabytes)
        db = open_db(path)
        try:
            start = time.perf_counter()
            target = backup_to(db, Path(tmp) / "timed.db")
            total = time.perf_counter() - start
            start = time.perf_counter()
            verify_backup(target)
            check = time.perf_counter() - start
        finally:
            db.close()
        size = target.stat().st_size / 1e6
    print(
        f"backup of a {size:.1f} MB database: {total:.3f} s, of which integrity_check {check:.3f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300, help="database rounds")
    parser.add_argument("--file-rounds", type=int, default=60)
    parser.add_argument("--backup-rounds", type=int, default=60)
    parser.add_argument("--megabytes", type=float, default=3.0, help="database size for files")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=0.4, help="seconds before the kill")
    args = parser.parse_args()
    failures: list[str] = []
    if args.rounds:
        failures += database_rounds(args)
    with tempfile.TemporaryDirectory() as tmp:
        if args.file_rounds:
            results = list(
                file_rounds(Path(tmp) / "f", args.file_rounds, args.seed, args.megabytes)
            )
            failures += _summarise("file", results)
        if args.backup_rounds:
            results = list(
                backup_kill_rounds(Path(tmp) / "b", args.backup_rounds, args.seed, args.megabytes)
            )
            failures += _summarise("backup", results)
    backup_cost(args.megabytes)
    for failure in failures:
        print("FAILED", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
