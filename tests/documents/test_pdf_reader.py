"""The PDF reader against PDFs typeset with known ground truth (``pdf_builder``).

Measured as the issue asks: body text equal to the source (character
similarity at least 0.99), no page furniture left, every footnote set apart and
its marker marked, every position's page right, refusals that say why.
"""

from __future__ import annotations

import io

import pytest
from rapidfuzz import fuzz
from reportlab.pdfgen import canvas

from claimmap.documents.pdf import read_pdf
from claimmap.documents.types import DocumentText, UnreadableDocument
from tests.documents.corpus import ENGLISH, article
from tests.documents.pdf_builder import HEIGHT, WIDTH, Built, Document, build

MIN_SIMILARITY = 99.0


def without_markers(doc: DocumentText) -> tuple[str, list[int]]:
    """The body with the note markers taken out, and where each kept character was."""
    cut = sorted((m.start, m.end) for m in doc.markers)
    kept: list[int] = []
    k = 0
    for i in range(len(doc.body)):
        while k < len(cut) and cut[k][1] <= i:
            k += 1
        if k < len(cut) and cut[k][0] <= i < cut[k][1]:
            continue
        kept.append(i)
    return "".join(doc.body[i] for i in kept), kept


def page_label_at(doc: DocumentText, offset: int) -> str | None:
    return next((p.label for p in doc.pages if p.start <= offset < p.end), None)


@pytest.fixture(scope="module")
def journal() -> tuple[Built, DocumentText, Document]:
    """Four-ish pages numbered from 12: Chinese and English, notes, a two-column page."""
    spec = Document(article(), two_column_pages=frozenset({2}), page_label_start=12)
    built = build(spec)
    return built, read_pdf(built.pdf, "journal.pdf"), spec


@pytest.fixture(scope="module")
def report() -> tuple[Built, DocumentText, Document]:
    """Front matter numbered i, ii, then 1, 2...; a running footer; no running header."""
    spec = Document(
        article(), header=None, footer="Center for Strategic Studies — Report", roman_front_pages=2
    )
    built = build(spec)
    return built, read_pdf(built.pdf, "report.pdf"), spec


@pytest.mark.parametrize("which", ["journal", "report"])
def test_body_equals_the_source(which: str, request: pytest.FixtureRequest) -> None:
    built, doc, _spec = request.getfixturevalue(which)
    body, _ = without_markers(doc)
    assert fuzz.ratio(body, built.body) >= MIN_SIMILARITY
    # Paragraphs survive as paragraphs (a sentence split by a page break is one).
    assert body.count("\n\n") == built.body.count("\n\n")


@pytest.mark.parametrize("which", ["journal", "report"])
def test_no_page_furniture_left(which: str, request: pytest.FixtureRequest) -> None:
    built, doc, spec = request.getfixturevalue(which)
    assert built.headers, "the builder drew running headers or footers"
    for furniture in set(built.headers):
        assert furniture not in doc.body
    labels = {spec.label(n) for n in range(len(doc.pages))}
    assert not [p for p in doc.body.split("\n\n") if p.strip() in labels]
    removed = [e.detail for e in doc.log if e.action == "removed"]
    assert any(d.startswith("page number") for d in removed)
    assert any(d.startswith(("running header", "running footer")) for d in removed)


def test_every_footnote_set_apart_and_marked(
    journal: tuple[Built, DocumentText, Document],
) -> None:
    built, doc, _spec = journal
    assert len(built.notes) >= 4
    assert [n.label for n in doc.notes] == [label for label, _ in built.notes]
    for note, (_label, text) in zip(doc.notes, built.notes, strict=True):
        assert fuzz.ratio(note.text, text) >= MIN_SIMILARITY
        assert note.text not in doc.body  # moved out of the body
    assert sorted(m.label for m in doc.markers) == sorted(label for label, _ in built.notes)
    for marker in doc.markers:
        assert doc.body[marker.start : marker.end] == "^" + marker.label
    assert any(e.action == "moved" for e in doc.log)


