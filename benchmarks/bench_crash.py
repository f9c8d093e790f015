"""Crash safety, long run: SIGKILL a random writer many times, verify every time.

Each round starts ``tests/reliability/writer.py`` on the same (growing) database,
kills it after a random delay and checks: ``PRAGMA integrity_check`` ok,
``claimmap check`` invariants, claims equal to the components of confirmed
links, every acknowledged operation present and the one in flight applied whole
or not at all.  Prints rounds survived and operations checked.

    python benchmarks/bench_crash.py [--rounds 300] [--seed 1] [--max-delay 0.4]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.reliability.crash import run_rounds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=0.4, help="seconds before the kill")
    args = parser.parse_args()
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
    for failure in failures:
        print("FAILED", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
