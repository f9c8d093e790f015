"""``annotate --from FILE.jsonl``: many spans in one call, one JSON object a line.

A line is ``{"article": ..., "quote": ... | "start": i, "end": j, "tags": [...],
"note": ..., "occurrence": n}`` (``note`` and ``occurrence`` optional; ``tags``
may be one string).  Blank lines are skipped.  Each line is annotated exactly as
``claimmap annotate`` would; the point is to pay the start-up once, not once per
span.

Two ways to commit: by default each line is its own write unit, so good lines
are stored and bad ones reported; with ``all_or_nothing`` the whole file is one
write unit, every line is still tried (so all bad lines are named at once), and
one bad line stores nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.models import AnnotateResult
from claimmap.safe_reading import BadJson, load_json
from claimmap.services.annotating import annotate_quote, annotate_range
from claimmap.services.article_files import database_files, read_article_bytes
from claimmap.store import write_unit

MAX_BATCH_BYTES = 64 * 1024 * 1024
_KEYS = frozenset({"article", "quote", "start", "end", "tags", "note", "occurrence"})


@dataclass(frozen=True)
class LineResult:
    """What became of one line of the batch."""

    line: int
    status: Literal["created", "merged", "error"]
    span: int | None = None
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    tags: list[str] = field(default_factory=list)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def read_batch(
    path: Path | None, stdin: bytes | None = None, *, db_path: Path | None = None
) -> list[tuple[int, str]]:
    """The numbered, non-blank lines of a batch file (``None``: the ``stdin`` bytes).

    A FIFO, device or directory is refused without being read (a FIFO would
    block forever, ``/dev/zero`` never ends); so is the database at ``db_path``
    or its -wal/-shm/-journal (opening them outside SQLite drops its locks).
    """
    forbidden = database_files(db_path)
    data = (
        stdin
        if path is None
        else read_article_bytes(path, forbidden=forbidden, limit=MAX_BATCH_BYTES)
    )
    name = "stdin" if path is None else str(path)
    try:
        text = (data or b"").decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ClaimmapError(f"{name}: not UTF-8 (byte {exc.start})") from None
    return [(n, line) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]


def _as_int(obj: dict[str, Any], key: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ClaimmapError(f'"{key}" must be an integer')
    return value


def _as_str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise ClaimmapError(f'"{key}" must be a string')
    return value


def _tags(obj: dict[str, Any]) -> list[str]:
    tags = obj.get("tags")
    if isinstance(tags, str):
        return [tags]
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) for t in tags):
        raise ClaimmapError('"tags" must be a tag name or a non-empty list of tag names')
    return tags


def _annotate_line(db: Database, raw: str, annotator: str | None) -> AnnotateResult:
    try:
        obj = load_json(raw)
    except BadJson as exc:
        raise ClaimmapError(str(exc)) from None
    if not isinstance(obj, dict):
        raise ClaimmapError("not a JSON object")
    unknown = sorted(set(obj) - _KEYS)
    if unknown:
        raise ClaimmapError(f"unknown key(s): {', '.join(unknown)}")
    article = _as_str(obj, "article")
    if not article:
        raise ClaimmapError('"article" is missing')
    tags = _tags(obj)
    quote, note = _as_str(obj, "quote"), _as_str(obj, "note")
    start, end, occurrence = _as_int(obj, "start"), _as_int(obj, "end"), _as_int(obj, "occurrence")
    if quote is not None:
        if start is not None or end is not None:
            raise ClaimmapError('give either "quote" or "start"/"end", not both')
        return annotate_quote(
            db, article, quote, tags, note=note, occurrence=occurrence, annotator=annotator
        )
    if start is None or end is None:
        raise ClaimmapError('give "quote", or both "start" and "end"')
    if occurrence is not None:
        raise ClaimmapError('"occurrence" goes with "quote"')
    return annotate_range(db, article, start, end, tags, note=note, annotator=annotator)


def _result(line: int, result: AnnotateResult) -> LineResult:
    return LineResult(
        line=line,
        status="merged" if result.merged else "created",
        span=result.id,
        start=result.start,
        end=result.end,
        quote=result.quote,
        tags=list(result.tags),
        warnings=list(result.warnings),
    )


def _run(db: Database, lines: Iterable[tuple[int, str]], annotator: str | None) -> list[LineResult]:
    results: list[LineResult] = []
    for number, raw in lines:
        try:
            results.append(_result(number, _annotate_line(db, raw, annotator)))
        except ClaimmapError as exc:
            results.append(LineResult(line=number, status="error", error=str(exc)))
    return results


def annotate_batch(
    db: Database,
    lines: Sequence[tuple[int, str]],
    *,
    all_or_nothing: bool = False,
    annotator: str | None = None,
) -> list[LineResult]:
    """Annotate every line; one result per line, in order.

    By default each line commits on its own (its own write unit, as
    ``annotate_quote`` does).  With ``all_or_nothing`` the lines run inside one
    write unit (each in a savepoint, so a failed line leaves no trace of itself);
    if any line failed, the unit is rolled back and ``ClaimmapError`` names every
    failed line.
    """
    if not all_or_nothing:
        return _run(db, lines, annotator)

    class _Failed(Exception):
        pass

    results: list[LineResult] = []
    try:
        with write_unit(db):
            results = _run(db, lines, annotator)
            if any(r.status == "error" for r in results):
                raise _Failed
    except _Failed:
        failed = [r for r in results if r.status == "error"]
        raise ClaimmapError(
            "\n".join(
                [f"line {r.line}: {r.error}" for r in failed]
                + [f"{len(failed)} of {len(results)} line(s) failed; nothing was stored"]
            )
        ) from None
    return results
