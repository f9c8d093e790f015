"""The package plumbing of Office Open XML files: parts and their relationships.

Kept apart from the Word reader so the reader is about WordprocessingML only.
"""

from __future__ import annotations

import posixpath

from claimmap.documents.archive import Archive
from claimmap.documents.xml_parts import attr, local, parse_xml


def relationships(archive: Archive, part: str) -> list[tuple[str, str]]:
    """(type's last path segment, target part) for each internal relationship of ``part``.

    ``part`` is "" for the package's own relationships (``_rels/.rels``).
    """
    folder, _, name = part.rpartition("/")
    rels_part = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    if not archive.has(rels_part):
        return []
    found: list[tuple[str, str]] = []
    for rel in parse_xml(archive, rels_part):
        if local(rel.tag) != "Relationship" or (attr(rel, "TargetMode") or "") == "External":
            continue
        kind = (attr(rel, "Type") or "").rstrip("/").rpartition("/")[2]
        target = attr(rel, "Target") or ""
        if not target:
            continue
        if target.startswith("/"):
            resolved = target.lstrip("/")
        else:
            resolved = posixpath.normpath(posixpath.join(folder, target))
        found.append((kind, resolved))
    return found


def first_target(rels: list[tuple[str, str]], kind: str) -> str | None:
    return next((target for rel_kind, target in rels if rel_kind == kind), None)
