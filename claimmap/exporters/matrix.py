"""The claim matrix: claims as rows, articles as columns, each cell the article's own wording.

Pure: built from plain models (articles, spans, tags, links, claim labels), no
database.  Claims are normally the stored ``claim_id`` groups (spans joined by
confirmed links); ``include_suggested`` additionally joins suggested links at or
above a score (0-100, the linker's scale), for a first look before review.  The result is fully ordered so
every format renders it deterministically.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from claimmap.linking.claims import components
from claimmap.models import Article, Span, Tag

CellMode = Literal["quote", "mark", "count"]
CELL_MODES: tuple[CellMode, ...] = ("quote", "mark", "count")
MARK = "●"
QUOTE_JOINER = " … "
SHORT_TITLE_CHARS = 24
UNTAGGED = "(untagged)"


@dataclass(frozen=True, slots=True)
class LinkEdge:
    """The part of a link the matrix needs."""

    a: int
    b: int
    score: float
    status: str


@dataclass(frozen=True, slots=True)
class MatrixOptions:
    tag: str | None = None
    articles: tuple[str, ...] | None = None
    min_coverage: int = 1
    cells: CellMode = "quote"
    # A link score, 0-100 like the linker's threshold: suggestions scoring at least
    # this much count as confirmed.
    include_suggested: float | None = None


@dataclass(frozen=True, slots=True)
class MatrixColumn:
    ref: str
    title: str
    short_title: str
    article_id: int


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """One article's wording of one claim: its spans in reading order."""

    span_ids: tuple[int, ...]
    quotes: tuple[str, ...]
    # The page label each quote starts on (None: its article has no pages).
    pages: tuple[str | None, ...] = ()

    @property
    def count(self) -> int:
        return len(self.span_ids)

    @property
    def cited_quotes(self) -> tuple[str, ...]:
        """The quotes with their page, as cited: ``wording (p. 12)``."""
        if not any(self.pages):
            return self.quotes
        return tuple(
            f"{quote} (p. {page})" if page else quote
            for quote, page in zip(self.quotes, self.pages, strict=True)
        )

    def render(self, mode: CellMode, joiner: str = QUOTE_JOINER) -> str:
        if mode == "mark":
            return MARK
        if mode == "count":
            return str(self.count)
        return joiner.join(self.cited_quotes)


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One claim.  Cells are kept sparse: a claim is stated by a few articles of many."""

    claim_id: int
    label: str | None
    tag: str
    span_ids: tuple[int, ...]
    sparse: tuple[tuple[int, MatrixCell], ...]
    width: int

    @property
    def coverage(self) -> int:
        return len(self.sparse)

    @property
    def cells(self) -> tuple[MatrixCell | None, ...]:
        """One entry per column, None where the article is silent."""
        dense: list[MatrixCell | None] = [None] * self.width
        for col, cell in self.sparse:
            dense[col] = cell
        return tuple(dense)

    @property
    def display_label(self) -> str:
        """The label, or the first quote when the analyst has not named the claim."""
        if self.label:
            return self.label
        if self.sparse:
            return self.sparse[0][1].quotes[0]
        return f"claim {self.claim_id}"


@dataclass(frozen=True, slots=True)
class ClaimMatrix:
    columns: tuple[MatrixColumn, ...]
    rows: tuple[MatrixRow, ...]
    tags: tuple[Tag, ...]
    options: MatrixOptions
    total_claims: int = field(default=0)

    def tag_color(self, name: str) -> str:
        for tag in self.tags:
            if tag.name == name:
                return tag.color
        return "#888888"


def short_title(title: str, limit: int = SHORT_TITLE_CHARS) -> str:
    title = " ".join(title.split())
    return title if len(title) <= limit else title[: limit - 1] + "…"


def claim_groups(
    spans: Sequence[Span], links: Iterable[LinkEdge], include_suggested: float | None
) -> list[list[int]]:
    """Span-id groups: stored claims, merged along suggested links when asked to."""
    by_claim: dict[int, list[int]] = defaultdict(list)
    for span in spans:
        # A span without a claim (should not happen) is its own group, keyed apart.
        key = span.claim_id if span.claim_id is not None else -span.id
        by_claim[key].append(span.id)
    edges: list[tuple[int, int]] = []
    for members in by_claim.values():
        edges.extend((members[0], other) for other in members[1:])
    if include_suggested is not None:
        known = {s.id for s in spans}
        edges.extend(
            (link.a, link.b)
            for link in links
            if link.status == "suggested"
            and link.score >= include_suggested
            and link.a in known
            and link.b in known
        )
    return components([s.id for s in spans], edges)


def _dominant_tag(span_list: Iterable[Span], order: Mapping[str, int]) -> str:
    counts: Counter[str] = Counter()
    for span in span_list:
        counts.update(span.tags)
    if not counts:
        return UNTAGGED
    return min(counts, key=lambda t: (-counts[t], order.get(t, len(order)), t))


def build_matrix(
    articles: Sequence[Article],
    spans: Sequence[Span],
    tags: Sequence[Tag],
    links: Iterable[LinkEdge],
    claim_labels: Mapping[int, str | None],
    options: MatrixOptions,
) -> ClaimMatrix:
    """Group spans into claims and lay them out against the chosen articles."""
    from claimmap.errors import ClaimmapError

    if options.min_coverage < 1:
        raise ClaimmapError("--min-coverage must be at least 1")
    if options.cells not in CELL_MODES:
        raise ClaimmapError(f"--cells must be one of {', '.join(CELL_MODES)}")
    tag_order = {t.name: i for i, t in enumerate(sorted(tags, key=lambda t: (t.ordinal, t.name)))}
    if options.articles is not None:
        by_ref = {a.ref: a for a in articles}
        chosen = []
        for ref in options.articles:
            if ref not in by_ref:
                raise ClaimmapError(f"no article {ref!r} to put in the matrix")
            if by_ref[ref] not in chosen:
                chosen.append(by_ref[ref])
        column_articles: list[Article] = chosen
    else:
        column_articles = sorted(articles, key=lambda a: a.id)
    columns = tuple(
        MatrixColumn(a.ref, a.title, short_title(a.title), a.id) for a in column_articles
    )
    col_index = {c.article_id: i for i, c in enumerate(columns)}
    # Orphaned spans have lost their place in the text: they are not the paper's
    # wording any more, so they stay out of the matrix until reviewed.
    live = [s for s in spans if not s.orphaned]
    span_by_id = {s.id: s for s in live}
    groups = claim_groups(live, links, options.include_suggested)

    rows: list[MatrixRow] = []
    for group in groups:
        members = [span_by_id[i] for i in group]
        claim_ids = sorted({s.claim_id for s in members if s.claim_id is not None})
        claim_id = claim_ids[0] if claim_ids else -group[0]
        label = next((claim_labels[c] for c in claim_ids if claim_labels.get(c)), None)
        tag = _dominant_tag(members, tag_order)
        if options.tag is not None and tag != options.tag:
            continue
        per_col: dict[int, list[Span]] = defaultdict(list)
        for span in members:
            col = col_index.get(span.article_id)
            if col is not None:
                per_col[col].append(span)
        if len(per_col) < options.min_coverage:
            continue
        sparse = []
        for col in sorted(per_col):
            col_spans = sorted(per_col[col], key=lambda s: (s.start, s.end, s.id))
            cell = MatrixCell(
                tuple(s.id for s in col_spans),
                tuple(s.quote for s in col_spans),
                tuple(s.page for s in col_spans),
            )
            sparse.append((col, cell))
        rows.append(
            MatrixRow(claim_id, label, tag, tuple(sorted(group)), tuple(sparse), len(columns))
        )

    def row_key(row: MatrixRow) -> tuple[int, str, int, int, int]:
        return (
            tag_order.get(row.tag, len(tag_order)),
            row.tag,
            -row.coverage,
            -len(row.span_ids),
            row.claim_id,
        )

    rows.sort(key=row_key)
    ordered_tags = tuple(sorted(tags, key=lambda t: (t.ordinal, t.name)))
    return ClaimMatrix(columns, tuple(rows), ordered_tags, options, total_claims=len(groups))


def grouped_rows(matrix: ClaimMatrix) -> list[tuple[str, list[MatrixRow]]]:
    """Rows split by tag, in the matrix's order."""
    out: list[tuple[str, list[MatrixRow]]] = []
    for row in matrix.rows:
        if not out or out[-1][0] != row.tag:
            out.append((row.tag, []))
        out[-1][1].append(row)
    return out
