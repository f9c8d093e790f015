"""A reader's document to canonical text: notes block, regions, pages through cleaning."""

from __future__ import annotations

import unicodedata

from claimmap.documents.canonical import canonical_document
from claimmap.documents.types import DocumentText, Note, NoteMarker, Page


def test_notes_appended_as_marked_block_and_regions_kept() -> None:
    body = "第一段^1。\n\n第二段^2。"
    doc = DocumentText(
        body=body,
        notes=[Note("1", "注释一。"), Note("2", "注释二。")],
        markers=[NoteMarker(3, 5, "1"), NoteMarker(11, 13, "2")],
        pages=[Page(0, 7, "3"), Page(7, len(body), "4")],
    )
    out = canonical_document(doc)
    text = out.cleaned.text
    assert text == body + "\n\n^1 注释一。\n\n^2 注释二。"
    kinds = [(r.kind, text[r.start : r.end]) for r in out.cleaned.regions]
    assert kinds == [
        ("footnote_marker", "^1"),
        ("footnote_marker", "^2"),
        ("footnote", "^1 注释一。"),
        ("footnote", "^2 注释二。"),
    ]
    assert [(p.start, p.end, p.label) for p in out.pages] == [(0, 7, "3"), (7, len(body), "4")]


def test_pages_and_markers_follow_the_cleaning() -> None:
    # NFD accents compose (NFC) and the pinyin leak is repaired: both shorten the text.
    leak = "產業(yè)發展(fā zhǎn)產業(yè)發展(fā zhǎn)產業(yè)發展(fā zhǎn)"
    first = "Cafe\u0301 e\u0301tude." + leak
    second = "第二页的文字^1。"
    body = first + "\n\n" + second
    start2 = len(first) + 2
    doc = DocumentText(
        body=body,
        notes=[Note("1", "注。")],
        markers=[NoteMarker(start2 + 6, start2 + 8, "1")],
        pages=[Page(0, start2, "1"), Page(start2, len(body), "2")],
    )
    out = canonical_document(doc)
    text = out.cleaned.text
    assert text.startswith(unicodedata.normalize("NFC", "Cafe\u0301 e\u0301tude."))
    assert "(yè)" not in text
    page2 = out.pages[1]
    assert text[page2.start :].startswith("第二页的文字")
    assert out.pages[0].end == page2.start
    marker = next(r for r in out.cleaned.regions if r.kind == "footnote_marker")
    assert text[marker.start : marker.end] == "^1"
    assert any(e.step == "normalize" for e in out.cleaned.log)


def test_reader_log_comes_first() -> None:
    from claimmap.textprep.types import LogEntry

    entry = LogEntry("pdf", "removed", "page number (1 page)", "7", "", None)
    out = canonical_document(DocumentText(body="正文。", log=[entry]))
    assert out.cleaned.log[0] == entry
