"""The codebook: tags (codes) with a key and a colour."""

from __future__ import annotations

import re
import unicodedata

from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.models import Tag
from claimmap.store import write_unit
from claimmap.store.schema import RESERVED_KEYS

# Colours for analyst-added codes, chosen to stay distinct from the four defaults
# on dark and light terminals.
EXTRA_COLORS = ["#ef2929", "#06989a", "#f57900", "#e9b96e", "#729fcf", "#75507b", "#8ae234"]
_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
_NAME_RE = re.compile(r"^[^\s,][^,\n]{0,63}$")
# Controls (C0, DEL, C1: tab and NEL included), lone surrogates and the line and
# paragraph separators: no export format can carry them as they are (XML forbids
# most, brat and JSON Lines readers end a line at several).
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


def _refused_char(name: str) -> str | None:
    for ch in name:
        cp = ord(ch)
        noncharacter = 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE
        if noncharacter or unicodedata.category(ch) in _REFUSED_CATEGORIES:
            return ch
    return None


def check_key(key: str) -> None:
    """Refuse a code key that is not one character or that the app already uses."""
    if len(key) != 1 or key.isspace() or _refused_char(key):
        raise ClaimmapError(f"invalid key {key!r}: one character")
    if key in RESERVED_KEYS:
        free = "".join(
            sorted(set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") - RESERVED_KEYS)
        )
        raise ClaimmapError(
            f"key {key!r} is used by the annotator itself (moving, selecting or a command); "
            f"choose a free one: {free}"
        )


def list_tags(db: Database) -> list[Tag]:
    return [
        Tag(**r)
        for r in db.query("SELECT id, name, key, color, ordinal FROM tags ORDER BY ordinal, name")
    ]


def resolve_tag(db: Database, name_or_key: str) -> Tag:
    for tag in list_tags(db):
        if name_or_key in (tag.name, tag.key) or name_or_key.lower() == tag.name.lower():
            return tag
    known = ", ".join(t.name for t in list_tags(db))
    raise ClaimmapError(
        f"unknown tag {name_or_key!r} (codebook: {known}); add it with 'claimmap tags add NAME'"
    )


def add_tag(db: Database, name: str, key: str | None = None, color: str | None = None) -> Tag:
    name = name.strip()
    bad = _refused_char(name)
    if bad is not None:
        raise ClaimmapError(
            f"invalid tag name {name!r}: no control characters or line separators "
            f"(found U+{ord(bad):04X})"
        )
    if not _NAME_RE.match(name):
        raise ClaimmapError(f"invalid tag name {name!r}: 1-64 characters, no comma or newline")
    if key is not None:
        check_key(key)
    if color is not None and not _COLOR_RE.match(color):
        raise ClaimmapError(f"invalid colour {color!r}: use #rrggbb")
    with write_unit(db):
        existing = list_tags(db)
        if any(t.name.lower() == name.lower() for t in existing):
            raise ClaimmapError(f"tag {name!r} already exists")
        if key is not None and any(t.key == key for t in existing):
            raise ClaimmapError(f"key {key!r} is already used by another tag")
        ordinal = max((t.ordinal for t in existing), default=0) + 1
        if color is None:
            used = {t.color.lower() for t in existing}
            free = [c for c in EXTRA_COLORS if c not in used]
            color = free[0] if free else EXTRA_COLORS[len(existing) % len(EXTRA_COLORS)]
        db.execute(
            "INSERT INTO tags (name, key, color, ordinal) VALUES (?, ?, ?, ?)",
            [name, key, color, ordinal],
        )
    return resolve_tag(db, name)
