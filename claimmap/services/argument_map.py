"""Read the claim-level argument map from the database.

Reads only, in one snapshot (a deferred read transaction) so that a concurrent
writer cannot give a map whose relations point at spans it has not read.  Flat
queries over whole tables: the map of a corpus with 20,000 relations is a few
scans, not one query per claim.
"""

from __future__ import annotations

from collections import defaultdict

from sqlite_utils import Database

from claimmap.argument_graph import (
    ArgumentMap,
    ClaimNode,
    SpanRelation,
    Wording,
    build_map,
)
from claimmap.errors import ClaimmapError
from claimmap.gc_paused import gc_paused
from claimmap.store.snapshot import read_snapshot


@gc_paused
def load_map(db: Database, annotator: str | None = None) -> ArgumentMap:
    """Every claim with spans, and the relations (of one analyst, if given) lifted to claims."""
    with read_snapshot(db):
        wordings: dict[int, list[Wording]] = defaultdict(list)
        span_claims: dict[int, int] = {}
        span_articles: dict[int, str] = {}
        for span_id, claim_id, ref, quote, start in db.conn.execute(
            "SELECT s.id, s.claim_id, a.ref, s.quote, s.start FROM spans s "
            "JOIN articles a ON a.id = s.article_id WHERE s.claim_id IS NOT NULL "
            "ORDER BY s.claim_id, a.id, s.start, s.id"
        ):
            wordings[claim_id].append(Wording(span_id, ref, quote, start))
            span_claims[span_id] = claim_id
            span_articles[span_id] = ref
        # (claim, tag) -> spans, counted by SQLite rather than a Counter per claim.
        tags: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        for claim_id, name, ordinal, n in db.conn.execute(
            "SELECT s.claim_id, t.name, t.ordinal, count(*) FROM spans s "
            "JOIN span_tags st ON st.span_id = s.id JOIN tags t ON t.id = st.tag_id "
            "WHERE s.claim_id IS NOT NULL GROUP BY s.claim_id, t.id"
        ):
            tags[claim_id].append((-n, ordinal, name))
        labels = dict(db.conn.execute("SELECT id, label FROM claims").fetchall())
        sql = "SELECT id, source, target, type, note FROM relations"
        params: list[str] = []
        if annotator is not None:
            sql += " WHERE annotator = ?"
            params.append(annotator)
        relations = [
            SpanRelation(int(i), int(s), int(t), str(ty), n)
            for i, s, t, ty, n in db.conn.execute(sql + " ORDER BY id", params)
        ]
    nodes = []
    for claim_id in sorted(wordings):
        counts = tags.get(claim_id)
        # The most frequent tag; codebook order breaks ties, as in the claims list.
        tag = min(counts)[2] if counts else None
        nodes.append(ClaimNode(claim_id, labels.get(claim_id), tag, tuple(wordings[claim_id])))
    return build_map(nodes, span_claims, relations, span_articles)


def claim_of_span(db: Database, span_id: int) -> int:
    row = db.execute("SELECT claim_id FROM spans WHERE id = ?", [span_id]).fetchone()
    if row is None:
        raise ClaimmapError(f"no span with id {span_id}")
    if row[0] is None:
        raise ClaimmapError(f"span {span_id} belongs to no claim")
    return int(row[0])
