"""REFI-QDA projects written by other tools: their sources become articles, their
codes tags, their codings spans by their coders, their memos notes, their links links."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.services.codebook import list_tags
from claimmap.services.interchange import import_annotations, import_projects
from claimmap.store import open_db
from claimmap.store.articles import article_text, list_articles
from claimmap.store.spans import query_spans
from claimmap.textprep.normalize import normalize_text
from claimmap.textprep.pipeline import clean

from .refi_projects import Code, Coding, Link, Project, Selection, Source, at, guid, write_qdpx
from .test_interchange import _dump

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# An English paper as MAXQDA stores it: CRLF line endings, astral characters
# before the codings (offsets are code points), a BOM in the file.
PAPER_A = (
    "Cooperation on AI: the limits of alliances\r\n"
    "\r\n"
    "Emoji 😊 and the rare 𠀀 come first, so offsets are code points.\r\n"
    "Both governments promised joint standards for trustworthy AI.\r\n"
    "Yet export controls limit what the partners can share.\r\n"
)
PAPER_B = (
    "中日韩三国在人工智能领域的合作仍然有限。\n供应链安全是共同关切。\n三国同意建立共同标准。\n"
)

ANNA, BEN = guid("anna", upper=True), guid("ben", upper=True)
MOTIVE, ECONOMIC, LIMITATION, UNUSED = (
    guid("motive", upper=True),
    guid("economic", upper=True),
    guid("limitation", braces=True),
    guid("unused", upper=True),
)
MEMO = guid("memo", upper=True)


def _maxqda_project() -> Project:
    joint = at(PAPER_A, "Both governments promised joint standards for trustworthy AI.")
    limit = at(PAPER_A, "export controls limit what the partners can share")
    supply = at(PAPER_B, "供应链安全是共同关切")
    same = at(PAPER_B, "三国同意建立共同标准")
    return Project(
        origin="MAXQDA 2022 (Release 22.7.0)",
        sources_dir="Sources/",
        users={ANNA: "Anna Schmidt", BEN: "Ben Lee"},
        codes=[
            Code(
                MOTIVE,
                "Rationale",
                "#FF0000",
                "Why the parties cooperate",
                children=[Code(ECONOMIC, "Economic", "#00ff00", "Money and markets")],
            ),
            Code(LIMITATION, "Constraint", "#0000FF"),
            Code(UNUSED, "Never used", "#123456", "A code no passage has yet"),
        ],
        sources=[
            Source(
                guid("paper a", upper=True),
                "Paper A.txt",
                PAPER_A,
                bom=True,
                selections=[
                    Selection(
                        guid("sel joint", upper=True),
                        *joint,
                        codings=[Coding(MOTIVE, ANNA), Coding(LIMITATION, BEN)],
                        user=ANNA,
                        notes=[MEMO],
                    ),
                    Selection(
                        guid("sel limit", upper=True),
                        *limit,
                        codings=[Coding(LIMITATION, BEN)],
                        user=BEN,
                    ),
                ],
            ),
            Source(
                guid("paper b", upper=True),
                "Paper B.txt",
                PAPER_B,
                selections=[
                    Selection(
                        guid("sel supply", upper=True),
                        *supply,
                        codings=[Coding(ECONOMIC, ANNA)],
                        user=ANNA,
                    ),
                    Selection(
                        guid("sel same", upper=True),
                        *same,
                        codings=[Coding(MOTIVE, ANNA)],
                        user=ANNA,
                    ),
                ],
            ),
        ],
        notes={MEMO: "Anna: promises, not yet policy."},
        links=[
            Link(
                guid("link", upper=True),
                guid("sel joint", upper=True),
                guid("sel same", upper=True),
                name="joint standards",
            ),
            # MAXQDA also links a passage to a code: no span pair, reported.
            Link(guid("link code", upper=True), guid("sel limit", upper=True), LIMITATION),
        ],
    )


def _empty() -> Database:
    return open_db(memory=True)


def test_maxqda_style_project_becomes_articles_codes_spans_notes_links(tmp_path: Path) -> None:
    path = write_qdpx(tmp_path / "papers.qdpx", _maxqda_project())
    db = _empty()
    report = import_annotations(db, path)
    assert report.articles_created == ["Paper A", "Paper B"]
    assert (report.annotations, report.orphaned, report.links) == (5, 0, 1)
    # The BOM is not text; CRLF became LF; the codings kept their words.
    texts = {a.ref: article_text(db, a.id) for a in list_articles(db)}
    assert texts["Paper A"] == normalize_text(PAPER_A) == PAPER_A.replace("\r\n", "\n")
    assert texts["Paper B"] == PAPER_B
    spans = {(s.article, s.quote, s.annotator): s for s in query_spans(db)}
    joint = "Both governments promised joint standards for trustworthy AI."
    assert spans[("Paper A", joint, "Anna Schmidt")].tags == ["Rationale"]
    # Ben's coding of the same passage is his own span (his layer).
    assert spans[("Paper A", joint, "Ben Lee")].tags == ["Constraint"]
    assert spans[("Paper A", joint, "Anna Schmidt")].note == "Anna: promises, not yet policy."
    limit = spans[("Paper A", "export controls limit what the partners can share", "Ben Lee")]
    assert texts["Paper A"][limit.start : limit.end] == limit.quote
    assert spans[("Paper B", "供应链安全是共同关切", "Anna Schmidt")].tags == ["Rationale/Economic"]
    tags = {t.name: t for t in list_tags(db)}
    assert tags["Rationale"].color == "#ff0000" and tags["Rationale/Economic"].color == "#00ff00"
    assert tags["Rationale/Economic"].parent == "Rationale"
    assert tags["Rationale"].description == "Why the parties cooperate"
    assert tags["Never used"].description == "A code no passage has yet"
    assert tags["Constraint"].color == "#0000ff"
    # The passage-to-passage link is a confirmed link whose claim carries its name.
    (row,) = db.execute("SELECT status, method FROM links").fetchall()
    assert row == ("confirmed", "import")
    assert db.execute("SELECT label FROM claims WHERE label IS NOT NULL").fetchall() == [
        ("joint standards",)
    ]
    assert any("does not join two coded passages" in n for n in report.notices)


def test_importing_the_same_project_again_changes_nothing(tmp_path: Path) -> None:
    path = write_qdpx(tmp_path / "papers.qdpx", _maxqda_project())
    db = _empty()
    import_annotations(db, path)
    before = _dump(db), [a.ref for a in list_articles(db)]
    again = import_annotations(db, path)
    assert again.articles_created == [] and again.merged == 5
    assert (_dump(db), [a.ref for a in list_articles(db)]) == before


def test_qualcoder_style_project_with_inline_text_and_description_memos(tmp_path: Path) -> None:
    coder = guid("qualcoder user")
    code = guid("qc code")
    text = "Inline text.\nThe alliance needs common rules on AI.\n"
    project = Project(
        origin="QualCoder 3.4",
        users={coder: "default"},
        codes=[Code(code, "claim", "#AABBCC")],
        sources=[
            Source(
                guid("qc source"),
                "interview_01",
                text,
                inline=True,
                selections=[
                    Selection(
                        guid("qc sel"),
                        *at(text, "common rules on AI"),
                        codings=[Coding(code)],
                        user=coder,
                        description="memo on the coding",
                    )
                ],
            )
        ],
    )
    db = _empty()
    report = import_annotations(db, write_qdpx(tmp_path / "qc.qdpx", project))
    assert report.articles_created == ["interview_01"]
    (span,) = query_spans(db)
    assert (span.quote, span.tags, span.annotator, span.note) == (
        "common rules on AI",
        ["claim"],
        "default",
        "memo on the coding",
    )


def test_source_is_cleaned_when_every_coding_survives_cleaning(tmp_path: Path) -> None:
    """Seed 001's spam lines go (as on import) and the coding moves with its text."""
    text = (SEEDS / "001_222e73f4153aafe6.txt").read_text("utf-8")
    quote = "美日兩國通過定期高層會議和政策對話"
    code = guid("c")
    project = Project(
        origin="ATLAS.ti 23",
        codes=[Code(code, "motive")],
        sources=[
            Source(
                guid("s"),
                "001.txt",
                text,
                selections=[Selection(guid("sel"), *at(text, quote), codings=[Coding(code)])],
            )
        ],
    )
    db = _empty()
    report = import_annotations(db, write_qdpx(tmp_path / "a.qdpx", project))
    (article,) = list_articles(db)
    assert article_text(db, article.id) == clean(text).text != text
    (span,) = query_spans(db)
    assert span.quote == quote and report.exact == 1 and report.notices == []


