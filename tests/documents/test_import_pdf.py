"""``claimmap import x.pdf`` end to end: pages, notes, log, errors, re-import, exports."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfgen import canvas

from tests.conftest import RunCli
from tests.documents.corpus import ENGLISH, article
from tests.documents.pdf_builder import Built, Document, build
from tests.helpers import assert_one_error_line, dump


@pytest.fixture(scope="module")
def journal() -> Built:
    return build(Document(article(), page_label_start=12))


@pytest.fixture
def pdf_file(tmp_path: Path, journal: Built) -> Path:
    path = tmp_path / "journal.pdf"
    path.write_bytes(journal.pdf)
    return path


def _rows(db_path: Path, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _page_of(journal: Built, quote: str) -> str:
    return str(12 + journal.char_pages[journal.body.index(quote)])


def test_import_annotate_spans_page_and_matrix_quote(
    cli: RunCli, db_path: Path, pdf_file: Path, journal: Built, tmp_path: Path
) -> None:
    result = cli("import", str(pdf_file))
    assert result.code == 0, result.err
    assert "imported" in result.out and "pdf" in result.out
    article_row = cli("articles", "--json").json()[0]
    assert article_row["url"] is None
    assert article_row["encoding"] == "pdf"
    notes_start = _rows(db_path, "SELECT min(start) FROM article_regions WHERE kind = 'footnote'")[
        0
    ][0]
    pages = _rows(
        db_path,
        'SELECT seq, start, "end", label FROM article_pages WHERE start < ? ORDER BY seq',
        [notes_start],
    )
    assert [p[3] for p in pages] == [str(12 + n) for n in range(len(pages))]
    assert len(pages) >= 3

    # A quote on the first page and one on the last.
    last_paragraph = journal.body.split("\n\n")[-1]
    quotes = [journal.body.split("\n\n")[1][:24], last_paragraph[-30:-5]]
    for quote in quotes:
        done = cli("annotate", "journal", "--quote", quote, "--tag", "motive")
        assert done.code == 0, done.err
    spans = cli("spans", "--json").json()
    assert [s["page"] for s in spans] == [_page_of(journal, q) for q in quotes]
    assert spans[0]["page"] != spans[1]["page"]

    matrix = cli("export", "matrix", "--format", "csv", "--cells", "quote", "-o", "-")
    assert matrix.code == 0, matrix.err
    for quote in quotes:
        assert f"{quote} (p. {_page_of(journal, quote)})" in matrix.out

    w3c = tmp_path / "w3c.jsonl"
    assert cli("export", "annotations", "--format", "w3c", "-o", str(w3c)).code == 0
    targets = [json.loads(line)["target"] for line in w3c.read_text(encoding="utf-8").splitlines()]
    assert sorted(t["claimmap:page"] for t in targets if "claimmap:page" in t) == sorted(
        _page_of(journal, q) for q in quotes
    )

    # Our own reader takes the page property as what it is: extra, ignored.
    again = cli("import-annotations", str(w3c))
    assert again.code == 0, again.err
    assert len(cli("spans", "--json").json()) == len(quotes)

    qdpx = tmp_path / "project.qdpx"
    assert cli("export", "annotations", "--format", "qdpx", "-o", str(qdpx)).code == 0
    with zipfile.ZipFile(qdpx) as archive:
        project = archive.read("project.qde").decode("utf-8")
    for quote in quotes:
        assert f'name="{quote} (p. {_page_of(journal, quote)})"' in project


def test_notes_and_markers_are_regions(cli: RunCli, db_path: Path, pdf_file: Path) -> None:
    assert cli("import", str(pdf_file)).code == 0
    (text,) = _rows(db_path, "SELECT text FROM articles")[0]
    assert isinstance(text, str)
    regions = _rows(db_path, 'SELECT kind, start, "end" FROM article_regions ORDER BY start')
    notes = [text[s:e] for k, s, e in regions if k == "footnote"]
    markers = [text[s:e] for k, s, e in regions if k == "footnote_marker"]
    assert notes and len(notes) == len(markers)
    assert all(n.startswith("^") for n in notes)
    assert sorted(m.split()[0] for m in notes) == sorted(markers)
    # The notes are at the end, after the body's last marker.
    assert min(s for k, s, _ in regions if k == "footnote") > max(
        e for k, _, e in regions if k == "footnote_marker"
    )


def test_dry_run_shows_the_readers_log(cli: RunCli, db_path: Path, pdf_file: Path) -> None:
    result = cli("import", "--dry-run", str(pdf_file))
    assert result.code == 0, result.err
    assert "would-import" in result.out
    for detail in ("page number", "running header", "footnote", "moved to the end"):
        assert detail in result.out
    assert not db_path.exists() or _rows(db_path, "SELECT count(*) FROM articles") == [(0,)]


def test_same_pdf_twice_is_present(cli: RunCli, pdf_file: Path) -> None:
    assert cli("import", str(pdf_file)).code == 0
    again = cli("import", str(pdf_file))
    assert again.code == 0 and "present" in again.out


def test_update_replaces_pages_and_reanchors(
    cli: RunCli, db_path: Path, pdf_file: Path, journal: Built
) -> None:
    assert cli("import", str(pdf_file)).code == 0
    quote = journal.body.split("\n\n")[1][:24]
    assert cli("annotate", "journal", "--quote", quote, "--tag", "motive").code == 0
    before = _rows(db_path, "SELECT count(*) FROM article_pages")[0][0]
    shorter = build(Document(article()[:8], page_label_start=40))
    pdf_file.write_bytes(shorter.pdf)
    refused = cli("import", str(pdf_file))
    assert refused.code == 1 and "--update" in refused.err
    result = cli("import", "--update", str(pdf_file))
    assert result.code == 0, result.err
    pages = _rows(db_path, "SELECT label FROM article_pages ORDER BY seq")
    assert len(pages) < before and pages[0] == ("40",)
    (span,) = cli("spans", "--json").json()
    assert span["quote"] == quote and span["page"] == "40"


def _encrypted_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt="secret")
    c.drawString(72, 700, "A locked report.")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_unreadable_pdf_is_one_error_line_and_batch_is_all_or_nothing(
    cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("一篇很好的文章。内容完整。\n", encoding="utf-8")
    assert cli("import", str(good)).code == 0
    before = dump(db_path)
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "fine.txt").write_text("另一篇文章。内容也完整。\n", encoding="utf-8")
    (batch / "locked.pdf").write_bytes(_encrypted_pdf())
    for target, needle in ((batch / "locked.pdf", "encrypted"), (batch, "encrypted")):
        result = cli("import", str(target))
        assert result.code == 1
        line = assert_one_error_line(result.err, "locked.pdf", needle)
        assert line.count("locked.pdf") == 1
    (batch / "locked.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    result = cli("import", str(batch))
    assert_one_error_line(result.err, "locked.pdf", "damaged")
    assert dump(db_path) == before


def test_directory_import_takes_pdfs(cli: RunCli, tmp_path: Path, journal: Built) -> None:
    folder = tmp_path / "papers"
    (folder / "2024").mkdir(parents=True)
    (folder / "2024" / "journal.pdf").write_bytes(journal.pdf)
    (folder / "note.txt").write_text("一篇很好的文章。内容完整。\n", encoding="utf-8")
    result = cli("import", str(folder))
    assert result.code == 0, result.err
    sources = sorted(a["source"] for a in cli("articles", "--json").json())
    assert sources == ["2024/journal.pdf", "note.txt"]


def test_text_articles_have_no_page(seeded: RunCli) -> None:
    assert (
        seeded(
            "annotate", "000", "--quote", "人工智能", "--occurrence", "1", "--tag", "motive"
        ).code
        == 0
    )
    (span,) = seeded("spans", "--json").json()
    assert span["page"] is None


def test_many_pdfs_are_read_in_worker_processes(cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    # 32 files: the importer prepares them in a process pool (PARALLEL_MIN_FILES).
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(32):
        spec = Document([f"Report number {n}.", *ENGLISH], page_label_start=n + 1)
        (folder / f"report{n:02d}.pdf").write_bytes(build(spec).pdf)
    result = cli("import", str(folder))
    assert result.code == 0, result.err
    labels = _rows(
        db_path,
        "SELECT a.ref, p.label FROM article_pages p JOIN articles a ON a.id = p.article_id "
        "WHERE p.seq = 0 ORDER BY a.ref",
    )
    assert labels == [(f"report{n:02d}", str(n + 1)) for n in range(32)]


def test_a_footnote_keeps_the_page_it_was_printed_on(cli: RunCli, pdf_file: Path) -> None:
    """Notes move to the footnote block at the end, but a quote from one is cited on
    the page the note was printed on: its marker's page (before, it had no page)."""
    assert cli("import", str(pdf_file)).code == 0
    text = cli("show", "journal").out
    regions = [line.split("\t") for line in cli("show", "journal", "--regions").out.splitlines()]
    markers = {
        text[int(s) : int(e)].lstrip("^").strip("{}"): int(s)
        for kind, s, e in regions
        if kind == "footnote_marker"
    }
    checked = 0
    for kind, s, e in regions:
        if kind != "footnote":
            continue
        label, note = text[int(s) : int(e)].split(" ", 1)
        label = label.lstrip("^").strip("{}")
        quote = note[:20]
        if label not in markers or len(quote) < 8 or text.count(quote) != 1:
            continue
        in_note = cli("annotate", "journal", "--quote", quote, "--tag", "motive", "--json")
        assert in_note.code == 0, in_note.err
        at = markers[label]
        in_body = cli(
            "annotate", "journal", "--start", str(at - 3), "--end", str(at), "--tag", "motive",
            "--json",
        )  # fmt: skip
        assert in_body.code == 0, in_body.err
        page = {sp["id"]: sp["page"] for sp in cli("spans", "--json").json()}
        assert page[in_note.json()["id"]] is not None
        assert page[in_note.json()["id"]] == page[in_body.json()["id"]], (label, quote)
        checked += 1
    assert checked >= 2
