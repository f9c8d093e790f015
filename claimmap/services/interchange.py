"""Importing annotations from W3C Web Annotation JSONL and REFI-QDA ``.qdpx``.

Three phases, so a bad file leaves the database untouched:

1. parse and validate every annotation (no database writes); any malformed input
   raises ``ClaimmapError`` naming the file and line (or the XML element);
2. re-anchor each one on the article's *current* canonical text: the stored
   position if the quote is still there, else the quote ranked by prefix/suffix,
   else the match-key / fuzzy alignment of ``anchoring.reanchor``;
3. write everything in one write unit.

Orphan policy: an annotation that cannot be re-anchored is never attached to a
look-alike passage.  It is stored as an *orphaned* span (its quote, context and
old offsets kept, ``orphaned = 1``) so nothing the analyst made is lost, it shows
up in ``claimmap spans --orphaned`` for review, stays out of the matrix, and the
report lists each one.  Importing the same file again merges instead of
duplicating (same place, or for orphans the same quote and context).

Input is distrusted:

* only regular files are read: a FIFO would block the reader forever and a
  symlink to ``/dev/zero`` never ends, so the path is ``stat``-ed first and the
  opened descriptor ``fstat``-ed again (the path may be swapped in between), the
  open itself being non-blocking;
* reads are capped by the bytes actually read, never by ``st_size`` (``/proc``
  files say 0 and are not empty);
* JSON nested deeper than ``MAX_JSON_DEPTH`` (scanned before parsing), numbers
  too long to convert, offsets outside ``0..MAX_OFFSET`` and ``<Code>`` trees
  deeper than ``MAX_CODE_DEPTH`` are refused with the file, line and annotation
  named;
* dates are validated and stored in claimmap's own UTC form
  (``store.timestamps.parse_timestamp``); a date that is not a date-time refuses
  the import like any other malformed field (all or nothing: the analyst fixes
  the file rather than finding the import time silently put in its place);
* archives: member names that are absolute, contain ``..`` or backslashes, and
  members whose Unix mode says anything but a regular file or a directory
  (symlink, FIFO, device, socket) are refused, and the total and per-member
  uncompressed sizes and compression ratios are capped against zip bombs.  XML
  is parsed with defusedxml with DTDs forbidden (no entity expansion, no XXE).
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET
from sqlite_utils import Database

from claimmap.anchoring import Anchor, context, reanchor
from claimmap.errors import ClaimmapError
from claimmap.exporters import qdpx as qdpx_format
from claimmap.exporters.ids import ref_from_iri
from claimmap.models import RELATION_TYPES, Article
from claimmap.safe_reading import (
    BadJson,
    file_kind,
    load_json,
    open_regular,
    read_capped,
)
from claimmap.services.annotating import (
    default_annotator,
    insert_orphaned_span,
    insert_span,
    text_sha256,
)
from claimmap.services.claims import join_claims
from claimmap.services.codebook import add_tag, describe_tag, list_tags
from claimmap.services.linking import pair_scores
from claimmap.store import write_unit
from claimmap.store.articles import article_text, list_articles
from claimmap.store.clock import now
from claimmap.store.timestamps import parse_timestamp

MAX_JSONL_BYTES = 256 * 1024 * 1024
MAX_ZIP_MEMBERS = 100_000
MAX_ZIP_TOTAL = 512 * 1024 * 1024
MAX_ZIP_MEMBER = 128 * 1024 * 1024
MAX_ZIP_RATIO = 200
RATIO_CHECK_ABOVE = 1024 * 1024
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
# Far above any article claimmap imports (20 MB files), far below SQLite's 2**63.
MAX_OFFSET = 2**31 - 1
# Codebooks nest codes a handful of levels; thousands is an attack on the reader.
MAX_CODE_DEPTH = 64
# A W3C annotation nests five or six levels.  Checked before parsing, so the
# limit does not depend on the interpreter's recursion limit (which test runners
# raise, and past which the C decoder would overflow the C stack).
# Strings (whose brackets do not count) and brackets, for the depth scan.
# REFI-QDA positions as plain decimal digits; 10 digits cover MAX_OFFSET.
_QDPX_INT = re.compile(r"[0-9]{1,10}", re.ASCII)


@dataclass(slots=True)
class ParsedSpan:
    origin: str
    key: str
    article: Article
    start: int | None
    end: int | None
    exact: str
    prefix: str
    suffix: str
    tags: list[str]
    note: str | None
    label: str | None
    annotator: str
    created: str | None
    modified: str | None
    same_text: bool


@dataclass(slots=True)
class ParsedLink:
    """A claim link (same claim), or with ``relation`` set a relation: ``a`` then
    supports or attacks ``b``."""

    origin: str
    a: str
    b: str
    label: str | None
    created: str | None = None
    modified: str | None = None
    relation: str | None = None
    note: str | None = None
    annotator: str | None = None


@dataclass
class OrphanReport:
    origin: str
    article: str
    quote: str


@dataclass
class ImportReport:
    format: str
    path: str
    annotations: int = 0
    exact: int = 0
    moved: int = 0
    orphaned: int = 0
    merged: int = 0
    links: int = 0
    links_skipped_rejected: int = 0
    relations: int = 0
    tags_created: list[str] = field(default_factory=list)
    orphans: list[OrphanReport] = field(default_factory=list)


class _Bad(Exception):
    """A validation problem inside one annotation; the caller adds file and line."""


# ---------------------------------------------------------------------------
# W3C JSONL parsing


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise _Bad(f"{what} must be a string")
    return value


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad(f"{what} must be an integer")
    return value


def _iri(value: Any, what: str) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    if not isinstance(value, str) or not value:
        raise _Bad(f"{what} must be an IRI (a string or an object with an id)")
    return value


def _creator(value: Any) -> str | None:
    for item in _as_list(value):
        if isinstance(item, str) and item.strip():
            return item.strip()
        if isinstance(item, dict):
            for key in ("name", "nickname", "id"):
                if isinstance(item.get(key), str) and item[key].strip():
                    return str(item[key]).strip()
    return None


def _short(value: object) -> str:
    """A value for an error line, cut short: it came from an untrusted file."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:80] + "…"


