"""A ZIP-based document (DOCX, EPUB) opened through ``safe_zip``, its refusals
worded as ``UnreadableDocument``.

Password-protected Office files are not ZIP archives at all but OLE compound
files: they are recognised by their magic and named as such, so the user learns
what to do rather than that the file is "damaged".
"""

from __future__ import annotations

import io
from typing import assert_never

from claimmap.documents.types import UnreadableDocument
from claimmap.safe_zip import SafeZip, ZipFault, ZipLimits, ZipRefused

LIMITS = ZipLimits(members=20_000, member_bytes=64 * 1024 * 1024, total_bytes=256 * 1024 * 1024)
# Office files protected with a password, and old binary .doc files, are OLE
# compound files, not ZIP archives.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _message(shown: str, kind: str, refused: ZipRefused) -> str:
    name = refused.member
    match refused.fault:
        case ZipFault.NOT_A_ZIP:
            return f"{shown}: damaged {kind} file (not a readable ZIP archive: {refused.detail})"
        case ZipFault.TOO_MANY_MEMBERS:
            return f"{shown}: {kind} archive has {refused.size} members, too many"
        case ZipFault.MISSING:
            return f"{shown}: damaged {kind} file ({name} is missing)"
        case ZipFault.ENCRYPTED:
            return f"{shown}: {kind} file is encrypted ({name})"
        case ZipFault.INFLATES_TOO_LARGE | ZipFault.DECLARED_TOO_LARGE:
            return (
                f"{shown}: {kind} member {name} inflates past {refused.size // (1024 * 1024)} MB "
                "(a zip bomb or not a document)"
            )
        case ZipFault.DAMAGED:
            return f"{shown}: damaged {kind} file ({name}: {refused.detail})"
        case ZipFault.UNSAFE_NAME | ZipFault.NOT_A_FILE | ZipFault.LARGER_THAN_DECLARED:
            return f"{shown}: damaged {kind} file ({refused})"
        case _:
            assert_never(refused.fault)


class Archive:
    """The members of one document archive, read by name (see ``safe_zip``)."""

    def __init__(self, raw: bytes, shown: str, kind: str) -> None:
        self.shown = shown
        self.kind = kind
        try:
            self._zip = SafeZip(io.BytesIO(raw), LIMITS)
        except ZipRefused as refused:
            raise UnreadableDocument(_message(shown, kind, refused)) from None

    def has(self, name: str) -> bool:
        return self._zip.has(name)

    def read(self, name: str) -> bytes:
        """The member's bytes; UnreadableDocument if it is missing, damaged or too big."""
        try:
            return self._zip.read(name)
        except ZipRefused as refused:
            raise UnreadableDocument(_message(self.shown, self.kind, refused)) from None


def open_archive(raw: bytes, shown: str, kind: str) -> Archive:
    """The archive, or UnreadableDocument naming why it is not one."""
    if raw.startswith(OLE_MAGIC):
        raise UnreadableDocument(
            f"{shown}: not a {kind} archive but an OLE container: a password-protected "
            "(encrypted) file or an old binary format; save it unprotected as "
            f"{kind} and import that"
        )
    if not raw.startswith(b"PK"):
        raise UnreadableDocument(f"{shown}: damaged {kind} file (not a ZIP archive)")
    return Archive(raw, shown, kind)
