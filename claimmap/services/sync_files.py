"""The files of a sync folder: names, stable ids, and the lines claimmap writes.

A sync folder kept in git holds ``articles/<ref>.json`` (each article's canonical
text and metadata) and one folder per analyst, ``<annotator>/``, with one W3C
Web Annotation JSONL file per article (``<ref>.jsonl``), ``_links.jsonl`` and
``_relations.jsonl``.  Everything here is deterministic: the same layer gives
the same bytes, so a sync that changes nothing writes nothing and git sees no
change, and two analysts never write the same file with different content
(article files are the same for everyone who holds the same text).

Ids are uuid5 of the annotator and the span's place (article ref, start, end),
not of a database id: every database that holds the layer derives the same id
for the same span, so links and relations can name spans across databases.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from claimmap.exporters.ids import article_iri, file_name, guid
from claimmap.exporters.w3c import CONTEXT, jsonl_line, span_annotation, with_times
from claimmap.models import Span

ARTICLES = "articles"
LINKS = "_links.jsonl"
RELATIONS = "_relations.jsonl"
FORMAT = "claimmap-article"
VERSION = 1
# What a link's or relation's body says, under these W3C purposes.
STATUS_PURPOSE = "assessing"
RELATION_PURPOSE = "classifying"
ORPHANED = "claimmap:orphaned"
POSITION = "claimmap:position"
SCORE = "claimmap:score"
METHOD = "claimmap:method"


def ref_file(ref: str, suffix: str) -> str:
    """A portable file name for an article ref, the same whatever else is in the folder.

    A ref that is not already a safe name gets a short hash of itself, so two refs
    that clean to one name (``a b`` and ``a_b``) still get two files, and the name
    never depends on which other articles an analyst holds (it would, were it made
    unique by numbering, and two clones would then write one file differently).
    Names never start with ``_`` or ``.``: ``_links.jsonl`` cannot be an article's.
    """
    name = file_name(ref, suffix)
    if name != ref + suffix:
        digest = hashlib.sha256(ref.encode("utf-8")).hexdigest()[:10]
        name = f"{name[: -len(suffix)]}-{digest}{suffix}"
    return name


@dataclass(frozen=True, slots=True)
class Placed:
    """Where a span sits in its layer: what its stable id is made of."""

    annotator: str
    ref: str
    start: int
    end: int


def span_ids(places: Iterable[tuple[int, Placed, tuple[int, str]]]) -> dict[int, str]:
    """Database span id -> stable id.  ``places`` gives each span's place and a sort
    key that orders spans sharing a place (an orphan beside a placed span at the
    same offsets): the n-th of them gets ``n`` in its id, identically everywhere."""
    out: dict[int, str] = {}
    previous: Placed | None = None
    n = 0
    # Sorted, the spans sharing a place are neighbours: counting needs no table.
    for span_id, place, _order in sorted(places, key=_sort_key):
        n = n + 1 if place == previous else 0
        previous = place
        out[span_id] = guid("sync", place.annotator, place.ref, place.start, place.end, n)
    return out


def _sort_key(
    item: tuple[int, Placed, tuple[int, str]],
) -> tuple[str, int, int, str, tuple[int, str], int]:
    span_id, place, order = item
    return (place.ref, place.start, place.end, place.annotator, order, span_id)


def span_line(span: Span, stable_id: str, label: str | None) -> str:
    anno = span_annotation(span, label, stable_id)
    if span.orphaned:
        # The W3C form leaves an orphan's position out (it is not trustworthy in
        # the text); the layer still needs it to name the span the same way.
        anno[ORPHANED] = True
        anno[POSITION] = {"start": span.start, "end": span.end}
    return jsonl_line(anno)


def link_line(
    annotator: str,
    id_a: str,
    id_b: str,
    status: str,
    score: float,
    method: str,
    created: str,
    updated: str,
) -> str:
    """A decided link: one annotation with two targets and its status as the body."""
    return jsonl_line(
        with_times(
            {
                "@context": CONTEXT,
                "id": f"urn:uuid:{guid('sync-link', id_a, id_b)}",
                "type": "Annotation",
                "motivation": "linking",
                "creator": {"type": "Person", "name": annotator},
                "body": [{"type": "TextualBody", "purpose": STATUS_PURPOSE, "value": status}],
                "target": [f"urn:uuid:{id_a}", f"urn:uuid:{id_b}"],
                SCORE: score,
                METHOD: method,
            },
            created,
            updated,
        )
    )


def relation_line(
    annotator: str,
    source: str,
    target: str,
    type_: str,
    note: str | None,
    created: str,
    updated: str,
) -> str:
    """A relation: the first target supports or attacks the second."""
    body: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": RELATION_PURPOSE, "value": f"claimmap:{type_}"}
    ]
    if note:
        body.append(
            {"type": "TextualBody", "purpose": "commenting", "value": note, "format": "text/plain"}
        )
    return jsonl_line(
        with_times(
            {
                "@context": CONTEXT,
                "id": f"urn:uuid:{guid('sync-relation', source, target, type_)}",
                "type": "Annotation",
                "motivation": "linking",
                "creator": {"type": "Person", "name": annotator},
                "body": body,
                "target": [f"urn:uuid:{source}", f"urn:uuid:{target}"],
            },
            created,
            updated,
        )
    )


def article_document(row: Mapping[str, Any]) -> str:
    """An article's file: everything a teammate's database needs to hold it, and
    nothing that differs between two databases holding the same text (no import
    times, no database ids)."""
    doc = {"format": FORMAT, "version": VERSION, "iri": article_iri(str(row["ref"]))}
    doc.update(row)
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
