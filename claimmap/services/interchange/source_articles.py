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

import bisect
import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace

from claimmap.anchoring import offset_map
from claimmap.services.interchange.parsed import NewArticle
from claimmap.textprep.metadata import extract_metadata, fallback_title
from claimmap.textprep.normalize import normalize_text
from claimmap.textprep.pipeline import clean
from claimmap.textprep.types import CleanResult

Range = tuple[int, int]
_CRLF = re.compile("\r\n")


def _normalised(source: str) -> tuple[str, Callable[[int], int]]:
    """``normalize_text(source)`` with an exact map of offsets into it.

    Line endings and a leading BOM are mapped exactly (a diff would see every
    line of a CRLF file changed and map nothing): ``\r\n`` loses its ``\n``, a
    lone ``\r`` becomes ``\n``, so an offset moves back by the characters
    removed up to it.  NFC rarely changes anything; when it does, a diff maps
    across it.
    """
    bom = len(source) - len(source.lstrip("\ufeff"))
    removed = list(range(bom)) + [m.start() + 1 for m in _CRLF.finditer(source, bom)]
    joined = source[bom:].replace("\r\n", "\n").replace("\r", "\n")

    def table(offset: int) -> int:
        return max(0, offset - bisect.bisect_right(removed, offset))

    composed = unicodedata.normalize("NFC", joined)
    if composed == joined:
        return joined, table
    after = offset_map(joined, composed)
    return composed, lambda offset: after(table(offset))


def carry(source: str, text: str, ranges: Sequence[Range]) -> list[Range] | None:
    """The ranges carried onto ``text`` (``source`` normalised, or cleaned), or
    None if one of them lost its words on the way."""
    if text == source:
        return list(ranges)
    normalized, first = _normalised(source)
    if normalized != normalize_text(source):
        return None
    if text == normalized:
        where_start, where_end = first, first
    else:
        # Cleaning removes and rejoins whole lines: a line diff maps it.
        second = offset_map(normalized, text)

        def where_start(offset: int) -> int:
            return second(first(offset))

        def where_end(offset: int) -> int:
            # The last character's place, plus one: an end where a removed
            # line began would otherwise land after the removal.
            return second(first(offset) - 1) + 1

    out: list[Range] = []
    for start, end in ranges:
        new_start, new_end = where_start(start), where_end(end)
        if new_start >= new_end or text[new_start:new_end] != normalize_text(source[start:end]):
            return None
        out.append((new_start, new_end))
    return out


@functools.lru_cache(maxsize=2)
def cleaned(source: str) -> CleanResult:
    """The cleaning of a source, computed once for matching and for the article."""
    return clean(source)


def source_article(
    ref: str, name: str, source: str, ranges: Sequence[Range]
) -> tuple[NewArticle, list[Range], str | None]:
    """The article for a source text, its codings' ranges on the article's text,
    and, when the text could not be fully cleaned, why."""
    result = cleaned(source)
    carried = carry(source, result.text, ranges)
    why = None
    if carried is None or not result.text.strip():
        normalized = normalize_text(source)
        carried = carry(source, normalized, ranges)
        why = "not cleaned (cleaning would have moved a coding); line endings and NFC only"
        result = CleanResult(text=normalized)
        if carried is None:
            result = CleanResult(text=source)
            carried = list(ranges)
            why = "kept exactly as the tool had it (normalising would have moved a coding)"
    meta = extract_metadata(result.text)
    if not meta.title:
        meta = replace(meta, title=fallback_title(result.text) or name)
    article = NewArticle(
        ref=ref,
        source=name,
        raw_sha256=hashlib.sha256(source.encode("utf-8")).hexdigest(),
        cleaned=result,
        metadata=meta,
    )
    return article, carried, why
