from __future__ import annotations

from claimmap.textprep.normalize import normalize_text


def test_line_endings() -> None:
    assert normalize_text("a\r\nb\rc\nd\r\n\r\ne") == "a\nb\nc\nd\n\ne"


def test_nfc_and_leading_bom_only() -> None:
    assert normalize_text("\ufeffCafe\u0301") == "Café"
    # A U+FEFF inside the text is content, not a BOM.
    assert normalize_text("a\ufeffb") == "a\ufeffb"


def test_never_converts_script_or_width() -> None:
    text = "產業發展，（全角）：ＡＢＣ１２３"
    assert normalize_text(text) == text
