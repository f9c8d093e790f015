"""Reading W3C Web Annotation JSONL: claimmap's own exports and other tools' (Hypothesis).

A target's ``source`` is either claimmap's ``urn:claimmap:article:REF`` or the
address of the page the passage was read on: that is matched to the article
whose ``url`` it is (set by the web-page import, or ``claimmap articles REF
--set-url URL``).  On a web page the positions count the page's text, not the
article's canonical text (and Hypothesis counts UTF-16 units), so there they are
only a hint: the passage is found by its quote, prefix and suffix.

Bodies: ``tagging`` bodies are tags; a body with purpose ``commenting``, or with
no purpose at all (how Hypothesis writes the annotation's text), is the note;
``identifying`` names the claim.  An annotation without a tag is refused unless
the analyst names one for them (``default_tag``, the CLI's ``--tag``): it is
never dropped in silence.  ``creator`` is the annotator.  Hypothesis replies
and page notes mark no passage: they are left out and listed in the report.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from claimmap.anchoring import context
from claimmap.errors import ClaimmapError
from claimmap.exporters.ids import ref_from_iri
from claimmap.models import RELATION_TYPES
from claimmap.safe_reading import BadJson, load_json, read_capped
from claimmap.services.analyst import current_annotator
from claimmap.services.interchange.article_index import ArticleIndex, normal_url
from claimmap.services.interchange.hypothesis import as_w3c, whole_document
from claimmap.services.interchange.parsed import (
    Bad,
    Parsed,
    ParsedLink,
    ParsedSpan,
    as_list,
    iri,
    offset,
    short,
    stamp,
    string,
)

MAX_JSONL_BYTES = 256 * 1024 * 1024
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
_WEB_SCHEMES = ("http://", "https://")


def creator(value: Any) -> str | None:
    """The annotator a ``creator`` names: a string, or an agent's name, nickname
    or id; Hypothesis's ``acct:name@hypothes.is`` loses its scheme."""
    for item in as_list(value):
        found: str | None = None
        if isinstance(item, str) and item.strip():
            found = item.strip()
        elif isinstance(item, dict):
            for key in ("name", "nickname", "id"):
                if isinstance(item.get(key), str) and item[key].strip():
                    found = str(item[key]).strip()
                    break
        if found:
            return found.removeprefix("acct:") or found
    return None


def _article_of(source: str, articles: ArticleIndex) -> tuple[str, bool]:
    """The article a target's source names, and whether it is a web page's address."""
    ref = ref_from_iri(source)
    if ref is not None:
        if ref not in articles:
            raise Bad(f"target source {source!r} is not an article in this database")
        return ref, False
    if source.lower().startswith(_WEB_SCHEMES):
        refs = articles.by_url.get(normal_url(source), [])
        if len(refs) == 1:
            return refs[0], True
        if refs:
            raise Bad(
                f"target source {short(source)} is the URL of several articles "
                f"({', '.join(refs)}); keep it on one (claimmap articles REF --set-url URL)"
            )
        raise Bad(
            f"target source {short(source)} is the URL of no article here; import the page, "
            "or give the article it is the URL of: claimmap articles REF --set-url URL"
        )
    raise Bad(f"target source {source!r} is not an article in this database")


def _bodies(obj: dict[str, Any]) -> tuple[list[str], str | None, str | None]:
    """Tags, note and claim label of an annotation's bodies."""
    tags: list[str] = []
    comments: list[str] = []
    label = None
    # ``bodyValue`` is the model's shorthand for one plain-text comment body.
    if isinstance(obj.get("bodyValue"), str) and obj["bodyValue"].strip():
        comments.append(obj["bodyValue"])
    for body in as_list(obj.get("body")):
        if not isinstance(body, dict):
            continue
        purpose = body.get("purpose")
        value = body.get("value")
        if purpose == "tagging":
            tag = string(value, "tagging body value").strip()
            if tag and tag not in tags:
                tags.append(tag)
        elif purpose in (None, "commenting") and isinstance(value, str) and value.strip():
            comments.append(value)
        elif purpose == "identifying" and isinstance(value, str) and value.strip():
            label = value.strip()
    return tags, "\n\n".join(comments) or None, label


