"""Reading a file a user names, without hanging, without trusting its size.

A FIFO blocks a reader forever, ``/dev/zero`` never ends and reports size 0, a
device may act when opened, and a path can be swapped between a check and the
open.  So: ``stat`` first (a non-regular file is never opened at all), open with
``O_NONBLOCK`` (a FIFO swapped in since cannot block the open), ``fstat`` what
was opened, and read in chunks capped by the bytes actually read.  ``forbidden``
holds (st_dev, st_ino) identities that must never be opened (the database and
its -wal/-shm/-journal: opening and closing them outside SQLite drops this
process's locks).  Importers, annotation and codebook readers all read here.

``load_json`` parses untrusted JSON text the same careful way: a document nested
deeper than ``MAX_JSON_DEPTH`` is refused by a cheap scan before parsing (deep
nesting overflows the parser's recursion), and a number too long for ``int()``
is refused instead of escaping as a ValueError.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any, BinaryIO

from claimmap.errors import ClaimmapError

FileId = tuple[int, int]  # (st_dev, st_ino)
CHUNK = 1024 * 1024
MAX_JSON_DEPTH = 64
# A JSON string (so brackets inside it do not count) or one bracket.
_JSON_NESTING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]')

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symlink"),
)


def file_kind(mode: int) -> str:
    """What a non-regular ``st_mode`` is, in words."""
    return next((name for test, name in _KINDS if test(mode)), "not a plain file")


def open_regular(
    path: Path, name: str | None = None, *, forbidden: frozenset[FileId] = frozenset()
) -> BinaryIO:
    """``path`` opened for reading, if it is a regular file and not ``forbidden``;
    else ClaimmapError naming it as ``name`` (default: the path)."""
    name = name or str(path)
    try:
        st = os.stat(path)
        if (st.st_dev, st.st_ino) in forbidden:
            raise ClaimmapError(
                f"{name}: this is the claimmap database (or its -wal/-shm/-journal), not an article"
            )
        if not stat.S_ISREG(st.st_mode):
            raise ClaimmapError(f"{name}: not a regular file ({file_kind(st.st_mode)})")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY)
    except OSError as exc:
        raise ClaimmapError(f"{name}: cannot read ({exc.strerror or exc})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise ClaimmapError(f"{name}: not a regular file ({file_kind(mode)})")
    return os.fdopen(fd, "rb")


def read_capped(
    path: Path,
    limit: int,
    *,
    advice: str,
    name: str | None = None,
    forbidden: frozenset[FileId] = frozenset(),
) -> bytes:
    """The whole regular file, refused once more than ``limit`` bytes have been read
    (``advice`` ends that message: what the user can do about it)."""
    name = name or str(path)
    chunks: list[bytes] = []
    total = 0
    try:
        with open_regular(path, name, forbidden=forbidden) as fh:
            while chunk := fh.read(min(CHUNK, limit + 1 - total)):
                total += len(chunk)
                if total > limit:
                    raise ClaimmapError(
                        f"{name}: file too large: larger than {limit / 2**20:g} MB; {advice}"
                    )
                chunks.append(chunk)
    except OSError as exc:
        raise ClaimmapError(f"{name}: cannot read ({exc.strerror or exc})") from None
    return b"".join(chunks)


class BadJson(ValueError):
    """Untrusted JSON text that is not a document we will parse; the message says why."""


def _nested_too_deep(raw: str) -> bool:
    if raw.count("[") + raw.count("{") <= MAX_JSON_DEPTH:
        return False  # the usual document: too few brackets to be too deep
    depth = 0
    for token in _JSON_NESTING.finditer(raw):
        char = raw[token.start()]
        if char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        elif char in "]}":
            depth -= 1
    return False


def load_json(raw: str) -> Any:
    """``json.loads`` for text from outside; BadJson for anything it should refuse."""
    if _nested_too_deep(raw):
        raise BadJson(f"invalid JSON: nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BadJson(f"invalid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        # Only when called with the stack already nearly full: the scan above
        # bounds the depth of the document itself.
        raise BadJson("invalid JSON: nested too deeply") from None
    except ValueError as exc:
        # int() refuses more than sys.get_int_max_str_digits() digits.
        raise BadJson(f"invalid JSON: a number is too long ({exc})") from None
