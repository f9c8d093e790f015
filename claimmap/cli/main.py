"""Entry point: the ``claimmap`` group, global options and error reporting."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import click

from claimmap.cli.context import AppContext
from claimmap.cli.safe_text import echo
from claimmap.errors import ClaimmapError


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Database file (default: $CLAIMMAP_DB or ./claimmap.db).",
)
@click.version_option(package_name="claimmap")
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None) -> None:
    """Map claims across a corpus of articles.

    Without a subcommand, opens the annotator on the database.
    """
    app = AppContext(db_path)
    ctx.obj = app
    ctx.call_on_close(app.close)
    if ctx.invoked_subcommand is None:
        from claimmap.tui.launch import run_app

        run_app(app.db_path)


def _register() -> None:
    from claimmap.cli import corpus, demo, export, links, maintenance, review, spans

    for module in (corpus, spans, links, review, export, maintenance, demo):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; user errors become one ``error:`` line and exit status 1."""
    try:
        cli.main(args=argv, prog_name="claimmap", standalone_mode=False)
    except ClaimmapError as exc:
        # Split on newlines only: str.splitlines() also splits on \r, \x1c-\x1e and
        # \x85, which a file name or quote in the message may hold; echo shows
        # those as escapes instead.
        for line in str(exc).split("\n") if str(exc) else ["unknown error"]:
            echo(f"error: {line}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        echo("error: aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        echo(f"error: {exc.format_message()}", err=True)
        sys.exit(1)
    except sqlite3.Error as exc:
        # Locked past the busy timeout, disk full, read-only file: the write unit
        # rolled back, so the database is as it was before the command.
        if os.environ.get("CLAIMMAP_DEBUG"):
            raise
        echo(f"error: database: {exc}; nothing was changed", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        echo("error: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # Output piped into `head` etc.: not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except OSError as exc:
        if os.environ.get("CLAIMMAP_DEBUG"):
            raise
        echo(f"error: {exc}", err=True)
        sys.exit(1)
    sys.exit(0)
