"""A Word file saved as PDF by LibreOffice, through ``claimmap import``: what the
PDF reader must make of how such PDFs are drawn.

The fixture and its Word file are made by ``data/make_libreoffice_word.py``
(by hand: CI has no LibreOffice), which also holds the document's text.  Such a
PDF draws a character the body font lacks (``①``) as its own text object after
the text it sits in, and widens the gap between a Chinese character and a digit
(Asian/Western autospacing) with no space character in the text.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdfium2
import pytest
from sqlite_utils import Database

from claimmap.documents import pdf as pdf_reader
from claimmap.documents.notes import marker_text
from claimmap.documents.pdf import read_pdf
from tests.conftest import RunCli
from tests.documents.data.make_libreoffice_word import AUTHOR, HEADER, NOTES, PARAGRAPHS, TITLE

DATA = Path(__file__).resolve().parent / "data"
PDF = DATA / "libreoffice_word.pdf"
DOCX = DATA / "libreoffice_word.docx"
# A space between a Chinese character and a digit or Latin letter, either way round.
_CJK_LATIN_SPACE = re.compile(
    r"[\u4e00-\u9fff，。：；、）（《》] +[0-9A-Za-z^]|[0-9A-Za-z] +[\u4e00-\u9fff（）]"
)


def _expected_paragraphs() -> list[str]:
    """The body paragraphs as the PDF's canonical text should have them."""
    out = []
    for paragraph in PARAGRAPHS:
        for n in NOTES:
            paragraph = paragraph.replace(f"{{{n}}}", marker_text(str(n)))
        out.append(paragraph)
    return [TITLE, AUTHOR, *out]


def _article(db_path: Path, ref: str) -> tuple[str, dict[str, list[tuple[int, int]]], list[str]]:
    """The article's canonical text, its regions by kind, and its page labels."""
    db = Database(db_path)
    try:
        text, article_id = db.execute(
            "SELECT text, id FROM articles WHERE ref = ?", [ref]
        ).fetchone()
        regions: dict[str, list[tuple[int, int]]] = {}
        for kind, start, end in db.execute(
            'SELECT kind, start, "end" FROM article_regions WHERE article_id = ? ORDER BY start',
            [article_id],
        ):
            regions.setdefault(kind, []).append((start, end))
        pages = db.execute(
            'SELECT start, "end", label FROM article_pages WHERE article_id = ? ORDER BY seq',
            [article_id],
        ).fetchall()
    finally:
        db.close()
    bounds = [(s, e) for s, e, _ in pages]
    regions["page"] = bounds
    return text, regions, [label for _, _, label in pages]


@pytest.fixture
def imported(cli: RunCli, tmp_path: Path) -> RunCli:
    shutil.copyfile(PDF, tmp_path / PDF.name)
    shutil.copyfile(DOCX, tmp_path / "from_word.docx")
    result = cli("import", str(tmp_path / PDF.name))
    assert result.code == 0, result.err
    return cli


def test_fixture_is_small_and_made_by_libreoffice() -> None:
    raw = PDF.read_bytes()
    assert len(raw) < 150_000
    pdf = pypdfium2.PdfDocument(raw)
    try:
        assert pdf.get_metadata_dict()["Producer"].startswith("LibreOffice")
        assert len(pdf) == 2  # so the header and the page number repeat
    finally:
        pdf.close()


def test_paragraphs_whole_and_in_reading_order(imported: RunCli) -> None:
    text = imported("show", "libreoffice_word").out
    at = 0
    for paragraph in _expected_paragraphs():
        found = text.find(paragraph, at)
        assert found >= 0, f"not whole, or out of order: {paragraph[:30]}"
        at = found + len(paragraph)
    # A glyph from a fallback font is read where it is drawn, not as a line of its own.
    assert not [p for p in text.split("\n\n") if p.strip() in {"①", "②", "^"}]


def test_no_spaces_the_document_does_not_have(imported: RunCli) -> None:
    text = imported("show", "libreoffice_word").out
    # The note block's ``^1 `` is claimmap's own way of writing a note.
    notes_block = text.index("\n\n" + marker_text("1") + " ")
    assert _CJK_LATIN_SPACE.search(text[:notes_block]) is None, _CJK_LATIN_SPACE.findall(text)
    assert "2021年9月29日，美欧贸易" in text
    assert "美欧通过TTC合作" in text  # a line end between Latin and Chinese adds none
    # Spaces the document has stay: between Latin words and after a Latin comma.
    assert "（US-EU Trade and Technology Council, TTC）" in text
    assert "The Bletchley Declaration" in text


def test_running_header_and_page_numbers_gone_and_logged(imported: RunCli) -> None:
    text = imported("show", "libreoffice_word").out
    assert "国际问题研究" not in text
    assert not [p for p in text.split("\n\n") if p.strip() in {"1", "2"}]
    log = imported("show", "libreoffice_word", "--log").out
    assert f"running header (2 pages)\t'{HEADER}'" in log
    assert "page number (2 pages)\t'1 | 2'" in log


def test_footnotes_found_and_marked(imported: RunCli, db_path: Path) -> None:
    text, regions, _ = _article(db_path, "libreoffice_word")
    notes = [text[s:e] for s, e in regions["footnote"]]
    assert len(notes) == len(NOTES)
    for note, (n, expected) in zip(notes, sorted(NOTES.items()), strict=True):
        assert note.endswith(expected), note  # the note's text as written: no added spaces
        assert note.startswith(marker_text(str(n)))
    markers = [text[s:e] for s, e in regions["footnote_marker"]]
    assert markers == [marker_text(str(n)) for n in sorted(NOTES)]


def test_pages_recorded_and_the_split_paragraph_whole(imported: RunCli, db_path: Path) -> None:
    text, regions, labels = _article(db_path, "libreoffice_word")
    # The body's two pages, then each note on the page it is printed on.
    assert labels == ["1", "2", "1", "1", "2"]
    (first, second), notes = regions["page"][:2], regions["page"][2:]
    assert first[0] == 0 and first[1] == second[0]
    assert notes == regions["footnote"]
    # The paragraph that runs over the page break is one, and the break falls inside it.
    split = [p for p in _expected_paragraphs() if 0 < second[0] - text.index(p) < len(p)]
    assert len(split) == 1
    log = imported("show", "libreoffice_word", "--log").out
    assert "sentence split by the break before page 2 rejoined" in log


def test_pdf_reads_as_the_word_file_does(imported: RunCli, db_path: Path, tmp_path: Path) -> None:
    """The same document from its .docx and from its PDF: the same canonical text,
    markers and footnote block included, so importing the Word file after the PDF
    finds the article already there."""
    result = imported("import", "--json", str(tmp_path / "from_word.docx"))
    assert result.code == 0, result.err
    [item] = result.json()
    assert (item["status"], item["ref"]) == ("present", "libreoffice_word")


def test_characters_asked_one_by_one_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    # The reader takes a page's characters in one call where the text page's text
    # is one unit per character, else asks for each (a page with an emoji or a
    # control character): both give the same document.
    raw = PDF.read_bytes()
    at_once = read_pdf(raw, PDF.name)
    monkeypatch.setattr(pdf_reader, "_page_text", lambda textpage, count: None)
    one_by_one = read_pdf(raw, PDF.name)
    assert one_by_one.body == at_once.body
    assert one_by_one.notes == at_once.notes
