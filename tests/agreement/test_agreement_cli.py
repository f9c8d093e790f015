"""``claimmap agreement`` on real databases: JSON shape, missing data, the
sentence rule, link agreement, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.agreement.conftest import CODING, annotate
from tests.conftest import RunCli
from tests.helpers import assert_one_error_line, dump


def test_json_has_per_tag_overall_and_links(two_analysts: RunCli) -> None:
    result = two_analysts("agreement", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["annotators"] == ["alice", "bob"]
    assert set(data["per_tag"]) == {"motive", "limitation", "impact"}
    motive = data["per_tag"]["motive"]
    assert set(motive) >= {"alpha_u", "alpha_sentence", "spans"}
    assert motive["spans"] == {"alice": 2, "bob": 2}
    assert data["per_tag"]["impact"]["spans"] == {"alice": 0, "bob": 2}
    assert 0.9 < motive["alpha_u"] < 1.0
    assert data["per_tag"]["limitation"]["alpha_u"] < 0.0
    assert set(data["overall"]) == {"alpha_u", "alpha_sentence"}
    [links] = data["links"]
    assert links["annotators"] == ["alice", "bob"]
    assert links["same_vs_rejected"] == 1
    assert links["matched_spans"] == 3


def test_identical_layers_agree_perfectly(seeded: RunCli) -> None:
    rows = [(who, a, s, e, t) for who in ("ann", "ben") for _w, a, s, e, t in CODING[:3]]
    annotate(seeded, rows)
    data = seeded("agreement", "--json").json()
    for tag in ("motive", "limitation"):
        assert data["per_tag"][tag]["alpha_u"] == pytest.approx(1.0)
        assert data["per_tag"][tag]["alpha_sentence"] == pytest.approx(1.0)
    assert data["overall"]["alpha_u"] == pytest.approx(1.0)


def test_article_coded_by_one_analyst_is_missing_not_disagreement(seeded: RunCli) -> None:
    annotate(seeded, [("ann", 1, 52, 78, "motive"), ("ben", 1, 52, 78, "motive")])
    before = seeded("agreement", "--json").json()
    annotate(seeded, [("ann", 3, 10, 40, "motive")])  # ben has not read article 3
    after = seeded("agreement", "--json").json()
    assert after["articles"] == before["articles"] == ["000_9f00d43fca9a4a2d"]
    assert after["per_tag"]["motive"]["alpha_u"] == before["per_tag"]["motive"]["alpha_u"]
    assert after["per_tag"]["motive"]["alpha_sentence"] == pytest.approx(1.0)


def test_three_analysts_and_partly_coded_articles(seeded: RunCli) -> None:
    annotate(
        seeded,
        [
            ("ann", 1, 52, 78, "motive"),
            ("ben", 1, 52, 78, "motive"),
            ("cat", 1, 52, 78, "motive"),
            ("ann", 2, 60, 100, "motive"),
            ("ben", 2, 60, 100, "motive"),
        ],
    )
    data = seeded("agreement", "--json").json()
    assert data["annotators"] == ["ann", "ben", "cat"]
    assert data["articles"] == ["000_9f00d43fca9a4a2d"]
    assert data["partly_coded"] == ["001_222e73f4153aafe6"]
    assert data["per_tag"]["motive"]["alpha_sentence"] == pytest.approx(1.0)
    assert len(data["links"]) == 3
    only = seeded("agreement", "--annotators", "ann,ben", "--json").json()
    assert only["articles"] == ["000_9f00d43fca9a4a2d", "001_222e73f4153aafe6"]


def test_one_overlapping_character_codes_the_sentence(seeded: RunCli) -> None:
    # Sentence 2 of article 1 starts at 78 ("美日两国自二战后…"); bob's span reaches 1 into it.
    annotate(seeded, [("ann", 1, 52, 79, "motive"), ("ben", 1, 52, 78, "motive")])
    data = seeded("agreement", "--json").json()
    assert data["per_tag"]["motive"]["alpha_sentence"] < 1.0
    assert data["per_tag"]["motive"]["alpha_u"] > 0.99


def test_tag_and_article_filters(two_analysts: RunCli) -> None:
    data = two_analysts("agreement", "2", "--tag", "motive", "--json").json()
    assert list(data["per_tag"]) == ["motive"]
    assert data["articles"] == ["001_222e73f4153aafe6"]
    text = two_analysts("agreement")
    assert text.code == 0
    assert "motive" in text.out and "overall" in text.out and "claims alice / bob" in text.out


def test_consensus_layer_is_never_compared(two_analysts: RunCli) -> None:
    annotate(two_analysts, [("consensus", 1, 52, 78, "motive")])
    assert two_analysts("agreement", "--json").json()["annotators"] == ["alice", "bob"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        ((), "at least two annotators"),
        (("--annotators", "alice,zed"), "no spans by annotator 'zed'"),
        (("--tag", "nonsense"), "unknown tag"),
        (("nonexistent-article",), "nonexistent-article"),
    ],
)
def test_errors_are_one_line_and_change_nothing(
    seeded: RunCli, db_path: Path, args: tuple[str, ...], needle: str
) -> None:
    annotate(seeded, [("alice", 1, 52, 78, "motive")])
    if args:
        annotate(seeded, [("bob", 1, 52, 78, "motive")])
    before = dump(db_path)
    result = seeded("agreement", *args)
    assert result.code == 1
    assert_one_error_line(result.err, needle)
    assert dump(db_path) == before


def test_two_analysts_coding_one_passage_keep_two_spans(seeded: RunCli) -> None:
    """Annotating merged a span into any identical span, whoever made it: bob's
    coding of alice's passage added his tag to her span and left him no layer."""
    annotate(seeded, [("alice", 1, 52, 78, "motive"), ("bob", 1, 52, 78, "impact")])
    spans = seeded("spans", "--json").json()
    assert [(s["annotator"], s["tags"]) for s in spans] == [
        ("alice", ["motive"]),
        ("bob", ["impact"]),
    ]
    again = seeded(
        "annotate", "1", "--start", "52", "--end", "78", "--tag", "limitation",
        "--annotator", "bob", "--json",
    )  # fmt: skip
    assert again.json()["id"] == spans[1]["id"]
    assert again.json()["tags"] == ["limitation", "impact"]
