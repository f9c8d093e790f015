"""W3C JSONL, brat standoff and REFI-QDA exports: shape, validity, determinism."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import xmlschema

from claimmap.exporters.brat import fragments
from claimmap.services import exporting
from claimmap.store.articles import article_text
from exporters.brat_rules import problems
from exporters.corpus import Corpus, build_corpus

XSD = Path(__file__).resolve().parent.parent / "data" / "refi-qda-project-1.0.xsd"
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_w3c_annotations_carry_selectors_bodies_and_links(corpus: Corpus, tmp_path: Path) -> None:
    summary = exporting.export_annotations(corpus.db, "w3c", tmp_path / "w3c")
    assert summary["spans"] == 14 and summary["links"] == 4
    lines = (tmp_path / "w3c" / "alpha.jsonl").read_text("utf-8").splitlines()
    annos = [json.loads(line) for line in lines]
    text = article_text(corpus.db, 1)
    for anno in annos:
        assert anno["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert anno["type"] == "Annotation"
        quote, pos = anno["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and pos["type"] == "TextPositionSelector"
        # Code points: the astral character counts as one.
        assert text[pos["start"] : pos["end"]] == quote["exact"]
        assert text[: pos["start"]].endswith(quote["prefix"])
        assert anno["creator"] == {"type": "Person", "name": "ana"}
        assert any(b["purpose"] == "tagging" for b in anno["body"])
    astral = next(a for a in annos if a["target"]["selector"][0]["exact"].startswith("𠀀"))
    assert astral["target"]["selector"][1]["end"] - astral["target"]["selector"][1]["start"] == 7
    supply = annos[0]
    purposes = {b["purpose"]: b["value"] for b in supply["body"]}
    assert purposes == {
        "tagging": "motive",
        "commenting": "供应链 framing: security first",
        "identifying": "Supply-chain security <b>first</b>",
    }
    links = [json.loads(x) for x in (tmp_path / "w3c" / "links.jsonl").read_text().splitlines()]
    ids = {
        json.loads(x)["id"]
        for f in (tmp_path / "w3c").glob("*.jsonl")
        for x in f.read_text().splitlines()
    }
    assert len(links) == 4
    for link in links:
        assert link["motivation"] == "linking"
        assert link["target"] in ids and link["body"] in ids


def test_w3c_single_file_and_determinism(tmp_path: Path) -> None:
    one, two = build_corpus(), build_corpus()
    exporting.export_annotations(one.db, "w3c", tmp_path / "a.jsonl")
    exporting.export_annotations(two.db, "w3c", tmp_path / "b.jsonl")
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    lines = (tmp_path / "a.jsonl").read_text().splitlines()
    assert len(lines) == 14 + 4 and json.loads(lines[-1])["motivation"] == "linking"


def test_brat_fragments_split_at_newlines(corpus: Corpus, tmp_path: Path) -> None:
    assert fragments("ab\ncd\n\nef", 0, 9) == [(0, 2), (3, 5), (7, 9)]
    exporting.export_annotations(corpus.db, "brat", tmp_path / "brat")
    text = (tmp_path / "brat" / "alpha.txt").read_text("utf-8")
    ann = (tmp_path / "brat" / "alpha.ann").read_text("utf-8").splitlines()
    t_lines = [line for line in ann if line.startswith("T")]
    for line in t_lines:
        _tid, middle, covered = line.split("\t", 2)
        _kind, offsets = middle.split(" ", 1)
        pieces = [tuple(map(int, frag.split())) for frag in offsets.split(";")]
        assert " ".join(text[a:b] for a, b in pieces) == covered
        assert all("\n" not in text[a:b] for a, b in pieces)
    assert any(";" in line.split("\t")[1] for line in t_lines)
    # Two tags on one span: two T lines over the same offsets.
    minus = [line for line in t_lines if line.endswith("-2 都不是数字")]
    assert sorted(line.split("\t")[1].split()[0] for line in minus) == ["impact", "limitation"]
    notes = [line for line in ann if line.startswith("#")]
    assert notes and all(line.split("\t")[1].startswith("AnnotatorNotes T") for line in notes)
    assert "=1+1 second line" in "\n".join(notes)
    conf = (tmp_path / "brat" / "annotation.conf").read_text()
    assert "[entities]" in conf and "motive" in conf and "Same_claim" in conf


def test_brat_export_passes_brats_checks(corpus: Corpus, tmp_path: Path) -> None:
    """Two tags on one span are two entities over identical offsets, and spans may
    nest or cross: annotation.conf must allow that, or brat's verifier reports
    every such pair as an error."""
    exporting.export_annotations(corpus.db, "brat", tmp_path / "brat")
    conf = (tmp_path / "brat" / "annotation.conf").read_text("utf-8")
    for ann in sorted((tmp_path / "brat").glob("*.ann")):
        text = ann.with_suffix(".txt").read_bytes().decode("utf-8")
        assert problems(text, ann.read_bytes().decode("utf-8"), conf) == [], ann.name
    assert "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>" in conf.splitlines()


def test_qdpx_validates_against_refi_xsd(corpus: Corpus, tmp_path: Path) -> None:
    path = tmp_path / "p.qdpx"
    exporting.export_annotations(corpus.db, "qdpx", path)
    with zipfile.ZipFile(path) as zf:
        qde = zf.read("project.qde")
        names = zf.namelist()
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in zf.infolist())
        sources = {n: zf.read(n) for n in names if n.startswith("sources/")}
    assert qde.startswith(b"<?xml") and not qde.startswith(b"\xef\xbb\xbf")
    xmlschema.XMLSchema(str(XSD)).validate(qde.decode("utf-8"))
    doc = qde.decode("utf-8")
    for value in re.findall(r'(?:guid|GUID|creatingUser)="([^"]+)"', doc):
        assert GUID.match(value), value
    for path_attr in re.findall(r'plainTextPath="([^"]+)"', doc):
        assert path_attr.startswith("internal://")
        assert "sources/" + path_attr.removeprefix("internal://") in sources
    for blob in sources.values():
        assert not blob.startswith(b"\xef\xbb\xbf") and b"\r" not in blob
    assert doc.count("<PlainTextSelection ") == 14
    assert doc.count("<Link ") == 4
    assert "Supply-chain security &lt;b&gt;first&lt;/b&gt;" in doc


def test_annotation_exports_are_deterministic(tmp_path: Path) -> None:
    for n in (1, 2):
        corpus = build_corpus()
        exporting.export_annotations(corpus.db, "qdpx", tmp_path / f"{n}.qdpx")
        exporting.export_annotations(corpus.db, "brat", tmp_path / f"brat{n}")
        exporting.export_annotations(corpus.db, "w3c", tmp_path / f"w3c{n}")
    assert (tmp_path / "1.qdpx").read_bytes() == (tmp_path / "2.qdpx").read_bytes()
    assert _tree(tmp_path / "brat1") == _tree(tmp_path / "brat2")
    assert _tree(tmp_path / "w3c1") == _tree(tmp_path / "w3c2")
