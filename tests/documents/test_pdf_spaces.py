"""Which spaces a PDF's text has: the ones the file draws, and a word space PDFium
sees between Latin words the file draws apart; never one PDFium makes up
between a Chinese character and a digit (a producer's Asian/Western autospacing)."""

from __future__ import annotations

import io

from reportlab.pdfgen import canvas

from claimmap.documents.pdf import read_pdf
from tests.documents.pdf_builder import FONT, HEIGHT, WIDTH


def _pdf(draw: list[tuple[str, float, float]], size: float = 11.0) -> bytes:
    """One page with each (text, x, y) drawn as its own text object."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(WIDTH, HEIGHT))
    for text, x, y in draw:
        c.setFont(FONT, size)
        c.drawString(x, y, text)
    c.save()
    return out.getvalue()


def _minimal_pdf(content: bytes) -> bytes:
    """A one-page PDF with Helvetica as /F1 and ``content`` as its content stream
    (for operators reportlab does not write, such as a kerned TJ array)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_no_space_between_chinese_and_digits_drawn_apart() -> None:
    # LibreOffice's autospacing: "2021", "年", "9", "月" drawn apart with gaps and
    # no space character; PDFium generates spaces there, the text has none.
    x, draw = 72.0, []
    for piece in ("美欧于", "2021", "年", "9", "月举行会议。"):
        draw.append((piece, x, 700.0))
        x += len(piece) * (11.0 if piece[0] > "\u2e80" else 5.5) + 3.0
    doc = read_pdf(_pdf(draw), "autospacing.pdf")
    assert doc.body == "美欧于2021年9月举行会议。"


def test_a_space_the_file_draws_between_digits_and_chinese_stays() -> None:
    # Some publishers do type "2021 年": that space is in the file, and stays.
    doc = read_pdf(_pdf([("美欧于 2021 年 9 月举行会议。", 72.0, 700.0)]), "typed.pdf")
    assert doc.body == "美欧于 2021 年 9 月举行会议。"


def test_latin_words_kerned_apart_in_one_text_object_keep_their_spaces() -> None:
    # TeX and others set a word space as a kerning gap inside one TJ array, with no
    # space character; a justified line's gap (here 0.18 em) can be narrower than
    # the reader's own word-gap rule, but PDFium, knowing the font's space, sees it.
    content = b"BT /F1 11 Tf 72 700 Td [(Trade)-180(and)-180(technology)-180(policy.)] TJ ET"
    doc = read_pdf(_minimal_pdf(content), "kerned.pdf")
    assert doc.body == "Trade and technology policy."
