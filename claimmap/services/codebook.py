"""The codebook: tags (codes) with a key, a colour, a description and a parent.

A code's name is its whole path: ``limitation/technical`` is the child of
``limitation``, so ``--tag limitation/technical`` names it everywhere and the
``/`` in a name always means a level.  ``parent_id`` records the level above so
the tree cannot point at a code that is not there.  The analyst adds a child only
under an existing parent; imports (annotations, codebook files) create missing
levels as plain codes and say so.
"""

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
# Long enough for a paragraph of coding guidance; a description is not a memo.
MAX_DESCRIPTION = 4000
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
        for r in db.query(
            "SELECT t.id, t.name, t.key, t.color, t.ordinal, t.description, p.name AS parent "
            "FROM tags t LEFT JOIN tags p ON p.id = t.parent_id ORDER BY t.ordinal, t.name"
        )
    ]


def resolve_tag(db: Database, name_or_key: str) -> Tag:
    for tag in list_tags(db):
        if name_or_key in (tag.name, tag.key) or name_or_key.lower() == tag.name.lower():
            return tag
    known = ", ".join(t.name for t in list_tags(db))
    raise ClaimmapError(
        f"unknown tag {name_or_key!r} (codebook: {known}); add it with 'claimmap tags add NAME'"
    )


def check_name(name: str) -> str:
    """The name stripped, or an error: 1-64 characters, no comma, no control
    characters, and no empty or space-padded level between slashes."""
    name = name.strip()
    bad = _refused_char(name)
    if bad is not None:
        raise ClaimmapError(
            f"invalid tag name {name!r}: no control characters or line separators "
            f"(found U+{ord(bad):04X})"
        )
    if not _NAME_RE.match(name):
        raise ClaimmapError(f"invalid tag name {name!r}: 1-64 characters, no comma or newline")
    if any(not part or part != part.strip() for part in name.split("/")):
        raise ClaimmapError(
            f"invalid tag name {name!r}: '/' separates a code from its parent "
            "(limitation/technical); no empty level"
        )
    return name


def check_description(text: str | None) -> str | None:
    """The description stripped (None when empty).  Line breaks and other controls
    are kept as typed: every export escapes or replaces what its format forbids."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    if any(unicodedata.category(ch) == "Cs" for ch in text):
        raise ClaimmapError("invalid description: it contains a lone surrogate")
    if len(text) > MAX_DESCRIPTION:
        raise ClaimmapError(
            f"description too long ({len(text)} characters; at most {MAX_DESCRIPTION})"
        )
    return text


def check_color(color: str) -> None:
    if not _COLOR_RE.match(color):
        raise ClaimmapError(f"invalid colour {color!r}: use #rrggbb")


def parent_name(name: str) -> str | None:
    head, slash, _ = name.rpartition("/")
    return head if slash else None


class CodebookIndex:
    """The codebook held in memory while one write unit adds many codes (an import
    of a thousand-code codebook): read once, not once per code.  Call it inside
    ``write_unit``; every change goes to the database and to the index."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.by_name = {t.name.lower(): t for t in list_tags(db)}
        self.keys = {t.key for t in self.by_name.values() if t.key}
        self.colors = {t.color.lower() for t in self.by_name.values()}
        self.ordinal = max((t.ordinal for t in self.by_name.values()), default=0)

    def get(self, name: str) -> Tag | None:
        return self.by_name.get(name.lower())

    def _free_color(self) -> str:
        free = [c for c in EXTRA_COLORS if c not in self.colors]
        return free[0] if free else EXTRA_COLORS[len(self.by_name) % len(EXTRA_COLORS)]

    def add(
        self,
        name: str,
        key: str | None = None,
        color: str | None = None,
        description: str | None = None,
        *,
        create_parents: bool = False,
        created: list[str] | None = None,
    ) -> Tag:
        """See ``add_tag``."""
        name = check_name(name)
        if key is not None:
            check_key(key)
        if color is not None:
            check_color(color)
        description = check_description(description)
        if name.lower() in self.by_name:
            raise ClaimmapError(f"tag {name!r} already exists")
        if key is not None and key in self.keys:
            raise ClaimmapError(f"key {key!r} is already used by another tag")
        parent_tag: Tag | None = None
        parent = parent_name(name)
        if parent is not None:
            parent_tag = self.get(parent)
            if parent_tag is None and create_parents:
                parent_tag = self.add(parent, create_parents=True, created=created)
            if parent_tag is None:
                raise ClaimmapError(
                    f"no code {parent!r} to put {name!r} under; add it first "
                    f"(claimmap tags add {parent!r})"
                )
            # The path spells its parent as the parent is spelled (case is ignored
            # when names are compared, so "Impact/policy" lands under "impact").
            name = f"{parent_tag.name}/{name.rpartition('/')[2]}"
        color = color or self._free_color()
        self.ordinal += 1
        cursor = self.db.execute(
            "INSERT INTO tags (name, key, color, ordinal, description, parent_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [name, key, color, self.ordinal, description, parent_tag.id if parent_tag else None],
        )
        tag = Tag(
            id=int(cursor.lastrowid or 0),
            name=name,
            key=key,
            color=color,
            ordinal=self.ordinal,
            description=description,
            parent=parent_tag.name if parent_tag else None,
        )
        self.by_name[name.lower()] = tag
        self.colors.add(color.lower())
        if key:
            self.keys.add(key)
        if created is not None:
            created.append(name)
        return tag

    def update(self, tag: Tag, description: str | None, color: str, key: str | None) -> Tag:
        """Set a code's description, colour and key (already checked)."""
        self.db.execute(
            "UPDATE tags SET description = ?, color = ?, key = ? WHERE id = ?",
            [description, color, key, tag.id],
        )
        if tag.key:
            self.keys.discard(tag.key)
        if key:
            self.keys.add(key)
        self.colors.add(color.lower())
        changed = tag.model_copy(update={"description": description, "color": color, "key": key})
        self.by_name[tag.name.lower()] = changed
        return changed


def add_tag(
    db: Database,
    name: str,
    key: str | None = None,
    color: str | None = None,
    description: str | None = None,
    *,
    create_parents: bool = False,
    created: list[str] | None = None,
) -> Tag:
    """Add ``name`` to the codebook.  Its parent (the path before the last ``/``)
    must exist, unless ``create_parents``: then missing levels are added as plain
    codes, their names appended to ``created`` (before ``name``'s own)."""
    with write_unit(db):
        return CodebookIndex(db).add(
            name, key, color, description, create_parents=create_parents, created=created
        )


def describe_tag(db: Database, name_or_key: str, text: str) -> Tag:
    """Set (or, with an empty ``text``, clear) a code's description."""
    description = check_description(text)
    with write_unit(db):
        tag = resolve_tag(db, name_or_key)
        db.execute("UPDATE tags SET description = ? WHERE id = ?", [description, tag.id])
    return resolve_tag(db, tag.name)
