"""``claimmap sync DIR``: share analysts' layers through a folder kept in git."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from claimmap.cli.context import AppContext, emit_json, json_option, pass_app
from claimmap.cli.safe_text import echo


@click.command("sync")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@json_option
@pass_app
def sync_cmd(app: AppContext, directory: Path, as_json: bool) -> None:
    """Write your layer into DIR/<annotator>/ and read every other analyst's folder.

    DIR/articles/ carries the articles, so a teammate with an empty database gets
    everything.  Each analyst writes only their own folder: commit DIR with git,
    and pulls and pushes never conflict.  Run it again: nothing changes.
    """
    from claimmap.services.sync import sync

    report = sync(app.db, directory, app.db_path)
    for warning in report.warnings:
        echo(f"warning: {warning}", err=True)
    if as_json:
        emit_json(dataclasses.asdict(report))
        return
    others = ", ".join(report.read) or "none"
    echo(
        f"{report.annotator}: {report.written} file(s) written, {report.unchanged} unchanged, "
        f"{report.deleted} removed; read {others}: {report.articles_added} article(s) added, "
        f"spans {report.spans_added} added, {report.spans_updated} updated, "
        f"{report.spans_deleted} deleted; {report.links_changed} link(s) and "
        f"{report.relations_changed} relation(s) changed"
    )


COMMANDS = [sync_cmd]
