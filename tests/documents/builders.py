"""Documents with known ground truth, built in the tests: DOCX, HTML pages, EPUB.

Shared by the reader tests, the end-to-end import tests and the benchmarks.  Each
builder returns the file's bytes.  Paragraph strings may hold placeholders that
the builders turn into the format's own constructs:

- ``{fn:KEY}`` / ``{en:KEY}``: a footnote / endnote reference (text in ``footnotes``
  / ``endnotes`` under KEY);
- DOCX only: ``{ins:TEXT}`` tracked insertion, ``{del:TEXT}`` tracked deletion,
  ``{movefrom:TEXT}`` / ``{moveto:TEXT}`` a tracked move.

``expected_body`` gives the text a reader should produce for such a paragraph
(insertions and moves accepted, deletions dropped, markers as their labels).
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field

from claimmap.documents.notes import marker_text

_PLACEHOLDER_RE = re.compile(r"\{(fn|en|ins|del|movefrom|moveto):([^{}]*)\}")


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Table:
    rows: list[list[str]]


Block = str | Heading | Table


def expected_body(text: str, labels: dict[str, str] | None = None) -> str:
    """The accepted text of a placeholder paragraph; note markers become their labels
    as every reader writes them (``^1``: ``documents.notes.marker_text``)."""
    labels = labels or {}

    def replace(match: re.Match[str]) -> str:
        kind, value = match.group(1), match.group(2)
        if kind in ("fn", "en"):
            label = labels.get(f"{kind}:{value}")
            return "" if label is None else marker_text(label)
        return "" if kind in ("del", "movefrom") else value

    return _PLACEHOLDER_RE.sub(replace, text)


def note_labels(blocks: list[Block]) -> dict[str, str]:
    """``fn:KEY`` -> "1", ``en:KEY`` -> "i": Word's default numbering in reading order."""
    labels: dict[str, str] = {}
    counts = {"fn": 0, "en": 0}
    romans = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            texts.append(block)
        elif isinstance(block, Heading):
            texts.append(block.text)
        else:
            texts.extend(cell for row in block.rows for cell in row)
    for text in texts:
        for match in _PLACEHOLDER_RE.finditer(text):
            kind = match.group(1)
            if kind in counts:
                counts[kind] += 1
                n = counts[kind]
                labels[f"{kind}:{match.group(2)}"] = str(n) if kind == "fn" else romans[n - 1]
    return labels


# -- DOCX ---------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_REL_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _docx_inline(escaped: str, note_ids: dict[str, int]) -> str:
    """Placeholders inside python-docx's ``<w:t>`` text -> WordprocessingML runs."""

    def replace(match: re.Match[str]) -> str:
        kind, value = match.group(1), match.group(2)
        close, reopen = "</w:t></w:r>", '<w:r><w:t xml:space="preserve">'
        if kind in ("fn", "en"):
            tag = "footnoteReference" if kind == "fn" else "endnoteReference"
            style = "FootnoteReference" if kind == "fn" else "EndnoteReference"
            ref = (
                f'<w:r><w:rPr><w:rStyle w:val="{style}"/></w:rPr>'
                f'<w:{tag} w:id="{note_ids[f"{kind}:{value}"]}"/></w:r>'
            )
            return close + ref + reopen
        author = 'w:author="Reviewer" w:date="2024-05-01T10:00:00Z"'
        if kind == "ins":
            return close + f'<w:ins w:id="901" {author}>{_run(value)}</w:ins>' + reopen
        if kind == "moveto":
            return close + f'<w:moveTo w:id="903" {author}>{_run(value)}</w:moveTo>' + reopen
        deleted = f'<w:r><w:delText xml:space="preserve">{value}</w:delText></w:r>'
        wrapper = "del" if kind == "del" else "moveFrom"
        return close + f'<w:{wrapper} w:id="902" {author}>{deleted}</w:{wrapper}>' + reopen

    return _PLACEHOLDER_RE.sub(replace, escaped)


def _notes_part(kind: str, notes: dict[str, str], note_ids: dict[str, int]) -> bytes:
    prefix = "fn" if kind == "footnote" else "en"
    ref = "footnoteRef" if kind == "footnote" else "endnoteRef"
    items = [
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>',
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        f"<w:continuationSeparator/></w:r></w:p></w:{kind}>",
    ]
    for key, text in notes.items():
        paragraphs = "".join(
            f"<w:p><w:r><w:{ref}/></w:r>{_run(' ' + html.escape(line, quote=False))}</w:p>"
            if k == 0
            else f"<w:p>{_run(html.escape(line, quote=False))}</w:p>"
            for k, line in enumerate(text.split("\n"))
        )
        items.append(f'<w:{kind} w:id="{note_ids[f"{prefix}:{key}"]}">{paragraphs}</w:{kind}>')
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:{kind}s xmlns:w="{_W}">{"".join(items)}</w:{kind}s>'
    ).encode()


