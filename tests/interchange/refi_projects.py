"""REFI-QDA projects as other tools write them, built from the schema's structure.

Not claimmap's exporter: element order, attributes and archive layout follow
``tests/data/refi-qda-project-1.0.xsd`` (every ``project.qde`` built here is
validated against it), with the variations real exports show: MAXQDA's
``Sources/`` folder, upper-case or braced GUIDs, a BOM and CRLF line endings in a
source, inline ``PlainTextContent`` (QualCoder-style), memos as ``Notes`` with
``NoteRef``, codings by several users.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import xmlschema

NS = "urn:QDA-XML:project:1.0"
XSD = Path(__file__).resolve().parent.parent / "data" / "refi-qda-project-1.0.xsd"
_SCHEMA: list[xmlschema.XMLSchema] = []


def guid(name: str, *, upper: bool = False, braces: bool = False) -> str:
    value = str(uuid.uuid5(uuid.NAMESPACE_URL, f"test:{name}"))
    value = value.upper() if upper else value
    return "{" + value + "}" if braces else value


@dataclass
class Code:
    guid: str
    name: str
    color: str | None = None
    description: str | None = None
    children: list[Code] = field(default_factory=list)


@dataclass
class Coding:
    code: str  # the code's guid
    user: str | None = None


@dataclass
class Selection:
    guid: str
    start: int
    end: int
    codings: list[Coding]
    user: str | None = None
    description: str | None = None
    notes: list[str] = field(default_factory=list)  # guids of Notes
    created: str = "2023-03-01T09:15:00Z"


@dataclass
class Source:
    guid: str
    name: str
    text: str
    selections: list[Selection] = field(default_factory=list)
    inline: bool = False
    bom: bool = False
    document_codes: list[str] = field(default_factory=list)  # codes on the whole source


@dataclass
class Link:
    guid: str
    origin: str
    target: str
    name: str | None = None


@dataclass
class Project:
    origin: str
    users: dict[str, str] = field(default_factory=dict)  # guid -> name
    codes: list[Code] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # guid -> text
    links: list[Link] = field(default_factory=list)
    sources_dir: str = "sources/"
    pdf_sources: dict[str, str] = field(default_factory=dict)  # guid -> name


def _el(parent: ET.Element, tag: str, **attrs: str | None) -> ET.Element:
    return ET.SubElement(
        parent, f"{{{NS}}}{tag}", {k: v for k, v in attrs.items() if v is not None}
    )


def _code(parent: ET.Element, code: Code) -> None:
    el = _el(parent, "Code", guid=code.guid, name=code.name, isCodable="true", color=code.color)
    if code.description is not None:
        _el(el, "Description").text = code.description
    for child in code.children:
        _code(el, child)


def project_qde(project: Project) -> bytes:
    root = ET.Element(
        f"{{{NS}}}Project",
        {
            "name": "Imported papers",
            "origin": project.origin,
            "creationDateTime": "2023-02-27T08:00:00Z",
            "basePath": "C:\\Users\\anna\\Documents\\MAXQDA",
        },
    )
    if project.users:
        root.set("creatingUserGUID", next(iter(project.users)))
    if project.users:
        users = _el(root, "Users")
        for user_guid, name in project.users.items():
            _el(users, "User", guid=user_guid, name=name)
    if project.codes:
        codes = _el(_el(root, "CodeBook"), "Codes")
        for code in project.codes:
            _code(codes, code)
    if project.sources or project.pdf_sources:
        sources = _el(root, "Sources")
        for source in project.sources:
            attrs: dict[str, str | None] = {"guid": source.guid, "name": source.name}
            if not source.inline:
                attrs["plainTextPath"] = f"internal://{source.guid}.txt"
                # MAXQDA also ships the formatted original, which readers may ignore.
                attrs["richTextPath"] = f"internal://{source.guid}.docx"
            attrs["creationDateTime"] = "2023-02-28T12:00:00"
            el = _el(sources, "TextSource", **attrs)
            if source.inline:
                _el(el, "PlainTextContent").text = source.text
            for sel in source.selections:
                sel_el = _el(
                    el,
                    "PlainTextSelection",
                    guid=sel.guid,
                    name=source.text[sel.start : sel.end][:20],
                    startPosition=str(sel.start),
                    endPosition=str(sel.end),
                    creatingUser=sel.user,
                    creationDateTime=sel.created,
                    modifyingUser=sel.user,
                    modifiedDateTime=sel.created,
                )
                if sel.description is not None:
                    _el(sel_el, "Description").text = sel.description
                for number, coding in enumerate(sel.codings):
                    coding_el = _el(
                        sel_el,
                        "Coding",
                        guid=guid(f"{sel.guid}/coding/{number}"),
                        creatingUser=coding.user,
                        creationDateTime=sel.created,
                    )
                    _el(coding_el, "CodeRef", targetGUID=coding.code)
                for note in sel.notes:
                    _el(sel_el, "NoteRef", targetGUID=note)
            for code in source.document_codes:
                coding_el = _el(el, "Coding", guid=guid(f"{source.guid}/doc/{code}"))
                _el(coding_el, "CodeRef", targetGUID=code)
        for pdf_guid, pdf_name in project.pdf_sources.items():
            _el(
                sources,
                "PDFSource",
                guid=pdf_guid,
                name=pdf_name,
                path=f"internal://{pdf_guid}.pdf",
            )
    if project.notes:
        notes = _el(root, "Notes")
        for note_guid, text in project.notes.items():
            _el(_el(notes, "Note", guid=note_guid, name="Memo"), "PlainTextContent").text = text
    if project.links:
        links = _el(root, "Links")
        for link in project.links:
            _el(
                links,
                "Link",
                guid=link.guid,
                name=link.name,
                direction="Associative",
                originGUID=link.origin,
                targetGUID=link.target,
            )
    ET.register_namespace("", NS)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    if not _SCHEMA:
        _SCHEMA.append(xmlschema.XMLSchema(str(XSD)))
    _SCHEMA[0].validate(data.decode("utf-8"))
    return data


def write_qdpx(path: Path, project: Project) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", project_qde(project))
        for source in project.sources:
            if not source.inline:
                data = source.text.encode("utf-8")
                zf.writestr(
                    f"{project.sources_dir}{source.guid}.txt",
                    (b"\xef\xbb\xbf" if source.bom else b"") + data,
                )
                zf.writestr(f"{project.sources_dir}{source.guid}.docx", b"PK\x03\x04 not read")
    path.write_bytes(buf.getvalue())
    return path


def at(text: str, quote: str, occurrence: int = 0) -> tuple[int, int]:
    """Where ``quote`` is in ``text`` (code points), as a tool counts it."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return start, start + len(quote)
