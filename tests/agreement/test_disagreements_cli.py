"""``claimmap disagreements``: ranked kinds, both versions quoted, the formats."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import RunCli
from tests.helpers import assert_one_error_line

EXPECTED_ORDER = [(":5", "only_b"), ("3:4", "tags"), ("6:7", "boundaries"), ("1+6:2+7", "link")]


def test_json_ranks_kinds_and_quotes_both_versions(two_analysts: RunCli) -> None:
    result = two_analysts("disagreements", "--format", "json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["annotators"] == ["alice", "bob"]
    assert [(i["key"], i["kind"]) for i in data["items"]] == EXPECTED_ORDER
    assert [i["rank"] for i in data["items"]] == [1, 2, 3, 4]
    only_b, tags, bounds, link = data["items"]
    assert only_b["a"] is None
    assert only_b["b"]["quote"].startswith("同价值观")
    assert (tags["a"]["tags"], tags["b"]["tags"]) == (["limitation"], ["impact"])
    assert tags["a"]["quote"] and tags["b"]["quote"]
    assert (bounds["a"]["start"], bounds["b"]["start"]) == (60, 70)
    assert (link["linked_a"], link["linked_b"]) == ("same", "different")
    assert link["a_other"]["span"] == 6 and link["b_other"]["span"] == 7
    assert data["counts"] == {"only_a": 0, "only_b": 1, "tags": 1, "boundaries": 1, "link": 1}


def test_tolerance_decides_what_counts_as_boundaries_apart(two_analysts: RunCli) -> None:
    keys = [
        i["key"]
        for i in two_analysts("disagreements", "--format", "json", "--tolerance", "0").json()[
            "items"
        ]
    ]
    assert "1:2" in keys  # ends 2 apart
    keys = [
        i["key"]
        for i in two_analysts("disagreements", "--format", "json", "--tolerance", "20").json()[
            "items"
        ]
    ]
    assert "6:7" not in keys


def test_markdown_and_html_files(two_analysts: RunCli, tmp_path: Path) -> None:
    md = two_analysts("disagreements")
    assert md.code == 0
    assert "# Disagreements: alice and bob" in md.out
    assert "*not coded*" in md.out
    assert "## 2. same place, different tags (`3:4`)" in md.out
    out = tmp_path / "d.html"
    assert two_analysts("disagreements", "--format", "html", "-o", str(out)).code == 0
    page = out.read_text("utf-8")
    assert "<script" not in page
    assert "Disagreements between alice and bob" in page
    assert "同价值观" in page
    assert "uα" in page


def test_hostile_quotes_are_escaped_in_html(seeded: RunCli, tmp_path: Path) -> None:
    from tests.agreement.conftest import annotate

    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "evil.txt").write_text(
        "Intro line here.\n<script>alert(1)</script> [@click=quit] is a claim here.\n", "utf-8"
    )
    assert seeded("import", str(tmp_path / "x")).code == 0
    annotate(seeded, [("alice", 6, 17, 60, "motive"), ("bob", 6, 17, 45, "impact")])
    out = tmp_path / "d.html"
    assert seeded("disagreements", "--format", "html", "-o", str(out)).code == 0
    page = out.read_text("utf-8")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_needs_exactly_two_analysts(two_analysts: RunCli) -> None:
    from tests.agreement.conftest import annotate

    annotate(two_analysts, [("cat", 1, 52, 78, "motive")])
    result = two_analysts("disagreements")
    assert result.code == 1
    assert_one_error_line(result.err, "choose two of alice, bob, cat")
    ok = two_analysts("disagreements", "--annotators", "cat,alice", "--format", "json")
    assert ok.code == 0, ok.err
    assert json.loads(ok.out)["annotators"] == ["alice", "cat"]


def test_html_report_gets_an_analysts_section(two_analysts: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    assert two_analysts("export", "matrix", "--format", "html", "-o", str(out)).code == 0
    page = out.read_text("utf-8")
    assert "Analysts: agreement and disagreements" in page
    assert "Disagreements between alice and bob" in page


def test_html_report_of_one_analyst_has_no_analysts_section(seeded: RunCli, tmp_path: Path) -> None:
    from tests.agreement.conftest import annotate

    annotate(seeded, [("alice", 1, 52, 78, "motive")])
    out = tmp_path / "m.html"
    assert seeded("export", "matrix", "--format", "html", "-o", str(out)).code == 0
    assert "Analysts: agreement" not in out.read_text("utf-8")
