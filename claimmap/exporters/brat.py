"""brat standoff: ``<doc>.txt`` plus ``<doc>.ann`` per article, and ``annotation.conf``.

brat offsets are character (code point) offsets into the ``.txt``, which is the
canonical text.  brat reads ``.ann`` files with Python's line splitting, which
ends a line at LF, CR, VT, FF, U+001C-U+001E, NEL, U+2028 and U+2029, so a span
is split into discontinuous fragments at every one of them
(``T1\tmotive 0 5;6 12\t...``) and a note is folded onto one line.
brat entities carry one type, so a span with several tags gives one T line per
tag, over the same offsets; the note goes on the first as ``AnnotatorNotes``.
brat's verifier rejects identical, nested and crossing entity spans unless
``annotation.conf`` allows them, and coding allows all three (several codes on
one passage, overlapping passages), so the configuration says so:
``<OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>``.
Claim links between two spans of the same article become ``Same_claim``
relations; links across articles cannot be expressed in brat (one document per
file) and are left to the W3C and REFI-QDA exports.  Relations (one span
supports or attacks another) inside one article become ``Supports`` and
``Attacks`` relations from the span that argues (``Arg1``) to the span it bears
on (``Arg2``), their note an ``AnnotatorNotes`` on the ``R`` line; relations
across articles are left out for the same reason.  Orphaned spans have no
valid offsets and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from claimmap.exporters.ids import file_name
from claimmap.models import RELATION_TYPES, Article, Relation, Span

RELATION = "Same_claim"
UNTAGGED = "span"
# Equal, nested and crossing spans between any two entity types.
OVERLAP = "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>"
_TYPE_UNSAFE = re.compile(r"[^\w\-]+")
# What str.splitlines ends a line at (brat reads .ann files that way).
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def brat_type(tag: str) -> str:
    return _TYPE_UNSAFE.sub("_", tag).strip("_") or "tag"


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at line breaks (any that ends a line for brat), without empty pieces."""
    out: list[tuple[int, int]] = []
    pos = start
    for brk in _LINE_BREAK.finditer(text, start, end):
        if brk.start() > pos:
            out.append((pos, brk.start()))
        pos = brk.end()
    if end > pos:
        out.append((pos, end))
    return out


def relation_type(type_: str) -> str:
    """brat's name for a relation type: ``supports`` -> ``Supports``."""
    return type_.capitalize()


def _one_line(value: str) -> str:
    return " ".join(value.split())


def brat_files(
    articles: Sequence[Article],
    texts: Mapping[int, str],
    spans: Sequence[Span],
    links: Sequence[tuple[int, int]],
    tags: Sequence[str],
    relations: Sequence[Relation] = (),
) -> dict[str, str]:
    """File name -> content for the whole collection."""
    by_article: dict[int, list[Span]] = {}
    for span in spans:
        if not span.orphaned:
            by_article.setdefault(span.article_id, []).append(span)
    # Only links inside one article become relations; group them once, not per article.
    article_of = {s.id: s.article_id for s in spans if not s.orphaned}
    links_by_article: dict[int, list[tuple[int, int]]] = {}
    for a, b in sorted(links):
        if a in article_of and article_of[a] == article_of.get(b):
            links_by_article.setdefault(article_of[a], []).append((a, b))
    relations_by_article: dict[int, list[Relation]] = {}
    for rel in sorted(relations, key=lambda r: r.id):
        if rel.source in article_of and article_of[rel.source] == article_of.get(rel.target):
            relations_by_article.setdefault(article_of[rel.source], []).append(rel)
    files: dict[str, str] = {}
    stems: set[str] = {"annotation"}
    for art in sorted(articles, key=lambda a: a.id):
        stem = file_name(art.ref, "", taken=stems)
        stems.add(stem)
        text = texts[art.id]
        files[f"{stem}.txt"] = text
        lines: list[str] = []
        first_t: dict[int, int] = {}
        t = note_n = 0
        for span in sorted(by_article.get(art.id, []), key=lambda s: (s.start, s.end, s.id)):
            frags = fragments(text, span.start, span.end)
            if not frags:
                continue
            offsets = ";".join(f"{a} {b}" for a, b in frags)
            covered = " ".join(text[a:b] for a, b in frags)
            for tag in span.tags or [UNTAGGED]:
                t += 1
                first_t.setdefault(span.id, t)
                lines.append(f"T{t}\t{brat_type(tag)} {offsets}\t{covered}")
            if span.note and _one_line(span.note):
                note_n += 1
                lines.append(
                    f"#{note_n}\tAnnotatorNotes T{first_t[span.id]}\t{_one_line(span.note)}"
                )
        r = 0
        for a, b in links_by_article.get(art.id, []):
            if a in first_t and b in first_t:
                r += 1
                lines.append(f"R{r}\t{RELATION} Arg1:T{first_t[a]} Arg2:T{first_t[b]}")
        for rel in relations_by_article.get(art.id, []):
            if rel.source in first_t and rel.target in first_t:
                r += 1
                lines.append(
                    f"R{r}\t{relation_type(rel.type)} "
                    f"Arg1:T{first_t[rel.source]} Arg2:T{first_t[rel.target]}"
                )
                if rel.note and _one_line(rel.note):
                    note_n += 1
                    lines.append(f"#{note_n}\tAnnotatorNotes R{r}\t{_one_line(rel.note)}")
        files[f"{stem}.ann"] = "".join(line + "\n" for line in lines)
    types = {brat_type(t) for t in tags} | {brat_type(t) for s in spans for t in s.tags}
    if any(not s.tags for s in spans if not s.orphaned):
        types.add(UNTAGGED)
    files["annotation.conf"] = (
        "[entities]\n"
        + "".join(f"{t}\n" for t in sorted(types))
        + "\n[relations]\n"
        + f"{RELATION}\tArg1:<ENTITY>, Arg2:<ENTITY>\n"
        + "".join(f"{relation_type(t)}\tArg1:<ENTITY>, Arg2:<ENTITY>\n" for t in RELATION_TYPES)
        + f"{OVERLAP}\n"
        + "\n[events]\n\n[attributes]\n"
    )
    return files
