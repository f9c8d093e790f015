"""Damaged documents: every reader answers with text or one UnreadableDocument, never
another exception (which the CLI would show as a traceback)."""

from __future__ import annotations

import random

import pytest

from claimmap.documents.readers import read_document
from claimmap.documents.types import DocumentText, UnreadableDocument
from tests.documents.builders import (
    Chapter,
    Heading,
    Page,
    docx_from_xml,
    make_docx,
    make_epub,
    make_html,
)

# Fewer for HTML: each read runs trafilatura.
MUTATIONS = {".docx": 30, ".epub": 60, ".html": 15}


def _samples() -> dict[str, bytes]:
    paragraphs = ["美日两国自二战后即开展技术合作{fn:a}。", "Allies coordinate research{fn:b}."]
    return {
        ".docx": make_docx([Heading("标题", 1), *paragraphs], {"a": "注一", "b": "Note two"}),
        ".epub": make_epub(
            [Chapter("a.xhtml", "第一章", paragraphs, {"a": "注一", "b": "Note two"})], ["a.xhtml"]
        ),
        ".html": make_html(
            Page(title="标题", paragraphs=paragraphs * 5, footnotes={"a": "注一", "b": "n"})
        ),
    }


def _read(suffix: str, raw: bytes) -> DocumentText | None:
    try:
        return read_document(suffix, raw, "damaged" + suffix)
    except UnreadableDocument as exc:
        message = str(exc)
        assert message.startswith("damaged" + suffix + ": ") and "\n" not in message, message
        return None


@pytest.mark.parametrize("suffix", [".docx", ".epub", ".html"])
def test_flipped_and_truncated_bytes(suffix: str) -> None:
    raw = _samples()[suffix]
    rng = random.Random(suffix)
    for _ in range(MUTATIONS[suffix]):
        data = bytearray(raw)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        _read(suffix, bytes(data))
        _read(suffix, raw[: rng.randrange(len(raw))])


def test_deeply_nested_word_xml_is_refused_not_a_crash() -> None:
    depth = 20_000
    body = (
        "<w:p>"
        + "<w:hyperlink>" * depth
        + "<w:r><w:t>x</w:t></w:r>"
        + "</w:hyperlink>" * depth
        + "</w:p>"
    )
    with pytest.raises(UnreadableDocument, match="nested too deeply"):
        read_document(".docx", docx_from_xml(body), "deep.docx")


def test_malformed_numbering_values_do_not_crash() -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="x"><w:start w:val="y"/></w:lvl>'
        '<w:lvl w:ilvl="0"><w:start w:val="z"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/>'
        '<w:lvlOverride w:ilvl="q"><w:startOverride w:val="-"/></w:lvlOverride></w:num>'
    )
    body = '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Item</w:t></w:r></w:p>'
    document = read_document(".docx", docx_from_xml(body, numbering=numbering), "n.docx")
    assert document.body == "1. Item"
