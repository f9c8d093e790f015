"""``safe_zip``: the one reader of untrusted ZIP archives (DOCX, EPUB, .qdpx)."""

from __future__ import annotations

import ast
import io
import stat
import zipfile
from pathlib import Path

import pytest

from claimmap.safe_zip import SafeZip, ZipFault, ZipLimits, ZipRefused

SMALL = ZipLimits(members=10, member_bytes=4 * 1024 * 1024, total_bytes=6 * 1024 * 1024)
VETTED = ZipLimits(
    members=10, member_bytes=4 * 1024 * 1024, total_bytes=6 * 1024 * 1024, vet_members=True
)
CLAIMMAP = Path(__file__).resolve().parents[1] / "claimmap"


def _zip(members: dict[str, bytes], modes: dict[str, int] | None = None) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            if modes and name in modes:
                info.create_system = 3  # Unix: the high 16 bits of external_attr are st_mode
                info.external_attr = modes[name] << 16
            zf.writestr(info, data)
    out.seek(0)
    return out


def _refused(fault: ZipFault, source: io.BytesIO, limits: ZipLimits, read: str = "") -> ZipRefused:
    with pytest.raises(ZipRefused) as info, SafeZip(source, limits) as zf:
        zf.read(read)
    assert info.value.fault is fault, info.value
    return info.value


def test_members_read_by_exact_name_first_then_ignoring_case() -> None:
    source = _zip({"Sources/a.txt": b"upper", "sources/a.txt": b"lower", "b.txt": b"b"})
    with SafeZip(source, SMALL) as zf:
        assert zf.read("Sources/a.txt") == b"upper"
        assert zf.read("sources/a.txt") == b"lower"
        assert zf.read("B.TXT") == b"b"
        assert zf.has("b.TXT") and not zf.has("c.txt")
    assert _refused(ZipFault.MISSING, _zip({"b.txt": b"b"}), SMALL, "c.txt").member == "c.txt"


def test_not_a_zip_and_too_many_members_refused() -> None:
    assert "not a zip file" in _refused(ZipFault.NOT_A_ZIP, io.BytesIO(b"plain"), SMALL).detail
    many = _zip({f"m{i}.txt": b"x" for i in range(11)})
    assert _refused(ZipFault.TOO_MANY_MEMBERS, many, SMALL).size == 11


def test_caps_count_inflated_bytes_across_every_read() -> None:
    source = _zip({"big.txt": b"\0" * (5 * 1024 * 1024), "mid.txt": b"\0" * (3 * 1024 * 1024)})
    assert _refused(ZipFault.INFLATES_TOO_LARGE, source, SMALL, "big.txt").size == 4 * 1024 * 1024
    # Each read is under the member cap; reading the same member again still
    # counts against the archive's total.
    with SafeZip(_zip({"mid.txt": b"\0" * (3 * 1024 * 1024)}), SMALL) as zf:
        zf.read("mid.txt")
        zf.read("mid.txt")
        with pytest.raises(ZipRefused) as info:
            zf.read("mid.txt")
    assert info.value.fault is ZipFault.INFLATES_TOO_LARGE
    assert info.value.size == 6 * 1024 * 1024


def test_encrypted_and_damaged_members_refused() -> None:
    raw = bytearray(_zip({"a.txt": b"some text " * 100}).getvalue())
    encrypted = bytearray(raw)
    # General-purpose flag bit 0 (encrypted), in the local and the central header.
    for at in (raw.index(b"PK\x03\x04") + 6, raw.index(b"PK\x01\x02") + 8):
        encrypted[at] |= 0x1
    _refused(ZipFault.ENCRYPTED, io.BytesIO(bytes(encrypted)), SMALL, "a.txt")
    damaged = bytearray(raw)
    data_at = raw.index(b"a.txt") + len(b"a.txt")
    damaged[data_at : data_at + 8] = b"\xff" * 8  # a deflate stream that is not one
    _refused(ZipFault.DAMAGED, io.BytesIO(bytes(damaged)), SMALL, "a.txt")


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil", "a\\..\\b", "c:/x", "s/../../x"])
def test_vetting_refuses_unsafe_names_and_only_when_asked(name: str) -> None:
    assert _refused(ZipFault.UNSAFE_NAME, _zip({name: b"x"}), VETTED).member == name
    with SafeZip(_zip({name: b"x"}), SMALL) as zf:  # a document archive is only read
        assert zf.read(name) == b"x"


def test_vetting_refuses_links_devices_and_declared_bombs() -> None:
    link = _zip({"s/a.txt": b"/dev/zero"}, {"s/a.txt": stat.S_IFLNK | 0o777})
    assert _refused(ZipFault.NOT_A_FILE, link, VETTED).detail == "a symlink"
    plain = _zip({"s/a.txt": b"text"}, {"s/a.txt": stat.S_IFREG | 0o644, "s/": stat.S_IFDIR})
    with SafeZip(plain, VETTED) as zf:
        assert zf.read("s/a.txt") == b"text"
    bomb = _refused(ZipFault.DECLARED_TOO_LARGE, _zip({"z": b"\0" * (2 * 1024 * 1024)}), VETTED)
    assert bomb.size == 2 * 1024 * 1024 and bomb.ratio > 200


def _reads_zip_archives(tree: ast.AST) -> bool:
    """Whether the module calls ``zipfile.ZipFile`` to read (no mode, or mode "r")."""
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "ZipFile"
        ):
            continue
        modes = [*node.args[1:2], *(kw.value for kw in node.keywords if kw.arg == "mode")]
        if not modes or any(isinstance(m, ast.Constant) and m.value == "r" for m in modes):
            return True
    return False


def test_safe_zip_is_the_only_reader_of_zip_archives() -> None:
    # DOCX/EPUB and .qdpx each had their own reader with their own caps.
    readers = sorted(
        str(path.relative_to(CLAIMMAP))
        for path in CLAIMMAP.rglob("*.py")
        if _reads_zip_archives(ast.parse(path.read_text(encoding="utf-8")))
    )
    assert readers == ["safe_zip.py"]
