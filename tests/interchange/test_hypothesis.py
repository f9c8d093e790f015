"""W3C annotations from Hypothesis: matched by the page's URL, comments as notes,
untagged annotations under a tag the analyst names, the creator as annotator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from exporters.corpus import add_article
from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.services.article_urls import set_article_url
from claimmap.services.interchange import import_annotations
from claimmap.store import open_db
from claimmap.store.spans import query_spans

from .test_interchange import _dump

URL = "https://news.example.org/2024/ai-cooperation"
QUOTE = "joint standards 😊 for trustworthy AI"
TEXT = (
    "AI cooperation between allies\n\n"
    f"The partners agreed on {QUOTE}.\n\n"
    f"Critics said {QUOTE} remain vague.\n"
)
# The page as the browser had it: site navigation first, other whitespace.
PAGE = (
    "Home | World | Technology | Opinion\n  AI cooperation between allies  \n"
    f"The partners agreed on {QUOTE}.\n"
    f"Critics said {QUOTE} remain vague.\nRelated: more stories\n"
)


def _utf16(text: str, index: int) -> int:
    """A code-point index as Hypothesis counts it (UTF-16 code units)."""
    return len(text[:index].encode("utf-16-le")) // 2


def _page_selectors(occurrence: int) -> list[dict[str, Any]]:
    start = PAGE.index(QUOTE)
    if occurrence:
        start = PAGE.index(QUOTE, start + 1)
    end = start + len(QUOTE)
    return [
        {
            "type": "RangeSelector",
            "startSelector": {"type": "XPathSelector", "value": "/main[1]/article[1]/p[2]"},
            "endSelector": {"type": "XPathSelector", "value": "/main[1]/article[1]/p[2]"},
            "startOffset": 13,
            "endOffset": 50,
        },
        {"type": "TextPositionSelector", "start": _utf16(PAGE, start), "end": _utf16(PAGE, end)},
        {
            "type": "TextQuoteSelector",
            "exact": QUOTE,
            "prefix": PAGE[max(0, start - 32) : start],
            "suffix": PAGE[end : end + 32],
        },
    ]


def _jsonld(
    tags: list[str], comment: str | None = "Vague, say critics.", **over: Any
) -> dict[str, Any]:
    """One annotation as Hypothesis's API gives it in JSON-LD."""
    body: list[dict[str, Any]] = []
    if comment is not None:
        body.append({"type": "TextualBody", "value": comment, "format": "text/markdown"})
    body.extend({"type": "TextualBody", "purpose": "tagging", "value": t} for t in tags)
    anno: dict[str, Any] = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": "https://hypothes.is/a/6GrnLKg5Ee6Y3A9pD1S3Kw",
        "created": "2024-02-03T10:11:12.345678+00:00",
        "modified": "2024-02-03T10:15:00.000000+00:00",
        "creator": "acct:alice@hypothes.is",
        "body": body,
        "target": [{"source": URL + "#comments", "selector": _page_selectors(1)}],
    }
    anno.update(over)
    return anno


def _db() -> Database:
    db = open_db(memory=True)
    add_article(db, "news", "AI cooperation between allies", TEXT)
    set_article_url(db, "news", URL)
    return db


