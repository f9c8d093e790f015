"""Commands that keep the database safe: backup and check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from claimmap.cli.context import AppContext, emit_json, json_option, pass_app
from claimmap.cli.safe_text import echo
from claimmap.services.checks import check_file
from claimmap.store.backup import backup_dir, backup_to
from claimmap.store.readonly import existing_file


@click.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@json_option
@pass_app
def backup_cmd(app: AppContext, path: Path | None, as_json: bool) -> None:
    """Write an online, consistent copy of the database (VACUUM INTO), verified before
    it gets its name."""
    # A mistyped --db must not create an empty database only to back it up.
    existing_file(app.db_path)
    family = None
    if path is None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        path = app.db_path.with_name(f"{app.db_path.stem}-backup-{stamp}.db")
        family = f"{app.db_path.stem}-backup-*.db"
    target = backup_to(app.db, path, family=family)
    if as_json:
        emit_json({"backup": str(target)})
    else:
        echo(f"backup written to {target}")


@click.command("check")
@json_option
@pass_app
def check_cmd(app: AppContext, as_json: bool) -> None:
    """Check integrity and claimmap's own invariants; name a backup to restore if damaged.

    Never creates, migrates or writes the database.
    """
    report = check_file(app.db_path)
    if as_json:
        emit_json(
            {
                "ok": report.ok,
                "problems": report.problems,
                "notes": report.notes,
                "backup": report.backup,
                "restore": report.restore,
            }
        )
    else:
        for p in report.problems:
            echo(f"problem: {p}")
        for note in report.notes:
            echo(f"note: {note}")
        if report.ok:
            echo("ok")
        elif report.backup is not None:
            echo(f"newest backup: {report.backup} (written {report.backup_written})")
            echo("to restore it, close every claimmap using this database, then run:")
            echo(f"  {report.restore}")
        else:
            echo(
                f"no backup found (looked in {backup_dir(app.db_path)} and for "
                f"{app.db_path.stem}-backup-*.db beside the database)"
            )
    if not report.ok:
        raise SystemExit(1)


COMMANDS = [backup_cmd, check_cmd]
