"""Agreement and disagreements as people read them: JSON, Markdown, a standalone
HTML page, and the "Analysts" section of the HTML report.  Pure: given the
report, the ranked items and the article refs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from claimmap.agreement.disagreements import Disagreement, count_by_kind
from claimmap.agreement.report import AgreementReport
from claimmap.agreement.study import CodedSpan
from claimmap.exporters import json_format
from claimmap.exporters.markdown_format import esc
from claimmap.exporters.safe_text import html_safe

KIND_LABELS = {
    "only_a": "coded by {a} only",
    "only_b": "coded by {b} only",
    "tags": "same place, different tags",
    "boundaries": "boundaries far apart",
    "link": "same claim or not",
}
HTML_LIMIT = 300
"""Items shown in an HTML page; JSON and Markdown carry all."""


@dataclass(frozen=True, slots=True)
class Disagreements:
    """What the renderers need: the two analysts, the ranked items, article refs,
    and the adjudication decisions taken so far (item key -> decision)."""

    annotator_a: str
    annotator_b: str
    items: Sequence[Disagreement]
    refs: Mapping[int, str]
    decided: Mapping[str, str] = field(default_factory=dict)


def fmt_alpha(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _span(span: CodedSpan | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {
        "span": span.id,
        "start": span.start,
        "end": span.end,
        "quote": span.quote,
        "tags": sorted(span.tags),
    }


def item_dict(item: Disagreement, rank: int, data: Disagreements) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rank": rank,
        "key": item.key,
        "kind": item.kind,
        "article": data.refs.get(item.article, str(item.article)),
        "size": item.size,
        "a": _span(item.a),
        "b": _span(item.b),
        "decision": data.decided.get(item.key),
    }
    if item.kind == "link":
        out["a_other"] = _span(item.a_other)
        out["b_other"] = _span(item.b_other)
        out["other_article"] = data.refs.get(item.a_other.article, "") if item.a_other else None
        out["linked_a"] = item.decision_a
        out["linked_b"] = item.decision_b
    return out


def disagreements_dict(data: Disagreements) -> dict[str, Any]:
    return {
        "annotators": [data.annotator_a, data.annotator_b],
        "counts": count_by_kind(data.items),
        "decided": sum(1 for i in data.items if i.key in data.decided),
        "items": [item_dict(item, k, data) for k, item in enumerate(data.items, start=1)],
    }


def disagreements_json(data: Disagreements) -> bytes:
    return json_format.dumps(disagreements_dict(data))


def kind_label(item: Disagreement, a: str, b: str) -> str:
    return KIND_LABELS[item.kind].format(a=a, b=b)


def _decision_text(value: str | None) -> str:
    return {"same": "same claim", "different": "rejected", None: "not linked"}.get(value, "")


def _md_version(
    who: str,
    span: CodedSpan | None,
    other: CodedSpan | None,
    linked: str | None,
    refs: Mapping[int, str],
) -> str:
    if span is None:
        return f"- **{esc(who)}**: *not coded*"
    line = f"- **{esc(who)}** \\[{esc(', '.join(sorted(span.tags)))}\\] {span.start}–{span.end}: {esc(span.quote)}"
    if other is not None:
        line += (
            f"\n  - and in {esc(refs.get(other.article, ''))} {other.start}–{other.end}: "
            f"{esc(other.quote)} — *{_decision_text(linked)}*"
        )
    return line


def disagreements_markdown(data: Disagreements) -> str:
    a, b = data.annotator_a, data.annotator_b
    counts = count_by_kind(data.items)
    lines = [
        f"# Disagreements: {esc(a)} and {esc(b)}",
        "",
        f"{len(data.items)} items: {counts['only_a'] + counts['only_b']} coded by one analyst only, "
        f"{counts['tags']} with different tags, {counts['boundaries']} with boundaries far apart, "
        f"{counts['link']} on claims; {sum(1 for i in data.items if i.key in data.decided)} adjudicated.",
        "",
    ]
    for rank, item in enumerate(data.items, start=1):
        decided = data.decided.get(item.key)
        lines.append(
            f"## {rank}. {esc(kind_label(item, a, b))} (`{item.key}`), "
            f"{esc(data.refs.get(item.article, ''))}" + (f" — taken: {decided}" if decided else "")
        )
        lines.append("")
        lines.append(_md_version(a, item.a, item.a_other, item.decision_a, data.refs))
        lines.append(_md_version(b, item.b, item.b_other, item.decision_b, data.refs))
        lines.append("")
    return "\n".join(lines)


def team_section(
    report: AgreementReport | None, data: Disagreements | None, limit: int = HTML_LIMIT
) -> dict[str, Any]:
    """The template's view of agreement and disagreements (escaped by Jinja)."""
    section: dict[str, Any] = {"report": None, "entries": [], "more": 0}
    if report is not None:
        section["report"] = {
            "annotators": report.annotators,
            "articles": len(report.articles),
            "rows": [
                {
                    "tag": t.tag,
                    "alpha_u": fmt_alpha(t.alpha_u),
                    "alpha_sentence": fmt_alpha(t.alpha_sentence),
                    "spans": [t.spans.get(n, 0) for n in report.annotators],
                }
                for t in report.per_tag.values()
            ],
            "overall_u": fmt_alpha(report.overall_alpha_u),
            "overall_sentence": fmt_alpha(report.overall_alpha_sentence),
            "links": [
                {
                    "pair": f"{la.annotator_a} / {la.annotator_b}",
                    "alpha": fmt_alpha(la.alpha),
                    "both_same": la.both_same,
                    "clash": la.same_vs_different,
                    "only_a": la.only_a_linked,
                    "only_b": la.only_b_linked,
                }
                for la in report.links
            ],
        }
    if data is not None:
        a, b = data.annotator_a, data.annotator_b
        section["a"], section["b"] = a, b
        for rank, item in enumerate(data.items[:limit], start=1):
            versions = []
            for who, span, other, linked in (
                (a, item.a, item.a_other, item.decision_a),
                (b, item.b, item.b_other, item.decision_b),
            ):
                versions.append(
                    {
                        "who": who,
                        "tags": ", ".join(sorted(span.tags)) if span else "",
                        "where": f"{span.start}–{span.end}" if span else "",
                        "quote": span.quote if span else None,
                        "other": other.quote if other else None,
                        "linked": _decision_text(linked) if item.kind == "link" else "",
                    }
                )
            section["entries"].append(
                {
                    "rank": rank,
                    "key": item.key,
                    "kind": kind_label(item, a, b),
                    "article": data.refs.get(item.article, ""),
                    "decided": data.decided.get(item.key, ""),
                    "versions": versions,
                }
            )
        section["more"] = max(0, len(data.items) - limit)
        section["total"] = len(data.items)
    return section


def disagreements_html(report: AgreementReport | None, data: Disagreements) -> str:
    from claimmap.exporters.html_format import _environment

    page = (
        _environment().get_template("disagreements.html.j2").render(team=team_section(report, data))
    )
    return html_safe(page)
