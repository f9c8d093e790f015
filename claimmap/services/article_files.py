"""Finding article files to import, naming them, and reading them safely.

What the user names (files, directories, globs) becomes a list of files, each
with its *source*: the path relative to the import root (the directory given;
for a file, its name; for a glob, the glob's non-magic base directory).  That is
an article's identity, so ``2023/index.md`` and ``2024/index.md`` are two
articles.

Hostile inputs this module holds off:

* symlink loops: directories are walked with ``os.scandir``, each directory
  entered once by its ``(st_dev, st_ino)``; glob patterns are matched on that
  walk, never by ``glob.glob`` (which follows links into loops);
* non-regular files (a FIFO blocks a reader forever, ``/dev/zero`` never ends):
  refused after ``os.stat``, opened with ``O_NONBLOCK`` and confirmed with
  ``fstat``, read in bounded chunks;
* the database and its -wal/-shm/-journal: recognised by ``(st_dev, st_ino)``
  and never opened (``open()``/``close()`` of them drops this process's SQLite
  locks), skipped in folders and globs, refused when named;
* names that are not UTF-8: shown with the bytes escaped, refused as articles.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from claimmap.documents.readers import READERS
from claimmap.errors import ClaimmapError
from claimmap.safe_reading import FileId, read_capped

TEXT_SUFFIXES = (".txt", ".md")
# Documents (PDF, Word, web pages, EPUB) are read as bytes by their reader.
ARTICLE_SUFFIXES = (*TEXT_SUFFIXES, *READERS)
MAX_FILE_BYTES = 20 * 1024 * 1024
# A PDF or EPUB carries fonts and images beside its text: a book-length one is larger.
MAX_DOCUMENT_BYTES = 200 * 1024 * 1024
_MAGIC = frozenset("*?[")


@dataclass(frozen=True)
class Found:
    """One file to import."""

    path: Path
    source: str  # relative to the import root, "/"-separated: the article's identity

    @property
    def shown(self) -> str:
        return shown(self.path)


def shown(path: Path | str) -> str:
    """A path as printable text: bytes that are not UTF-8 shown as ``\\xff``.

    File names are bytes; Python carries undecodable ones as lone surrogates,
    which cannot be printed, stored in SQLite or written as JSON.
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def database_files(db_path: Path | None) -> frozenset[FileId]:
    """The identities of the database file and its companions that exist now."""
    if db_path is None:
        return frozenset()
    ids: set[FileId] = set()
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            st = os.stat(f"{db_path}{suffix}")
        except OSError:
            continue
        ids.add((st.st_dev, st.st_ino))
    return frozenset(ids)


