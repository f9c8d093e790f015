"""Reading a sync folder: articles and other analysts' layers, checked line by line.

Files come from teammates through git, so they are read like any file from
outside: regular files only (never the database), capped in size, JSON through
the hardened loader, and every field checked.  A bad line stops the sync before
anything is stored, naming the file and line.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimmap.errors import ClaimmapError
from claimmap.exporters.ids import ref_from_iri
from claimmap.safe_reading import BadJson, FileId, load_json, read_capped
from claimmap.services.sync_files import (
    FORMAT,
    LINKS,
    ORPHANED,
    POSITION,
    RELATION_PURPOSE,
    RELATIONS,
    STATUS_PURPOSE,
)
from claimmap.store.timestamps import parse_timestamp

# An article of 200,000 characters is under 1 MB; a layer file holds one article's
# spans.  Far above anything real, far below what would exhaust memory.
MAX_FILE = 256 * 2**20
_ADVICE = "is this a claimmap sync folder?"


@dataclass(frozen=True, slots=True)
class SpanRecord:
    uid: str
    ref: str
    start: int
    end: int
    orphaned: bool
    quote: str
    prefix: str
    suffix: str
    tags: tuple[str, ...]
    note: str | None
    label: str | None
    created: str
    updated: str


@dataclass(frozen=True, slots=True)
class LinkRecord:
    a: str
    b: str
    status: str
    score: float
    method: str
    created: str
    updated: str


@dataclass(frozen=True, slots=True)
class RelationRecord:
    source: str
    target: str
    type: str
    note: str | None
    created: str
    updated: str


@dataclass
class Layer:
    annotator: str
    spans: list[SpanRecord]
    links: list[LinkRecord]
    relations: list[RelationRecord]


class _Bad(Exception):
    pass


# A span's created and modified times are often the same, and a batch of spans
# shares them: parse each distinct stamp once.
_parse_stamp = functools.lru_cache(maxsize=1 << 16)(parse_timestamp)


def _text(obj: dict[str, Any], key: str, *, optional: bool = False) -> Any:
    value = obj.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise _Bad(f"{key!r} must be a string")
    return value


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        raise _Bad(f"{what} must be an offset (a whole number from 0)")
    return value


def _stamp(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str):
        raise _Bad(f"{key!r} must be a date-time")
    try:
        return _parse_stamp(value)
    except ValueError as exc:
        raise _Bad(str(exc)) from None


def _uid(value: Any) -> str:
    if not isinstance(value, str) or not value.startswith("urn:uuid:"):
        raise _Bad("an id must be a urn:uuid: IRI")
    return value[len("urn:uuid:") :]


def _bodies(obj: dict[str, Any]) -> list[dict[str, Any]]:
    body = obj.get("body", [])
    bodies = body if isinstance(body, list) else [body]
    if not all(isinstance(b, dict) for b in bodies):
        raise _Bad("each body must be an object")
    return bodies


def _valued(bodies: list[dict[str, Any]], purpose: str) -> list[str]:
    values = [b.get("value") for b in bodies if b.get("purpose") == purpose]
    if not all(isinstance(v, str) for v in values):
        raise _Bad(f"a {purpose} body needs a string value")
    return [str(v) for v in values]


def _span(obj: dict[str, Any]) -> SpanRecord:
    target = obj.get("target")
    if not isinstance(target, dict):
        raise _Bad("a span's target must be an object")
    ref = ref_from_iri(_text(target, "source"))
    if ref is None:
        raise _Bad("a span's target source must be urn:claimmap:article:REF")
    selectors = target.get("selector")
    if not isinstance(selectors, list) or not all(isinstance(s, dict) for s in selectors):
        raise _Bad("a span's selector must be a list of objects")
    quote = next((s for s in selectors if s.get("type") == "TextQuoteSelector"), None)
    if quote is None:
        raise _Bad("a span needs a TextQuoteSelector")
    orphaned = obj.get(ORPHANED) is True
    where = obj.get(POSITION) if orphaned else None
    if where is None:
        where = next((s for s in selectors if s.get("type") == "TextPositionSelector"), None)
    if not isinstance(where, dict):
        raise _Bad("a span needs a TextPositionSelector")
    start, end = _int(where.get("start"), "start"), _int(where.get("end"), "end")
    if end <= start:
        raise _Bad("a span's end must come after its start")
    bodies = _bodies(obj)
    tags = _valued(bodies, "tagging")
    if not tags:
        raise _Bad("a span needs at least one tagging body")
    notes = _valued(bodies, "commenting")
    labels = _valued(bodies, "identifying")
    return SpanRecord(
        uid=_uid(obj.get("id")),
        ref=ref,
        start=start,
        end=end,
        orphaned=orphaned,
        quote=_text(quote, "exact"),
        prefix=_text(quote, "prefix", optional=True) or "",
        suffix=_text(quote, "suffix", optional=True) or "",
        tags=tuple(dict.fromkeys(tags)),
        note=notes[0] if notes else None,
        label=labels[0] if labels else None,
        created=_stamp(obj, "created"),
        updated=_stamp(obj, "modified"),
    )


def _pair(obj: dict[str, Any]) -> tuple[str, str]:
    target = obj.get("target")
    if not isinstance(target, list) or len(target) != 2:
        raise _Bad("a link or relation needs exactly two targets")
    return _uid(target[0]), _uid(target[1])


def _link(obj: dict[str, Any]) -> LinkRecord:
    a, b = _pair(obj)
    status = _valued(_bodies(obj), STATUS_PURPOSE)
    if len(status) != 1 or status[0] not in ("confirmed", "rejected"):
        raise _Bad("a link's status must be confirmed or rejected")
    score = obj.get("claimmap:score", 0.0)
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 100:
        raise _Bad("a link's score must be a number from 0 to 100")
    method = obj.get("claimmap:method", "manual")
    if not isinstance(method, str):
        raise _Bad("a link's method must be a string")
    return LinkRecord(
        a, b, status[0], float(score), method, _stamp(obj, "created"), _stamp(obj, "modified")
    )


def _relation(obj: dict[str, Any]) -> RelationRecord:
    source, target = _pair(obj)
    bodies = _bodies(obj)
    kind = _valued(bodies, RELATION_PURPOSE)
    if len(kind) != 1 or kind[0] not in ("claimmap:supports", "claimmap:attacks"):
        raise _Bad("a relation's kind must be claimmap:supports or claimmap:attacks")
    notes = _valued(bodies, "commenting")
    return RelationRecord(
        source,
        target,
        kind[0].removeprefix("claimmap:"),
        notes[0] if notes else None,
        _stamp(obj, "created"),
        _stamp(obj, "modified"),
    )


def read_text(path: Path, forbidden: frozenset[FileId]) -> str:
    raw = read_capped(path, MAX_FILE, advice=_ADVICE, forbidden=forbidden)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ClaimmapError(f"{path}: not UTF-8 text") from None


def _objects(path: Path, forbidden: frozenset[FileId]) -> list[tuple[int, dict[str, Any]]]:
    out: list[tuple[int, dict[str, Any]]] = []
    for number, raw in enumerate(read_text(path, forbidden).split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            obj = load_json(raw)
        except BadJson as exc:
            raise ClaimmapError(f"{path}: line {number}: {exc}") from None
        if not isinstance(obj, dict):
            raise ClaimmapError(f"{path}: line {number}: not a JSON object")
        out.append((number, obj))
    return out


def read_layer(folder: Path, annotator: str, forbidden: frozenset[FileId]) -> Layer:
    """Every annotation in one analyst's folder.  The folder names the layer: a
    line whose creator is someone else is refused (it would write into their layer)."""
    layer = Layer(annotator, [], [], [])
    for path in sorted(folder.glob("*.jsonl")):
        for number, obj in _objects(path, forbidden):
            try:
                creator = obj.get("creator")
                name = creator.get("name") if isinstance(creator, dict) else None
                if name != annotator:
                    raise _Bad(f"its creator is {name!r}, not the folder's analyst {annotator!r}")
                if path.name == LINKS:
                    layer.links.append(_link(obj))
                elif path.name == RELATIONS:
                    layer.relations.append(_relation(obj))
                else:
                    layer.spans.append(_span(obj))
            except _Bad as exc:
                raise ClaimmapError(f"{path}: line {number}: {exc}") from None
    return layer


_ARTICLE_TEXT = ("ref", "title", "source", "script", "encoding", "raw_sha256", "text_sha256")
_ARTICLE_OPTIONAL = ("source_path", "authors", "venue", "date", "url")


def read_article(path: Path, forbidden: frozenset[FileId]) -> dict[str, Any]:
    """An article file, its fields checked; the text must hash to its text_sha256."""
    try:
        obj = load_json(read_text(path, forbidden))
    except BadJson as exc:
        raise ClaimmapError(f"{path}: {exc}") from None
    try:
        if not isinstance(obj, dict) or obj.get("format") != FORMAT:
            raise _Bad(f"not a {FORMAT} file")
        for key in (*_ARTICLE_TEXT, "text"):
            _text(obj, key)
        for key in _ARTICLE_OPTIONAL:
            _text(obj, key, optional=True)
        text = str(obj["text"])
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != obj["text_sha256"]:
            raise _Bad("its text does not match its text_sha256")
        for name, fields in (("regions", ("kind",)), ("pages", ())):
            items = obj.get(name, [])
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise _Bad(f"{name!r} must be a list of objects")
            for item in items:
                for key in fields:
                    _text(item, key)
                start, end = _int(item.get("start"), "start"), _int(item.get("end"), "end")
                if not start <= end <= len(text):
                    raise _Bad(f"a {name[:-1]} lies outside the text")
    except _Bad as exc:
        raise ClaimmapError(f"{path}: {exc}") from None
    return obj
