"""Refusing documents nested too deeply to walk.

The readers walk element trees recursively, as the formats nest (runs in
insertions in hyperlinks, sections in sections).  Expat builds a tree of any
depth, so a crafted file nested a hundred thousand levels deep would end in
RecursionError: that is a damaged document, and the user gets one line saying so.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from claimmap.documents.types import DocumentText, UnreadableDocument

Reader = Callable[[bytes, str], DocumentText]


def refuse_deep_nesting(kind: str) -> Callable[[Reader], Reader]:
    def decorate(read: Reader) -> Reader:
        @functools.wraps(read)
        def guarded(raw: bytes, shown: str) -> DocumentText:
            try:
                return read(raw, shown)
            except RecursionError:
                raise UnreadableDocument(
                    f"{shown}: damaged {kind} file (its markup is nested too deeply to read)"
                ) from None

        return guarded

    return decorate
