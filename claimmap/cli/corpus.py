"""Commands about articles: import and show (``articles`` lists them from its own module)."""

from __future__ import annotations

from pathlib import Path

import click

from claimmap.cli.context import AppContext, emit_json, json_option, pass_app
from claimmap.cli.safe_text import echo
from claimmap.errors import ClaimmapError
from claimmap.store.article_listing import text_by_ref
from claimmap.store.current_read import read_if_current


@click.command("import")
@click.argument("paths", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Show what cleaning would change; write nothing.")
@click.option(
    "--update", is_flag=True, help="Replace the text of changed articles, re-anchoring spans."
)
@click.option(
    "--as-new",
    is_flag=True,
    help="Import a file that could be an imported article (same name, other content) "
    "as a separate article.",
)
@click.option("--skip-bad", is_flag=True, help="Import the good files even if some cannot be read.")
@json_option
@pass_app
def import_cmd(
    app: AppContext,
    paths: tuple[str, ...],
    dry_run: bool,
    update: bool,
    as_new: bool,
    skip_bad: bool,
    as_json: bool,
) -> None:
    """Import articles (.txt, .md) and documents (.pdf, .docx, .html, .epub): files, folders, globs.

    An article is identified by its path relative to the directory (or glob
    base) given, so 2023/index.md and 2024/index.md are two articles.  A REFI-QDA
    project (.qdpx) brings its sources, codes and codings as import-annotations does.
    """
    if any(p.lower().endswith(".qdpx") for p in paths):
        _import_projects(app, paths, dry_run=dry_run, as_json=as_json, flags=(update, as_new))
        return
    # Imported here: text cleaning and decoding are the CLI's heaviest imports.
    from claimmap.services.importing import import_paths

    db = app.lookup_db() if dry_run else app.db  # a dry run never creates or migrates
    items = import_paths(
        db, list(paths), dry_run=dry_run, update=update, skip_bad=skip_bad, as_new=as_new
    )
    if as_json:
        emit_json(items)
    else:
        for item in items:
            if item.status == "error":
                echo(f"error: {item.error}", err=True)
                continue
            echo(
                f"{item.status:12} {item.ref}  {item.chars} chars  {item.encoding}  "
                f"{item.script}  {item.title}"
            )
            if item.spans is not None:
                echo(
                    f"    spans: {item.spans['kept']} kept, {item.spans['moved']} moved, "
                    f"{item.spans['orphaned']} orphaned"
                )
            if item.orphaned_span_ids:
                ids = ", ".join(map(str, item.orphaned_span_ids))
                if dry_run:
                    echo(f"    span ids that would be orphaned: {ids}")
                else:
                    echo(f"    orphaned span ids: {ids} (review: claimmap spans --orphaned)")
            if dry_run:
                for change in item.changes:
                    where = f"line {change['line']}" if change.get("line") else ""
                    before = str(change["before"]).replace("\n", "⏎")
                    if len(before) > 100:
                        before = before[:97] + "..."
                    echo(
                        f"    {change['step']:<12} {change['action']:<8} {where:<10} "
                        f"{change['detail']}: {before}"
                    )
        counts: dict[str, int] = {}
        for item in items:
            counts[item.status] = counts.get(item.status, 0) + 1
        echo(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    if any(item.status == "error" for item in items):
        raise SystemExit(1)


def _import_projects(
    app: AppContext,
    paths: tuple[str, ...],
    *,
    dry_run: bool,
    as_json: bool,
    flags: tuple[bool, bool],
) -> None:
    # Imported here: the interchange readers are only needed for projects.
    from claimmap.cli.export import echo_report
    from claimmap.services.interchange import import_projects

    if any(flags):
        raise ClaimmapError("--update and --as-new apply to article files, not to .qdpx projects")
    others = [p for p in paths if not p.lower().endswith(".qdpx")]
    if others:
        # Two kinds of import in one command could not be one all-or-nothing write.
        raise ClaimmapError(
            f"{others[0]}: import .qdpx projects in a command of their own, not with article files"
        )
    db = app.lookup_db() if dry_run else app.db
    reports = import_projects(db, [Path(p) for p in paths], dry_run=dry_run)
    if as_json:
        emit_json(reports)
        return
    for report in reports:
        echo_report(report)


@click.command("show")
@click.argument("article")
@click.option("--marked", is_flag=True, help="Mark spans with [[id:...]] brackets.")
@click.option("--log", "show_log", is_flag=True, help="Print the cleaning log instead of the text.")
@click.option("--regions", is_flag=True, help="Print footnote regions instead of the text.")
@pass_app
def show_cmd(app: AppContext, article: str, marked: bool, show_log: bool, regions: bool) -> None:
    """Print an article's canonical text exactly as stored."""
    if not (marked or show_log or regions):
        # The text of an article named by its exact ref, on a current database, is
        # read with plain sqlite3: scripts call this often (issue 11, start-up).
        text = read_if_current(app.db_path, lambda conn: text_by_ref(conn, article))
        if text is not None:
            echo(text, nl=False)
            return
    # Imported here: the models and sqlite-utils are what the plain read spares.
    from claimmap.store.articles import (
        article_cleaning_log,
        article_regions,
        article_text,
        resolve_article,
    )
    from claimmap.store.spans import query_spans

    art = resolve_article(app.db, article)
    if show_log:
        for step, action, detail, before, line in article_cleaning_log(app.db, art.id):
            where = f"line {line}" if line else "-"
            echo(f"{step}\t{action}\t{where}\t{detail}\t{before!r}")
        return
    if regions:
        for kind, start, end in article_regions(app.db, art.id):
            echo(f"{kind}\t{start}\t{end}")
        return
    text = article_text(app.db, art.id)
    if marked:
        text = _marked(
            text,
            [
                (s.start, s.end, s.id, s.tags)
                for s in query_spans(app.db, article_id=art.id, orphaned=False)
            ],
        )
    echo(text, nl=False)


def _marked(text: str, spans: list[tuple[int, int, int, list[str]]]) -> str:
    """Insert ``[[id:tags`` / ``]]id`` markers; nested and overlapping spans stay readable."""
    inserts: list[tuple[int, int, str]] = []
    for start, end, span_id, tags in spans:
        inserts.append((start, 1, f"[[{span_id}:{','.join(tags)} "))
        inserts.append((end, 0, f" ]]{span_id}"))
    inserts.sort(key=lambda x: (x[0], x[1]))
    out: list[str] = []
    pos = 0
    for at, _, marker in inserts:
        out.append(text[pos:at])
        out.append(marker)
        pos = at
    out.append(text[pos:])
    return "".join(out)


COMMANDS = [import_cmd, show_cmd]
