"""Opening a REFI-QDA archive (``.qdpx``, a zip) that came from anywhere.

Member names that are absolute, contain ``..`` or backslashes, and members whose
Unix mode says anything but a regular file or a directory (symlink, FIFO,
device, socket) are refused, and the total and per-member uncompressed sizes and
compression ratios are capped against zip bombs.
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from claimmap.errors import ClaimmapError
from claimmap.safe_reading import file_kind

MAX_ZIP_MEMBERS = 100_000
MAX_ZIP_TOTAL = 512 * 1024 * 1024
MAX_ZIP_MEMBER = 128 * 1024 * 1024
MAX_ZIP_RATIO = 200
RATIO_CHECK_ABOVE = 1024 * 1024


def safe_member_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return False
    parts = PurePosixPath(name).parts
    return not (parts and ":" in parts[0]) and ".." not in parts


# What a corrupt zip can raise from zipfile: bad headers, bad deflate streams,
# truncated data, unsupported compression, encrypted members, bad CRCs.
_ZIP_DAMAGE = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
)


def _member_kind(info: zipfile.ZipInfo) -> str | None:
    """What a member's Unix mode bits say it is, if not a regular file or directory.

    Bits 16-31 of ``external_attr`` are ``st_mode`` for archives made on Unix;
    elsewhere they are zero and say nothing.
    """
    mode = info.external_attr >> 16
    if stat.S_IFMT(mode) in (0, stat.S_IFREG, stat.S_IFDIR):
        return None
    return file_kind(mode)


def open_zip(fh: BinaryIO, path: Path) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(fh)
    except _ZIP_DAMAGE as exc:
        raise ClaimmapError(f"{path}: not a readable .qdpx (zip) file ({exc})") from None
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        zf.close()
        raise ClaimmapError(f"{path}: refused, {len(infos)} archive members is too many")
    total = 0
    for info in infos:
        if not safe_member_name(info.filename):
            zf.close()
            raise ClaimmapError(f"{path}: refused, unsafe member name {info.filename!r}")
        kind = _member_kind(info)
        if kind is not None:
            zf.close()
            raise ClaimmapError(
                f"{path}: refused, member {info.filename!r} is not a regular file ({kind})"
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if (
            info.file_size > MAX_ZIP_MEMBER
            or total > MAX_ZIP_TOTAL
            or (info.file_size > RATIO_CHECK_ABOVE and ratio > MAX_ZIP_RATIO)
        ):
            zf.close()
            raise ClaimmapError(
                f"{path}: refused, member {info.filename!r} would unpack to "
                f"{info.file_size} bytes (ratio {ratio:.0f}:1; looks like a zip bomb)"
            )
    return zf


def read_member(zf: zipfile.ZipFile, name: str, path: Path) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise ClaimmapError(f"{path}: the archive has no {name!r}") from None
    # The declared size was checked; reading one byte more catches a lying header.
    try:
        with zf.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except _ZIP_DAMAGE as exc:
        raise ClaimmapError(f"{path}: damaged archive member {name!r} ({exc})") from None
    if len(data) > info.file_size:
        raise ClaimmapError(f"{path}: member {name!r} is larger than it declares")
    return data