def _write(tmp_path: Path, *annotations: dict[str, Any], name: str = "h.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(a) + "\n" for a in annotations), "utf-8")
    return path


def test_hypothesis_annotation_lands_on_the_article_with_that_url(tmp_path: Path) -> None:
    db = _db()
    report = import_annotations(db, _write(tmp_path, _jsonld(["evidence"])))
    assert report.orphaned == 0 and report.annotations == 1
    (span,) = query_spans(db)
    # Page positions (UTF-16, navigation before) disagree with the article's text:
    # the quote and its context pick the second occurrence.
    second = TEXT.index(QUOTE, TEXT.index(QUOTE) + 1)
    assert (span.start, span.end, span.quote) == (second, second + len(QUOTE), QUOTE)
    assert span.tags == ["evidence"]
    assert span.note == "Vague, say critics."
    assert span.annotator == "alice@hypothes.is"
    assert span.created_at == "2024-02-03T10:11:12.345678+00:00"


def test_annotation_without_tag_is_refused_without_tag_option(tmp_path: Path) -> None:
    db = _db()
    before = _dump(db)
    path = _write(tmp_path, _jsonld([]))
    with pytest.raises(ClaimmapError, match="--tag") as info:
        import_annotations(db, path)
    assert str(info.value).startswith(f"{path}:1: ") and "\n" not in str(info.value)
    assert _dump(db) == before


def test_annotation_without_tag_goes_under_the_named_tag(tmp_path: Path) -> None:
    db = _db()
    tagged = _jsonld(["evidence"], id="https://hypothes.is/a/tagged")
    untagged = _jsonld(
        [],
        id="https://hypothes.is/a/plain",
        target=[{"source": URL, "selector": _page_selectors(0)}],
    )
    report = import_annotations(db, _write(tmp_path, tagged, untagged), default_tag="hypothesis")
    assert report.tags_created == ["evidence", "hypothesis"]
    by_start = sorted(query_spans(db), key=lambda s: s.start)
    assert [s.tags for s in by_start] == [["hypothesis"], ["evidence"]]
    assert by_start[0].start == TEXT.index(QUOTE)


def test_url_of_no_article_is_refused_naming_set_url(tmp_path: Path) -> None:
    db = _db()
    before = _dump(db)
    anno = _jsonld(
        ["evidence"],
        target=[{"source": "https://elsewhere.example/x", "selector": _page_selectors(0)}],
    )
    with pytest.raises(ClaimmapError, match="--set-url"):
        import_annotations(db, _write(tmp_path, anno))
    assert _dump(db) == before


def test_hypothesis_client_export_file(tmp_path: Path) -> None:
    """The JSON file Hypothesis's own "Export annotations" writes (not W3C)."""
    export = {
        "export_date": "2024-02-04T08:00:00.000Z",
        "export_userid": "acct:alice@hypothes.is",
        "client_version": "1.1326.0",
        "annotations": [
            {
                "id": "6GrnLKg5Ee6Y3A9pD1S3Kw",
                "created": "2024-02-03T10:11:12.345678+00:00",
                "updated": "2024-02-03T10:15:00.000000+00:00",
                "user": "acct:alice@hypothes.is",
                "uri": URL,
                "text": "Vague, say critics.",
                "tags": ["evidence", "vague"],
                "group": "__world__",
                "permissions": {"read": ["group:__world__"]},
                "target": [{"source": URL, "selector": _page_selectors(1)}],
                "document": {"title": ["AI cooperation between allies"]},
                "links": {"html": "https://hypothes.is/a/6GrnLKg5Ee6Y3A9pD1S3Kw"},
                "user_info": {"display_name": "Alice"},
                "flagged": False,
                "hidden": False,
            }
        ],
    }
    path = tmp_path / "hypothesis-export.json"
    path.write_text(json.dumps(export, indent=2), "utf-8")
    db = _db()
    report = import_annotations(db, path)
    assert report.annotations == 1
    (span,) = query_spans(db)
    assert span.quote == QUOTE and span.tags == ["evidence", "vague"]
    assert (span.note, span.annotator) == ("Vague, say critics.", "alice@hypothes.is")


def test_pretty_printed_json_ld_file(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps(_jsonld(["evidence"]), indent=2), "utf-8")
    db = _db()
    assert import_annotations(db, path).annotations == 1


def test_set_url_refuses_a_url_another_article_has() -> None:
    db = _db()
    add_article(db, "other", "Other", "Another text.\n")
    with pytest.raises(ClaimmapError, match="one URL names one article"):
        set_article_url(db, "other", URL + "/")
    with pytest.raises(ClaimmapError, match="not a web address"):
        set_article_url(db, "other", "javascript:alert(1)")


def test_articles_set_url_through_the_cli(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    article = tmp_path / "news.txt"
    article.write_text(TEXT, "utf-8")
    assert cli("import", str(article)).code == 0
    res = cli("articles", "news", "--set-url", URL, "--json")
    assert res.code == 0, res.err
    assert res.json()["url"] == URL
    assert cli("articles", "--json").json()[0]["url"] == URL
    bad = cli("articles", "news", "--set-url", "ftp://x")
    assert bad.code == 1 and bad.err.startswith("error: ") and bad.err.count("\n") == 1
    res = cli("import-annotations", str(_write(tmp_path, _jsonld([]))), "--tag", "web")
    assert res.code == 0, res.err
    assert "new tags: web" in res.out


def test_replies_and_page_notes_are_listed_not_imported(tmp_path: Path) -> None:
    page_note = _jsonld(["evidence"], id="https://hypothes.is/a/pagenote", target=[{"source": URL}])
    reply = _jsonld(
        [],
        id="https://hypothes.is/a/reply",
        references=["https://hypothes.is/a/6GrnLKg5Ee6Y3A9pD1S3Kw"],
        target=[{"source": URL}],
    )
    db = _db()
    path = _write(tmp_path, _jsonld(["evidence"]), page_note, reply)
    report = import_annotations(db, path)
    assert report.annotations == 1 and len(query_spans(db)) == 1
    assert [n.split(": ", 1)[0] for n in report.notices] == [f"{path}:2", f"{path}:3"]
    assert "a note on the whole page" in report.notices[0]
    assert "a reply" in report.notices[1]


def test_body_value_shorthand_is_the_note(tmp_path: Path) -> None:
    anno = _jsonld(["evidence"], comment=None, bodyValue="Said by the minister.")
    db = _db()
    import_annotations(db, _write(tmp_path, anno))
    (span,) = query_spans(db)
    assert span.note == "Said by the minister."


def test_two_annotators_on_one_passage_keep_their_own_spans(tmp_path: Path) -> None:
    """Each analyst's work is their layer: the same passage annotated by two people
    is two spans (it used to be merged into whichever was imported first)."""
    alice = _jsonld(["evidence"], id="https://hypothes.is/a/alice")
    bob = _jsonld(["vague"], id="https://hypothes.is/a/bob", creator="acct:bob@hypothes.is")
    db = _db()
    path = _write(tmp_path, alice, bob)
    report = import_annotations(db, path)
    assert report.merged == 0
    spans = {s.annotator: s for s in query_spans(db)}
    assert spans["alice@hypothes.is"].tags == ["evidence"]
    assert spans["bob@hypothes.is"].tags == ["vague"]
    assert spans["alice@hypothes.is"].start == spans["bob@hypothes.is"].start
    assert import_annotations(db, path).merged == 2