def read_article_bytes(
    path: Path, *, forbidden: frozenset[FileId] = frozenset(), limit: int | None = None
) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (by default the limit
    for its kind: text or document), or ClaimmapError."""
    if limit is None:
        limit = MAX_DOCUMENT_BYTES if path.suffix.lower() in READERS else MAX_FILE_BYTES
    return read_capped(
        path, limit, advice="the limit per article", name=shown(path), forbidden=forbidden
    )


def check_name(found: Found) -> None:
    """Refuse a file name that is not UTF-8: it could not be stored or shown as itself."""
    try:
        os.fsencode(found.path).decode("utf-8")
    except UnicodeDecodeError:
        raise ClaimmapError(
            f"{found.shown}: the file name is not valid UTF-8; rename the file"
        ) from None


def expand_paths(paths: Sequence[str], skip: frozenset[FileId] = frozenset()) -> list[Found]:
    """Files, directories (recursive: text files and documents) and globs, in a stable order.

    Files in ``skip`` (the database and its companions) are left out of
    directories and globs; a file named directly is kept, for the reader to
    refuse with a message.
    """
    if not paths:
        raise ClaimmapError("give at least one file, directory or glob to import")
    found: list[tuple[Found, FileId]] = []
    for raw in paths:
        found.extend(_expand_one(raw, skip))
    unique: list[Found] = []
    seen: set[FileId] = set()
    for f, file_id in found:
        if file_id not in seen:
            seen.add(file_id)
            unique.append(f)
    return unique


def _expand_one(raw: str, skip: frozenset[FileId]) -> list[tuple[Found, FileId]]:
    path = Path(raw)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if _MAGIC & set(raw):
            return _glob(raw, skip)
        raise ClaimmapError(f"{shown(raw)}: no such file or directory") from None
    except OSError as exc:
        raise ClaimmapError(f"{shown(raw)}: cannot read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        files = [
            (Found(p, "/".join(parts)), file_id)
            for parts, p, file_id in _walk(path, None)
            if p.suffix.lower() in ARTICLE_SUFFIXES and file_id not in skip
        ]
        if not files:
            documents = ", ".join(READERS)
            raise ClaimmapError(
                f"{shown(raw)}: directory has no .txt or .md articles and no documents "
                f"({documents})"
            )
        return files
    return [(Found(path, path.name), (st.st_dev, st.st_ino))]


def _glob(raw: str, skip: frozenset[FileId]) -> list[tuple[Found, FileId]]:
    parts = Path(raw).parts
    cut = next(i for i, part in enumerate(parts) if _MAGIC & set(part))
    base, pattern = Path(*parts[:cut]) if cut else Path("."), parts[cut:]
    depth = None if "**" in pattern else len(pattern)
    matches: list[tuple[Found, FileId]] = []
    skipped = 0
    if base.is_dir():
        for rel, p, file_id in _walk(base, depth):
            if not _matches(rel, pattern):
                continue
            if file_id in skip:
                skipped += 1
            else:
                matches.append((Found(p, "/".join(rel)), file_id))
    if not matches:
        only = " but the claimmap database and its -wal/-shm/-journal" if skipped else ""
        raise ClaimmapError(f"{shown(raw)}: no file{only} matches this pattern")
    return matches


def _matches(parts: tuple[str, ...], pattern: tuple[str, ...]) -> bool:
    """glob's rules: ``**`` spans directories; wildcards do not match a leading dot."""
    if not pattern:
        return not parts
    head = pattern[0]
    if head == "**":
        return any(
            _matches(parts[i:], pattern[1:])
            for i in range(len(parts) + 1)
            if not any(p.startswith(".") for p in parts[:i])
        )
    if not parts or (parts[0].startswith(".") and not head.startswith(".")):
        return False
    return fnmatch.fnmatchcase(parts[0], head) and _matches(parts[1:], pattern[1:])


def _walk(root: Path, depth: int | None) -> Iterator[tuple[tuple[str, ...], Path, FileId]]:
    """Every non-directory under ``root`` as (relative parts, path, identity), sorted.

    Symlinks to directories are followed, but each directory is entered once
    (by ``(st_dev, st_ino)``): a link back up the tree is a loop, not a subtree.
    Links that lead nowhere (dangling, or to themselves) are not files: skipped.
    """
    st = os.stat(root)
    visited: set[FileId] = {(st.st_dev, st.st_ino)}

    def visit(folder: Path, rel: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Path, FileId]]:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: os.fsencode(e.name))
        except OSError as exc:
            raise ClaimmapError(
                f"{shown(folder)}: cannot list directory ({exc.strerror or exc})"
            ) from None
        for entry in entries:
            try:
                est = entry.stat()  # follows symlinks; never opens the file
            except OSError:
                continue
            file_id = (est.st_dev, est.st_ino)
            here = (*rel, shown(entry.name))
            if stat.S_ISDIR(est.st_mode):
                if (depth is None or len(here) < depth) and file_id not in visited:
                    visited.add(file_id)
                    yield from visit(Path(entry.path), here)
            else:
                yield here, Path(entry.path), file_id

    yield from visit(root, ())