def make_docx(
    paragraphs: list[Block],
    footnotes: dict[str, str] | None = None,
    endnotes: dict[str, str] | None = None,
    *,
    title: str | None = None,
    author: str | None = None,
    created: str | None = None,
    header: str | None = None,
    footer: str | None = None,
) -> bytes:
    """A Word file written by python-docx, with notes and tracked changes added as XML.

    python-docx writes the document, its styles, headings, tables and core
    properties; it cannot write notes or tracked changes, so those are spliced
    into its XML the way Word stores them.
    """
    import datetime

    import docx  # python-docx (MIT), a dev dependency

    footnotes = footnotes or {}
    endnotes = endnotes or {}
    document = docx.Document()
    for block in paragraphs:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Table):
            table = document.add_table(rows=len(block.rows), cols=len(block.rows[0]))
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
        else:
            document.add_paragraph(block)
    section = document.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    core = document.core_properties
    core.title = title or ""
    core.author = author or ""
    if created:
        core.created = datetime.datetime.fromisoformat(created)
    buffer = io.BytesIO()
    document.save(buffer)

    note_ids = {f"fn:{key}": k + 1 for k, key in enumerate(footnotes)}
    note_ids.update({f"en:{key}": k + 1 for k, key in enumerate(endnotes)})
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = _docx_inline(data.decode(), note_ids).encode()
            elif info.filename == "word/_rels/document.xml.rels":
                extra = (
                    f'<Relationship Id="rIdFn" Type="{_REL_FOOTNOTES}" Target="footnotes.xml"/>'
                    f'<Relationship Id="rIdEn" Type="{_REL_ENDNOTES}" Target="endnotes.xml"/>'
                )
                data = data.replace(b"</Relationships>", extra.encode() + b"</Relationships>")
            elif info.filename == "[Content_Types].xml":
                extra = (
                    f'<Override PartName="/word/footnotes.xml" ContentType="{_CT}.footnotes+xml"/>'
                    f'<Override PartName="/word/endnotes.xml" ContentType="{_CT}.endnotes+xml"/>'
                )
                data = data.replace(b"</Types>", extra.encode() + b"</Types>")
            target.writestr(info, data)
        target.writestr("word/footnotes.xml", _notes_part("footnote", footnotes, note_ids))
        target.writestr("word/endnotes.xml", _notes_part("endnote", endnotes, note_ids))
    return out.getvalue()


# -- HTML ---------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A news-site article page: the article and every kind of furniture around it."""

    title: str
    paragraphs: list[str]
    footnotes: dict[str, str] = field(default_factory=dict)
    author: str | None = None
    date: str | None = None
    canonical: str | None = None
    og_url: str | None = None
    lang: str = "zh"
    nav: list[str] = field(default_factory=lambda: ["首页", "国际", "科技", "评论", "关于我们"])
    related: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    ads: list[str] = field(default_factory=list)


def html_note_labels(page: Page) -> dict[str, str]:
    labels: dict[str, str] = {}
    for text in page.paragraphs:
        for match in _PLACEHOLDER_RE.finditer(text):
            if match.group(1) == "fn":
                labels[f"fn:{match.group(2)}"] = str(len(labels) + 1)
    return labels


