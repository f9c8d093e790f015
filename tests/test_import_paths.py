"""Article identity: the path relative to the import root, not the bare file name.

A tree with ``2023/index.md`` and ``2024/index.md`` holds two articles.  When a
file *could* be an article already imported from another root (one relative path
ends with the other), the importer says so and lets the analyst choose
``--update`` (same article, new text) or ``--as-new`` (a separate article).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.helpers import assert_one_error_line, dump

TEXT_2023 = "二〇二三年度报告。美日两国在人工智能领域的合作不断加深。\n"
TEXT_2024 = "二〇二四年度报告。欧盟通过了人工智能法案，合作出现新的变数。\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for year, text in (("2023", TEXT_2023), ("2024", TEXT_2024)):
        (root / year).mkdir(parents=True)
        (root / year / "index.md").write_text(text, encoding="utf-8")
    return root


def _articles(cli: RunCli) -> dict[str, dict[str, object]]:
    return {str(a["source"]): a for a in cli("articles", "--json").json()}


def test_two_year_tree_imports_as_two_articles(cli: RunCli, tree: Path) -> None:
    result = cli("import", "--json", str(tree))
    assert result.code == 0, result.err
    assert [i["status"] for i in result.json()] == ["imported", "imported"]
    articles = _articles(cli)
    assert sorted(articles) == ["2023/index.md", "2024/index.md"]
    refs = [str(articles[s]["ref"]) for s in ("2023/index.md", "2024/index.md")]
    assert refs == ["2023-index", "2024-index"]
    assert cli("show", "2024-index").out == TEXT_2024
    assert cli("show", "2023/index.md").out == TEXT_2023


def test_reimporting_the_same_tree_is_idempotent(cli: RunCli, tree: Path, db_path: Path) -> None:
    assert cli("import", str(tree)).code == 0
    before = dump(db_path)
    again = cli("import", "--json", str(tree))
    assert again.code == 0, again.err
    assert [i["status"] for i in again.json()] == ["present", "present"]
    assert dump(db_path) == before


def test_update_of_one_year_changes_only_that_article(cli: RunCli, tree: Path) -> None:
    assert cli("import", str(tree)).code == 0
    made = cli("annotate", "2023-index", "--quote", "美日两国", "--tag", "motive", "--json")
    assert made.code == 0, made.err
    changed = "二〇二四年度报告（修订）。欧盟通过了人工智能法案，合作出现新的变数。\n"
    (tree / "2024" / "index.md").write_text(changed, encoding="utf-8")
    # Without --update the changed file is refused, naming the article it would replace.
    refused = cli("import", str(tree))
    assert refused.code == 1
    assert_one_error_line(refused.err, "2024-index", "--update", "--as-new")
    result = cli("import", "--update", "--json", str(tree))
    assert result.code == 0, result.err
    by_path = {Path(i["path"]).parent.name: i for i in result.json()}
    assert by_path["2023"]["status"] == "present"
    assert by_path["2024"]["status"] == "updated"
    assert by_path["2024"]["ref"] == "2024-index"
    assert cli("show", "2024-index").out == changed
    assert cli("show", "2023-index").out == TEXT_2023
    [span] = cli("spans", "--json").json()
    assert span["article"] == "2023-index" and span["orphaned"] is False


def test_a_file_that_could_be_an_imported_article_is_a_question(
    cli: RunCli, tree: Path, db_path: Path, tmp_path: Path
) -> None:
    """``2024/index.md`` imported from the tree, then ``index.md`` from elsewhere."""
    assert cli("import", str(tree)).code == 0
    other = tmp_path / "elsewhere"
    other.mkdir()
    loose = other / "index.md"
    loose.write_text("另一份不同的稿件。内容与树中的任何文章都不一样。\n", encoding="utf-8")
    before = dump(db_path)
    result = cli("import", str(loose))
    assert result.code == 1
    line = assert_one_error_line(result.err, str(loose), "--update", "--as-new")
    assert "2023-index" in line and "2024-index" in line  # both candidates named
    assert dump(db_path) == before
    # The analyst says it is a separate article.
    separate = cli("import", "--as-new", "--json", str(loose))
    assert separate.code == 0, separate.err
    [item] = separate.json()
    assert item["status"] == "imported"
    assert item["ref"] not in ("2023-index", "2024-index")
    assert len(_articles(cli)) == 3


def test_update_chooses_the_one_candidate(cli: RunCli, tree: Path, tmp_path: Path) -> None:
    assert cli("import", str(tree / "2024")).code == 0  # source "index.md"
    assert _articles(cli)["index.md"]["ref"] == "index"
    revised = "二〇二四年度报告。欧盟通过了人工智能法案，合作出现了新的变数。\n"
    (tree / "2024" / "index.md").write_text(revised, encoding="utf-8")
    # From the tree root the same file is "2024/index.md": it could be "index.md".
    refused = cli("import", str(tree / "2024" / "index.md"), str(tree / "2023"))
    assert refused.code == 1
    result = cli("import", "--update", "--json", str(tree))
    assert result.code == 1  # 2023/index.md also ends with index.md: ambiguous
    assert_one_error_line(result.err, "index.md", "--as-new")
    result = cli("import", "--update", "--json", str(tree / "2024" / "index.md"))
    assert result.code == 0, result.err
    assert result.json()[0]["status"] == "updated"
    assert cli("show", "index").out == revised


def test_update_and_as_new_together_are_refused(cli: RunCli, tree: Path) -> None:
    result = cli("import", "--update", "--as-new", str(tree))
    assert result.code == 1
    assert_one_error_line(result.err, "--update", "--as-new")


def test_old_database_with_bare_names_still_matches(cli: RunCli, tree: Path, db_path: Path) -> None:
    """Databases made before relative paths stored the bare file name as source."""
    assert cli("import", str(tree / "2023")).code == 0
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT source FROM articles").fetchall() == [("index.md",)]
    conn.close()
    (tree / "2024" / "index.md").unlink()
    (tree / "2024").rmdir()
    again = cli("import", "--json", str(tree))
    assert again.code == 0, again.err
    assert [i["status"] for i in again.json()] == ["present"]
    (tree / "2023" / "index.md").write_text(TEXT_2023 + "补充一句。\n", encoding="utf-8")
    updated = cli("import", "--update", "--json", str(tree))
    assert updated.code == 0, updated.err
    assert [(i["status"], i["article_id"]) for i in updated.json()] == [("updated", 1)]


def test_glob_identity_is_relative_to_its_base(cli: RunCli, tree: Path) -> None:
    result = cli("import", "--json", f"{tree}/**/*.md")
    assert result.code == 0, result.err
    assert sorted(_articles(cli)) == ["2023/index.md", "2024/index.md"]


def test_flat_directory_keeps_file_names_and_stems(cli: RunCli, tmp_path: Path) -> None:
    flat = tmp_path / "flat"
    flat.mkdir()
    (flat / "a-paper.txt").write_text(TEXT_2023, encoding="utf-8")
    assert cli("import", str(flat)).code == 0
    [article] = cli("articles", "--json").json()
    assert (article["source"], article["ref"]) == ("a-paper.txt", "a-paper")


def test_dry_run_says_what_the_import_would_do(cli: RunCli, tree: Path, db_path: Path) -> None:
    """A dry run decides as the import does: an update (with what it would do to the
    spans), or the question the import would stop at; and it writes nothing."""
    assert cli("import", str(tree)).code == 0
    kept = cli("annotate", "2024-index", "--quote", "欧盟通过了", "--tag", "motive", "--json")
    gone = cli("annotate", "2024-index", "--quote", "合作出现新的变数", "--tag", "impact", "--json")
    assert kept.code == 0 and gone.code == 0, kept.err + gone.err
    revised = "二〇二四年度报告（修订）。欧盟通过了人工智能法案，局势已经改变。\n"
    (tree / "2024" / "index.md").write_text(revised, encoding="utf-8")
    before = dump(db_path)
    asked = cli("import", "--dry-run", str(tree))
    assert asked.code == 1  # as the import itself would: the changed file needs a choice
    assert_one_error_line(asked.err, "2024-index", "--update", "--as-new")
    assert "present" in asked.out  # the unchanged file is still reported
    preview = cli("import", "--dry-run", "--update", "--json", str(tree))
    assert preview.code == 0, preview.err
    by_path = {Path(i["path"]).parent.name: i for i in preview.json()}
    assert by_path["2023"]["status"] == "present"
    update = by_path["2024"]
    assert update["status"] == "would-update" and update["ref"] == "2024-index"
    assert update["spans"] == {"kept": 1, "moved": 0, "orphaned": 1}
    assert update["orphaned_span_ids"] == [gone.json()["id"]]
    text = cli("import", "--dry-run", "--update", str(tree))
    assert "would-update" in text.out
    assert "spans: 1 kept, 0 moved, 1 orphaned" in text.out
    assert f"span ids that would be orphaned: {gone.json()['id']}" in text.out
    assert dump(db_path) == before
    # The real update then does what the preview said.
    done = cli("import", "--update", "--json", str(tree))
    updated = {Path(i["path"]).parent.name: i for i in done.json()}["2024"]
    assert updated["spans"] == update["spans"]
    assert updated["orphaned_span_ids"] == update["orphaned_span_ids"]
