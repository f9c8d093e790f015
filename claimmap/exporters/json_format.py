"""JSON: the full matrix and framing structure, documented in ``docs/export-json.md``.

Keys are sorted and floats rounded so the same database gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from claimmap.exporters.framing import Framing
from claimmap.exporters.matrix import ClaimMatrix
from claimmap.models import Relation

FORMAT_VERSION = 1


def dumps(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def matrix_dict(matrix: ClaimMatrix) -> dict[str, Any]:
    opts = asdict(matrix.options)
    opts["articles"] = list(opts["articles"]) if opts["articles"] is not None else None
    claims = []
    for row in matrix.rows:
        cells = {
            matrix.columns[col].ref: {"spans": list(cell.span_ids), "quotes": list(cell.quotes)}
            for col, cell in row.sparse
        }
        claims.append(
            {
                "id": row.claim_id,
                "label": row.label,
                "tag": row.tag,
                "coverage": row.coverage,
                "spans": list(row.span_ids),
                "cells": cells,
            }
        )
    return {
        "options": opts,
        "articles": [
            {"ref": c.ref, "title": c.title, "short_title": c.short_title} for c in matrix.columns
        ],
        "tags": [{"name": t.name, "color": t.color, "ordinal": t.ordinal} for t in matrix.tags],
        "claims": claims,
        "total_claims": matrix.total_claims,
    }


def framing_dict(framing: Framing) -> dict[str, Any]:
    return {
        "tags": list(framing.tags),
        # tag_shares divide by the article's spans (a span with two tags counts for
        # both tags), so they can add up to more than 1.
        "tag_shares_of": "spans",
        "articles": [
            {
                "ref": a.ref,
                "title": a.title,
                "spans": a.spans,
                "tag_counts": dict(a.tag_counts),
                "tag_shares": {t: round(a.share(t), 4) for t, _ in a.tag_counts},
                "claims": a.claims,
                "unique_claims": a.unique_claims,
                "shared_with": dict(a.shared_with),
            }
            for a in framing.articles
        ],
        "pairs": [
            {
                "a": p.a,
                "b": p.b,
                "shared": p.shared,
                "union": p.union,
                "jaccard": round(p.jaccard, 4),
            }
            for p in framing.pairs
        ],
    }


def relations_list(matrix: ClaimMatrix, relations: Sequence[Relation]) -> list[dict[str, Any]]:
    """The relations between spans the matrix shows, each with both spans' claims."""
    claim_of = {span: row.claim_id for row in matrix.rows for span in row.span_ids}
    return [
        {
            "id": r.id,
            "source": r.source,
            "target": r.target,
            "type": r.type,
            "annotator": r.annotator,
            "note": r.note,
            "source_claim": claim_of[r.source],
            "target_claim": claim_of[r.target],
            "source_article": r.article_source,
            "target_article": r.article_target,
        }
        for r in sorted(relations, key=lambda r: r.id)
        if r.source in claim_of and r.target in claim_of
    ]


def matrix_json(matrix: ClaimMatrix, framing: Framing, relations: Sequence[Relation] = ()) -> bytes:
    return dumps(
        {
            "format": "claimmap-matrix",
            "version": FORMAT_VERSION,
            "matrix": matrix_dict(matrix),
            "framing": framing_dict(framing),
            "relations": relations_list(matrix, relations),
        }
    )


def framing_json(framing: Framing) -> bytes:
    return dumps(
        {"format": "claimmap-framing", "version": FORMAT_VERSION, "framing": framing_dict(framing)}
    )
