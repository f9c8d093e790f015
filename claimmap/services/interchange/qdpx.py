"""Reading a REFI-QDA project (``.qdpx``): claimmap's own exports and other tools'.

What becomes what:

* ``Code`` -> a tag whose name is its path (``parent/child``), with its
  description and colour (a code already here stays as the analyst has it);
* ``TextSource`` -> the article with its name as ref, or with its very text;
  failing both, a new article made from the source in the archive
  (``source_articles``: cleaned only where every coding survives cleaning);
* ``PlainTextSelection`` + ``Coding`` -> a span per coder (the coding's
  ``creatingUser``, else the selection's, named through ``Users``), its
  ``Description`` and the ``Note``s it refers to (``NoteRef``) becoming the note;
* ``Link`` between two selections -> a confirmed link; a link between other
  objects (codes, sources) has no counterpart and is reported as left out.

Other implementations differ in the details, all accepted: the folder may be
``sources/`` or ``Sources/``, a source may start with a BOM, be inline
(``PlainTextContent``) or a member (``plainTextPath="internal://…"``), GUIDs may
be upper case, and a project may hold only a codebook.  XML is parsed with
defusedxml with DTDs forbidden (no entity expansion, no XXE).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from claimmap.anchoring import context
from claimmap.errors import ClaimmapError
from claimmap.exporters import qdpx as qdpx_format
from claimmap.models import RELATION_TYPES
from claimmap.safe_reading import open_regular
from claimmap.safe_zip import SafeZip, safe_member_name
from claimmap.services.analyst import current_annotator
from claimmap.services.annotating import text_sha256
from claimmap.services.interchange.archive import open_zip, read_member
from claimmap.services.interchange.article_index import ArticleIndex
from claimmap.services.interchange.codes import rgb, walk_codes
from claimmap.services.interchange.parsed import (
    Bad,
    Parsed,
    ParsedCode,
    ParsedLink,
    ParsedSpan,
    short,
    stamp,
)
from claimmap.services.interchange.source_articles import carry, cleaned, source_article
from claimmap.textprep.normalize import normalize_text

# REFI-QDA positions as plain decimal digits; 10 digits cover MAX_OFFSET.
_QDPX_INT = re.compile(r"[0-9]{1,10}", re.ASCII)


def _children(el: Element, tag: str) -> list[Element]:
    return el.findall(f"{{{qdpx_format.NS}}}{tag}")


def _child_text(el: Element, tag: str) -> str | None:
    found = el.find(f"{{{qdpx_format.NS}}}{tag}")
    return found.text if found is not None and found.text is not None else None


def _guid(value: str | None) -> str:
    # The schema allows hex in either case and in braces ({...}): tools differ.
    return (value or "").strip().strip("{}").lower()


def _qint(el: Element, attr: str, where: str) -> int:
    value = el.get(attr)
    if value is None or not _QDPX_INT.fullmatch(value):
        raise ClaimmapError(
            f"{where}: {attr} must be a non-negative integer of at most 10 digits, "
            f"got {short(value)}"
        )
    return int(value)


def _qdate(el: Element, attr: str, where: str) -> str | None:
    try:
        return stamp(el.get(attr), attr)
    except Bad as exc:
        raise ClaimmapError(f"{where}: {exc}") from None


@dataclass
class _Project:
    """What the whole project declares, for reading each source."""

    path: Path
    zf: SafeZip
    codes: dict[str, str]  # guid -> path
    users: dict[str, str]  # guid -> name
    notes: dict[str, str]  # guid -> text
    note_authors: dict[str, str] = field(default_factory=dict)  # guid -> user name
    used_notes: set[str] = field(default_factory=set)


def _member_text(project: _Project, plain: str, where: str) -> str:
    if not plain.startswith(qdpx_format.INTERNAL):
        raise ClaimmapError(f"{where}: only internal:// sources are supported, got {plain!r}")
    member = qdpx_format.SOURCES_DIR + plain[len(qdpx_format.INTERNAL) :]
    if not safe_member_name(member):
        raise ClaimmapError(f"{where}: unsafe source path {plain!r}")
    # ``sources/`` in the standard, ``Sources/`` in MAXQDA's and others' archives:
    # read_member matches names ignoring case when no exact one is stored.
    try:
        return read_member(project.zf, member, project.path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ClaimmapError(f"{where}: source text is not UTF-8") from None


def _text_of(project: _Project, el: Element, where: str) -> str:
    plain = el.get("plainTextPath")
    if plain:
        return _member_text(project, plain, where)
    inline = _child_text(el, "PlainTextContent")
    if inline is not None:
        # Inline text is inside XML: a BOM there is a stray character, not a mark.
        return inline.removeprefix("\ufeff")
    raise ClaimmapError(f"{where}: has neither plainTextPath nor PlainTextContent")


def _codebook(root: Element, path: Path) -> tuple[dict[str, str], list[ParsedCode]]:
    guids: dict[str, str] = {}
    codes: list[ParsedCode] = []
    for book in _children(root, "CodeBook"):
        for codes_el in _children(book, "Codes"):
            for code, full in walk_codes(codes_el, qdpx_format.NS, path):
                guids[_guid(code.get("guid"))] = full
                description = _child_text(code, "Description")
                codes.append(
                    ParsedCode(
                        full,
                        description if description and description.strip() else None,
                        rgb(code.get("color")),
                    )
                )
    return guids, codes


def parse_qdpx(path: Path, articles: ArticleIndex) -> Parsed:
    """Codes, spans, links and the articles the project brings (see the module)."""
    parsed = Parsed(format="qdpx")
    with open_regular(path) as fh, open_zip(fh, path) as zf:
        raw = read_member(zf, qdpx_format.PROJECT_FILE, path)
        try:
            root = SafeET.fromstring(raw, forbid_dtd=True)
        except (ParseError, defusedxml.DefusedXmlException, LookupError, ValueError) as exc:
            # LookupError: an XML declaration naming an unknown encoding (fuzz finding).
            raise ClaimmapError(
                f"{path}: project.qde refused ({type(exc).__name__}: {exc})"
            ) from None
        if root.tag != f"{{{qdpx_format.NS}}}Project":
            raise ClaimmapError(f"{path}: project.qde is not a REFI-QDA Project document")
        guids, parsed.codes = _codebook(root, path)
        users = {
            _guid(u.get("guid")): u.get("name") or u.get("id") or u.get("guid") or ""
            for ul in _children(root, "Users")
            for u in _children(ul, "User")
        }
        project = _Project(path, zf, guids, users, {})
        for notes_el in _children(root, "Notes"):
            for note in _children(notes_el, "Note"):
                where = f"{path}: Note {note.get('name') or note.get('guid')!r}"
                project.notes[_guid(note.get("guid"))] = _text_of(project, note, where)
                author = users.get(_guid(note.get("creatingUser")))
                if author:
                    project.note_authors[_guid(note.get("guid"))] = author
        for sources in _children(root, "Sources"):
            for src in sources:
                if src.tag == f"{{{qdpx_format.NS}}}TextSource":
                    _read_source(project, src, articles, parsed)
                else:
                    kind = src.tag.rpartition("}")[2]
                    parsed.notices.append(
                        f"{path}: {kind} {src.get('name') or src.get('guid')!r} left out: "
                        "claimmap reads text sources only"
                    )
        _read_links(root, project, parsed)
    unused = len(project.notes.keys() - project.used_notes)
    if unused:
        parsed.notices.append(
            f"{path}: {unused} memo(s) not attached to a coded passage left out "
            "(claimmap keeps notes on spans)"
        )
    return parsed


def _read_links(root: Element, project: _Project, parsed: Parsed) -> None:
    path = project.path
    selections = {span.key for span in parsed.spans}
    for links_el in _children(root, "Links"):
        for link in _children(links_el, "Link"):
            where = f"{path}: Link {link.get('guid')}"
            a, b = _guid(link.get("originGUID")), _guid(link.get("targetGUID"))
            if not a or not b:
                raise ClaimmapError(f"{where}: needs originGUID and targetGUID")
            if a not in selections or b not in selections:
                # Tools also link codes, sources and memos: no span pair to confirm.
                parsed.notices.append(f"{where}: left out, it does not join two coded passages")
                continue
            name = link.get("name")
            if link.get("direction") == qdpx_format.RELATION_DIRECTION and name in RELATION_TYPES:
                parsed.links.append(_relation(link, project, where, a, b, name))
                continue
            label = name if name and name != qdpx_format.DEFAULT_LINK_NAME else None
            parsed.links.append(ParsedLink(where, a, b, label))


def _relation(
    link: Element, project: _Project, where: str, a: str, b: str, kind: str
) -> ParsedLink:
    """A relation as ``exporters.qdpx`` writes it: a one-way Link named by its type.
    A Link carries no user: the analyst is its note's author, else (None) the origin
    selection's coder."""
    refs = [_guid(ref.get("targetGUID")) for ref in _children(link, "NoteRef")]
    project.used_notes.update(refs)
    note = "\n".join(project.notes[r] for r in refs if project.notes.get(r)) or None
    who = next((project.note_authors[r] for r in refs if r in project.note_authors), None)
    return ParsedLink(where, a, b, None, relation=kind, note=note, annotator=who)


