"""File-crash rounds: SIGKILL a process while it writes backups and folder exports.

Shared by ``test_whole_files.py`` (a few rounds) and ``benchmarks/bench_crash.py``
(many).  After every kill, whatever stands under a final name must be whole:

- every ``*.db`` under a backup's final name passes ``PRAGMA integrity_check`` and
  holds the claimmap schema and every article;
- every export folder is exactly the previous complete export or the new one
  (computed again from the database), never a mix, never missing once written;
- at most ``KEEP_AUTOMATIC`` automatic backups, plus the one a kill may have
  caught between writing and rotating.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from claimmap.atomic_files import TEMP_MARK
from claimmap.services.exporting import export_annotations
from claimmap.store import open_db
from claimmap.store.backup import KEEP_AUTOMATIC, backup_dir
from tests.reliability.crash import REPO, fresh_db, make_template

Tree = dict[str, bytes]
FOLDERS = ("w3c", "brat")


@dataclass
class FileRoundResult:
    stage: str  # the last stage the writer logged before the kill
    problems: list[str]
    leftovers: int  # hidden temporaries a kill left (the next write removes them)
    backups_checked: int
    folders_previous: int = 0  # folders found holding the previous export
    folders_new: int = 0  # folders found holding the new export


def make_big_db(folder: Path, megabytes: float) -> Path:
    """A claimmap database of about ``megabytes`` MB: the short seeds, then copies of
    their articles, so a backup takes long enough to be killed in the middle."""
    path = make_template(folder)
    conn = sqlite3.connect(path)
    try:
        columns = (
            "source, source_path, title, authors, venue, date, script, encoding, "
            "raw_sha256, text_sha256, text, chars, imported_at, updated_at"
        )
        n = 0
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        while conn.execute("PRAGMA page_count").fetchone()[0] * page_size < megabytes * 1e6:
            n += 1
            conn.execute(
                f"INSERT INTO articles (ref, {columns}) "
                f"SELECT ref || '-copy{n}', {columns} FROM articles WHERE ref NOT LIKE '%-copy%'"
            )
            conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return path


def read_tree(folder: Path) -> Tree | None:
    if not folder.exists():
        return None
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def expected_trees(db_path: Path, scratch: Path) -> dict[str, Tree | None]:
    """The folders a complete export of the database, as it is now, gives."""
    db = open_db(db_path)
    try:
        out: dict[str, Tree | None] = {}
        for fmt in FOLDERS:
            target = scratch / fmt
            export_annotations(db, fmt, target)
            out[fmt] = read_tree(target)
        return out
    finally:
        db.close()


def backup_problems(paths: Iterable[Path], articles: int) -> tuple[int, list[str]]:
    problems: list[str] = []
    checked = 0
    for path in paths:
        checked += 1
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
                count = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
                conn.execute("SELECT count(*) FROM schema_migrations").fetchone()
            finally:
                conn.close()
        except sqlite3.Error as exc:
            problems.append(f"{path.name}: cannot be read ({exc}); size {path.stat().st_size}")
            continue
        if result != ["ok"]:
            problems.append(f"{path.name}: integrity {result[:3]}")
        elif count != articles:
            problems.append(f"{path.name}: {count} articles, expected {articles}")
    return checked, problems


def count_leftovers(*folders: Path) -> int:
    return sum(1 for f in folders if f.is_dir() for p in f.iterdir() if TEMP_MARK in p.name)


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def _stages(log: Path) -> list[tuple[str, float]]:
    """(stage, seconds after ready) as the writer logged them."""
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    timed = [(name, float(at)) for name, at in (line.split("\t") for line in lines)]
    return [(name, at - timed[0][1]) for name, at in timed]


def run_writer(
    db_path: Path, work: Path, seed: int, mode: str, aim: tuple[str, float] | None
) -> tuple[list[tuple[str, float]], list[str]]:
    """Start the writer; SIGKILL it ``aim = (stage, delay)``: ``delay`` seconds after
    it logged ``stage`` (None: once it has logged ``done``).  Returns its stages."""
    log = work / "stages.log"
    log.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.reliability.file_writer",
            str(db_path),
            str(work),
            str(seed),
            mode,
        ],
        cwd=REPO,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    problems: list[str] = []
    try:
        stage, delay = aim if aim is not None else ("done", 0.0)
        # Waiting for the stage itself (not a time since start) keeps the aim true
        # however long the stages before it took on a loaded machine.
        deadline = time.monotonic() + 60
        wanted = f"{stage}\t".encode()
        while time.monotonic() < deadline and proc.poll() is None:
            if log.exists() and (b"\n" + wanted) in b"\n" + log.read_bytes():
                break
            time.sleep(0.002)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
    finally:
        _, err = proc.communicate(timeout=60)
    # A writer that failed by itself is a failure even if the kill came while it
    # was still exiting.
    if proc.returncode != -signal.SIGKILL or b"Traceback" in err:
        problems.append(f"writer exited {proc.returncode}: {err.decode()[-2000:]}")
    return _stages(log), problems


@dataclass
class FileCrashRun:
    """Rounds on one database and one work folder, each starting from the last."""

    folder: Path
    megabytes: float = 3.0
    db_path: Path = field(init=False)
    work: Path = field(init=False)
    articles: int = field(init=False)
    previous: dict[str, Tree | None] = field(init=False)

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        template = make_big_db(self.folder, self.megabytes)
        self.db_path = fresh_db(template, self.folder / "files.db")
        self.work = self.folder / "work"
        self.work.mkdir()
        conn = sqlite3.connect(self.db_path)
        try:
            self.articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
        self.previous = {fmt: None for fmt in FOLDERS}
        # (stage, start, end), measured by the first round (which runs to the end).
        self.windows: list[tuple[str, float, float]] = []

    def _aim(self, rng: random.Random) -> tuple[str, float] | None:
        """Mostly inside a stage that writes files (a folder being written, a
        backup), at a random point of it; otherwise anywhere in the cycle."""
        if not self.windows:
            return None
        writing = [w for w in self.windows if w[0].startswith(("write", "backup"))]
        if rng.random() < 0.8 and writing:
            name, start, end = rng.choice(writing)
            return name, rng.uniform(0, end - start)
        return "ready", rng.uniform(0, self.windows[-1][2])

    def round(self, rng: random.Random) -> FileRoundResult:
        stages, problems = run_writer(
            self.db_path, self.work, rng.randrange(2**31), "cycle", self._aim(rng)
        )
        if not self.windows:
            self.windows = [(a[0], a[1], b[1]) for a, b in itertools.pairwise(stages)]
        stage = stages[-1][0] if stages else "(none)"
        with tempfile.TemporaryDirectory(dir=self.folder) as scratch:
            new = expected_trees(self.db_path, Path(scratch))
        result = FileRoundResult(stage, problems, 0, 0)
        for fmt in FOLDERS:
            found = read_tree(self.work / fmt)
            if found == new[fmt]:
                result.folders_new += 1
            elif found == self.previous[fmt]:
                result.folders_previous += 1
            else:
                names = sorted(found) if found is not None else None
                problems.append(f"{fmt}: neither the previous nor the new export ({names})")
            self.previous[fmt] = found
        backups = [
            *sorted((self.work / "manual").glob("*.db")),
            *sorted(backup_dir(self.db_path).glob("*.db")),
        ]
        result.backups_checked, bad = backup_problems(backups, self.articles)
        problems.extend(bad)
        automatic = list(backup_dir(self.db_path).glob(f"{self.db_path.stem}-*.db"))
        if len(automatic) > KEEP_AUTOMATIC + 1:
            problems.append(f"{len(automatic)} automatic backups kept")
        result.leftovers = count_leftovers(
            self.work, self.work / "manual", backup_dir(self.db_path)
        )
        return result


def backup_kill_rounds(
    folder: Path, rounds: int, seed: int, megabytes: float = 3.0, max_delay: float = 0.6
) -> Iterable[tuple[int, FileRoundResult]]:
    """Kill a process that does nothing but back up, at random moments."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    db_path = fresh_db(make_big_db(folder, megabytes), folder / "backed.db")
    work = folder / "backups-work"
    work.mkdir()
    conn = sqlite3.connect(db_path)
    try:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        conn.close()
    for n in range(rounds):
        stages, problems = run_writer(
            db_path, work, rng.randrange(2**31), "backups", ("ready", rng.uniform(0, max_delay))
        )
        stage = stages[-1][0] if stages else "(none)"
        checked, bad = backup_problems(sorted((work / "manual").glob("*.db")), articles)
        problems.extend(bad)
        yield n, FileRoundResult(stage, problems, count_leftovers(work / "manual"), checked)


def file_rounds(
    folder: Path, rounds: int, seed: int, megabytes: float = 3.0
) -> Iterable[tuple[int, FileRoundResult]]:
    """The first round runs the whole cycle (and measures it); the others are killed."""
    rng = random.Random(seed)
    run = FileCrashRun(folder, megabytes)
    for n in range(rounds):
        yield n, run.round(rng)
