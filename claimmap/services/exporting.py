"""Export use-cases: load what the exporters need from the database, call them, write files.

Reads only (no write unit): one consistent snapshot is taken by reading inside a
deferred transaction, so a concurrent writer cannot give a half-updated export.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlite_utils import Database

from claimmap.argument_graph import ArgumentMap
from claimmap.atomic_files import write_file as write_file
from claimmap.atomic_files import write_tree as write_tree
from claimmap.atomic_files import write_with as write_with
from claimmap.errors import ClaimmapError
from claimmap.exporters import (
    brat,
    csv_format,
    html_format,
    json_format,
    markdown_format,
    qdpx,
    w3c,
    xlsx_format,
)
from claimmap.exporters.framing import Framing, build_framing
from claimmap.exporters.matrix import CellMode, ClaimMatrix, LinkEdge, MatrixOptions, build_matrix
from claimmap.gc_paused import gc_paused
from claimmap.models import Article, Relation, Span, Tag
from claimmap.services.argument_map import load_map
from claimmap.services.codebook import list_tags, resolve_tag
from claimmap.services.relations import list_relations
from claimmap.store.articles import list_articles, resolve_article
from claimmap.store.pages import load_pages, page_at
from claimmap.store.snapshot import read_snapshot
from claimmap.store.span_listing import SPAN_FIELDS

MatrixFormat = Literal["csv", "xlsx", "md", "json", "html"]
FramingFormat = Literal["md", "json", "csv"]
AnnotationFormat = Literal["w3c", "brat", "qdpx"]
MATRIX_FORMATS: tuple[MatrixFormat, ...] = ("csv", "xlsx", "md", "json", "html")
FRAMING_FORMATS: tuple[FramingFormat, ...] = ("md", "json", "csv")
ANNOTATION_FORMATS: tuple[AnnotationFormat, ...] = ("w3c", "brat", "qdpx")
TEXT_FORMATS = frozenset({"csv", "md", "json", "html"})


@dataclass(frozen=True, slots=True)
class ExportData:
    articles: list[Article]
    spans: list[Span]
    tags: list[Tag]
    links: list[LinkEdge]
    confirmed: list[w3c.ExportLink]
    claim_labels: dict[int, str | None]
    relations: list[Relation] = field(default_factory=list)


def _can_construct_directly() -> bool:
    """True when ``Span.model_construct`` would only store the values (checked, not assumed)."""
    fields = Span.model_fields
    return (
        tuple(fields) == SPAN_FIELDS
        and all(f.alias is None and f.validation_alias is None for f in fields.values())
        and Span.model_config.get("extra") != "allow"
        and not Span.__pydantic_post_init__
        and not Span.__pydantic_root_model__
    )


_DIRECT = _can_construct_directly()
_new_span = Span.__new__
_set = object.__setattr__


def trusted_span(values: dict[str, Any]) -> Span:
    """``Span.model_construct(**values)`` for a complete set of field values, without its
    per-field bookkeeping (a third of an export's loading time)."""
    if not _DIRECT:
        return Span.model_construct(**values)
    span = _new_span(Span)
    _set(span, "__dict__", values)
    _set(span, "__pydantic_fields_set__", set(SPAN_FIELDS))
    _set(span, "__pydantic_extra__", None)
    _set(span, "__pydantic_private__", None)
    return span


def _all_spans(db: Database) -> list[Span]:
    """Every span, like ``query_spans(db)`` but in two flat queries.

    Exports read tens of thousands of spans straight from our own tables, so the
    rows are trusted and the models are built without re-validation.
    """
    tags: dict[int, list[str]] = {}
    for span_id, name in db.conn.execute(
        "SELECT st.span_id, t.name FROM span_tags st JOIN tags t ON t.id = st.tag_id "
        "ORDER BY st.span_id, t.ordinal, t.name"
    ):
        if span_id in tags:
            tags[span_id].append(name)
        else:
            tags[span_id] = [name]
    pages = load_pages(db)
    return [
        trusted_span(
            {
                "id": row[0],
                "article": row[1],
                "article_id": row[2],
                "start": row[3],
                "end": row[4],
                "quote": row[5],
                "prefix": row[6],
                "suffix": row[7],
                "tags": tags.get(row[0], []),
                "note": row[8],
                "annotator": row[9],
                "claim_id": row[10],
                "orphaned": bool(row[11]),
                "created_at": row[12],
                "updated_at": row[13],
                "page": page_at(pages.get(row[2]), row[3]),
            }
        )
        for row in db.conn.execute(
            'SELECT s.id, a.ref, s.article_id, s.start, s."end", s.quote, s.prefix, s.suffix, '
            "n.body, s.annotator, s.claim_id, s.orphaned, s.created_at, s.updated_at "
            "FROM spans s JOIN articles a ON a.id = s.article_id "
            "LEFT JOIN notes n ON n.span_id = s.id "
            'ORDER BY s.article_id, s.start, s."end", s.id'
        )
    ]


@gc_paused
def load(db: Database, annotator: str | None = None) -> ExportData:
    """Everything an export needs; ``annotator`` keeps one layer (``consensus``,
    after adjudication): its spans, and the links and relations between two of them."""
    with read_snapshot(db):
        links: list[LinkEdge] = []
        confirmed: list[w3c.ExportLink] = []
        for a, b, score, status, created, updated in db.execute(
            "SELECT a, b, score, status, created_at, updated_at FROM links "
            "WHERE status != 'rejected' ORDER BY a, b"
        ):
            links.append(LinkEdge(int(a), int(b), float(score), str(status)))
            if status == "confirmed":
                confirmed.append(w3c.ExportLink(int(a), int(b), str(created), str(updated)))
        spans = _all_spans(db)
        relations = list_relations(db)
        if annotator is not None:
            spans = [s for s in spans if s.annotator == annotator]
            kept = {s.id for s in spans}
            links = [e for e in links if e.a in kept and e.b in kept]
            confirmed = [e for e in confirmed if e.a in kept and e.b in kept]
            relations = [r for r in relations if r.source in kept and r.target in kept]
        return ExportData(
            articles=list_articles(db),
            spans=spans,
            tags=list_tags(db),
            links=links,
            confirmed=confirmed,
            claim_labels={int(i): lab for i, lab in db.execute("SELECT id, label FROM claims")},
            relations=relations,
        )


def load_texts(db: Database) -> dict[int, str]:
    return {int(i): str(t) for i, t in db.execute("SELECT id, text FROM articles ORDER BY id")}


def matrix_options(
    db: Database,
    *,
    tag: str | None = None,
    articles: Sequence[str] | None = None,
    min_coverage: int = 1,
    cells: CellMode = "quote",
    include_suggested: float | None = None,
) -> MatrixOptions:
    """Options with the analyst's references resolved (tag keys, article ids or titles)."""
    # Link scores are 0-100 (as ``link --threshold`` and ``links accept --min-score``);
    # ``not`` so that NaN is refused too.
    if include_suggested is not None and not 0.0 <= include_suggested <= 100.0:
        raise ClaimmapError(
            f"--include-suggested takes a link score between 0 and 100, not {include_suggested:g}"
        )
    refs = None
    if articles is not None:
        wanted = [a.strip() for a in articles if a.strip()]
        if not wanted:
            raise ClaimmapError("--articles needs at least one article reference")
        refs = tuple(resolve_article(db, a).ref for a in wanted)
    return MatrixOptions(
        tag=resolve_tag(db, tag).name if tag else None,
        articles=refs,
        min_coverage=min_coverage,
        cells=cells,
        include_suggested=include_suggested,
    )


@gc_paused
def build(
    db: Database, options: MatrixOptions, annotator: str | None = None
) -> tuple[ClaimMatrix, Framing, ExportData]:
    data = load(db, annotator)
    matrix = build_matrix(
        data.articles, data.spans, data.tags, data.links, data.claim_labels, options
    )
    return matrix, build_framing(matrix, data.spans), data


@gc_paused
def render_matrix(
    matrix: ClaimMatrix,
    framing: Framing,
    spans: Sequence[Span],
    fmt: str,
    relations: Sequence[Relation] = (),
    argument: ArgumentMap | None = None,
    team: dict[str, Any] | None = None,
) -> bytes:
    """``argument`` (the claim-level argument map) and ``team`` (the analysts'
    agreement) are drawn in the HTML report only."""
    if fmt == "csv":
        return csv_format.matrix_csv(matrix)
    if fmt == "xlsx":
        return xlsx_format.matrix_xlsx(matrix, framing, spans)
    if fmt == "md":
        return markdown_format.matrix_markdown(matrix, framing).encode("utf-8")
    if fmt == "json":
        return json_format.matrix_json(matrix, framing, relations)
    if fmt == "html":
        return html_format.matrix_html(matrix, framing, argument, team).encode("utf-8")
    raise ClaimmapError(f"unknown matrix format {fmt!r} (use {', '.join(MATRIX_FORMATS)})")


def argument_for(db: Database, fmt: str, annotator: str | None = None) -> ArgumentMap | None:
    """The argument map when the format draws it (the HTML report), else None."""
    return load_map(db, annotator) if fmt == "html" else None


def export_matrix(
    db: Database, fmt: str, options: MatrixOptions, annotator: str | None = None
) -> bytes:
    matrix, framing, data = build(db, options, annotator)
    team = analysts_section(db) if fmt == "html" and annotator is None else None
    return render_matrix(
        matrix,
        framing,
        data.spans,
        fmt,
        data.relations,
        argument=argument_for(db, fmt, annotator),
        team=team,
    )


def analysts_section(db: Database) -> dict[str, Any] | None:
    """The HTML report's agreement and disagreements, when several analysts coded."""
    from claimmap.services.adjudication import report_section

    return report_section(db)


@gc_paused
def render_framing(framing: Framing, fmt: str) -> bytes:
    if fmt == "md":
        return markdown_format.framing_markdown(framing).encode("utf-8")
    if fmt == "json":
        return json_format.framing_json(framing)
    if fmt == "csv":
        return csv_format.framing_csv(framing)
    raise ClaimmapError(f"unknown framing format {fmt!r} (use {', '.join(FRAMING_FORMATS)})")


def export_framing(
    db: Database, fmt: str, options: MatrixOptions, annotator: str | None = None
) -> bytes:
    _matrix, framing, _data = build(db, options, annotator)
    return render_framing(framing, fmt)


@gc_paused
def export_annotations(
    db: Database,
    fmt: str,
    path: Path,
    project_name: str = "claimmap",
    annotator: str | None = None,
) -> dict[str, object]:
    """Write the annotations in an interchange format; returns a summary for the CLI."""
    data = load(db, annotator)
    live = [s for s in data.spans if not s.orphaned]
    if fmt == "w3c":
        files = w3c.w3c_files(data.spans, data.claim_labels, data.confirmed, data.relations)
        if path.suffix == ".jsonl":
            write_file(path, w3c.w3c_single(files).encode("utf-8"))
            written = [str(path)]
        else:
            write_tree(path, files)
            written = [str(path / n) for n in sorted(files)]
        exported = len(data.spans)
    elif fmt == "brat":
        tag_names = [t.name for t in data.tags]
        pairs = [(link.a, link.b) for link in data.confirmed]
        files = brat.brat_files(
            data.articles, load_texts(db), data.spans, pairs, tag_names, data.relations
        )
        write_tree(path, files)
        written = [str(path / n) for n in sorted(files)]
        exported = len(live)
    elif fmt == "qdpx":
        labels = {s.id: data.claim_labels.get(s.claim_id) for s in data.spans if s.claim_id}
        qlinks = [qdpx.QdpxLink(link.a, link.b, labels.get(link.a)) for link in data.confirmed]
        qrelations = [
            qdpx.QdpxRelation(r.source, r.target, r.type, r.annotator, r.note)
            for r in data.relations
        ]
        texts = load_texts(db)
        write_with(
            path,
            lambda fh: qdpx.write_qdpx(
                fh, project_name, data.articles, texts, data.spans, data.tags, qlinks, qrelations
            ),
        )
        written = [str(path)]
        exported = len(live)
    else:
        raise ClaimmapError(
            f"unknown annotation format {fmt!r} (use {', '.join(ANNOTATION_FORMATS)})"
        )
    return {
        "format": fmt,
        "path": str(path),
        "files": written,
        "articles": len(data.articles),
        "spans": exported,
        "skipped_orphaned": len(data.spans) - exported,
        "links": len(data.confirmed),
        "relations": len(data.relations),
    }
