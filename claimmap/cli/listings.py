"""The listings scripts call most: ``articles`` and ``spans``.

A module of their own because every call of them pays claimmap's start-up
(issue 11): on a current database they read plain rows with sqlite3
(``store/current_read``), shaped exactly as the models would dump them, and
import none of what importing, annotating or resolving names need.  Anything
else goes through ``open_db`` as every command does.
"""

from __future__ import annotations

import click

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
from claimmap.store.article_listing import article_rows
from claimmap.store.current_read import read_if_current
from claimmap.store.span_listing import span_rows


@click.command("articles")
@click.argument("article", required=False)
@click.option(
    "--set-url",
    "url",
    metavar="URL",
    help="Give ARTICLE the web address it was read at ('' clears it): annotations "
    "made on that page (Hypothesis) then attach to it.",
)
@json_option
@pass_app
def articles_cmd(app: AppContext, article: str | None, url: str | None, as_json: bool) -> None:
    """List the imported articles, or set one's URL."""
    if url is not None:
        if article is None:
            raise ClaimmapError("--set-url needs the ARTICLE to set it on")
        # Imported here: the interchange package is not needed to list articles.
        from claimmap.services.article_urls import set_article_url

        changed = set_article_url(app.db, article, url)
        if as_json:
            emit_json(changed)
        else:
            echo(f"{changed.ref}: url {changed.url or '(none)'}")
        return
    if article is not None:
        raise ClaimmapError("give --set-url URL with an ARTICLE (or no ARTICLE to list them)")
    rows = read_if_current(app.db_path, article_rows)
    if rows is None:
        # No database yet, or one to migrate or refuse: open it as every command does.
        rows = article_rows(app.db.conn)
    if as_json:
        emit_json(rows)
        return
    for a in rows:
        echo(f"{a['id']:>4}  {a['ref']:<28} {a['chars']:>7}  {a['script']:<11} {a['title']}")


@click.command("spans")
@click.argument("article", required=False)
@click.option("--tag", default=None, help="Only spans with this tag.")
@click.option("--orphaned", is_flag=True, help="Only spans that lost their place in the text.")
@layer_option
@json_option
@pass_app
def spans_cmd(
    app: AppContext,
    article: str | None,
    tag: str | None,
    orphaned: bool,
    layer: str | None,
    as_json: bool,
) -> None:
    """List spans (of one ARTICLE, one tag, or orphaned)."""
    only_orphaned = True if orphaned else None
    rows = None
    # The layer is checked after the database is opened and ARTICLE and the tag
    # resolved, as it always was: which error a bad call reports stays the same.
    if article is None and tag is None:
        rows = read_if_current(
            app.db_path,
            lambda conn: span_rows(conn, orphaned=only_orphaned, annotator=chosen_layer(layer)),
        )
    if rows is None:
        # Resolving an ARTICLE or a tag takes the models (and suggestions on a miss).
        from claimmap.services.codebook import resolve_tag
        from claimmap.store.articles import resolve_article

        article_id = resolve_article(app.db, article).id if article else None
        tag_name = resolve_tag(app.db, tag).name if tag else None
        rows = span_rows(
            app.db.conn,
            article_id=article_id,
            tag=tag_name,
            orphaned=only_orphaned,
            annotator=chosen_layer(layer),
        )
    if as_json:
        emit_json(rows)
        return
    for s in rows:
        flag = " ORPHANED" if s["orphaned"] else ""
        note = f"  # {s['note']}" if s["note"] else ""
        echo(
            f"{s['id']:>5}  {s['article']}  [{s['start']}:{s['end']}]{flag}  "
            f"{','.join(s['tags'])}: {s['quote']}{note}"
        )


COMMANDS = [articles_cmd, spans_cmd]
