"""Saved web pages (.html, .htm, .xhtml): the article, its notes and its metadata.

trafilatura (Apache-2.0 since 1.8) finds the main article and leaves out the
navigation, related-article blocks, comments and ads; it knows far more site
layouts than any rule we could write.  What it does not do is keep footnotes:
it drops note references and the notes list alike.  So before extraction we
take the notes out of the page ourselves (a reference is a short in-page link,
usually in ``<sup>``, to an element holding the note) and put a placeholder
token where each reference was; after extraction the tokens become the
references' labels, and their positions the markers.

The page's own URL is what an analyst cites and what W3C annotations from other
tools point at: ``<link rel=canonical>`` first, then ``og:url``.
"""

from __future__ import annotations

import functools
import re
from configparser import ConfigParser
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlparse

from claimmap.documents.nesting import refuse_deep_nesting
from claimmap.documents.notes import marker_text
from claimmap.documents.types import (
    DocumentMetadata,
    DocumentText,
    Note,
    NoteMarker,
    UnreadableDocument,
)
from claimmap.textprep.types import LogEntry

if TYPE_CHECKING:
    from lxml.etree import _Element
    from lxml.html import HtmlElement
    from trafilatura.settings import Document

STEP = "html"
# A placeholder survives trafilatura's whitespace and control-character clean-up
# only if it is printable and has no spaces; these brackets never occur in text.
_TOKEN = "⁅⁅{}⁆⁆"
_TOKEN_RE = re.compile(r"⁅⁅(\d+)⁆⁆")
_DECLARED_CHARSET_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
# Control characters are not text, and lxml refuses them in a tree it edits.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# WHATWG's encoding labels map these to their supersets; browsers decode so.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "big5": "big5hkscs",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
}
MAX_REF_LABEL_CHARS = 8
MAX_NOTE_CHARS = 5000
_NOTE_HINT_RE = re.compile(r"foot|endnote|fnref|noteref|note-ref|footnote|^fn", re.IGNORECASE)
_NOTES_BLOCK_RE = re.compile(
    r"foot\s*notes?|end\s*notes?|footnotes|endnotes|^notes$", re.IGNORECASE
)
_NOTES_HEADING_RE = re.compile(
    r"^(?:notes?|foot\s*notes|end\s*notes|references|注释|註釋|注|註|脚注|腳註|尾注|附注|参考文献|參考文獻)$",
    re.IGNORECASE,
)
_BACKLINK_TEXT = frozenset({"↩", "↩︎", "^", "↑", "返回", "back", "[返回]"})
_LEADING_LABEL_RE = r"^\s*[\[(]?{label}[\])]?[.．:：、]?\s*"


def _decode(raw: bytes, shown: str) -> tuple[str, str]:
    """The page's text and the encoding used: BOM, declared charset, then detection."""
    from claimmap.textprep.decode import DecodeError, decode_bytes

    boms = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
    declared = _DECLARED_CHARSET_RE.search(raw[:4096])
    candidates = [encoding for bom, encoding in boms if raw.startswith(bom)]
    if declared:
        name = (declared.group(1) or declared.group(2)).decode("ascii").lower()
        candidates.append(_SUPERSETS.get(name, name))
    for encoding in candidates:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    # No declaration, or one the bytes contradict: detect as for text files.
    try:
        decoded = decode_bytes(raw, shown)
    except DecodeError as exc:
        raise UnreadableDocument(str(exc)) from exc
    return decoded.text, decoded.encoding


@dataclass(frozen=True, slots=True)
class _Ref:
    label: str
    text: str


def _id_index(tree: HtmlElement) -> dict[str, HtmlElement]:
    index: dict[str, HtmlElement] = {}
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for key in ("id", "name"):
            value = element.get(key)
            if value and value not in index:
                index[value] = element
    return index


def _note_element(target: HtmlElement) -> HtmlElement:
    """The element holding the note: an empty or label-only anchor stands for its parent."""
    text = target.text_content().strip()
    parent = target.getparent()
    if parent is not None and (
        not text or (target.tag == "a" and len(text) <= MAX_REF_LABEL_CHARS)
    ):
        return parent
    return target


def _is_reference(anchor: HtmlElement) -> bool:
    label = anchor.text_content().strip()
    if not label or len(label) > MAX_REF_LABEL_CHARS or label in _BACKLINK_TEXT:
        return False
    parent = anchor.getparent()
    hints = " ".join(anchor.get(key, "") for key in ("class", "role", "epub:type", "id", "rel"))
    if "back" in hints.lower():
        # "footnote-back", role="doc-backlink": the way from a note to its reference.
        return False
    in_sup = parent is not None and parent.tag == "sup"
    return in_sup or bool(_NOTE_HINT_RE.search(hints))


def _inside_sup(element: HtmlElement) -> bool:
    parent = element.getparent()
    return element.tag == "a" and parent is not None and parent.tag == "sup"


