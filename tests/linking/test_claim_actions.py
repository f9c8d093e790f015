"""Claim actions (issue 11): warnings instead of refusals, and exact inverses for undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimmap.errors import ClaimmapError
from claimmap.services import claim_actions, review
from claimmap.services.claims import claim_of
from claimmap.services.code_removal import remove_unused_tag
from claimmap.services.codebook import add_tag
from claimmap.store import open_db
from tests.conftest import RunCli
from tests.helpers import dump


def _state(db_path: Path) -> list[str]:
    # Timestamps of claims and links are part of the state: undo restores them too.
    # Ids are never reused, so the id counters (sqlite_sequence) rightly move on.
    return [line for line in dump(db_path) if "sqlite_sequence" not in line]


def test_linking_spans_with_different_tags_warns_and_links(
    review_corpus: RunCli, db_path: Path
) -> None:
    db = open_db(db_path)
    done = claim_actions.link_pair(db, 1, 6, "confirmed")  # motive ~ limitation
    assert claim_of(db, 1) == claim_of(db, 6)
    assert done.warnings == (
        "spans 1 and 6: linking a motive span to a limitation span: their tags differ",
    )
    same_tag = claim_actions.link_pair(db, 2, 6, "confirmed")  # both limitation
    assert same_tag.warnings == ()
    db.close()


def test_reaccepting_a_rejected_pair_warns(review_corpus: RunCli, db_path: Path) -> None:
    db = open_db(db_path)
    claim_actions.link_pair(db, 1, 3, "rejected")
    again = claim_actions.link_pair(db, 3, 1, "confirmed")
    assert again.warnings == ("spans 1 and 3 were rejected as different claims before",)
    assert db.execute("SELECT status FROM links WHERE a = 1 AND b = 3").fetchone()[0] == (
        "confirmed"
    )
    db.close()


def test_merge_names_the_survivor_warns_on_tags_and_undoes_exactly(
    review_corpus: RunCli, db_path: Path
) -> None:
    db = open_db(db_path)
    claim_actions.label(db, claim_of(db, 6), "talent gap")
    before = _state(db_path)
    done = claim_actions.merge(db, claim_of(db, 6), claim_of(db, 1))
    assert (done.survivor, done.merged) == (1, 6)
    assert claim_of(db, 6) == 1
    assert done.warnings == ("merging a limitation claim with a motive claim: their tags differ",)
    review.undo(db, done.decision)
    assert _state(db_path) == before
    db.close()


def test_detach_then_undo_puts_links_claims_and_labels_back(
    review_corpus: RunCli, db_path: Path
) -> None:
    db = open_db(db_path)
    claim_actions.link_pair(db, 1, 3, "confirmed")
    claim_actions.link_pair(db, 3, 5, "confirmed")
    claim_actions.label(db, 1, "aimed at China")
    before = _state(db_path)
    done = claim_actions.detach(db, 3)
    assert len({claim_of(db, s) for s in (1, 3, 5)}) == 3
    claim_actions.undo_detach(db, done)
    assert _state(db_path) == before
    # Undo refuses to overwrite a later decision on one of those links.
    again = claim_actions.detach(db, 3)
    claim_actions.link_pair(db, 1, 3, "confirmed")
    with pytest.raises(ClaimmapError, match="changed since"):
        claim_actions.undo_detach(db, again)
    # So does a link the detached span gained since, and nothing is half-undone.
    claim_actions.link_pair(db, 1, 3, "rejected")
    third = claim_actions.detach(db, 5)
    claim_actions.link_pair(db, 5, 2, "confirmed")
    state = _state(db_path)
    with pytest.raises(ClaimmapError, match="changed since"):
        claim_actions.undo_detach(db, third)
    assert _state(db_path) == state
    db.close()


def test_label_keeps_the_old_label(review_corpus: RunCli, db_path: Path) -> None:
    db = open_db(db_path)
    first = claim_actions.label(db, 1, "  aimed at China ")
    assert (first.before, first.after) == (None, "aimed at China")
    second = claim_actions.label(db, 1, "")
    assert (second.before, second.after) == ("aimed at China", None)
    with pytest.raises(ClaimmapError, match="no claim with id 99"):
        claim_actions.label(db, 99, "x")
    db.close()


def test_remove_unused_tag_only_while_unused(review_corpus: RunCli, db_path: Path) -> None:
    db = open_db(db_path)
    add_tag(db, "evidence")
    remove_unused_tag(db, "evidence")
    assert db.execute("SELECT count(*) FROM tags WHERE name = 'evidence'").fetchone()[0] == 0
    with pytest.raises(ClaimmapError, match="used by 4 span"):
        remove_unused_tag(db, "motive")
    db.close()


def test_cli_claims_merge_says_which_id_survives(review_corpus: RunCli) -> None:
    result = review_corpus("claims", "merge", "6", "2")
    assert result.code == 0
    assert result.out.startswith("merged claim 6 into claim 2: spans [2, 6]")
    assert result.err == ""  # both limitation: nothing unusual
    merged = review_corpus("claims", "merge", "5", "1", "--json")
    assert merged.code == 0
    body = merged.json()
    assert (body["survivor"], body["merged"], body["spans"]) == (1, 5, [1, 5])
    assert body["warnings"] == []
    odd = review_corpus("claims", "merge", "1", "2", "--json")
    assert odd.code == 0 and odd.json()["survivor"] == 1
    assert odd.json()["warnings"] == [
        "merging a motive claim with a limitation claim: their tags differ"
    ]
    assert odd.err == "warning: merging a motive claim with a limitation claim: their tags differ\n"


def test_cli_links_accept_warns_on_a_rejected_pair(review_corpus: RunCli) -> None:
    assert review_corpus("links", "reject", "--pair", "1", "3").code == 0
    result = review_corpus("links", "accept", "--pair", "3", "1", "--json")
    assert result.code == 0
    assert [link["status"] for link in result.json()] == ["confirmed"]
    assert result.err == "warning: spans 1 and 3 were rejected as different claims before\n"
    link_id = result.json()[0]["id"]
    assert review_corpus("links", "reject", str(link_id)).code == 0
    again = review_corpus("links", "accept", str(link_id))
    assert again.out == "confirmed 1 link\n"
    assert "were rejected as different claims before" in again.err
