"""Entry point: the ``claimmap`` group, global options and error reporting."""

from __future__ import annotations

import importlib
import os
import sqlite3
import sys
from pathlib import Path

import click

from claimmap.cli.safe_text import echo
from claimmap.errors import ClaimmapError

# Every command: (module, attribute, short help).  A CLI call imports only the
# module of the command it runs (importing them all cost ~0.5 s per call); the
# short help is kept here so ``claimmap --help`` lists every command without
# importing any.  tests/test_lazy_cli.py checks this table against the modules.
LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "import": (
        "claimmap.cli.corpus",
        "import_cmd",
        "Import articles (.txt, .md) and documents (.pdf, .docx, .html, .epub): files, folders, globs.",
    ),
    "articles": (
        "claimmap.cli.listings",
        "articles_cmd",
        "List the imported articles, or set one's URL.",
    ),
    "show": (
        "claimmap.cli.corpus",
        "show_cmd",
        "Print an article's canonical text exactly as stored.",
    ),
    "annotate": (
        "claimmap.cli.spans",
        "annotate_cmd",
        "Highlight a passage of ARTICLE by --quote or by --start/--end, and tag it.",
    ),
    "spans": (
        "claimmap.cli.listings",
        "spans_cmd",
        "List spans (of one ARTICLE, one tag, or orphaned).",
    ),
    "tag": ("claimmap.cli.spans", "tag_cmd", "Add or remove tags on SPAN."),
    "note": (
        "claimmap.cli.spans",
        "note_cmd",
        "Set SPAN's note to TEXT (an empty TEXT clears it).",
    ),
    "delete": (
        "claimmap.cli.spans",
        "delete_cmd",
        "Delete SPAN with its tags, note, links and relations.",
    ),
    "tags": (
        "claimmap.cli.spans",
        "tags_group",
        "List the codebook (key, colour, name, description), or change it with a subcommand.",
    ),
    "link": (
        "claimmap.cli.links",
        "link_cmd",
        "Score span pairs across articles and store new suggestions.",
    ),
    "links": (
        "claimmap.cli.links",
        "links_group",
        "List links, or review them with 'links accept' / 'links reject'.",
    ),
    "similar": (
        "claimmap.cli.links",
        "similar_cmd",
        "The best candidates from other articles for SPAN, whatever the threshold.",
    ),
    "claims": (
        "claimmap.cli.links",
        "claims_group",
        "List claims (spans joined by confirmed links); label, merge, detach.",
    ),
    "aliases": (
        "claimmap.cli.links",
        "aliases_group",
        "List analyst aliases (spellings the linker treats as one), or add one.",
    ),
    "review": (
        "claimmap.cli.review",
        "review_cmd",
        "The next pairs to review, most likely links first (no threshold).",
    ),
    "export": (
        "claimmap.cli.export",
        "export_group",
        "Export the claim matrix, the framing summary, the annotations or the argument map.",
    ),
    "import-annotations": (
        "claimmap.cli.export",
        "import_annotations_cmd",
        "Import W3C annotations (claimmap's, Hypothesis's), a .qdpx project or a .qdc codebook.",
    ),
    "import-argument": (
        "claimmap.cli.argument",
        "import_argument_cmd",
        "Add the supports/attacks relations of an AIF map to the spans its locutions quote.",
    ),
    "backup": (
        "claimmap.cli.maintenance",
        "backup_cmd",
        "Write an online, consistent copy of the database (VACUUM INTO), verified before it "
        "gets its name.",
    ),
    "check": (
        "claimmap.cli.maintenance",
        "check_cmd",
        "Check integrity and claimmap's own invariants; name a backup to restore if damaged.",
    ),
    "agreement": (
        "claimmap.cli.agreement",
        "agreement_cmd",
        "Krippendorff's alpha between analysts per tag (uα and sentences), and on claims.",
    ),
    "disagreements": (
        "claimmap.cli.agreement",
        "disagreements_cmd",
        "Two analysts' disagreements, ranked, both versions quoted (md, html, json).",
    ),
    "adjudicate": (
        "claimmap.cli.agreement",
        "adjudicate_cmd",
        "Settle a disagreement into the consensus layer (--take a|b|both|neither|edit), or undo.",
    ),
    "sync": (
        "claimmap.cli.sync",
        "sync_cmd",
        "Write your layer into DIR/<annotator>/ and read every other analyst's folder.",
    ),
    "demo": (
        "claimmap.cli.demo",
        "demo_cmd",
        "Build a fresh demo database from the bundled seeds and open the annotator on it.",
    ),
    "relations": (
        "claimmap.cli.relations",
        "relations_group",
        "List relations (supports/attacks between spans), or add or delete one.",
    ),
}


class LazyGroup(click.Group):
    """A group whose commands are imported when run (or asked for), not at start-up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            module_name, attribute, _short = LAZY_COMMANDS[cmd_name]
            command = getattr(importlib.import_module(module_name), attribute)
            assert isinstance(command, click.Command)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # click's own listing would call get_command for each name, importing every
        # module just to print one line each.
        rows = [
            (name, LAZY_COMMANDS[name][2])
            if name in LAZY_COMMANDS
            else (name, self.commands[name].get_short_help_str(limit=10_000))
            for name in self.list_commands(ctx)
        ]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Database file (default: $CLAIMMAP_DB or ./claimmap.db).",
)
@click.option(
    "--annotator",
    default=None,
    metavar="NAME",
    help="The analyst whose layer you work in (default: $CLAIMMAP_ANNOTATOR, else the OS user).",
)
@click.version_option(package_name="claimmap")
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None, annotator: str | None) -> None:
    """Map claims across a corpus of articles.

    Without a subcommand, opens the annotator on the database.
    """
    # Imported here: it brings pydantic and sqlite-utils, which --help does not need.
    from claimmap.cli.context import AppContext
    from claimmap.services.analyst import acting_as

    # Every service that writes reads the current analyst from here, so each
    # command (and the app) records who did it without passing it along.
    ctx.with_resource(acting_as(annotator))
    app = AppContext(db_path)
    ctx.obj = app
    ctx.call_on_close(app.close)
    if ctx.invoked_subcommand is None:
        from claimmap.services.analyst import current_annotator, named_annotator
        from claimmap.tui.launch import run_app

        run_app(app.db_path, annotator=current_annotator(), layer=named_annotator())


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
