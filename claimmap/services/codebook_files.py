"""Codebook files: the codebook written to, and merged from, a ``.qdc`` or a JSON file.

``.qdc`` is the REFI-QDA codebook exchange format (``exporters.qdc``); the JSON
codebook (``{"format": "claimmap-codebook", "version": 1, "codes": [...]}``) also
carries each code's key.  Importing merges, all or nothing, in one write unit:

* a code not in the codebook is added with its description and colour, and the
  levels above it (``a/b`` needs ``a``) when the file lacks them;
* a code already here (same name, case ignored) keeps its id, key, colour and
  description, unless ``replace``: then the file's description (none clears it)
  and colour win, and its key if that is free.  Its parent follows from its name;
* a key the annotator uses for itself, or one another code holds, is dropped with
  a warning: the code is still added, reachable by its number and the picker.

The file is read the way annotation imports read theirs: regular files only,
never blocking, capped by the bytes actually read; XML without DTDs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree as SafeET
from sqlite_utils import Database

from claimmap.atomic_files import write_file
from claimmap.errors import ClaimmapError
from claimmap.exporters import qdc
from claimmap.models import Tag

# The safe readers of annotation imports, shared rather than copied.
from claimmap.safe_reading import BadJson, load_json, read_capped
from claimmap.services.codebook import (
    CodebookIndex,
    check_color,
    check_description,
    check_key,
    check_name,
    list_tags,
)
from claimmap.services.interchange.codes import walk_codes
from claimmap.store import write_unit

JSON_FORMAT = "claimmap-codebook"
JSON_VERSION = 1
# A codebook of thousands of codes with long descriptions is a few megabytes.
MAX_CODEBOOK_BYTES = 16 * 2**20
SUFFIXES = (".qdc", ".json")


@dataclass(frozen=True, slots=True)
class CodebookEntry:
    origin: str
    name: str
    description: str | None
    color: str | None
    key: str | None


@dataclass
class CodebookImport:
    path: str
    format: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ClaimmapError(
            f"{path}: unknown codebook file (expected .qdc, the REFI-QDA codebook, or .json)"
        )
    return suffix[1:]


def codebook_json(tags: list[Tag]) -> bytes:
    codes = [
        {
            "name": t.name,
            "parent": t.parent,
            "description": t.description,
            "key": t.key,
            "color": t.color,
        }
        for t in tags
    ]
    document = {"format": JSON_FORMAT, "version": JSON_VERSION, "codes": codes}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_codebook(db: Database, path: Path) -> dict[str, Any]:
    """Write the whole codebook to ``path`` (``.qdc`` or ``.json``), whole or not at all."""
    fmt = _format_of(path)
    tags = list_tags(db)
    if not tags:
        raise ClaimmapError("the codebook is empty; nothing to export")
    write_file(path, qdc.codebook_xml(tags) if fmt == "qdc" else codebook_json(tags))
    return {"path": str(path), "format": fmt, "codes": len(tags)}


def _rgb(value: str | None, origin: str, warnings: list[str]) -> str | None:
    """``#rrggbb``, ``#rgb`` widened to it, or None with a warning."""
    if value is None:
        return None
    if len(value) == 4 and value.startswith("#"):
        value = "#" + "".join(c * 2 for c in value[1:])
    try:
        check_color(value)
    except ClaimmapError:
        warnings.append(f"{origin}: colour {value!r} is not #rrggbb; a colour was chosen")
        return None
    return value.lower()


def _read_qdc(path: Path, raw: bytes, warnings: list[str]) -> list[CodebookEntry]:
    try:
        root = SafeET.fromstring(raw, forbid_dtd=True)
    except (ParseError, defusedxml.DefusedXmlException, LookupError, ValueError) as exc:
        raise ClaimmapError(f"{path}: refused ({type(exc).__name__}: {exc})") from None
    if root.tag != f"{{{qdc.NS}}}CodeBook":
        raise ClaimmapError(
            f"{path}: not a REFI-QDA codebook (root CodeBook in namespace {qdc.NS})"
        )
    entries: list[CodebookEntry] = []
    for codes_el in root.findall(f"{{{qdc.NS}}}Codes"):
        for code, full in walk_codes(codes_el, qdc.NS, path):
            origin = f"{path}: Code {full!r}"
            described = code.find(f"{{{qdc.NS}}}Description")
            text = described.text if described is not None else None
            color = _rgb(code.get("color"), origin, warnings)
            entries.append(CodebookEntry(origin, full, text, color, None))
    return entries


