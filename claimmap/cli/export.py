"""Commands that write what others can open: ``export matrix|framing|annotations``,
and ``import-annotations`` for the interchange formats."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from claimmap.cli.argument import argument_cmd
from claimmap.cli.context import (
    AppContext,
    chosen_layer,
    emit_json,
    json_option,
    layer_option,
    pass_app,
)
from claimmap.cli.safe_text import echo
from claimmap.errors import ClaimmapError
from claimmap.exporters.matrix import CELL_MODES
from claimmap.services import exporting
from claimmap.services.interchange import ImportReport, import_annotations


def _write(data: bytes, output: str, fmt: str) -> None:
    if output == "-":
        if fmt not in exporting.TEXT_FORMATS:
            raise ClaimmapError(f"{fmt} is a binary format; give -o FILE instead of -o -")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    exporting.write_file(Path(output), data)


def _matrix_options(app: AppContext, **kw: Any) -> Any:
    articles = kw.pop("articles")
    return exporting.matrix_options(
        app.db, articles=articles.split(",") if articles is not None else None, **kw
    )


def _matrix_opts(fn: Any) -> Any:
    decorators: list[Callable[[Any], Any]] = [
        click.option("--tag", default=None, help="Only claims whose tag is this one."),
        click.option(
            "--articles",
            default=None,
            metavar="A,B,...",
            help="Only these articles (refs, ids or titles), in this order.",
        ),
        click.option(
            "--min-coverage",
            type=int,
            default=1,
            show_default=True,
            help="Only claims stated by at least N articles.",
        ),
        layer_option,
        click.option(
            "--include-suggested",
            type=float,
            default=None,
            metavar="S",
            help="Treat suggested links scoring at least S (0-100) as confirmed.",
        ),
    ]
    for decorator in reversed(decorators):
        fn = decorator(fn)
    return fn


@click.group("export")
def export_group() -> None:
    """Export the claim matrix, the framing summary, the annotations or the argument map."""


def _check_json_output(as_json: bool, output: str) -> None:
    if as_json and output == "-":
        raise ClaimmapError("--json prints a summary; it cannot share stdout with -o -")


@export_group.command("matrix")
@click.option("--format", "fmt", type=click.Choice(exporting.MATRIX_FORMATS), required=True)
@click.option(
    "-o", "--output", required=True, metavar="FILE|-", help="Output file, or - for stdout."
)
@click.option(
    "--cells",
    type=click.Choice(CELL_MODES),
    default="quote",
    show_default=True,
    help="What a cell shows: the wording, a mark, or the number of spans.",
)
@_matrix_opts
@json_option
@pass_app
def matrix_cmd(
    app: AppContext,
    fmt: str,
    output: str,
    cells: str,
    tag: str | None,
    articles: str | None,
    min_coverage: int,
    layer: str | None,
    include_suggested: float | None,
    as_json: bool,
) -> None:
    """Write the claim matrix: claims as rows, articles as columns."""
    _check_json_output(as_json, output)
    options = _matrix_options(
        app,
        tag=tag,
        articles=articles,
        min_coverage=min_coverage,
        cells=cells,
        include_suggested=include_suggested,
    )
    annotator = chosen_layer(layer)
    matrix, framing, data = exporting.build(app.db, options, annotator)
    argument = exporting.argument_for(app.db, fmt, annotator)
    team = exporting.analysts_section(app.db) if fmt == "html" and annotator is None else None
    _write(
        exporting.render_matrix(
            matrix, framing, data.spans, fmt, data.relations, argument=argument, team=team
        ),
        output,
        fmt,
    )
    summary = {
        "format": fmt,
        "path": output,
        "claims": len(matrix.rows),
        "articles": len(matrix.columns),
    }
    if as_json:
        emit_json(summary)
    elif output != "-":
        echo(f"wrote {output}: {len(matrix.rows)} claims x {len(matrix.columns)} articles")


@export_group.command("framing")
@click.option("--format", "fmt", type=click.Choice(exporting.FRAMING_FORMATS), required=True)
@click.option(
    "-o", "--output", required=True, metavar="FILE|-", help="Output file, or - for stdout."
)
@_matrix_opts
@json_option
@pass_app
def framing_cmd(
    app: AppContext,
    fmt: str,
    output: str,
    tag: str | None,
    articles: str | None,
    min_coverage: int,
    layer: str | None,
    include_suggested: float | None,
    as_json: bool,
) -> None:
    """Write the framing summary: tag shares, shared and unique claims, overlap."""
    _check_json_output(as_json, output)
    options = _matrix_options(
        app,
        tag=tag,
        articles=articles,
        min_coverage=min_coverage,
        cells="quote",
        include_suggested=include_suggested,
    )
    _matrix, framing, _data = exporting.build(app.db, options, chosen_layer(layer))
    _write(exporting.render_framing(framing, fmt), output, fmt)
    summary = {
        "format": fmt,
        "path": output,
        "articles": len(framing.articles),
        "pairs": len(framing.pairs),
    }
    if as_json:
        emit_json(summary)
    elif output != "-":
        echo(
            f"wrote {output}: {len(framing.articles)} articles, "
            f"{len(framing.pairs)} overlapping pairs"
        )


@export_group.command("annotations")
@click.option("--format", "fmt", type=click.Choice(exporting.ANNOTATION_FORMATS), required=True)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="w3c: a directory (one .jsonl per article) or a .jsonl file; "
    "brat: a directory; qdpx: a .qdpx file.",
)
@layer_option
@json_option
@pass_app
def annotations_cmd(
    app: AppContext, fmt: str, output: Path, layer: str | None, as_json: bool
) -> None:
    """Write the annotations as W3C Web Annotation JSONL, brat standoff or REFI-QDA."""
    if fmt == "qdpx" and output.suffix.lower() != ".qdpx":
        raise ClaimmapError(f"{output}: a REFI-QDA project file must end in .qdpx")
    summary = exporting.export_annotations(
        app.db, fmt, output, project_name=app.db_path.stem, annotator=chosen_layer(layer)
    )
    if as_json:
        emit_json(summary)
        return
    skipped = summary["skipped_orphaned"]
    extra = f" ({skipped} orphaned spans left out)" if skipped else ""
    echo(
        f"wrote {output}: {summary['spans']} spans, {summary['links']} links, "
        f"{summary['relations']} relations, {summary['articles']} articles{extra}"
    )


@click.command("import-annotations")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--tag",
    "default_tag",
    metavar="NAME",
    help="The tag of W3C annotations that carry none (Hypothesis highlights, comments).",
)
@click.option("--dry-run", is_flag=True, help="Report what the import would do; write nothing.")
@json_option
@pass_app
def import_annotations_cmd(
    app: AppContext, path: Path, default_tag: str | None, dry_run: bool, as_json: bool
) -> None:
    """Import W3C annotations (claimmap's, Hypothesis's), a .qdpx project or a .qdc codebook.

    All or nothing: a malformed annotation stops the import with the file and line.
    Annotations that cannot be re-anchored are stored as orphaned spans, listed here.
    A .qdpx source that is not in the database becomes a new article.
    """
    db = app.lookup_db() if dry_run else app.db  # a dry run never creates or migrates
    report = import_annotations(db, path, default_tag=default_tag, dry_run=dry_run)
    if as_json:
        emit_json(report)
        return
    echo_report(report)


def echo_report(report: ImportReport) -> None:
    """An annotation import's report, as ``import-annotations`` and ``import`` print it."""
    would = "would import" if report.dry_run else "imported"
    echo(
        f"{would} {report.annotations} annotations from {report.path}: {report.exact} exact, "
        f"{report.moved} moved, {report.orphaned} orphaned ({report.merged} already present); "
        f"{report.links} links, {report.relations} relations"
    )
    if report.articles_created:
        echo(f"new articles: {', '.join(report.articles_created)}")
    if report.tags_created:
        echo(f"new tags: {', '.join(report.tags_created)}")
    if report.links_skipped_rejected:
        echo(f"{report.links_skipped_rejected} links left rejected as reviewed here")
    for notice in report.notices:
        echo(f"note: {notice}")
    for orphan in report.orphans:
        echo(f"orphaned: {orphan.origin} [{orphan.article}] {orphan.quote}")


# The argument map's export lives with its import (claimmap/cli/argument.py).
export_group.add_command(argument_cmd)

COMMANDS = [export_group, import_annotations_cmd]
