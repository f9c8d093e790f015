"""The argument map as AIF JSON (the format of AIFdb and OVA), and back.

Nodes, by AIF's types:

- an I-node per claim (its label or first wording);
- per span, an I-node holding the paper's own wording, an L-node for the paper's
  locution (``REF: quote``, spoken by the paper as a participant) joined to it by
  a YA-node (Asserting), and an MA-node (Default Rephrase) from the wording to its
  claim's I-node: same-claim spans are rephrases of one claim;
- per relation, an RA-node (Default Inference) for supports or a CA-node (Default
  Conflict) for attacks, from the source span's wording to the target's.

Relations stay between spans (not only claims) so that reading the file back
gives exactly the relations it was written from.  What AIF has no field for rides
in a ``claimmap`` object on the node, which AIF readers ignore: the span's
article and offsets on a locution, the annotator and note on a relation.  Node ids
are numbered in a fixed order, so the same database gives the same file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

from claimmap.argument_graph import ArgumentMap

SCHEMES = {"supports": ("RA", "Default Inference"), "attacks": ("CA", "Default Conflict")}
TYPES = {"RA": "supports", "CA": "attacks"}


@dataclass(frozen=True, slots=True)
class RelationRow:
    """One stored relation with what AIF keeps of it."""

    id: int
    source: int
    target: int
    type: str
    annotator: str
    note: str | None
    created_at: str


# JSON string literals through json's C encoder, without a json.dumps call (and
# its encoder set-up) per item: a map of 20,000 relations has 250,000 items.
_s = encode_basestring


def _lines(key: str, lines: list[str]) -> str:
    """One item a line: the file reads and diffs well and stays valid JSON."""
    return f'"{key}": [\n' + ",\n".join(lines) + "\n]"


def render_aif(graph: ArgumentMap, relations: Sequence[RelationRow]) -> bytes:
    nodes: list[str] = []
    edges: list[str] = []
    locutions: list[str] = []
    papers = sorted({w.article for n in graph.nodes.values() for w in n.wordings})
    person = {ref: k for k, ref in enumerate(papers, start=1)}

    def node(type_: str, text: str, extra: str = "") -> str:
        node_id = str(len(nodes) + 1)
        nodes.append(f'{{"nodeID": "{node_id}", "text": {_s(text)}, "type": "{type_}"{extra}}}')
        return node_id

    def edge(a: str, b: str) -> None:
        edges.append(
            f'{{"edgeID": "{len(edges) + 1}", "fromID": "{a}", "toID": "{b}", "formEdgeID": null}}'
        )

    wording_node: dict[int, str] = {}
    for claim_id in sorted(graph.nodes):
        claim = graph.nodes[claim_id]
        tag = _s(claim.tag) if claim.tag is not None else "null"
        claim_node = node(
            "I", claim.display, f', "claimmap": {{"claim": {claim_id}, "tag": {tag}}}'
        )
        for w in claim.wordings:
            said = node("I", w.quote)
            wording_node[w.span_id] = said
            spoken = node("L", f"{w.article}: {w.quote}")
            locutions.append(
                f'{{"nodeID": "{spoken}", "personID": "{person[w.article]}", "claimmap": '
                f'{{"span": {w.span_id}, "article": {_s(w.article)}, "start": {w.start}, '
                f'"end": {w.start + len(w.quote)}}}}}'
            )
            asserting = node("YA", "Asserting")
            edge(spoken, asserting)
            edge(asserting, said)
            rephrase = node("MA", "Default Rephrase")
            edge(said, rephrase)
            edge(rephrase, claim_node)
    for rel in sorted(relations, key=lambda r: r.id):
        if rel.source not in wording_node or rel.target not in wording_node:
            continue
        kind, text = SCHEMES[rel.type]
        note = _s(rel.note) if rel.note is not None else "null"
        scheme = node(
            kind,
            text,
            f', "timestamp": {_s(rel.created_at)}, "claimmap": {{"relation": {rel.id}, '
            f'"annotator": {_s(rel.annotator)}, "note": {note}}}',
        )
        edge(wording_node[rel.source], scheme)
        edge(scheme, wording_node[rel.target])
    participants = [
        f'{{"participantID": "{k}", "firstname": {_s(ref)}, "surname": ""}}'
        for ref, k in person.items()
    ]
    parts = [
        _lines("nodes", nodes),
        _lines("edges", edges),
        _lines("locutions", locutions),
        _lines("participants", participants),
    ]
    return ("{\n" + ",\n".join(parts) + "\n}\n").encode("utf-8")


@dataclass(frozen=True, slots=True)
class Locution:
    """Where an I-node was said: a paper (article ref) and its words."""

    article: str
    quote: str
    start: int | None


@dataclass(frozen=True, slots=True)
class AifRelation:
    node: str
    type: str
    source: Locution
    target: Locution
    annotator: str | None
    note: str | None


class AifError(ValueError):
    """The document is not AIF we can read; the message says where."""


def _str(value: Any, what: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise AifError(f"{what} must be a string or a number")


def _list(document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = document.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise AifError(f"'{key}' must be a list of objects")
    return value


def parse_aif(document: Any) -> list[AifRelation]:
    """The RA (supports) and CA (attacks) relations between located I-nodes.

    An I-node is located by the L-node that asserts it (L -> YA -> I): its
    ``claimmap`` extension when present, else its text read as ``REF: quote``.
    """
    if not isinstance(document, dict):
        raise AifError("an AIF file is a JSON object with 'nodes' and 'edges'")
    nodes: dict[str, dict[str, Any]] = {}
    for k, n in enumerate(_list(document, "nodes")):
        node_id = _str(n.get("nodeID"), f"nodes[{k}].nodeID")
        nodes[node_id] = n
    outs: dict[str, list[str]] = {}
    ins: dict[str, list[str]] = {}
    for k, e in enumerate(_list(document, "edges")):
        a = _str(e.get("fromID"), f"edges[{k}].fromID")
        b = _str(e.get("toID"), f"edges[{k}].toID")
        for end in (a, b):
            if end not in nodes:
                raise AifError(f"edges[{k}] joins node {end!r}, which is not in 'nodes'")
        outs.setdefault(a, []).append(b)
        ins.setdefault(b, []).append(a)
    extension: dict[str, dict[str, Any]] = {}
    for loc in _list(document, "locutions"):
        ext = loc.get("claimmap")
        if isinstance(ext, dict) and "nodeID" in loc:
            extension[_str(loc["nodeID"], "locutions[].nodeID")] = ext

    def locate(i_node: str) -> Locution:
        for ya in ins.get(i_node, []):
            if nodes[ya].get("type") != "YA":
                continue
            for spoken in ins.get(ya, []):
                if nodes[spoken].get("type") == "L":
                    return _locution(spoken, nodes[spoken], extension.get(spoken))
        raise AifError(f"I-node {i_node} has no locution (L -> YA -> I) naming its paper")

    relations: list[AifRelation] = []
    for node_id, n in nodes.items():
        kind = n.get("type")
        if kind not in TYPES:
            continue
        sources = [a for a in ins.get(node_id, []) if nodes[a].get("type") == "I"]
        targets = [b for b in outs.get(node_id, []) if nodes[b].get("type") == "I"]
        if len(targets) != 1 or not sources:
            raise AifError(f"{kind}-node {node_id} needs premises and one conclusion (I-nodes)")
        ext = n.get("claimmap")
        ext = ext if isinstance(ext, dict) else {}
        annotator = ext.get("annotator")
        note = ext.get("note")
        for source in sources:
            relations.append(
                AifRelation(
                    node_id,
                    TYPES[str(kind)],
                    locate(source),
                    locate(targets[0]),
                    annotator if isinstance(annotator, str) and annotator else None,
                    note if isinstance(note, str) and note else None,
                )
            )
    return relations


def _locution(node_id: str, node: dict[str, Any], ext: dict[str, Any] | None) -> Locution:
    text = node.get("text")
    if not isinstance(text, str):
        raise AifError(f"L-node {node_id} has no text")
    if ext is not None:
        article, start, end = ext.get("article"), ext.get("start"), ext.get("end")
        if isinstance(article, str) and type(start) is int and type(end) is int:
            prefix = f"{article}: "
            quote = text[len(prefix) :] if text.startswith(prefix) else text
            return Locution(article, quote, start)
    article, sep, quote = text.partition(": ")
    if not sep or not article or not quote:
        raise AifError(f"L-node {node_id}: its text must read 'ARTICLE: quote'")
    return Locution(article, quote, None)
