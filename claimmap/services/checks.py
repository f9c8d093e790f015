"""Database health: SQLite's integrity check plus claimmap's own invariants.

``check_file`` is what ``claimmap check`` runs: it opens the file read-only (a
missing file is an error, an empty or foreign one a problem, an older schema is
reported, never migrated) and, when something is wrong, names the newest backup
that passes its own integrity check and the commands that restore it.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from claimmap.store.backup import backups_of
from claimmap.store.readonly import (
    existing_file,
    is_claimmap_schema,
    open_readonly,
    pending_migrations,
    unknown_migrations,
)


@dataclass
class CheckReport:
    path: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # information, not damage
    backup: str | None = None  # newest backup that passed its own check
    backup_written: str | None = None
    restore: str | None = None  # shell commands that put the backup in place

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(db: Database) -> list[str]:
    """Problems found (empty when healthy)."""
    return integrity_problems(db) or invariant_problems(db)


def integrity_problems(db: Database) -> list[str]:
    """SQLite's integrity check, one finding per entry; an unreadable file is one too."""
    try:
        rows = [str(r[0]) for r in db.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        # The check itself stops at the first damaged page: look table by table.
        return [f"unreadable: {exc}", *_per_table(db)]
    return [] if rows == ["ok"] else _findings(rows)


def _findings(rows: list[str]) -> list[str]:
    # One row can hold many findings, one per line, under a "*** in database" header.
    return [
        f"integrity: {line.strip()}"
        for row in rows
        for line in row.splitlines()
        if line.strip() and not line.startswith("*** in database")
    ]


def _per_table(db: Database) -> list[str]:
    try:
        names = [str(r[0]) for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    except sqlite3.DatabaseError:
        return []  # the schema itself cannot be read: nothing more to say
    found: list[str] = []
    for name in names:
        quoted = name.replace("'", "''")
        try:
            rows = [str(r[0]) for r in db.execute(f"PRAGMA integrity_check('{quoted}')")]
        except sqlite3.DatabaseError as exc:
            found.append(f"table {name}: {exc}")
            continue
        if rows != ["ok"]:
            found.extend(f"table {name}: {f.removeprefix('integrity: ')}" for f in _findings(rows))
    return found


def invariant_problems(db: Database) -> list[str]:
    """claimmap's own rules, on a database SQLite finds intact."""
    problems = [f"foreign key: {r}" for r in db.execute("PRAGMA foreign_key_check")]
    triggers = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    applied = {r[0] for r in db.execute("SELECT name FROM schema_migrations")}
    if "0003_span_quote_guard" in applied:
        for name in ("spans_quote_matches_insert", "spans_quote_matches_update"):
            if name not in triggers:
                problems.append(f"schema: trigger {name} is missing (spans are not guarded)")
    for span_id, quote, start, end, text in db.execute(
        'SELECT s.id, s.quote, s.start, s."end", a.text FROM spans s '
        "JOIN articles a ON a.id = s.article_id WHERE s.orphaned = 0"
    ):
        if text[start:end] != quote:
            problems.append(f"span {span_id}: quote differs from the text at {start}-{end}")
    for (span_id,) in db.execute(
        "SELECT s.id FROM spans s WHERE NOT EXISTS (SELECT 1 FROM span_tags t WHERE t.span_id = s.id)"
    ):
        problems.append(f"span {span_id}: has no tag")
    for link_id, a, b in db.execute(
        "SELECT l.id, l.a, l.b FROM links l JOIN spans sa ON sa.id = l.a JOIN spans sb ON sb.id = l.b "
        "WHERE l.status = 'confirmed' AND sa.claim_id IS NOT sb.claim_id"
    ):
        problems.append(f"link {link_id}: confirmed but spans {a} and {b} are in different claims")
    for (span_id,) in db.execute("SELECT id FROM spans WHERE claim_id IS NULL"):
        problems.append(f"span {span_id}: belongs to no claim")
    return problems


def check_file(path: Path) -> CheckReport:
    """Check the database file at ``path`` without creating, migrating or writing it."""
    st = existing_file(path)
    report = CheckReport(str(path))
    if st.st_size == 0:
        report.problems.append("the file is empty (0 bytes): not a database")
    else:
        db = open_readonly(path)
        try:
            _inspect(db, report)
        finally:
            db.close()
    if report.problems:
        _name_backup(path, report)
    return report


def _inspect(db: Database, report: CheckReport) -> None:
    report.problems.extend(integrity_problems(db))
    if report.problems:
        return
    if not db.table_names():
        report.problems.append("an empty SQLite database, not a claimmap database")
        return
    if not is_claimmap_schema(db):
        report.problems.append("not a claimmap database (its tables are not claimmap's)")
        return
    unknown = unknown_migrations(db)
    if unknown:
        report.notes.append(
            f"schema is newer than this claimmap (unknown migration {unknown[-1]}): "
            "claimmap's own checks skipped; upgrade claimmap"
        )
        return
    pending = pending_migrations(db)
    if pending:
        report.notes.append(
            f"needs migration: {len(pending)} pending ({', '.join(pending)}); the next "
            "claimmap command that opens it for writing migrates it, after a backup"
        )
    try:
        report.problems.extend(invariant_problems(db))
    except sqlite3.OperationalError as exc:
        if not pending:
            raise
        report.notes.append(f"claimmap's own checks skipped until it is migrated ({exc})")


def _name_backup(path: Path, report: CheckReport) -> None:
    for candidate in backups_of(path):
        if _backup_is_sound(candidate):
            report.backup = str(candidate)
            written = dt.datetime.fromtimestamp(candidate.stat().st_mtime, dt.UTC)
            report.backup_written = written.strftime("%Y-%m-%d %H:%M UTC")
            report.restore = restore_command(path, candidate)
            return
        report.notes.append(f"backup {candidate} is damaged too; skipped")


def _backup_is_sound(path: Path) -> bool:
    try:
        db = open_readonly(path)
        try:
            return integrity_problems(db) == [] and is_claimmap_schema(db)
        finally:
            db.close()
    except sqlite3.Error:
        return False


def restore_command(db_path: Path, backup: Path) -> str:
    """Shell commands that set the damaged database aside and put ``backup`` in its place.

    The -wal and -shm files go aside with it: a stale WAL left beside the restored
    copy would be replayed onto it.  Run only with every claimmap closed.
    """
    aside = Path(f"{db_path}.damaged")
    n = 2
    while os.path.lexists(aside):
        aside = Path(f"{db_path}.damaged-{n}")
        n += 1
    q = shlex.quote
    steps = [f"mv {q(str(db_path))} {q(str(aside))}"]
    for suffix in ("-wal", "-shm"):
        if os.path.lexists(f"{db_path}{suffix}"):
            steps.append(f"mv {q(f'{db_path}{suffix}')} {q(f'{aside}{suffix}')}")
    steps.append(f"cp {q(str(backup))} {q(str(db_path))}")
    return " && ".join(steps)
