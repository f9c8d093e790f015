"""Link review: the corpus's unreviewed candidate pairs, best first, and decisions on them.

There is no threshold: each linkable span brings its ``k`` best candidates from
other articles (``LinkIndex.similar``), so the linker's ranking, which finds a
span's counterpart among its top few far more often than above any score cut,
becomes a queue the analyst walks pair by pair.  A pair leaves the queue when it
is decided (its link confirmed or rejected, in table ``links``) or when its two
spans already share a claim, or when their claims were already judged apart (a
link between the two claims was rejected: if x is not y's claim, neither is any
span said to be x's claim; this saves about a tenth of the reviews on the worked
example).  A skipped pair goes to the back and stays there
across restarts (table ``review_skips``).  Every decision returns a ``Decision``
that ``undo`` reverts exactly: link row, claim membership and labels.

The order is a priority, not the raw score; the terms were chosen on the dev set
and the worked example (``benchmarks/bench_link_review.py`` prints the figures).
Given an encoder (``linking/semantic.py``), candidates and priority also weigh the
two spans' meaning, which finds pairs worded differently or in two languages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.linking.engine import LinkIndex
from claimmap.linking.semantic import MEANING_POOL, Embedder, FloatArray, blend, meaning_neighbours
from claimmap.models import Link, LinkStatus
from claimmap.services.analyst import current_annotator
from claimmap.services.claims import ClaimRow, restore_membership, split_claim_components
from claimmap.services.linking import (
    build_index,
    layers,
    list_links,
    pair_scores,
    set_link_status,
)
from claimmap.services.span_vectors import Progress, span_vectors
from claimmap.store import write_unit
from claimmap.store.clock import now
from claimmap.store.spans import get_span

DEFAULT_K = 3


@dataclass(frozen=True)
class Ranking:
    """How candidate pairs are ordered: the linker's score plus bonuses (0-100 scale).

    ``shared_tag``: added when the two spans share a tag.  ``mutual``: added when
    each span is among the other's ``k`` best.  Measured by
    ``benchmarks/bench_link_review.py`` (reviews to find the gold links, dev set and
    worked example): a shared tag of 10 found more gold links early on both (dev:
    15 of 15 gold links within 45 reviews instead of 12; worked example: 43 of 66
    within 198 instead of 42); the mutual bonus did not help, so it is off.
    """

    shared_tag: float = 10.0
    mutual: float = 0.0


DEFAULT_RANKING = Ranking()
SCORE_ONLY = Ranking(shared_tag=0.0, mutual=0.0)


@dataclass(frozen=True)
class Candidate:
    """A cross-article pair some span has among its ``k`` best (a < b).

    ``rank_a`` is b's place in a's list of candidates (1 = best), ``rank_b`` a's
    place in b's; 0 when outside that span's ``k`` best.
    """

    a: int
    b: int
    score: float  # the linker's lexical score, 0-100
    rank_a: int
    rank_b: int
    meaning: float | None = None  # cosine of the two spans' meaning vectors, if ranked by it

    @property
    def mutual(self) -> bool:
        return self.rank_a > 0 and self.rank_b > 0


@dataclass(frozen=True)
class ReviewItem:
    """One pair of the queue, with what a side-by-side view needs."""

    a: int
    b: int
    score: float
    priority: float
    meaning: float | None  # cosine of the meaning vectors (None: ranked by wording alone)
    mutual: bool
    skipped: bool
    quote_a: str
    quote_b: str
    article_a: str
    article_b: str
    tags_a: list[str]
    tags_b: list[str]
    claim_a: int | None
    claim_b: int | None
    claim_label_a: str | None
    claim_label_b: str | None
    before_a: str
    after_a: str
    before_b: str
    after_b: str
    link_id: int | None  # a stored suggestion for this pair, if any


@dataclass(frozen=True)
class ReviewQueue:
    """The queue (first ``limit`` items) and the progress over all candidates."""

    items: list[ReviewItem]
    remaining: int  # undecided candidate pairs, the items among them
    reviewed: int  # candidate pairs decided (confirmed or rejected) or joined in one claim
    found: int  # confirmed links among the candidate pairs
    k: int
    meaning_model: str | None = None  # the encoder that ranked by meaning too, if any


@dataclass(frozen=True)
class LinkRow:
    id: int
    score: float
    status: LinkStatus
    method: str
    updated_at: str


@dataclass(frozen=True)
class Decision:
    """What one review action changed, enough for ``undo`` to put it back."""

    a: int
    b: int
    action: Literal["confirmed", "rejected", "skipped"]
    link_id: int | None = None  # the link the decision wrote
    link_before: LinkRow | None = None  # None: the decision created the link
    members: tuple[tuple[int, int | None], ...] = ()  # (span, claim) before
    claims: tuple[ClaimRow, ...] = ()  # those claims' rows before
    skip_before: int | None = None  # the pair's skip position before, if skipped


# -- the queue -----------------------------------------------------------------


def candidate_pairs(
    index: LinkIndex,
    span_ids: Iterable[int],
    k: int,
    meaning: Mapping[int, FloatArray] | None = None,
) -> list[Candidate]:
    """Each span's ``k`` best candidates in other articles, deduplicated.

    Ranked by the linker's score (pairs scoring 0 are no candidates), or, given the
    spans' ``meaning`` vectors, by ``semantic.blend`` of that score and the vectors'
    cosine, over a pool of each span's best candidates by either.
    """
    if k < 1:
        raise ClaimmapError("--k must be at least 1")
    spans = list(span_ids)
    ranked = (
        _blended(index, spans, k, meaning)
        if meaning
        else {s: _by_wording(index, s, k) for s in spans}
    )
    found: dict[tuple[int, int], tuple[float, float | None]] = {}
    ranks: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for span, best in ranked.items():
        for place, (other, score, cosine) in enumerate(best, start=1):
            pair = (span, other) if span < other else (other, span)
            found[pair] = (score, cosine)
            ranks[pair][0 if span == pair[0] else 1] = place
    return [
        Candidate(
            a,
            b,
            round(score, 2),
            ranks[(a, b)][0],
            ranks[(a, b)][1],
            None if cosine is None else round(cosine, 4),
        )
        for (a, b), (score, cosine) in sorted(found.items())
    ]


def _by_wording(index: LinkIndex, span: int, k: int) -> list[tuple[int, float, float | None]]:
    """The span's ``k`` best by the linker's score alone; a score of 0 is no candidate."""
    return [(o, score, None) for o, score in index.similar(span, top_k=k) if score > 0]


def _blended(
    index: LinkIndex, spans: list[int], k: int, vectors: Mapping[int, FloatArray]
) -> dict[int, list[tuple[int, float, float | None]]]:
    """Each span's ``k`` best by the blend: its best ``MEANING_POOL`` by wording and by
    meaning, every one scored both ways, re-ranked."""
    have = [s for s in spans if s in vectors]
    out = {s: _by_wording(index, s, k) for s in spans if s not in vectors}
    if not have:
        return out
    matrix = np.stack([vectors[s] for s in have])
    near, cosines = meaning_neighbours(
        matrix, np.asarray([index.article_of(s) for s in have], dtype=np.int64)
    )
    for row, span in enumerate(have):
        lexical = dict(index.similar(span, top_k=MEANING_POOL))
        cosine = {have[j]: float(c) for j, c in zip(near[row], cosines[row], strict=True)}
        for other in lexical.keys() - cosine.keys():
            if other in vectors:
                cosine[other] = float(vectors[span] @ vectors[other])
        unscored = sorted(cosine.keys() - lexical.keys())
        lexical.update(zip(unscored, index.scores(span, unscored), strict=True))
        best = sorted(lexical, key=lambda o: (-blend(lexical[o], cosine.get(o, 0.0)), o))[:k]
        out[span] = [(o, lexical[o], cosine.get(o)) for o in best]
    return out


def priority(candidate: Candidate, shared_tag: bool, ranking: Ranking = DEFAULT_RANKING) -> float:
    base = (
        candidate.score if candidate.meaning is None else blend(candidate.score, candidate.meaning)
    )
    return (
        base
        + (ranking.mutual if candidate.mutual else 0.0)
        + (ranking.shared_tag if shared_tag else 0.0)
    )


def _tags(db: Database) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for span, name in db.execute(
        "SELECT st.span_id, t.name FROM span_tags st JOIN tags t ON t.id = st.tag_id "
        "ORDER BY st.span_id, t.ordinal, t.name"
    ):
        out[int(span)].append(str(name))
    return out


def _skips(db: Database) -> dict[tuple[int, int], int]:
    return {
        (int(a), int(b)): int(s) for a, b, s in db.execute("SELECT a, b, seq FROM review_skips")
    }


def claims_apart(db: Database, claim: dict[int, int | None]) -> set[tuple[int, int]]:
    """Pairs of claims (smaller id first) that a rejected link between two of their
    spans keeps apart; ``claim`` maps span ids to claim ids."""
    apart: set[tuple[int, int]] = set()
    for a, b in db.execute("SELECT a, b FROM links WHERE status = 'rejected'"):
        ca, cb = claim.get(int(a)), claim.get(int(b))
        if ca is not None and cb is not None and ca != cb:
            apart.add((min(ca, cb), max(ca, cb)))
    return apart


def review_queue(
    db: Database,
    *,
    k: int = DEFAULT_K,
    limit: int | None = None,
    ranking: Ranking = DEFAULT_RANKING,
    index: LinkIndex | None = None,
    annotator: str | None = None,
    meaning: Embedder | None = None,
    progress: Progress | None = None,
) -> ReviewQueue:
    """The unreviewed candidate pairs, most likely links first, skipped ones last.

    Pairs are found within each layer (``annotator``'s only, when given): see
    ``linking.layers``.  A caller's ``index`` is taken as one layer's.  With an
    encoder (``semantic.load_embedder``), pairs are ranked by meaning too; spans not
    embedded yet are embedded first (``progress`` hears how far that is).
    """
    if limit is not None and limit < 0:
        raise ClaimmapError("--limit must be at least 0")
    indexes = [index] if index is not None else [build_index(db, n) for n in layers(db, annotator)]
    spans = [int(r[0]) for r in db.execute("SELECT id FROM spans WHERE orphaned = 0 ORDER BY id")]
    vectors = (
        None
        if meaning is None
        else span_vectors(
            db, [s for s in spans if any(s in one for one in indexes)], meaning, progress
        )
    )
    candidates = [
        c
        for one in indexes
        for c in candidate_pairs(one, (s for s in spans if s in one), k, vectors)
    ]
    links = {
        (int(a), int(b)): (int(i), str(s))
        for i, a, b, s in db.execute("SELECT id, a, b, status FROM links")
    }
    claim: dict[int, int | None] = {
        int(s): None if c is None else int(c)
        for s, c in db.execute("SELECT id, claim_id FROM spans")
    }
    apart = claims_apart(db, claim)
    tags = _tags(db)
    skips = _skips(db)
    open_pairs: list[tuple[tuple[float, float, int, int], Candidate]] = []
    reviewed = found = 0
    for c in candidates:
        link = links.get((c.a, c.b))
        status = link[1] if link else None
        if status == "confirmed":
            found += 1
        ca, cb = claim.get(c.a), claim.get(c.b)
        if status in ("confirmed", "rejected") or (
            ca is not None and cb is not None and (ca == cb or (min(ca, cb), max(ca, cb)) in apart)
        ):
            reviewed += 1
            continue
        shared = bool(set(tags.get(c.a, ())) & set(tags.get(c.b, ())))
        # Unskipped pairs by priority; skipped ones after them, oldest skip first.
        skip = skips.get((c.a, c.b))
        key = (
            (0.0, -priority(c, shared, ranking), c.a, c.b)
            if skip is None
            else (1.0, float(skip), c.a, c.b)
        )
        open_pairs.append((key, c))
    open_pairs.sort(key=lambda kc: kc[0])
    chosen = [c for _, c in (open_pairs if limit is None else open_pairs[:limit])]
    items = _describe(db, chosen, tags, skips, links, ranking)
    return ReviewQueue(
        items, len(open_pairs), reviewed, found, k, None if meaning is None else meaning.model
    )


def _describe(
    db: Database,
    chosen: Sequence[Candidate],
    tags: dict[int, list[str]],
    skips: dict[tuple[int, int], int],
    links: dict[tuple[int, int], tuple[int, str]],
    ranking: Ranking,
) -> list[ReviewItem]:
    wanted = sorted({s for c in chosen for s in (c.a, c.b)})
    rows: dict[int, tuple[str, str, str, str, int | None, str | None]] = {}
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        for sid, quote, prefix, suffix, ref, claim, label in db.execute(
            "SELECT s.id, s.quote, s.prefix, s.suffix, a.ref, s.claim_id, c.label "
            "FROM spans s JOIN articles a ON a.id = s.article_id "
            "LEFT JOIN claims c ON c.id = s.claim_id "
            f"WHERE s.id IN ({','.join('?' * len(part))})",
            part,
        ):
            rows[int(sid)] = (
                str(quote),
                str(prefix),
                str(suffix),
                str(ref),
                None if claim is None else int(claim),
                None if label is None else str(label),
            )
    out: list[ReviewItem] = []
    for c in chosen:
        qa, pa, sa, ra, ca, la = rows[c.a]
        qb, pb, sb, rb, cb, lb = rows[c.b]
        ta, tb = tags.get(c.a, []), tags.get(c.b, [])
        link = links.get((c.a, c.b))
        out.append(
            ReviewItem(
                a=c.a,
                b=c.b,
                score=c.score,
                priority=round(priority(c, bool(set(ta) & set(tb)), ranking), 2),
                meaning=c.meaning,
                mutual=c.mutual,
                skipped=(c.a, c.b) in skips,
                quote_a=qa,
                quote_b=qb,
                article_a=ra,
                article_b=rb,
                tags_a=list(ta),
                tags_b=list(tb),
                claim_a=ca,
                claim_b=cb,
                claim_label_a=la,
                claim_label_b=lb,
                before_a=pa,
                after_a=sa,
                before_b=pb,
                after_b=sb,
                link_id=link[0] if link else None,
            )
        )
    return out


# -- decisions -----------------------------------------------------------------


def _pair(span_a: int, span_b: int) -> tuple[int, int]:
    if span_a == span_b:
        raise ClaimmapError("a span cannot be linked to itself")
    return (span_a, span_b) if span_a < span_b else (span_b, span_a)


def _claim_rows(db: Database, claim_ids: Iterable[int]) -> tuple[ClaimRow, ...]:
    ids = sorted(set(claim_ids))
    if not ids:
        return ()
    return tuple(
        ClaimRow(int(i), None if lab is None else str(lab), str(c), str(u))
        for i, lab, c, u in db.execute(
            "SELECT id, label, created_at, updated_at FROM claims "
            f"WHERE id IN ({','.join('?' * len(ids))}) ORDER BY id",
            ids,
        )
    )


def _decide(
    db: Database, a: int, b: int, status: LinkStatus, score: float | None, method: str
) -> Decision:
    """Set the pair's status inside the caller's write unit; returns the undo record."""
    get_span(db, a)
    get_span(db, b)
    claim_ids = [
        int(r[0])
        for r in db.execute("SELECT claim_id FROM spans WHERE id IN (?, ?)", [a, b])
        if r[0] is not None
    ]
    # Every span whose claim this decision can touch: those of both claims.
    members = tuple(
        (int(s), None if c is None else int(c))
        for s, c in db.execute(
            "SELECT id, claim_id FROM spans WHERE id IN (?, ?) OR claim_id IN "
            f"({','.join('?' * len(claim_ids)) or 'NULL'}) ORDER BY id",
            [a, b, *claim_ids],
        )
    )
    claims = _claim_rows(db, claim_ids)
    row = db.execute(
        "SELECT id, score, status, method, updated_at FROM links WHERE a = ? AND b = ?", [a, b]
    ).fetchone()
    if row is None:
        before = None
        stamp = now()
        if score is None:
            score = pair_scores(db, [(a, b)])[(a, b)]
        cur = db.execute(
            "INSERT INTO links (a, b, score, status, method, annotator, created_at, updated_at) "
            "VALUES (?, ?, ?, 'suggested', ?, ?, ?, ?)",
            [a, b, score, method, current_annotator(), stamp, stamp],
        )
        link_id = int(cur.lastrowid or 0)
    else:
        before = LinkRow(int(row[0]), float(row[1]), row[2], str(row[3]), str(row[4]))
        link_id = before.id
    set_link_status(db, link_id, status)
    action: Literal["confirmed", "rejected"] = "confirmed" if status == "confirmed" else "rejected"
    return Decision(a, b, action, link_id, before, members, claims)


def decide(
    db: Database,
    span_a: int,
    span_b: int,
    status: LinkStatus,
    *,
    score: float | None = None,
    method: str = "review",
) -> Decision:
    """Confirm or reject the pair (one write unit); the link is created if the linker
    never stored it, with the linker's score."""
    if status not in ("confirmed", "rejected"):
        raise ClaimmapError("a review decision confirms or rejects")
    a, b = _pair(span_a, span_b)
    with write_unit(db):
        return _decide(db, a, b, status, score, method)


def decide_many(
    db: Database,
    link_ids: Sequence[int],
    pairs: Sequence[tuple[int, int]],
    status: LinkStatus,
) -> list[Link]:
    """``links accept/reject``: links by id and span pairs, all in one write unit
    (all of them or, on an error, none)."""
    if not link_ids and not pairs:
        raise ClaimmapError("give at least one link id or --pair A B")
    ordered = [_pair(x, y) for x, y in pairs]
    for span_id in sorted({s for p in ordered for s in p}):
        get_span(db, span_id)
    # Scored before the write unit: building the index can take seconds on a large
    # corpus, and the score only informs (the unit re-checks the spans).
    scores = pair_scores(
        db,
        [
            p
            for p in ordered
            if db.execute("SELECT 1 FROM links WHERE a = ? AND b = ?", list(p)).fetchone() is None
        ],
    )
    touched: set[int] = set()
    with write_unit(db):
        for link_id in link_ids:
            row = db.execute("SELECT id FROM links WHERE id = ?", [link_id]).fetchone()
            if row is None:
                raise ClaimmapError(f"no link with id {link_id}; list them with 'claimmap links'")
            set_link_status(db, link_id, status)
            touched.add(link_id)
        for a, b in ordered:
            decision = _decide(db, a, b, status, scores.get((a, b)), "manual")
            assert decision.link_id is not None
            touched.add(decision.link_id)
    return [link for link in list_links(db) if link.id in touched]


def skip(db: Database, span_a: int, span_b: int) -> Decision:
    """Send the pair to the back of the queue (kept across restarts)."""
    a, b = _pair(span_a, span_b)
    with write_unit(db):
        get_span(db, a)
        get_span(db, b)
        row = db.execute("SELECT seq FROM review_skips WHERE a = ? AND b = ?", [a, b]).fetchone()
        seq = int(db.execute("SELECT coalesce(max(seq), 0) + 1 FROM review_skips").fetchone()[0])
        db.execute(
            "INSERT INTO review_skips (a, b, seq, skipped_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(a, b) DO UPDATE SET seq = excluded.seq, skipped_at = excluded.skipped_at",
            [a, b, seq, now()],
        )
    return Decision(a, b, "skipped", skip_before=None if row is None else int(row[0]))


def undo(db: Database, decision: Decision) -> None:
    """Put back what ``decision`` changed (one write unit).

    Refused when the pair was changed since (another process, a later action):
    undo must not silently overwrite newer work.
    """
    with write_unit(db):
        if decision.action == "skipped":
            if decision.skip_before is None:
                db.execute(
                    "DELETE FROM review_skips WHERE a = ? AND b = ?", [decision.a, decision.b]
                )
            else:
                db.execute(
                    "UPDATE review_skips SET seq = ? WHERE a = ? AND b = ?",
                    [decision.skip_before, decision.a, decision.b],
                )
            return
        row = db.execute("SELECT status FROM links WHERE id = ?", [decision.link_id]).fetchone()
        if row is None or row[0] != decision.action:
            raise ClaimmapError(
                f"the pair {decision.a}+{decision.b} changed since; nothing was undone"
            )
        before = decision.link_before
        if before is None:
            db.execute("DELETE FROM links WHERE id = ?", [decision.link_id])
        else:
            db.execute(
                "UPDATE links SET score = ?, status = ?, method = ?, updated_at = ? WHERE id = ?",
                [before.score, before.status, before.method, before.updated_at, before.id],
            )
        kept = restore_membership(db, decision.claims, decision.members)
        for claim_id in sorted(kept):
            split_claim_components(db, claim_id)
