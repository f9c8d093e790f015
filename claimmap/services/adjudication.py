"""Adjudication: walk two analysts' disagreements and settle each one into the
consensus layer (spans with annotator ``consensus``).

Each decision is one write unit that copies the chosen version(s) into the
consensus layer and stores a row in ``adjudications`` with what it wrote, so the
walk resumes at the first undecided item and any decision can be undone exactly.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlite_utils import Database

from claimmap.agreement.disagreements import DEFAULT_TOLERANCE, Disagreement
from claimmap.agreement.study import CodedSpan, Study
from claimmap.errors import ClaimmapError
from claimmap.exporters.team import Disagreements, team_section
from claimmap.services.agreement import (
    CONSENSUS,
    agreement,
    annotators_present,
    disagreements,
    two_annotators,
)
from claimmap.services.annotating import insert_span
from claimmap.services.claims import split_claim_components
from claimmap.services.codebook import resolve_tag
from claimmap.services.linking import set_link_status
from claimmap.store import write_unit
from claimmap.store.articles import article_text
from claimmap.store.clock import now

Take = Literal["a", "b", "both", "neither", "edit"]
TAKES: tuple[Take, ...] = ("a", "b", "both", "neither", "edit")


@dataclass(frozen=True, slots=True)
class Edit:
    """An adjusted version: new boundaries and tags for the consensus span."""

    start: int
    end: int
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Walk:
    """The disagreements between two analysts and the decisions taken so far."""

    annotator_a: str
    annotator_b: str
    consensus: str
    study: Study
    items: list[Disagreement]
    decided: dict[str, str]

    def next_index(self, after: int = -1) -> int | None:
        """The first undecided item after ``after`` (wrapping), None when all are."""
        n = len(self.items)
        for step in range(1, n + 1):
            k = (after + step) % n
            if self.items[k].key not in self.decided:
                return k
        return None

    def view(self) -> Disagreements:
        refs = {a.id: a.ref for a in self.study.articles.values()}
        return Disagreements(self.annotator_a, self.annotator_b, self.items, refs, self.decided)


@dataclass(frozen=True, slots=True)
class Adjudicated:
    item: str
    take: str
    spans: list[int]
    """Consensus spans the decision created or added tags to."""
    link: int | None


def _decided(db: Database, a: str, b: str, consensus: str) -> dict[str, str]:
    return {
        str(item): str(take)
        for item, take in db.execute(
            "SELECT item, take FROM adjudications WHERE annotator_a = ? AND annotator_b = ? "
            "AND consensus = ?",
            [a, b, consensus],
        )
    }


def walk(
    db: Database,
    *,
    annotators: Sequence[str] | None = None,
    consensus: str = CONSENSUS,
    articles: Sequence[str] = (),
    tag: str | None = None,
    tolerance: int = DEFAULT_TOLERANCE,
) -> Walk:
    study, items = disagreements(
        db,
        articles=articles,
        annotators=annotators,
        tag=tag,
        tolerance=tolerance,
        consensus=consensus,
    )
    a, b = study.annotators
    return Walk(a, b, consensus, study, items, _decided(db, a, b, consensus))


def _consensus_name(consensus: str, a: str, b: str) -> str:
    name = consensus.strip()
    if not name:
        raise ClaimmapError("the consensus layer needs a name")
    if name in (a, b):
        raise ClaimmapError(f"the consensus layer cannot be {name!r}, one of the analysts compared")
    return name


def _copy(
    db: Database, article_id: int, start: int, end: int, tags: Sequence[str], consensus: str
) -> dict[str, Any]:
    """Put one version into the consensus layer (inside the caller's unit): a new
    span, or the tags it lacks added to the consensus span already there."""
    tag_ids = [resolve_tag(db, t).id for t in tags]
    if not tag_ids:
        raise ClaimmapError("a consensus span needs at least one tag")
    row = db.execute(
        'SELECT id FROM spans WHERE article_id = ? AND start = ? AND "end" = ? '
        "AND annotator = ? AND orphaned = 0",
        [article_id, start, end, consensus],
    ).fetchone()
    if row is None:
        text = article_text(db, article_id)
        if not 0 <= start < end <= len(text):
            raise ClaimmapError(f"range {start}-{end} is outside the article (0-{len(text)})")
        span_id = insert_span(db, article_id, text, start, end, consensus)
        db.conn.executemany(
            "INSERT INTO span_tags (span_id, tag_id) VALUES (?, ?)", [(span_id, t) for t in tag_ids]
        )
        return {"span": span_id, "created": True}
    span_id = int(row[0])
    have = {
        int(r[0]) for r in db.execute("SELECT tag_id FROM span_tags WHERE span_id = ?", [span_id])
    }
    added = [t for t in tag_ids if t not in have]
    db.conn.executemany(
        "INSERT INTO span_tags (span_id, tag_id) VALUES (?, ?)", [(span_id, t) for t in added]
    )
    if added:
        db.execute("UPDATE spans SET updated_at = ? WHERE id = ?", [now(), span_id])
    return {"span": span_id, "added_tags": added}


def _consensus_for(
    db: Database, span: CodedSpan, consensus: str, effects: list[dict[str, Any]]
) -> int:
    """The consensus span standing for an analyst's span: the one overlapping it
    most; if there is none yet (a passage both analysts agreed on is never an
    item of its own), the analyst's version is copied in."""
    row = db.execute(
        "SELECT id FROM spans WHERE article_id = ? AND annotator = ? AND orphaned = 0 "
        'AND start < ? AND "end" > ? ORDER BY min("end", ?) - max(start, ?) DESC, id LIMIT 1',
        [span.article, consensus, span.end, span.start, span.end, span.start],
    ).fetchone()
    if row is not None:
        return int(row[0])
    effect = _copy(db, span.article, span.start, span.end, sorted(span.tags), consensus)
    effects.append(effect)
    return int(effect["span"])


def _link(db: Database, x: int, y: int, status: str) -> dict[str, Any]:
    a, b = sorted((x, y))
    row = db.execute("SELECT id, status FROM links WHERE a = ? AND b = ?", [a, b]).fetchone()
    if row is None:
        stamp = now()
        cur = db.execute(
            "INSERT INTO links (a, b, score, status, method, created_at, updated_at) "
            "VALUES (?, ?, 0, 'suggested', 'adjudication', ?, ?)",
            [a, b, stamp, stamp],
        )
        link_id, before = int(cur.lastrowid or 0), None
    else:
        link_id, before = int(row[0]), str(row[1])
    set_link_status(db, link_id, status)  # type: ignore[arg-type]
    return {"link": link_id, "before": before}


def _apply(
    db: Database, item: Disagreement, take: Take, edit: Edit | None, consensus: str
) -> list[dict[str, Any]]:
    if item.kind == "link":
        if take not in ("a", "b", "neither"):
            raise ClaimmapError("a link disagreement takes a, b or neither")
        if take == "neither":
            return []
        first, second = (item.a, item.a_other) if take == "a" else (item.b, item.b_other)
        said = item.decision_a if take == "a" else item.decision_b
        if said is None or first is None or second is None:
            return []
        effects: list[dict[str, Any]] = []
        x = _consensus_for(db, first, consensus, effects)
        y = _consensus_for(db, second, consensus, effects)
        if x == y:
            raise ClaimmapError("both passages map to one consensus span; nothing to link")
        effects.append(_link(db, x, y, "confirmed" if said == "same" else "rejected"))
        return effects
    if take == "edit":
        if edit is None:
            raise ClaimmapError("an edit needs the new boundaries and tags")
        where = item.a or item.b
        assert where is not None
        return [_copy(db, where.article, edit.start, edit.end, edit.tags, consensus)]
    if edit is not None:
        raise ClaimmapError("boundaries and tags are given with an edit only")
    versions = {"a": [item.a], "b": [item.b], "both": [item.a, item.b], "neither": []}[take]
    return [
        _copy(db, s.article, s.start, s.end, sorted(s.tags), consensus)
        for s in versions
        if s is not None
    ]


def decide(
    db: Database,
    key: str,
    take: Take,
    *,
    annotators: Sequence[str] | None = None,
    consensus: str = CONSENSUS,
    edit: Edit | None = None,
    tolerance: int = DEFAULT_TOLERANCE,
) -> Adjudicated:
    """Settle one disagreement (by key) into the consensus layer; one write unit."""
    if take not in TAKES:
        raise ClaimmapError(f"unknown choice {take!r} (use {', '.join(TAKES)})")
    with write_unit(db):
        current = walk(db, annotators=annotators, consensus=consensus, tolerance=tolerance)
        found = [i for i in current.items if i.key == key.strip()]
        if not found:
            raise ClaimmapError(
                f"no disagreement {key!r} between {current.annotator_a} and "
                f"{current.annotator_b}; list them with 'claimmap disagreements'"
            )
        return decide_item(db, current, found[0], take, edit)


def _spans_unchanged(db: Database, item: Disagreement) -> bool:
    spans = [s for s in (item.a, item.b, item.a_other, item.b_other) if s is not None]
    for span in spans:
        row = db.execute(
            'SELECT start, "end", annotator FROM spans WHERE id = ? AND orphaned = 0', [span.id]
        ).fetchone()
        if row is None or tuple(row) != (span.start, span.end, span.annotator):
            return False
    return True


def decide_item(
    db: Database, current: Walk, item: Disagreement, take: Take, edit: Edit | None = None
) -> Adjudicated:
    """Settle ``item`` of a walk already loaded (the app's screen), one write unit.

    Refused if one of its spans moved or went since the walk was loaded (another
    process), or if the item was decided meanwhile."""
    if take not in TAKES:
        raise ClaimmapError(f"unknown choice {take!r} (use {', '.join(TAKES)})")
    with write_unit(db):
        name = _consensus_name(current.consensus, current.annotator_a, current.annotator_b)
        if not _spans_unchanged(db, item):
            raise ClaimmapError(
                f"the spans of {item.key} changed since the list was read; nothing was stored"
            )
        done = db.execute(
            "SELECT take FROM adjudications WHERE item = ? AND annotator_a = ? "
            "AND annotator_b = ? AND consensus = ?",
            [item.key, current.annotator_a, current.annotator_b, name],
        ).fetchone()
        if done is not None:
            raise ClaimmapError(
                f"{item.key} was adjudicated already (took {done[0]}); "
                f"undo it first with 'claimmap adjudicate --undo {item.key}'"
            )
        effects = _apply(db, item, take, edit, name)
        db.execute(
            "INSERT INTO adjudications (item, annotator_a, annotator_b, consensus, take, effects, "
            "decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                item.key,
                current.annotator_a,
                current.annotator_b,
                name,
                take,
                json.dumps(effects),
                now(),
            ],
        )
    return Adjudicated(
        item=item.key,
        take=take,
        spans=[int(e["span"]) for e in effects if "span" in e],
        link=next((int(e["link"]) for e in effects if "link" in e), None),
    )