def _text_field(code: dict[str, Any], name: str, where: str) -> str | None:
    value = code.get(name)
    if value is not None and not isinstance(value, str):
        raise ClaimmapError(f"{where}: {name} must be a string or null")
    return value


def _read_json(path: Path, raw: bytes, warnings: list[str]) -> list[CodebookEntry]:
    try:
        document = load_json(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ClaimmapError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except BadJson as exc:
        raise ClaimmapError(f"{path}: {exc}") from None
    if not (
        isinstance(document, dict)
        and document.get("format") == JSON_FORMAT
        and isinstance(document.get("codes"), list)
    ):
        raise ClaimmapError(
            f'{path}: not a claimmap codebook (an object with "format": "{JSON_FORMAT}" '
            'and a "codes" list)'
        )
    entries: list[CodebookEntry] = []
    for number, code in enumerate(document["codes"], start=1):
        where = f"{path}: code {number}"
        if not isinstance(code, dict) or not isinstance(code.get("name"), str):
            raise ClaimmapError(f"{where}: needs a name")
        origin = f"{path}: code {code['name']!r}"
        color = _rgb(_text_field(code, "color", where), origin, warnings)
        entries.append(
            CodebookEntry(
                origin,
                code["name"],
                _text_field(code, "description", where),
                color,
                _text_field(code, "key", where),
            )
        )
    # Parents before children, whatever order the file lists them in.
    return sorted(entries, key=lambda e: e.name.count("/"))


def read_codebook(path: Path) -> tuple[str, list[CodebookEntry], list[str]]:
    """The file's format, its codes checked (names, descriptions), and warnings."""
    fmt = _format_of(path)
    raw = read_capped(path, MAX_CODEBOOK_BYTES, advice="a codebook is never this large")
    warnings: list[str] = []
    entries = (_read_qdc if fmt == "qdc" else _read_json)(path, raw, warnings)
    if not entries:
        raise ClaimmapError(f"{path}: no codes in this codebook")
    seen: set[str] = set()
    checked: list[CodebookEntry] = []
    for entry in entries:
        try:
            name = check_name(entry.name)
            description = check_description(entry.description)
        except ClaimmapError as exc:
            raise ClaimmapError(f"{entry.origin}: {exc}") from None
        if name.lower() in seen:
            raise ClaimmapError(f"{entry.origin}: the file names this code twice")
        seen.add(name.lower())
        checked.append(CodebookEntry(entry.origin, name, description, entry.color, entry.key))
    return fmt, checked, warnings


def _usable_key(entry: CodebookEntry, taken: set[str], warnings: list[str]) -> str | None:
    if entry.key is None:
        return None
    try:
        check_key(entry.key)
    except ClaimmapError as exc:
        warnings.append(f"{entry.origin}: key dropped: {exc}")
        return None
    if entry.key in taken:
        warnings.append(f"{entry.origin}: key {entry.key!r} dropped: another code has it")
        return None
    return entry.key


def import_codebook(db: Database, path: Path, *, replace: bool = False) -> CodebookImport:
    """Merge a codebook file into the codebook (see the module docstring); all or nothing."""
    fmt, entries, warnings = read_codebook(path)
    report = CodebookImport(path=str(path), format=fmt, warnings=warnings)
    with write_unit(db):
        book = CodebookIndex(db)
        for entry in entries:
            existing = book.get(entry.name)
            if existing is None:
                key = _usable_key(entry, book.keys, report.warnings)
                created: list[str] = []
                book.add(
                    entry.name,
                    key,
                    entry.color,
                    entry.description,
                    create_parents=True,
                    created=created,
                )
                report.added.extend(created)
                continue
            if not replace:
                report.unchanged.append(existing.name)
                continue
            key = existing.key
            if entry.key is not None and entry.key != existing.key:
                key = _usable_key(entry, book.keys, report.warnings) or existing.key
            color = entry.color or existing.color
            if (entry.description, color, key) == (
                existing.description,
                existing.color,
                existing.key,
            ):
                report.unchanged.append(existing.name)
                continue
            book.update(existing, entry.description, color, key)
            report.updated.append(existing.name)
    return report
