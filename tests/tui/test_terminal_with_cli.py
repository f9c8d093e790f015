"""The real app in a terminal and the CLI in another process, on one database file.

The way the README invites people to work: the annotator open, ``claimmap``
commands beside it.  Keys in the app and commands from the other process are
interleaved; every acknowledged write must be in the file, with its own id, the
app must show what the CLI wrote, the CLI must see what the app wrote, and the
file must pass SQLite's integrity check afterwards.
"""

from __future__ import annotations

import json
import shlex
import shutil
import sqlite3
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.reliability.helpers import run_cli_subprocess

from .conftest import ARTICLE_A, ARTICLE_B, MakeDb
from .test_demo_terminal import _tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


def _screen(session: str) -> str:
    return _tmux("capture-pane", "-p", "-t", session)


def _wait_for(session: str, needle: str, timeout: float = 40.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _screen(session)
        if needle in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} never appeared; last screen:\n{screen}")


def _cli(db: Path, *args: str) -> str:
    done = run_cli_subprocess(db, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_app_and_cli_interleaved_on_one_file(make_db: MakeDb) -> None:
    db = make_db({"a_alliance": ARTICLE_A, "b_eu": ARTICLE_B})
    session = f"claimmap-two-{uuid.uuid4().hex[:8]}"
    command = (
        f"env -u COLUMNS -u LINES TERM=xterm-256color {shlex.quote(sys.executable)} "
        f"-m claimmap --db {shlex.quote(str(db))}"
    )
    _tmux("new-session", "-d", "-s", session, "-x", "150", "-y", "40", f"{command}; sleep 60")
    acknowledged: dict[int, str] = {}
    try:
        _wait_for(session, "^q Quit")
        _tmux("send-keys", "-t", session, "Tab")  # the side panels open their own connections
        time.sleep(1.0)
        _cli(db, "articles")  # open and close in another process, as a user would
        assert Path(f"{db}-wal").exists(), "another process deleted the WAL under the app"

        made = json.loads(
            _cli(db, "annotate", "a_alliance", "--quote", "出口管制", "--tag", "impact", "--json")
        )
        acknowledged[made["id"]] = "出口管制"
        _wait_for(session, "■ 出口管制")  # the app shows the CLI's span

        _tmux("send-keys", "-t", session, "j", "j", "s", "1")  # the app tags a sentence
        _wait_for(session, "motive: 数字技术")
        listed = json.loads(_cli(db, "spans", "--json"))
        app_made = [s for s in listed if s["quote"].startswith("数字技术")]
        assert len(app_made) == 1
        acknowledged[app_made[0]["id"]] = app_made[0]["quote"]

        made = json.loads(
            _cli(db, "annotate", "b_eu", "--quote", "监管框架", "--tag", "limitation", "--json")
        )
        acknowledged[made["id"]] = "监管框架"
        _tmux("send-keys", "-t", session, "escape", ")", "s", "2")  # and another one
        _wait_for(session, "limitation: 美日两国")
        _tmux("send-keys", "-t", session, "C-q")
        time.sleep(1.5)
    finally:
        _tmux("kill-server")

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = dict(conn.execute("SELECT id, quote FROM spans").fetchall())
    finally:
        conn.close()
    assert len(rows) == 4
    for span_id, quote in acknowledged.items():
        assert rows[span_id] == quote
    assert any(q.startswith("美日两国") for q in rows.values())
    assert _cli(db, "check").strip() == "ok"