def test_sentence_split_by_a_page_break_is_rejoined(
    journal: tuple[Built, DocumentText, Document],
) -> None:
    _built, doc, _spec = journal
    joined = [e for e in doc.log if e.action == "joined"]
    assert joined
    for entry in joined:
        # The text either side of the page break now runs on in one paragraph.
        assert "\n" not in entry.after
        assert entry.after in doc.body


def test_english_hyphenated_line_ends_rejoined(
    journal: tuple[Built, DocumentText, Document],
) -> None:
    _built, doc, _spec = journal
    for paragraph in ENGLISH:
        assert paragraph in doc.body
    for mark in ("\ufffe", "\x02", "\u00ad"):
        assert mark not in doc.body


def test_every_position_has_the_right_page(
    journal: tuple[Built, DocumentText, Document], report: tuple[Built, DocumentText, Document]
) -> None:
    for built, doc, spec in (journal, report):
        assert [p.label for p in doc.pages] == [spec.label(n) for n in range(len(doc.pages))]
        assert len(doc.pages) >= 3
        assert doc.pages[0].start == 0
        assert all(a.end == b.start for a, b in zip(doc.pages, doc.pages[1:], strict=False))
        body, kept = without_markers(doc)
        assert body == built.body  # so ground-truth offsets carry over one to one
        for offset in range(0, len(body), 7):
            if body[offset] == "\n":
                continue
            assert page_label_at(doc, kept[offset]) == spec.label(built.char_pages[offset])


def test_two_column_page_read_column_by_column() -> None:
    paragraphs = article()
    spec = Document(paragraphs, two_column_pages=frozenset({0, 1}))
    built = build(spec)
    doc = read_pdf(built.pdf, "columns.pdf")
    body, _ = without_markers(doc)
    assert fuzz.ratio(body, built.body) >= MIN_SIMILARITY
    assert body.count("\n\n") == built.body.count("\n\n")


def _pdf(draw: object, **kw: object) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(WIDTH, HEIGHT), **kw)  # type: ignore[arg-type]
    draw(c)  # type: ignore[operator]
    c.showPage()
    c.save()
    return buf.getvalue()


def test_scanned_pdf_refused_no_ocr() -> None:
    def picture(c: canvas.Canvas) -> None:
        c.rect(72, 72, 400, 600, fill=1)  # an image of a page, no text layer

    with pytest.raises(UnreadableDocument) as err:
        read_pdf(_pdf(picture), "scan.pdf")
    message = str(err.value)
    assert message.startswith("scan.pdf: ")
    assert "no text layer" in message and "OCR" in message
    assert "\n" not in message


def test_encrypted_pdf_refused() -> None:
    def text(c: canvas.Canvas) -> None:
        c.drawString(72, 700, "Secret cooperation agreement.")

    raw = _pdf(text, encrypt="user-password")
    with pytest.raises(UnreadableDocument) as err:
        read_pdf(raw, "locked.pdf")
    assert "encrypted" in str(err.value) and str(err.value).startswith("locked.pdf: ")


@pytest.mark.parametrize(
    "raw",
    [
        b"%PDF-1.7\n" + bytes(range(256)) * 8,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 9 0 R >>\n%%EOF",
        b"PK\x03\x04 this is a zip archive, not a PDF",
    ],
)
def test_damaged_pdf_refused(raw: bytes) -> None:
    with pytest.raises(UnreadableDocument) as err:
        read_pdf(raw, "broken.pdf")
    message = str(err.value)
    assert message.startswith("broken.pdf: ") and "damaged" in message
    assert "\n" not in message


def test_metadata_title_kept_placeholders_dropped() -> None:
    spec = Document(ENGLISH, title="Transatlantic AI Cooperation")
    doc = read_pdf(build(spec).pdf, "titled.pdf")
    assert doc.metadata.title == "Transatlantic AI Cooperation"
    # reportlab writes "anonymous" as the author when none is set: not an author.
    assert doc.metadata.authors is None


def test_ligatures_in_a_pdf_become_letters() -> None:
    spec = Document(["The ﬁnancial ﬂows of eﬃcient oﬃces diﬀer.", *ENGLISH], header=None)
    doc = read_pdf(build(spec).pdf, "ligatures.pdf")
    assert "The financial flows of efficient offices differ." in doc.body
    assert not any("\ufb00" <= ch <= "\ufb4f" for ch in doc.body)
