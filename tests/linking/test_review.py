"""Link review (issue 11): the queue, skips that survive restarts, decisions and undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimmap.errors import ClaimmapError
from claimmap.services import review
from claimmap.services.review import Candidate, Ranking
from claimmap.store import open_db
from tests.conftest import RunCli


def _pairs(db_path: Path, **kwargs: object) -> list[tuple[int, int]]:
    db = open_db(db_path)
    try:
        return [(i.a, i.b) for i in review.review_queue(db, **kwargs).items]  # type: ignore[arg-type]
    finally:
        db.close()


def test_queue_is_every_span_top_k_best_first_without_threshold(
    review_corpus: RunCli, db_path: Path
) -> None:
    db = open_db(db_path)
    queue = review.review_queue(db)
    db.close()
    pairs = [(i.a, i.b) for i in queue.items]
    # The cross-script duplicate first, then the near-duplicate, then pairs far below
    # the link threshold of 40 (no threshold here); a < b, each pair once.
    assert pairs[:2] == [(1, 3), (2, 6)]
    assert (1, 5) in pairs and (3, 5) in pairs
    assert all(a < b for a, b in pairs) and len(set(pairs)) == len(pairs)
    assert min(i.score for i in queue.items) < 40
    # Span 4 shares nothing with any other span: score 0 is not a candidate.
    assert all(4 not in p for p in pairs)
    assert [i.priority for i in queue.items] == sorted(
        (i.priority for i in queue.items), reverse=True
    )
    first = queue.items[0]
    assert (first.article_a, first.article_b) == ("a", "b")
    assert first.quote_b == "美日兩國的人工智能合作帶有明顯的對華競爭色彩"
    assert (first.tags_a, first.tags_b) == (["motive"], ["motive"])
    assert (first.claim_a, first.claim_b) == (1, 3)
    assert first.after_a.startswith("。日本人才缺口很大") and first.before_a == ""
    assert first.before_b == "" and first.after_b.startswith("。歐盟重視監管")
    assert queue.remaining == len(pairs) and queue.reviewed == 0 and queue.found == 0


def test_k_limits_candidates_per_span(review_corpus: RunCli, db_path: Path) -> None:
    one = _pairs(db_path, k=1)
    three = _pairs(db_path, k=3)
    assert set(one) < set(three)
    with pytest.raises(ClaimmapError):
        _pairs(db_path, k=0)


def test_shared_tag_ranks_above_equal_score() -> None:
    same = Candidate(1, 2, 30.0, 1, 1)
    other = Candidate(3, 4, 35.0, 1, 1)
    ranking = Ranking(shared_tag=10.0)
    assert review.priority(same, True, ranking) > review.priority(other, False, ranking)
    assert review.priority(same, True, review.SCORE_ONLY) == 30.0


def test_decided_and_same_claim_pairs_leave_the_queue(review_corpus: RunCli, db_path: Path) -> None:
    db = open_db(db_path)
    review.decide(db, 1, 3, "confirmed")
    review.decide(db, 6, 2, "rejected")
    rows = {
        (a, b): (status, method, score)
        for a, b, status, method, score in db.execute(
            "SELECT a, b, status, method, score FROM links"
        )
    }
    assert rows[(1, 3)][:2] == ("confirmed", "review") and rows[(1, 3)][2] == 100.0
    assert rows[(2, 6)][:2] == ("rejected", "review") and rows[(2, 6)][2] > 80
    review.decide(db, 1, 5, "confirmed")
    queue = review.review_queue(db)
    pairs = [(i.a, i.b) for i in queue.items]
    # (3, 5) is implied: 3 and 5 are now in one claim through 1.
    assert not {(1, 3), (2, 6), (1, 5), (3, 5)} & set(pairs)
    assert queue.found == 2 and queue.reviewed >= 4
    db.close()


def test_pairs_between_claims_judged_apart_leave_the_queue(
    review_corpus: RunCli, db_path: Path
) -> None:
    db = open_db(db_path)
    before = _pairs(db_path)
    assert (1, 5) in before and (3, 5) in before
    review.decide(db, 1, 3, "confirmed")
    review.decide(db, 1, 5, "rejected")
    queue = review.review_queue(db)
    # 3 is 1's claim and 1 is not 5's, so 3 is not 5's either: no review asked.
    assert (3, 5) not in [(i.a, i.b) for i in queue.items]
    assert queue.reviewed >= 3
    # Without the reject, the pair is asked again.
    db.execute("DELETE FROM links WHERE a = 1 AND b = 5")
    assert (3, 5) in [(i.a, i.b) for i in review.review_queue(db).items]
    db.close()


def test_skipped_pair_goes_last_and_stays_there_after_restart(
    review_corpus: RunCli, db_path: Path
) -> None:
    before = _pairs(db_path)
    db = open_db(db_path)
    review.skip(db, before[0][1], before[0][0])
    db.close()
    after = _pairs(db_path)  # a new connection: what a restarted app sees
    assert after[-1] == before[0] and after[:-1] == before[1:]
    db = open_db(db_path)
    review.skip(db, *after[0])
    items = review.review_queue(db).items
    db.close()
    # Oldest skip first among the skipped ones.
    assert [(i.a, i.b) for i in items[-2:]] == [before[0], after[0]]
    assert items[-1].skipped and not items[0].skipped


def _state(db_path: Path) -> tuple[object, ...]:
    db = open_db(db_path)
    try:
        return (
            db.execute("SELECT id, a, b, score, status, method FROM links ORDER BY id").fetchall(),
            db.execute("SELECT id, claim_id FROM spans ORDER BY id").fetchall(),
            db.execute("SELECT id, label FROM claims ORDER BY id").fetchall(),
            db.execute("SELECT a, b, seq FROM review_skips ORDER BY a, b").fetchall(),
        )
    finally:
        db.close()


def test_undo_accept_restores_link_claims_and_labels(review_corpus: RunCli, db_path: Path) -> None:
    assert review_corpus("claims", "label", "3", "one claim").code == 0
    assert review_corpus("claims", "label", "1", "other claim").code == 0
    before = _state(db_path)
    db = open_db(db_path)
    decision = review.decide(db, 1, 3, "confirmed")
    assert db.execute("SELECT claim_id FROM spans WHERE id = 3").fetchone()[0] == 1
    review.undo(db, decision)
    db.close()
    assert _state(db_path) == before


def test_undo_reject_of_confirmed_link_rejoins_claim(review_corpus: RunCli, db_path: Path) -> None:
    assert review_corpus("links", "accept", "--pair", "1", "3").code == 0
    assert review_corpus("links", "accept", "--pair", "3", "5").code == 0
    before = _state(db_path)
    db = open_db(db_path)
    decision = review.decide(db, 1, 3, "rejected")
    claims = dict(db.execute("SELECT id, claim_id FROM spans").fetchall())
    assert claims[1] != claims[3]
    review.undo(db, decision)
    db.close()
    assert _state(db_path) == before


def test_undo_skip_and_refusal_when_changed_since(review_corpus: RunCli, db_path: Path) -> None:
    before = _state(db_path)
    db = open_db(db_path)
    skipped = review.skip(db, 2, 6)
    review.undo(db, skipped)
    assert _state(db_path) == before
    decision = review.decide(db, 1, 3, "confirmed")
    review.decide(db, 1, 3, "rejected")
    with pytest.raises(ClaimmapError, match="changed since"):
        review.undo(db, decision)
    assert db.execute("SELECT status FROM links WHERE a = 1 AND b = 3").fetchone()[0] == (
        "rejected"
    )
    db.close()
