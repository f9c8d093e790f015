"""One of two concurrent writers for ``test_two_writers.py``.

    python -m tests.reliability.loop cli|services NAME PARITY DB OPS RESULT_JSON GO_FILE

``cli`` runs the real ``claimmap`` entry point once per command (each command
opens and closes the database, as a shell loop would); ``services`` keeps one
connection and calls the service layer.  Both annotate ranges that only this
writer uses (starts of one parity), tag every 5th span and note every 7th, and
report every command's exit code and error text, so the test can count exactly.
Each prints ``ready`` once imported and then waits for GO_FILE, which the test
creates when both are ready, so the loops overlap instead of racing start-up.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time
from pathlib import Path
from typing import Any

from claimmap.cli.main import main as cli_main
from claimmap.services.annotating import annotate_range, change_tags, set_note
from claimmap.services.linking import run_linker
from claimmap.store import open_db


def plan(parity: int, ops: int) -> list[tuple[str, int, int]]:
    """(article ref, start, end) for each annotation: disjoint between parities."""
    return [(str(i % 2 + 1), 2 * i + parity, 2 * i + parity + 12) for i in range(ops)]


def run_cli(name: str, parity: int, db: str, ops: int) -> dict[str, Any]:
    failures: list[str] = []
    commands = 0

    def cli(*args: str) -> str:
        nonlocal commands
        out, err = io.StringIO(), io.StringIO()
        code: int | str | None = 0
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                cli_main(["--db", db, *args])
            except SystemExit as exc:
                code = exc.code
        commands += 1
        # A span's boundary warnings are for the analyst; anything else on stderr
        # (a lock message, a traceback) is a failure.
        unexpected = [
            line for line in err.getvalue().splitlines() if not line.startswith("warning: span ")
        ]
        if code not in (0, None) or unexpected:
            failures.append(f"{args[0]} exit {code}: {err.getvalue().strip()}")
        return out.getvalue()

    for i, (ref, start, end) in enumerate(plan(parity, ops)):
        out = cli(
            "annotate",
            ref,
            "--start",
            str(start),
            "--end",
            str(end),
            "--tag",
            "motive",
            "--annotator",
            name,
            "--json",
        )
        if not out:
            continue
        span = int(json.loads(out)["id"])
        if i % 5 == 0:
            cli("tag", str(span), "--add", "impact")
        if i % 7 == 0:
            cli("note", str(span), f"{name} note {i}")
    return {"commands": commands, "failures": failures}


def run_services(name: str, parity: int, db_path: str, ops: int) -> dict[str, Any]:
    failures: list[str] = []
    commands = 0
    db = open_db(db_path)
    try:
        for i, (ref, start, end) in enumerate(plan(parity, ops)):
            try:
                commands += 1
                span = annotate_range(db, ref, start, end, ["motive"], annotator=name).id
                if i % 5 == 0:
                    commands += 1
                    change_tags(db, span, add=["impact"])
                if i % 7 == 0:
                    commands += 1
                    set_note(db, span, f"{name} note {i}", annotator=name)
                if i % 25 == 24:
                    # A longer write unit (scores every pair) competing for the lock.
                    commands += 1
                    run_linker(db)
            except Exception as exc:  # the test reports whatever reached the user
                failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        db.close()
    return {"commands": commands, "failures": failures}


def main(argv: list[str]) -> int:
    mode, name, parity, db, ops, result, go = argv
    # Announce that start-up (imports) is done, then wait for the common start.
    print("ready", flush=True)
    deadline = time.monotonic() + 60
    while not Path(go).exists() and time.monotonic() < deadline:
        time.sleep(0.002)
    run = run_cli if mode == "cli" else run_services
    summary = run(name, int(parity), db, int(ops))
    Path(result).write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