def test_source_stays_uncleaned_when_cleaning_would_eat_a_coding(tmp_path: Path) -> None:
    text = (SEEDS / "001_222e73f4153aafe6.txt").read_text("utf-8")
    spam = text.split("\n", 1)[0][:20]  # the keyword link-farm line cleaning removes
    code = guid("c")
    project = Project(
        origin="MAXQDA 2022",
        codes=[Code(code, "spam")],
        sources=[
            Source(
                guid("s"),
                "001.txt",
                text,
                selections=[Selection(guid("sel"), *at(text, spam), codings=[Coding(code)])],
            )
        ],
    )
    db = _empty()
    report = import_annotations(db, write_qdpx(tmp_path / "a.qdpx", project))
    (article,) = list_articles(db)
    assert article_text(db, article.id) == normalize_text(text)
    (span,) = query_spans(db)
    assert span.quote == spam and not span.orphaned
    assert any("cleaning would have moved a coding" in n for n in report.notices)


def test_codebook_only_project_adds_its_codes(tmp_path: Path) -> None:
    project = Project(
        origin="NVivo 14",
        codes=[Code(guid("a"), "Effects", "#abc", children=[Code(guid("b"), "Trade")])],
    )
    db = _empty()
    report = import_annotations(db, write_qdpx(tmp_path / "book.qdpx", project))
    assert report.annotations == 0 and report.tags_created == ["Effects", "Effects/Trade"]
    tags = {t.name: t for t in list_tags(db)}
    assert tags["Effects"].color == "#aabbcc" and tags["Effects/Trade"].parent == "Effects"


