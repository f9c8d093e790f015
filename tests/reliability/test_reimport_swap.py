"""Swapped paragraphs that share a sentence: a span follows its own context.

Two paragraphs of equal length each contain the same sentence, with different
text around it.  When they swap places, the old offset of one copy is exactly
where the other copy now is, and a diff may carry the offset there too: the
quote matches at that hint, but its context does not.  The span must go where
its stored prefix and suffix are, and be reported as moved.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from claimmap.anchoring import context, offset_map, reanchor
from tests.conftest import RunCli

SHARED = "美日试图凭借其技术优势，通过优先合作来巩固双方在人工智能领域的领先地位。"
LEAD_A = "对外通过网络攻击、公司收购等方式。"
LEAD_B = "对内则依靠财政补贴和税收优惠手段。"
PARA_A, PARA_B = LEAD_A + SHARED, LEAD_B + SHARED
BEFORE = "标题：国际人工智能合作的现状\n"
AFTER = "第一，美欧同意制定共同的人工智能术语和技术标准，将实现可信人工智能系统作为最终目标。\n"


def _article(first: str, second: str, sep: str = "\n") -> str:
    return f"{BEFORE}{first}{sep}{second}\n{AFTER}"


def test_the_shape_is_the_one_described() -> None:
    assert len(PARA_A) == len(PARA_B) and LEAD_A != LEAD_B
    old, new = _article(PARA_A, PARA_B), _article(PARA_B, PARA_A)
    # The old offset of each copy is where the other copy is now.
    assert old.index(PARA_A) == new.index(PARA_B)


@pytest.mark.parametrize("sep", ["\n", "\n\n"])
@pytest.mark.parametrize("use_diff", [True, False], ids=["diff-hint", "offset-only"])
@pytest.mark.parametrize("which", ["first", "second"])
def test_span_follows_its_context_when_paragraphs_swap(
    sep: str, use_diff: bool, which: str
) -> None:
    old, new = _article(PARA_A, PARA_B, sep), _article(PARA_B, PARA_A, sep)
    para, lead = (PARA_A, LEAD_A) if which == "first" else (PARA_B, LEAD_B)
    start = old.index(para) + len(lead)
    truth = new.index(para) + len(lead)
    prefix, suffix = context(old, start, start + len(SHARED))
    hint = offset_map(old, new)(start) if use_diff else start
    got = reanchor(new, quote=SHARED, prefix=prefix, suffix=suffix, old_start=hint, same_text=False)
    # Orphaned would be safe; placed on the other copy is the bug.
    assert got is not None, "context decides this case: it must not be orphaned"
    assert (got.start, got.end) == (truth, truth + len(SHARED))
    if not use_diff:
        # The hint was the old offset itself: "position" would claim it never moved.
        assert got.method == "moved"


def test_import_update_moves_the_span_with_its_paragraph(cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "swap.txt"
    source.write_text(_article(PARA_A, PARA_B), encoding="utf-8")
    assert cli("import", str(source)).code == 0
    made = cli("annotate", "swap", "--quote", SHARED, "--occurrence", "2", "--tag", "motive")
    assert made.code == 0, made.err
    [span] = cli("spans", "--json").json()
    assert cli("show", "swap").out[span["start"] - len(LEAD_B) : span["start"]] == LEAD_B
    source.write_text(_article(PARA_B, PARA_A), encoding="utf-8")
    result = cli("import", "--update", "--json", str(source))
    assert result.code == 0, result.err
    [after] = cli("spans", "--json").json()
    text = cli("show", "swap").out
    assert after["orphaned"] is False
    assert text[after["start"] : after["end"]] == SHARED
    # Its own lead still precedes it: it moved with its paragraph.
    assert text[after["start"] - len(LEAD_B) : after["start"]] == LEAD_B
    assert after["start"] != span["start"]
    assert cli("check").code == 0


# -- what import --update reports about spans ------------------------------------


GONE = "这一段将在新版本中被整段删除，作者认为其论证并不充分。"


@pytest.fixture
def three_spans(cli: RunCli, tmp_path: Path) -> tuple[RunCli, Path, dict[str, int]]:
    """Spans that will stay, follow the swapped paragraph, and lose their text."""
    source = tmp_path / "swap.txt"
    source.write_text(_article(PARA_A, PARA_B) + GONE + "\n", encoding="utf-8")
    assert cli("import", str(source)).code == 0
    ids = {}
    for name, args in (
        ("kept", ["--quote", "标题：国际人工智能合作的现状"]),
        ("moved", ["--quote", SHARED, "--occurrence", "2"]),
        ("orphaned", ["--quote", GONE]),
    ):
        made = cli("annotate", "swap", *args, "--tag", "motive", "--json")
        assert made.code == 0, made.err
        ids[name] = made.json()["id"]
    source.write_text(_article(PARA_B, PARA_A), encoding="utf-8")
    return cli, source, ids


def test_update_reports_kept_moved_and_orphaned_spans_in_json(
    three_spans: tuple[RunCli, Path, dict[str, int]],
) -> None:
    cli, source, ids = three_spans
    result = cli("import", "--update", "--json", str(source))
    assert result.code == 0, result.err
    [item] = result.json()
    assert item["status"] == "updated"
    assert item["spans"] == {"kept": 1, "moved": 1, "orphaned": 1}
    assert item["orphaned_span_ids"] == [ids["orphaned"]]
    orphans = cli("spans", "--orphaned", "--json").json()
    assert [o["id"] for o in orphans] == [ids["orphaned"]]


def test_update_reports_spans_in_human_output(
    three_spans: tuple[RunCli, Path, dict[str, int]],
) -> None:
    cli, source, ids = three_spans
    shown = cli("import", "--update", str(source))
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert lines[0].startswith("updated")
    assert lines[1].strip() == "spans: 1 kept, 1 moved, 1 orphaned"
    assert lines[2].strip() == (
        f"orphaned span ids: {ids['orphaned']} (review: claimmap spans --orphaned)"
    )


def test_plain_import_reports_no_span_counts(cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "swap.txt"
    source.write_text(_article(PARA_A, PARA_B), encoding="utf-8")
    [item] = cli("import", "--json", str(source)).json()
    assert item["status"] == "imported"
    assert item["spans"] is None and item["orphaned_span_ids"] == []
