"""``import_annotations``: which reader reads a file, then anchor and write, all or nothing.

Three phases, so a bad file leaves the database untouched:

1. parse and validate every annotation (no database writes); any malformed input
   raises ``ClaimmapError`` naming the file and line (or the XML element);
2. re-anchor each one on its article's current canonical text (``placing``);
3. write everything in one write unit.

A dry run does all three on an in-memory copy of the database (made through
SQLite's backup API), so its report is exactly what the import would do, and
the database itself is only read.

Input is distrusted (see ``safe_reading``, ``safe_zip``): only regular files are
read, reads are capped, JSON depth and numbers are bounded, dates are validated
and stored in claimmap's own UTC form (a date that is not a date-time refuses
the import like any other malformed field).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from sqlite_utils import Database

from claimmap.anchoring import Anchor
from claimmap.errors import ClaimmapError
from claimmap.safe_reading import file_kind
from claimmap.services.codebook import check_name
from claimmap.services.interchange.article_index import ArticleIndex
from claimmap.services.interchange.parsed import ImportReport, Parsed, ParsedCode
from claimmap.services.interchange.placing import anchor_all, check_keys, write
from claimmap.services.interchange.qdpx import parse_qdpx
from claimmap.services.interchange.w3c import JSONL_SUFFIXES, parse_w3c
from claimmap.store import write_unit
from claimmap.store.connection import connect


def _codebook(path: Path) -> Parsed:
    """A ``.qdc``: its codes, read by the codebook importer's reader."""
    # Imported here: codebook_files imports this package's code-tree walker.
    from claimmap.services.codebook_files import read_codebook

    _, entries, notices = read_codebook(path)
    return Parsed(
        format="qdc",
        codes=[ParsedCode(e.name, e.description, e.color) for e in entries],
        notices=notices,
    )


def _parse(path: Path, articles: ArticleIndex, default_tag: str | None) -> Parsed:
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise ClaimmapError(f"{path}: no such file or directory") from None
    except OSError as exc:
        raise ClaimmapError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
        raise ClaimmapError(f"{path}: not a regular file ({file_kind(mode)})")
    suffix = path.suffix.lower()
    if stat.S_ISREG(mode) and suffix == ".qdpx":
        return parse_qdpx(path, articles)
    if stat.S_ISREG(mode) and suffix == ".qdc":
        return _codebook(path)
    if stat.S_ISDIR(mode) or suffix in JSONL_SUFFIXES:
        return parse_w3c(path, articles, default_tag)
    raise ClaimmapError(
        f"{path}: unknown annotation file (expected .jsonl, .json, a directory of "
        ".jsonl files, .qdpx or .qdc)"
    )


def _scratch_copy(db: Database) -> Database:
    copy = connect(memory=True)
    db.conn.backup(copy.conn)
    return copy


def import_annotations(
    db: Database, path: Path, *, default_tag: str | None = None, dry_run: bool = False
) -> ImportReport:
    """Import W3C JSON/JSONL (a file or a directory), a ``.qdpx`` or a ``.qdc``.

    ``default_tag`` is the tag of W3C annotations that carry none.  With
    ``dry_run`` the database is only read; the report says what would happen.
    """
    return import_projects(db, [path], default_tag=default_tag, dry_run=dry_run)[0]


def import_projects(
    db: Database,
    paths: Sequence[Path],
    *,
    default_tag: str | None = None,
    dry_run: bool = False,
) -> list[ImportReport]:
    """Import several annotation files as one: all of them, or none (``claimmap
    import a.qdpx b.qdpx``)."""
    if default_tag is not None:
        try:
            default_tag = check_name(default_tag)
        except ClaimmapError as exc:
            raise ClaimmapError(f"--tag {default_tag!r}: {exc}") from None
    target = _scratch_copy(db) if dry_run else db
    try:
        # One index for all files: a source the first project brings is the
        # article of the same source in the next.
        articles = ArticleIndex(target)
        jobs = [_prepare(path, articles, default_tag, dry_run) for path in paths]
        with write_unit(target):
            for parsed, anchors, report in jobs:
                write(target, parsed, anchors, articles, report)
        return [report for _, _, report in jobs]
    finally:
        if dry_run:
            target.close()


def _prepare(
    path: Path, articles: ArticleIndex, default_tag: str | None, dry_run: bool
) -> tuple[Parsed, list[Anchor | None], ImportReport]:
    """Parse and anchor one file (no writes)."""
    parsed = _parse(path, articles, default_tag)
    check_keys(parsed.spans, parsed.links)
    report = ImportReport(
        format=parsed.format,
        path=str(path),
        annotations=len(parsed.spans),
        notices=list(parsed.notices),
        dry_run=dry_run,
    )
    return parsed, anchor_all(parsed, articles, report), report
