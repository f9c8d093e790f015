"""Hostile and broken input (issue 6): one ``error:`` line naming the file and the
problem, exit 1, and the database exactly as it was.

Each article case starts from a database holding one seed article, so "unchanged"
is checked against real content, not an empty file.  Database-location cases
that the sandbox cannot produce for real are simulated, and say how:

* read-only location: ``chattr +i`` (immutable) when running as root, because
  root ignores permission bits; ``chmod`` otherwise.
* full disk: ``RLIMIT_FSIZE`` in a subprocess (writes past the limit fail with
  EFBIG, as on a full disk, and SQLite reports an I/O error) and, in-process,
  ``PRAGMA max_page_count`` (SQLite's own SQLITE_FULL).
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

import claimmap.store.connection as connection
from tests.conftest import RunCli
from tests.helpers import assert_one_error_line, dump
from tests.reliability.helpers import SEED_FILES, run_cli_subprocess


@pytest.fixture
def one_article(cli: RunCli, db_path: Path) -> RunCli:
    result = cli("import", str(SEED_FILES[0]))
    assert result.code == 0, result.err
    return cli


def refused(cli: RunCli, db_path: Path, args: list[str], *needles: str) -> str:
    """Run a command that must be refused; return its error line."""
    before = dump(db_path)
    result = cli(*args)
    assert result.code == 1, (result.out, result.err)
    line = assert_one_error_line(result.err, *needles)
    assert dump(db_path) == before
    return line


# -- article files -------------------------------------------------------------


BIG5_TWELVE = "人工智慧國際合作發展研究"  # 12 characters, 24 bytes in Big5


def _hostile_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, a word the error must contain)."""
    files: dict[str, tuple[Path, str]] = {}

    def put(name: str, data: bytes, needle: str) -> None:
        path = tmp / name
        path.write_bytes(data)
        files[name] = (path, needle)

    put("program.txt", b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 16, "binary")
    put("random.txt", bytes((i * 7919 + 13) % 256 for i in range(8192)), "binary")
    put("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "PNG")
    put("empty.txt", b"", "empty")
    put("blank.txt", "  \n\t\r\n \u3000\n".encode(), "empty")  # U+3000: ideographic space
    # Bytes that are not UTF-8 and read as nothing in any single-byte code page.
    put(
        "garbled.txt",
        bytes([0xFF, 0xFE ^ 1, 0x80, 0x81, 0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28]) * 30,
        "UTF-8",
    )
    put("nul.txt", "第一段内容在这里。\x00第二段内容也在这里。\n".encode(), "NUL")
    put("nul-heavy.txt", b"\x00" * 100 + "正文。".encode() * 10, "binary")
    return files


@pytest.mark.parametrize(
    "name",
    [
        "program.txt",
        "random.txt",
        "photo.txt",
        "empty.txt",
        "blank.txt",
        "garbled.txt",
        "nul.txt",
        "nul-heavy.txt",
    ],
)
def test_hostile_article_file_is_refused(
    one_article: RunCli, db_path: Path, tmp_path: Path, name: str
) -> None:
    path, needle = _hostile_files(tmp_path)[name]
    line = refused(one_article, db_path, ["import", str(path)], str(path), needle)
    assert line.count(str(path)) == 1


def test_fifty_megabyte_file_is_refused_before_reading(
    one_article: RunCli, db_path: Path, tmp_path: Path
) -> None:
    big = tmp_path / "huge.txt"
    line = "国际人工智能合作的现状与前景分析。" * 20 + "\n"
    with big.open("w", encoding="utf-8") as fh:
        fh.write(line * (50 * 1024 * 1024 // len(line.encode("utf-8")) + 1))
    assert big.stat().st_size >= 50 * 1024 * 1024
    refused(one_article, db_path, ["import", str(big)], str(big), "too large")


def test_bad_file_in_a_batch_imports_nothing(
    one_article: RunCli, db_path: Path, tmp_path: Path
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "a-good.txt").write_text("一篇很好的文章。内容完整而且清楚。\n", encoding="utf-8")
    (batch / "b-bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (batch / "c-good.txt").write_text("另一篇文章。也很完整。\n", encoding="utf-8")
    refused(one_article, db_path, ["import", str(batch)], "b-bad.txt", "PNG")


def test_short_big5_decodes_exactly_or_is_refused(
    one_article: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """Twelve Big5 characters: too short for detectors, a classic mojibake source."""
    path = tmp_path / "short-big5.txt"
    path.write_bytes(BIG5_TWELVE.encode("big5"))
    assert len(BIG5_TWELVE) == 12
    before = dump(db_path)
    result = one_article("import", "--json", str(path))
    if result.code != 0:
        assert_one_error_line(result.err, str(path))
        assert dump(db_path) == before
        return
    item = result.json()[0]
    assert item["encoding"] == "big5"
    shown = one_article("show", item["ref"])
    # Whatever the cleaner does, the characters must be the ones written.
    assert shown.out.strip() == BIG5_TWELVE


@pytest.mark.parametrize(
    "text",
    ["美國與日本的科技合作關係", "這是一個測試檔案內容而已", "我們應該加強兩國之間合作"],
)
@pytest.mark.parametrize("encoding", ["big5", "gb18030"])
def test_short_legacy_cjk_never_mojibake(
    one_article: RunCli, db_path: Path, tmp_path: Path, text: str, encoding: str
) -> None:
    path = tmp_path / f"short-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    result = one_article("import", "--json", str(path))
    if result.code != 0:
        assert_one_error_line(result.err, str(path))
        return
    shown = one_article("show", result.json()[0]["ref"])
    assert shown.out.strip() == text


def test_mixed_line_endings_are_normalised_once(one_article: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(
        "第一段落的内容。\r\n第二段落的内容。\n第三段落的内容。\r第四段落的内容。\r\n".encode()
    )
    result = one_article("import", "--json", str(path))
    assert result.code == 0, result.err
    shown = one_article("show", result.json()[0]["ref"]).out
    assert "\r" not in shown
    assert shown.split("\n")[:4] == [f"第{n}段落的内容。" for n in "一二三四"]


def test_missing_path_and_empty_directory(
    one_article: RunCli, db_path: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-article.txt"
    refused(one_article, db_path, ["import", str(missing)], str(missing), "no such file")
    empty = tmp_path / "nothing-here"
    (empty / "sub").mkdir(parents=True)
    # PDFs are articles now (issue 12); a picture or an OpenDocument file is not.
    (empty / "sub" / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (empty / "sub" / "paper.odt").write_bytes(b"PK\x03\x04")
    refused(one_article, db_path, ["import", str(empty)], str(empty), "no .txt or .md")


# -- the database location -------------------------------------------------------


def _can_chattr(folder: Path) -> bool:
    probe = folder / "chattr-probe"
    probe.mkdir()
    try:
        made = subprocess.run(["chattr", "+i", str(probe)], capture_output=True, check=False)
        if made.returncode != 0:
            return False
        subprocess.run(["chattr", "-i", str(probe)], check=True)
        return True
    except FileNotFoundError:
        return False
    finally:
        probe.rmdir()


@pytest.fixture
def make_read_only(tmp_path: Path) -> Iterator[list[Path]]:
    """Paths that ``_lock`` made read-only, made writable again afterwards.

    Restoring matters: pytest cannot clean an immutable temporary directory.
    """
    locked: list[Path] = []
    yield locked
    _unlock(locked)


def _unlock(locked: list[Path]) -> None:
    while locked:
        path = locked.pop()
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        else:
            path.chmod(0o755 if path.is_dir() else 0o644)


def _lock(paths: list[Path], locked: list[Path], tmp_path: Path) -> None:
    if os.geteuid() == 0:
        if not _can_chattr(tmp_path):
            pytest.skip("running as root without chattr: no way to make a read-only location")
        for path in paths:
            subprocess.run(["chattr", "+i", str(path)], check=True)
            locked.append(path)
    else:
        for path in paths:
            path.chmod(0o555 if path.is_dir() else 0o444)
            locked.append(path)


def test_new_database_in_read_only_folder(
    tmp_path: Path, make_read_only: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from claimmap.cli.main import main

    folder = tmp_path / "readonly"
    folder.mkdir()
    _lock([folder], make_read_only, tmp_path)
    db = folder / "new.db"
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db), "import", str(SEED_FILES[0])])
    assert exit_info.value.code == 1
    assert_one_error_line(capsys.readouterr().err, str(db), "read-only")
    assert not db.exists()


def test_existing_database_in_read_only_folder(
    tmp_path: Path, make_read_only: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from claimmap.cli.main import main

    folder = tmp_path / "readonly"
    folder.mkdir()
    db = folder / "claims.db"
    with pytest.raises(SystemExit):
        main(["--db", str(db), "import", str(SEED_FILES[0])])
    capsys.readouterr()
    before = dump(db)
    # A checkpointed database with no -wal/-shm: what a copied or archived file looks like.
    assert not (folder / "claims.db-wal").exists()
    _lock([db, folder], make_read_only, tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db), "annotate", "1", "--start", "0", "--end", "4", "--tag", "motive"])
    assert exit_info.value.code == 1
    assert_one_error_line(capsys.readouterr().err, str(db), "read-only")
    _unlock(make_read_only)  # SQLite cannot even read a WAL database it cannot add -shm to
    assert dump(db) == before


def _page_limit_connect(original: object) -> object:
    def connect(path: Path | str | None = None, *, memory: bool = False) -> Database:
        db = original(path, memory=memory)  # type: ignore[operator]
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        # Room for a few small writes but not for another article.
        db.execute(f"PRAGMA max_page_count = {pages + 3}")
        return db  # type: ignore[no-any-return]

    return connect


def test_full_database_simulated_with_max_page_count(
    one_article: RunCli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "connect", _page_limit_connect(connection.connect))
    line = refused(one_article, db_path, ["import", *map(str, SEED_FILES[1:3])], "full")
    assert str(db_path.resolve()) in line or str(db_path) in line


def test_full_disk_simulated_with_file_size_limit(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    first = run_cli_subprocess(db, "import", str(SEED_FILES[0]))
    assert first.returncode == 0, first.stderr
    before = dump(db)
    # RLIMIT_FSIZE caps every file this process writes: the WAL cannot pass 64 KiB,
    # far less than seed 002 needs (~130 KB of text alone).
    limit = 64 * 1024

    def small_disk() -> None:
        # Without ignoring SIGXFSZ the kernel kills the writer instead of failing write().
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = run_cli_subprocess(db, "import", str(SEED_FILES[2]), preexec=small_disk)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert_one_error_line(result.stderr, str(db), "disk")
    assert dump(db) == before
    check = run_cli_subprocess(db, "check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_not_an_sqlite_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from claimmap.cli.main import main

    for name, content in (
        ("notes.db", b"just some notes\n"),
        ("photo.db", b"\x89PNG\r\n\x1a\n" + bytes(200)),
    ):
        fake = tmp_path / name
        fake.write_bytes(content)
        with pytest.raises(SystemExit) as exit_info:
            main(["--db", str(fake), "articles"])
        assert exit_info.value.code == 1
        assert_one_error_line(capsys.readouterr().err, str(fake), "not an SQLite file")
        assert fake.read_bytes() == content


def test_sqlite_file_of_another_application(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from claimmap.cli.main import main

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = dump(other)
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(other), "import", str(SEED_FILES[0])])
    assert exit_info.value.code == 1
    assert_one_error_line(capsys.readouterr().err, str(other), "not a claimmap database")
    assert dump(other) == before


def test_database_from_a_newer_schema(one_article: RunCli, db_path: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future', 'x')")
    conn.commit()
    conn.close()
    before = dump(db_path)
    result = one_article("import", str(SEED_FILES[1]))
    assert result.code == 1
    assert_one_error_line(result.err, str(db_path), "newer")
    assert dump(db_path) == before
    # Refused before any backup: no copy of a database we do not understand.
    assert not (tmp_path / f"{db_path.name}.backups").exists()


def test_truncated_database_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A database cut short (a failed copy): refused with a message, never a traceback."""
    from claimmap.cli.main import main

    good = tmp_path / "good.db"
    with pytest.raises(SystemExit):
        main(["--db", str(good), "import", str(SEED_FILES[0])])
    capsys.readouterr()
    cut = tmp_path / "cut.db"
    shutil.copyfile(good, cut)
    with cut.open("r+b") as fh:
        fh.truncate(4096 + 100)
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(cut), "articles"])
    assert exit_info.value.code == 1
    assert_one_error_line(capsys.readouterr().err, str(cut))


def test_pinyin_leak_after_a_character_without_reading(one_article: RunCli, tmp_path: Path) -> None:
    """Found by bench_fuzz: pypinyin knows no reading for some Han characters
    (CJK extensions, rare ones), and the leak repair crashed on them."""
    path = tmp_path / "rare.txt"
    leak = "產業(yè)發展(fā)，" * 4
    path.write_text(f"{leak}𠀀(yè)㑭(yè)。\n正文内容在这里。\n", encoding="utf-8")
    result = one_article("import", "--json", str(path))
    assert result.code == 0, result.err
    shown = one_article("show", result.json()[0]["ref"]).out
    assert "𠀀(yè)" in shown  # no reading, so nothing to repair: kept as written
