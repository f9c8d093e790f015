"""Re-import of changed text (issue 6): ``import --update`` keeps the article and
its spans' identities, re-anchors each span or orphans it, never silently wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.reliability.edits import run_edits
from tests.reliability.helpers import SEED_FILES

ARTICLE = "article.txt"


def _paragraphs(cli: RunCli) -> list[str]:
    return [p for p in cli("show", "article").out.split("\n") if len(p) > 40]


@pytest.fixture
def annotated(cli: RunCli, tmp_path: Path) -> tuple[RunCli, Path, dict[str, int]]:
    """Seed 000 imported as article.txt, with spans in three paragraphs."""
    source = tmp_path / ARTICLE
    source.write_text(SEED_FILES[0].read_text(encoding="utf-8"), encoding="utf-8")
    assert cli("import", str(source)).code == 0
    paras = _paragraphs(cli)
    spans: dict[str, int] = {}
    for name, para in (("early", paras[2]), ("middle", paras[5]), ("late", paras[-2])):
        quote = para[5:30]
        result = cli("annotate", "article", "--quote", quote, "--tag", "motive", "--json")
        assert result.code == 0, result.err
        spans[name] = result.json()["id"]
    return cli, source, spans


def _span(cli: RunCli, span_id: int) -> dict[str, object]:
    spans = {s["id"]: s for s in cli("spans", "--json").json()}
    return spans[span_id]  # type: ignore[no-any-return]


def _update(cli: RunCli, source: Path, text: str) -> None:
    source.write_text(text, encoding="utf-8")
    result = cli("import", "--update", "--json", str(source))
    assert result.code == 0, result.err
    assert result.json()[0]["status"] == "updated"
    assert result.json()[0]["article_id"] == 1  # identity kept


def _text(cli: RunCli) -> str:
    return cli("show", "article").out


def test_paragraph_inserted_moves_spans(annotated: tuple[RunCli, Path, dict[str, int]]) -> None:
    cli, source, spans = annotated
    before = {k: _span(cli, v) for k, v in spans.items()}
    raw = source.read_text(encoding="utf-8")
    first_break = raw.index("\n", raw.index("\n") + 1)
    inserted = "新插入的一段说明文字，与本文其他段落的内容都不相同，用来把后面的文字整体后移。\n"
    _update(cli, source, raw[: first_break + 1] + inserted + raw[first_break + 1 :])
    text = _text(cli)
    for name, span_id in spans.items():
        after = _span(cli, span_id)
        assert after["orphaned"] is False, name
        assert after["quote"] == before[name]["quote"]
        assert text[int(str(after["start"])) : int(str(after["end"]))] == after["quote"]
        assert after["tags"] == ["motive"]
    assert cli("check").code == 0
    assert cli("spans", "--orphaned", "--json").json() == []


def test_paragraph_removed_orphans_only_its_span(
    annotated: tuple[RunCli, Path, dict[str, int]],
) -> None:
    cli, source, spans = annotated
    middle = _span(cli, spans["middle"])
    paragraph = next(p for p in _paragraphs(cli) if middle["quote"] in p)  # type: ignore[operator]
    raw = source.read_text(encoding="utf-8")
    assert paragraph in raw
    _update(cli, source, raw.replace(paragraph + "\n", "", 1))
    orphans = cli("spans", "--orphaned", "--json").json()
    assert [o["id"] for o in orphans] == [spans["middle"]]
    # Kept, with its quote and tags, for the analyst to re-place or delete.
    assert orphans[0]["quote"] == middle["quote"]
    assert orphans[0]["tags"] == ["motive"]
    listed = cli("spans", "--orphaned")
    assert "ORPHANED" in listed.out
    for name in ("early", "late"):
        assert _span(cli, spans[name])["orphaned"] is False
    assert cli("check").code == 0


def test_corrected_word_inside_span_is_fuzzy_reanchored(
    annotated: tuple[RunCli, Path, dict[str, int]],
) -> None:
    cli, source, spans = annotated
    late = _span(cli, spans["late"])
    quote = str(late["quote"])
    # Correct one character in the middle of the quote (a proofreading fix).
    i = next(k for k in range(len(quote) // 2, len(quote)) if "\u4e00" <= quote[k] <= "\u9fff")
    corrected = quote[:i] + ("的" if quote[i] != "的" else "是") + quote[i + 1 :]
    raw = source.read_text(encoding="utf-8")
    assert raw.count(quote) == 1
    _update(cli, source, raw.replace(quote, corrected))
    after = _span(cli, spans["late"])
    assert after["orphaned"] is False
    assert after["quote"] == corrected  # the quote follows the corrected text
    assert cli("check").code == 0


def test_recleaned_punctuation_is_normalized_match(
    annotated: tuple[RunCli, Path, dict[str, int]],
) -> None:
    cli, source, spans = annotated
    early = _span(cli, spans["early"])
    raw = source.read_text(encoding="utf-8")
    # A re-cleaning that makes the seed's ASCII commas full-width everywhere.
    assert "," in str(early["quote"])
    _update(cli, source, raw.replace(",", "，"))
    after = _span(cli, spans["early"])
    assert after["orphaned"] is False
    assert after["quote"] == str(early["quote"]).replace(",", "，")
    assert cli("check").code == 0


def test_look_alike_paragraph_never_adopts_an_orphan(cli: RunCli, tmp_path: Path) -> None:
    """The Hypothesis bug: fuzzy re-anchoring onto a near-copy elsewhere."""
    claim = "美日两国在人工智能领域的合作主要集中在技术标准制定与安全评估机制建设方面"
    near_copy = claim.replace("主要", "大多")
    filler = "。".join(f"第{n}段的普通叙述文字，讲述另外一件完全无关的事情" for n in range(6))
    source = tmp_path / ARTICLE
    text = f"标题\n{filler}。\n{claim}。\n{filler}。\n尾声部分：{near_copy}。\n"
    source.write_text(text, encoding="utf-8")
    assert cli("import", str(source)).code == 0
    span = cli("annotate", "article", "--quote", claim, "--tag", "impact", "--json").json()["id"]
    _update(cli, source, text.replace(f"{claim}。\n", ""))
    after = _span(cli, span)
    assert after["orphaned"] is True
    assert cli("check").code == 0


def test_unchanged_text_keeps_positions(annotated: tuple[RunCli, Path, dict[str, int]]) -> None:
    cli, source, spans = annotated
    before = {k: _span(cli, v) for k, v in spans.items()}
    raw = source.read_text(encoding="utf-8")
    # Same canonical text from different bytes (CRLF): positions are kept as they are.
    source.write_bytes(raw.replace("\n", "\r\n").encode("utf-8"))
    result = cli("import", "--update", "--json", str(source))
    assert result.code == 0, result.err
    for name, span_id in spans.items():
        after = _span(cli, span_id)
        assert (after["start"], after["end"]) == (before[name]["start"], before[name]["end"])


def test_random_realistic_edits_are_never_silently_wrong() -> None:
    """A few hundred edits of the seeds (the benchmark runs 1,000)."""
    score = run_edits(120, seed=6, spans_per_article=30)
    assert score.wrong == []
    assert score.intact > 1000
    assert score.exact / score.intact >= 0.99
    assert score.counts["deleted: orphaned"] > 0  # the suite did delete spans' text
    assert score.counts["edited: moved correctly"] > 0


def test_random_edits_without_a_diff_hint() -> None:
    """As for annotation files (W3C, qdpx): only the stored offset and context."""
    score = run_edits(60, seed=8, spans_per_article=30, diff_hint=False)
    assert score.wrong == []
    # Repeated passages cannot be told apart without the diff: those are orphaned.
    assert score.exact / score.intact >= 0.98
