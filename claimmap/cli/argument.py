"""``export argument`` (Argdown, AIF, DOT) and ``import-argument`` (AIF)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from claimmap.cli.context import AppContext, emit_json, json_option, pass_app
from claimmap.cli.safe_text import echo


@click.command("argument")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("argdown", "aif", "dot")),
    required=True,
    help="argdown: Argdown statements and relations; aif: AIFdb/OVA JSON; dot: Graphviz.",
)
@click.option(
    "-o", "--output", required=True, metavar="FILE|-", help="Output file, or - for stdout."
)
@click.option(
    "--annotator",
    default=None,
    help="Only this analyst's relations (default: everyone's).",
)
@json_option
@pass_app
def argument_cmd(
    app: AppContext, fmt: str, output: str, annotator: str | None, as_json: bool
) -> None:
    """Write the claim-level argument map: claims, and the relations lifted to them."""
    from claimmap.errors import ClaimmapError
    from claimmap.services.argument_export import (
        export_argument,
        render_argument,
    )

    if output == "-":
        if as_json:
            raise ClaimmapError("--json prints a summary; it cannot share stdout with -o -")
        data, _graph = render_argument(app.db, fmt, annotator)
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    summary = export_argument(app.db, fmt, Path(output), annotator)
    if as_json:
        emit_json(summary)
        return
    echo(
        f"wrote {output}: {summary['claims']} claims, {summary['claim_relations']} claim "
        f"relations (from {summary['relations']} span relations)"
    )


@click.command("import-argument")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("aif",)),
    default="aif",
    show_default=True,
    help="The file's format.",
)
@json_option
@pass_app
def import_argument_cmd(app: AppContext, path: Path, fmt: str, as_json: bool) -> None:
    """Add the supports/attacks relations of an AIF map to the spans its locutions quote.

    All or nothing: a locution that quotes no span here stops the import.
    """
    from claimmap.services.argument_export import import_aif
    from claimmap.services.article_files import database_files

    report = import_aif(app.db, path, forbidden=database_files(app.db_path))
    if as_json:
        emit_json(
            {
                "format": fmt,
                "relations": report.relations,
                "already_present": report.already_present,
                "created": report.created,
            }
        )
        return
    echo(
        f"imported {report.relations} relations from {path} "
        f"({report.already_present} already present)"
    )


COMMANDS = [import_argument_cmd]
