"""Crash rounds: run ``writer.py``, SIGKILL it at a random moment, verify the database.

Shared by ``test_crash_safety.py`` (a few rounds) and ``benchmarks/bench_crash.py``
(many).  The verification is exact: the database must equal the state before the
round with every acknowledged operation applied, optionally plus the single
operation in flight (intent logged, no ack) applied whole.  Anything else (a lost
ack, a half-applied operation, an unexpected row) is a failure.

What this covers: process crashes (SIGKILL) at any point, including inside a
write unit and during COMMIT.  What it does not: power loss or a lying disk;
those depend on ``synchronous=FULL`` and the hardware, which a test in a
container cannot cut.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimmap.linking.claims import components
from claimmap.services.checks import check_database
from claimmap.services.importing import import_paths
from claimmap.store import open_db

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
# The two short seeds: enough text for spans, quick to import.
TEMPLATE_SEEDS = ("000_9f00d43fca9a4a2d.txt", "004_9f477515f64b012c.txt")


@dataclass(frozen=True)
class SpanState:
    article_id: int
    start: int
    end: int
    tags: frozenset[str]
    note: str | None


@dataclass
class State:
    spans: dict[int, SpanState] = field(default_factory=dict)
    links: dict[tuple[int, int], str] = field(default_factory=dict)

    def copy(self) -> State:
        return State(dict(self.spans), dict(self.links))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, State) and (self.spans, self.links) == (other.spans, other.links)


@dataclass
class RoundResult:
    acked: int
    pending: bool
    pending_applied: bool
    problems: list[str]


def make_template(folder: Path) -> Path:
    """A checkpointed database holding the short seeds, to copy for each run."""
    path = folder / "template.db"
    db = open_db(path)
    try:
        import_paths(db, [str(SEEDS / name) for name in TEMPLATE_SEEDS])
    finally:
        db.close()
    return path


def fresh_db(template: Path, target: Path) -> Path:
    # Copying is safe here only because the template is closed and checkpointed.
    shutil.copyfile(template, target)
    return target


def read_state(db_path: Path) -> State:
    conn = sqlite3.connect(db_path)
    try:
        tags: dict[int, set[str]] = {}
        for sid, name in conn.execute(
            "SELECT st.span_id, t.name FROM span_tags st JOIN tags t ON t.id = st.tag_id"
        ):
            tags.setdefault(int(sid), set()).add(str(name))
        state = State()
        for sid, aid, start, end, note in conn.execute(
            'SELECT s.id, s.article_id, s.start, s."end", n.body FROM spans s '
            "LEFT JOIN notes n ON n.span_id = s.id"
        ):
            state.spans[int(sid)] = SpanState(
                int(aid), int(start), int(end), frozenset(tags.get(int(sid), ())), note
            )
        for a, b, status in conn.execute("SELECT a, b, status FROM links"):
            state.links[(int(a), int(b))] = str(status)
        return state
    finally:
        conn.close()


def apply(state: State, op: dict[str, Any], new_span: int | None = None) -> State:
    """The effect of one writer operation, as the services define it."""
    out = state.copy()
    kind = op["op"]
    if kind == "annotate":
        assert new_span is not None
        note = op["note"] if op["note"] and op["note"].strip() else None
        out.spans[new_span] = SpanState(
            op["article_id"], op["start"], op["end"], frozenset(op["tags"]), note
        )
    elif kind == "tag":
        old = out.spans[op["span"]]
        tags = (old.tags | set(op["add"])) - set(op["remove"])
        out.spans[op["span"]] = SpanState(old.article_id, old.start, old.end, tags, old.note)
    elif kind == "note":
        old = out.spans[op["span"]]
        body = op["body"] if op["body"].strip() else None
        out.spans[op["span"]] = SpanState(old.article_id, old.start, old.end, old.tags, body)
    elif kind == "delete":
        del out.spans[op["span"]]
        out.links = {k: v for k, v in out.links.items() if op["span"] not in k}
    elif kind == "link":
        out.links[(op["a"], op["b"])] = op["status"]
    else:
        raise ValueError(kind)
    return out


def parse_log(
    log: Path,
) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], dict[str, Any] | None]:
    """(acked (intent, ack) pairs, the pending intent or None)."""
    acked: list[tuple[dict[str, Any], dict[str, Any]]] = []
    pending: dict[str, Any] | None = None
    for raw in log.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(raw)
        except json.JSONDecodeError:
            # A line torn by the kill: only the last line can be torn, and an
            # unfinished ack line means the ack was never given.
            continue
        if "intent" in record:
            pending = record["intent"]
        elif "ack" in record:
            assert pending is not None, "ack without intent"
            acked.append((pending, record))
            pending = None
    return acked, pending


def claim_problems(db_path: Path) -> list[str]:
    """Claims must be exactly the components of confirmed links."""
    conn = sqlite3.connect(db_path)
    try:
        members = {int(s): int(c) for s, c in conn.execute("SELECT id, claim_id FROM spans")}
        edges = [
            (int(a), int(b))
            for a, b in conn.execute("SELECT a, b FROM links WHERE status = 'confirmed'")
        ]
        orphan_claims = conn.execute(
            "SELECT count(*) FROM claims c WHERE NOT EXISTS "
            "(SELECT 1 FROM spans s WHERE s.claim_id = c.id)"
        ).fetchone()[0]
    finally:
        conn.close()
    problems: list[str] = []
    for group in components(sorted(members), edges):
        ids = {members[s] for s in group}
        if len(ids) != 1:
            problems.append(f"spans {sorted(group)} are linked but in claims {sorted(ids)}")
    by_claim: dict[int, set[int]] = {}
    for s, c in members.items():
        by_claim.setdefault(c, set()).add(s)
    groups = {frozenset(g) for g in components(sorted(members), edges)}
    for c, spans in by_claim.items():
        if frozenset(spans) not in groups:
            problems.append(f"claim {c} holds spans {sorted(spans)} that are not one component")
    if orphan_claims:
        problems.append(f"{orphan_claims} claim(s) with no span")
    return problems


def verify(db_path: Path, before: State, log: Path) -> RoundResult:
    acked, pending = parse_log(log)
    expected = before
    for intent, ack in acked:
        expected = apply(expected, intent, ack.get("span"))
    problems: list[str] = []
    db = open_db(db_path)  # reopening runs WAL recovery, as a user's next command would
    try:
        problems.extend(check_database(db))
    finally:
        db.close()
    problems.extend(claim_problems(db_path))
    actual = read_state(db_path)
    pending_applied = False
    if actual != expected:
        alternative: State | None = None
        if pending is not None:
            new_ids = sorted(set(actual.spans) - set(expected.spans))
            new_span = new_ids[0] if pending["op"] == "annotate" and len(new_ids) == 1 else None
            if pending["op"] != "annotate" or new_span is not None:
                alternative = apply(expected, pending, new_span)
        if alternative is not None and actual == alternative:
            pending_applied = True
        else:
            problems.append(describe_difference(expected, actual, pending))
    return RoundResult(len(acked), pending is not None, pending_applied, problems)


def describe_difference(expected: State, actual: State, pending: dict[str, Any] | None) -> str:
    parts = [f"state differs (pending {pending})"]
    for sid in sorted(set(expected.spans) | set(actual.spans)):
        e, a = expected.spans.get(sid), actual.spans.get(sid)
        if e != a:
            parts.append(f"span {sid}: expected {e}, found {a}")
    for key in sorted(set(expected.links) | set(actual.links)):
        e2, a2 = expected.links.get(key), actual.links.get(key)
        if e2 != a2:
            parts.append(f"link {key}: expected {e2}, found {a2}")
    return "; ".join(parts[:12])


def _writer_env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def _wait_for_ops(log: Path, proc: subprocess.Popen[bytes], lines: int, limit: float) -> None:
    """Wait until the writer has logged ``lines`` lines (it is past start-up)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if log.exists() and log.read_bytes().count(b"\n") >= lines:
            return
        time.sleep(0.005)


