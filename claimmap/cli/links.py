"""Commands for the claim linker: link, links, similar, claims, aliases."""

from __future__ import annotations

from collections.abc import Iterable

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
from claimmap.linking.engine import DEFAULT_THRESHOLD
from claimmap.models import Link
from claimmap.services import claim_actions, linking, review
from claimmap.services import claims as claim_service
from claimmap.wording import count

# A pair of span ids, for pairs from 'claimmap review' that may have no link id yet.
pair_option = click.option(
    "--pair",
    "pairs",
    type=(int, int),
    multiple=True,
    metavar="A B",
    help="A pair of span ids instead of a link id (repeatable); creates the link if needed.",
)


def _warn(warnings: Iterable[str]) -> None:
    # On stderr: the action happened; stdout stays the result (and valid JSON).
    for warning in warnings:
        echo(f"warning: {warning}", err=True)


def _print_links(links: list[Link]) -> None:
    for link in links:
        echo(
            f"{link.id:>5}  {link.score:6.2f}  {link.status:<9}  "
            f"{link.a} ({link.article_a}) ~ {link.b} ({link.article_b})"
        )


@click.command("link")
@click.option(
    "--threshold",
    type=float,
    default=DEFAULT_THRESHOLD,
    show_default=True,
    help="Minimum score (0-100) for a suggestion.",
)
@layer_option
@json_option
@pass_app
def link_cmd(app: AppContext, threshold: float, layer: str | None, as_json: bool) -> None:
    """Score span pairs across articles and store new suggestions."""
    summary = linking.run_linker(app.db, threshold, chosen_layer(layer))
    if as_json:
        emit_json(summary)
    else:
        echo(
            f"{count(summary.spans, 'span')}, {count(summary.candidates, 'pair')} >= "
            f"{summary.threshold:g}: "
            f"{summary.new} new, {summary.updated} updated, {summary.kept_confirmed} confirmed "
            f"and {summary.kept_rejected} rejected kept"
        )


@click.group("links", invoke_without_command=True)
@click.option("--status", type=click.Choice(["suggested", "confirmed", "rejected"]), default=None)
@json_option
@click.pass_context
def links_group(ctx: click.Context, status: str | None, as_json: bool) -> None:
    """List links, or review them with 'links accept' / 'links reject'."""
    if ctx.invoked_subcommand is not None:
        return
    app: AppContext = ctx.obj
    links = linking.list_links(app.db, status)  # type: ignore[arg-type]
    if as_json:
        emit_json(links)
    else:
        _print_links(links)


@links_group.command("accept")
@click.argument("link_ids", nargs=-1, type=int)
@pair_option
@click.option("--min-score", type=float, default=None, help="Accept every suggestion >= S.")
@json_option
@pass_app
def accept_cmd(
    app: AppContext,
    link_ids: tuple[int, ...],
    pairs: tuple[tuple[int, int], ...],
    min_score: float | None,
    as_json: bool,
) -> None:
    """Confirm links (joins their spans' claims): link ids and/or --pair A B."""
    if min_score is not None and (link_ids or pairs):
        raise ClaimmapError("give link ids or --min-score, not both")
    # Read before the change: afterwards a re-accepted pair no longer looks rejected.
    warnings = claim_actions.link_warnings(app.db, link_ids) + claim_actions.confirm_warnings(
        app.db, pairs
    )
    if min_score is not None:
        links = linking.accept_min_score(app.db, min_score)
    elif pairs:
        links = review.decide_many(app.db, link_ids, pairs, "confirmed")
    else:
        links = linking.set_links_status(app.db, link_ids, "confirmed")
    _warn(warnings)
    if as_json:
        emit_json(links)
    else:
        echo(f"confirmed {count(len(links), 'link')}")


@links_group.command("reject")
@click.argument("link_ids", nargs=-1, type=int)
@pair_option
@json_option
@pass_app
def reject_cmd(
    app: AppContext, link_ids: tuple[int, ...], pairs: tuple[tuple[int, int], ...], as_json: bool
) -> None:
    """Reject links (never suggested again): link ids and/or --pair A B."""
    if pairs:
        links = review.decide_many(app.db, link_ids, pairs, "rejected")
    else:
        links = linking.set_links_status(app.db, link_ids, "rejected")
    if as_json:
        emit_json(links)
    else:
        echo(f"rejected {count(len(links), 'link')}")


