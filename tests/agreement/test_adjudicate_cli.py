"""``claimmap adjudicate``: decisions go into the consensus layer as rows, are
stored (the walk resumes), refuse twice, and undo exactly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.helpers import assert_one_error_line, dump


def consensus_rows(db_path: Path) -> list[tuple[int, int, int, str]]:
    conn = sqlite3.connect(db_path)
    try:
        return [
            (int(a), int(s), int(e), str(t))
            for a, s, e, t in conn.execute(
                'SELECT s.article_id, s.start, s."end", group_concat(t.name) FROM spans s '
                "JOIN span_tags st ON st.span_id = s.id JOIN tags t ON t.id = st.tag_id "
                "WHERE s.annotator = 'consensus' GROUP BY s.id ORDER BY s.article_id, s.start, s.\"end\""
            )
        ]
    finally:
        conn.close()


def decisions(db_path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db_path)
    try:
        return [
            (str(i), str(t))
            for i, t in conn.execute("SELECT item, take FROM adjudications ORDER BY id")
        ]
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("item", "take", "rows"),
    [
        ("3:4", "a", [(1, 100, 130, "limitation")]),
        ("3:4", "b", [(1, 100, 131, "impact")]),
        ("3:4", "both", [(1, 100, 130, "limitation"), (1, 100, 131, "impact")]),
        ("3:4", "neither", []),
        (":5", "a", []),
        (":5", "b", [(1, 200, 260, "impact")]),
    ],
)
def test_each_choice_writes_the_consensus_layer(
    two_analysts: RunCli, db_path: Path, item: str, take: str, rows: list[tuple[int, int, int, str]]
) -> None:
    result = two_analysts("adjudicate", item, "--take", take)
    assert result.code == 0, result.err
    assert consensus_rows(db_path) == rows
    assert decisions(db_path) == [(item, take)]


def test_edit_takes_new_boundaries_and_tags(two_analysts: RunCli, db_path: Path) -> None:
    result = two_analysts(
        "adjudicate", "6:7", "--take", "edit", "--start", "65", "--end", "100",
        "--tag", "motive", "--tag", "impact",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert consensus_rows(db_path) == [(2, 65, 100, "motive,impact")]


def test_both_on_one_place_joins_the_tags(seeded: RunCli, db_path: Path) -> None:
    from tests.agreement.conftest import annotate

    annotate(seeded, [("alice", 1, 52, 78, "motive"), ("bob", 1, 52, 78, "impact")])
    assert seeded("adjudicate", "1:2", "--take", "both").code == 0
    assert consensus_rows(db_path) == [(1, 52, 78, "motive,impact")]
    assert seeded("adjudicate", "--undo").code == 0
    assert consensus_rows(db_path) == []


def test_link_decision_links_consensus_spans(two_analysts: RunCli, db_path: Path) -> None:
    result = two_analysts("adjudicate", "1+6:2+7", "--take", "a", "--json")
    assert result.code == 0, result.err
    done = result.json()
    assert done["link"] is not None
    conn = sqlite3.connect(db_path)
    try:
        status = conn.execute("SELECT status FROM links WHERE id = ?", [done["link"]]).fetchone()
        claims = conn.execute(
            "SELECT count(DISTINCT claim_id) FROM spans WHERE annotator = 'consensus'"
        ).fetchone()
    finally:
        conn.close()
    assert status == ("confirmed",)
    assert claims == (1,)
    assert consensus_rows(db_path) == [(1, 52, 78, "motive"), (2, 60, 100, "motive")]


def test_undo_restores_the_database_exactly(two_analysts: RunCli, db_path: Path) -> None:
    before = dump(db_path)
    for item, take in [(":5", "b"), ("3:4", "both"), ("1+6:2+7", "b")]:
        assert two_analysts("adjudicate", item, "--take", take).code == 0
    for _ in range(3):
        assert two_analysts("adjudicate", "--undo").code == 0
    after = [line for line in dump(db_path) if "sqlite_sequence" not in line]
    assert after == [line for line in before if "sqlite_sequence" not in line]


def test_undo_of_one_item_leaves_the_others(two_analysts: RunCli, db_path: Path) -> None:
    assert two_analysts("adjudicate", ":5", "--take", "b").code == 0
    assert two_analysts("adjudicate", "3:4", "--take", "a").code == 0
    assert two_analysts("adjudicate", "--undo", ":5").out.strip() == "undone: :5"
    assert decisions(db_path) == [("3:4", "a")]
    assert consensus_rows(db_path) == [(1, 100, 130, "limitation")]


def test_the_walk_resumes_at_the_first_undecided_item(two_analysts: RunCli) -> None:
    first = two_analysts("adjudicate", "--json").json()
    assert (first["decided"], first["total"], first["next"]["key"]) == (0, 4, ":5")
    assert two_analysts("adjudicate", ":5", "--take", "b").code == 0
    assert two_analysts("adjudicate", "6:7", "--take", "a").code == 0
    later = two_analysts("adjudicate", "--json").json()
    assert (later["decided"], later["next"]["key"]) == (2, "3:4")
    listed = two_analysts("disagreements", "--format", "json").json()["items"]
    assert [i["decision"] for i in listed] == ["b", None, "a", None]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("9:9", "--take", "a"), "no disagreement '9:9'"),
        (("3:4",), "give --take"),
        (("1+6:2+7", "--take", "both"), "takes a, b or neither"),
        (("6:7", "--take", "edit", "--start", "65"), "needs --start, --end"),
        (("6:7", "--take", "a", "--start", "65"), "with --take edit only"),
        (("6:7", "--take", "edit", "--start", "90", "--end", "80", "--tag", "motive"), "outside"),
        (("--undo",), "no adjudication to undo"),
        (
            ("3:4", "--take", "a", "--annotators", "alice,bob", "--consensus", "alice"),
            "cannot be 'alice'",
        ),
    ],
)
def test_mistakes_are_one_error_line_and_change_nothing(
    two_analysts: RunCli, db_path: Path, args: tuple[str, ...], needle: str
) -> None:
    before = dump(db_path)
    result = two_analysts("adjudicate", *args)
    assert result.code == 1, result.out
    assert_one_error_line(result.err, needle)
    assert dump(db_path) == before


def test_a_decided_item_is_refused_until_undone(two_analysts: RunCli, db_path: Path) -> None:
    assert two_analysts("adjudicate", "3:4", "--take", "a").code == 0
    before = dump(db_path)
    again = two_analysts("adjudicate", "3:4", "--take", "b")
    assert again.code == 1
    assert_one_error_line(again.err, "adjudicated already", "--undo 3:4")
    assert dump(db_path) == before


def test_consensus_layer_exports_alone(two_analysts: RunCli, db_path: Path) -> None:
    from claimmap.services import exporting
    from claimmap.store import open_db

    assert two_analysts("adjudicate", "1+6:2+7", "--take", "a").code == 0
    db = open_db(db_path)
    try:
        data = exporting.load(db, "consensus")
        everything = exporting.load(db)
    finally:
        db.close()
    assert {s.annotator for s in data.spans} == {"consensus"}
    assert len(data.spans) == 2
    assert len(data.confirmed) == 1
    assert len(everything.spans) == 9


def test_a_walk_read_before_another_process_moved_a_span_is_refused(
    two_analysts: RunCli, db_path: Path
) -> None:
    """The app decides on the walk it shows; if a span moved meanwhile (another
    process), the decision would copy a version nobody sees: refused, no row."""
    from claimmap.errors import ClaimmapError
    from claimmap.services import adjudication
    from claimmap.store import open_db

    db = open_db(db_path)
    try:
        shown = adjudication.walk(db)
        item = next(i for i in shown.items if i.key == "3:4")
        assert two_analysts("delete", "4").code == 0
        with pytest.raises(ClaimmapError, match="changed since the list was read"):
            adjudication.decide_item(db, shown, item, "b")
        fresh = next(i for i in shown.items if i.key == ":5")
        adjudication.decide_item(db, shown, fresh, "b")
        with pytest.raises(ClaimmapError, match="adjudicated already"):
            adjudication.decide_item(db, shown, fresh, "a")
    finally:
        db.close()
    assert decisions(db_path) == [(":5", "b")]
    assert consensus_rows(db_path) == [(1, 200, 260, "impact")]