def make_html(page: Page, encoding: str = "utf-8") -> bytes:
    """The page as bytes in ``encoding``, declared in a ``<meta charset>``."""
    labels = html_note_labels(page)

    def paragraph(text: str) -> str:
        escaped = html.escape(text, quote=False)

        def ref(match: re.Match[str]) -> str:
            key = match.group(2)
            n = labels[f"fn:{key}"]
            return f'<sup id="fnref{n}"><a href="#fn{n}" class="footnote-ref">{n}</a></sup>'

        return f"<p>{_PLACEHOLDER_RE.sub(ref, escaped)}</p>"

    head = [
        f'<meta charset="{encoding}">',
        f"<title>{html.escape(page.title)} - 示例新闻网</title>",
    ]
    if page.canonical:
        head.append(f'<link rel="canonical" href="{html.escape(page.canonical)}">')
    if page.og_url:
        head.append(f'<meta property="og:url" content="{html.escape(page.og_url)}">')
    head.append(f'<meta property="og:title" content="{html.escape(page.title)}">')
    if page.author:
        head.append(f'<meta name="author" content="{html.escape(page.author)}">')
    if page.date:
        head.append(
            f'<meta property="article:published_time" content="{page.date}T08:00:00+08:00">'
        )
    nav = "".join(
        f'<li><a href="/{k}">{html.escape(item)}</a></li>' for k, item in enumerate(page.nav)
    )
    related = "".join(
        f'<li><a href="/news/{k}.html">{html.escape(item)}</a></li>'
        for k, item in enumerate(page.related)
    )
    comments = "".join(
        f'<div class="comment"><span class="comment-author">读者{k}</span>'
        f"<p>{html.escape(item)}</p></div>"
        for k, item in enumerate(page.comments)
    )
    ads = "".join(
        f'<div class="ad advertisement"><a href="https://ads.example/{k}">{html.escape(item)}</a></div>'
        for k, item in enumerate(page.ads)
    )
    notes = "".join(
        f'<li id="fn{labels[f"fn:{key}"]}"><p>{html.escape(text)} '
        f'<a href="#fnref{labels[f"fn:{key}"]}" class="footnote-back">↩</a></p></li>'
        for key, text in page.footnotes.items()
    )
    byline = (
        f'<p class="byline">作者: <span class="author">{html.escape(page.author)}</span>'
        f' <time datetime="{page.date}">{page.date}</time></p>'
        if page.author
        else ""
    )
    body = f"""<header class="site-header"><div class="logo">示例新闻网</div>
<nav class="main-nav"><ul>{nav}</ul></nav></header>
{ads}
<main><article class="post">
<h1 class="entry-title">{html.escape(page.title)}</h1>
{byline}
<div class="entry-content">
{"".join(paragraph(text) for text in page.paragraphs)}
</div>
{f'<section class="footnotes"><hr><ol>{notes}</ol></section>' if notes else ""}
</article>
<aside class="related-posts"><h3>相关文章</h3><ul>{related}</ul></aside>
<section id="comments" class="comments"><h3>网友评论</h3>{comments}</section>
</main>
<footer class="site-footer"><p>Copyright © 2024 示例新闻网 版权所有</p>
<ul class="footer-links"><li><a href="/about">关于我们</a></li><li><a href="/contact">联系我们</a></li></ul></footer>"""
    document = (
        f'<!DOCTYPE html>\n<html lang="{page.lang}"><head>{"".join(head)}</head>'
        f"<body>{body}</body></html>"
    )
    # Characters the charset lacks are written as character references, as editors do.
    return document.encode(encoding, errors="xmlcharrefreplace")


# -- EPUB ---------------------------------------------------------------------


@dataclass(frozen=True)
class Chapter:
    """One content document: its file name, title and paragraphs; notes by key."""

    file_name: str
    title: str
    paragraphs: list[str]
    notes: dict[str, str] = field(default_factory=dict)
    notes_as: str = "aside"  # "aside" (footnote asides) or "section" (an endnotes list)
    heading: bool = True  # False: the title is only in the table of contents


def epub_note_labels(chapters: list[Chapter]) -> dict[str, str]:
    """Note labels as the book prints them: numbered from 1 in each chapter."""
    labels: dict[str, str] = {}
    for chapter in chapters:
        n = 0
        for text in chapter.paragraphs:
            for match in _PLACEHOLDER_RE.finditer(text):
                if match.group(1) == "fn":
                    n += 1
                    labels[f"{chapter.file_name}:{match.group(2)}"] = str(n)
    return labels


def _chapter_xhtml(chapter: Chapter, labels: dict[str, str]) -> str:
    def paragraph(text: str) -> str:
        escaped = html.escape(text, quote=False)

        def ref(match: re.Match[str]) -> str:
            key = match.group(2)
            n = labels[f"{chapter.file_name}:{key}"]
            return f'<a epub:type="noteref" href="#note-{key}" id="ref-{key}">{n}</a>'

        return f"<p>{_PLACEHOLDER_RE.sub(ref, escaped)}</p>"

    notes = ""
    if chapter.notes:
        items = []
        for key, text in chapter.notes.items():
            n = labels[f"{chapter.file_name}:{key}"]
            back = f'<a href="#ref-{key}">{n}</a>'
            if chapter.notes_as == "aside":
                items.append(
                    f'<aside epub:type="footnote" id="note-{key}"><p>{back} {html.escape(text)}</p></aside>'
                )
            else:
                items.append(
                    f'<li epub:type="endnote" id="note-{key}"><p>{html.escape(text)} {back}</p></li>'
                )
        notes = (
            "".join(items)
            if chapter.notes_as == "aside"
            else f'<section epub:type="endnotes"><h2>注释</h2><ol>{"".join(items)}</ol></section>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f"<head><title>{html.escape(chapter.title)}</title></head><body><section>"
        f"{f'<h1>{html.escape(chapter.title)}</h1>' if chapter.heading else ''}"
        f"{''.join(paragraph(text) for text in chapter.paragraphs)}{notes}</section></body></html>"
    )


