"""DOCX and EPUB archives are read through ``safe_zip``: every way ``zipfile``
can fail on a damaged archive is one ``UnreadableDocument``."""

from __future__ import annotations

import struct

import pytest

from claimmap.documents.readers import read_document
from claimmap.documents.types import UnreadableDocument
from tests.documents.builders import Chapter, make_docx, make_epub

CENTRAL_ENTRY = b"PK\x01\x02"


def _needing_a_newer_unzip(raw: bytes) -> bytes:
    """``raw`` with its first central-directory entry asking for zip version 9.9:
    ``zipfile`` raises NotImplementedError for that while opening the archive."""
    at = raw.index(CENTRAL_ENTRY) + 6  # signature, then "version made by"
    return raw[:at] + struct.pack("<H", 99) + raw[at + 2 :]


@pytest.mark.parametrize("suffix", [".docx", ".epub"])
def test_an_archive_needing_a_newer_zip_version_is_damaged(suffix: str) -> None:
    if suffix == ".docx":
        raw = make_docx(["Some text."])
    else:
        raw = make_epub([Chapter("a.xhtml", "A", ["Some text."])], ["a.xhtml"])
    # It used to escape the document readers as NotImplementedError (fuzz finding).
    with pytest.raises(UnreadableDocument, match=r"^new\.\w+: damaged .*zip file version 9\.9"):
        read_document(suffix, _needing_a_newer_unzip(raw), f"new{suffix}")
