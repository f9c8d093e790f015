"""Crash safety (issue 6): SIGKILL a writer at random moments, nothing acked is lost.

The rounds run on one database that keeps growing, so each round also starts
from a database recovered after the previous kill.  ``CLAIMMAP_CRASH_ROUNDS``
raises the count; ``benchmarks/bench_crash.py`` is the long run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.reliability.crash import (
    REPO,
    apply,
    claim_problems,
    fresh_db,
    make_template,
    read_state,
    run_rounds,
)

ROUNDS = int(os.environ.get("CLAIMMAP_CRASH_ROUNDS", "15"))


def test_random_kills_lose_nothing_acknowledged(tmp_path: Path) -> None:
    checked = 0
    for n, result in run_rounds(tmp_path, ROUNDS, seed=20240611):
        assert result.problems == [], f"round {n}: {result.problems}"
        checked += result.acked
    # Every round performed operations before its kill, so something was verified.
    assert checked >= ROUNDS


# A writer that stops inside a write unit, after part of a delete has been
# executed (span row deleted, claims not yet split), and waits to be killed.
_MID_UNIT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import claimmap.services.claims as claims
    from claimmap.services.annotating import annotate_range, delete_span
    from claimmap.services.linking import set_pair_status
    from claimmap.store import open_db

    db = open_db(sys.argv[1])
    a = annotate_range(db, "1", 10, 30, ["motive"], note="kept", annotator="t").id
    b = annotate_range(db, "2", 5, 25, ["impact", "limitation"], annotator="t").id
    c = annotate_range(db, "2", 40, 60, ["impact"], annotator="t").id
    set_pair_status(db, a, b, "confirmed", score=90.0)
    set_pair_status(db, b, c, "confirmed", score=90.0)
    print(a, b, c, flush=True)

    def stall(db_, claim_id):
        Path(sys.argv[2]).write_text("inside")
        time.sleep(60)

    claims.split_claim_components = stall
    delete_span(db, b)  # never returns: killed inside the unit
    """
)


def test_kill_inside_a_write_unit_applies_nothing(tmp_path: Path) -> None:
    db = fresh_db(make_template(tmp_path), tmp_path / "mid.db")
    marker = tmp_path / "inside"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, "-c", _MID_UNIT, str(db), str(marker)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        ids = [int(x) for x in proc.stdout.readline().split()]
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.communicate(timeout=30)
    a, b, c = ids
    state = read_state(db)
    # The delete was never committed: b, its tags, and both links are all there.
    assert set(state.spans) >= {a, b, c}
    assert state.spans[b].tags == frozenset({"impact", "limitation"})
    assert state.spans[a].note == "kept"
    assert state.links == {(min(a, b), max(a, b)): "confirmed", (min(b, c), max(b, c)): "confirmed"}
    assert claim_problems(db) == []
    # And the database is usable: the same delete now completes.
    from claimmap.services.annotating import delete_span
    from claimmap.store import open_db

    conn = open_db(db)
    try:
        delete_span(conn, b)
    finally:
        conn.close()
    after = read_state(db)
    assert after == apply(state, {"op": "delete", "span": b})
    assert claim_problems(db) == []
