from __future__ import annotations

from collections.abc import Callable

import pytest

from claimmap.textprep.decode import DecodeError, decode_bytes

ZH_SIMP = "美日两国在人工智能领域的合作日益紧密,旨在维持优势地位。" * 3
ZH_TRAD = "美日兩國在人工智能領域的合作日益緊密,旨在維持優勢地位。" * 3


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (ZH_SIMP.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + ZH_SIMP.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + ZH_TRAD.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + ZH_TRAD.encode("utf-16-be"), "utf-16"),
        (ZH_SIMP.encode("gb18030"), "gb18030"),
        (ZH_TRAD.encode("big5"), "big5"),
    ],
)
def test_decodes_common_encodings(raw: bytes, encoding: str) -> None:
    decoded = decode_bytes(raw, "a.txt")
    assert decoded.encoding == encoding
    assert decoded.text.lstrip("\ufeff") in (ZH_SIMP, ZH_TRAD)
    assert not decoded.text.startswith("\ufeff")


def test_short_big5_is_not_mistaken_for_utf16_or_gb() -> None:
    text = "美日兩國人工智能合作現狀"  # 12 characters, 24 bytes
    raw = text.encode("big5")
    assert len(raw) < 30
    decoded = decode_bytes(raw, "short.txt")
    assert (decoded.text, decoded.encoding) == (text, "big5")


def test_short_gb2312_is_not_mistaken_for_big5() -> None:
    text = "美日两国人工智能合作现状"
    decoded = decode_bytes(text.encode("gb2312"), "short.txt")
    assert (decoded.text, decoded.encoding) == (text, "gb18030")


def test_long_gb18030_and_big5_seed(seed: Callable[[str], str]) -> None:
    simp = seed("000")
    trad = seed("003")
    assert decode_bytes(simp.encode("gb18030"), "s.txt").text == simp
    raw = trad.encode("big5", errors="ignore")
    decoded = decode_bytes(raw, "t.txt")
    assert decoded.encoding == "big5"
    assert decoded.text == raw.decode("big5")


def test_utf16_without_bom_latin() -> None:
    text = "Claim mapping across articles, plain English text."
    decoded = decode_bytes(text.encode("utf-16-le"), "u.txt")
    assert (decoded.text, decoded.encoding) == (text, "utf-16-le")


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40), "binary file (PNG image)"),
        (b"PK\x03\x04" + bytes(30), "ZIP archive"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        (bytes(range(256)) * 4, "binary file"),
        (b"\x01\x02\x03\x04\x05\x06abcdefgh" * 10, "binary file"),
    ],
)
def test_refuses_binary(raw: bytes, fragment: str) -> None:
    with pytest.raises(DecodeError) as err:
        decode_bytes(raw, "x.txt")
    assert str(err.value).startswith("x.txt: ")
    assert fragment in str(err.value)


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n", "\ufeff  \n".encode("utf-8")])
def test_refuses_empty(raw: bytes) -> None:
    with pytest.raises(DecodeError, match="empty"):
        decode_bytes(raw, "e.txt")


def test_refuses_short_undecodable() -> None:
    with pytest.raises(DecodeError, match=r"^bad\.txt: too short"):
        decode_bytes(b"abc\xff\xfa", "bad.txt")


def test_refuses_invalid_bytes_after_bom() -> None:
    with pytest.raises(DecodeError, match="utf-8-sig"):
        decode_bytes(b"\xef\xbb\xbfok \xff\xfe\xfd", "bom.txt")


def test_refuses_mojibake_with_replacement_characters() -> None:
    raw = ("text \ufffd\ufffd\ufffd\ufffd broken " * 5).encode("utf-8")
    with pytest.raises(DecodeError, match="replacement characters"):
        decode_bytes(raw, "m.txt")
