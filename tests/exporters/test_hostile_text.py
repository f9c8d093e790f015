"""Every export stays valid for its format whatever the text holds.

The corpus carries what real input brings: form feeds (``pdftotext`` page
breaks), C0 controls, an escape sequence, NEL, U+2028/U+2029, the noncharacter
U+FFFE, CR, emoji and an astral CJK character, in article text, titles, quotes,
notes, claim labels, annotator names, a tag name (from an older database) and
the project name.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
import xmlschema
from sqlite_utils import Database

from claimmap.exporters.safe_text import REPLACEMENT, html_safe, xml_safe
from claimmap.services import exporting
from claimmap.services.annotating import annotate_range, set_note
from claimmap.services.claims import join_claims, label_claim
from claimmap.store import open_db, write_unit
from claimmap.store.articles import article_text
from exporters.brat_rules import problems
from exporters.corpus import add_article

XSD = Path(__file__).resolve().parent.parent / "data" / "refi-qda-project-1.0.xsd"
HOSTILE = "\x0c\x01\x1b[2J\x85\u2028\u2029\ufffe\x0b\x1c\x1d\x1e\x1f😊𠀀"
# What XML 1.0 and HTML refuse (lone surrogates cannot reach SQLite, which stores UTF-8).
XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
HTML_BAD = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
# Everything Python's str.splitlines (and so brat's reader) ends a line at.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

TEXT_A = (
    "第一页的结论：合作\x0c需要规则。\n"
    "控制\x01字符\x1b[2J与换行\x85之间\u2028还有\u2029分隔。\n"
    "非字符\ufffe和表情😊以及𠀀都在这里。\r\n"
    "竖排\x0b制表\x1c文件\x1d组\x1e记录\x1f单元。\n"
)
TEXT_B = "另一篇\x0c文章：合作需要规则。\n结尾\x01。\n"
ANNOTATOR = "ana\x0c\x01\u2028😊"
PROJECT = "proj\x0cect\x01"


def _span(db: Database, ref: str, text: str, quote: str, tags: list[str], who: str) -> int:
    start = text.index(quote)
    return annotate_range(db, ref, start, start + len(quote), tags, annotator=who).id


def _hostile() -> Database:
    db = open_db(memory=True)
    add_article(db, "a\x0cpage", "Title\x0c with \x01 and 😊 𠀀\ufffe", TEXT_A)
    add_article(db, "b", "B\x1b[31m red", TEXT_B)
    # A tag stored before names were checked: exports must survive it too.
    with write_unit(db):
        db.execute(
            "INSERT INTO tags (name, key, color, ordinal) VALUES (?, NULL, '#123456', 99)",
            ["legacy\x0ctag\x01"],
        )
    ids = {
        # Across a form feed, with two tags: identical offsets twice.
        "ff": _span(db, "a\x0cpage", TEXT_A, "合作\x0c需要规则", ["motive", "impact"], ANNOTATOR),
        # Across every line separator Python knows.
        "seps": _span(
            db,
            "a\x0cpage",
            TEXT_A,
            "字符\x1b[2J与换行\x85之间\u2028还有\u2029分隔",
            ["limitation"],
            ANNOTATOR,
        ),
        # Nested inside the previous one, and one crossing it.
        "nested": _span(db, "a\x0cpage", TEXT_A, "换行\x85之间", ["impact"], "bo"),
        "cross": _span(db, "a\x0cpage", TEXT_A, "分隔。\n非字符", ["motive"], "bo"),
        "astral": _span(
            db, "a\x0cpage", TEXT_A, "非字符\ufffe和表情😊以及𠀀", ["legacy\x0ctag\x01"], "bo"
        ),
        "crlf": _span(
            db,
            "a\x0cpage",
            TEXT_A,
            "这里。\r\n竖排\x0b制表\x1c文件\x1d组\x1e记录\x1f单元",
            ["recommendation"],
            "bo",
        ),
        "b": _span(db, "b", TEXT_B, "文章：合作需要规则", ["motive"], ANNOTATOR),
    }
    set_note(
        db, ids["ff"], "note\x0cwith\x01controls\x85and\u2028breaks\ufffe😊", annotator=ANNOTATOR
    )
    set_note(db, ids["astral"], "\x1b[2Jclear", annotator="bo")
    with write_unit(db):
        for a, b in ((ids["ff"], ids["b"]), (ids["ff"], ids["cross"])):
            db.execute(
                "INSERT INTO links (a, b, score, status, method, created_at, updated_at) "
                "VALUES (?, ?, 90, 'confirmed', 'test', '2024-05-01T12:00:00Z', "
                "'2024-05-01T12:00:00Z')",
                [min(a, b), max(a, b)],
            )
            join_claims(db, a, b)
    claim = db.execute("SELECT claim_id FROM spans WHERE id = ?", [ids["ff"]]).fetchone()[0]
    label_claim(db, int(claim), "label\x0cwith\x01\u2028\ufffe😊")
    return db


@pytest.fixture
def db() -> Database:
    return _hostile()


def test_safe_text_replaces_one_for_one() -> None:
    assert (
        xml_safe("a\x0cb\x01c\ufffe\t\n\r\x85😊") == f"a b{REPLACEMENT}c{REPLACEMENT}\t\n\r\x85😊"
    )
    assert html_safe("a\x0cb\x01c\ufffe\x85\x9f\U0001fffe😊") == (
        f"a\x0cb{REPLACEMENT}c{REPLACEMENT} {REPLACEMENT}{REPLACEMENT}😊"
    )
    assert len(xml_safe(HOSTILE)) == len(HOSTILE) and len(html_safe(HOSTILE)) == len(HOSTILE)
    assert not XML_BAD.search(xml_safe(HOSTILE)) and not HTML_BAD.search(html_safe(HOSTILE))


def _xml_bad(cp: int) -> bool:
    """Not an XML 1.0 ``Char``."""
    return (
        (cp < 0x20 and cp not in (0x9, 0xA, 0xD))
        or 0xD800 <= cp <= 0xDFFF
        or cp in (0xFFFE, 0xFFFF)
    )


def _html_bad(cp: int) -> bool:
    """An HTML control-character, surrogate or noncharacter parse error."""
    return (
        (cp < 0x20 and cp not in (0x9, 0xA, 0xC, 0xD))
        or 0x7F <= cp <= 0x9F
        or 0xD800 <= cp <= 0xDFFF
        or 0xFDD0 <= cp <= 0xFDEF
        or cp & 0xFFFF in (0xFFFE, 0xFFFF)
    )


def test_safe_text_matches_the_specs() -> None:
    """The replacement hits exactly what each spec forbids, and text that is
    printable (returned untouched) never holds any.  Checked on the whole BMP and
    on both ends of every astral plane (where the noncharacters sit)."""
    points = list(range(0x10000)) + [
        plane << 16 | low
        for plane in range(1, 17)
        for low in (*range(0x100), *range(0xFF00, 0x10000))
    ]
    sample = "".join(map(chr, points))
    for safe, bad in ((xml_safe, _xml_bad), (html_safe, _html_bad)):
        out = safe(sample)
        assert len(out) == len(sample)
        changed = [cp for cp, a, b in zip(points, sample, out, strict=True) if a != b]
        assert changed == [cp for cp in points if bad(cp)]
        assert not [cp for cp in changed if chr(cp).isprintable()]


def test_qdpx_is_well_formed_valid_and_keeps_offsets(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "p.qdpx"
    exporting.export_annotations(db, "qdpx", path, project_name=PROJECT)
    with zipfile.ZipFile(path) as zf:
        qde = zf.read("project.qde").decode("utf-8")
        sources = {n: zf.read(n).decode("utf-8") for n in zf.namelist() if n != "project.qde"}
    root = ElementTree.fromstring(qde)  # well-formed, or this raises
    xmlschema.XMLSchema(str(XSD)).validate(qde)
    assert not XML_BAD.search(qde)
    ns = {"q": "urn:QDA-XML:project:1.0"}
    texts = {}
    for source in root.iterfind(".//q:TextSource", ns):
        text = sources["sources/" + source.attrib["plainTextPath"].removeprefix("internal://")]
        texts[source.attrib["name"]] = text
        for sel in source.iterfind("q:PlainTextSelection", ns):
            start, end = int(sel.attrib["startPosition"]), int(sel.attrib["endPosition"])
            # The selection's wording is the source text at its code-point positions.
            assert text[start:end] == sel.attrib["name"]
    # Same length as the canonical text (one character for one), readable characters kept.
    original = article_text(db, 1)
    exported = texts[xml_safe("a\x0cpage")]
    assert len(exported) == len(original)
    assert "😊" in exported and "𠀀" in exported and "\x85" in exported
    assert "合作 需要规则" in exported and f"控制{REPLACEMENT}字符" in exported
    assert root.attrib["name"] == f"proj ect{REPLACEMENT}"
    assert {u.attrib["name"] for u in root.iterfind(".//q:User", ns)} == {
        "bo",
        f"ana {REPLACEMENT}\u2028😊",
    }
    assert f"legacy tag{REPLACEMENT}" in {c.attrib["name"] for c in root.iterfind(".//q:Code", ns)}


def test_brat_output_passes_brats_checks(db: Database, tmp_path: Path) -> None:
    exporting.export_annotations(db, "brat", tmp_path / "brat")
    conf = (tmp_path / "brat" / "annotation.conf").read_text("utf-8")
    checked = 0
    for ann_path in sorted((tmp_path / "brat").glob("*.ann")):
        # Bytes, then decode: read_text would translate the CR in the text.
        text = ann_path.with_suffix(".txt").read_bytes().decode("utf-8")
        ann = ann_path.read_bytes().decode("utf-8")
        assert problems(text, ann, conf) == []
        for line in ann.splitlines():
            if line.startswith("T"):
                checked += 1
                offsets = line.split("\t")[1].split(" ", 1)[1]
                for frag in offsets.split(";"):
                    a, b = map(int, frag.split())
                    assert not set(text[a:b]) & set(LINE_BREAKS)
    assert checked == 8  # six spans in the first article (one with two tags), one in the second


def test_brat_rules_catch_what_brat_rejects() -> None:
    """The checker itself: identical and crossing spans need an <OVERLAP> line."""
    text = "abcdef"
    bare = "[entities]\nx\ny\n\n[relations]\n\n[events]\n\n[attributes]\n"
    assert problems(text, "T1\tx 0 3\tabc\nT2\ty 0 3\tabc\n", bare) == [
        "T1 and T2: equal spans not allowed (x, y)"
    ]
    assert problems(text, "T1\tx 0 3\tabc\nT2\ty 2 5\tcde\n", bare) == [
        "T1 and T2: cross spans not allowed (x, y)"
    ]
    assert "fragments overlap" in problems(text, "T1\tx 0 3;2 4\tabc cd\n", bare)[0]
    assert problems(text, "T1\tx 0 3\tabd\n", bare)
    assert problems(text, "T1\tz 0 3\tabc\n", bare)
    allow = bare.replace(
        "[relations]\n", "[relations]\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n"
    )
    assert problems(text, "T1\tx 0 3\tabc\nT2\ty 0 3\tabc\nT3\tx 2 5\tcde\n", allow) == []


def test_w3c_lines_survive_any_line_splitting(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "all.jsonl"
    exporting.export_annotations(db, "w3c", out)
    raw = out.read_bytes().decode("utf-8")
    # JSON Lines readers split on LF, Python's on every separator: both must agree.
    lines = raw.splitlines()
    assert lines == raw.rstrip("\n").split("\n")
    annos = [json.loads(line) for line in lines]
    quotes = {
        a["target"]["selector"][0]["exact"]
        for a in annos
        if "target" in a and isinstance(a["target"], dict)
    }
    # Lossless: JSON escapes whatever it must, the values come back exactly.
    assert "字符\x1b[2J与换行\x85之间\u2028还有\u2029分隔" in quotes
    assert "非字符\ufffe和表情😊以及𠀀" in quotes
    names = {a["creator"]["name"] for a in annos if "creator" in a}
    assert ANNOTATOR in names


def test_matrix_formats_are_valid(db: Database) -> None:
    opts = exporting.matrix_options(db)
    html = exporting.export_matrix(db, "html", opts).decode("utf-8")
    assert not HTML_BAD.search(html)
    parser = HTMLParser()
    parser.feed(html)
    parser.close()
    assert "😊" in html and "𠀀" in html
    md = exporting.export_matrix(db, "md", opts).decode("utf-8")
    assert not HTML_BAD.search(md) and "\x1b" not in md
    # JSON and CSV carry any character: escaped (JSON) or quoted (CSV), and lossless.
    doc = json.loads(exporting.export_matrix(db, "json", opts))
    labels = {c["label"] for c in doc["matrix"]["claims"]}
    assert "label\x0cwith\x01\u2028\ufffe😊" in labels
    rows = list(
        csv.reader(io.StringIO(exporting.export_matrix(db, "csv", opts).decode("utf-8-sig")))
    )
    assert any("label\x0cwith\x01\u2028\ufffe😊" in row for row in rows)
    # XLSX: every part well-formed XML; controls kept as OOXML _xHHHH_ escapes.
    data = exporting.export_matrix(db, "xlsx", opts)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(zf.read(name))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames
