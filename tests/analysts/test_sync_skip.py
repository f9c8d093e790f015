"""The writing side of ``claimmap sync`` skips the articles whose spans did not
change since the last sync, and never skips one that did.

Each test makes one kind of change, syncs, and checks three things: exactly the
files that change say so (the others keep their bytes and their mtime: they were
not rewritten), the analyst's folder holds the same bytes as a sync into an empty
folder (which has nothing to skip), and nothing is missed when the change was
made by another process that stamps nothing (sqlite-utils writing directly).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

import claimmap.services.sync_files as sync_files
from tests.analysts.conftest import A0, A1, A4, QUOTE_0, QUOTE_4, Claimmap, files, ok
from tests.conftest import SEEDS

ALICE = "alice"
SHARED = ("--quote", "美日人工智能合作", "--occurrence", "1")


class Team:
    """Alice's database, synced once into ``share``, and her spans' ids by name."""

    def __init__(self, claimmap: Claimmap, tmp_path: Path) -> None:
        self.claimmap = claimmap
        self.tmp_path = tmp_path
        self.db = tmp_path / "alice.db"
        self.share = tmp_path / "share"
        self.ids: dict[str, int] = {}

    def run(self, *args: str) -> Any:
        result = ok(self.claimmap(self.db, *args, annotator=ALICE))
        return result.json() if "--json" in args else None

    def annotate(self, name: str, article: str, *args: str) -> None:
        self.ids[name] = int(self.run("annotate", article, *args, "--json")["id"])

    def claim(self, span: str) -> int:
        store = Database(self.db)
        try:
            row = store.execute("SELECT claim_id FROM spans WHERE id = ?", [self.ids[span]])
            return int(row.fetchone()[0])
        finally:
            store.close()

    def sync(self, folder: Path | None = None) -> Any:
        return self.run("sync", str(folder or self.share), "--json")


@pytest.fixture
def team(claimmap: Claimmap, tmp_path: Path) -> Team:
    """Spans in three articles (two in A0 and in A1), a labelled claim across A0
    and A1, a labelled claim of its own in A4, a relation and a note."""
    team = Team(claimmap, tmp_path)
    ok(claimmap(team.db, "import", *(str(p) for p in sorted(SEEDS.glob("00*.txt")))))
    team.annotate("a0", A0, "--quote", QUOTE_0, "--tag", "motive", "--note", "why")
    team.annotate("a0b", A0, "--quote", "人工智能", "--occurrence", "3", "--tag", "impact")
    team.annotate("a1", A1, *SHARED, "--tag", "impact")
    team.annotate("a1b", A1, "--quote", "人工智能", "--occurrence", "5", "--tag", "limitation")
    team.annotate("a4", A4, "--quote", QUOTE_4, "--occurrence", "1", "--tag", "motive")
    team.run("links", "accept", "--pair", str(team.ids["a0"]), str(team.ids["a1"]))
    team.run("claims", "label", str(team.claim("a0")), "Cooperation has a long history")
    team.run("claims", "label", str(team.claim("a4")), "Regional cooperation")
    team.run("relations", "add", str(team.ids["a0"]), str(team.ids["a1"]), "--type", "supports")
    team.sync()
    return team


def _changed_files(team: Team, change: Callable[[Team], None]) -> set[str]:
    """Make ``change``, sync, and name the files whose bytes changed; check that
    every other file was left alone and that the folder is what a sync with
    nothing to skip writes."""
    before = files(team.share)
    change(team)
    team.sync()
    after = files(team.share)
    changed = {name for name in before.keys() | after.keys() if before.get(name, (b"", 0))[0]
               != after.get(name, (b"", 0))[0]}  # fmt: skip
    for name in before.keys() & after.keys() - changed:
        assert after[name][1] == before[name][1], f"{name} was rewritten with the same bytes"
    fresh = team.tmp_path / "fresh"
    team.sync(fresh)
    assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in files(fresh).items()}
    return changed


def _file(ref: str) -> str:
    return f"{ALICE}/{ref}.jsonl"


LINKS = f"{ALICE}/_links.jsonl"
RELATIONS = f"{ALICE}/_relations.jsonl"


def _add_span(team: Team) -> None:
    team.annotate("new", A1, "--quote", "人工智能", "--occurrence", "7", "--tag", "motive")


def _delete_span(team: Team) -> None:
    team.run("delete", str(team.ids["a1b"]))


def _retag(team: Team) -> None:
    team.run("tag", str(team.ids["a1b"]), "--add", "impact")


def _edit_note(team: Team) -> None:
    team.run("note", str(team.ids["a1"]), "a note written later")


def _confirm_link(team: Team) -> None:
    # a1b's claim takes a4's label: A1's file changes; A4's claim gets a new id
    # but its file does not change, so it is not rewritten.
    team.run("links", "accept", "--pair", str(team.ids["a1b"]), str(team.ids["a4"]))


def _reject_link(team: Team) -> None:
    team.run("links", "reject", "--pair", str(team.ids["a1b"]), str(team.ids["a4"]))


def _add_relation(team: Team) -> None:
    team.run("relations", "add", str(team.ids["a1b"]), str(team.ids["a4"]), "--type", "attacks")


def _delete_relation(team: Team) -> None:
    relation = team.run("relations", "list", "--json")[0]["id"]
    team.run("relations", "delete", str(relation))


def _relabel_claim(team: Team) -> None:
    team.run("claims", "label", str(team.claim("a1")), "Cooperation goes back to 1945")


def _move_by_reimport(team: Team) -> None:
    """A1 re-imported with a paragraph in front: its spans move, so their ids,
    which the link and the relation name, change too."""
    folder = team.tmp_path / "edited"
    folder.mkdir()
    seed = SEEDS / f"{A1}.txt"
    text = "前言：本文讨论国际人工智能合作的历史与现状。\n\n" + seed.read_text(encoding="utf-8")
    (folder / seed.name).write_text(text, encoding="utf-8")
    report = team.run("import", "--update", str(folder / seed.name), "--json")
    assert "moved" in str(report)


CHANGES = {
    "span added": (_add_span, {_file(A1)}),
    "span deleted": (_delete_span, {_file(A1)}),
    "span retagged": (_retag, {_file(A1)}),
    "note edited": (_edit_note, {_file(A1)}),
    "link confirmed": (_confirm_link, {_file(A1), LINKS}),
    "link rejected": (_reject_link, {LINKS}),
    "relation added": (_add_relation, {RELATIONS}),
    "relation deleted": (_delete_relation, {RELATIONS}),  # the only one: the file goes
    "claim label changed": (_relabel_claim, {_file(A0), _file(A1)}),
    "moved by import --update": (
        _move_by_reimport,
        {_file(A1), f"articles/{A1}.json", LINKS, RELATIONS},
    ),
}


@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_a_change_in_one_article_rewrites_only_its_files(team: Team, kind: str) -> None:
    change, expected = CHANGES[kind]
    assert _changed_files(team, change) == expected


# -- changes made by another process, which stamps nothing ---------------------


def _direct(sql: str, *params: object) -> Callable[[Team], None]:
    def change(team: Team) -> None:
        store = Database(team.db)
        try:
            with store.conn:
                store.execute(sql.format(**{k: team.ids[k] for k in team.ids}), list(params))
        finally:
            store.close()

    return change


DIRECT = {
    "note body": (_direct("UPDATE notes SET body = ? WHERE span_id = {a0}", "edited elsewhere"),
                  {_file(A0)}),
    "tag added": (_direct("INSERT INTO span_tags (span_id, tag_id) "
                          "SELECT {a1b}, id FROM tags WHERE name = 'recommendation'"),
                  {_file(A1)}),
    "tag renamed": (_direct("UPDATE tags SET name = 'limits' WHERE name = 'limitation'"),
                    {_file(A1)}),
    "claim label": (_direct("UPDATE claims SET label = ? WHERE label = 'Regional cooperation'",
                            "Regional"), {_file(A4)}),
    "span moved": (_direct('UPDATE spans SET start = start + 1, quote = substr(quote, 2) '
                           "WHERE id = {a1b}"), {_file(A1)}),
    "span deleted": (_direct("DELETE FROM spans WHERE id = {a0b}"), {_file(A0)}),
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(DIRECT))
def test_a_direct_write_by_another_process_is_not_skipped(team: Team, kind: str) -> None:
    change, expected = DIRECT[kind]
    assert _changed_files(team, change) == expected


# -- what is skipped ------------------------------------------------------------


def test_only_the_changed_articles_lines_are_built(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A retag in A1 builds A1's two annotations, not the whole layer's five."""
    built: list[str] = []
    real = sync_files.span_annotation

    def counting(span: Any, *args: Any) -> dict[str, Any]:
        built.append(span.article)
        return real(span, *args)

    monkeypatch.setattr(sync_files, "span_annotation", counting)
    team.run("tag", str(team.ids["a1b"]), "--add", "recommendation")
    report = team.sync()
    assert sorted(built) == [A1, A1]
    assert report["written"] == 1 and report["deleted"] == 0


def test_a_sync_with_no_record_rewrites_no_file(team: Team) -> None:
    """A database whose record is lost (or made by an older claimmap) checks every
    file and rewrites none that is already right."""
    store = Database(team.db)
    try:
        with store.conn:
            store.execute("DELETE FROM app_state WHERE key LIKE 'sync.%'")
    finally:
        store.close()
    before = files(team.share)
    report = team.sync()
    assert files(team.share) == before
    assert report["written"] == 0 and report["deleted"] == 0


def test_a_file_removed_or_edited_in_the_folder_is_written_again(team: Team) -> None:
    """Nothing changed in the database, but the folder did: the recorded digest of
    the bytes no longer holds, so the file is rebuilt (the record alone would skip it)."""
    before = files(team.share)
    (team.share / _file(A0)).unlink()
    (team.share / LINKS).write_bytes(b"")
    report = team.sync()
    assert report["written"] == 2
    assert {k: v[0] for k, v in files(team.share).items()} == {k: v[0] for k, v in before.items()}
