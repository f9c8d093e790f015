"""Commands about spans and the codebook: annotate, tag, note, delete, tags (``spans`` lists
them from ``cli/listings``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from claimmap.cli.context import (
    AppContext,
    emit_json,
    json_option,
    pass_app,
)
from claimmap.cli.safe_text import echo
from claimmap.errors import ClaimmapError
from claimmap.services.codebook import add_tag, describe_tag, list_tags
from claimmap.store.spans import get_span


@click.command("annotate")
@click.argument("article", required=False)
@click.option("--quote", help="The passage, as copied (raw-file noise is tolerated).")
@click.option("--start", type=int, help="Start offset (code points, inclusive).")
@click.option("--end", type=int, help="End offset (code points, exclusive).")
@click.option("--tag", "tags", multiple=True, help="Tag name or key (repeatable).")
@click.option("--note", default=None, help="A note on the span.")
@click.option(
    "--occurrence", type=int, default=None, help="Which occurrence of the quote (1-based)."
)
@click.option(
    "--from",
    "batch",
    default=None,
    metavar="FILE.jsonl|-",
    help="Annotate every line of a JSON Lines file (- for stdin) instead of one passage.",
)
@click.option(
    "--all-or-nothing",
    is_flag=True,
    help="With --from: one transaction for the whole file; any bad line stores nothing.",
)
@click.option(
    "--annotator",
    default=None,
    help="Annotator name for this span (default: 'claimmap --annotator', "
    "$CLAIMMAP_ANNOTATOR, else the OS user).",
)
@json_option
@pass_app
def annotate_cmd(
    app: AppContext,
    article: str | None,
    quote: str | None,
    start: int | None,
    end: int | None,
    tags: tuple[str, ...],
    note: str | None,
    occurrence: int | None,
    batch: str | None,
    all_or_nothing: bool,
    annotator: str | None,
    as_json: bool,
) -> None:
    """Highlight a passage of ARTICLE by --quote or by --start/--end, and tag it.

    With --from FILE.jsonl, annotate one passage per line instead: each line is
    {"article", "quote" or "start"/"end", "tags", optional "note", "occurrence"}.
    Each line is committed on its own (failed lines are reported, exit status 1)
    unless --all-or-nothing.
    """
    if annotator is not None:
        # A name typed here names a layer, which is a sync folder: the same rules as
        # 'claimmap --annotator' (imports and scripts may store any name).
        from claimmap.services.analyst import check_annotator

        annotator = check_annotator(annotator)
    if batch is not None:
        given = [article, quote, start, end, note, occurrence, *tags]
        if any(v is not None for v in given):
            raise ClaimmapError("--from takes everything from the file: give no ARTICLE or --tag")
        _annotate_from(
            app, batch, all_or_nothing=all_or_nothing, annotator=annotator, as_json=as_json
        )
        return
    # Imported here, as in the commands below: anchoring pulls in rapidfuzz and
    # OpenCC, which listing commands in this module do not need.
    from claimmap.services.annotating import annotate_quote, annotate_range

    if all_or_nothing:
        raise ClaimmapError("--all-or-nothing goes with --from")
    if article is None:
        raise ClaimmapError("give ARTICLE (or --from FILE.jsonl)")
    if not tags:
        raise ClaimmapError("give at least one --tag")
    if quote is not None and (start is not None or end is not None):
        raise ClaimmapError("give either --quote or --start/--end, not both")
    if quote is not None:
        result = annotate_quote(
            app.db, article, quote, tags, note=note, occurrence=occurrence, annotator=annotator
        )
    elif start is not None and end is not None:
        if occurrence is not None:
            raise ClaimmapError("--occurrence goes with --quote")
        result = annotate_range(app.db, article, start, end, tags, note=note, annotator=annotator)
    else:
        raise ClaimmapError("give --quote TEXT, or both --start I and --end J")
    if as_json:
        emit_json(result.model_dump(mode="json", exclude={"merged"}))
    else:
        verb = "merged into" if result.merged else "created"
        echo(
            f"{verb} span {result.id} [{result.start}:{result.end}] ({result.anchor}) "
            f"{','.join(result.tags)}: {result.quote}"
        )
    for warning in result.warnings:
        echo(f"warning: span {result.id}: {warning}", err=True)


def _annotate_from(
    app: AppContext, source: str, *, all_or_nothing: bool, annotator: str | None, as_json: bool
) -> None:
    from claimmap.services.annotate_batch import annotate_batch, read_batch

    stdin = sys.stdin.buffer.read() if source == "-" else None
    lines = read_batch(None if source == "-" else Path(source), stdin, db_path=app.db_path)
    results = annotate_batch(app.db, lines, all_or_nothing=all_or_nothing, annotator=annotator)
    failed = sum(1 for r in results if r.status == "error")
    if as_json:
        emit_json(results)
    else:
        for r in results:
            if r.status == "error":
                echo(f"error: line {r.line}: {r.error}", err=True)
                continue
            verb = "merged into" if r.status == "merged" else "created"
            echo(
                f"line {r.line}: {verb} span {r.span} [{r.start}:{r.end}] {','.join(r.tags)}: {r.quote}"
            )
            for warning in r.warnings:
                echo(f"warning: line {r.line}: span {r.span}: {warning}", err=True)
        stored = len(results) - failed
        echo(f"{stored} line(s) stored, {failed} failed", err=failed > 0)
    if failed:
        raise SystemExit(1)


@click.command("tag")
@click.argument("span", type=int)
@click.option("--add", "add", multiple=True, help="Tag to add (repeatable).")
@click.option("--remove", "remove", multiple=True, help="Tag to remove (repeatable).")
@json_option
@pass_app
def tag_cmd(
    app: AppContext, span: int, add: tuple[str, ...], remove: tuple[str, ...], as_json: bool
) -> None:
    """Add or remove tags on SPAN."""
    from claimmap.services.annotating import change_tags

    result = change_tags(app.db, span, add, remove)
    if as_json:
        emit_json(result)
    else:
        echo(f"span {result.id}: {','.join(result.tags)}")


@click.command("note")
@click.argument("span", type=int)
@click.argument("text")
@json_option
@pass_app
def note_cmd(app: AppContext, span: int, text: str, as_json: bool) -> None:
    """Set SPAN's note to TEXT (an empty TEXT clears it)."""
    from claimmap.services.annotating import set_note

    result = set_note(app.db, span, text)
    if as_json:
        emit_json(result)
    else:
        echo(f"span {result.id}: note {'cleared' if result.note is None else 'set'}")


