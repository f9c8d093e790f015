"""A span that crosses a paragraph, cuts a word or nearly repeats another is stored
with a warning, in the CLI and in the app."""

from __future__ import annotations

from pathlib import Path

from claimmap.services.boundaries import boundary_warnings
from tests.conftest import RunCli

TEXT = "The alliance pools research money.\nJapan joins later, cautiously.\n美日两国开展合作。"


def test_clean_boundaries_give_no_warning() -> None:
    start = TEXT.index("The alliance")
    assert boundary_warnings(TEXT, start, TEXT.index(" money"), []) == []
    cjk = TEXT.index("两国")
    assert boundary_warnings(TEXT, cjk, cjk + 2, []) == []  # CJK has no words to cut


def test_each_warning() -> None:
    start = TEXT.index("research")
    across = boundary_warnings(TEXT, start, TEXT.index(" later"), [])
    assert across == ["the span runs across a paragraph break"]
    cut = boundary_warnings(TEXT, start + 2, TEXT.index("money") + 3, [])
    assert cut == [
        "the span starts inside the word 'research'",
        "the span ends inside the word 'money'",
    ]
    end = TEXT.index(".")
    near = boundary_warnings(TEXT, start, end - 1, [(7, start, end)])
    assert near == [
        "the span ends inside the word 'money'",
        f"nearly the same passage as span 7 ({start}-{end}); "
        "delete one if they are meant to be the same",
    ]


def test_cli_annotate_warns_but_stores(cli: RunCli, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("A title\n\n" + TEXT + "\n", encoding="utf-8")
    assert cli("import", str(src)).code == 0
    first = cli("annotate", "a", "--quote", "pools research money", "--tag", "m", "--json")
    assert first.code == 0 and first.json()["warnings"] == []
    again = cli("annotate", "a", "--quote", "pools research mone", "--tag", "m")
    assert again.code == 0
    assert "warning: span 2: the span ends inside the word 'money'" in again.err
    assert "nearly the same passage as span 1" in again.err
    listed = cli("spans", "--json").json()
    assert sorted(s["quote"] for s in listed) == ["pools research mone", "pools research money"]
