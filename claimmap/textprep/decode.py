"""Bytes -> text, refusing binary files and anything that would be mojibake.

Order of trust: a BOM, then strict UTF-8 (most files; a detector can only do
worse), then for CJK legacy encodings a character-commonness vote between
GB18030 and Big5, then charset-normalizer for everything else.  Detection is not
trusted on very short input (detectors misread short Big5 as UTF-16 and GB2312 as
Big5): there only GB18030 and Big5 are tried, strictly, and a clear error beats
silently wrong text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from charset_normalizer import from_bytes

from claimmap.textprep.types import Decoded

SHORT_INPUT_BYTES = 30

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"%PDF-", "PDF document"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xd0\xcf\x11\xe0", "OLE document (old Word/Excel)"),
    (b"SQLite format 3\x00", "SQLite database"),
)

# C0 controls other than tab, LF, VT, FF, CR and ESC: text files do not contain them.
_BINARY_CONTROL_BYTES_RE = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f]")
_CONTROL_CHARS_RE = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
_HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af]")
_UNLIKELY_RE = re.compile("[\ue000-\uf8ff\ufffd\ufffe\uffff]")

_CJK_ENCODINGS = frozenset(
    {"gb2312", "gbk", "gb18030", "big5", "big5hkscs", "cp950", "hz", "iso2022_cn"}
)


class DecodeError(ValueError):
    """The bytes are not text we can decode without guessing."""


def decode_bytes(raw: bytes, name: str) -> Decoded:
    """Decode ``raw`` (the content of file ``name``) or raise ``DecodeError``."""
    if not raw.strip():
        raise DecodeError(f"{name}: file is empty")
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            raise DecodeError(f"{name}: binary file ({kind}), not text")

    decoded = _decode_with_bom(raw, name)
    if decoded is None:
        # NUL is left to the UTF-16 check; other C0 controls never occur in text.
        if len(_BINARY_CONTROL_BYTES_RE.findall(raw)) > len(raw) * 0.05:
            raise DecodeError(f"{name}: binary file (control bytes), not text")
        decoded = _decode_utf8(raw)
    if decoded is None:
        if b"\x00" in raw:
            decoded = _decode_utf16_without_bom(raw)
            if decoded is None:
                raise DecodeError(f"{name}: binary file (contains NUL bytes), not text")
        else:
            decoded = _decode_legacy(raw, name)
    _check_plausible(decoded, name)
    return decoded


def _decode_with_bom(raw: bytes, name: str) -> Decoded | None:
    # UTF-32 first: its LE BOM begins with the UTF-16 LE BOM.
    boms = (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    )
    for bom, encoding in boms:
        if raw.startswith(bom):
            try:
                return Decoded(raw.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"{name}: starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} (byte {exc.start})"
                ) from exc
    return None


def _decode_utf8(raw: bytes) -> Decoded | None:
    if b"\x00" in raw:
        return None
    try:
        return Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return None


def _decode_utf16_without_bom(raw: bytes) -> Decoded | None:
    """UTF-16 without BOM shows NULs on one parity for Latin text; trust nothing else."""
    if len(raw) % 2:
        return None
    even = raw[0::2].count(0)
    odd = raw[1::2].count(0)
    total = even + odd
    half = len(raw) // 2
    # Latin-heavy UTF-16: at least a third of the code units have a NUL high byte,
    # and they sit on one side only.
    if total < half / 3:
        return None
    if odd >= 0.9 * total:
        encoding = "utf-16-le"
    elif even >= 0.9 * total:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    if _CONTROL_CHARS_RE.search(text) or _UNLIKELY_RE.search(text):
        return None
    return Decoded(text, encoding)


def _decode_legacy(raw: bytes, name: str) -> Decoded:
    cjk = _choose_cjk(raw)
    if len(raw) < SHORT_INPUT_BYTES:
        if cjk is None:
            raise DecodeError(
                f"{name}: too short ({len(raw)} bytes) to detect its encoding reliably, "
                "and it is neither UTF-8, GB18030 nor Big5 text"
            )
        return cjk
    match = from_bytes(raw).best()
    if match is None:
        if cjk is not None:
            return cjk
        raise DecodeError(f"{name}: {_utf8_failure(raw)}, and no text encoding fits")
    encoding = match.encoding.lower().replace("-", "_")
    if encoding in _CJK_ENCODINGS or cjk is not None:
        # Detectors confuse GB2312 and Big5; the commonness vote is more reliable.
        if cjk is None:
            raise DecodeError(f"{name}: detected as {encoding} but does not decode cleanly")
        return cjk
    if match.coherence <= 0.0:
        # A single-byte code page decodes any bytes; when the result is no known
        # language at all it is mojibake, and a clear refusal beats importing it.
        raise DecodeError(
            f"{name}: {_utf8_failure(raw)}, and no encoding gives readable text "
            f"(the best guess, {encoding}, reads as no language); convert it to UTF-8"
        )
    return Decoded(str(match), encoding)


def _utf8_failure(raw: bytes) -> str:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
    return "not UTF-8 text"


def _choose_cjk(raw: bytes) -> Decoded | None:
    """Decode as GB18030 and Big5 (strict); keep the one made of common characters."""
    best: tuple[float, Decoded] | None = None
    for encoding in ("gb18030", "big5"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        han = _HAN_RE.findall(text)
        if not han:
            continue
        common = _common_han()
        n_common = sum(1 for ch in han if ch in common)
        share = n_common / len(han)
        # Mis-decoded CJK lands on rare characters, kana, box drawing or private use;
        # genuine text is overwhelmingly made of the most common characters.
        if share < 0.75 or _UNLIKELY_RE.search(text):
            continue
        if best is None or n_common > best[0]:
            best = (n_common, Decoded(text, encoding))
    return None if best is None else best[1]


@lru_cache(maxsize=1)
def _common_han() -> frozenset[str]:
    """Common characters by the standards' own definition, in either script.

    GB2312 level 1 (rows 0xB0-0xD7, the 3,755 most frequent simplified characters)
    and Big5 level 1 (0xA440-0xC67E, the 5,401 common traditional characters).
    """
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    for lead in range(0xA4, 0xC7):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            if (lead, trail) > (0xC6, 0x7E):
                break
            try:
                chars.add(bytes((lead, trail)).decode("big5"))
            except UnicodeDecodeError:
                continue
    return frozenset(ch for ch in chars if _HAN_RE.fullmatch(ch))


def _check_plausible(decoded: Decoded, name: str) -> None:
    text = decoded.text
    if not text.strip():
        raise DecodeError(f"{name}: file is empty (whitespace only)")
    n = len(text)
    bad = text.count("\ufffd")
    if bad > max(2, n // 200):
        raise DecodeError(
            f"{name}: decoded as {decoded.encoding} but contains {bad} replacement "
            "characters (U+FFFD): mis-encoded text"
        )
    controls = len(_CONTROL_CHARS_RE.findall(text))
    if controls > max(2, n // 100):
        raise DecodeError(
            f"{name}: decoded as {decoded.encoding} but contains {controls} control "
            "characters: binary or mis-encoded"
        )