@dataclass
class _Selection:
    where: str
    el: Element
    start: int
    end: int


def _read_source(project: _Project, src: Element, articles: ArticleIndex, parsed: Parsed) -> None:
    name = src.get("name") or src.get("guid") or "?"
    where = f"{project.path}: TextSource {name!r}"
    source_text = _text_of(project, src, where)
    if _children(src, "Coding"):
        # A code on a whole document has no passage; claimmap codes passages.
        parsed.notices.append(f"{where}: codes on the whole document left out")
    selections: list[_Selection] = []
    for sel in _children(src, "PlainTextSelection"):
        sw = f"{where}: PlainTextSelection {sel.get('guid')}"
        start, end = _qint(sel, "startPosition", sw), _qint(sel, "endPosition", sw)
        if not 0 <= start < end <= len(source_text):
            raise ClaimmapError(
                f"{sw}: range {start}-{end} is outside the source (0-{len(source_text)})"
            )
        selections.append(_Selection(sw, sel, start, end))
    if not source_text.strip():
        # Nothing to read or code (selections in it were refused above).
        parsed.notices.append(f"{where}: empty source left out")
        return
    wanted = [(s.start, s.end) for s in selections]
    ref = _existing(articles, name, source_text)
    if ref is not None:
        text = articles.text(ref)
        carried = carry(source_text, text, wanted)
        # Carried exactly (the same text, or it cleaned): the positions hold.
        # Otherwise the positions are hints and the quotes are re-found.
        same = carried is not None
        if carried is None:
            text, ranges = source_text, wanted
        else:
            ranges = carried
    else:
        # Windows tools name sources by their path: the file's stem is the ref.
        stem = PurePosixPath(name.replace("\\", "/")).stem.strip()
        ref = articles.free_ref(stem or "source")
        article, ranges, why = source_article(ref, name, source_text, wanted)
        articles.add_pending(article)
        parsed.articles.append(article)
        if why:
            parsed.notices.append(f"{where}: {why}")
        text, same = article.text, True
    for selection, (start, end) in zip(selections, ranges, strict=True):
        parsed.spans.extend(_spans(project, selection, ref, text, start, end, same))


