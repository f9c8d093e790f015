"""An article made from another tool's source text, keeping that tool's offsets true.

A QDA tool's codings count code points in the source text exactly as the tool
had it.  claimmap's canonical text is cleaned (line endings, NFC, spam lines,
footnote blocks), and cleaning moves text.  So the text is chosen by evidence,
most cleaned first:

1. the full cleaning pipeline, if every coding, carried through the offset map
   from the source to the cleaned text, still covers its own (normalised) words;
2. else only the normalisation (line endings, NFC, no lines removed), under the
   same test;
3. else the source text as the tool had it, untouched.

The import report says which step was taken when it was not the first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace

from claimmap.anchoring import offset_map
from claimmap.services.interchange.parsed import NewArticle
from claimmap.textprep.metadata import extract_metadata, fallback_title
from claimmap.textprep.normalize import normalize_text
from claimmap.textprep.pipeline import clean
from claimmap.textprep.types import CleanResult

Range = tuple[int, int]


def _carried(source: str, text: str, ranges: Sequence[Range], normal: bool) -> list[Range] | None:
    """The ranges carried onto ``text``, or None if one of them lost its words."""
    if text == source:
        return list(ranges)
    where = offset_map(source, text)
    out: list[Range] = []
    for start, end in ranges:
        new_start, new_end = where(start), where(end)
        quote = source[start:end]
        want = normalize_text(quote) if normal else quote
        if new_start >= new_end or text[new_start:new_end] != want:
            return None
        out.append((new_start, new_end))
    return out


def source_article(
    ref: str, name: str, source: str, ranges: Sequence[Range]
) -> tuple[NewArticle, list[Range], str | None]:
    """The article for a source text, its codings' ranges on the article's text,
    and, when the text could not be fully cleaned, why."""
    cleaned = clean(source)
    carried = _carried(source, cleaned.text, ranges, normal=True)
    why = None
    if carried is None or not cleaned.text.strip():
        normalized = normalize_text(source)
        carried = _carried(source, normalized, ranges, normal=True)
        why = "not cleaned (cleaning would have moved a coding); line endings and NFC only"
        cleaned = CleanResult(text=normalized)
        if carried is None:
            cleaned = CleanResult(text=source)
            carried = list(ranges)
            why = "kept exactly as the tool had it (normalising would have moved a coding)"
    meta = extract_metadata(cleaned.text)
    if not meta.title:
        meta = replace(meta, title=fallback_title(cleaned.text) or name)
    article = NewArticle(
        ref=ref,
        source=name,
        raw_sha256=hashlib.sha256(source.encode("utf-8")).hexdigest(),
        cleaned=cleaned,
        metadata=meta,
    )
    return article, carried, why
