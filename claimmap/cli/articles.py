"""The ``articles`` command: list the imported articles, or set one's URL.

A module of its own because scripts call ``claimmap articles --json`` often:
listing reads with plain sqlite3 (``store/article_listing``) and imports none
of what importing, showing or annotating need (issue 11).
"""

from __future__ import annotations

import click

from claimmap.cli.context import AppContext, emit_json, json_option, pass_app
from claimmap.cli.safe_text import echo
from claimmap.errors import ClaimmapError
from claimmap.store.article_listing import article_rows, article_rows_if_current


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
    rows = article_rows_if_current(app.db_path)
    if rows is None:
        # No database yet, or one to migrate or refuse: open it as every command does.
        rows = article_rows(app.db.conn)
    if as_json:
        emit_json(rows)
        return
    for a in rows:
        echo(f"{a['id']:>4}  {a['ref']:<28} {a['chars']:>7}  {a['script']:<11} {a['title']}")


COMMANDS = [articles_cmd]
