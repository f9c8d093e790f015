"""``annotate --from FILE.jsonl``: one line per span, per-line or all-or-nothing commits."""

from __future__ import annotations

import io
import json
import os
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.helpers import dump

SEED_000 = "000_9f00d43fca9a4a2d"
SEED_003 = "003_9521e7cee6721ccd"


def _lines(*objects: object) -> str:
    return "".join(
        (o if isinstance(o, str) else json.dumps(o, ensure_ascii=False)) + "\n" for o in objects
    )


@pytest.fixture
def imported(cli: RunCli, seeds_dir: Path) -> RunCli:
    assert cli("import", str(seeds_dir)).code == 0
    return cli


GOOD_RANGE = {"article": SEED_000, "start": 0, "end": 4, "tags": ["motive"], "note": "n"}
GOOD_RANGE_2 = {"article": SEED_003, "start": 10, "end": 20, "tags": "impact"}
BAD_ARTICLE = {"article": "no-such", "quote": "x", "tags": ["motive"]}


def test_each_line_commits_on_its_own(imported: RunCli, tmp_path: Path) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text(_lines(GOOD_RANGE, BAD_ARTICLE, "", "{not json", GOOD_RANGE_2), "utf-8")
    result = imported("annotate", "--from", str(batch), "--json")
    assert result.code == 1
    rows = result.json()
    assert [(r["line"], r["status"]) for r in rows] == [
        (1, "created"),
        (2, "error"),
        (4, "error"),
        (5, "created"),
    ]
    assert "no-such" in rows[1]["error"]
    spans = imported("spans", "--json").json()
    assert sorted((s["start"], s["end"], s["tags"]) for s in spans) == [
        (0, 4, ["motive"]),
        (10, 20, ["impact"]),
    ]
    assert [s["note"] for s in spans if s["start"] == 0] == ["n"]


def test_text_output_names_failed_lines(imported: RunCli, tmp_path: Path) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text(_lines(GOOD_RANGE, BAD_ARTICLE), "utf-8")
    result = imported("annotate", "--from", str(batch))
    assert result.code == 1
    assert "line 1: created span" in result.out
    assert "error: line 2: no article matches 'no-such'" in result.err
    assert "Traceback" not in result.err


def test_all_or_nothing_stores_nothing_and_names_every_bad_line(
    imported: RunCli, tmp_path: Path, db_path: Path
) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text(
        _lines(GOOD_RANGE, BAD_ARTICLE, {"article": SEED_000, "start": 5, "end": 2, "tags": ["x"]}),
        "utf-8",
    )
    before = dump(db_path)
    result = imported("annotate", "--from", str(batch), "--all-or-nothing")
    assert result.code == 1
    errors = result.err.strip().splitlines()
    assert all(line.startswith("error: ") for line in errors), result.err
    assert errors[0].startswith("error: line 2: ")
    assert errors[1].startswith("error: line 3: ")
    assert "nothing was stored" in errors[-1]
    assert dump(db_path) == before


def test_all_or_nothing_stores_every_line_when_all_are_good(
    imported: RunCli, tmp_path: Path
) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text(_lines(GOOD_RANGE, GOOD_RANGE_2, GOOD_RANGE), "utf-8")
    result = imported("annotate", "--from", str(batch), "--all-or-nothing", "--json")
    assert result.code == 0, result.err
    assert [r["status"] for r in result.json()] == ["created", "created", "merged"]
    assert len(imported("spans", "--json").json()) == 2


def test_reads_stdin(imported: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _lines({"article": SEED_000, "start": 0, "end": 4, "tags": ["motive"]}).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    result = imported("annotate", "--from", "-", "--json")
    assert result.code == 0, result.err
    assert result.json()[0]["status"] == "created"


def test_refuses_a_fifo_without_blocking(imported: RunCli, tmp_path: Path) -> None:
    fifo = tmp_path / "batch.jsonl"
    os.mkfifo(fifo)
    done: list[int] = []
    worker = threading.Thread(
        target=lambda: done.append(imported("annotate", "--from", str(fifo)).code), daemon=True
    )
    worker.start()
    worker.join(timeout=20)
    if not done:  # unblock the reader before failing, so the test run can end
        with open(fifo, "wb"):
            pass
    assert done == [1]


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ({"article": SEED_000, "quote": "x", "start": 1, "end": 2, "tags": ["motive"]}, "not both"),
        ({"article": SEED_000, "start": 1, "tags": ["motive"]}, '"end"'),
        ({"article": SEED_000, "start": "1", "end": 2, "tags": ["motive"]}, "integer"),
        ({"article": SEED_000, "start": 0, "end": 2, "tags": []}, '"tags"'),
        ({"article": SEED_000, "start": 0, "end": 2, "tags": ["motive"], "tga": 1}, "tga"),
        ([1, 2], "not a JSON object"),
    ],
)
def test_bad_lines_say_what_is_wrong(
    imported: RunCli, tmp_path: Path, line: object, needle: str
) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text(_lines(line), "utf-8")
    result = imported("annotate", "--from", str(batch), "--json")
    assert result.code == 1
    assert needle in result.json()[0]["error"]


def test_from_refuses_single_span_options(imported: RunCli, tmp_path: Path) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text(_lines(GOOD_RANGE), "utf-8")
    result = imported("annotate", SEED_000, "--from", str(batch))
    assert result.code == 1
    assert result.err.startswith("error: --from")
    assert imported("annotate", SEED_000, "--start", "0", "--end", "3").err.startswith(
        "error: give at least one --tag"
    )


def test_refuses_the_database_itself(imported: RunCli, db_path: Path) -> None:
    result = imported("annotate", "--from", str(db_path))
    assert result.code == 1
    assert "this is the claimmap database" in result.err


def test_hostile_lines_are_error_lines_not_tracebacks(imported: RunCli, tmp_path: Path) -> None:
    """The same hardened JSON reading as import-annotations: deep nesting and numbers
    too long for int() are refused line by line, the good line still commits."""
    batch = tmp_path / "b.jsonl"
    deep = "[" * 100_000 + "]" * 100_000
    huge = f'{{"article": "{SEED_000}", "start": {"9" * 5000}, "end": 4, "tags": "m"}}'
    batch.write_text(_lines(deep, huge, GOOD_RANGE), "utf-8")
    result = imported("annotate", "--from", str(batch), "--json")
    assert result.code == 1, result.err
    rows = result.json()
    assert [(r["line"], r["status"]) for r in rows] == [(1, "error"), (2, "error"), (3, "created")]
    assert "nested more than" in rows[0]["error"]
    assert "number is too long" in rows[1]["error"]