def _parse_span(
    obj: dict[str, Any], articles: ArticleIndex, origin: str, default_tag: str | None
) -> ParsedSpan:
    key = iri(obj.get("id"), "id")
    targets = as_list(obj.get("target"))
    if len(targets) != 1 or not isinstance(targets[0], dict):
        raise Bad("target must be one object with a source and selectors")
    target = targets[0]
    source = iri(target.get("source"), "target.source")
    ref, on_web_page = _article_of(source, articles)
    quote_sel = pos_sel = None
    for sel in as_list(target.get("selector")):
        if isinstance(sel, dict) and sel.get("type") == "TextQuoteSelector":
            quote_sel = sel
        elif isinstance(sel, dict) and sel.get("type") == "TextPositionSelector":
            pos_sel = sel
    if quote_sel is None and pos_sel is None:
        raise Bad("target has no TextQuoteSelector or TextPositionSelector")
    start = end = None
    if pos_sel is not None:
        # With a quote, a position past the current end is a hint from an older
        # version of the text (re-anchoring goes by the quote); it still has to be
        # a number some text could have.
        start = offset(pos_sel.get("start"), "TextPositionSelector.start")
        end = offset(pos_sel.get("end"), "TextPositionSelector.end")
        if not 0 <= start < end:
            raise Bad(f"TextPositionSelector range {start}-{end} is empty or negative")
    text = articles.text(ref)
    if quote_sel is not None:
        exact = string(quote_sel.get("exact"), "TextQuoteSelector.exact")
        if not exact:
            raise Bad("TextQuoteSelector.exact is empty")
        prefix = string(quote_sel.get("prefix", ""), "TextQuoteSelector.prefix")
        suffix = string(quote_sel.get("suffix", ""), "TextQuoteSelector.suffix")
        # On claimmap's own text both selectors count the same code points; on a
        # web page they may not (UTF-16 units, other whitespace): the quote rules.
        if not on_web_page and start is not None and end is not None and end - start != len(exact):
            raise Bad(
                f"selectors disagree: position {start}-{end} spans {end - start} characters, "
                f"the quote {len(exact)}"
            )
    elif on_web_page:
        raise Bad(
            "a position on a web page is not a position in the article's text, and the "
            "target has no TextQuoteSelector to find the passage by"
        )
    else:
        # Positions alone are all there is to go on: they must fit the current text.
        assert start is not None and end is not None
        if end > len(text):
            raise Bad(
                f"offsets {start}-{end} are past the end of article {ref!r} "
                f"({len(text)} characters) and there is no quote to re-anchor by"
            )
        exact = text[start:end]
        prefix, suffix = context(text, start, end)
    tags, note, label = _bodies(obj)
    if not tags:
        if default_tag is None:
            raise Bad(
                "no body with purpose 'tagging': a span needs at least one tag; "
                "name one for the annotations without any with --tag NAME"
            )
        tags = [default_tag]
    return ParsedSpan(
        origin=origin,
        key=key,
        article=ref,
        start=start,
        end=end,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        tags=tags,
        note=note,
        label=label,
        annotator=creator(obj.get("creator")) or current_annotator(),
        created=stamp(obj.get("created"), "created"),
        modified=stamp(obj.get("modified"), "modified"),
        same_text=start is not None and not on_web_page,
    )


def _load(raw: str) -> Any:
    try:
        return load_json(raw)
    except BadJson as exc:
        raise Bad(str(exc)) from None


def _no_passage(obj: dict[str, Any]) -> str | None:
    """Why a web annotation marks no passage (a Hypothesis reply or page note), if so."""
    if obj.get("references"):
        return "a reply to another annotation"
    targets = as_list(obj.get("target"))
    if (
        len(targets) == 1
        and isinstance(targets[0], dict)
        and not targets[0].get("selector")
        and isinstance(targets[0].get("source"), str)
        and targets[0]["source"].lower().startswith(_WEB_SCHEMES)
    ):
        return "a note on the whole page"
    return None


