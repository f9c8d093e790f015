"""Placing what a reader parsed: anchor every annotation, then write it all in one unit.

Shared by every interchange format.  Each annotation is re-anchored on its
article's *current* canonical text: the stored position if the quote is still
there, else the quote ranked by prefix/suffix, else the match-key / fuzzy
alignment of ``anchoring.reanchor``.

Orphan policy: an annotation that cannot be re-anchored is never attached to a
look-alike passage.  It is stored as an *orphaned* span (its quote, context and
old offsets kept, ``orphaned = 1``) so nothing the analyst made is lost, it shows
up in ``claimmap spans --orphaned`` for review, stays out of the matrix, and the
report lists each one.  Importing the same file again merges instead of
duplicating (same place, or for orphans the same quote and context).

The write unit creates, in order: the articles the file brings, the codes it
declares (with their descriptions and colours; codes already here are left as
the analyst has them) and those its spans use, the spans with their tags and
notes, and the links.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from sqlite_utils import Database

from claimmap.anchoring import Anchor, reanchor
from claimmap.errors import ClaimmapError
from claimmap.services.annotating import insert_orphaned_span, insert_span, text_sha256
from claimmap.services.claims import join_claims
from claimmap.services.codebook import CodebookIndex
from claimmap.services.interchange.article_index import ArticleIndex
from claimmap.services.interchange.parsed import (
    ImportReport,
    NewArticle,
    OrphanReport,
    Parsed,
    ParsedLink,
    ParsedSpan,
    short,
)
from claimmap.services.linking import pair_scores
from claimmap.store import write_unit
from claimmap.store.clock import now
from claimmap.textprep.segment import segment_ranges


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


def check_keys(spans: Sequence[ParsedSpan], links: Sequence[ParsedLink]) -> None:
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


def anchor_all(parsed: Parsed, articles: ArticleIndex, report: ImportReport) -> list[Anchor | None]:
    """Each span's place on its article's text (None: orphaned), counted in ``report``."""
    anchors: list[Anchor | None] = []
    for span in parsed.spans:
        text = articles.text(span.article)
        anchor = _anchor(span, text)
        anchors.append(anchor)
        if anchor is None:
            report.orphaned += 1
            report.orphans.append(OrphanReport(span.origin, span.article, span.exact[:60]))
        elif anchor.method == "position" or (
            span.start is None and text[anchor.start : anchor.end] == span.exact
        ):
            report.exact += 1
        else:
            report.moved += 1
    return anchors


def _create_article(db: Database, article: NewArticle, shown: str) -> int:
    stamp = now()
    meta = article.metadata
    text = article.text
    cursor = db.execute(
        "INSERT INTO articles (ref, source, source_path, title, authors, venue, date, script, "
        "encoding, raw_sha256, text_sha256, text, chars, imported_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            article.ref,
            article.source,
            shown,
            meta.title,
            meta.authors,
            meta.venue,
            meta.date,
            meta.script,
            "utf-8",
            article.raw_sha256,
            text_sha256(text),
            text,
            len(text),
            stamp,
            stamp,
        ],
    )
    article_id = int(cursor.lastrowid or 0)
    segments = segment_ranges(text)
    db.execute(
        "INSERT INTO article_segments (article_id, paragraphs, sentences, clauses) "
        "VALUES (?, ?, ?, ?)",
        [
            article_id,
            *(
                json.dumps(segments[k], separators=(",", ":"))
                for k in ("paragraph", "sentence", "clause")
            ),
        ],
    )
    db.conn.executemany(
        'INSERT INTO article_regions (article_id, kind, start, "end") VALUES (?, ?, ?, ?)',
        [(article_id, r.kind, r.start, r.end) for r in article.cleaned.regions],
    )
    db.conn.executemany(
        "INSERT INTO cleaning_log (article_id, seq, step, action, detail, before, after, line) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (article_id, i, e.step, e.action, e.detail, e.before, e.after, e.line)
            for i, e in enumerate(article.cleaned.log)
        ],
    )
    return article_id


def _tag_ids(db: Database, parsed: Parsed, report: ImportReport) -> dict[str, int]:
    """Ids of the codes the spans use.  The file's codes not here are added first
    (parents before children, with descriptions and colours), then those only the
    spans name, with the levels above them (``a/b`` needs ``a``).  A declared code
    no span uses that claimmap cannot hold (a path past 64 characters) is left out
    and reported; one a span uses refuses the import."""
    book = CodebookIndex(db)
    used = {t.lower() for span in parsed.spans for t in span.tags}
    wanted = [(c.name, c.description, c.color) for c in parsed.codes]
    for span in parsed.spans:
        wanted.extend((t, None, None) for t in span.tags)
    out: dict[str, int] = {}
    for name, description, color in wanted:
        tag = book.get(name)
        if tag is None:
            created: list[str] = []
            try:
                tag = book.add(name, None, color, description, create_parents=True, created=created)
            except ClaimmapError as exc:
                if name.lower() in used:
                    raise ClaimmapError(f"{report.path}: code {short(name)}: {exc}") from None
                report.notices.append(f"code {short(name)} left out (no span uses it): {exc}")
                continue
            finally:
                report.tags_created.extend(created)
        out[name] = tag.id
    return out


def _store_span(
    db: Database,
    article_id: int,
    span: ParsedSpan,
    anchor: Anchor | None,
    text: str,
    report: ImportReport,
) -> int:
    if anchor is not None:
        # The same passage coded by another analyst is their span (their layer).
        row = db.execute(
            'SELECT id FROM spans WHERE article_id = ? AND start = ? AND "end" = ? '
            "AND orphaned = 0 AND annotator = ?",
            [article_id, anchor.start, anchor.end, span.annotator],
        ).fetchone()
    else:
        row = db.execute(
            "SELECT id FROM spans WHERE article_id = ? AND orphaned = 1 AND quote = ? "
            "AND prefix = ? AND suffix = ? AND annotator = ?",
            [article_id, span.exact, span.prefix, span.suffix, span.annotator],
        ).fetchone()
    if row is not None:
        report.merged += 1
        return int(row[0])
    if anchor is not None:
        return insert_span(
            db,
            article_id,
            text,
            anchor.start,
            anchor.end,
            span.annotator,
            created=span.created,
            modified=span.modified,
        )
    return insert_orphaned_span(
        db,
        article_id,
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


def write(
    db: Database,
    parsed: Parsed,
    anchors: Sequence[Anchor | None],
    articles: ArticleIndex,
    report: ImportReport,
) -> None:
    with write_unit(db):
        for article in parsed.articles:
            articles.ids[article.ref] = _create_article(db, article, report.path)
            report.articles_created.append(article.ref)
        tag_ids = _tag_ids(db, parsed, report)
        ids: dict[str, int] = {}
        for span, anchor in zip(parsed.spans, anchors, strict=True):
            span_id = _store_span(
                db,
                articles.article_id(span.article),
                span,
                anchor,
                articles.text(span.article),
                report,
            )
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
        _write_relations(
            db,
            [k for k in parsed.links if k.relation is not None],
            ids,
            {span.key: span.annotator for span in parsed.spans},
            report,
        )
        _write_links(db, [k for k in parsed.links if k.relation is None], ids, report)
        for span in parsed.spans:
            if span.label:
                db.execute(
                    "UPDATE claims SET label = ? WHERE label IS NULL AND id = "
                    "(SELECT claim_id FROM spans WHERE id = ?)",
                    [span.label, ids[span.key]],
                )


def _write_relations(
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


def _write_links(
    db: Database, links: Sequence[ParsedLink], ids: dict[str, int], report: ImportReport
) -> None:
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
        existing = db.execute("SELECT status FROM links WHERE a = ? AND b = ?", [a, b]).fetchone()
        if existing is not None and existing[0] == "rejected":
            # The analyst rejected this pair here; an import does not overrule that.
            report.links_skipped_rejected += 1
            continue
        created = link.created or now()
        db.execute(
            "INSERT INTO links (a, b, score, status, method, created_at, updated_at) "
            "VALUES (?, ?, ?, 'confirmed', 'import', ?, ?) "
            # Already confirmed: unchanged, so importing a file twice changes nothing.
            "ON CONFLICT(a, b) DO UPDATE SET status = 'confirmed', "
            "updated_at = excluded.updated_at WHERE status != 'confirmed'",
            [a, b, scores[(a, b)], created, link.modified or created],
        )
        claim = join_claims(db, a, b)
        report.links += 1
        if link.label:
            db.execute(
                "UPDATE claims SET label = ? WHERE id = ? AND label IS NULL",
                [link.label, claim],
            )
