"""The EPUB reader against books built here: spine order, chapter titles, notes."""

from __future__ import annotations

import io
import zipfile

import pytest
from rapidfuzz import fuzz

from claimmap.documents.epub import read_epub
from claimmap.documents.readers import read_document
from claimmap.documents.types import UnreadableDocument
from tests.documents.builders import Chapter, epub_note_labels, expected_body, make_epub
from tests.documents.test_docx import seed_paragraphs

# File names sort a, b, c; the spine reads a, c, b.
SPINE = ["a_intro.xhtml", "c_cooperation.xhtml", "b_conclusion.xhtml"]


def _chapters() -> list[Chapter]:
    s000 = seed_paragraphs("000")
    s004 = seed_paragraphs("004")
    return [
        Chapter(
            "a_intro.xhtml",
            "第一章 引言",
            [s000[2] + "{fn:digital}", s000[4], "Technology has long shaped the balance of power."],
            {"digital": "数字技术,指以计算机为核心的信息技术。"},
        ),
        Chapter(
            "b_conclusion.xhtml",
            "Chapter 3. Conclusion",
            [
                s004[13],
                "The partnership, critics argue{fn:critics}, excludes developing countries{fn:south}.",
            ],
            {
                "critics": "See the 2024 reviews by Kawashima and Aoyama.",
                "south": "On the Global South, see chapter 2.",
            },
            notes_as="section",
        ),
        Chapter(
            "c_cooperation.xhtml",
            "第二章 合作的路径",
            [s000[5] + "{fn:quad}", s000[6], s000[7]],
            {"quad": "美日澳印“四方安全对话”(QUAD)。"},
            heading=False,
        ),
    ]


def _book(**kwargs: object) -> bytes:
    return make_epub(
        _chapters(),
        SPINE,
        title="美日人工智能合作研究",
        author="王奕博",
        date="2024-05-01T00:00:00Z",
        **kwargs,  # type: ignore[arg-type]
    )


def _expected() -> str:
    chapters = {chapter.file_name: chapter for chapter in _chapters()}
    labels = epub_note_labels(list(chapters.values()))
    out: list[str] = []
    for name in SPINE:
        chapter = chapters[name]
        keyed = {f"fn:{key}": labels[f"{name}:{key}"] for key in chapter.notes}
        out.append(chapter.title)
        out.extend(expected_body(text, keyed) for text in chapter.paragraphs)
    return "\n\n".join(out)


def test_chapters_in_spine_order_with_titles() -> None:
    document = read_epub(_book(), "book.epub")
    expected = _expected()
    assert fuzz.ratio(document.body, expected) / 100 >= 0.99
    paragraphs = document.body.split("\n\n")
    assert paragraphs == expected.split("\n\n")
    titles = [
        paragraphs.index(t) for t in ("第一章 引言", "第二章 合作的路径", "Chapter 3. Conclusion")
    ]
    assert titles == sorted(titles)


def test_chapter_without_heading_takes_its_title_from_the_toc() -> None:
    body = read_epub(_book(), "book.epub").body
    # c_cooperation.xhtml has no <h1>; the navigation document names it.
    assert "\n\n第二章 合作的路径\n\n" + seed_paragraphs("000")[5] in body


def test_every_note_is_a_note_with_its_marker() -> None:
    document = read_epub(_book(), "book.epub")
    chapters = {chapter.file_name: chapter for chapter in _chapters()}
    expected_notes = [
        ("1", chapters["a_intro.xhtml"].notes["digital"]),
        ("1", chapters["c_cooperation.xhtml"].notes["quad"]),
        ("1", chapters["b_conclusion.xhtml"].notes["critics"]),
        ("2", chapters["b_conclusion.xhtml"].notes["south"]),
    ]
    assert [(n.label, n.text) for n in document.notes] == expected_notes
    body = document.body
    assert [body[m.start : m.end] for m in document.markers] == ["^1", "^1", "^1", "^2"]
    assert body[: document.markers[2].start].endswith("critics argue")
    assert body[: document.markers[1].start].endswith(seed_paragraphs("000")[5])
    for _label, text in expected_notes:
        assert text not in body
    assert "注释" not in body  # the endnotes section's heading went with it


def test_metadata_from_the_package_document() -> None:
    metadata = read_epub(_book(), "book.epub").metadata
    assert metadata.title == "美日人工智能合作研究"
    assert metadata.authors == "王奕博"
    assert metadata.date == "2024-05-01"


def test_package_at_the_root_and_nonlinear_items() -> None:
    document = read_epub(
        _book(opf_path="content.opf", nonlinear=frozenset({"b_conclusion.xhtml"})), "b.epub"
    )
    assert "Chapter 3. Conclusion" not in document.body
    assert document.body.startswith("第一章 引言")
    assert any("non-linear" in entry.detail for entry in document.log)
    # The left-out item's notes are not the body's notes.
    assert "See the 2024 reviews by Kawashima and Aoyama." not in [n.text for n in document.notes]
    assert len(document.notes) == len(document.markers) == 2


EPUB2_CHAPTER = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>
<p class="indent">Allies&nbsp;coordinate research<sup><a href="notes.html#n1" id="r1">1</a></sup>
and   investment
 across borders.</p>
<p>Second<br/>line.</p>
<table><tr><td>Japan</td><td>12</td></tr><tr><td>Korea</td><td>5</td></tr></table>
</body></html>"""
EPUB2_NOTES = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Notes</title></head><body>
<h2>Notes</h2><p id="n1"><a href="chapter.html#r1">1</a>. Joint statement, April 2024.</p>
</body></html>"""


