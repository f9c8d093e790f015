"""A REFI-QDA archive (``.qdpx``) opened through ``safe_zip``, its refusals worded
as ``ClaimmapError``.

Its members are vetted at opening (``safe_zip``): a member name that is
absolute, contains ``..`` or backslashes, a member whose Unix mode says anything
but a regular file or a directory, or declared sizes and compression ratios past
the caps refuse the whole archive before anything is parsed.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, assert_never

from claimmap.errors import ClaimmapError
from claimmap.safe_zip import SafeZip, ZipFault, ZipLimits, ZipRefused

LIMITS = ZipLimits(
    members=100_000,
    member_bytes=128 * 1024 * 1024,
    total_bytes=512 * 1024 * 1024,
    vet_members=True,
)


def _message(path: Path, refused: ZipRefused) -> str:
    name = refused.member
    match refused.fault:
        case ZipFault.NOT_A_ZIP:
            return f"{path}: not a readable .qdpx (zip) file ({refused.detail})"
        case ZipFault.TOO_MANY_MEMBERS:
            return f"{path}: refused, {refused.size} archive members is too many"
        case ZipFault.UNSAFE_NAME:
            return f"{path}: refused, unsafe member name {name!r}"
        case ZipFault.NOT_A_FILE:
            return f"{path}: refused, member {name!r} is not a regular file ({refused.detail})"
        case ZipFault.DECLARED_TOO_LARGE:
            return (
                f"{path}: refused, member {name!r} would unpack to {refused.size} bytes "
                f"(ratio {refused.ratio:.0f}:1; looks like a zip bomb)"
            )
        case ZipFault.INFLATES_TOO_LARGE:
            return (
                f"{path}: refused, member {name!r} inflates past {refused.size} bytes "
                "(looks like a zip bomb)"
            )
        case ZipFault.MISSING:
            return f"{path}: the archive has no {name!r}"
        case ZipFault.ENCRYPTED:
            return f"{path}: archive member {name!r} is encrypted"
        case ZipFault.DAMAGED:
            return f"{path}: damaged archive member {name!r} ({refused.detail})"
        case ZipFault.LARGER_THAN_DECLARED:
            return f"{path}: member {name!r} is larger than it declares"
        case _:
            assert_never(refused.fault)


def open_zip(fh: BinaryIO, path: Path) -> SafeZip:
    """The vetted archive read from ``fh``; ClaimmapError naming ``path`` if refused."""
    try:
        return SafeZip(fh, LIMITS)
    except ZipRefused as refused:
        raise ClaimmapError(_message(path, refused)) from None


def read_member(zf: SafeZip, name: str, path: Path) -> bytes:
    """The member's bytes (its name matched exactly, else ignoring case)."""
    try:
        return zf.read(name)
    except ZipRefused as refused:
        raise ClaimmapError(_message(path, refused)) from None
