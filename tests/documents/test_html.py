"""The web-page reader against pages built here: the article, its notes, nothing else."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from claimmap.documents.html import read_html
from claimmap.documents.readers import read_document
from claimmap.documents.types import UnreadableDocument
from tests.documents.builders import Page, expected_body, html_note_labels, make_html
from tests.documents.test_docx import seed_paragraphs

ENGLISH = [
    "Technology has long shaped the distribution of power among states, and artificial "
    "intelligence is no exception.",
    "Since 2019 the two governments have coordinated research on quantum information and AI "
    "through a high-level committee, and in 2024 they announced a joint research partnership.",
    "Critics, however, argue that the partnership excludes developing countries, which weakens "
    "its claim to set global standards.",
]
RELATED = ["美欧人工智能合作的新动向", "中日韩科技合作前景展望", "US and EU launch AI council"]
COMMENTS = ["作者分析得很透彻，赞一个！", "I disagree with the author about export controls."]
ADS = ["限时优惠：AI课程五折", "Buy cheap GPUs now"]
NAV = ["首页导航", "国际频道", "科技前沿", "评论频道", "关于本站"]


def _page(**overrides: object) -> Page:
    paragraphs = seed_paragraphs("000")[3:9]
    paragraphs[0] += "{fn:nscai}"
    paragraphs[2] += "{fn:quad}"
    paragraphs = [*paragraphs, *ENGLISH]
    paragraphs[-2] = paragraphs[-2].replace("committee,", "committee{fn:committee},")
    fields: dict[str, object] = {
        "title": "美日人工智能合作:现状、局限与影响",
        "paragraphs": paragraphs,
        "footnotes": {
            "nscai": "美国国家人工智能安全委员会,《最终报告》,2021年3月。",
            "quad": "The White House, Quad Principles on Technology Design, 24 September 2021.",
            "committee": "U.S.-Japan Joint High-Level Committee on Science and Technology.",
        },
        "author": "王奕博",
        "date": "2024-06-18",
        "canonical": "https://news.example.cn/world/2024/0618/ai-cooperation.html",
        "og_url": "https://news.example.cn/world/2024/0618/ai-cooperation.html?from=og",
        "nav": NAV,
        "related": RELATED,
        "comments": COMMENTS,
        "ads": ADS,
    }
    fields.update(overrides)
    return Page(**fields)  # type: ignore[arg-type]


def _expected(page: Page) -> str:
    labels = html_note_labels(page)
    return "\n\n".join([page.title, *(expected_body(p, labels) for p in page.paragraphs)])


def test_article_body_matches_the_source() -> None:
    page = _page()
    document = read_html(make_html(page), "page.html")
    assert fuzz.ratio(document.body, _expected(page)) / 100 >= 0.99
    assert document.body.split("\n\n")[0] == page.title


def test_furniture_is_left_out() -> None:
    document = read_html(make_html(_page()), "page.html")
    for furniture in (
        *NAV,
        *RELATED,
        *COMMENTS,
        *ADS,
        "相关文章",
        "网友评论",
        "版权所有",
        "联系我们",
    ):
        assert furniture not in document.body, furniture
    # The byline went to the metadata, not the body.
    assert "作者: 王奕博" not in document.body


def test_footnotes_become_notes_with_markers() -> None:
    page = _page()
    document = read_html(make_html(page), "page.html")
    assert [(n.label, n.text) for n in document.notes] == [
        ("1", page.footnotes["nscai"]),
        ("2", page.footnotes["quad"]),
        ("3", page.footnotes["committee"]),
    ]
    body = document.body
    assert [body[m.start : m.end] for m in document.markers] == ["^1", "^2", "^3"]
    assert body[: document.markers[0].start].endswith(seed_paragraphs("000")[3])
    assert body[: document.markers[2].start].endswith("high-level committee")
    for text in page.footnotes.values():
        assert text not in body
    assert "↩" not in body


def test_wikipedia_style_references() -> None:
    paragraphs = "".join(
        f'<p>{text}<sup id="cite_ref-{k}" class="reference"><a href="#cite_note-{k}">[{k}]</a></sup></p>'
        for k, text in enumerate(ENGLISH * 2, start=1)
    )
    notes = "".join(
        f'<li id="cite_note-{k}"><span class="mw-cite-backlink"><a href="#cite_ref-{k}">^</a></span> '
        f'<span class="reference-text">Source number {k}.</span></li>'
        for k in range(1, 7)
    )
    page = (
        "<html><head><title>AI alliances - Wiki</title></head><body>"
        '<div id="mw-navigation"><a href="/">Main page</a> <a href="/random">Random article</a></div>'
        f'<div id="content"><h1>AI alliances</h1>{paragraphs}<h2>References</h2>'
        f'<div class="reflist"><ol class="references">{notes}</ol></div></div></body></html>'
    )
    document = read_html(page.encode(), "wiki.html")
    assert [(n.label, n.text) for n in document.notes] == [
        (f"[{k}]", f"Source number {k}.") for k in range(1, 7)
    ]
    assert [document.body[m.start : m.end] for m in document.markers] == [
        f"[{k}]" for k in range(1, 7)
    ]
    assert "Source number" not in document.body and "Random article" not in document.body
    assert "References" not in document.body  # the notes list's heading went with it
    assert ENGLISH[0] + "[1]" in document.body


def test_metadata_and_the_pages_own_url() -> None:
    page = _page()
    metadata = read_html(make_html(page), "page.html").metadata
    assert metadata.title == page.title
    assert metadata.authors == "王奕博"
    assert metadata.date == "2024-06-18"
    assert metadata.url == page.canonical
    og_only = read_html(make_html(_page(canonical=None)), "og.html").metadata
    assert og_only.url == page.og_url
    relative = read_html(make_html(_page(canonical="/world/a.html")), "rel.html").metadata
    assert relative.url == "https://news.example.cn/world/a.html"
    neither = read_html(make_html(_page(canonical=None, og_url=None)), "none.html").metadata
    assert neither.url is None
    # No date in the markup: none, not a guess from the copyright line's year.
    undated = read_html(make_html(_page(date=None, author=None)), "undated.html").metadata
    assert undated.date is None


@pytest.mark.parametrize(
    ("prefix", "encoding"), [("000", "gb18030"), ("000", "gb2312"), ("004", "gbk"), ("003", "big5")]
)
def test_declared_legacy_charsets(prefix: str, encoding: str) -> None:
    long_paragraphs = [p for p in seed_paragraphs(prefix) if len(p) > 60]
    paragraphs = [p for p in long_paragraphs if _encodable(p, encoding)][:6]
    page = _page(paragraphs=paragraphs, footnotes={}, title=paragraphs[0][:12])
    document = read_html(make_html(page, encoding), f"{prefix}.html")
    assert fuzz.ratio(document.body, _expected(page)) / 100 >= 0.99


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def test_undeclared_and_misdeclared_charsets_are_detected() -> None:
    page = _page()
    undeclared = make_html(page).replace(b'<meta charset="utf-8">', b"")
    assert fuzz.ratio(read_html(undeclared, "u.html").body, _expected(page)) / 100 >= 0.99
    lying = make_html(page, "gb18030").replace(b'charset="gb18030"', b'charset="utf-8"')
    assert fuzz.ratio(read_html(lying, "l.html").body, _expected(page)) / 100 >= 0.99


def test_registered_for_html_suffixes() -> None:
    raw = make_html(_page())
    for suffix in (".html", ".htm", ".HTM", ".xhtml"):
        assert read_document(suffix, raw, "x" + suffix).metadata.url == _page().canonical


def test_unreadable_pages_refused() -> None:
    with pytest.raises(UnreadableDocument, match=r"^blank\.html: .*empty"):
        read_html(b"   \n", "blank.html")
    with pytest.raises(UnreadableDocument, match=r"^img\.html: binary file"):
        read_html(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "img.html")
    with pytest.raises(UnreadableDocument, match="no article text"):
        read_html(b"<html><head><title>x</title></head><body><nav></nav></body></html>", "e.html")


def test_tables_lists_and_line_breaks_kept_as_text() -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in ENGLISH)
    page = (
        '<html><head><title>T</title></head><body><nav><a href="/">Home</a></nav>'
        f"<article><h1>Joint projects</h1>{paragraphs}"
        "<table><tr><th>Country</th><th>2019</th></tr><tr><td>Japan</td><td>12</td></tr>"
        "<tr><td>Korea</td><td>5</td></tr></table>"
        "<ul><li>First point of the list.</li><li>Second point.</li></ul>"
        "<p>Line one<br>line two of a poem.</p>"
        "<blockquote>A quoted passage from the joint statement.</blockquote></article></body></html>"
    )
    blocks = read_html(page.encode(), "t.html").body.split("\n\n")
    assert blocks == [
        "Joint projects",
        *ENGLISH,
        "Country\t2019\nJapan\t12\nKorea\t5",
        "First point of the list.\nSecond point.",
        "Line one\nline two of a poem.",
        "A quoted passage from the joint statement.",
    ]


def test_a_notes_lists_heading_leaves_with_the_list() -> None:
    paragraphs = "".join(
        f'<p>{text}<sup><a href="#n{k}">{k}</a></sup></p>' for k, text in enumerate(ENGLISH, 1)
    )
    notes = "".join(f'<li id="n{k}">Note {k} text.</li>' for k in range(1, 4))
    page = (
        f"<html><body><article><h1>Allies</h1>{paragraphs}<h2>注释</h2><ol>{notes}</ol>"
        "<p>A closing paragraph of the article, after its notes.</p></article></body></html>"
    )
    document = read_html(page.encode(), "notes.html")
    assert [note.text for note in document.notes] == [
        "Note 1 text.",
        "Note 2 text.",
        "Note 3 text.",
    ]
    assert document.body.split("\n\n")[-2:] == [
        ENGLISH[-1] + "^3",
        "A closing paragraph of the article, after its notes.",
    ]


def test_the_log_lists_what_was_left_out() -> None:
    page = _page()
    document = read_html(make_html(page), "page.html")
    (entry,) = [e for e in document.log if e.action == "removed"]
    left_out = entry.before.split("\n")
    for furniture in (*NAV, *RELATED, *COMMENTS, *ADS):
        assert furniture in left_out, furniture
    for paragraph in page.paragraphs[1:4]:
        assert expected_body(paragraph, html_note_labels(page)) not in left_out


def test_a_short_article_is_extracted_without_its_page_furniture() -> None:
    page = (
        '<html><body><nav><a href="/">Home</a> <a href="/about">About us</a></nav>'
        "<article><h1>简讯</h1><p>美日两国自二战后即开展技术合作。</p></article>"
        "<footer>Copyright 2024 Example</footer></body></html>"
    )
    assert read_html(page.encode(), "short.html").body == "简讯\n\n美日两国自二战后即开展技术合作。"
