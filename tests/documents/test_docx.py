"""The Word reader against documents built here with known ground truth."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from claimmap.documents.docx import read_docx
from claimmap.documents.notes import marker_text
from claimmap.documents.readers import read_document
from claimmap.documents.types import UnreadableDocument
from tests.documents.builders import (
    Block,
    Heading,
    Table,
    docx_from_xml,
    expected_body,
    make_docx,
    note_labels,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed_paragraphs(prefix: str) -> list[str]:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return [line.strip() for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def _expected(blocks: list[Block]) -> str:
    labels = note_labels(blocks)
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(block.text)
        elif isinstance(block, Table):
            out.append(
                "\n".join("\t".join(expected_body(c, labels) for c in row) for row in block.rows)
            )
        else:
            out.append(expected_body(block, labels))
    return "\n\n".join(out)


def _paper() -> tuple[list[Block], dict[str, str], dict[str, str]]:
    seed = seed_paragraphs("004")
    blocks: list[Block] = [
        Heading("2024年日本人工智能发展概览", 0),
        seed[0],
        Heading(seed[2], 1),
        seed[3] + "{fn:market}",
        seed[4],
        Table(
            [
                ["年份", "市场规模", "增长率"],
                ["2023", "6858亿日元", "—"],
                ["2024", "9000亿日元{fn:table}", "31.2%"],
            ]
        ),
        Heading(seed[6], 1),
        seed[7],
        "Japan's strategy{en:strategy} follows the G7 Hiroshima AI Process, which it chaired in 2023.",
        seed[8] + "{fn:davos}",
        Heading("Reviewers", 2),
        "The report is balanced; its account of semiconductor policy is the strongest part.",
    ]
    footnotes = {
        "market": "IDC Japan,《国内AI系统市场预测》,2024年。",
        "table": "单位:亿日元。",
        "davos": "Shinzo Abe, speech at the World Economic Forum, Davos, 23 January 2019.",
    }
    endnotes = {"strategy": "Cabinet Office, AI Strategy 2022, Tokyo."}
    return blocks, footnotes, endnotes


def test_body_paragraphs_headings_and_tables_in_order() -> None:
    blocks, footnotes, endnotes = _paper()
    document = read_docx(make_docx(blocks, footnotes, endnotes), "paper.docx")
    expected = _expected(blocks)
    assert fuzz.ratio(document.body, expected) / 100 >= 0.99
    paragraphs = document.body.split("\n\n")
    assert paragraphs[0] == "2024年日本人工智能发展概览"
    # Every source block in order, each as its own paragraph (a table as one block).
    assert paragraphs == expected.split("\n\n")
    table = paragraphs[5].split("\n")
    assert table[0].split("\t") == ["年份", "市场规模", "增长率"]
    assert table[2].split("\t") == ["2024", "9000亿日元^2", "31.2%"]


def test_footnotes_and_endnotes_are_notes_with_markers() -> None:
    blocks, footnotes, endnotes = _paper()
    document = read_docx(make_docx(blocks, footnotes, endnotes), "paper.docx")
    # Footnotes numbered 1, 2, 3 in reading order, endnotes i, ii, ... (Word's defaults).
    assert [(n.label, n.text) for n in document.notes] == [
        ("1", footnotes["market"]),
        ("2", footnotes["table"]),
        ("3", footnotes["davos"]),
        ("i", endnotes["strategy"]),
    ]
    body = document.body
    assert [body[m.start : m.end] for m in document.markers] == [
        marker_text(m.label) for m in document.markers
    ]
    by_label = {m.label: m for m in document.markers}
    assert set(by_label) == {"1", "2", "3", "i"}
    assert body[: by_label["i"].start].endswith("Japan's strategy")
    assert body[: by_label["2"].start].endswith("9000亿日元")
    seed = seed_paragraphs("004")
    assert body[: by_label["1"].start].endswith(seed[3])
    assert body[: by_label["3"].start].endswith(seed[8])
    # No note text leaked into the body.
    for text in (*footnotes.values(), *endnotes.values()):
        assert text not in body


def test_tracked_changes_are_accepted() -> None:
    blocks: list[Block] = [
        "美日两国{ins:自二战后即}开展技术合作{del:,但成效有限},如今日益紧密。",
        "The pact {movefrom:quickly }was signed {moveto:quickly }in 2024{del: by both}.",
        "{del:A whole deleted sentence. }Kept text.",
    ]
    document = read_docx(make_docx(blocks), "changes.docx")
    assert document.body == (
        "美日两国自二战后即开展技术合作,如今日益紧密。\n\n"
        "The pact was signed quickly in 2024.\n\n"
        "Kept text."
    )
    dropped = [entry.before for entry in document.log if "tracked deletion" in entry.detail]
    assert dropped == [",但成效有限", "quickly ", " by both", "A whole deleted sentence. "]


def test_deleted_paragraph_mark_joins_the_next_paragraph() -> None:
    deleted_mark = (
        '<w:pPr><w:rPr><w:del w:id="1" w:author="R" w:date="2024-01-01T00:00:00Z"/></w:rPr></w:pPr>'
    )
    body = (
        f"<w:p>{deleted_mark}<w:r><w:t>技术一直是塑造国际体系</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>,影响国家间权力格局的重要因素。</w:t></w:r></w:p>"
        f'<w:p>{deleted_mark}<w:del w:id="2" w:author="R"><w:r><w:delText>Gone.</w:delText></w:r></w:del></w:p>'
        "<w:p><w:r><w:t>Next paragraph.</w:t></w:r></w:p>"
    )
    document = read_docx(docx_from_xml(body), "marks.docx")
    assert (
        document.body == "技术一直是塑造国际体系,影响国家间权力格局的重要因素。\n\nNext paragraph."
    )


def test_text_boxes_alternate_content_fields_and_custom_marks() -> None:
    box = (
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
        "<w:p><w:r><w:t>Box text.</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Box text.</w:t></w:r></w:p>"
        "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent>"
    )
    body = (
        f"<w:p><w:r><w:t>Anchor paragraph.</w:t></w:r><w:r>{box}</w:r></w:p>"
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> pages, see</w:t></w:r>'
        '<w:r><w:footnoteReference w:customMarkFollows="1" w:id="5"/><w:t>*</w:t></w:r>'
        '<w:r><w:t xml:space="preserve"> and</w:t></w:r><w:r><w:footnoteReference w:id="6"/></w:r></w:p>'
    )
    notes = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="5"><w:p><w:r><w:t>*</w:t></w:r><w:r><w:t xml:space="preserve"> Starred note.</w:t></w:r></w:p></w:footnote>'
        '<w:footnote w:id="6"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Lettered note.</w:t></w:r></w:p></w:footnote>'
    )
    settings = '<w:footnotePr><w:numFmt w:val="lowerLetter"/></w:footnotePr>'
    document = read_docx(docx_from_xml(body, notes, settings), "boxes.docx")
    assert document.body == "Anchor paragraph.\n\nBox text.\n\n7 pages, see* and^{a}"
    assert [(m.label, document.body[m.start : m.end]) for m in document.markers] == [
        ("*", "*"),
        ("a", "^{a}"),
    ]
    assert [n.label for n in document.notes] == ["*", "a"]
    assert document.notes[1].text == "Lettered note."


def test_metadata_from_core_properties() -> None:
    blocks, footnotes, endnotes = _paper()
    raw = make_docx(
        blocks,
        footnotes,
        endnotes,
        title="2024年日本人工智能发展概览",
        author="川岛真; 青山瑠妙",
        created="2024-12-20T09:30:00",
    )
    metadata = read_docx(raw, "paper.docx").metadata
    assert metadata.title == "2024年日本人工智能发展概览"
    assert metadata.authors == "川岛真; 青山瑠妙"
    assert metadata.date == "2024-12-20"


def test_headers_and_footers_are_left_out_and_logged() -> None:
    raw = make_docx(["Body text."], header="Journal of AI Policy 12(3)", footer="Page 4")
    document = read_docx(raw, "furniture.docx")
    assert document.body == "Body text."
    logged = {entry.before for entry in document.log}
    assert {"Journal of AI Policy 12(3)", "Page 4"} <= logged


def test_registered_for_the_docx_suffix() -> None:
    raw = make_docx(["Registered."])
    assert read_document(".DOCX", raw, "x.DOCX").body == "Registered."


def test_encrypted_damaged_and_bomb_files_refused() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000
    with pytest.raises(
        UnreadableDocument, match=r"^secret\.docx: .*password-protected \(encrypted\)"
    ):
        read_docx(ole, "secret.docx")
    good = make_docx(["Some text."])
    with pytest.raises(UnreadableDocument, match=r"^cut\.docx: damaged"):
        read_docx(good[: len(good) // 2], "cut.docx")
    with pytest.raises(UnreadableDocument, match="damaged"):
        read_docx(b"plain text, not a zip", "t.docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "no document here")
    with pytest.raises(UnreadableDocument, match="no main document part"):
        read_docx(buffer.getvalue(), "empty.docx")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_rels/.rels", '<Relationships xmlns="x"/>')
        archive.writestr("word/document.xml", b"<" + b" " * (70 * 1024 * 1024))
    assert len(bomb.getvalue()) < 1024 * 1024
    with pytest.raises(UnreadableDocument, match="zip bomb"):
        read_docx(bomb.getvalue(), "bomb.docx")
    broken_xml = docx_from_xml("<w:p><w:r><w:t>unclosed</w:r></w:p>")
    with pytest.raises(UnreadableDocument, match="not well-formed"):
        read_docx(broken_xml, "broken.docx")


def _level(ilvl: int, fmt: str, text: str, suffix: str = "nothing", start: int = 1) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:suff w:val="{suffix}"/></w:lvl>'
    )


def _numbered(text: str, num_id: int, ilvl: int = 0) -> str:
    return (
        f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>'
        f"<w:r><w:t>{text}</w:t></w:r></w:p>"
    )


def test_automatic_heading_and_list_numbers_are_text() -> None:
    numbering = (
        f'<w:abstractNum w:abstractNumId="0">{_level(0, "chineseCounting", "%1、")}'
        f"{_level(1, 'decimal', '（%2）')}</w:abstractNum>"
        f'<w:abstractNum w:abstractNumId="1">{_level(0, "decimal", "%1.", "tab")}'
        f"{_level(1, 'decimal', '%1.%2', 'space')}</w:abstractNum>"
        f'<w:abstractNum w:abstractNumId="2">{_level(0, "bullet", "•", "tab")}</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>'
        '<w:num w:numId="4"><w:abstractNumId w:val="1"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'
    )
    body = "".join(
        [
            _numbered("美日两国政府在人工智能合作中的作用", 1),
            _numbered("美日同盟", 1, 1),
            _numbered("多边机制", 1, 1),
            _numbered("私营部门的参与", 1),
            _numbered("科技公司", 1, 1),
            _numbered("Introduction", 2),
            _numbered("Scope", 2, 1),
            _numbered("Method", 2),
            _numbered("A bullet point", 3),
            _numbered("Fifth item", 4),
        ]
    )
    document = read_docx(docx_from_xml(body, numbering=numbering), "numbered.docx")
    assert document.body.split("\n\n") == [
        "一、美日两国政府在人工智能合作中的作用",
        "（1）美日同盟",
        "（2）多边机制",
        "二、私营部门的参与",
        "（1）科技公司",
        "1. Introduction",
        "1.1 Scope",
        "2. Method",
        "A bullet point",
        "5. Fifth item",
    ]


def test_hidden_text_is_left_out() -> None:
    body = (
        '<w:p><w:r><w:t xml:space="preserve">Shown </w:t></w:r>'
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden </w:t></w:r>"
        '<w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t>also shown</w:t></w:r></w:p>'
    )
    assert read_docx(docx_from_xml(body), "hidden.docx").body == "Shown also shown"


def test_title_style_paragraph_when_the_properties_name_none() -> None:
    blocks, footnotes, endnotes = _paper()
    # _paper() opens with a level-0 heading: python-docx gives it Word's Title style.
    metadata = read_docx(make_docx(blocks, footnotes, endnotes), "paper.docx").metadata
    assert metadata.title == "2024年日本人工智能发展概览"
    untitled = read_docx(make_docx(["Only a body paragraph."]), "plain.docx").metadata
    assert untitled.title is None
