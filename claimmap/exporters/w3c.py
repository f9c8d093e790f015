"""W3C Web Annotation (JSON-LD), one annotation per line (JSONL).

Each span becomes an annotation on ``urn:claimmap:article:<ref>`` with a
TextQuoteSelector (exact, prefix, suffix) and a TextPositionSelector (code-point
offsets into the canonical text; orphaned spans omit it because their stored
position is no longer trustworthy).  Bodies: one ``TextualBody`` per tag with
purpose ``tagging``, the note with purpose ``commenting`` and the claim's label
with purpose ``identifying``.  Each confirmed link is an annotation with
motivation ``linking`` whose target is one span's annotation and whose body is
the other's.

Each relation (one span supports or attacks another) is an annotation in
``relations.jsonl`` with motivation ``linking`` and two targets, in order: the
span that supports or attacks, then the span it bears on (both as their span
annotations' ids); its bodies are ``{"purpose": "classifying", "value":
"supports"}`` (or ``"attacks"``) and the note, if any, with purpose
``commenting``; ``creator`` is the analyst who stated it.  A link has one target
and one body, a relation two targets and a classifying body, so a reader tells
them apart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from claimmap.exporters.ids import article_iri, file_name, guid, span_guid
from claimmap.models import Relation, Span
from claimmap.store.clock import to_utc_z

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LINKS_FILE = "links.jsonl"
RELATIONS_FILE = "relations.jsonl"


@dataclass(frozen=True, slots=True)
class ExportLink:
    a: int
    b: int
    created_at: str
    updated_at: str


# JSON may carry these raw inside strings, but a JSON Lines reader that splits
# with str.splitlines (Python's does) would cut the line there: write them as
# escapes, which decode to the same string.  C0 controls json already escapes.
_LINE_SEPARATORS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


PAGE_PROPERTY = "claimmap:page"


def jsonl_line(obj: Mapping[str, Any]) -> str:
    """One JSON Lines line: sorted keys, no spaces, CJK as is, line separators escaped."""
    line = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if "\x85" in line or "\u2028" in line or "\u2029" in line:
        return line.translate(_LINE_SEPARATORS)
    return line


def span_annotation(
    span: Span, claim_label: str | None, span_id: str | None = None
) -> dict[str, Any]:
    """The span's annotation; ``span_id`` is its ``span_guid`` when already known."""
    bodies: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in span.tags
    ]
    if span.note:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": span.note,
                "format": "text/plain",
            }
        )
    if claim_label:
        bodies.append({"type": "TextualBody", "purpose": "identifying", "value": claim_label})
    selectors: list[dict[str, Any]] = [
        {
            "type": "TextQuoteSelector",
            "exact": span.quote,
            "prefix": span.prefix,
            "suffix": span.suffix,
        }
    ]
    if not span.orphaned:
        selectors.append({"type": "TextPositionSelector", "start": span.start, "end": span.end})
    return with_times(
        {
            "@context": CONTEXT,
            "id": f"urn:uuid:{span_id or span_guid(span)}",
            "type": "Annotation",
            "motivation": "tagging",
            "creator": {"type": "Person", "name": span.annotator},
            "body": bodies,
            "target": _target(span, selectors),
        },
        span.created_at,
        span.updated_at,
    )


def _target(span: Span, selectors: list[dict[str, Any]]) -> dict[str, Any]:
    """The span's target; with the page it starts on (its printed label) where the
    article has pages, so the quote can be cited.  The Web Annotation model has no
    page property: ``claimmap:page`` is a compact IRI outside the anno.jsonld
    context, which JSON-LD keeps as the absolute IRI ``claimmap:page`` and other
    tools ignore."""
    target: dict[str, Any] = {"source": article_iri(span.article), "selector": selectors}
    if span.page is not None and not span.orphaned:
        target[PAGE_PROPERTY] = span.page
    return target