@links_group.command("skip")
@click.argument("span_a", type=int)
@click.argument("span_b", type=int)
@pass_app
def skip_cmd(app: AppContext, span_a: int, span_b: int) -> None:
    """Send the pair of spans A B to the back of the 'claimmap review' queue."""
    decision = review.skip(app.db, span_a, span_b)
    echo(f"skipped pair {decision.a} {decision.b}")


@click.command("similar")
@click.argument("span", type=int)
@click.option("--top", type=int, default=5, show_default=True)
@layer_option
@json_option
@pass_app
def similar_cmd(app: AppContext, span: int, top: int, layer: str | None, as_json: bool) -> None:
    """The best candidates from other articles for SPAN, whatever the threshold."""
    found = linking.similar(app.db, span, top, annotator=chosen_layer(layer))
    if as_json:
        emit_json(found)
        return
    for s in found:
        echo(f"{s.score:6.2f}  {s.span:>5}  {s.article}  {s.status or '-':<9} {s.quote}")


@click.group("claims", invoke_without_command=True)
@click.option("--min-spans", type=int, default=1, help="Only claims with at least N spans.")
@layer_option
@json_option
@click.pass_context
def claims_group(ctx: click.Context, min_spans: int, layer: str | None, as_json: bool) -> None:
    """List claims (spans joined by confirmed links); label, merge, detach."""
    if ctx.invoked_subcommand is not None:
        return
    app: AppContext = ctx.obj
    claims = claim_service.list_claims(app.db, min_spans=min_spans, annotator=chosen_layer(layer))
    if as_json:
        emit_json(claims)
        return
    for c in claims:
        echo(
            f"{c.id:>5}  {c.tag or '-':<14} {len(c.articles)} art.  spans {c.spans}  "
            f"{c.label or ''}"
        )


@claims_group.command("label")
@click.argument("claim", type=int)
@click.argument("text")
@json_option
@pass_app
def claims_label_cmd(app: AppContext, claim: int, text: str, as_json: bool) -> None:
    """Set CLAIM's label (its canonical wording)."""
    result = claim_service.label_claim(app.db, claim, text)
    if as_json:
        emit_json(result)
    else:
        echo(f"claim {result.id}: {result.label}")


@claims_group.command("merge")
@click.argument("claim_a", type=int)
@click.argument("claim_b", type=int)
@json_option
@pass_app
def claims_merge_cmd(app: AppContext, claim_a: int, claim_b: int, as_json: bool) -> None:
    """Merge two claims (confirms a link between them); the smaller id survives."""
    done = claim_actions.merge(app.db, claim_a, claim_b)
    merged = claim_service.get_claim(app.db, done.survivor)
    _warn(done.warnings)
    if as_json:
        emit_json(
            {
                **merged.model_dump(),
                "survivor": done.survivor,
                "merged": done.merged,
                "warnings": list(done.warnings),
            }
        )
    else:
        echo(f"merged claim {done.merged} into claim {done.survivor}: spans {merged.spans}")


@claims_group.command("detach")
@click.argument("span", type=int)
@json_option
@pass_app
def claims_detach_cmd(app: AppContext, span: int, as_json: bool) -> None:
    """Take SPAN out of its claim (its confirmed links become rejected)."""
    claim = claim_service.get_claim(app.db, linking.detach_span(app.db, span))
    if as_json:
        emit_json(claim)
    else:
        echo(f"span {span} is now claim {claim.id}")


@click.group("aliases", invoke_without_command=True)
@json_option
@click.pass_context
def aliases_group(ctx: click.Context, as_json: bool) -> None:
    """List analyst aliases (spellings the linker treats as one), or add one."""
    if ctx.invoked_subcommand is not None:
        return
    app: AppContext = ctx.obj
    pairs = linking.aliases(app.db)
    if as_json:
        emit_json([{"variant": v, "canonical": c} for v, c in pairs])
        return
    for v, c in pairs:
        echo(f"{v} = {c}")


@aliases_group.command("add")
@click.argument("variant")
@click.argument("canonical")
@pass_app
def aliases_add_cmd(app: AppContext, variant: str, canonical: str) -> None:
    """Treat VARIANT as CANONICAL when matching (e.g. 布萊切特 Bletchley)."""
    linking.add_alias(app.db, variant, canonical)
    echo(f"alias {variant} = {canonical}")


COMMANDS = [link_cmd, links_group, similar_cmd, claims_group, aliases_group]