def _existing(articles: ArticleIndex, name: str, source: str) -> str | None:
    """The article here that is this source: by name (as claimmap exports name
    sources), else by text as the tool had it, as normalised, or as cleaned
    (what ``claimmap import`` made of the same file)."""
    if name in articles:
        return name
    for text in (source, normalize_text(source)):
        ref = articles.by_sha.get(text_sha256(text))
        if ref is not None:
            return ref
    return articles.by_sha.get(text_sha256(cleaned(source).text))


def _spans(
    project: _Project,
    selection: _Selection,
    ref: str,
    text: str,
    start: int,
    end: int,
    same: bool,
) -> Iterator[ParsedSpan]:
    """One span per coder of a selection (a coder's codes are their layer)."""
    sel, sw = selection.el, selection.where
    default_coder = _guid(sel.get("creatingUser"))
    by_coder: dict[str, list[str]] = {}
    for coding in _children(sel, "Coding"):
        coder = _guid(coding.get("creatingUser")) or default_coder
        for code_ref in _children(coding, "CodeRef"):
            target = _guid(code_ref.get("targetGUID"))
            if target not in project.codes:
                raise ClaimmapError(f"{sw}: codes with unknown code {code_ref.get('targetGUID')!r}")
            tags = by_coder.setdefault(coder, [])
            if project.codes[target] not in tags:
                tags.append(project.codes[target])
    if not by_coder:
        raise ClaimmapError(f"{sw}: has no Coding; a span needs at least one code")
    memos = [_child_text(sel, "Description")]
    for note_ref in _children(sel, "NoteRef"):
        target = _guid(note_ref.get("targetGUID"))
        if target not in project.notes:
            raise ClaimmapError(f"{sw}: refers to unknown note {note_ref.get('targetGUID')!r}")
        memos.append(project.notes[target])
        project.used_notes.add(target)
    note = "\n\n".join(m for m in memos if m and m.strip()) or None
    prefix, suffix = context(text, start, end)
    key = _guid(sel.get("guid"))
    for number, (coder, tags) in enumerate(by_coder.items()):
        yield ParsedSpan(
            origin=sw,
            # Links name the selection: they join its first coder's span.
            key=key if number == 0 else f"{key}#{coder}",
            article=ref,
            start=start,
            end=end,
            exact=text[start:end],
            prefix=prefix,
            suffix=suffix,
            tags=tags,
            note=note,
            label=None,
            annotator=project.users.get(coder, coder) or current_annotator(),
            created=_qdate(sel, "creationDateTime", sw),
            modified=_qdate(sel, "modifiedDateTime", sw),
            same_text=same,
        )