def with_times(anno: dict[str, Any], created: str, modified: str) -> dict[str, Any]:
    """``created``/``modified`` as xsd:dateTime in UTC with Z; left out if not a date."""
    for key, value in (("created", to_utc_z(created)), ("modified", to_utc_z(modified))):
        if value is not None:
            anno[key] = value
    return anno


def link_annotation(
    a: Span, b: Span, link: ExportLink, ids: Mapping[int, str] | None = None
) -> dict[str, Any]:
    """The link's annotation; ``ids`` maps span ids to their ``span_guid`` when known."""
    ida = ids[a.id] if ids is not None else span_guid(a)
    idb = ids[b.id] if ids is not None else span_guid(b)
    return with_times(
        {
            "@context": CONTEXT,
            "id": f"urn:uuid:{guid('link', ida, idb)}",
            "type": "Annotation",
            "motivation": "linking",
            "target": f"urn:uuid:{ida}",
            "body": f"urn:uuid:{idb}",
        },
        link.created_at,
        link.updated_at,
    )


def relation_annotation(relation: Relation, ids: Mapping[int, str]) -> dict[str, Any]:
    """The relation's annotation; ``ids`` maps span ids to their ``span_guid``."""
    source, target = ids[relation.source], ids[relation.target]
    bodies: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "classifying", "value": relation.type}
    ]
    if relation.note:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": relation.note,
                "format": "text/plain",
            }
        )
    return with_times(
        {
            "@context": CONTEXT,
            "id": f"urn:uuid:{guid('relation', source, target, relation.type, relation.annotator)}",
            "type": "Annotation",
            "motivation": "linking",
            "creator": {"type": "Person", "name": relation.annotator},
            "body": bodies,
            "target": [f"urn:uuid:{source}", f"urn:uuid:{target}"],
        },
        relation.created_at,
        relation.updated_at,
    )


def w3c_files(
    spans: Sequence[Span],
    claim_labels: Mapping[int, str | None],
    links: Sequence[ExportLink],
    relations: Sequence[Relation] = (),
) -> dict[str, str]:
    """File name -> JSONL text: ``<ref>.jsonl`` per article, ``links.jsonl`` and
    ``relations.jsonl``."""
    per_article: dict[str, list[str]] = {}
    # Each span's GUID once: links name both of their spans again.
    ids = {s.id: span_guid(s) for s in spans}
    ordered = sorted(spans, key=lambda s: (s.article, s.start, s.end, s.id))
    for span in ordered:
        label = claim_labels.get(span.claim_id) if span.claim_id is not None else None
        per_article.setdefault(span.article, []).append(
            jsonl_line(span_annotation(span, label, ids[span.id]))
        )
    files: dict[str, str] = {}
    for ref, lines in sorted(per_article.items()):
        files[file_name(ref, ".jsonl", taken=files.keys() | {LINKS_FILE, RELATIONS_FILE})] = (
            "\n".join(lines) + "\n"
        )
    by_id = {s.id: s for s in spans}
    link_lines = sorted(
        jsonl_line(link_annotation(by_id[link.a], by_id[link.b], link, ids))
        for link in links
        if link.a in by_id and link.b in by_id
    )
    if link_lines:
        files[LINKS_FILE] = "\n".join(link_lines) + "\n"
    relation_lines = sorted(
        jsonl_line(relation_annotation(r, ids))
        for r in relations
        if r.source in by_id and r.target in by_id
    )
    if relation_lines:
        files[RELATIONS_FILE] = "\n".join(relation_lines) + "\n"
    return files


def w3c_single(files: Mapping[str, str]) -> str:
    """All annotations in one JSONL stream: articles in name order, then links, then
    relations."""
    names = sorted(n for n in files if n not in (LINKS_FILE, RELATIONS_FILE))
    names += [n for n in (LINKS_FILE, RELATIONS_FILE) if n in files]
    return "".join(files[n] for n in names)