def _parse_item(
    obj: Any, articles: ArticleIndex, origin: str, default_tag: str | None
) -> ParsedSpan | ParsedLink | str:
    """The span or link an annotation is, or why it is left out."""
    if not isinstance(obj, dict):
        raise Bad("not a JSON object")
    if "Annotation" not in as_list(obj.get("type")):
        raise Bad("not a W3C annotation (type is not 'Annotation')")
    name = obj.get("id")
    why = _no_passage(obj)
    if why is not None:
        return f"left out, {why}: it marks no passage to attach a span to"
    try:
        if "linking" in as_list(obj.get("motivation")):
            return _parse_link(obj, origin)
        return _parse_span(obj, articles, origin, default_tag)
    except Bad as exc:
        if isinstance(name, str) and name:
            raise Bad(f"annotation {short(name)}: {exc}") from None
        raise


def _parse_link(obj: dict[str, Any], origin: str) -> ParsedLink:
    targets = as_list(obj.get("target"))
    bodies = as_list(obj.get("body"))
    if len(targets) == 2:
        return _parse_relation(obj, targets, bodies, origin)
    if len(targets) != 1 or len(bodies) != 1:
        raise Bad("a linking annotation needs one target and one body")
    return ParsedLink(
        origin,
        iri(targets[0], "target"),
        iri(bodies[0], "body"),
        None,
        stamp(obj.get("created"), "created"),
        stamp(obj.get("modified"), "modified"),
    )


def _parse_relation(
    obj: dict[str, Any], targets: list[Any], bodies: list[Any], origin: str
) -> ParsedLink:
    """A relation as ``exporters.w3c`` writes it: two targets (the span that argues,
    then the span it bears on) and a classifying body naming the type."""
    kinds = [
        b.get("value")
        for b in bodies
        if isinstance(b, dict) and "classifying" in as_list(b.get("purpose"))
    ]
    if len(kinds) != 1 or kinds[0] not in RELATION_TYPES:
        raise Bad(
            "a linking annotation with two targets is a relation: it needs one classifying "
            f"body, one of {', '.join(RELATION_TYPES)}"
        )
    notes = [
        string(b.get("value"), "note")
        for b in bodies
        if isinstance(b, dict) and "commenting" in as_list(b.get("purpose"))
    ]
    return ParsedLink(
        origin,
        iri(targets[0], "target"),
        iri(targets[1], "target"),
        None,
        stamp(obj.get("created"), "created"),
        stamp(obj.get("modified"), "modified"),
        relation=str(kinds[0]),
        note="\n".join(notes) or None,
        annotator=creator(obj.get("creator")),
    )


def jsonl_files(path: Path) -> list[Path]:
    if path.is_dir():
        # Every *.jsonl entry, whatever it is: a FIFO or device among them is
        # refused by name when read, never skipped in silence.
        files = sorted(p for p in path.iterdir() if p.suffix == ".jsonl")
        if not files:
            raise ClaimmapError(f"{path}: no .jsonl files in this directory")
        return files
    return [path]


def parse_w3c(path: Path, articles: ArticleIndex, default_tag: str | None = None) -> Parsed:
    parsed = Parsed(format="w3c")
    for file in jsonl_files(path):
        raw_bytes = read_capped(file, MAX_JSONL_BYTES, advice="split it")
        try:
            content = raw_bytes.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ClaimmapError(f"{file}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
        for origin, obj in _items(file, content):
            try:
                item = _parse_item(obj(), articles, origin, default_tag)
            except Bad as exc:
                raise ClaimmapError(f"{origin}: {exc}") from None
            if isinstance(item, ParsedSpan):
                parsed.spans.append(item)
            elif isinstance(item, ParsedLink):
                parsed.links.append(item)
            else:
                parsed.notices.append(f"{origin}: {item}")
    return parsed


def _items(file: Path, content: str) -> list[tuple[str, Callable[[], Any]]]:
    """Each annotation of a file with where it is, parsed when called (so a bad
    line is reported with its number).  A ``.json`` file may hold one document
    (an annotation, a list of them, a Hypothesis export) rather than lines."""
    if file.suffix.lower() == ".json":
        try:
            document = load_json(content)
        except BadJson:
            document = None
        items = whole_document(document)
        if items is not None:
            return [
                (f"{file}: annotation {number}", functools.partial(as_w3c, item))
                for number, item in enumerate(items, start=1)
            ]
    return [
        (f"{file}:{number}", _loader(raw))
        for number, raw in enumerate(content.split("\n"), start=1)
        if raw.strip()
    ]


def _loader(raw: str) -> Callable[[], Any]:
    return lambda: _load(raw)
