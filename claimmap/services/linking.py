"""Linking use cases: suggest links, review them, and query similar spans.

The engine (``claimmap.linking``) is pure; this module feeds it the spans of the
database (orphans and spans inside footnote blocks excluded: footnotes are kept
for reading but are not claims) and records statuses.  A rejected pair is never
suggested again; confirming a link joins the two spans' claims.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.linking.engine import DEFAULT_THRESHOLD, LinkIndex, SpanItem
from claimmap.models import Link, LinkStatus
from claimmap.services.analyst import current_annotator
from claimmap.services.claims import join_claims, split_claim_components
from claimmap.store import write_unit
from claimmap.store.clock import now
from claimmap.store.spans import get_span


@dataclass(frozen=True)
class LinkSummary:
    spans: int
    candidates: int
    new: int
    updated: int
    kept_confirmed: int
    kept_rejected: int
    threshold: float


@dataclass(frozen=True)
class Similar:
    span: int
    article: str
    score: float
    quote: str
    status: str | None  # the stored link's status, if any


def aliases(db: Database) -> list[tuple[str, str]]:
    return [
        (str(v), str(c))
        for v, c in db.execute("SELECT variant, canonical FROM aliases ORDER BY id")
    ]


def add_alias(db: Database, variant: str, canonical: str) -> None:
    if not variant.strip() or not canonical.strip():
        raise ClaimmapError("an alias needs a variant and a canonical form")
    with write_unit(db):
        db.execute(
            "INSERT INTO aliases (variant, canonical) VALUES (?, ?) "
            "ON CONFLICT(variant) DO UPDATE SET canonical = excluded.canonical",
            [variant.strip(), canonical.strip()],
        )


def linkable_items(
    db: Database, ids: Sequence[int] | None = None, annotator: str | None = None
) -> list[SpanItem]:
    """Spans that take part in linking: placed, and not inside a footnote block
    (all of them, or those among ``ids``; of one analyst's layer when given)."""
    if ids is not None and not ids:
        return []
    only = f"s.id IN ({','.join('?' * len(ids))}) AND " if ids is not None else ""
    params: list[Any] = list(ids) if ids is not None else []
    if annotator is not None:
        only += "s.annotator = ? AND "
        params.append(annotator)
    return [
        SpanItem(int(i), int(a), str(q))
        for i, a, q in db.execute(
            f"SELECT s.id, s.article_id, s.quote FROM spans s WHERE {only}s.orphaned = 0 "
            "AND NOT EXISTS (SELECT 1 FROM article_regions r WHERE r.article_id = s.article_id "
            '  AND r.kind = \'footnote\' AND s.start >= r.start AND s."end" <= r."end") '
            "ORDER BY s.id",
            params,
        )
    ]


def build_index(db: Database, annotator: str | None = None) -> LinkIndex:
    """The linker's index over one layer (or, with None, over every span)."""
    return LinkIndex(linkable_items(db, annotator=annotator), aliases=aliases(db))


def layers(db: Database, annotator: str | None = None) -> list[str]:
    """The layers a linking command works on: the one named, else every analyst's.

    Pairs never cross layers: two analysts' spans of one passage are the same
    coding twice (what agreement compares), not the same claim in two papers.
    """
    if annotator is not None:
        return [annotator]
    return [str(r[0]) for r in db.execute("SELECT DISTINCT annotator FROM spans ORDER BY 1")]


def run_linker(
    db: Database, threshold: float = DEFAULT_THRESHOLD, annotator: str | None = None
) -> LinkSummary:
    """Score the cross-article pairs of each layer (or of ``annotator``'s) and store
    new suggestions (one write unit)."""
    if not 0 <= threshold <= 100:
        raise ClaimmapError("--threshold must be between 0 and 100")
    pairs: list[tuple[str, Any]] = []
    spans = 0
    for layer in layers(db, annotator):
        index = build_index(db, layer)
        spans += len(index)
        pairs.extend((layer, p) for p in index.pairs(threshold))
    new = updated = kept_confirmed = kept_rejected = 0
    with write_unit(db):
        existing = {
            (int(a), int(b)): str(s) for a, b, s in db.execute("SELECT a, b, status FROM links")
        }
        stamp = now()
        inserts: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        for layer, p in pairs:
            status = existing.get((p.a, p.b))
            if status is None:
                inserts.append((p.a, p.b, round(p.score, 2), layer, stamp, stamp))
            elif status == "suggested":
                updates.append((round(p.score, 2), stamp, p.a, p.b))
            elif status == "confirmed":
                kept_confirmed += 1
            else:
                kept_rejected += 1
        db.conn.executemany(
            "INSERT INTO links (a, b, score, status, method, annotator, created_at, updated_at) "
            "VALUES (?, ?, ?, 'suggested', 'linker', ?, ?, ?)",
            inserts,
        )
        db.conn.executemany(
            "UPDATE links SET score = ?, updated_at = ? WHERE a = ? AND b = ? AND status = 'suggested'",
            updates,
        )
        new, updated = len(inserts), len(updates)
    return LinkSummary(spans, len(pairs), new, updated, kept_confirmed, kept_rejected, threshold)


_LINK_SQL = (
    "SELECT l.id, l.a, l.b, l.score, l.status, aa.ref AS article_a, ab.ref AS article_b "
    "FROM links l JOIN spans sa ON sa.id = l.a JOIN spans sb ON sb.id = l.b "
    "JOIN articles aa ON aa.id = sa.article_id JOIN articles ab ON ab.id = sb.article_id"
)


def list_links(db: Database, status: LinkStatus | None = None) -> list[Link]:
    sql = _LINK_SQL + (" WHERE l.status = ?" if status else "") + " ORDER BY l.score DESC, l.id"
    return [Link(**r) for r in db.query(sql, [status] if status else [])]


def set_link_status(db: Database, link_id: int, status: LinkStatus) -> None:
    """Set one link's status and its spans' claims (inside the caller's write unit)."""
    row = db.execute("SELECT a, b, status FROM links WHERE id = ?", [link_id]).fetchone()
    if row is None:
        raise ClaimmapError(f"no link with id {link_id}; list them with 'claimmap links'")
    a, b, old = int(row[0]), int(row[1]), str(row[2])
    if old == status:
        return
    # The decider is recorded: in one's own layer, oneself.
    db.execute(
        "UPDATE links SET status = ?, annotator = ?, updated_at = ? WHERE id = ?",
        [status, current_annotator(), now(), link_id],
    )
    if status == "confirmed":
        join_claims(db, a, b)
    elif old == "confirmed":
        claim = db.execute("SELECT claim_id FROM spans WHERE id = ?", [a]).fetchone()[0]
        split_claim_components(db, int(claim))


def set_links_status(db: Database, link_ids: Sequence[int], status: LinkStatus) -> list[Link]:
    """Accept or reject links by id (all of them, or none on error)."""
    if not link_ids:
        raise ClaimmapError("give at least one link id")
    with write_unit(db):
        for link_id in link_ids:
            set_link_status(db, link_id, status)
    wanted = set(link_ids)
    return [link for link in list_links(db) if link.id in wanted]


def accept_min_score(db: Database, min_score: float) -> list[Link]:
    """Confirm every suggested link scoring at least ``min_score`` (0-100, the
    linker's scale, like ``link --threshold``)."""
    if not 0 <= min_score <= 100:  # NaN fails this too
        raise ClaimmapError(f"--min-score takes a link score between 0 and 100, not {min_score:g}")
    with write_unit(db):
        ids = [
            int(r[0])
            for r in db.execute(
                "SELECT id FROM links WHERE status = 'suggested' AND score >= ? ORDER BY id",
                [min_score],
            )
        ]
        for link_id in ids:
            set_link_status(db, link_id, "confirmed")
    wanted = set(ids)
    return [link for link in list_links(db) if link.id in wanted]


def pair_score(db: Database, span_a: int, span_b: int) -> float:
    """The linker's score for two spans (with the corpus's statistics)."""
    return pair_scores(db, [(span_a, span_b)])[(span_a, span_b)]


def pair_scores(db: Database, pairs: Sequence[tuple[int, int]]) -> dict[tuple[int, int], float]:
    """The linker's score of each pair, with one index for all of them (the layer of
    the pairs' spans when they all share one, as the linker would score them)."""
    if not pairs:
        return {}
    ids = sorted({s for p in pairs for s in p})
    owners = {
        str(r[0])
        for r in db.execute(
            f"SELECT DISTINCT annotator FROM spans WHERE id IN ({','.join('?' * len(ids))})", ids
        )
    }
    index = build_index(db, owners.pop() if len(owners) == 1 else None)
    for s in ids:
        if s not in index:  # orphaned or footnote span: score it against the corpus anyway
            span = get_span(db, s)
            index.add(SpanItem(span.id, span.article_id, span.quote))
    return {(a, b): round(index.score(a, b), 2) for a, b in pairs}


def set_pair_status(
    db: Database, span_a: int, span_b: int, status: LinkStatus, score: float | None = None
) -> Link:
    """Accept or reject the pair (a, b), creating its link if the linker never stored it."""
    if span_a == span_b:
        raise ClaimmapError("a span cannot be linked to itself")
    a, b = sorted((span_a, span_b))
    get_span(db, a)
    get_span(db, b)
    if score is None:
        score = pair_score(db, a, b)
    with write_unit(db):
        row = db.execute("SELECT id FROM links WHERE a = ? AND b = ?", [a, b]).fetchone()
        if row is None:
            stamp = now()
            cur = db.execute(
                "INSERT INTO links (a, b, score, status, method, annotator, created_at, "
                "updated_at) VALUES (?, ?, ?, 'suggested', 'manual', ?, ?, ?)",
                [a, b, score, current_annotator(), stamp, stamp],
            )
            link_id = int(cur.lastrowid or 0)
        else:
            link_id = int(row[0])
        set_link_status(db, link_id, status)
    return next(link for link in list_links(db) if link.id == link_id)


def similar(
    db: Database,
    span_id: int,
    top: int = 5,
    index: LinkIndex | None = None,
    annotator: str | None = None,
) -> list[Similar]:
    """The ``top`` best candidates from other articles for one span, best first
    (among ``annotator``'s spans when given, else among every span)."""
    if top < 1:
        raise ClaimmapError("--top must be at least 1")
    span = get_span(db, span_id)
    # A caller's index (the app's, kept across edits) may hold every layer: ask it
    # for enough candidates that ``top`` of them are in the wanted layer.
    wide = 1
    if index is None:
        index = build_index(db, annotator)
    elif annotator is not None:
        wide = max(1, len(layers(db)))
    if span_id in index:
        found = index.similar(span_id, top_k=top * wide)
    else:
        found = index.similar(text=span.quote, article_id=span.article_id, top_k=top * wide)
    if wide > 1:
        ids = [other for other, _score in found]
        mine = {
            int(r[0])
            for r in db.execute(
                f"SELECT id FROM spans WHERE annotator = ? AND id IN ({','.join('?' * len(ids))})",
                [annotator, *ids],
            )
        }
        found = [(other, score) for other, score in found if other in mine][:top]
    return _describe(db, span_id, found)


def _describe(db: Database, span_id: int, found: Iterable[tuple[int, float]]) -> list[Similar]:
    out: list[Similar] = []
    for other, score in found:
        row = db.execute(
            "SELECT a.ref, s.quote FROM spans s JOIN articles a ON a.id = s.article_id WHERE s.id = ?",
            [other],
        ).fetchone()
        a, b = sorted((span_id, other))
        status = db.execute("SELECT status FROM links WHERE a = ? AND b = ?", [a, b]).fetchone()
        out.append(
            Similar(other, str(row[0]), round(score, 2), str(row[1]), status[0] if status else None)
        )
    return out


def layer_warning(db: Database, span_a: int, span_b: int) -> str | None:
    """What is odd about linking spans of two analysts' layers (the linker and review
    never pair them; an analyst may, and is told so, like any odd link)."""
    rows = dict(
        db.execute(
            "SELECT id, annotator FROM spans WHERE id IN (?, ?)", [span_a, span_b]
        ).fetchall()
    )
    first, second = rows.get(span_a), rows.get(span_b)
    if first is None or second is None or first == second:
        return None
    return (
        f"span {span_a} is in {first}'s layer and span {span_b} in {second}'s: "
        "a link usually joins spans of one layer"
    )


def first_spans(db: Database, claim_a: int, claim_b: int) -> tuple[int, int]:
    """The lowest span id of each claim: the pair a merge links."""
    firsts = []
    for claim in (claim_a, claim_b):
        row = db.execute("SELECT min(id) FROM spans WHERE claim_id = ?", [claim]).fetchone()
        if row is None or row[0] is None:
            raise ClaimmapError(f"no claim with id {claim}; list them with 'claimmap claims'")
        firsts.append(int(row[0]))
    if claim_a == claim_b:
        raise ClaimmapError("cannot merge a claim with itself")
    return firsts[0], firsts[1]


def merge_claims(db: Database, claim_a: int, claim_b: int) -> int:
    """Merge two claims by confirming a manual link between their first spans."""
    first_a, first_b = first_spans(db, claim_a, claim_b)
    set_pair_status(db, first_a, first_b, "confirmed")
    return int(db.execute("SELECT claim_id FROM spans WHERE id = ?", [first_a]).fetchone()[0])


def detach_span(db: Database, span_id: int) -> int:
    """Take a span out of its claim: its confirmed links become rejected."""
    with write_unit(db):
        get_span(db, span_id)
        claim = int(db.execute("SELECT claim_id FROM spans WHERE id = ?", [span_id]).fetchone()[0])
        db.execute(
            "UPDATE links SET status = 'rejected', updated_at = ? "
            "WHERE status = 'confirmed' AND (a = ? OR b = ?)",
            [now(), span_id, span_id],
        )
        split_claim_components(db, claim)
        return int(db.execute("SELECT claim_id FROM spans WHERE id = ?", [span_id]).fetchone()[0])