def _note_text(note: HtmlElement, label: str, ref_ids: set[str]) -> str:
    for anchor in list(note.iter("a")):
        href = anchor.get("href", "")
        text = anchor.text_content().strip()
        if (
            (href.startswith("#") and href[1:] in ref_ids)
            or "backlink" in anchor.get("role", "")
            or text in _BACKLINK_TEXT
        ):
            _drop(anchor)
    text = re.sub(r"\s+", " ", note.text_content()).strip()
    return re.sub(_LEADING_LABEL_RE.format(label=re.escape(label)), "", text, count=1).strip()


def _drop(element: HtmlElement, replacement: str = "") -> None:
    """Remove ``element`` from its tree, keeping its tail text (after ``replacement``)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = replacement + (element.tail or "")
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _take_notes(tree: HtmlElement) -> tuple[list[_Ref], list[LogEntry]]:
    """Replace note references by tokens and remove the notes; the notes in order."""
    index = _id_index(tree)
    refs: list[_Ref] = []
    notes_by_element: dict[int, int] = {}
    found: list[tuple[HtmlElement, HtmlElement, str]] = []
    for anchor in list(tree.iter("a")):
        href = anchor.get("href", "")
        if not href.startswith("#") or len(href) < 2 or not _is_reference(anchor):
            continue
        target = index.get(href[1:])
        if target is None or target.tag == "sup" or _inside_sup(target):
            # A link to another reference is a note's way back, not a reference.
            continue
        note = _note_element(target)
        # A link to an enclosing section ("#top") or to a long passage is no note.
        if any(ancestor is note for ancestor in anchor.iterancestors()) or note is anchor:
            continue
        if len(note.text_content()) > MAX_NOTE_CHARS or note.tag in (
            "body",
            "html",
            "main",
            "article",
        ):
            continue
        found.append((anchor, note, anchor.text_content().strip()))
    if not found:
        return [], []
    ref_ids = {
        element.get("id", "")
        for anchor, _note, _label in found
        for element in (anchor, anchor.getparent())
        if element is not None and element.get("id")
    }
    texts: dict[int, str] = {}
    for _anchor, note, label in found:
        if id(note) not in texts:
            texts[id(note)] = _note_text(note, label, ref_ids)
    log: list[LogEntry] = []
    containers: list[HtmlElement] = []
    for anchor, note, label in found:
        key = id(note)
        if key not in notes_by_element:
            notes_by_element[key] = len(refs)
            refs.append(_Ref(label, texts[key]))
        # Each reference gets its own token; repeated references share the note.
        token = _TOKEN.format(_register(refs, notes_by_element[key], label))
        sup = anchor.getparent()
        if sup is not None and sup.tag == "sup" and sup.text_content().strip() == label:
            _drop(sup, token)
        else:
            _drop(anchor, token)
    for _anchor, note, _label in found:
        parent = note.getparent()
        if parent is not None:
            containers.append(parent)
            _drop(note)
    for container in containers:
        _drop_empty_notes_block(container)
    log.append(LogEntry(STEP, "moved", f"{len(texts)} notes set apart from the page", "", "", None))
    return refs, log


def _register(refs: list[_Ref], note_index: int, label: str) -> int:
    """The token number for one reference (an index into ``refs``)."""
    if refs[note_index].label == label:
        return note_index
    refs.append(_Ref(label, refs[note_index].text))
    return len(refs) - 1


def _drop_empty_notes_block(element: HtmlElement) -> None:
    """After its notes went, remove the notes list and its heading/rule if nothing is left."""
    current: HtmlElement | None = element
    while current is not None and current.getparent() is not None:
        if current.tag in ("body", "main", "article"):
            return
        hints = " ".join(current.get(key, "") for key in ("class", "id", "role", "epub:type"))
        remaining = current.text_content().strip()
        headings = " ".join(
            h.text_content() for h in current.iter("h1", "h2", "h3", "h4", "h5", "h6")
        ).strip()
        if _NOTES_BLOCK_RE.search(hints) or not remaining or remaining == headings:
            parent = current.getparent()
            heading = current.getprevious()
            _drop(current)
            if (
                heading is not None
                and heading.tag in ("h1", "h2", "h3", "h4", "h5", "h6")
                and _NOTES_HEADING_RE.match(heading.text_content().strip())
            ):
                # The notes list's own heading would be left standing alone.
                _drop(heading)
            current = parent
            continue
        return


def _canonical_url(tree: HtmlElement) -> str | None:
    canonical = next(
        (
            link.get("href", "").strip()
            for link in tree.iter("link")
            if "canonical" in link.get("rel", "").lower().split()
        ),
        "",
    )
    og_url = next(
        (
            meta.get("content", "").strip()
            for meta in tree.iter("meta")
            if meta.get("property", meta.get("name", "")).lower() == "og:url"
        ),
        "",
    )
    for url in (canonical, urljoin(og_url, canonical) if canonical and og_url else "", og_url):
        if url and urlparse(url).scheme in ("http", "https") and urlparse(url).netloc:
            return url
    return None


def _meta(tree: HtmlElement, *names: str) -> str | None:
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        content = str(meta.get("content", "")).strip()
        if key in names and content:
            return content
    return None


def _text_of(element: _Element) -> str:
    """Text of a trafilatura output element, ``<lb/>`` as a line break."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        else:
            parts.append(_text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _blocks(body: _Element) -> list[str]:
    """trafilatura's XML body -> paragraphs (a list or a table is one block of lines)."""
    blocks: list[str] = []
    for element in body:
        if element.tag == "list":
            items = [_text_of(item).strip() for item in element.iter("item")]
            blocks.append("\n".join(item for item in items if item))
        elif element.tag == "table":
            rows = [
                "\t".join(" ".join(_text_of(cell).split()) for cell in row.iter("cell"))
                for row in element.iter("row")
            ]
            blocks.append("\n".join(row for row in rows if row.strip()))
        else:
            blocks.append(_text_of(element).strip())
    return [block for block in blocks if block.strip()]


_LEAF_BLOCKS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "blockquote",
     "figcaption", "pre", "a", "span", "div", "time", "button", "label"}
)  # fmt: skip


