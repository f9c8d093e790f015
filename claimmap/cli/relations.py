"""The ``relations`` command: one span supports or attacks another."""

from __future__ import annotations

import click

from claimmap.cli.context import AppContext, emit_json, json_option, pass_app
from claimmap.cli.safe_text import echo
from claimmap.errors import ClaimmapError
from claimmap.models import RELATION_TYPES, Relation
from claimmap.services import relations as relation_service

type_choice = click.Choice(list(RELATION_TYPES))


def _describe(relation: Relation) -> str:
    note = f"  # {relation.note}" if relation.note else ""
    return (
        f"{relation.id:>5}  {relation.source} ({relation.article_source}) {relation.type} "
        f"{relation.target} ({relation.article_target})  [{relation.annotator}]{note}"
    )


class _ListByDefault(click.Group):
    """``relations [ARTICLE]`` lists; ``relations add|delete|list ...`` as usual.

    A group cannot take an optional ARTICLE of its own: click would read the
    subcommand's name as the article.  Anything that is not a subcommand's name
    goes to ``list`` instead.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("-h", "--help")):
            args = ["list", *args]
        return super().parse_args(ctx, args)


@click.group("relations", cls=_ListByDefault)
def relations_group() -> None:
    """List relations (supports/attacks between spans), or add or delete one.

    Without a subcommand, 'claimmap relations [ARTICLE] [--type T] [--json]' lists
    them, as 'relations list' does.
    """


@relations_group.command("list")
@click.argument("article", required=False)
@click.option("--type", "type_", type=type_choice, default=None, help="Only this type.")
@json_option
@pass_app
def relations_list_cmd(
    app: AppContext, article: str | None, type_: str | None, as_json: bool
) -> None:
    """List relations touching ARTICLE (as source or target), or all of them."""
    found = relation_service.list_relations(app.db, article, type_)
    if as_json:
        emit_json(found)
        return
    for relation in found:
        echo(_describe(relation))


@relations_group.command("add")
@click.argument("source", type=int)
@click.argument("target", type=int)
@click.option("--type", "type_", type=type_choice, default=None, help="How SOURCE bears on TARGET.")
@click.option("--note", default=None, help="Why (a short note).")
@click.option("--annotator", default=None, help="Annotator name (default: OS user).")
@json_option
@pass_app
def relations_add_cmd(
    app: AppContext,
    source: int,
    target: int,
    type_: str | None,
    note: str | None,
    annotator: str | None,
    as_json: bool,
) -> None:
    """Store that span SOURCE supports or attacks span TARGET."""
    if type_ is None:
        # Checked here, not by click: its message for a missing choice spans lines.
        raise ClaimmapError("give --type supports or --type attacks")
    relation = relation_service.add_relation(
        app.db, source, target, type_, note=note, annotator=annotator
    )
    if as_json:
        emit_json(relation)
    else:
        echo(f"added relation {_describe(relation).strip()}")


@relations_group.command("delete")
@click.argument("relation_id", metavar="ID", type=int)
@json_option
@pass_app
def relations_delete_cmd(app: AppContext, relation_id: int, as_json: bool) -> None:
    """Delete the relation ID (its id is never given to another)."""
    relation = relation_service.delete_relation(app.db, relation_id)
    if as_json:
        emit_json({"deleted": relation.id})
    else:
        echo(f"deleted relation {_describe(relation).strip()}")


@relations_group.command("note")
@click.argument("relation_id", metavar="ID", type=int)
@click.argument("text")
@json_option
@pass_app
def relations_note_cmd(app: AppContext, relation_id: int, text: str, as_json: bool) -> None:
    """Set the note of relation ID: why one claim bears on the other ('' clears it)."""
    _before, relation = relation_service.set_relation_note(app.db, relation_id, text)
    if as_json:
        emit_json(relation)
    else:
        echo(f"relation {_describe(relation).strip()}")


COMMANDS = [relations_group]
