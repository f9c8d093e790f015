"""Which reader reads which file suffix, imported only when such a file is read."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import cast

from claimmap.documents.types import DocumentText

Reader = Callable[[bytes, str], DocumentText]

# suffix -> "module:function"; each function takes the file's bytes and the name
# shown in messages, and returns the document or raises UnreadableDocument.
READERS: dict[str, str] = {
    ".pdf": "claimmap.documents.pdf:read_pdf",
    ".docx": "claimmap.documents.docx:read_docx",
    ".html": "claimmap.documents.html:read_html",
    ".htm": "claimmap.documents.html:read_html",
    ".xhtml": "claimmap.documents.html:read_html",
    ".epub": "claimmap.documents.epub:read_epub",
}


def is_document(suffix: str) -> bool:
    return suffix.lower() in READERS


def reader_for(suffix: str) -> Reader:
    module_name, _, function = READERS[suffix.lower()].partition(":")
    return cast(Reader, getattr(importlib.import_module(module_name), function))


def read_document(suffix: str, raw: bytes, shown: str) -> DocumentText:
    return reader_for(suffix)(raw, shown)