def _revert(db: Database, effect: dict[str, Any]) -> None:
    if "link" in effect:
        link_id = int(effect["link"])
        row = db.execute("SELECT a, status FROM links WHERE id = ?", [link_id]).fetchone()
        if row is None:
            return
        if effect["before"] is None:
            claim = db.execute("SELECT claim_id FROM spans WHERE id = ?", [row[0]]).fetchone()
            db.execute("DELETE FROM links WHERE id = ?", [link_id])
            if row[1] == "confirmed" and claim is not None:
                split_claim_components(db, int(claim[0]))
        else:
            set_link_status(db, link_id, effect["before"])
        return
    span_id = int(effect["span"])
    if effect.get("created"):
        claim = db.execute("SELECT claim_id FROM spans WHERE id = ?", [span_id]).fetchone()
        db.execute("DELETE FROM spans WHERE id = ?", [span_id])
        if claim is not None and claim[0] is not None:
            split_claim_components(db, int(claim[0]))
    else:
        db.conn.executemany(
            "DELETE FROM span_tags WHERE span_id = ? AND tag_id = ?",
            [(span_id, int(t)) for t in effect.get("added_tags", [])],
        )


def undo(
    db: Database,
    key: str | None = None,
    *,
    annotators: Sequence[str] | None = None,
    consensus: str = CONSENSUS,
) -> str:
    """Undo one decision (the latest, or the item ``key``): what it wrote into the
    consensus layer is removed and the item is undecided again.  Returns its key."""
    a, b = two_annotators(db, annotators, consensus)
    with write_unit(db):
        sql = (
            "SELECT id, item, effects FROM adjudications WHERE annotator_a = ? AND annotator_b = ? "
            "AND consensus = ?"
        )
        params: list[Any] = [a, b, consensus]
        if key is not None:
            sql += " AND item = ?"
            params.append(key.strip())
        row = db.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
        if row is None:
            raise ClaimmapError(
                f"no adjudication of {key!r} to undo" if key else "no adjudication to undo"
            )
        for effect in reversed(json.loads(row[2])):
            _revert(db, effect)
        db.execute("DELETE FROM adjudications WHERE id = ?", [row[0]])
    return str(row[1])


def report_section(db: Database, consensus: str = CONSENSUS) -> dict[str, Any] | None:
    """The HTML report's analysts section, when the database holds two or more
    analysts' layers (besides the consensus); None otherwise."""
    names = [n for n in annotators_present(db) if n != consensus]
    if len(names) < 2:
        return None
    report = agreement(db, consensus=consensus)
    view = None
    if len(names) == 2:
        view = walk(db, consensus=consensus).view()
    return team_section(report, view)
