"""Word files, web pages and EPUB books through ``claimmap import``, end to end:
the readers' notes become footnote regions with their markers, the metadata and the
page's URL reach ``articles --json``, and spans anchor on the canonical text."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from tests.conftest import RunCli
from tests.documents.builders import Chapter, Page, make_docx, make_epub, make_html

BODY = [
    "美日两国自二战后即开展技术合作{fn:a},人工智能合作是其延续。",
    "日本希望借助美国技术实现赶超。",
]
NOTES = {"a": "Noah Berman, What Is the US-Japan Alliance?, 2023."}


def _regions(db_path: Path, ref: str) -> dict[str, list[str]]:
    db = Database(db_path)
    text, article_id = db.execute("SELECT text, id FROM articles WHERE ref = ?", [ref]).fetchone()
    out: dict[str, list[str]] = {}
    for kind, start, end in db.execute(
        'SELECT kind, start, "end" FROM article_regions WHERE article_id = ? ORDER BY start',
        [article_id],
    ):
        out.setdefault(kind, []).append(text[start:end])
    db.close()
    return out


def _import_and_check(cli: RunCli, db_path: Path, path: Path) -> dict[str, object]:
    result = cli("import", str(path), "--json")
    assert result.code == 0, result.err
    ref = path.stem
    regions = _regions(db_path, ref)
    assert any("Noah Berman" in note for note in regions["footnote"])
    assert len(regions["footnote_marker"]) == 1
    span = cli(
        "annotate", ref, "--quote", "日本希望借助美国技术实现赶超", "--tag", "motive", "--json"
    )
    assert span.code == 0, span.err
    articles = {a["ref"]: a for a in cli("articles", "--json").json()}
    # A second import of the same bytes is reported as present, not a new article.
    again = cli("import", str(path), "--json")
    assert again.code == 0 and again.json()[0]["status"] == "present"
    return dict(articles[ref])


def test_word_file(cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "paper.docx"
    path.write_bytes(make_docx(BODY, NOTES, title="美日人工智能合作", author="王明"))
    article = _import_and_check(cli, db_path, path)
    assert article["title"] == "美日人工智能合作" and article["authors"] == "王明"
    assert article["url"] is None


def test_web_page(cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    page = Page(
        title="美日人工智能合作",
        paragraphs=BODY,
        footnotes=NOTES,
        canonical="https://example.org/ai/us-japan",
        related=["另一篇文章:中欧数字合作"],
        comments=["网友:写得好"],
    )
    path = tmp_path / "page.html"
    path.write_bytes(make_html(page))
    article = _import_and_check(cli, db_path, path)
    assert article["url"] == "https://example.org/ai/us-japan"
    text = cli("show", "page").out
    assert "中欧数字合作" not in text and "写得好" not in text


def test_epub_book(cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    chapters = [Chapter("c1.xhtml", "第一章", BODY, NOTES)]
    path = tmp_path / "book.epub"
    path.write_bytes(make_epub(chapters, ["c1.xhtml"], title="人工智能与同盟"))
    article = _import_and_check(cli, db_path, path)
    assert article["title"] == "人工智能与同盟"
