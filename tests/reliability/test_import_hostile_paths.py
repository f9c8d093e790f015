"""Hostile paths given to ``claimmap import``: one ``error:`` line naming the file,
exit 1, the database unchanged; never a hang or a traceback.

* a file name that is not UTF-8 (given, found in a directory, and with --skip-bad);
* directory symlink loops, through a directory import and a ``**`` glob;
* non-regular files: a FIFO (opening it for reading would block forever) and
  ``/dev/zero`` behind a symlink (``st_size`` 0, never ends);
* the database itself and its -wal/-shm/-journal among the inputs: never opened
  with ``open()`` (that drops this process's SQLite locks), skipped in folders,
  refused when named.

Every command runs in a subprocess with a timeout, so a hang fails the test
instead of stalling the suite.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import assert_one_error_line, dump
from tests.reliability.helpers import REPO, SEED_FILES

GOOD = "一篇很好的文章。内容完整而且清楚。\n"
BAD_NAME = b"bad\xff.txt"
BAD_SHOWN = "bad\\xff.txt"  # how the name is printed: the byte escaped


def run(db: Path, *args: str | bytes, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "claimmap", "--db", str(db), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd or REPO,
        timeout=60,
        check=False,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "claims.db"
    first = run(path, "import", str(SEED_FILES[0]))
    assert first.returncode == 0, first.stderr
    return path


def refused(db: Path, *args: str | bytes, needles: tuple[str, ...], cwd: Path | None = None) -> str:
    before = dump(db)
    result = run(db, *args, cwd=cwd)
    assert result.returncode == 1, (result.stdout, result.stderr)
    line = assert_one_error_line(result.stderr, *needles)
    assert dump(db) == before
    return line


def _bad_name_file(folder: Path) -> bytes:
    folder.mkdir(exist_ok=True)
    path = os.path.join(os.fsencode(folder), BAD_NAME)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        os.write(fd, GOOD.encode())
    finally:
        os.close(fd)
    return path


# -- file names that are not UTF-8 -----------------------------------------------


def test_non_utf8_file_name_given_directly(db: Path, tmp_path: Path) -> None:
    path = _bad_name_file(tmp_path / "in")
    line = refused(db, "import", path, needles=(BAD_SHOWN, "UTF-8"))
    assert "\udcff" not in line


def test_non_utf8_file_name_in_a_directory(db: Path, tmp_path: Path) -> None:
    _bad_name_file(tmp_path / "in")
    (tmp_path / "in" / "fine.txt").write_text(GOOD.replace("很好", "不错"), encoding="utf-8")
    refused(db, "import", str(tmp_path / "in"), needles=(BAD_SHOWN, "UTF-8"))


def test_non_utf8_file_name_with_skip_bad(db: Path, tmp_path: Path) -> None:
    _bad_name_file(tmp_path / "in")
    (tmp_path / "in" / "fine.txt").write_text(GOOD.replace("很好", "不错"), encoding="utf-8")
    result = run(db, "import", "--skip-bad", "--json", str(tmp_path / "in"))
    assert "Traceback" not in result.stderr
    statuses = {Path(i["path"]).name: i["status"] for i in json.loads(result.stdout)}
    assert statuses == {"fine.txt": "imported", BAD_SHOWN: "error"}
    human = run(db, "import", "--skip-bad", str(tmp_path / "in"))
    assert "Traceback" not in human.stderr
    assert_one_error_line(human.stderr, BAD_SHOWN)
    assert "present" in human.stdout


# -- symlink loops -----------------------------------------------------------------


@pytest.fixture
def looped(tmp_path: Path) -> Path:
    """s/a.txt, s/sub/b.txt; s/sub/up and s/sub/top -> s; s/sub/loop.txt -> itself.

    Two links back to the root make a naive recursive walk branch at every level
    (2**40 paths before the kernel's symlink limit stops it): a hang, not a slowdown.
    """
    root = tmp_path / "s"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(GOOD, encoding="utf-8")
    (root / "sub" / "b.txt").write_text(GOOD.replace("很好", "另一"), encoding="utf-8")
    (root / "sub" / "up").symlink_to(root, target_is_directory=True)
    (root / "sub" / "top").symlink_to(root, target_is_directory=True)
    (root / "sub" / "loop.txt").symlink_to(root / "sub" / "loop.txt")
    return root


def _imported_sources(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return sorted(r[0] for r in conn.execute("SELECT source FROM articles"))
    finally:
        conn.close()


def test_directory_import_through_a_symlink_loop(db: Path, looped: Path) -> None:
    result = run(db, "import", "--json", str(looped))
    assert result.returncode == 0, result.stderr
    assert [i["status"] for i in json.loads(result.stdout)] == ["imported"] * 2
    assert "a.txt" in _imported_sources(db) and "sub/b.txt" in _imported_sources(db)


def test_recursive_glob_through_a_symlink_loop(db: Path, looped: Path) -> None:
    result = run(db, "import", "--json", "s/**/*.txt", cwd=looped.parent)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 2


def test_symlink_to_itself_given_directly(db: Path, looped: Path) -> None:
    loop = looped / "sub" / "loop.txt"
    refused(db, "import", str(loop), needles=(str(loop), "symbolic links"))


# -- non-regular files ---------------------------------------------------------------


def test_fifo_is_refused_without_blocking(db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    refused(db, "import", str(fifo), needles=(str(fifo), "not a regular file"))


def test_fifo_in_a_directory_is_refused(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "fine.txt").write_text(GOOD, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    refused(db, "import", str(folder), needles=("pipe.txt", "not a regular file"))


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_dev_zero_behind_a_symlink_is_refused(db: Path, tmp_path: Path) -> None:
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    refused(db, "import", str(link), needles=(str(link), "not a regular file"))


# -- the database among the inputs ------------------------------------------------------


def _with_companions(db: Path) -> list[Path]:
    """The database plus a -wal, -shm and -journal that exist (made by a held reader)."""
    journal = db.with_name(db.name + "-journal")
    journal.write_bytes(b"")
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"), journal]


def test_import_dot_in_the_database_folder_skips_the_database(db: Path, tmp_path: Path) -> None:
    """The database is named like an article (``corpus.txt``) to get past the suffix filter."""
    folder = tmp_path / "work"
    folder.mkdir()
    disguised = folder / "corpus.txt"
    shutil.copyfile(db, disguised)
    (folder / "paper.txt").write_text(GOOD, encoding="utf-8")
    result = run(disguised, "import", "--json", ".", cwd=folder)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert [Path(i["path"]).name for i in items] == ["paper.txt"]


@pytest.mark.parametrize("which", [0, 1, 2, 3], ids=["db", "wal", "shm", "journal"])
def test_database_or_companion_named_explicitly_is_refused_unread(
    db: Path, tmp_path: Path, which: int
) -> None:
    target = _with_companions(db)[which]
    if not target.exists():
        target.write_bytes(b"")
    refused(db, "import", str(target), needles=(str(target), "database"))


def test_database_companion_found_by_a_glob_is_skipped(db: Path, tmp_path: Path) -> None:
    (tmp_path / "paper.txt").write_text(GOOD, encoding="utf-8")
    _with_companions(db)
    result = run(db, "import", "--json", "*", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert [Path(i["path"]).name for i in items] == ["paper.txt"]
    # A pattern that matches nothing else says why.
    refused(db, "import", "claims.db*", needles=("claims.db*", "database"), cwd=tmp_path)


def test_database_files_are_never_opened_by_the_importer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every Python-level open recorded while the importer runs: the database,
    named like an article, is found in its folder and named explicitly (with its
    -wal/-shm), and never opened."""
    import builtins
    import io

    from claimmap.errors import ClaimmapError
    from claimmap.services.importing import import_paths
    from claimmap.store import open_db

    folder = tmp_path / "work"
    folder.mkdir()
    db_path = folder / "corpus.txt"
    (folder / "paper.txt").write_text(GOOD, encoding="utf-8")
    db = open_db(db_path)
    opened: list[str] = []

    def spy(real: Any) -> Any:
        def recording(file: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(file, (str, bytes, os.PathLike)):
                opened.append(os.fsdecode(file))
            return real(file, *args, **kwargs)

        return recording

    try:
        for module, name in ((os, "open"), (builtins, "open"), (io, "open")):
            monkeypatch.setattr(module, name, spy(getattr(module, name)))
        items = import_paths(db, [str(folder)])
        assert [Path(i.path).name for i in items] == ["paper.txt"]
        for companion in ("", "-wal", "-shm"):
            assert Path(f"{db_path}{companion}").exists()
            with pytest.raises(ClaimmapError, match=r"database.*not an article"):
                import_paths(db, [f"{db_path}{companion}"])
        monkeypatch.undo()
    finally:
        db.close()
    assert [p for p in opened if Path(p).name == "paper.txt"]  # the spy did record
    assert not [p for p in opened if Path(p).name.startswith("corpus.txt")], opened
