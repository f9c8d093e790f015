"""Each matrix format: safe with hostile text, deterministic, and shaped as documented."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import openpyxl
import pytest

from claimmap.exporters.csv_format import neutralise
from claimmap.services import exporting
from exporters.corpus import Corpus, build_corpus

TRIGGERS = ["=HYPERLINK(", "+1", "@SUM", "-2", "\t", "\r", "=1+1"]


def _export(corpus: Corpus, fmt: str, **kw: object) -> bytes:
    return exporting.export_matrix(corpus.db, fmt, exporting.matrix_options(corpus.db, **kw))  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ['=HYPERLINK("x")', "+1", "@SUM(A1)", "-2", "\tx", "\rx", "＝1"])
def test_neutralise_prefixes_formula_triggers(value: str) -> None:
    assert neutralise(value) == "'" + value
    assert neutralise("plain " + value) == "plain " + value


def test_csv_has_bom_and_no_cell_starts_a_formula(corpus: Corpus) -> None:
    data = _export(corpus, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert any(c.startswith("'=HYPERLINK(") for c in cells)
    assert any(c.startswith("'+1 号提案") for c in cells)
    assert any(c.startswith("'@SUM") for c in cells)
    assert any(c.startswith("'-2") for c in cells)
    assert any(c.startswith("'\t") for c in cells)
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    # The header names articles; every claim row has one cell per article.
    assert rows[0][:4] == ["claim_id", "tag", "label", "coverage"]
    assert {len(r) for r in rows} == {4 + 3}


def test_framing_csv_is_tidy_and_safe(corpus: Corpus) -> None:
    data = exporting.export_framing(corpus.db, "csv", exporting.matrix_options(corpus.db))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    measures = {(r["article"], r["measure"], r["key"]): r["value"] for r in rows}
    assert measures[("alpha", "shared_claims", "beta")] == "2"
    assert measures[("alpha", "tag_count", "limitation")] == "2"
    assert float(measures[("beta", "jaccard", "gamma")]) > 0


def test_xlsx_strings_never_become_formulas(corpus: Corpus, tmp_path: object) -> None:
    data = _export(corpus, "xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["matrix", "framing", "overlap", "spans"]
    found = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    if cell.value.startswith(tuple(TRIGGERS)):
                        found += 1
                assert cell.data_type != "f"
    assert found >= 5
    matrix = wb["matrix"]
    assert matrix.freeze_panes == "E2"
    assert wb["spans"].freeze_panes == "A2"
    assert matrix["E2"].alignment.wrap_text
    notes = [c.value for c in wb["spans"]["G"] if c.value]
    assert "=1+1\nsecond line" in notes


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_escapes_article_and_analyst_text(corpus: Corpus) -> None:
    page = _export(corpus, "html").decode("utf-8")
    dom = _Dom()
    dom.feed(page)
    assert "script" not in dom.tags
    assert "img" not in dom.tags
    assert not [a for a, _ in dom.attrs if a.startswith("on")]
    text = "".join(dom.text)
    # The payloads arrive as visible text, intact.
    assert "<script>document.title='pwned'</script>" in text
    assert 'Beta "><img src=x onerror=alert(1)>' in text
    assert "Supply-chain security <b>first</b>" in text
    assert "b" not in dom.tags
    # Self-contained: no fetches of any kind.
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "").replace(
        "http://evil.example", ""
    )
    assert "<svg" in page and "Content-Security-Policy" in page


def test_markdown_escapes_html_and_pipes(corpus: Corpus) -> None:
    md = _export(corpus, "md").decode("utf-8")
    assert "<script>" not in md and "<img" not in md and "<b>" not in md
    assert "&lt;script&gt;" in md
    assert "## Framing by article" in md
    # An unescaped pipe would add a column: every row of a table has its header's width.
    widths: list[int] = []
    for line in [*md.splitlines(), ""]:
        if line.startswith("|"):
            widths.append(line.count("|") - line.count("\\|"))
        elif widths:
            assert len(set(widths)) == 1, widths
            widths = []


def test_markdown_pipe_in_title_is_escaped(corpus: Corpus) -> None:
    corpus.db.execute("UPDATE articles SET title = 'A | B' WHERE ref = 'alpha'")
    md = _export(corpus, "md").decode("utf-8")
    assert "A \\| B" in md


def test_json_structure(corpus: Corpus) -> None:
    doc = json.loads(_export(corpus, "json"))
    assert doc["format"] == "claimmap-matrix" and doc["version"] == 1
    claims = doc["matrix"]["claims"]
    top = claims[0]
    assert set(top) == {"id", "label", "tag", "coverage", "spans", "cells"}
    assert set(top["cells"]) == {"alpha", "beta", "gamma"}
    assert top["cells"]["beta"]["quotes"] == ["美歐合作同樣強調供應鏈安全。"]
    assert {a["ref"] for a in doc["framing"]["articles"]} == {"alpha", "beta", "gamma"}
    assert all(0 <= p["jaccard"] <= 1 for p in doc["framing"]["pairs"])


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "md", "json", "html"])
def test_same_database_gives_identical_bytes(fmt: str) -> None:
    one, two = build_corpus(), build_corpus()
    assert _export(one, fmt) == _export(one, fmt)
    # Two databases built at different moments hold the same content: same bytes.
    assert _export(one, fmt) == _export(two, fmt)


@pytest.mark.parametrize("cells", ["quote", "mark", "count"])
def test_cell_modes(corpus: Corpus, cells: str) -> None:
    rows = list(csv.reader(io.StringIO(_export(corpus, "csv", cells=cells).decode("utf-8-sig"))))
    first = rows[1][4:]
    expected = {"quote": "美日合作强调供应链安全。", "mark": "●", "count": "1"}[cells]
    assert first[0] == expected