def test_qdc_codebook_adds_its_codes(tmp_path: Path) -> None:
    path = tmp_path / "book.qdc"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 2022"><Codes>'
        f'<Code guid="{guid("q1", upper=True)}" name="Risk" isCodable="true" color="#FF8800">'
        "<Description>What could go wrong</Description>"
        f'<Code guid="{guid("q2")}" name="Security" isCodable="true"/></Code>'
        "</Codes></CodeBook>",
        "utf-8",
    )
    db = _empty()
    report = import_annotations(db, path)
    assert report.format == "qdc" and report.tags_created == ["Risk", "Risk/Security"]
    tags = {t.name: t for t in list_tags(db)}
    assert (tags["Risk"].color, tags["Risk"].description) == ("#ff8800", "What could go wrong")


def test_unknown_note_reference_is_one_error_and_nothing_changes(tmp_path: Path) -> None:
    project = _maxqda_project()
    project.notes = {}
    project.sources[0].selections[0].notes = [guid("nowhere")]
    db = _empty()
    before = _dump(db)
    with pytest.raises(ClaimmapError, match="unknown note") as info:
        import_annotations(db, write_qdpx(tmp_path / "bad.qdpx", project))
    assert "\n" not in str(info.value)
    assert _dump(db) == before and list_articles(db) == []


def test_dry_run_reports_and_writes_nothing(tmp_path: Path) -> None:
    path = write_qdpx(tmp_path / "papers.qdpx", _maxqda_project())
    db = _empty()
    (report,) = import_projects(db, [path], dry_run=True)
    assert report.dry_run and report.articles_created == ["Paper A", "Paper B"]
    assert report.annotations == 5 and "Rationale" in report.tags_created
    assert list_articles(db) == [] and query_spans(db) == []


