"""Reading members of a ZIP archive that came from anywhere, with caps against zip bombs.

DOCX, EPUB and REFI-QDA (``.qdpx``) files are all ZIP archives from outside, and
all are read here.  A zip bomb declares small sizes and inflates to gigabytes,
so every member is read in chunks through caps that count the bytes actually
inflated (per member and for the whole archive), not the sizes the directory
claims.  A damaged archive makes ``zipfile`` raise any of a dozen exception
types from opening or from reading; all of them become ``ZipRefused``.

Members are only read, never extracted.  An archive whose members are vetted
(``ZipLimits.vet_members``: a ``.qdpx``, whose names become source paths) is
refused whole at opening if any member has an unsafe name, a Unix mode other
than a regular file or a directory (symlink, FIFO, device, socket), or a
declared size or compression ratio past the caps.  A document archive is not
vetted that way: it reads only the parts it needs, and a large embedded video it
never reads must not refuse the text around it.

``ZipRefused`` says what went wrong as a ``ZipFault`` plus the member and the
detail; each caller words it for its users and raises its own error type.
"""

from __future__ import annotations

import enum
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from types import TracebackType
from typing import BinaryIO

from claimmap.safe_reading import file_kind

CHUNK = 1024 * 1024
# Declared compression ratios are checked only above this size: small members
# of repetitive XML legitimately compress far better than 200:1.
RATIO_CHECK_ABOVE = 1024 * 1024

# What a corrupt zip can raise from zipfile: bad headers, bad deflate streams,
# truncated data, unsupported compression or zip versions (NotImplementedError),
# encrypted members (RuntimeError), bad CRCs.
ZIP_DAMAGE = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
)


@dataclass(frozen=True)
class ZipLimits:
    """The caps one kind of archive is read with."""

    members: int
    member_bytes: int
    total_bytes: int
    # Refuse the archive at opening for any member with an unsafe name or mode,
    # or a declared size or ratio past the caps (see the module docstring).
    vet_members: bool = False
    max_ratio: int = 200


class ZipFault(enum.Enum):
    NOT_A_ZIP = "not a readable ZIP archive"
    TOO_MANY_MEMBERS = "too many members"
    UNSAFE_NAME = "unsafe member name"
    NOT_A_FILE = "member is not a regular file"
    DECLARED_TOO_LARGE = "member declares too large a size"
    INFLATES_TOO_LARGE = "member inflates past a cap"
    MISSING = "member is missing"
    ENCRYPTED = "member is encrypted"
    DAMAGED = "member is damaged"
    LARGER_THAN_DECLARED = "member is larger than it declares"


class ZipRefused(Exception):
    """Why an archive or one of its members is refused.

    ``member`` names the member ("" for the whole archive); ``detail`` is the
    underlying error's text (NOT_A_ZIP, DAMAGED) or the member's kind
    (NOT_A_FILE); ``size`` is the member count (TOO_MANY_MEMBERS), the declared
    size (DECLARED_TOO_LARGE) or the cap crossed (INFLATES_TOO_LARGE); ``ratio``
    is the declared compression ratio (DECLARED_TOO_LARGE).
    """

    def __init__(
        self,
        fault: ZipFault,
        member: str = "",
        *,
        detail: str = "",
        size: int = 0,
        ratio: float = 0.0,
    ) -> None:
        super().__init__(" ".join(part for part in (fault.value, member, detail) if part))
        self.fault = fault
        self.member = member
        self.detail = detail
        self.size = size
        self.ratio = ratio


def safe_member_name(name: str) -> bool:
    """Whether ``name`` stays inside the archive's root as a relative POSIX path."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return False
    parts = PurePosixPath(name).parts
    return not (parts and ":" in parts[0]) and ".." not in parts


def _member_kind(info: zipfile.ZipInfo) -> str | None:
    """What a member's Unix mode bits say it is, if not a regular file or directory.

    Bits 16-31 of ``external_attr`` are ``st_mode`` for archives made on Unix;
    elsewhere they are zero and say nothing.
    """
    mode = info.external_attr >> 16
    if stat.S_IFMT(mode) in (0, stat.S_IFREG, stat.S_IFDIR):
        return None
    return file_kind(mode)


def _vet(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    total = 0
    for info in infos:
        if not safe_member_name(info.filename):
            raise ZipRefused(ZipFault.UNSAFE_NAME, info.filename)
        kind = _member_kind(info)
        if kind is not None:
            raise ZipRefused(ZipFault.NOT_A_FILE, info.filename, detail=kind)
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if (
            info.file_size > limits.member_bytes
            or total > limits.total_bytes
            or (info.file_size > RATIO_CHECK_ABOVE and ratio > limits.max_ratio)
        ):
            raise ZipRefused(
                ZipFault.DECLARED_TOO_LARGE, info.filename, size=info.file_size, ratio=ratio
            )


class SafeZip:
    """One archive's members, read by name through the caps of its ``ZipLimits``."""

    def __init__(self, source: BinaryIO, limits: ZipLimits) -> None:
        self.limits = limits
        self._inflated = 0
        try:
            self._zip = zipfile.ZipFile(source)
        except ZIP_DAMAGE as exc:
            raise ZipRefused(ZipFault.NOT_A_ZIP, detail=str(exc)) from None
        try:
            infos = self._zip.infolist()
            if len(infos) > limits.members:
                raise ZipRefused(ZipFault.TOO_MANY_MEMBERS, size=len(infos))
            if limits.vet_members:
                _vet(infos, limits)
        except ZipRefused:
            self._zip.close()
            raise
        # Names compared case-sensitively first (the formats say so), then as
        # some writers spell them (``Sources/`` for ``sources/`` in MAXQDA's).
        self._names = {info.filename: info for info in infos}
        self._folded = {info.filename.lower(): info for info in infos}

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def _info(self, name: str) -> zipfile.ZipInfo | None:
        return self._names.get(name) or self._folded.get(name.lower())

    def has(self, name: str) -> bool:
        return self._info(name) is not None

    def read(self, name: str) -> bytes:
        """The member's bytes (its name matched exactly, else ignoring case)."""
        info = self._info(name)
        if info is None:
            raise ZipRefused(ZipFault.MISSING, name)
        if info.flag_bits & 0x1:
            raise ZipRefused(ZipFault.ENCRYPTED, name)
        parts: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as member:
                while chunk := member.read(CHUNK):
                    size += len(chunk)
                    self._inflated += len(chunk)
                    if size > self.limits.member_bytes:
                        raise ZipRefused(
                            ZipFault.INFLATES_TOO_LARGE, name, size=self.limits.member_bytes
                        )
                    if self._inflated > self.limits.total_bytes:
                        raise ZipRefused(
                            ZipFault.INFLATES_TOO_LARGE, name, size=self.limits.total_bytes
                        )
                    # zipfile stops at the declared size; a header that lies
                    # past it is caught here should that ever change.
                    if size > info.file_size:
                        raise ZipRefused(ZipFault.LARGER_THAN_DECLARED, name)
                    parts.append(chunk)
        except ZIP_DAMAGE as exc:
            raise ZipRefused(ZipFault.DAMAGED, name, detail=str(exc)) from None
        return b"".join(parts)
