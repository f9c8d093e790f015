"""Commands that keep the database safe: backup and check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from claimmap.cli.context import AppContext, emit_json, json_option, pass_app
from claimmap.services.checks import check_database
from claimmap.store.backup import backup_to


@click.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@json_option
@pass_app
def backup_cmd(app: AppContext, path: Path | None, as_json: bool) -> None:
    """Write an online, consistent copy of the database (VACUUM INTO)."""
    if path is None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        path = app.db_path.with_name(f"{app.db_path.stem}-backup-{stamp}.db")
    target = backup_to(app.db, path)
    if as_json:
        emit_json({"backup": str(target)})
    else:
        click.echo(f"backup written to {target}")


@click.command("check")
@json_option
@pass_app
def check_cmd(app: AppContext, as_json: bool) -> None:
    """Check integrity and claimmap's own invariants."""
    problems = check_database(app.db)
    if as_json:
        emit_json({"ok": not problems, "problems": problems})
    elif problems:
        for p in problems:
            click.echo(f"problem: {p}")
    else:
        click.echo("ok")
    if problems:
        raise SystemExit(1)


COMMANDS = [backup_cmd, check_cmd]
