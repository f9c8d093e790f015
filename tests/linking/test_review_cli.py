"""``claimmap review`` and ``links accept/reject --pair`` / ``links skip`` (issue 11)."""

from __future__ import annotations

import re
from pathlib import Path

from claimmap.store import open_db
from tests.conftest import RunCli


def _links(db_path: Path) -> dict[tuple[int, int], tuple[str, str, float]]:
    db = open_db(db_path)
    try:
        return {
            (a, b): (s, m, sc)
            for a, b, s, m, sc in db.execute("SELECT a, b, status, method, score FROM links")
        }
    finally:
        db.close()


def test_review_json_lists_next_pairs_best_first(review_corpus: RunCli) -> None:
    result = review_corpus("review", "--json", "--limit", "2")
    assert result.code == 0, result.err
    items = result.json()
    assert len(items) == 2
    assert {"a", "b", "score", "quote_a", "quote_b", "article_a", "article_b"} <= set(items[0])
    assert (items[0]["a"], items[0]["b"]) == (1, 3)
    assert items[0]["score"] >= items[1]["score"]
    assert items[0]["tags_a"] == ["motive"]
    everything = review_corpus("review", "--json", "--limit", "100", "--k", "1").json()
    assert (1, 3) in {(i["a"], i["b"]) for i in everything}


def test_review_human_output_shows_quotes_articles_tags(review_corpus: RunCli) -> None:
    result = review_corpus("review", "--limit", "1")
    assert result.code == 0, result.err
    assert re.search(r"\d+ pairs? to review", result.out)
    assert "美日两国的人工智能合作带有明显的对华竞争色彩" in result.out
    assert "美日兩國的人工智能合作帶有明顯的對華競爭色彩" in result.out
    assert "span 1 in a" in result.out and "span 3 in b" in result.out
    assert "tags: motive" in result.out and "100.00" in result.out
    assert "links accept --pair A B" in result.out


def test_accept_and_reject_by_span_pair(review_corpus: RunCli, db_path: Path) -> None:
    assert review_corpus("links", "accept", "--pair", "3", "1").code == 0
    assert review_corpus("links", "reject", "--pair", "2", "6", "--pair", "1", "5").code == 0
    links = _links(db_path)
    assert links[(1, 3)] == ("confirmed", "manual", 100.0)
    assert links[(2, 6)][:2] == ("rejected", "manual") and links[(2, 6)][2] > 80
    assert links[(1, 5)][:2] == ("rejected", "manual")
    pairs = {(i["a"], i["b"]) for i in review_corpus("review", "--json", "--limit", "50").json()}
    assert not {(1, 3), (2, 6), (1, 5)} & pairs
    claims = {c["id"]: c["spans"] for c in review_corpus("claims", "--json").json()}
    assert claims[1] == [1, 3]
    # A link id and a pair in one command; the existing link keeps its id and score.
    link_id = next(link["id"] for link in review_corpus("links", "--json").json() if link["a"] == 2)
    assert review_corpus("links", "accept", str(link_id), "--pair", "3", "5").code == 0
    after = _links(db_path)
    assert after[(2, 6)][0] == "confirmed" and after[(3, 5)][0] == "confirmed"
    assert after[(2, 6)][2] == links[(2, 6)][2]


def test_bad_pair_is_one_error_line_and_changes_nothing(
    review_corpus: RunCli, db_path: Path
) -> None:
    result = review_corpus("links", "accept", "--pair", "1", "3", "--pair", "2", "999")
    assert result.code == 1 and result.err.startswith("error:") and "999" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert _links(db_path) == {}
    result = review_corpus("links", "reject", "--pair", "4", "4")
    assert result.code == 1 and result.err.startswith("error:")
    assert _links(db_path) == {}


def test_links_skip_sends_pair_to_the_back(review_corpus: RunCli) -> None:
    before = [(i["a"], i["b"]) for i in review_corpus("review", "--json", "--limit", "50").json()]
    result = review_corpus("links", "skip", "3", "1")
    assert result.code == 0, result.err
    after = [(i["a"], i["b"]) for i in review_corpus("review", "--json", "--limit", "50").json()]
    assert after == [*before[1:], before[0]]
    assert review_corpus("links", "skip", "1", "999").code == 1
