"""Makes ``libreoffice_word.docx`` and ``libreoffice_word.pdf``: a Word file saved as
PDF by LibreOffice, the way most PDFs that analysts import are made.

Not run by the tests or CI (CI has no LibreOffice); run it by hand where
LibreOffice and the Noto CJK fonts are installed
(``apt-get install libreoffice-writer-nogui fonts-noto-cjk``), then commit both
files:

    python tests/documents/data/make_libreoffice_word.py

The document is written by hand as flat ODT (``PARAGRAPHS`` and ``NOTES``
below), converted by LibreOffice to .docx, and that .docx saved as PDF, as
someone would in Word.  What it has, because real documents made this way have it:

- Chinese body text with Latin words and numbers: LibreOffice's Asian/Western
  autospacing draws a gap between a Chinese character and a digit or Latin
  letter (``2024年3月``) that is not in the text;
- characters the body font lacks (circled numbers ``①``), which LibreOffice draws
  from a fallback font as separate text objects after the text they sit in, and
  a space after one as a text object of its own (which PDFium's text page drops);
- a running header (``HEADER``) and a page number in the footer, on each of
  two and a bit A5 pages, a paragraph running over the page break;
- three real footnotes, whose superscript reference marks are in the body.

``tests/documents/test_libreoffice_pdf.py`` holds what the reader must make of it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
NAME = "libreoffice_word"
TITLE = "联盟韧性视域下美国—欧盟人工智能合作"
HEADER = "国际问题研究 · 2024年第3期"
AUTHOR = "作者：测试作者"
# Body paragraphs; ``{1}`` marks where footnote 1 is referenced.
PARAGRAPHS = (
    "内容提要：随着人工智能技术的飞速发展，美国和欧盟在该领域的合作不断加深。"
    "美欧已在美国—欧盟贸易和技术委员会框架内展开人工智能合作以增强联盟韧性，"
    "双方的合作措施可归为三类：①数据安全；②算法监管；③芯片供应链。",
    "斯坦福大学计算机科学家麦卡锡（John McCarthy）认为，人工智能（Artificial Intelligence）"
    "是一种制造智能机器的科学与工程。^①2024年3月，联合国大会以协商一致的方式通过了由美国主导的决议，"
    "这是大会达成的首个人工智能独立决议。{1}",
    "早在2023年11月，在英国举行的首届人工智能安全峰会上发布的《布莱奇利宣言》"
    "（The Bletchley Declaration）指出，人工智能的许多风险本质上是国际性的，"
    "因此“需要通过国际合作予以解决”。^②2023年1月，美国宣布与欧盟签署"
    "《人工智能促进公共利益行政协议》，双方就合作开发、应用人工智能技术等事宜达成共识。{2}",
    # A footnote line left in the body by an earlier conversion (as in seed 002): the
    # circled number comes from a fallback font, the space after it on its own.
    "① 《首届人工智能安全峰会发布〈布莱奇利宣言〉》，2023年11月3日，新华网。",
    "国内外学界主要从五个方面对美欧人工智能合作开展研究：第一，美国正在拓展人工智能的多边合作机制，"
    "构建人工智能联盟，^③通过人工智能等新兴技术合作巩固同欧洲的传统关系。"
    "双方已在美国—欧盟贸易和技术委员会（US-EU Trade and Technology Council, TTC）、"
    "七国集团（G7）、经济合作与发展组织（OECD）的框架内进行人工智能的监管合作，"
    "并进行供应链和半导体的互操作性与韧性协作。第二，为契合双方的价值观，"
    "美欧通过TTC合作制定新技术标准。{3}第三，美欧基于民主价值观与人权原则开展合作，"
    "致力于人工智能赋能社会发展，TTC的最终目标是确保数字技术与治理遵循西方的民主价值观。",
    "2021年9月29日，美欧贸易和技术委员会在匹兹堡举行首次会议，设立了十个工作组，"
    "其中第一工作组负责技术标准，第五工作组负责数据治理与技术平台。"
    "2022年5月的第二次会议以后，双方又就人工智能风险管理的术语和分类达成一致，"
    "并于2022年12月发布《可信人工智能和风险管理评估与测量工具联合路线图》。"
    "在这一框架下，双方的合作从原则走向标准，从标准走向工具。",
)
NOTES = {
    1: "参见《美欧贸易和技术委员会联合声明》，2021年9月29日。",
    2: "欧盟委员会：《人工智能法》，2024年。",
    3: "同上。",
}

_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta><dc:title>{title}</dc:title></office:meta>
<office:font-face-decls>
<style:font-face style:name="Noto Serif CJK SC" svg:font-family="'Noto Serif CJK SC'"/>
</office:font-face-decls>
<office:styles>
<style:style style:name="Standard" style:family="paragraph"><style:text-properties
 style:font-name-asian="Noto Serif CJK SC" fo:font-size="12pt" style:font-size-asian="12pt"/></style:style>
<style:style style:name="Body" style:family="paragraph" style:parent-style-name="Standard">
<style:paragraph-properties fo:margin-bottom="0.2cm" fo:text-indent="0.85cm"/></style:style>
<style:style style:name="Small" style:family="paragraph" style:parent-style-name="Standard">
<style:text-properties fo:font-size="9pt" style:font-size-asian="9pt"/></style:style>
</office:styles>
<office:automatic-styles>
<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="14.8cm"
 fo:page-height="21cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm"
 fo:margin-right="2cm"/><style:header-style/><style:footer-style/></style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">
<style:header><text:p text:style-name="Small">{header}</text:p></style:header>
<style:footer><text:p text:style-name="Small"><text:page-number
 text:select-page="current">1</text:page-number></text:p></style:footer>
</style:master-page></office:master-styles>
<office:body><office:text>
<text:h text:outline-level="1">{title}</text:h>
<text:p text:style-name="Standard">{author}</text:p>
{body}
</office:text></office:body></office:document>
"""


def _note(n: int) -> str:
    return (
        f'<text:note text:id="ftn{n}" text:note-class="footnote">'
        f"<text:note-citation>{n}</text:note-citation><text:note-body>"
        f'<text:p text:style-name="Small">{escape(NOTES[n])}</text:p>'
        "</text:note-body></text:note>"
    )


def flat_odt() -> str:
    body = []
    for paragraph in PARAGRAPHS:
        text = escape(paragraph)
        for n in NOTES:
            text = text.replace(f"{{{n}}}", _note(n))
        body.append(f'<text:p text:style-name="Body">{text}</text:p>')
    return _FODT.format(
        title=escape(TITLE), header=escape(HEADER), author=escape(AUTHOR), body="\n".join(body)
    )


def _convert(soffice: str, source: Path, fmt: str, profile: Path) -> Path:
    # A profile of its own: a LibreOffice already running for the user is not disturbed.
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(source.parent),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    return source.with_suffix("." + fmt.split(":")[0])


def main() -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / f"{NAME}.fodt"
        source.write_text(flat_odt(), encoding="utf-8")
        docx = _convert(soffice, source, "docx:MS Word 2007 XML", work / "profile")
        pdf = _convert(soffice, docx, "pdf:writer_pdf_Export", work / "profile")
        for made in (docx, pdf):
            shutil.copyfile(made, HERE / made.name)
            print(f"{HERE / made.name}: {made.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
