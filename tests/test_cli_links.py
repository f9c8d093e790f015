"""The linker's CLI contract (issue 4): link, links, accept/reject, similar, claims."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.helpers import assert_one_error_line


@pytest.fixture
def corpus(cli: RunCli, tmp_path: Path) -> RunCli:
    """Three small articles stating one claim in simplified and traditional script."""
    texts = {
        "a.txt": "美日两国的人工智能合作带有明显的对华竞争色彩。日本人才缺口很大。",
        "b.txt": "美日兩國的人工智能合作帶有明顯的對華競爭色彩。歐盟重視監管。",
        "c.txt": "中日韩应当加强人工智能对话与合作。天气很好。",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
        assert cli("import", str(tmp_path / name)).code == 0
    for ref, quote in (
        ("a", "美日两国的人工智能合作带有明显的对华竞争色彩"),
        ("a", "日本人才缺口很大"),
        ("b", "美日兩國的人工智能合作帶有明顯的對華競爭色彩"),
        ("b", "歐盟重視監管"),
        ("c", "中日韩应当加强人工智能对话与合作"),
    ):
        assert cli("annotate", ref, "--quote", quote, "--tag", "motive").code == 0
    return cli


def test_link_suggests_cross_script_pair_and_shapes(corpus: RunCli) -> None:
    summary = corpus("link", "--json").json()
    assert summary["new"] >= 1
    links = corpus("links", "--json").json()
    assert {"id", "a", "b", "score", "status"} <= set(links[0])
    best = links[0]
    assert (best["a"], best["b"]) == (1, 3)
    assert 0 <= best["score"] <= 100 and best["status"] == "suggested"
    similar = corpus("similar", "1", "--top", "2", "--json").json()
    assert {"span", "article", "score", "quote"} <= set(similar[0])
    assert similar[0]["span"] == 3 and similar[0]["article"] == "b"
    assert all(s["article"] != "a" for s in similar)
    scores = [s["score"] for s in similar]
    assert scores == sorted(scores, reverse=True)


def test_rejected_pair_never_returns(corpus: RunCli) -> None:
    corpus("link")
    link = corpus("links", "--json").json()[0]
    assert corpus("links", "reject", str(link["id"])).code == 0
    again = corpus("link", "--json").json()
    assert again["new"] == 0 and again["kept_rejected"] >= 1
    statuses = {(link["a"], link["b"]): link["status"] for link in corpus("links", "--json").json()}
    assert statuses[(link["a"], link["b"])] == "rejected"
    assert corpus("links", "--status", "suggested", "--json").json() == [
        link for link in corpus("links", "--json").json() if link["status"] == "suggested"
    ]


def test_claims_after_accept_reject_merge_detach(corpus: RunCli) -> None:
    corpus("link")
    link = next(
        link for link in corpus("links", "--json").json() if (link["a"], link["b"]) == (1, 3)
    )
    corpus("links", "accept", str(link["id"]))
    claims = corpus("claims", "--json").json()
    shared = next(c for c in claims if 1 in c["spans"])
    assert shared["spans"] == [1, 3] and shared["articles"] == ["a", "b"]
    assert shared["tag"] == "motive"
    assert len(claims) == 4  # 5 spans, two joined
    assert (
        corpus("claims", "label", str(shared["id"]), "Aimed at China", "--json").json()["label"]
        == "Aimed at China"
    )
    lone = next(c for c in claims if c["spans"] == [5])
    merged = corpus("claims", "merge", str(shared["id"]), str(lone["id"]), "--json").json()
    assert merged["spans"] == [1, 3, 5] and merged["label"] == "Aimed at China"
    detached = corpus("claims", "detach", "5", "--json").json()
    assert detached["spans"] == [5]
    remaining = next(c for c in corpus("claims", "--json").json() if 1 in c["spans"])
    assert remaining["spans"] == [1, 3] and remaining["label"] == "Aimed at China"
    # Rejecting the confirmed link splits the claim again.
    corpus("links", "reject", str(link["id"]))
    assert all(len(c["spans"]) == 1 for c in corpus("claims", "--json").json())
    assert corpus("check").code == 0


def test_accept_min_score_and_errors(corpus: RunCli) -> None:
    corpus("link", "--threshold", "0")
    accepted = corpus("links", "accept", "--min-score", "90", "--json").json()
    assert all(link["score"] >= 90 and link["status"] == "confirmed" for link in accepted)
    for args in (
        ["links", "accept", "999"],
        ["similar", "999"],
        ["claims", "label", "999", "x"],
        ["link", "--threshold", "150"],
        ["claims", "merge", "1", "1"],
    ):
        result = corpus(*args)
        assert result.code == 1, args
        assert result.err.startswith("error: ") and len(result.err.strip().splitlines()) == 1


def test_aliases(corpus: RunCli) -> None:
    assert corpus("aliases", "add", "布萊切特", "Bletchley").code == 0
    assert corpus("aliases", "--json").json() == [{"variant": "布萊切特", "canonical": "Bletchley"}]


@pytest.mark.parametrize("value", ["0.5e3", "-1", "nan"])
def test_accept_min_score_is_on_the_link_score_scale(cli: RunCli, value: str) -> None:
    result = cli("links", "accept", "--min-score", value)
    assert result.code == 1
    assert_one_error_line(result.err, "between 0 and 100")