def crash_round(
    db_path: Path, log: Path, rng: random.Random, max_delay: float = 0.4
) -> RoundResult:
    """One round: start the writer, kill it after a random delay, verify."""
    before = read_state(db_path)
    log.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.reliability.writer",
            str(db_path),
            str(log),
            str(rng.randrange(2**31)),
        ],
        cwd=REPO,
        env=_writer_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_ops(log, proc, lines=2, limit=30)
        time.sleep(rng.uniform(0, max_delay))
        proc.send_signal(signal.SIGKILL)
    finally:
        _, err = proc.communicate(timeout=30)
    if proc.returncode != -signal.SIGKILL:
        # The writer died by itself: that is a failure of the services, not a crash.
        return RoundResult(
            0, False, False, [f"writer exited {proc.returncode}: {err.decode()[-2000:]}"]
        )
    return verify(db_path, before, log)


def run_rounds(
    folder: Path, rounds: int, seed: int, max_delay: float = 0.4
) -> Iterable[tuple[int, RoundResult]]:
    """Rounds on one database that keeps growing (recovery after recovery)."""
    rng = random.Random(seed)
    template = make_template(folder)
    db_path = fresh_db(template, folder / "crash.db")
    for n in range(rounds):
        yield n, crash_round(db_path, folder / f"round-{n}.log", rng, max_delay)
