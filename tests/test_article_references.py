"""How an analyst names an article: ref, file name, id, prefixes; ambiguity is an error."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli
from tests.helpers import assert_one_error_line


def _import(cli: RunCli, folder: Path, files: dict[str, str]) -> None:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = cli("import", str(folder))
    assert result.code == 0, result.err


CORPUS = {
    "001_alpha.txt": "Alliance politics and AI\n\nThe first article says one thing.\n",
    "002_beta.txt": "Beta report on chips\n\nThe second article says another.\n",
    "003_gamma.txt": "Gamma brief on treaties\n\nThe third article says a third thing.\n",
    "allies-ai-pact.txt": "Allies and the AI pact\n\nThe fourth article is about a pact.\n",
}


def test_a_number_that_is_also_a_ref_prefix_is_ambiguous(cli: RunCli, tmp_path: Path) -> None:
    first = tmp_path / "first"
    _import(cli, first, {"allies-ai-pact.txt": CORPUS["allies-ai-pact.txt"]})
    _import(cli, tmp_path / "corpus", {k: v for k, v in CORPUS.items() if k[0].isdigit()})
    ids = {a["ref"]: a["id"] for a in cli("articles", "--json").json()}
    assert ids["002_beta"] == 3  # so "003" reads as id 3 (002_beta) and as 003_gamma
    result = cli("show", "003")
    assert result.code == 1
    line = assert_one_error_line(result.err, "ambiguous", "003_gamma", "#3 002_beta")
    assert "(id)" in line and "(ref prefix)" in line
    assert "third article" in cli("show", "003_gamma").out
    assert "second article" in cli("show", "#3").out


def test_explicit_id_and_unique_prefixes(cli: RunCli, tmp_path: Path) -> None:
    _import(cli, tmp_path / "corpus", CORPUS)
    ids = {a["ref"]: a["id"] for a in cli("articles", "--json").json()}
    by_id = cli("show", f"#{ids['002_beta']}")
    assert by_id.code == 0 and "second article" in by_id.out
    assert "third article" in cli("show", "003_g").out  # a unique ref prefix
    assert "fourth article" in cli("show", "allies-ai-pact.txt").out  # the file name
    assert "first article" in cli("show", "Alliance pol").out  # a unique title prefix


def test_a_near_miss_suggests_names(cli: RunCli, tmp_path: Path) -> None:
    _import(cli, tmp_path / "corpus", CORPUS)
    result = cli("show", "allies-ai-packt")
    assert_one_error_line(result.err, "no article matches", "did you mean", "allies-ai-pact")
    prefix = cli("show", "0")  # the prefix of four refs
    assert_one_error_line(prefix.err, "ambiguous", "001_alpha", "002_beta", "003_gamma")


def test_a_failed_quote_search_names_the_article(cli: RunCli, tmp_path: Path) -> None:
    _import(cli, tmp_path / "corpus", CORPUS)
    result = cli("annotate", "002_beta", "--quote", "nowhere to be found at all", "--tag", "m")
    assert_one_error_line(result.err, "002_beta:", "quote not found")
