"""Hostile annotation files (issue "Trust"): deep nesting, huge numbers, nested
codes, FIFOs, devices and lying sizes.

Each is refused with one ``ClaimmapError`` (one ``error:`` line from the CLI)
naming the file, and the database is exactly as it was.  Cases that used to hang
(a FIFO) or eat memory (``/dev/zero``) run the real CLI in a subprocess with a
timeout and an address-space limit, so a regression fails instead of stalling
the suite or the machine.
"""

from __future__ import annotations

import io
import json
import os
import resource
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from exporters.corpus import build_corpus
from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.services import exporting
from claimmap.services.interchange import import_annotations
from claimmap.services.interchange import w3c as w3c_reader
from claimmap.store import open_db
from tests.helpers import assert_one_error_line, dump
from tests.reliability.helpers import run_cli_subprocess

from .test_interchange import _dump, _w3c_line

GOOD_ID = "urn:uuid:00000000-0000-4000-8000-000000000002"


def _refused(db: Database, path: Path, *needles: str) -> str:
    before = _dump(db)
    with pytest.raises(ClaimmapError) as info:
        import_annotations(db, path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message, message
    for needle in needles:
        assert needle in message, (needle, message)
    assert _dump(db) == before
    return message


# -- W3C JSONL ------------------------------------------------------------------


def test_deeply_nested_json_is_refused(tmp_path: Path) -> None:
    depth = 100_000
    deep = _w3c_line()
    line = json.dumps(deep)[:-1] + ', "extra": ' + "[" * depth + "]" * depth + "}"
    path = tmp_path / "deep.jsonl"
    path.write_text(json.dumps(_w3c_line(id=GOOD_ID)) + "\n" + line + "\n", "utf-8")
    message = _refused(build_corpus().db, path, "nested")
    assert message.startswith(f"{path}:2: ")


def test_deep_nesting_inside_a_selector_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text('{"type": "Annotation", "target": ' + '{"a": ' * 50_000 + "\n", "utf-8")
    _refused(build_corpus().db, path, "nested")


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path: Path) -> None:
    note = '[{"' * 100 + '\\"' + "]" * 3
    anno = _w3c_line(
        body=[
            {"type": "TextualBody", "purpose": "tagging", "value": "motive"},
            {"type": "TextualBody", "purpose": "commenting", "value": note},
        ],
        extra=[[[[[[[[[[["ten levels"]]]]]]]]]]],
    )
    path = tmp_path / "brackets.jsonl"
    path.write_text(json.dumps(anno) + "\n", "utf-8")
    db = build_corpus().db
    assert import_annotations(db, path).annotations == 1
    assert db.execute("SELECT count(*) FROM notes WHERE body = ?", [note]).fetchone()[0] == 1


def _position_line(start: Any, end: Any, exact: str = "不存在的话") -> str:
    """An annotation whose quote is nowhere in the text, so it would be stored orphaned."""
    selectors = [
        {"type": "TextQuoteSelector", "exact": exact},
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]
    anno = _w3c_line(target={"source": "urn:claimmap:article:gamma", "selector": selectors})
    return json.dumps(anno, ensure_ascii=False)


HUGE_NUMBERS: dict[str, tuple[str, str]] = {
    "5000 digits": (
        _position_line(0, 5).replace('"start": 0', '"start": ' + "7" * 5000),
        "too long",
    ),
    "5000-digit exponent-free float": (
        _position_line(0, 5).replace('"start": 0', '"start": 1' + "0" * 5000 + ".5"),
        "must be an integer",
    ),
    "2**63": (_position_line(2**63, 2**63 + 5), "out of range"),
    "2**64": (_position_line(2**64, 2**64 + 5), "out of range"),
    "above any article": (_position_line(2**40, 2**40 + 5), "out of range"),
    "huge negative": (_position_line(-(2**63) - 1, -(2**63) + 4), "out of range"),
}


@pytest.mark.parametrize("case", sorted(HUGE_NUMBERS))
def test_huge_numbers_are_refused_naming_the_annotation(tmp_path: Path, case: str) -> None:
    line, needle = HUGE_NUMBERS[case]
    path = tmp_path / "huge.jsonl"
    path.write_text(json.dumps(_w3c_line(id=GOOD_ID)) + "\n" + line + "\n", "utf-8")
    message = _refused(build_corpus().db, path, needle)
    assert message.startswith(f"{path}:2: ")
    if "digits" not in case:
        assert "urn:uuid:00000000-0000-4000-8000-000000000001" in message
    assert len(message) < 400  # the 5,000 digits are not echoed back


