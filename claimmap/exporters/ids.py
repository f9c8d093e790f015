"""Deterministic identifiers for exported objects (uuid5 in a claimmap namespace).

The same database content always gives the same identifiers, so exports are
byte-identical and a re-export after a round trip names things the same way.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Collection
from urllib.parse import quote, unquote

from claimmap.models import Span

NAMESPACE = uuid.UUID("5d0c6c2e-8f5b-5b7e-9a51-6c61696d6d61")
ARTICLE_URN = "urn:claimmap:article:"
_NAMESPACE_BYTES = NAMESPACE.bytes


def guid(*parts: object) -> str:
    """A lowercase 8-4-4-4-12 uuid5 for the joined parts.

    Exactly ``str(uuid.uuid5(NAMESPACE, name))``, computed without building a
    ``UUID`` object: exports make several of these per span.
    """
    name = "\x1f".join(map(str, parts))
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def span_key(span: Span) -> tuple[object, ...]:
    """What identifies a span across databases: its place and wording.

    An orphaned span has no trustworthy place, so its database id is added to
    keep two orphans with the same wording apart.
    """
    if span.orphaned:
        return ("orphan", span.article, span.id, span.quote)
    return ("span", span.article, span.start, span.end, span.quote)


def span_guid(span: Span) -> str:
    return guid(*span_key(span))


def article_iri(ref: str) -> str:
    return ARTICLE_URN + quote(ref, safe="")


def ref_from_iri(iri: str) -> str | None:
    if not iri.startswith(ARTICLE_URN):
        return None
    return unquote(iri[len(ARTICLE_URN) :])


_UNSAFE = re.compile(r"[^\w.\-]+")


def file_name(ref: str, suffix: str, taken: Collection[str] = ()) -> str:
    """A portable file name for an article ref, unique among ``taken``."""
    stem = _UNSAFE.sub("_", ref).strip("._") or "article"
    name, n = stem + suffix, 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}{suffix}"
    return name
