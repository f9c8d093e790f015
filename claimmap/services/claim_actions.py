"""The analyst's claim actions, each one write unit that returns its warnings and
what undo needs to put it back.

Linking two spans, merging two claims and taking a span out of its claim are
never refused for looking odd: the analyst may know better.  Instead each action
says what is unusual about it (the spans' tags differ, the pair was rejected
before) and the caller shows it.  Link decisions and merges are
``services.review`` decisions (``Decision``, reverted by ``review.undo``);
detaching touches several links at once and keeps its own record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.models import LinkStatus
from claimmap.services import review
from claimmap.services.claims import (
    ClaimRow,
    label_claim,
    restore_membership,
    split_claim_components,
)
from claimmap.services.linking import first_spans, layer_warning, pair_score
from claimmap.services.review import Decision, LinkRow
from claimmap.store import write_unit
from claimmap.store.clock import now
from claimmap.store.spans import get_span


@dataclass(frozen=True)
class Linked:
    """A link decision on a pair of spans, and what the analyst should know about it."""

    decision: Decision
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Merged:
    """Two claims made one: ``survivor`` keeps its id, ``merged`` is gone."""

    survivor: int
    merged: int
    decision: Decision
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Detached:
    """A span taken out of its claim, with the rows needed to put it back."""

    span: int
    claim: int  # the span's claim afterwards
    links: tuple[LinkRow, ...]  # its confirmed links before (now rejected)
    members: tuple[tuple[int, int | None], ...]  # (span, claim) of the old claim's spans
    claims: tuple[ClaimRow, ...]  # the old claim's row


@dataclass(frozen=True)
class Labelled:
    claim: int
    before: str | None
    after: str | None


# -- warnings ------------------------------------------------------------------


def _tag_sets(db: Database, span_ids: Iterable[int]) -> list[str]:
    ids = sorted(set(span_ids))
    if not ids:
        return []
    return [
        str(r[0])
        for r in db.execute(
            "SELECT DISTINCT t.name FROM span_tags st JOIN tags t ON t.id = st.tag_id "
            f"WHERE st.span_id IN ({','.join('?' * len(ids))}) ORDER BY t.ordinal, t.name",
            ids,
        )
    ]


def _members(db: Database, claim_id: int) -> list[int]:
    return [int(r[0]) for r in db.execute("SELECT id FROM spans WHERE claim_id = ?", [claim_id])]


def _tags_differ(
    kind: str, verb: str, joiner: str, left: list[str], right: list[str]
) -> str | None:
    # Spans with no tag in common are rarely the same claim; spans with several tags
    # that share one are (a motive that is also an impact).
    if not left or not right or set(left) & set(right):
        return None
    return (
        f"{verb} a {'/'.join(left)} {kind} {joiner} a {'/'.join(right)} {kind}: their tags differ"
    )


def confirm_warnings(db: Database, pairs: Sequence[tuple[int, int]]) -> list[str]:
    """What is unusual about confirming these span pairs: tags that differ, and pairs
    rejected before (a rejected pair is never suggested again, so the analyst judged
    it different once)."""
    out: list[str] = []
    for x, y in pairs:
        a, b = (x, y) if x < y else (y, x)
        row = db.execute("SELECT status FROM links WHERE a = ? AND b = ?", [a, b]).fetchone()
        if row is not None and row[0] == "rejected":
            out.append(f"spans {a} and {b} were rejected as different claims before")
        differ = _tags_differ("span", "linking", "to", _tag_sets(db, [x]), _tag_sets(db, [y]))
        if differ:
            out.append(f"spans {x} and {y}: {differ}")
        layers = layer_warning(db, x, y)
        if layers:
            out.append(layers)
    return out


def link_warnings(db: Database, link_ids: Sequence[int]) -> list[str]:
    """``confirm_warnings`` for stored links given by id (unknown ids are skipped:
    the action itself reports them)."""
    pairs = []
    for link_id in link_ids:
        row = db.execute("SELECT a, b FROM links WHERE id = ?", [link_id]).fetchone()
        if row is not None:
            pairs.append((int(row[0]), int(row[1])))
    return confirm_warnings(db, pairs)


# -- actions -------------------------------------------------------------------


def link_pair(
    db: Database,
    span_a: int,
    span_b: int,
    status: LinkStatus,
    *,
    score: float | None = None,
    method: str = "manual",
) -> Linked:
    """Confirm or reject a pair of spans (the link is created if needed)."""
    if span_a == span_b:
        raise ClaimmapError("a span cannot be linked to itself")
    get_span(db, span_a)
    get_span(db, span_b)
    warnings = confirm_warnings(db, [(span_a, span_b)]) if status == "confirmed" else []
    if score is None:
        # Scored before the write unit: building the index can take seconds.
        score = pair_score(db, span_a, span_b)
    decision = review.decide(db, span_a, span_b, status, score=score, method=method)
    return Linked(decision, tuple(warnings))


def merge(db: Database, claim_a: int, claim_b: int) -> Merged:
    """Merge two claims by confirming a manual link between their first spans; the
    smaller id survives (as ``claims.join_claims`` decides)."""
    first_a, first_b = first_spans(db, claim_a, claim_b)
    warnings: list[str] = []
    row = db.execute(
        "SELECT status FROM links WHERE a = ? AND b = ?", sorted((first_a, first_b))
    ).fetchone()
    if row is not None and row[0] == "rejected":
        warnings.append(
            f"spans {min(first_a, first_b)} and {max(first_a, first_b)} were rejected "
            "as different claims before"
        )
    differ = _tags_differ(
        "claim",
        "merging",
        "with",
        _tag_sets(db, _members(db, claim_a)),
        _tag_sets(db, _members(db, claim_b)),
    )
    if differ:
        warnings.append(differ)
    score = pair_score(db, first_a, first_b)
    decision = review.decide(db, first_a, first_b, "confirmed", score=score, method="manual")
    survivor = int(db.execute("SELECT claim_id FROM spans WHERE id = ?", [first_a]).fetchone()[0])
    merged = claim_b if survivor == claim_a else claim_a
    return Merged(survivor, merged, decision, tuple(warnings))


def detach(db: Database, span_id: int) -> Detached:
    """Take a span out of its claim: its confirmed links become rejected."""
    with write_unit(db):
        get_span(db, span_id)
        claim = int(db.execute("SELECT claim_id FROM spans WHERE id = ?", [span_id]).fetchone()[0])
        links = tuple(
            LinkRow(int(i), float(sc), st, str(m), str(u))
            for i, sc, st, m, u in db.execute(
                "SELECT id, score, status, method, updated_at FROM links "
                "WHERE status = 'confirmed' AND (a = ? OR b = ?) ORDER BY id",
                [span_id, span_id],
            )
        )
        members = tuple(
            (int(s), claim)
            for (s,) in db.execute("SELECT id FROM spans WHERE claim_id = ? ORDER BY id", [claim])
        )
        claims = tuple(
            ClaimRow(int(i), None if lab is None else str(lab), str(c), str(u))
            for i, lab, c, u in db.execute(
                "SELECT id, label, created_at, updated_at FROM claims WHERE id = ?", [claim]
            )
        )
        db.conn.executemany(
            "UPDATE links SET status = 'rejected', updated_at = ? WHERE id = ?",
            [(now(), link.id) for link in links],
        )
        split_claim_components(db, claim)
        after = int(db.execute("SELECT claim_id FROM spans WHERE id = ?", [span_id]).fetchone()[0])
    return Detached(span_id, after, links, members, claims)


def undo_detach(db: Database, done: Detached) -> None:
    """Put the span back in its claim (one write unit); refused when one of its
    links changed since, so a later decision is never overwritten."""
    with write_unit(db):
        for link in done.links:
            row = db.execute("SELECT status FROM links WHERE id = ?", [link.id]).fetchone()
            if row is None or row[0] != "rejected":
                raise ClaimmapError(f"the links of span {done.span} changed since; nothing undone")
        db.conn.executemany(
            "UPDATE links SET status = ?, updated_at = ? WHERE id = ?",
            [(link.status, link.updated_at, link.id) for link in done.links],
        )
        restore_membership(db, done.claims, done.members)
        spans = [s for s, _ in done.members]
        marks = ",".join("?" * len(spans))
        # A link confirmed since (the span joined to another claim) would now join
        # spans of two claims: refuse, and the unit rolls everything back.
        crossing = db.execute(
            "SELECT 1 FROM links l JOIN spans sa ON sa.id = l.a JOIN spans sb ON sb.id = l.b "
            f"WHERE l.status = 'confirmed' AND (l.a IN ({marks}) OR l.b IN ({marks})) "
            "AND sa.claim_id IS NOT sb.claim_id LIMIT 1",
            spans + spans,
        ).fetchone()
        if crossing is not None:
            raise ClaimmapError(f"the claim of span {done.span} changed since; nothing undone")


def label(db: Database, claim_id: int, text: str) -> Labelled:
    """Set a claim's label, keeping the old one for undo."""
    row = db.execute("SELECT label FROM claims WHERE id = ?", [claim_id]).fetchone()
    if row is None:
        raise ClaimmapError(f"no claim with id {claim_id}; list them with 'claimmap claims'")
    after = label_claim(db, claim_id, text).label
    return Labelled(claim_id, None if row[0] is None else str(row[0]), after)
