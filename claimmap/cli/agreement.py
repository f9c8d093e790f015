"""``agreement``, ``disagreements`` and ``adjudicate``: several analysts' layers
compared, their differences listed, and settled into the consensus layer."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from claimmap.cli.context import AppContext, emit_json, json_option, pass_app
from claimmap.cli.safe_text import echo
from claimmap.errors import ClaimmapError

if TYPE_CHECKING:
    from claimmap.services.adjudication import Take

SENTENCE_RULE = (
    "Sentence view: units are the stored sentences; a sentence is coded T by an analyst "
    "when one of their T spans overlaps it by at least one character."
)


def _names(value: str | None) -> list[str] | None:
    return [v for v in value.split(",") if v.strip()] if value else None


def _common(fn: Any) -> Any:
    for decorator in reversed(
        [
            click.argument("articles", nargs=-1),
            click.option(
                "--annotators",
                default=None,
                metavar="A,B,...",
                help="The analysts to compare (default: every layer but the consensus).",
            ),
            click.option("--tag", default=None, help="Only this tag."),
            click.option(
                "--consensus",
                default="consensus",
                show_default=True,
                help="The consensus layer's annotator name (never compared).",
            ),
        ]
    ):
        fn = decorator(fn)
    return fn


def _alpha(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _report_dict(report: Any) -> dict[str, Any]:
    return {
        "annotators": report.annotators,
        "articles": report.articles,
        "partly_coded": report.partly_coded,
        "continuum": report.continuum,
        "per_tag": {
            tag: {
                "alpha_u": t.alpha_u,
                "observed": t.observed,
                "expected": t.expected,
                "alpha_sentence": t.alpha_sentence,
                "sentences": t.sentences,
                "spans": t.spans,
            }
            for tag, t in report.per_tag.items()
        },
        "overall": {
            "alpha_u": report.overall_alpha_u,
            "alpha_sentence": report.overall_alpha_sentence,
        },
        "links": [
            {
                "annotators": [la.annotator_a, la.annotator_b],
                "matched_spans": la.matched_spans,
                "both_same": la.both_same,
                "both_rejected": la.both_different,
                "same_vs_rejected": la.same_vs_different,
                "only_first_linked": la.only_a_linked,
                "only_second_linked": la.only_b_linked,
                "alpha": la.alpha,
            }
            for la in report.links
        ],
    }


@click.command("agreement", epilog=SENTENCE_RULE)
@_common
@json_option
@pass_app
def agreement_cmd(
    app: AppContext,
    articles: tuple[str, ...],
    annotators: str | None,
    tag: str | None,
    consensus: str,
    as_json: bool,
) -> None:
    """Krippendorff's alpha between analysts per tag (uα and sentences), and on claims.

    Per tag: uα on the code points of the articles every analyst coded, and
    nominal alpha on sentences; the overall values; and agreement on which
    passages are the same claim."""
    from claimmap.services.agreement import agreement

    report = agreement(
        app.db, articles=articles, annotators=_names(annotators), tag=tag, consensus=consensus
    )
    if as_json:
        emit_json(_report_dict(report))
        return
    names = report.annotators
    echo(
        f"annotators: {', '.join(names)}; {len(report.articles)} articles coded by all "
        f"({report.continuum} code points)"
        + (
            f", {len(report.partly_coded)} by some (sentence view only)"
            if report.partly_coded
            else ""
        )
    )
    echo(f"{'tag':<24} {'uα':>7} {'sentence α':>11}  spans ({' / '.join(names)})")
    for t in report.per_tag.values():
        counts = " / ".join(str(t.spans.get(n, 0)) for n in names)
        echo(f"{t.tag:<24} {_alpha(t.alpha_u):>7} {_alpha(t.alpha_sentence):>11}  {counts}")
    echo(
        f"{'overall':<24} {_alpha(report.overall_alpha_u):>7} "
        f"{_alpha(report.overall_alpha_sentence):>11}"
    )
    for la in report.links:
        echo(
            f"claims {la.annotator_a} / {la.annotator_b}: {la.matched_spans} passages both coded; "
            f"pairs both linked {la.both_same}, both rejected {la.both_different}, "
            f"linked vs rejected {la.same_vs_different}, only {la.annotator_a} linked "
            f"{la.only_a_linked}, only {la.annotator_b} linked {la.only_b_linked}; "
            f"α {_alpha(la.alpha)}"
        )


@click.command("disagreements")
@_common
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "json"]),
    default="md",
    show_default=True,
)
@click.option("-o", "--output", default="-", metavar="FILE|-", help="Output file, or - for stdout.")
@click.option(
    "--tolerance",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Code points an end may move before two versions count as boundaries apart.",
)
@pass_app
def disagreements_cmd(
    app: AppContext,
    articles: tuple[str, ...],
    annotators: str | None,
    tag: str | None,
    consensus: str,
    fmt: str,
    output: str,
    tolerance: int,
) -> None:
    """Two analysts' disagreements, ranked, both versions quoted (md, html, json).

    Passages one coded and the other did not, the same place with different tags,
    boundaries apart, and pairs one put in one claim while the other rejected the
    link."""
    from claimmap.exporters import team
    from claimmap.services.adjudication import walk
    from claimmap.services.agreement import agreement
    from claimmap.services.exporting import write_file

    current = walk(
        app.db,
        annotators=_names(annotators),
        consensus=consensus,
        articles=articles,
        tag=tag,
        tolerance=tolerance,
    )
    view = current.view()
    if fmt == "md" and output == "-":
        # Read in the terminal: the quotes' control characters are shown, not obeyed.
        echo(team.disagreements_markdown(view))
        return
    if fmt == "json":
        data = team.disagreements_json(view)
    elif fmt == "md":
        data = (team.disagreements_markdown(view) + "\n").encode("utf-8")
    else:
        report = agreement(
            app.db,
            articles=articles,
            annotators=[current.annotator_a, current.annotator_b],
            tag=tag,
            consensus=consensus,
        )
        data = team.disagreements_html(report, view).encode("utf-8")
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_file(Path(output), data)


@click.command("adjudicate")
@click.argument("item", required=False)
@click.option(
    "--take",
    type=click.Choice(["a", "b", "both", "neither", "edit"]),
    default=None,
    help="Whose version goes into the consensus layer (a: the first analyst by name).",
)
@click.option("--start", type=int, default=None, help="With --take edit: the new start.")
@click.option("--end", type=int, default=None, help="With --take edit: the new end.")
@click.option("--tag", "tags", multiple=True, help="With --take edit: a tag (repeat for more).")
@click.option("--undo", is_flag=True, help="Undo ITEM's decision (without ITEM: the latest).")
@click.option(
    "--annotators", default=None, metavar="A,B", help="The two analysts (default: the only two)."
)
@click.option("--consensus", default="consensus", show_default=True, help="The consensus layer.")
@json_option
@pass_app
def adjudicate_cmd(
    app: AppContext,
    item: str | None,
    take: str | None,
    start: int | None,
    end: int | None,
    tags: tuple[str, ...],
    undo: bool,
    annotators: str | None,
    consensus: str,
    as_json: bool,
) -> None:
    """Settle a disagreement into the consensus layer (--take a|b|both|neither|edit), or undo.

    ITEM is its key, as 'disagreements' prints it.  Without ITEM or --undo: the
    progress and the next undecided item."""
    from claimmap.exporters.team import item_dict
    from claimmap.services import adjudication

    names = _names(annotators)
    if undo:
        if take is not None:
            raise ClaimmapError("give --take or --undo, not both")
        key = adjudication.undo(app.db, item, annotators=names, consensus=consensus)
        emit_json({"undone": key}) if as_json else echo(f"undone: {key}")
        return
    if item is None:
        if take is not None:
            raise ClaimmapError("--take needs the ITEM to settle")
        current = adjudication.walk(app.db, annotators=names, consensus=consensus)
        index = current.next_index()
        view = current.view()
        progress = {
            "decided": sum(1 for i in current.items if i.key in current.decided),
            "total": len(current.items),
        }
        nxt = item_dict(current.items[index], index + 1, view) if index is not None else None
        if as_json:
            emit_json({**progress, "next": nxt})
            return
        echo(f"{progress['decided']} of {progress['total']} disagreements adjudicated")
        if nxt is not None:
            echo(f"next: {nxt['key']} ({nxt['kind']}) in {nxt['article']}")
            for side, who in (("a", current.annotator_a), ("b", current.annotator_b)):
                version = nxt[side]
                echo(
                    f"  {side} {who}: "
                    + (
                        f"[{', '.join(version['tags'])}] {version['start']}-{version['end']} "
                        f"{version['quote']}"
                        if version
                        else "not coded"
                    )
                )
        return
    if take is None:
        raise ClaimmapError("give --take a|b|both|neither|edit (or --undo)")
    edit = None
    if take == "edit":
        if start is None or end is None or not tags:
            raise ClaimmapError("--take edit needs --start, --end and at least one --tag")
        edit = adjudication.Edit(start, end, tuple(tags))
    elif start is not None or end is not None or tags:
        raise ClaimmapError("--start, --end and --tag go with --take edit only")
    done = adjudication.decide(
        app.db,
        item,
        cast("Take", take),
        annotators=names,
        consensus=consensus,
        edit=edit,
    )
    if as_json:
        emit_json(done)
        return
    made = ", ".join(str(s) for s in done.spans) or "nothing"
    echo(
        f"{done.item}: took {done.take}; consensus spans: {made}"
        + (f"; link {done.link}" if done.link is not None else "")
    )


COMMANDS = [agreement_cmd, disagreements_cmd, adjudicate_cmd]
