"""Claims: connected groups of spans joined by confirmed links.

Each span carries a ``claim_id``; the invariant is that spans joined by a
confirmed link share it.  Confirming a link merges two claims; rejecting or
detaching splits a claim into its connected components, the largest keeping the
id and label.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.linking.claims import components
from claimmap.models import Claim
from claimmap.store import write_unit
from claimmap.store.clock import now


def claim_of(db: Database, span_id: int) -> int:
    row = db.execute("SELECT claim_id FROM spans WHERE id = ?", [span_id]).fetchone()
    if row is None:
        raise ClaimmapError(f"no span with id {span_id}")
    return int(row[0])


def join_claims(db: Database, span_a: int, span_b: int) -> int:
    """Put two spans' claims together (inside the caller's write unit)."""
    ca, cb = claim_of(db, span_a), claim_of(db, span_b)
    if ca == cb:
        return ca
    keep, drop = min(ca, cb), max(ca, cb)
    labels = dict(
        db.execute("SELECT id, label FROM claims WHERE id IN (?, ?)", [keep, drop]).fetchall()
    )
    label = labels.get(keep) or labels.get(drop)
    db.execute("UPDATE spans SET claim_id = ? WHERE claim_id = ?", [keep, drop])
    db.execute("UPDATE claims SET label = ?, updated_at = ? WHERE id = ?", [label, now(), keep])
    db.execute("DELETE FROM claims WHERE id = ?", [drop])
    return keep


def split_claim_components(db: Database, claim_id: int) -> list[int]:
    """Re-derive a claim's membership from confirmed links (inside a write unit)."""
    members = [
        int(r[0])
        for r in db.execute("SELECT id FROM spans WHERE claim_id = ? ORDER BY id", [claim_id])
    ]
    if not members:
        db.execute("DELETE FROM claims WHERE id = ?", [claim_id])
        return []
    placeholders = ",".join("?" * len(members))
    edges = [
        (int(a), int(b))
        for a, b in db.execute(
            f"SELECT a, b FROM links WHERE status = 'confirmed' AND a IN ({placeholders}) "
            f"AND b IN ({placeholders})",
            members + members,
        )
    ]
    groups = components(members, edges)
    groups.sort(key=lambda g: (-len(g), min(g)))
    ids = [claim_id]
    for group in groups[1:]:
        stamp = now()
        new_id = db.execute(
            "INSERT INTO claims (label, created_at, updated_at) VALUES (NULL, ?, ?)", [stamp, stamp]
        ).lastrowid
        assert new_id is not None
        db.conn.executemany(
            "UPDATE spans SET claim_id = ? WHERE id = ?", [(new_id, s) for s in group]
        )
        ids.append(int(new_id))
    return ids


def list_claims(db: Database, *, min_spans: int = 1, annotator: str | None = None) -> list[Claim]:
    """All claims (of ``annotator``'s layer when given), largest first, each with its
    dominant tag, spans and articles.  A claim lies in one layer: links join spans
    of one layer only."""
    layer = "" if annotator is None else "AND s.annotator = ? "
    params = [] if annotator is None else [annotator]
    spans_by_claim: dict[int, list[int]] = defaultdict(list)
    articles_by_claim: dict[int, list[str]] = defaultdict(list)
    tags_by_claim: dict[int, Counter[str]] = defaultdict(Counter)
    for claim_id, span_id, ref in db.execute(
        "SELECT s.claim_id, s.id, a.ref FROM spans s JOIN articles a ON a.id = s.article_id "
        f"WHERE s.claim_id IS NOT NULL {layer}ORDER BY s.claim_id, a.id, s.start, s.id",
        params,
    ):
        spans_by_claim[claim_id].append(span_id)
        if ref not in articles_by_claim[claim_id]:
            articles_by_claim[claim_id].append(ref)
    for claim_id, tag, ordinal in db.execute(
        "SELECT s.claim_id, t.name, t.ordinal FROM spans s JOIN span_tags st ON st.span_id = s.id "
        f"JOIN tags t ON t.id = st.tag_id WHERE s.claim_id IS NOT NULL {layer}",
        params,
    ):
        # Ordinal breaks ties deterministically (codebook order).
        tags_by_claim[claim_id][f"{ordinal:06d}\x1f{tag}"] += 1
    labels = dict(db.execute("SELECT id, label FROM claims").fetchall())
    claims: list[Claim] = []
    for claim_id, span_ids in spans_by_claim.items():
        if len(span_ids) < min_spans:
            continue
        counts = tags_by_claim.get(claim_id)
        dominant = None
        if counts:
            best = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            dominant = best.split("\x1f", 1)[1]
        claims.append(
            Claim(
                id=claim_id,
                label=labels.get(claim_id),
                tag=dominant,
                spans=span_ids,
                articles=articles_by_claim[claim_id],
            )
        )
    claims.sort(key=lambda c: (-len(c.articles), -len(c.spans), c.id))
    return claims


def label_claim(db: Database, claim_id: int, label: str) -> Claim:
    with write_unit(db):
        cur = db.execute(
            "UPDATE claims SET label = ?, updated_at = ? WHERE id = ?",
            [label.strip() or None, now(), claim_id],
        )
        if cur.rowcount == 0:
            raise ClaimmapError(f"no claim with id {claim_id}; list them with 'claimmap claims'")
    return get_claim(db, claim_id)


def get_claim(db: Database, claim_id: int) -> Claim:
    for claim in list_claims(db):
        if claim.id == claim_id:
            return claim
    raise ClaimmapError(f"no claim with id {claim_id}; list them with 'claimmap claims'")


@dataclass(frozen=True)
class ClaimRow:
    """A claim's row as it was, kept by a decision so that undo can put it back."""

    id: int
    label: str | None
    created_at: str
    updated_at: str


def restore_membership(
    db: Database, claims: Sequence[ClaimRow], members: Sequence[tuple[int, int | None]]
) -> set[int]:
    """Put spans back in the claims they had (inside the caller's write unit).

    ``members`` are (span, claim) pairs as they were, ``claims`` those claims' rows.
    A claim id that a merge took away comes back: it names the same spans as
    before, so quoting it keeps meaning what it meant.  Claims made since that are
    left without spans are removed.  Returns the ids of the restored claims.
    """
    spans = [s for s, _ in members]
    marks = ",".join("?" * len(spans))
    since = {
        int(r[0])
        for r in db.execute(
            f"SELECT DISTINCT claim_id FROM spans WHERE id IN ({marks}) AND claim_id IS NOT NULL",
            spans,
        )
    }
    for c in claims:
        db.execute(
            "INSERT INTO claims (id, label, created_at, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET label = excluded.label, "
            "updated_at = excluded.updated_at",
            [c.id, c.label, c.created_at, c.updated_at],
        )
    db.conn.executemany(
        "UPDATE spans SET claim_id = ? WHERE id = ?", [(claim, span) for span, claim in members]
    )
    kept = {c.id for c in claims}
    for claim_id in sorted(since - kept):
        if db.execute("SELECT 1 FROM spans WHERE claim_id = ?", [claim_id]).fetchone() is None:
            db.execute("DELETE FROM claims WHERE id = ?", [claim_id])
    return kept