def test_in_range_position_of_an_older_text_still_reanchors_by_quote(tmp_path: Path) -> None:
    """A position past the current end is a hint from an older text, not an error."""
    path = tmp_path / "old.jsonl"
    path.write_text(_position_line(5000, 5005, exact="供应链安全") + "\n", "utf-8")
    report = import_annotations(build_corpus().db, path)
    assert report.annotations == 1 and report.orphaned == 0


def test_jsonl_cap_counts_bytes_read_not_st_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``/proc`` files are regular with ``st_size`` 0: only the bytes read tell."""
    proc = Path("/proc/self/maps")
    if not proc.exists() or proc.stat().st_size != 0:
        pytest.skip("needs Linux /proc")
    link = tmp_path / "maps.jsonl"
    link.symlink_to(proc)
    monkeypatch.setattr(w3c_reader, "MAX_JSONL_BYTES", 64)
    _refused(build_corpus().db, link, "larger than")


@pytest.mark.timeout(30)
def test_fifo_swapped_in_after_the_stat_is_refused_without_blocking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path is checked, then replaced by a FIFO before it is opened: the
    non-blocking open returns and ``fstat`` on the descriptor refuses it."""
    fifo = tmp_path / "swapped.jsonl"
    os.mkfifo(fifo)
    regular = tmp_path / "regular.jsonl"
    regular.write_text("{}\n", "utf-8")
    real_stat = os.stat

    def stat_as_before_the_swap(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        return real_stat(regular if Path(path) == fifo else path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat_as_before_the_swap)
    _refused(build_corpus().db, fifo, "not a regular file", "FIFO")


# -- REFI-QDA -------------------------------------------------------------------


def _qdpx_members(tmp_path: Path) -> dict[str, bytes]:
    corpus = build_corpus()
    exporting.export_annotations(corpus.db, "qdpx", tmp_path / "ok.qdpx")
    with zipfile.ZipFile(tmp_path / "ok.qdpx") as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _write_qdpx(path: Path, members: dict[str, bytes], modes: dict[str, int] | None = None) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.create_system = 3  # Unix: the high 16 bits of external_attr are st_mode
            info.external_attr = ((modes or {}).get(name, stat.S_IFREG | 0o644)) << 16
            zf.writestr(info, data)
    path.write_bytes(buf.getvalue())


def test_qdpx_with_deeply_nested_codes_is_refused(tmp_path: Path) -> None:
    members = _qdpx_members(tmp_path)
    depth = 5000
    nested = (
        "".join(
            f'<Code guid="00000000-0000-4000-8000-{i:012d}" name="c{i}" isCodable="true">'
            for i in range(depth)
        )
        + "</Code>" * depth
    )
    qde = members["project.qde"].decode("utf-8")
    assert "</Codes>" in qde
    members["project.qde"] = qde.replace("</Codes>", nested + "</Codes>", 1).encode("utf-8")
    path = tmp_path / "nested.qdpx"
    _write_qdpx(path, members)
    _refused(build_corpus().db, path, "nested")


def test_qdpx_code_nesting_within_the_limit_imports(tmp_path: Path) -> None:
    members = _qdpx_members(tmp_path)
    nested = (
        "".join(
            f'<Code guid="00000000-0000-4000-8000-{i:012d}" name="c{i}" isCodable="true">'
            for i in range(20)
        )
        + "</Code>" * 20
    )
    qde = members["project.qde"].decode("utf-8")
    members["project.qde"] = qde.replace("</Codes>", nested + "</Codes>", 1).encode("utf-8")
    path = tmp_path / "nested.qdpx"
    _write_qdpx(path, members)
    report = import_annotations(build_corpus().db, path)
    assert report.annotations == 14


@pytest.mark.parametrize("kind", ["fifo", "symlink", "char device", "socket"])
def test_qdpx_member_that_is_not_a_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    mode = {
        "fifo": stat.S_IFIFO,
        "symlink": stat.S_IFLNK,
        "char device": stat.S_IFCHR,
        "socket": stat.S_IFSOCK,
    }[kind]
    members = _qdpx_members(tmp_path)
    members["sources/extra.txt"] = b"/dev/zero"
    path = tmp_path / "odd.qdpx"
    _write_qdpx(path, members, {"sources/extra.txt": mode | 0o644})
    _refused(build_corpus().db, path, "sources/extra.txt", "not a regular file")


def test_qdpx_encrypted_member_is_refused_as_encrypted(tmp_path: Path) -> None:
    # It used to be called damaged, zipfile's RuntimeError text in brackets.
    path = tmp_path / "locked.qdpx"
    _write_qdpx(path, _qdpx_members(tmp_path))
    raw = bytearray(path.read_bytes())
    # General-purpose flag bit 0 (encrypted) of project.qde, in its local and
    # central headers.
    for header, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = raw.index(header)
        while b"project.qde" not in raw[at : at + 64]:
            at = raw.index(header, at + 1)
        raw[at + flag_at] |= 0x1
    path.write_bytes(bytes(raw))
    message = _refused(build_corpus().db, path)
    assert message == f"{path}: archive member 'project.qde' is encrypted"


def test_qdpx_start_position_with_many_digits_is_refused(tmp_path: Path) -> None:
    members = _qdpx_members(tmp_path)
    qde = members["project.qde"].decode("utf-8")
    members["project.qde"] = qde.replace(
        'startPosition="', 'startPosition="' + "9" * 5000, 1
    ).encode()
    path = tmp_path / "digits.qdpx"
    _write_qdpx(path, members)
    message = _refused(build_corpus().db, path, "startPosition", "PlainTextSelection")
    assert len(message) < 400


@pytest.mark.parametrize("value", ["+5", " 5", "5_0", "٥"])
def test_qdpx_positions_are_plain_digits(tmp_path: Path, value: str) -> None:
    members = _qdpx_members(tmp_path)
    qde = members["project.qde"].decode("utf-8")
    start = qde.index('startPosition="') + len('startPosition="')
    members["project.qde"] = (qde[:start] + value + qde[qde.index('"', start) :]).encode()
    path = tmp_path / "sign.qdpx"
    _write_qdpx(path, members)
    _refused(build_corpus().db, path, "startPosition")


# -- Files that are not regular files: the real CLI, with a timeout ------------------


@pytest.fixture
def file_db(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.db"
    db = open_db(path)
    build_corpus(db)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


def _limit_memory() -> None:
    # A reader that trusts st_size on /dev/zero would fill memory: fail fast instead.
    limit = 3 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _cli_refuses(db_path: Path, target: Path, *needles: str) -> None:
    before = dump(db_path)
    result = run_cli_subprocess(
        db_path, "import-annotations", str(target), timeout=60, preexec=_limit_memory
    )
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert_one_error_line(result.stderr, *needles)
    assert dump(db_path) == before


@pytest.mark.parametrize("suffix", [".jsonl", ".qdpx"])
def test_fifo_is_refused_without_blocking(file_db: Path, tmp_path: Path, suffix: str) -> None:
    fifo = tmp_path / f"pipe{suffix}"
    os.mkfifo(fifo)
    _cli_refuses(file_db, fifo, str(fifo), "not a regular file")


@pytest.mark.parametrize("suffix", [".jsonl", ".qdpx"])
def test_symlink_to_dev_zero_is_refused(file_db: Path, tmp_path: Path, suffix: str) -> None:
    link = tmp_path / f"zero{suffix}"
    link.symlink_to("/dev/zero")
    _cli_refuses(file_db, link, str(link), "not a regular file")


@pytest.mark.parametrize("odd", ["fifo", "dev-zero", "directory"])
def test_directory_holding_a_non_regular_jsonl_is_refused(
    file_db: Path, tmp_path: Path, odd: str
) -> None:
    folder = tmp_path / "w3c"
    folder.mkdir()
    (folder / "a.jsonl").write_text(json.dumps(_w3c_line(id=GOOD_ID)) + "\n", "utf-8")
    bad = folder / "b.jsonl"
    if odd == "fifo":
        os.mkfifo(bad)
    elif odd == "dev-zero":
        bad.symlink_to("/dev/zero")
    else:
        bad.mkdir()
    _cli_refuses(file_db, folder, str(bad), "not a regular file")