def _epub2(extra: dict[str, str] | None = None) -> bytes:
    opf = """<?xml version="1.0"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Alliances</dc:title>
<dc:creator>Ana Li</dc:creator><dc:creator>Tom Park</dc:creator><dc:date>2019</dc:date>
<dc:identifier id="id">https://example.org/books/alliances</dc:identifier></metadata>
<manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
<item id="ch" href="chapter.html" media-type="application/xhtml+xml"/>
<item id="notes" href="notes.html" media-type="application/xhtml+xml"/></manifest>
<spine toc="ncx"><itemref idref="ch"/><itemref idref="notes"/></spine></package>"""
    ncx = """<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap>
<navPoint id="p1"><navLabel><text>1 Allied research</text></navLabel><content src="chapter.html"/></navPoint>
</navMap></ncx>"""
    container = (
        '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">'
        '<rootfiles><rootfile full-path="OPS/book.opf"/></rootfiles></container>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("META-INF/container.xml", container)
        archive.writestr("OPS/book.opf", opf)
        archive.writestr("OPS/toc.ncx", ncx)
        archive.writestr("OPS/chapter.html", EPUB2_CHAPTER)
        archive.writestr("OPS/notes.html", EPUB2_NOTES)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def test_epub2_ncx_entities_and_superscript_notes() -> None:
    document = read_epub(_epub2(), "old.epub")
    assert document.body == (
        "1 Allied research\n\n"
        "Allies\u00a0coordinate research^1 and investment across borders.\n\n"
        "Second\nline.\n\n"
        "Japan\t12\nKorea\t5"
    )
    assert [(n.label, n.text) for n in document.notes] == [("1", "Joint statement, April 2024.")]
    (marker,) = document.markers
    assert document.body[marker.start : marker.end] == "^1"
    assert document.body[: marker.start].endswith("coordinate research")
    assert document.metadata.authors == "Ana Li; Tom Park"
    assert document.metadata.date == "2019"
    assert document.metadata.url == "https://example.org/books/alliances"


def test_registered_for_the_epub_suffix() -> None:
    assert read_document(".epub", _book(), "x.epub").body.startswith("第一章 引言")


def test_protected_and_damaged_books_refused() -> None:
    encryption = (
        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
        'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
        '<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
        '<enc:CipherData><enc:CipherReference URI="OPS/chapter.html"/></enc:CipherData>'
        "</enc:EncryptedData></encryption>"
    )
    with pytest.raises(UnreadableDocument, match=r"^drm\.epub: .*DRM-protected"):
        read_epub(_epub2({"META-INF/encryption.xml": encryption}), "drm.epub")
    fonts_only = encryption.replace(
        "http://www.w3.org/2001/04/xmlenc#aes128-cbc", "http://www.idpf.org/2008/embedding"
    )
    assert read_epub(_epub2({"META-INF/encryption.xml": fonts_only}), "f.epub").body
    with pytest.raises(UnreadableDocument, match=r"^cut\.epub: damaged"):
        read_epub(_book()[:200], "cut.epub")
    no_container = io.BytesIO()
    with zipfile.ZipFile(no_container, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
    with pytest.raises(UnreadableDocument, match=r"container\.xml is missing"):
        read_epub(no_container.getvalue(), "empty.epub")
    entity_bomb = (
        '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container">&b;</container>'
    )
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w") as archive:
        archive.writestr("META-INF/container.xml", entity_bomb)
    with pytest.raises(UnreadableDocument, match="not well-formed"):
        read_epub(bomb.getvalue(), "bomb.epub")


def test_a_title_already_in_the_text_is_not_repeated() -> None:
    chapters = [
        Chapter("a.xhtml", "第一章 引言", ["第一章 引言", "正文第一段。"], heading=False),
        Chapter("b.xhtml", "第二章", ["正文第二段。"], heading=False),
    ]
    body = read_epub(make_epub(chapters, ["a.xhtml", "b.xhtml"]), "t.epub").body
    assert body == "第一章 引言\n\n正文第一段。\n\n第二章\n\n正文第二段。"


def _one_chapter(xhtml: str) -> bytes:
    chapter = Chapter("x.xhtml", "x", [])
    raw = make_epub([chapter], ["x.xhtml"])
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith("x.xhtml"):
                data = xhtml.encode()
            archive.writestr(info, data)
    return out.getvalue()


def test_aria_endnotes_and_unreferenced_rear_notes() -> None:
    xhtml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        "<body><h1>第四章</h1>"
        '<p>合作深化<a role="doc-noteref" href="#e1">[1]</a>,但分歧仍在<a role="doc-noteref" href="#e2">[2]</a>。</p>'
        '<section role="doc-endnotes"><h2>注释</h2><ol>'
        '<li role="doc-endnote" id="e1"><p>见联合声明。 <a role="doc-backlink" href="#r1">↩</a></p></li>'
        '<li role="doc-endnote" id="e2"><p>See the 2024 review.</p></li></ol></section>'
        '<aside epub:type="rearnote" id="rn"><p>3. A rear note nobody links to.</p></aside>'
        "</body></html>"
    )
    document = read_epub(_one_chapter(xhtml), "aria.epub")
    assert document.body == "第四章\n\n合作深化[1],但分歧仍在[2]。"
    assert [(n.label, n.text) for n in document.notes] == [
        ("[1]", "见联合声明。"),
        ("[2]", "See the 2024 review."),
        ("3", "A rear note nobody links to."),
    ]
    assert [document.body[m.start : m.end] for m in document.markers] == ["[1]", "[2]"]