def _page_blocks(tree: HtmlElement) -> list[str]:
    """The page's visible text, block by block (innermost blocks), before extraction."""
    body = tree.find("body")
    if body is None:
        return []
    texts: list[str] = []
    for element in body.iter():
        if not isinstance(element.tag, str) or element.tag not in _LEAF_BLOCKS:
            continue
        if any(isinstance(child.tag, str) and child.tag in _LEAF_BLOCKS for child in element):
            continue
        if any(
            ancestor.tag in ("script", "style", "noscript") for ancestor in element.iterancestors()
        ):
            continue
        text = " ".join(element.text_content().split())
        if text:
            texts.append(text)
    return list(dict.fromkeys(texts))


def _left_out(page_blocks: list[str], body: str, refs: list[_Ref]) -> list[str]:
    """The page's blocks that are not in the article: what the dry-run shows as removed."""
    kept = " ".join(body.split())
    left_out: list[str] = []
    for block in page_blocks:
        text = _TOKEN_RE.sub(lambda match: refs[int(match.group(1))].label, block)
        if text not in kept:
            left_out.append(text)
    return left_out


@functools.cache
def _config() -> ConfigParser:
    """trafilatura's settings, but a short article is still an article: below
    MIN_EXTRACTED_SIZE (250 characters by default) it falls back to the page's
    whole text, navigation and footer included, run together as one paragraph."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    return config


def _extract(tree: HtmlElement) -> Document | None:
    import trafilatura
    from trafilatura.settings import Document

    config = _config()
    for recall in (False, True):
        document = trafilatura.bare_extraction(
            tree,
            config=config,
            # Only dates the page states in its markup; htmldate's extensive search
            # guesses from any year in the text (a copyright line gives "2024-01-01").
            date_extraction_params={"extensive_search": False, "original_date": True},
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            favor_recall=recall,
        )
        if isinstance(document, Document) and document.body is not None and len(document.body):
            return document
    return None


@refuse_deep_nesting("web page")
def read_html(raw: bytes, shown: str) -> DocumentText:
    """The page's main article, its notes and what the page says about itself."""
    import lxml.etree
    import lxml.html

    text, encoding = _decode(raw, shown)
    text = _CONTROL_RE.sub("", _XML_DECLARATION_RE.sub("", text, count=1))
    if not text.strip():
        raise UnreadableDocument(f"{shown}: the page is empty")
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, huge_tree=False)
    try:
        tree = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise UnreadableDocument(f"{shown}: not a readable HTML page ({exc})") from exc
    url = _canonical_url(tree)
    venue = _meta(tree, "og:site_name")
    refs, log = _take_notes(tree)
    page_blocks = _page_blocks(tree)
    document = _extract(tree)
    if document is None:
        raise UnreadableDocument(f"{shown}: no article text found in the page")
    joined = "\n\n".join(_blocks(document.body))
    body_parts: list[str] = []
    markers: list[NoteMarker] = []
    used: list[int] = []
    position = 0
    length = 0
    for match in _TOKEN_RE.finditer(joined):
        body_parts.append(joined[position : match.start()])
        length += match.start() - position
        ref = refs[int(match.group(1))]
        mark = marker_text(ref.label)
        markers.append(NoteMarker(length, length + len(mark), ref.label))
        used.append(int(match.group(1)))
        body_parts.append(mark)
        length += len(mark)
        position = match.end()
    body_parts.append(joined[position:])
    body = "".join(body_parts)
    notes = [Note(refs[k].label, refs[k].text) for k in dict.fromkeys(used)]
    metadata = DocumentMetadata(
        title=document.title or None,
        authors=document.author or None,
        date=document.date or None,
        venue=venue,
        url=url,
    )
    left_out = _left_out(page_blocks, body, refs)
    detail = (
        f"page decoded as {encoding}; {len(left_out)} blocks of navigation, related articles, "
        "comments, ads and other page furniture left out"
    )
    log.insert(0, LogEntry(STEP, "removed", detail, "\n".join(left_out), "", None))
    return DocumentText(body=body, notes=notes, markers=markers, metadata=metadata, log=log)
