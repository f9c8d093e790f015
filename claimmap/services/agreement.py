"""Agreement use-cases: read the analysts' layers into a ``Study`` and hand it to
the pure statistics in ``claimmap.agreement``.  Reads only."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlite_utils import Database

from claimmap.agreement.disagreements import DEFAULT_TOLERANCE, Disagreement, find_disagreements
from claimmap.agreement.report import AgreementReport, agreement_report
from claimmap.agreement.study import Article, CodedSpan, Study
from claimmap.errors import ClaimmapError
from claimmap.services.codebook import list_tags, resolve_tag
from claimmap.store.articles import resolve_article

CONSENSUS = "consensus"
"""The layer adjudication writes to; never one of the analysts compared."""


def annotators_present(db: Database) -> list[str]:
    return [str(r[0]) for r in db.execute("SELECT DISTINCT annotator FROM spans ORDER BY 1")]


def choose_annotators(
    db: Database, wanted: Sequence[str] | None, consensus: str = CONSENSUS
) -> list[str]:
    """The analysts to compare: those named, else every layer but the consensus."""
    present = annotators_present(db)
    if wanted:
        # A stored name is taken as it is (an imported one may end in a space or a
        # control character); only a typed name that matches none is trimmed.
        names = list(dict.fromkeys(w if w in present else w.strip() for w in wanted if w.strip()))
        missing = [n for n in names if n not in present]
        if missing:
            raise ClaimmapError(
                f"no spans by annotator {missing[0]!r} (annotators: {', '.join(present) or 'none'})"
            )
    else:
        names = [n for n in present if n != consensus]
    if len(names) < 2:
        raise ClaimmapError(
            "agreement needs at least two annotators with spans "
            f"(found: {', '.join(names) or 'none'}); name them with --annotators A,B"
        )
    return names


def _claim_groups(
    db: Database, names: Sequence[str]
) -> tuple[dict[int, int], set[tuple[int, int]]]:
    """Per layer, the spans its analyst joined into one claim (confirmed links
    between two of their own spans) and the pairs they rejected."""
    marks = ",".join("?" * len(names))
    rows = db.execute(
        "SELECT l.a, l.b, l.status FROM links l JOIN spans x ON x.id = l.a "
        "JOIN spans y ON y.id = l.b WHERE x.annotator = y.annotator "
        f"AND x.annotator IN ({marks}) AND l.status IN ('confirmed', 'rejected')",
        list(names),
    ).fetchall()
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    rejected: set[tuple[int, int]] = set()
    for a, b, status in rows:
        if status == "confirmed":
            parent[find(int(a))] = find(int(b))
        else:
            rejected.add((int(a), int(b)))
    return {x: find(x) for x in parent}, rejected


def load_study(
    db: Database,
    *,
    articles: Sequence[str] = (),
    annotators: Sequence[str] | None = None,
    tag: str | None = None,
    consensus: str = CONSENSUS,
) -> Study:
    names = choose_annotators(db, annotators, consensus)
    chosen = [resolve_article(db, a).id for a in articles]
    tags = [resolve_tag(db, tag).name] if tag else [t.name for t in list_tags(db)]
    where = " AND a.id IN (" + ",".join(map(str, chosen)) + ")" if chosen else ""
    found: dict[int, Article] = {}
    for article_id, ref, chars, sentences in db.execute(
        "SELECT a.id, a.ref, a.chars, g.sentences FROM articles a "
        f"LEFT JOIN article_segments g ON g.article_id = a.id WHERE 1{where} ORDER BY a.id"
    ):
        ranges = tuple((int(s), int(e)) for s, e in json.loads(sentences)) if sentences else ()
        found[int(article_id)] = Article(int(article_id), str(ref), int(chars), ranges)
    marks = ",".join("?" * len(names))
    # Tags in a query of their own: a correlated group_concat per span costs
    # more than the spans themselves at 100,000 spans.
    tag_sets: dict[int, set[str]] = {}
    for span_id, name in db.execute(
        "SELECT st.span_id, t.name FROM span_tags st JOIN tags t ON t.id = st.tag_id "
        f"JOIN spans s ON s.id = st.span_id WHERE s.annotator IN ({marks})",
        list(names),
    ):
        tag_sets.setdefault(int(span_id), set()).add(str(name))
    empty: frozenset[str] = frozenset()
    spans = [
        CodedSpan(
            int(span_id),
            int(article_id),
            int(start),
            int(end),
            frozenset(tag_sets[span_id]) if span_id in tag_sets else empty,
            str(who),
            str(quote),
        )
        for span_id, article_id, start, end, who, quote in db.execute(
            'SELECT s.id, s.article_id, s.start, s."end", s.annotator, s.quote FROM spans s '
            f"WHERE s.orphaned = 0 AND s.annotator IN ({marks}) "
            'ORDER BY s.article_id, s.start, s."end", s.id',
            list(names),
        )
        if article_id in found
    ]
    used = {t for s in spans for t in s.tags}
    groups, rejected = _claim_groups(db, names)
    return Study(
        articles=found,
        spans=spans,
        annotators=names,
        tags=[t for t in tags if t in used or tag],
        claim_group=groups,
        rejected=rejected,
    )


def agreement(
    db: Database,
    *,
    articles: Sequence[str] = (),
    annotators: Sequence[str] | None = None,
    tag: str | None = None,
    consensus: str = CONSENSUS,
) -> AgreementReport:
    study = load_study(db, articles=articles, annotators=annotators, tag=tag, consensus=consensus)
    return agreement_report(study)


def two_annotators(
    db: Database, wanted: Sequence[str] | None, consensus: str = CONSENSUS
) -> tuple[str, str]:
    """The two analysts whose disagreements are listed, in name order whatever
    order they were given in, so that item keys (A's span first) never flip."""
    names = sorted(choose_annotators(db, wanted, consensus))
    if len(names) != 2:
        raise ClaimmapError(
            f"disagreements compare two annotators; choose two of {', '.join(names)} "
            "with --annotators A,B"
        )
    return names[0], names[1]


def disagreements(
    db: Database,
    *,
    articles: Sequence[str] = (),
    annotators: Sequence[str] | None = None,
    tag: str | None = None,
    tolerance: int = DEFAULT_TOLERANCE,
    consensus: str = CONSENSUS,
) -> tuple[Study, list[Disagreement]]:
    name_a, name_b = two_annotators(db, annotators, consensus)
    study = load_study(
        db, articles=articles, annotators=[name_a, name_b], tag=tag, consensus=consensus
    )
    if tag:
        # Coded articles are counted before the filter: an analyst who coded an
        # article without this tag disagrees with one who used it there.
        coded = {n: study.coded_articles(n) for n in (name_a, name_b)}
        wanted = resolve_tag(db, tag).name
        study.spans = [s for s in study.spans if wanted in s.tags]
        study.also_coded = coded
    return study, find_disagreements(study, name_a, name_b, tolerance=tolerance)
