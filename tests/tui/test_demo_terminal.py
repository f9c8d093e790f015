"""The README's run command, for real: ``claimmap demo`` in a terminal shows the annotator."""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from claimmap.cli.main import main

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


# A private server (own socket, no config) so the user's tmux and its sizes play no part.
SOCKET = f"claimmap-test-{uuid.uuid4().hex[:8]}"


def _tmux(*args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", SOCKET, "-f", "/dev/null", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    ).stdout


def _wait_for(session: str, needle: str, timeout: float = 40.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux("capture-pane", "-p", "-t", session)
        if needle in screen:
            return screen
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} never appeared; last screen:\n{screen}")


def _wait_gone(session: str, needle: str, timeout: float = 15.0) -> None:
    """Wait until the app has quit and the terminal screen no longer shows it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if needle not in _tmux("capture-pane", "-p", "-t", session):
            return
        time.sleep(0.3)
    raise AssertionError("the app did not quit on ctrl+q")


def test_demo_command_opens_the_annotator(tmp_path: Path) -> None:
    session = f"claimmap-demo-{uuid.uuid4().hex[:8]}"
    # COLUMNS/LINES from the test runner would override the terminal's real size.
    env_prefix = (
        f"env -u COLUMNS -u LINES XDG_DATA_HOME={shlex.quote(str(tmp_path))} TERM=xterm-256color"
    )
    command = f"{env_prefix} {shlex.quote(sys.executable)} -m claimmap demo"
    _tmux(
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "140",
        "-y",
        "40",
        "-c",
        os.getcwd(),
        f"{command}; sleep 60",
    )
    try:
        screen = _wait_for(session, "Sentence")
        # The first article of the bundled seeds is open with its spans listed.
        assert "数字技术的发展" in screen
        assert "^q Quit" in screen
        _tmux("send-keys", "-t", session, "Tab")
        _wait_for(session, "n note")
        _tmux("send-keys", "-t", session, "C-q")
        _wait_gone(session, "^q Quit")
    finally:
        _tmux("kill-server")
    db_file = tmp_path / "claimmap" / "demo.db"
    assert db_file.exists()
    with sqlite3.connect(db_file) as conn:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        remembered = dict(conn.execute("SELECT key, value FROM app_state").fetchall())
    assert articles >= 5
    assert remembered.get("tui.last_article") == "1"


def test_demo_no_open_rebuilds_without_touching_other_databases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine.db"
    mine.write_bytes(b"")
    target = tmp_path / "demo" / "demo.db"
    for _ in range(2):  # recreated each run, not appended to
        with pytest.raises(SystemExit) as exit_info:
            main(["--db", str(mine), "demo", "--db", str(target), "--no-open"])
        assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert str(target) in out
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    assert mine.read_bytes() == b""