@click.command("delete")
@click.argument("span", type=int)
@json_option
@pass_app
def delete_cmd(app: AppContext, span: int, as_json: bool) -> None:
    """Delete SPAN with its tags, note, links and relations."""
    from claimmap.services.annotating import delete_span

    before = get_span(app.db, span)
    delete_span(app.db, span)
    if as_json:
        emit_json({"deleted": before.id})
    else:
        echo(f"deleted span {before.id}: {before.quote}")


@click.group("tags", invoke_without_command=True)
@json_option
@click.pass_context
def tags_group(ctx: click.Context, as_json: bool) -> None:
    """List the codebook (key, colour, name, description), or change it with a subcommand."""
    if ctx.invoked_subcommand is not None:
        return
    app: AppContext = ctx.obj
    tags = list_tags(app.db)
    if as_json:
        emit_json(tags)
        return
    for t in tags:
        # A child's name already shows its parent (limitation/technical).
        about = f"  # {' '.join(t.description.split())}" if t.description else ""
        echo(f"{t.ordinal:>2}  {t.key or ' '}  {t.color}  {t.name}{about}")


@tags_group.command("add")
@click.argument("name")
@click.option("--key", default=None, help="One-character key for the annotator.")
@click.option("--color", default=None, help="Colour as #rrggbb.")
@click.option("--description", default=None, help="What the code means, when to use it.")
@json_option
@pass_app
def tags_add_cmd(
    app: AppContext,
    name: str,
    key: str | None,
    color: str | None,
    description: str | None,
    as_json: bool,
) -> None:
    """Add NAME to the codebook; PARENT/NAME adds a child of the code PARENT."""
    tag = add_tag(app.db, name, key, color, description)
    if as_json:
        emit_json(tag)
    else:
        under = f", under {tag.parent}" if tag.parent else ""
        echo(f"added tag {tag.name} (key {tag.key or '-'}, {tag.color}{under})")


@tags_group.command("describe")
@click.argument("name")
@click.argument("text")
@json_option
@pass_app
def tags_describe_cmd(app: AppContext, name: str, text: str, as_json: bool) -> None:
    """Set the description of the code NAME (name or key) to TEXT; an empty TEXT clears it."""
    tag = describe_tag(app.db, name, text)
    if as_json:
        emit_json(tag)
    else:
        echo(f"tag {tag.name}: description {'set' if tag.description else 'cleared'}")


@tags_group.command("export")
@click.argument("file", type=click.Path(path_type=Path))
@json_option
@pass_app
def tags_export_cmd(app: AppContext, file: Path, as_json: bool) -> None:
    """Write the codebook to FILE: .qdc (REFI-QDA codebook) or .json (keys included)."""
    from claimmap.services.codebook_files import export_codebook

    summary = export_codebook(app.db, file)
    if as_json:
        emit_json(summary)
    else:
        echo(f"wrote {summary['codes']} codes to {summary['path']} ({summary['format']})")


@tags_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--replace",
    is_flag=True,
    help="Codes already here take the file's description, colour and key (if free).",
)
@json_option
@pass_app
def tags_import_cmd(app: AppContext, file: Path, replace: bool, as_json: bool) -> None:
    """Merge the codebook in FILE (.qdc or .json): new codes are added, existing ones kept."""
    from claimmap.services.codebook_files import import_codebook

    report = import_codebook(app.db, file, replace=replace)
    if as_json:
        emit_json(report)
    else:
        echo(
            f"codebook {report.path}: {len(report.added)} added, {len(report.updated)} updated, "
            f"{len(report.unchanged)} kept as they were"
        )
        for name in report.added:
            echo(f"  added {name}")
        for name in report.updated:
            echo(f"  updated {name}")
    for warning in report.warnings:
        echo(f"warning: {warning}", err=True)


COMMANDS = [annotate_cmd, tag_cmd, note_cmd, delete_cmd, tags_group]
