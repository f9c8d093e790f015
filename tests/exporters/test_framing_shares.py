"""Framing shares are shares of an article's spans, and every output says so.

The case from issue 11: an article with 2 spans carrying 3 tags between them
showed "Spans 2" beside three 33% shares (shares of tag assignments).  As shares
of spans they are 50%, 50% and 50%: more than 100% together, which is right,
and the outputs say why.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re

import openpyxl
import pytest

from claimmap.exporters.framing import SHARE_NOTE, Framing, build_framing
from claimmap.exporters.matrix import ClaimMatrix, MatrixOptions, build_matrix
from claimmap.models import Article, Span, Tag
from claimmap.services import exporting

TAGS = [
    Tag(id=1, name="motive", color="#2e7d32", ordinal=1, key="m"),
    Tag(id=2, name="impact", color="#1565c0", ordinal=2, key="i"),
    Tag(id=3, name="limitation", color="#c62828", ordinal=3, key="t"),
]


def _span(i: int, tags: list[str]) -> Span:
    return Span.model_construct(
        id=i,
        article="a1",
        article_id=1,
        start=i * 10,
        end=i * 10 + 4,
        quote=f"quote {i}",
        tags=tags,
        claim_id=i,
        orphaned=False,
        note=None,
        annotator="ana",
    )


def _built() -> tuple[ClaimMatrix, Framing, list[Span]]:
    articles = [Article.model_construct(id=1, ref="a1", title="The only article")]
    spans = [_span(1, ["motive", "impact"]), _span(2, ["limitation"])]
    matrix = build_matrix(articles, spans, TAGS, [], {}, MatrixOptions())
    return matrix, build_framing(matrix, spans), spans


def test_share_is_the_share_of_spans_carrying_the_tag() -> None:
    _matrix, framing, _spans = _built()
    (art,) = framing.articles
    assert art.spans == 2
    assert {t: art.share(t) for t in framing.tags} == {
        "motive": 0.5,
        "impact": 0.5,
        "limitation": 0.5,
    }
    assert art.count("impact") == 1


def test_markdown_shows_half_of_the_spans_and_explains_the_sum() -> None:
    _matrix, framing, _spans = _built()
    md = exporting.render_framing(framing, "md").decode()
    row = next(line for line in md.splitlines() if line.startswith("| The only"))
    assert row.count("1 (50%)") == 3 and "33%" not in md
    assert SHARE_NOTE in md and "more than 100%" in SHARE_NOTE


def test_csv_names_the_measure_by_what_it_divides() -> None:
    _matrix, framing, _spans = _built()
    rows = list(
        csv.reader(io.StringIO(exporting.render_framing(framing, "csv").decode("utf-8-sig")))
    )
    shares = {r[2]: r[3] for r in rows if r[1] == "tag_share_of_spans"}
    assert shares == {"motive": "0.5000", "impact": "0.5000", "limitation": "0.5000"}
    assert not [r for r in rows if r[1] == "tag_share"]


def test_json_says_what_shares_are_of() -> None:
    _matrix, framing, _spans = _built()
    doc = json.loads(exporting.render_framing(framing, "json"))["framing"]
    assert doc["tag_shares_of"] == "spans"
    assert doc["articles"][0]["tag_shares"] == {"motive": 0.5, "impact": 0.5, "limitation": 0.5}


def test_xlsx_framing_sheet_headers_say_share_of_spans() -> None:
    matrix, framing, spans = _built()
    wb = openpyxl.load_workbook(io.BytesIO(exporting.render_matrix(matrix, framing, spans, "xlsx")))
    rows = list(wb["framing"].iter_rows(values_only=True))
    header = dict(zip(rows[0], rows[1], strict=True))
    assert header["impact (spans)"] == 1
    assert header["impact (share of spans)"] == 0.5


def test_html_bars_stay_inside_their_tracks() -> None:
    matrix, framing, spans = _built()
    page = exporting.render_matrix(matrix, framing, spans, "html").decode()
    section = page[page.index("<h2>Tag shares per article</h2>") :]
    section = section[: section.index("</svg>")]
    assert SHARE_NOTE in html.unescape(section)
    rects = [
        {k: float(v) for k, v in re.findall(r'(x|width)="([0-9.]+)"', tag)}
        for tag in re.findall(r"<rect [^>]*>", section)
    ]
    tracks = [r for r in rects if r["width"] > 10]  # the swatches in the header are 10 wide
    svg_width = float(re.search(r'<svg [^>]*width="([0-9.]+)"', section).group(1))  # type: ignore[union-attr]
    assert tracks and all(r["x"] + r["width"] <= svg_width for r in rects)
    # Three tags at 50%: three half-filled bars on three full-width tracks.
    widths = sorted({r["width"] for r in tracks})
    assert len(widths) == 2 and widths[0] == pytest.approx(widths[1] / 2)
    assert section.count(">50%<") == 3
