"""Fuzzing target for what ``claimmap import`` is pointed at: random file trees.

A tree is described as JSON (so a finding can be saved and replayed): entries
with names that may not be UTF-8, article files, FIFOs, links to ``/dev/zero``,
symlink loops (to an ancestor, to itself), links to the database, and the
database itself inside the tree under an article-like name.  ``check_import_tree``
builds it and imports it (a directory or a ``**`` glob, sometimes with
``--skip-bad``), and passes when the import either succeeds or refuses with a
``ClaimmapError`` whose lines all name a file printably, with the database
unchanged on refusal, within a time limit (a hang is a finding).
"""

from __future__ import annotations

import json
import os
import random
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from claimmap.errors import ClaimmapError
from claimmap.services.importing import import_paths
from claimmap.store import open_db
from tests.helpers import dump

# Name pieces as file-system strings: the surrogates are the bytes \xff and \xc3,
# which are not UTF-8 there (os.fsencode turns them back into those bytes).
NAME_PIECES = ["a", "論文", "index", "2023", "bad\udcff", "\udcc3(", " ", "-", ".hidden", "x"]
KINDS = ["file", "file", "file", "dir", "fifo", "devzero", "uplink", "selflink", "dblink"]
TEXTS = ["美日两国在人工智能领域的合作不断加深。\n", "", "\x00\x01\x02", "欧盟的立场。\n"]
TIME_LIMIT_S = 20


def random_tree(rng: random.Random) -> bytes:
    entries: list[dict[str, object]] = []
    dirs: list[list[str]] = [[]]
    for _ in range(rng.randint(1, 12)):
        kind = rng.choice(KINDS)
        name = "".join(rng.choice(NAME_PIECES) for _ in range(rng.randint(1, 3)))
        if kind in ("file", "fifo", "devzero", "selflink", "dblink"):
            name += rng.choice([".txt", ".md", ".TXT", ""])
        parent = rng.choice(dirs)
        entries.append({"path": [*parent, name], "kind": kind, "text": rng.choice(TEXTS)})
        if kind == "dir":
            dirs.append([*parent, name])
    description = {
        "entries": entries,
        "db_name": rng.choice(["claims.db", "corpus.txt", "notes.md"]),
        "glob": rng.random() < 0.4,
        "skip_bad": rng.random() < 0.3,
    }
    return json.dumps(description, ensure_ascii=True).encode()


def _bytes_path(root: Path, parts: list[str]) -> bytes:
    return os.path.join(os.fsencode(root), *(os.fsencode(p) for p in parts))


def _build(root: Path, entries: list[dict[str, object]], db_path: Path) -> None:
    for entry in entries:
        parts = [str(p) for p in entry["path"]]  # type: ignore[attr-defined]
        path = _bytes_path(root, parts)
        parent = os.path.dirname(path)
        if not os.path.isdir(parent) or os.path.lexists(path):
            continue  # its folder was a file or a link, or the name is taken: skip it
        kind = entry["kind"]
        if kind == "dir":
            os.mkdir(path)
        elif kind == "file":
            with open(path, "wb") as fh:
                fh.write(str(entry["text"]).encode("utf-8"))
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "devzero":
            os.symlink(b"/dev/zero", path)
        elif kind == "uplink":
            os.symlink(os.fsencode(root), path, target_is_directory=True)
        elif kind == "selflink":
            os.symlink(path, path)
        elif kind == "dblink":
            os.symlink(os.fsencode(db_path), path)


@contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    def expired(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"import did not finish in {seconds} s (a hang)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def check_import_tree(data: bytes) -> str:
    """Import a described tree; return "imported" or "refused", or raise on a finding."""
    description = json.loads(data)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "corpus"
        root.mkdir()
        db_path = root / str(description["db_name"])
        db = open_db(db_path)
        try:
            _build(root, description["entries"], db_path)
            target = f"{root}/**/*" if description["glob"] else str(root)
            before = dump(db_path)
            try:
                with _time_limit(TIME_LIMIT_S):
                    items = import_paths(db, [target], skip_bad=bool(description["skip_bad"]))
            except ClaimmapError as exc:
                for line in str(exc).splitlines():
                    line.encode("utf-8")  # printable: no lone surrogates
                    assert line.strip(), "an empty error line"
                assert dump(db_path) == before, "a refused import changed the database"
                return "refused"
            for item in items:
                item.model_dump_json().encode("utf-8")
                assert item.status in ("imported", "present", "error"), item.status
            return "imported"
        finally:
            db.close()
