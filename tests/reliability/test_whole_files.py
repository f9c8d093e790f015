"""Every file claimmap writes is whole or absent: folder exports swapped in whole,
targets that are not regular files refused, kills during writes leave nothing partial.

``CLAIMMAP_FILE_CRASH_ROUNDS`` raises the number of kill rounds;
``benchmarks/bench_crash.py --file-rounds N`` is the long run.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from exporters.corpus import add_article, build_corpus

import claimmap.atomic_files as atomic_files
from claimmap.atomic_files import EXPORT_MARKER
from claimmap.errors import ClaimmapError
from claimmap.services import exporting
from claimmap.services.annotating import annotate_range
from claimmap.services.interchange import import_annotations
from claimmap.store import open_db
from claimmap.store.spans import query_spans
from tests.conftest import RunCli
from tests.helpers import assert_one_error_line
from tests.reliability.file_crash import file_rounds

ROUNDS = int(os.environ.get("CLAIMMAP_FILE_CRASH_ROUNDS", "6"))


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# -- folder exports ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["w3c", "brat"])
def test_reexport_leaves_exactly_the_current_files(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / "out"
    corpus = build_corpus()
    exporting.export_annotations(corpus.db, fmt, target)
    # Fewer articles now (some were deleted): their files must not survive.
    small = open_db(memory=True)
    add_article(small, "solo", "Solo", "只有一篇文章。人工智能治理需要共同规则。\n")
    annotate_range(small, "solo", 0, 6, ["motive"])
    summary = exporting.export_annotations(small, fmt, target)
    expected = {Path(f).name for f in summary["files"]}  # type: ignore[union-attr]
    assert _names(target) == expected | {EXPORT_MARKER}


def test_reimporting_a_reexport_does_not_resurrect_deleted_spans(tmp_path: Path) -> None:
    target = tmp_path / "w3c"
    corpus = build_corpus()
    exporting.export_annotations(corpus.db, "w3c", target)
    # Every span of gamma is deleted, then the folder is exported again.
    corpus.db.execute(
        "DELETE FROM spans WHERE article_id = (SELECT id FROM articles WHERE ref = 'gamma')"
    )
    exporting.export_annotations(corpus.db, "w3c", target)
    fresh = build_corpus()
    fresh.db.execute("DELETE FROM spans")
    import_annotations(fresh.db, target)
    articles = {s.article for s in query_spans(fresh.db)}
    assert "gamma" not in articles and articles


def test_export_refuses_a_folder_it_did_not_write(
    cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    build_corpus(open_db(db_path)).db.close()
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "thesis.docx").write_bytes(b"years of work")
    result = cli("export", "annotations", "--format", "brat", "-o", str(documents))
    assert result.code == 1
    assert_one_error_line(result.err, str(documents), EXPORT_MARKER)
    assert _names(documents) == {"thesis.docx"}
    assert (documents / "thesis.docx").read_bytes() == b"years of work"


def test_export_to_dot_is_the_current_folder_and_is_guarded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = build_corpus()
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("mine")
    monkeypatch.chdir(home)
    with pytest.raises(ClaimmapError, match="did not write"):
        exporting.export_annotations(corpus.db, "w3c", Path("."))
    assert _names(home) == {"notes.txt"}
    out = home / "out"
    exporting.export_annotations(corpus.db, "w3c", out)
    monkeypatch.chdir(out)
    exporting.export_annotations(corpus.db, "w3c", Path("."))
    assert EXPORT_MARKER in _names(out) and _names(home) == {"notes.txt", "out"}


def test_export_into_an_empty_folder_and_again(tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    corpus = build_corpus()
    exporting.export_annotations(corpus.db, "brat", target)
    first = {p.name: p.read_bytes() for p in target.iterdir()}
    assert EXPORT_MARKER in first and any(n.endswith(".ann") for n in first)
    exporting.export_annotations(corpus.db, "brat", target)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == first
    # No temporary sibling is left behind.
    assert _names(tmp_path) == {"empty"}


def test_disk_full_during_a_folder_export_keeps_the_previous_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "w3c"
    corpus = build_corpus()
    exporting.export_annotations(corpus.db, "w3c", target)
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    annotate_range(corpus.db, "gamma", 0, 5, ["impact"])
    calls = 0
    real_fsync = os.fsync

    def full_disk(fd: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:  # a few files in
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        exporting.export_annotations(corpus.db, "w3c", target)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert _names(tmp_path) == {"w3c"}


def test_folder_swap_without_exchange_support(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Systems without renameat2(RENAME_EXCHANGE) swap with two renames.
    monkeypatch.setattr(atomic_files, "_exchange", lambda a, b: False)
    target = tmp_path / "brat"
    corpus = build_corpus()
    exporting.export_annotations(corpus.db, "brat", target)
    annotate_range(corpus.db, "gamma", 0, 5, ["impact"])
    exporting.export_annotations(corpus.db, "brat", target)
    assert _names(tmp_path) == {"brat"}
    assert b"impact" in b"".join(p.read_bytes() for p in target.glob("*.ann"))


def test_leftovers_of_a_killed_export_are_removed_by_the_next(tmp_path: Path) -> None:
    corpus = build_corpus()
    target = tmp_path / "w3c"
    # What a kill between the two renames (or mid-write) leaves: hidden siblings
    # named for a process that no longer runs.
    dead = 2**22 + 12345
    for kind in ("a", "b"):
        stale = tmp_path / f".w3c{atomic_files.TEMP_MARK}{dead}-{kind}"
        stale.mkdir()
        (stale / EXPORT_MARKER).write_text("x")
        (stale / "old.jsonl").write_text("{}\n")
    # A sibling that only looks similar, and one of a live process, stay.
    (tmp_path / ".w3c-notes").mkdir()
    live = tmp_path / f".w3c{atomic_files.TEMP_MARK}{os.getpid()}-c"
    live.mkdir()
    exporting.export_annotations(corpus.db, "w3c", target)
    assert _names(tmp_path) == {"w3c", ".w3c-notes", live.name}


# -- -o targets that are not regular files ----------------------------------------


def _special(kind: str, path: Path, tmp_path: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "symlink":
        (tmp_path / "real.txt").write_text("keep me")
        path.symlink_to(tmp_path / "real.txt")
    elif kind == "dangling":
        path.symlink_to(tmp_path / "nowhere.txt")
    else:
        try:
            # A private character device (same numbers as /dev/null), never the real one.
            os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("cannot create device nodes here")


KINDS = ["fifo", "symlink", "dangling", "chardev"]


@pytest.mark.parametrize("kind", KINDS)
def test_export_refuses_targets_that_are_not_regular_files(
    cli: RunCli, db_path: Path, tmp_path: Path, kind: str
) -> None:
    build_corpus(open_db(db_path)).db.close()
    for name, args in (
        ("m.csv", ("export", "matrix", "--format", "csv", "-o")),
        ("f.md", ("export", "framing", "--format", "md", "-o")),
        ("a.jsonl", ("export", "annotations", "--format", "w3c", "-o")),
        ("p.qdpx", ("export", "annotations", "--format", "qdpx", "-o")),
        ("b.db", ("backup",)),
    ):
        target = tmp_path / name
        _special(kind, target, tmp_path)
        before = os.lstat(target)
        result = cli(*args, str(target))
        assert result.code == 1, (args, result.out)
        assert_one_error_line(result.err, str(target))
        after = os.lstat(target)
        assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino), args
    if kind == "symlink":
        assert (tmp_path / "real.txt").read_text() == "keep me"
    if kind == "dangling":
        assert not (tmp_path / "nowhere.txt").exists()


def test_qdpx_and_folder_exports_refuse_symlinks(
    cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    build_corpus(open_db(db_path)).db.close()
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    result = cli("export", "annotations", "--format", "brat", "-o", str(link))
    assert result.code == 1
    assert_one_error_line(result.err, str(link), "symbolic link")
    assert link.is_symlink() and _names(real) == set()
    qlink = tmp_path / "p.qdpx"
    qlink.symlink_to(tmp_path / "elsewhere.qdpx")
    result = cli("export", "annotations", "--format", "qdpx", "-o", str(qlink))
    assert result.code == 1
    assert qlink.is_symlink() and not (tmp_path / "elsewhere.qdpx").exists()


def test_stdout_is_still_dash(cli: RunCli, db_path: Path) -> None:
    build_corpus(open_db(db_path)).db.close()
    result = cli("export", "matrix", "--format", "csv", "-o", "-")
    assert result.code == 0 and "claim_id" in result.out


def test_written_files_are_fsynced_before_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(
        os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b))[1]
    )
    exporting.write_file(tmp_path / "out.csv", b"a,b\n")
    assert events[:2] == ["fsync", "replace"] and events.count("fsync") == 2  # file, folder
    with pytest.raises(ClaimmapError):
        exporting.write_file(tmp_path, b"x")


# -- kills ------------------------------------------------------------------------


def test_kills_during_backups_and_folder_exports_leave_only_whole_files(tmp_path: Path) -> None:
    stages: set[str] = set()
    new = 0
    for n, result in file_rounds(tmp_path, ROUNDS, seed=7, megabytes=0.5):
        assert result.problems == [], f"round {n} (killed at {result.stage}): {result.problems}"
        stages.add(result.stage)
        new += result.folders_new
    # The kills landed somewhere in the cycle, and some exports completed.
    assert stages - {"ready"} and new > 0
