"""Export the argument map (Argdown, AIF, DOT) and import relations from AIF.

An export reads one snapshot and writes one file whole under its final name.
An AIF import is one write unit: every relation in the file is placed on the
spans its locutions quote, or nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sqlite_utils import Database

from claimmap.argument_graph import ArgumentMap
from claimmap.atomic_files import write_file
from claimmap.errors import ClaimmapError
from claimmap.exporters.aif import AifError, Locution, RelationRow, parse_aif, render_aif
from claimmap.exporters.argdown import render_argdown
from claimmap.exporters.dot import render_dot
from claimmap.safe_reading import BadJson, FileId, load_json, read_capped
from claimmap.services.analyst import current_annotator
from claimmap.services.argument_map import load_map
from claimmap.services.relations import insert_relation
from claimmap.store import write_unit
from claimmap.store.snapshot import read_snapshot

ArgumentFormat = Literal["argdown", "aif", "dot"]
ARGUMENT_FORMATS: tuple[ArgumentFormat, ...] = ("argdown", "aif", "dot")
MAX_AIF_BYTES = 256 * 2**20


def render_argument(
    db: Database, fmt: str, annotator: str | None = None
) -> tuple[bytes, ArgumentMap]:
    """The map in ``fmt``, of one analyst's relations if ``annotator`` is given."""
    with read_snapshot(db):
        graph = load_map(db, annotator)
        if fmt == "argdown":
            return render_argdown(graph).encode("utf-8"), graph
        if fmt == "dot":
            return render_dot(graph).encode("utf-8"), graph
        if fmt == "aif":
            return render_aif(graph, _relation_rows(db, annotator)), graph
    raise ClaimmapError(f"unknown argument format {fmt!r} (use {', '.join(ARGUMENT_FORMATS)})")


def _relation_rows(db: Database, annotator: str | None) -> list[RelationRow]:
    sql = "SELECT id, source, target, type, annotator, note, created_at FROM relations"
    params = [] if annotator is None else [annotator]
    if annotator is not None:
        sql += " WHERE annotator = ?"
    return [
        RelationRow(int(i), int(s), int(t), str(ty), str(who), note, str(stamp))
        for i, s, t, ty, who, note, stamp in db.conn.execute(sql + " ORDER BY id", params)
    ]


def argument_summary(fmt: str, path: str, graph: ArgumentMap) -> dict[str, object]:
    """The numbers a reader of the file should find."""
    return {
        "format": fmt,
        "path": str(path),
        "claims": len(graph.nodes),
        "claim_relations": len(graph.edges),
        "relations": graph.relation_count,
        "within_claim": graph.within_claim,
    }


def export_argument(
    db: Database, fmt: str, path: Path, annotator: str | None = None
) -> dict[str, object]:
    """Write the map to ``path`` whole; returns its summary."""
    data, graph = render_argument(db, fmt, annotator)
    write_file(path, data)
    return argument_summary(fmt, str(path), graph)


@dataclass
class AifImport:
    relations: int = 0
    already_present: int = 0
    created: list[int] = field(default_factory=list)


def _span_for(db: Database, loc: Locution, cache: dict[Locution, int]) -> int:
    if loc in cache:
        return cache[loc]
    rows = db.execute(
        "SELECT s.id, s.start FROM spans s JOIN articles a ON a.id = s.article_id "
        "WHERE a.ref = ? AND s.quote = ? ORDER BY s.start, s.id",
        [loc.article, loc.quote],
    ).fetchall()
    if not rows:
        raise ClaimmapError(
            f"no span of article {loc.article!r} quotes {loc.quote[:40]!r}; "
            "import the article and its annotations first"
        )
    # Several spans with the same words: the one at the recorded offset, else the first.
    chosen = next((r for r in rows if r[1] == loc.start), rows[0])
    cache[loc] = int(chosen[0])
    return cache[loc]


def import_aif(
    db: Database, path: Path, *, forbidden: frozenset[FileId] = frozenset()
) -> AifImport:
    raw = read_capped(
        path, MAX_AIF_BYTES, advice="an AIF map is never this large", forbidden=forbidden
    )
    try:
        relations = parse_aif(load_json(raw.decode("utf-8-sig")))
    except UnicodeDecodeError as exc:
        raise ClaimmapError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except (BadJson, AifError) as exc:
        raise ClaimmapError(f"{path}: {exc}") from None
    report = AifImport()
    me = current_annotator()
    with write_unit(db):
        cache: dict[Locution, int] = {}
        for rel in relations:
            source, target = _span_for(db, rel.source, cache), _span_for(db, rel.target, cache)
            who = rel.annotator or me
            exists = db.execute(
                "SELECT 1 FROM relations WHERE source = ? AND target = ? AND type = ? "
                "AND annotator = ?",
                [source, target, rel.type, who],
            ).fetchone()
            if exists is not None:
                report.already_present += 1
                continue
            try:
                new_id = insert_relation(db, source, target, rel.type, note=rel.note, annotator=who)
            except ClaimmapError as exc:
                raise ClaimmapError(f"{path}: node {rel.node}: {exc}") from None
            report.created.append(new_id)
            report.relations += 1
    return report
