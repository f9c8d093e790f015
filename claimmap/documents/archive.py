"""Reading members of a ZIP-based document (DOCX, EPUB) with size caps.

A document archive comes from the analyst's disk but is not trusted: a zip bomb
declares small sizes and inflates to gigabytes, so every member is read through
a cap that counts the bytes actually inflated, not the sizes the directory
claims.  Members are only read, never extracted, so their paths need no checks.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from claimmap.documents.types import UnreadableDocument

MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
_CHUNK = 1024 * 1024
# Office files protected with a password, and old binary .doc files, are OLE
# compound files, not ZIP archives.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Archive:
    """The members of one ZIP archive, read by name with the caps above."""

    def __init__(self, raw: bytes, shown: str, kind: str) -> None:
        self.shown = shown
        self.kind = kind
        self._total = 0
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(raw))
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise UnreadableDocument(
                f"{shown}: damaged {kind} file (not a readable ZIP archive: {exc})"
            ) from exc
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise UnreadableDocument(f"{shown}: {kind} archive has {len(infos)} members, too many")
        # Names compared case-sensitively first (the formats say so), then as
        # some writers spell them.
        self._names = {info.filename: info for info in infos}
        self._folded = {info.filename.lower(): info for info in infos}

    def has(self, name: str) -> bool:
        return name in self._names or name.lower() in self._folded

    def names(self) -> list[str]:
        return list(self._names)

    def read(self, name: str) -> bytes:
        """The member's bytes; UnreadableDocument if it is missing, damaged or too big."""
        info = self._names.get(name) or self._folded.get(name.lower())
        if info is None:
            raise UnreadableDocument(f"{self.shown}: damaged {self.kind} file ({name} is missing)")
        if info.flag_bits & 0x1:
            raise UnreadableDocument(f"{self.shown}: {self.kind} file is encrypted ({name})")
        parts: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    self._total += len(chunk)
                    if size > MAX_MEMBER_BYTES or self._total > MAX_TOTAL_BYTES:
                        raise UnreadableDocument(
                            f"{self.shown}: {self.kind} member {name} inflates past "
                            f"{MAX_MEMBER_BYTES // (1024 * 1024)} MB (a zip bomb or not a document)"
                        )
                    parts.append(chunk)
        except (
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            EOFError,
            ValueError,
            NotImplementedError,
        ) as exc:
            raise UnreadableDocument(
                f"{self.shown}: damaged {self.kind} file ({name}: {exc})"
            ) from exc
        return b"".join(parts)


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