def _offset(value: Any, what: str) -> int:
    number = _int(value, what)
    if not 0 <= number <= MAX_OFFSET:
        raise _Bad(f"{what} {_short(number)} is out of range (0-{MAX_OFFSET})")
    return number


def _stamp(value: Any, what: str) -> str | None:
    """A date as claimmap stores it, or None when the file gives none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise _Bad(f"{what} must be a date-time string, got {_short(value)}")
    try:
        return parse_timestamp(value.strip())
    except ValueError as exc:
        raise _Bad(f"{what}: {exc}") from None


class _Articles:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.by_ref = {a.ref: a for a in list_articles(db)}
        self.by_sha = {a.text_sha256: a for a in self.by_ref.values()}
        self._texts: dict[int, str] = {}

    def text(self, article: Article) -> str:
        if article.id not in self._texts:
            self._texts[article.id] = article_text(self.db, article.id)
        return self._texts[article.id]


def _parse_w3c_span(obj: dict[str, Any], articles: _Articles, origin: str) -> ParsedSpan:
    key = _iri(obj.get("id"), "id")
    targets = _as_list(obj.get("target"))
    if len(targets) != 1 or not isinstance(targets[0], dict):
        raise _Bad("target must be one object with a source and selectors")
    target = targets[0]
    source = _iri(target.get("source"), "target.source")
    ref = ref_from_iri(source)
    if ref is None or ref not in articles.by_ref:
        raise _Bad(f"target source {source!r} is not an article in this database")
    article = articles.by_ref[ref]
    quote_sel = pos_sel = None
    for sel in _as_list(target.get("selector")):
        if isinstance(sel, dict) and sel.get("type") == "TextQuoteSelector":
            quote_sel = sel
        elif isinstance(sel, dict) and sel.get("type") == "TextPositionSelector":
            pos_sel = sel
    if quote_sel is None and pos_sel is None:
        raise _Bad("target has no TextQuoteSelector or TextPositionSelector")
    start = end = None
    if pos_sel is not None:
        # With a quote, a position past the current end is a hint from an older
        # version of the text (re-anchoring goes by the quote); it still has to be
        # a number some text could have.
        start = _offset(pos_sel.get("start"), "TextPositionSelector.start")
        end = _offset(pos_sel.get("end"), "TextPositionSelector.end")
        if not 0 <= start < end:
            raise _Bad(f"TextPositionSelector range {start}-{end} is empty or negative")
    text = articles.text(article)
    if quote_sel is not None:
        exact = _str(quote_sel.get("exact"), "TextQuoteSelector.exact")
        if not exact:
            raise _Bad("TextQuoteSelector.exact is empty")
        prefix = _str(quote_sel.get("prefix", ""), "TextQuoteSelector.prefix")
        suffix = _str(quote_sel.get("suffix", ""), "TextQuoteSelector.suffix")
        if start is not None and end is not None and end - start != len(exact):
            raise _Bad(
                f"selectors disagree: position {start}-{end} spans {end - start} characters, "
                f"the quote {len(exact)}"
            )
    else:
        # Positions alone are all there is to go on: they must fit the current text.
        assert start is not None and end is not None
        if end > len(text):
            raise _Bad(
                f"offsets {start}-{end} are past the end of article {ref!r} "
                f"({len(text)} characters) and there is no quote to re-anchor by"
            )
        exact = text[start:end]
        prefix, suffix = context(text, start, end)
    tags: list[str] = []
    note = label = None
    for body in _as_list(obj.get("body")):
        if not isinstance(body, dict):
            continue
        purpose = body.get("purpose")
        value = body.get("value")
        if purpose == "tagging":
            tag = _str(value, "tagging body value").strip()
            if tag and tag not in tags:
                tags.append(tag)
        elif purpose == "commenting" and isinstance(value, str):
            note = value
        elif purpose == "identifying" and isinstance(value, str) and value.strip():
            label = value.strip()
    if not tags:
        raise _Bad("no body with purpose 'tagging': a span needs at least one tag")
    return ParsedSpan(
        origin=origin,
        key=key,
        article=article,
        start=start,
        end=end,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        tags=tags,
        note=note,
        label=label,
        annotator=_creator(obj.get("creator")) or default_annotator(),
        created=_stamp(obj.get("created"), "created"),
        modified=_stamp(obj.get("modified"), "modified"),
        same_text=start is not None,
    )


def _load_json(raw: str) -> Any:
    try:
        return load_json(raw)
    except BadJson as exc:
        raise _Bad(str(exc)) from None


def _parse_w3c_line(raw: str, articles: _Articles, origin: str) -> ParsedSpan | ParsedLink:
    obj = _load_json(raw)
    if not isinstance(obj, dict):
        raise _Bad("not a JSON object")
    if "Annotation" not in _as_list(obj.get("type")):
        raise _Bad("not a W3C annotation (type is not 'Annotation')")
    name = obj.get("id")
    try:
        return _parse_w3c_annotation(obj, articles, origin)
    except _Bad as exc:
        if isinstance(name, str) and name:
            raise _Bad(f"annotation {_short(name)}: {exc}") from None
        raise


def _parse_w3c_annotation(
    obj: dict[str, Any], articles: _Articles, origin: str
) -> ParsedSpan | ParsedLink:
    if "linking" in _as_list(obj.get("motivation")):
        targets = _as_list(obj.get("target"))
        bodies = _as_list(obj.get("body"))
        if len(targets) == 2:
            return _parse_w3c_relation(obj, targets, bodies, origin)
        if len(targets) != 1 or len(bodies) != 1:
            raise _Bad("a linking annotation needs one target and one body")
        return ParsedLink(
            origin,
            _iri(targets[0], "target"),
            _iri(bodies[0], "body"),
            None,
            _stamp(obj.get("created"), "created"),
            _stamp(obj.get("modified"), "modified"),
        )
    return _parse_w3c_span(obj, articles, origin)


def _parse_w3c_relation(
    obj: dict[str, Any], targets: list[Any], bodies: list[Any], origin: str
) -> ParsedLink:
    """A relation as ``exporters.w3c`` writes it: two targets (the span that argues,
    then the span it bears on) and a classifying body naming the type."""
    kinds = [
        b.get("value")
        for b in bodies
        if isinstance(b, dict) and "classifying" in _as_list(b.get("purpose"))
    ]
    if len(kinds) != 1 or kinds[0] not in RELATION_TYPES:
        raise _Bad(
            "a linking annotation with two targets is a relation: it needs one classifying "
            f"body, one of {', '.join(RELATION_TYPES)}"
        )
    notes = [
        _str(b.get("value"), "note")
        for b in bodies
        if isinstance(b, dict) and "commenting" in _as_list(b.get("purpose"))
    ]
    return ParsedLink(
        origin,
        _iri(targets[0], "target"),
        _iri(targets[1], "target"),
        None,
        _stamp(obj.get("created"), "created"),
        _stamp(obj.get("modified"), "modified"),
        relation=str(kinds[0]),
        note="\n".join(notes) or None,
        annotator=_creator(obj.get("creator")),
    )


def _jsonl_files(path: Path) -> list[Path]:
    if path.is_dir():
        # Every *.jsonl entry, whatever it is: a FIFO or device among them is
        # refused by name when read, never skipped in silence.
        files = sorted(p for p in path.iterdir() if p.suffix == ".jsonl")
        if not files:
            raise ClaimmapError(f"{path}: no .jsonl files in this directory")
        return files
    return [path]


def parse_w3c(path: Path, articles: _Articles) -> tuple[list[ParsedSpan], list[ParsedLink]]:
    spans: list[ParsedSpan] = []
    links: list[ParsedLink] = []
    for file in _jsonl_files(path):
        raw_bytes = read_capped(file, MAX_JSONL_BYTES, advice="split it")
        try:
            content = raw_bytes.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ClaimmapError(f"{file}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
        for number, raw in enumerate(content.split("\n"), start=1):
            if not raw.strip():
                continue
            origin = f"{file}:{number}"
            try:
                item = _parse_w3c_line(raw, articles, origin)
            except _Bad as exc:
                raise ClaimmapError(f"{origin}: {exc}") from None
            (spans if isinstance(item, ParsedSpan) else links).append(item)  # type: ignore[arg-type]
    return spans, links


# ---------------------------------------------------------------------------
# REFI-QDA parsing


def _safe_member_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return False
    parts = PurePosixPath(name).parts
    return not (parts and ":" in parts[0]) and ".." not in parts


# What a corrupt zip can raise from zipfile: bad headers, bad deflate streams,
# truncated data, unsupported compression, encrypted members, bad CRCs.
_ZIP_DAMAGE = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
)


def _member_kind(info: zipfile.ZipInfo) -> str | None:
    """What a member's Unix mode bits say it is, if not a regular file or directory.

    Bits 16-31 of ``external_attr`` are ``st_mode`` for archives made on Unix;
    elsewhere they are zero and say nothing.
    """
    mode = info.external_attr >> 16
    if stat.S_IFMT(mode) in (0, stat.S_IFREG, stat.S_IFDIR):
        return None
    return file_kind(mode)


def _open_zip(fh: BinaryIO, path: Path) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(fh)
    except _ZIP_DAMAGE as exc:
        raise ClaimmapError(f"{path}: not a readable .qdpx (zip) file ({exc})") from None
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        zf.close()
        raise ClaimmapError(f"{path}: refused, {len(infos)} archive members is too many")
    total = 0
    for info in infos:
        if not _safe_member_name(info.filename):
            zf.close()
            raise ClaimmapError(f"{path}: refused, unsafe member name {info.filename!r}")
        kind = _member_kind(info)
        if kind is not None:
            zf.close()
            raise ClaimmapError(
                f"{path}: refused, member {info.filename!r} is not a regular file ({kind})"
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if (
            info.file_size > MAX_ZIP_MEMBER
            or total > MAX_ZIP_TOTAL
            or (info.file_size > RATIO_CHECK_ABOVE and ratio > MAX_ZIP_RATIO)
        ):
            zf.close()
            raise ClaimmapError(
                f"{path}: refused, member {info.filename!r} would unpack to "
                f"{info.file_size} bytes (ratio {ratio:.0f}:1; looks like a zip bomb)"
            )
    return zf


def _read_member(zf: zipfile.ZipFile, name: str, path: Path) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise ClaimmapError(f"{path}: the archive has no {name!r}") from None
    # The declared size was checked; reading one byte more catches a lying header.
    try:
        with zf.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except _ZIP_DAMAGE as exc:
        raise ClaimmapError(f"{path}: damaged archive member {name!r} ({exc})") from None
    if len(data) > info.file_size:
        raise ClaimmapError(f"{path}: member {name!r} is larger than it declares")
    return data


def _children(el: Element, tag: str) -> list[Element]:
    return el.findall(f"{{{qdpx_format.NS}}}{tag}")


def _child_text(el: Element, tag: str) -> str | None:
    found = el.find(f"{{{qdpx_format.NS}}}{tag}")
    return found.text if found is not None and found.text is not None else None


def walk_codes(el: Element, ns: str, path: Path) -> Iterator[tuple[Element, str]]:
    """Every ``Code`` under ``el`` (in namespace ``ns``) with its whole path, a
    child's name being its parent's path, ``/``, its own name: claimmap's names for
    a hierarchy.  Parents come before their children; no recursion, and a tree
    deeper than ``MAX_CODE_DEPTH`` is refused."""
    stack = [(code, "", 1) for code in reversed(el.findall(f"{{{ns}}}Code"))]
    while stack:
        code, above, depth = stack.pop()
        if depth > MAX_CODE_DEPTH:
            raise ClaimmapError(
                f"{path}: Code {_short(code.get('name', ''))} is nested more than "
                f"{MAX_CODE_DEPTH} codes deep; refused"
            )
        name = code.get("name", "")
        full = f"{above}/{name}" if above else name
        yield code, full
        stack.extend((child, full, depth + 1) for child in reversed(code.findall(f"{{{ns}}}Code")))


def _codes(el: Element, out: dict[str, str], descriptions: dict[str, str], path: Path) -> None:
    """guid -> whole path for every code under ``el``; path -> description."""
    for code, full in walk_codes(el, qdpx_format.NS, path):
        out[code.get("guid", "")] = full
        description = _child_text(code, "Description")
        if description and description.strip():
            descriptions.setdefault(full, description)


def _qint(el: Element, attr: str, where: str) -> int:
    value = el.get(attr)
    if value is None or not _QDPX_INT.fullmatch(value):
        raise ClaimmapError(
            f"{where}: {attr} must be a non-negative integer of at most 10 digits, "
            f"got {_short(value)}"
        )
    return int(value)


def _qdate(el: Element, attr: str, where: str) -> str | None:
    try:
        return _stamp(el.get(attr), attr)
    except _Bad as exc:
        raise ClaimmapError(f"{where}: {exc}") from None


def parse_qdpx(
    path: Path, articles: _Articles, descriptions: dict[str, str] | None = None
) -> tuple[list[ParsedSpan], list[ParsedLink]]:
    """Spans and links of a ``.qdpx``; the codebook's descriptions (by a code's
    whole path) go into ``descriptions`` when given."""
    with open_regular(path) as fh, _open_zip(fh, path) as zf:
        raw = _read_member(zf, qdpx_format.PROJECT_FILE, path)
        try:
            root = SafeET.fromstring(raw, forbid_dtd=True)
        except (ParseError, defusedxml.DefusedXmlException, LookupError, ValueError) as exc:
            # LookupError: an XML declaration naming an unknown encoding (fuzz finding).
            raise ClaimmapError(
                f"{path}: project.qde refused ({type(exc).__name__}: {exc})"
            ) from None
        if root.tag != f"{{{qdpx_format.NS}}}Project":
            raise ClaimmapError(f"{path}: project.qde is not a REFI-QDA Project document")
        codes: dict[str, str] = {}
        if descriptions is None:
            descriptions = {}
        for book in _children(root, "CodeBook"):
            for codes_el in _children(book, "Codes"):
                _codes(codes_el, codes, descriptions, path)
        users = {
            u.get("guid", ""): u.get("name") or u.get("guid") or ""
            for ul in _children(root, "Users")
            for u in _children(ul, "User")
        }
        spans: list[ParsedSpan] = []
        for sources in _children(root, "Sources"):
            for src in _children(sources, "TextSource"):
                spans.extend(_parse_source(zf, path, src, codes, users, articles))
    # Notes by guid (a relation's note, written by its analyst).
    notes = {
        n.get("guid", ""): (
            _child_text(n, "PlainTextContent") or "",
            users.get(n.get("creatingUser", "")),
        )
        for notes_el in _children(root, "Notes")
        for n in _children(notes_el, "Note")
    }
    links: list[ParsedLink] = []
    for links_el in _children(root, "Links"):
        for link in _children(links_el, "Link"):
            where = f"{path}: Link {link.get('guid')}"
            a, b = link.get("originGUID"), link.get("targetGUID")
            if not a or not b:
                raise ClaimmapError(f"{where}: needs originGUID and targetGUID")
            name = link.get("name")
            if link.get("direction") == qdpx_format.RELATION_DIRECTION and name in RELATION_TYPES:
                # A Link carries no user: its note's author, else the origin
                # selection's analyst.
                texts, authors = [], []
                for ref in _children(link, "NoteRef"):
                    text, author = notes.get(ref.get("targetGUID", ""), ("", None))
                    texts.append(text)
                    authors.append(author)
                note = "\n".join(t for t in texts if t) or None
                who = next((x for x in authors if x), None)
                links.append(ParsedLink(where, a, b, None, relation=name, note=note, annotator=who))
                continue
            label = name if name and name != qdpx_format.DEFAULT_LINK_NAME else None
            links.append(ParsedLink(where, a, b, label))
    return spans, links


def _parse_source(
    zf: zipfile.ZipFile,
    path: Path,
    src: Element,
    codes: dict[str, str],
    users: dict[str, str],
    articles: _Articles,
) -> Iterator[ParsedSpan]:
    name = src.get("name") or src.get("guid") or "?"
    where = f"{path}: TextSource {name!r}"
    plain = src.get("plainTextPath")
    inline = _child_text(src, "PlainTextContent")
    if plain:
        if not plain.startswith(qdpx_format.INTERNAL):
            raise ClaimmapError(f"{where}: only internal:// sources are supported, got {plain!r}")
        member = qdpx_format.SOURCES_DIR + plain[len(qdpx_format.INTERNAL) :]
        if not _safe_member_name(member):
            raise ClaimmapError(f"{where}: unsafe source path {plain!r}")
        try:
            source_text = _read_member(zf, member, path).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ClaimmapError(f"{where}: source text is not UTF-8") from None
    elif inline is not None:
        source_text = inline
    else:
        raise ClaimmapError(f"{where}: has neither plainTextPath nor PlainTextContent")
    article = articles.by_ref.get(name) or articles.by_sha.get(text_sha256(source_text))
    if article is None:
        raise ClaimmapError(
            f"{where}: matches no article in the database (by ref or text); import it first"
        )
    same = articles.text(article) == source_text
    for sel in _children(src, "PlainTextSelection"):
        sw = f"{where}: PlainTextSelection {sel.get('guid')}"
        start, end = _qint(sel, "startPosition", sw), _qint(sel, "endPosition", sw)
        if not 0 <= start < end <= len(source_text):
            raise ClaimmapError(
                f"{sw}: range {start}-{end} is outside the source (0-{len(source_text)})"
            )
        tags = []
        for coding in _children(sel, "Coding"):
            for ref in _children(coding, "CodeRef"):
                target = ref.get("targetGUID", "")
                if target not in codes:
                    raise ClaimmapError(f"{sw}: codes with unknown code {target!r}")
                if codes[target] not in tags:
                    tags.append(codes[target])
        if not tags:
            raise ClaimmapError(f"{sw}: has no Coding; a span needs at least one code")
        prefix, suffix = context(source_text, start, end)
        user = sel.get("creatingUser")
        yield ParsedSpan(
            origin=sw,
            key=sel.get("guid", ""),
            article=article,
            start=start,
            end=end,
            exact=source_text[start:end],
            prefix=prefix,
            suffix=suffix,
            tags=tags,
            note=_child_text(sel, "Description"),
            label=None,
            annotator=users.get(user or "", user or "") or default_annotator(),
            created=_qdate(sel, "creationDateTime", sw),
            modified=_qdate(sel, "modifiedDateTime", sw),
            same_text=same,
        )


# ---------------------------------------------------------------------------
# Anchoring and writing


def _anchor(span: ParsedSpan, text: str) -> Anchor | None:
    if span.same_text and span.start is not None:
        return reanchor(
            text,
            quote=span.exact,
            prefix=span.prefix,
            suffix=span.suffix,
            old_start=span.start,
            same_text=True,
        )
    # Without a trusted position, rank the quote's occurrences by context alone.
    return reanchor(
        text,
        quote=span.exact,
        prefix=span.prefix,
        suffix=span.suffix,
        old_start=span.start or 0,
        same_text=False,
    )


def _check_keys(spans: Sequence[ParsedSpan], links: Sequence[ParsedLink]) -> None:
    seen: dict[str, str] = {}
    for span in spans:
        if span.key in seen:
            raise ClaimmapError(
                f"{span.origin}: annotation id {span.key!r} repeats {seen[span.key]}"
            )
        seen[span.key] = span.origin
    for link in links:
        for key in (link.a, link.b):
            if key not in seen:
                raise ClaimmapError(f"{link.origin}: links to unknown annotation {key!r}")


def _tag_ids(
    db: Database, names: Sequence[str], report: ImportReport, descriptions: dict[str, str]
) -> dict[str, int]:
    """Ids of the codes the spans use, creating the missing ones with the levels
    above them (``a/b`` needs ``a``) and the file's descriptions; codes already
    here are left as the analyst has them."""
    known = {t.name.lower(): t.id for t in list_tags(db)}
    # Names are compared without case, and a created level is spelled as its parent.
    described = {path.lower(): text for path, text in descriptions.items()}
    out: dict[str, int] = {}
    for name in names:
        if name.lower() not in known:
            created: list[str] = []
            try:
                add_tag(
                    db,
                    name,
                    description=described.get(name.lower()),
                    create_parents=True,
                    created=created,
                )
                for made in created:
                    if made.lower() in described:
                        describe_tag(db, made, described[made.lower()])
            except ClaimmapError as exc:
                raise ClaimmapError(f"{report.path}: code {_short(name)}: {exc}") from None
            report.tags_created.extend(created)
            known = {t.name.lower(): t.id for t in list_tags(db)}
        out[name] = known[name.lower()]
    return out


def _store_span(
    db: Database, span: ParsedSpan, anchor: Anchor | None, text: str, report: ImportReport
) -> int:
    if anchor is not None:
        row = db.execute(
            'SELECT id FROM spans WHERE article_id = ? AND start = ? AND "end" = ? AND orphaned = 0',
            [span.article.id, anchor.start, anchor.end],
        ).fetchone()
    else:
        row = db.execute(
            "SELECT id FROM spans WHERE article_id = ? AND orphaned = 1 AND quote = ? "
            "AND prefix = ? AND suffix = ?",
            [span.article.id, span.exact, span.prefix, span.suffix],
        ).fetchone()
    if row is not None:
        report.merged += 1
        return int(row[0])
    if anchor is not None:
        return insert_span(
            db,
            span.article.id,
            text,
            anchor.start,
            anchor.end,
            span.annotator,
            created=span.created,
            modified=span.modified,
        )
    return insert_orphaned_span(
        db,
        span.article.id,
        span.start if span.start is not None else 0,
        span.exact,
        span.prefix,
        span.suffix,
        span.annotator,
        created=span.created,
        modified=span.modified,
    )


def _ordered(x: int, y: int) -> tuple[int, int]:
    return (x, y) if x <= y else (y, x)


def _store_relations(
    db: Database,
    relations: Sequence[ParsedLink],
    ids: Mapping[str, int],
    annotators: Mapping[str, str],
    report: ImportReport,
) -> None:
    """Relations between the imported spans; one already here (same spans, type and
    analyst) is kept as it is, so a re-import adds nothing."""
    for rel in relations:
        source, target = ids[rel.a], ids[rel.b]
        if source == target:
            continue  # both ends re-anchored onto one span: nothing left to relate
        created = rel.created or now()
        cursor = db.execute(
            "INSERT INTO relations (source, target, type, annotator, note, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(source, target, type, annotator) DO NOTHING",
            [
                source,
                target,
                rel.relation,
                rel.annotator or annotators[rel.a],
                rel.note or None,
                created,
                rel.modified or created,
            ],
        )
        report.relations += cursor.rowcount


def _write(
    db: Database,
    spans: Sequence[ParsedSpan],
    anchors: Sequence[Anchor | None],
    links: Sequence[ParsedLink],
    articles: _Articles,
    report: ImportReport,
    descriptions: dict[str, str],
) -> None:
    with write_unit(db):
        names: list[str] = []
        for span in spans:
            names.extend(t for t in span.tags if t not in names)
        tag_ids = _tag_ids(db, names, report, descriptions)
        ids: dict[str, int] = {}
        for span, anchor in zip(spans, anchors, strict=True):
            span_id = _store_span(db, span, anchor, articles.text(span.article), report)
            ids[span.key] = span_id
            db.conn.executemany(
                "INSERT OR IGNORE INTO span_tags (span_id, tag_id) VALUES (?, ?)",
                [(span_id, tag_ids[t]) for t in span.tags],
            )
            if span.note and span.note.strip():
                # An imported note fills an empty one; it never overwrites the analyst's.
                db.execute(
                    "INSERT INTO notes (span_id, body, author, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(span_id) DO NOTHING",
                    [
                        span_id,
                        span.note,
                        span.annotator,
                        span.created or now(),
                        span.modified or span.created or now(),
                    ],
                )
        _store_relations(
            db,
            [k for k in links if k.relation is not None],
            ids,
            {span.key: span.annotator for span in spans},
            report,
        )
        links = [k for k in links if k.relation is None]
        # A confirmed link shows the linker's similarity of its spans, as one the
        # analyst accepted would, not a made-up 1.0 (scored with the imported spans).
        scores = pair_scores(
            db,
            sorted({_ordered(ids[k.a], ids[k.b]) for k in links if ids[k.a] != ids[k.b]}),
        )
        for link in links:
            a, b = _ordered(ids[link.a], ids[link.b])
            if a == b:
                continue
            existing = db.execute(
                "SELECT status FROM links WHERE a = ? AND b = ?", [a, b]
            ).fetchone()
            if existing is not None and existing[0] == "rejected":
                # The analyst rejected this pair here; an import does not overrule that.
                report.links_skipped_rejected += 1
                continue
            created = link.created or now()
            db.execute(
                "INSERT INTO links (a, b, score, status, method, created_at, updated_at) "
                "VALUES (?, ?, ?, 'confirmed', 'import', ?, ?) "
                "ON CONFLICT(a, b) DO UPDATE SET status = 'confirmed', updated_at = excluded.updated_at",
                [a, b, scores[(a, b)], created, link.modified or created],
            )
            claim = join_claims(db, a, b)
            report.links += 1
            if link.label:
                db.execute(
                    "UPDATE claims SET label = ? WHERE id = ? AND label IS NULL",
                    [link.label, claim],
                )
        for span in spans:
            if span.label:
                db.execute(
                    "UPDATE claims SET label = ? WHERE label IS NULL AND id = "
                    "(SELECT claim_id FROM spans WHERE id = ?)",
                    [span.label, ids[span.key]],
                )


def import_annotations(db: Database, path: Path) -> ImportReport:
    """Import W3C JSONL (a file or a directory of them) or a ``.qdpx``; all or nothing."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise ClaimmapError(f"{path}: no such file or directory") from None
    except OSError as exc:
        raise ClaimmapError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
        raise ClaimmapError(f"{path}: not a regular file ({file_kind(mode)})")
    articles = _Articles(db)
    descriptions: dict[str, str] = {}
    if stat.S_ISREG(mode) and path.suffix.lower() == ".qdpx":
        fmt = "qdpx"
        spans, links = parse_qdpx(path, articles, descriptions)
    elif stat.S_ISDIR(mode) or path.suffix.lower() in JSONL_SUFFIXES:
        fmt = "w3c"
        spans, links = parse_w3c(path, articles)
    else:
        raise ClaimmapError(
            f"{path}: unknown annotation file (expected .jsonl, a directory of them, or .qdpx)"
        )
    _check_keys(spans, links)
    report = ImportReport(format=fmt, path=str(path), annotations=len(spans))
    anchors: list[Anchor | None] = []
    for span in spans:
        text = articles.text(span.article)
        anchor = _anchor(span, text)
        anchors.append(anchor)
        if anchor is None:
            report.orphaned += 1
            report.orphans.append(OrphanReport(span.origin, span.article.ref, span.exact[:60]))
        elif anchor.method == "position" or (
            span.start is None and text[anchor.start : anchor.end] == span.exact
        ):
            report.exact += 1
        else:
            report.moved += 1
    _write(db, spans, anchors, links, articles, report, descriptions)
    return report
