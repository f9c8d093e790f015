"""REFI-QDA code trees (``.qdpx`` and ``.qdc`` alike) as claimmap's code paths."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

from claimmap.errors import ClaimmapError
from claimmap.services.codebook import check_color
from claimmap.services.interchange.parsed import short

# Codebooks nest codes a handful of levels; thousands is an attack on the reader.
MAX_CODE_DEPTH = 64


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
                f"{path}: Code {short(code.get('name', ''))} is nested more than "
                f"{MAX_CODE_DEPTH} codes deep; refused"
            )
        name = code.get("name", "")
        full = f"{above}/{name}" if above else name
        yield code, full
        stack.extend((child, full, depth + 1) for child in reversed(code.findall(f"{{{ns}}}Code")))


def rgb(value: str | None) -> str | None:
    """A code's colour as claimmap stores it (``#rrggbb``, lower case), or None
    when the file's value is not one (a colour is then chosen for the code)."""
    if value is None:
        return None
    value = value.strip()
    if len(value) == 4 and value.startswith("#"):
        value = "#" + "".join(c * 2 for c in value[1:])
    try:
        check_color(value)
    except ClaimmapError:
        return None
    return value.lower()