def make_epub(
    chapters: list[Chapter],
    spine: list[str],
    *,
    title: str = "书名",
    author: str | None = None,
    date: str | None = None,
    opf_path: str = "OEBPS/content.opf",
    nonlinear: frozenset[str] = frozenset(),
) -> bytes:
    """An EPUB 3 with the chapters in the manifest in file order and ``spine`` (file
    names) giving the reading order, plus a navigation document."""
    folder = opf_path.rpartition("/")[0]
    prefix = f"{folder}/" if folder else ""
    labels = epub_note_labels(chapters)
    by_file = {chapter.file_name: chapter for chapter in chapters}
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
    ]
    for k, chapter in enumerate(sorted(chapters, key=lambda c: c.file_name)):
        manifest.append(
            f'<item id="c{k}" href="{chapter.file_name}" media-type="application/xhtml+xml"/>'
        )
    ids = {
        chapter.file_name: f"c{k}"
        for k, chapter in enumerate(sorted(chapters, key=lambda c: c.file_name))
    }
    linear_no = ' linear="no"'
    itemrefs = "".join(
        f'<itemref idref="{ids[name]}"{linear_no if name in nonlinear else ""}/>' for name in spine
    )
    metadata = [
        f"<dc:title>{html.escape(title)}</dc:title>",
        "<dc:language>zh</dc:language>",
        '<dc:identifier id="uid">urn:uuid:12345678-1234-5678-1234-567812345678</dc:identifier>',
    ]
    if author:
        metadata.append(f"<dc:creator>{html.escape(author)}</dc:creator>")
    if date:
        metadata.append(f"<dc:date>{date}</dc:date>")
    opf = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">'
        f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">{"".join(metadata)}</metadata>'
        f"<manifest>{''.join(manifest)}</manifest><spine>{itemrefs}</spine></package>"
    )
    nav_items = "".join(
        f'<li><a href="{name}">{html.escape(by_file[name].title)}</a></li>' for name in spine
    )
    nav = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f'<head><title>目录</title></head><body><nav epub:type="toc"><h1>目录</h1><ol>{nav_items}</ol></nav>'
        "</body></html>"
    )
    container = (
        '<?xml version="1.0"?>\n'
        '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
        f'<rootfiles><rootfile full-path="{opf_path}" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        archive.writestr("META-INF/container.xml", container)
        archive.writestr(opf_path, opf)
        archive.writestr(f"{prefix}nav.xhtml", nav)
        for chapter in chapters:
            archive.writestr(f"{prefix}{chapter.file_name}", _chapter_xhtml(chapter, labels))
    return out.getvalue()


def docx_from_xml(
    body: str,
    footnotes: str | None = None,
    settings: str | None = None,
    numbering: str | None = None,
) -> bytes:
    """A minimal Word package around hand-written ``<w:body>`` content (and notes).

    For constructs python-docx cannot write: deleted paragraph marks, text boxes,
    AlternateContent, custom note marks, note numbering formats.
    """
    w = f'xmlns:w="{_W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    rels = [
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/>'
    ]
    doc_rels = []
    if footnotes is not None:
        doc_rels.append(f'<Relationship Id="rId1" Type="{_REL_FOOTNOTES}" Target="footnotes.xml"/>')
    if settings is not None:
        doc_rels.append(
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/settings" Target="/word/settings.xml"/>'
        )
    if numbering is not None:
        doc_rels.append(
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/numbering" Target="numbering.xml"/>'
        )
    ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr(
            "_rels/.rels", f'<Relationships xmlns="{ns}">{"".join(rels)}</Relationships>'
        )
        archive.writestr(
            "word/_rels/document.xml.rels",
            f'<Relationships xmlns="{ns}">{"".join(doc_rels)}</Relationships>',
        )
        archive.writestr(
            "word/document.xml", f"<w:document {w}><w:body>{body}</w:body></w:document>"
        )
        if footnotes is not None:
            archive.writestr("word/footnotes.xml", f"<w:footnotes {w}>{footnotes}</w:footnotes>")
        if settings is not None:
            archive.writestr("word/settings.xml", f"<w:settings {w}>{settings}</w:settings>")
        if numbering is not None:
            archive.writestr("word/numbering.xml", f"<w:numbering {w}>{numbering}</w:numbering>")
    return out.getvalue()