def test_two_projects_share_a_source(tmp_path: Path) -> None:
    """The second project's copy of a source is the article the first one brought."""
    first = write_qdpx(tmp_path / "one.qdpx", _maxqda_project())
    other = _maxqda_project()
    other.links = []
    other.sources = other.sources[1:]
    other.sources[0].name = "renamed.txt"
    second = write_qdpx(tmp_path / "two.qdpx", other)
    db = _empty()
    reports = import_projects(db, [first, second])
    assert reports[1].articles_created == [] and reports[1].merged == 2
    assert [a.ref for a in list_articles(db)] == ["Paper A", "Paper B"]


def test_import_command_takes_a_project(cli, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_qdpx(tmp_path / "papers.qdpx", _maxqda_project())
    dry = cli("import", str(path), "--dry-run")
    assert dry.code == 0, dry.err
    assert "would import 5 annotations" in dry.out and "new articles: Paper A, Paper B" in dry.out
    assert not db_path.exists()
    res = cli("import", str(path), "--json")
    assert res.code == 0, res.err
    (report,) = res.json()
    assert report["articles_created"] == ["Paper A", "Paper B"]
    listed = cli("articles", "--json").json()
    assert [a["ref"] for a in listed] == ["Paper A", "Paper B"]
    refused = cli("import", str(path), "--update")
    assert refused.code == 1 and refused.err.startswith("error: ")
    (tmp_path / "a.txt").write_text("Some article text.\n", "utf-8")
    mixed = cli("import", str(path), str(tmp_path / "a.txt"))
    assert mixed.code == 1 and "a command of their own" in mixed.err


def test_import_annotations_dry_run_leaves_the_database(cli, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_qdpx(tmp_path / "papers.qdpx", _maxqda_project())
    assert cli("tags", "--json").code == 0  # creates the database
    db = open_db(db_path)
    before = _dump(db)
    db.close()
    res = cli("import-annotations", str(path), "--dry-run", "--json")
    assert res.code == 0, res.err
    assert res.json()["dry_run"] is True and res.json()["annotations"] == 5
    db = open_db(db_path)
    assert _dump(db) == before and list_articles(db) == []
    db.close()


def test_what_claimmap_cannot_hold_is_listed_not_dropped(tmp_path: Path) -> None:
    """A PDF source, a code on a whole document and a memo on nothing coded are
    reported as left out; the rest imports."""
    project = _maxqda_project()
    project.pdf_sources = {guid("scan", upper=True): "scan.pdf"}
    project.sources[1].document_codes = [UNUSED]
    project.notes[guid("project memo", upper=True)] = "A memo on the whole project."
    db = _empty()
    report = import_annotations(db, write_qdpx(tmp_path / "p.qdpx", project))
    assert report.annotations == 5
    notices = "\n".join(report.notices)
    assert "PDFSource 'scan.pdf' left out" in notices
    assert "TextSource 'Paper B.txt': codes on the whole document left out" in notices
    assert "1 memo(s) not attached to a coded passage left out" in notices


def test_a_source_named_by_a_windows_path_gets_its_file_stem_as_ref(tmp_path: Path) -> None:
    project = _maxqda_project()
    project.links = []
    project.sources[0].name = "D:\\Projekte\\Studie\\Paper C.txt"
    db = _empty()
    report = import_annotations(db, write_qdpx(tmp_path / "p.qdpx", project))
    assert report.articles_created == ["Paper C", "Paper B"]
    assert {a.ref: a.source for a in list_articles(db)}["Paper C"] == project.sources[0].name


def test_an_empty_source_is_listed_not_made_an_article(tmp_path: Path) -> None:
    project = _maxqda_project()
    project.sources.append(Source(guid("empty", upper=True), "Blank.txt", " \r\n", bom=True))
    db = _empty()
    report = import_annotations(db, write_qdpx(tmp_path / "p.qdpx", project))
    assert report.articles_created == ["Paper A", "Paper B"]
    assert any("TextSource 'Blank.txt': empty source left out" in n for n in report.notices)
