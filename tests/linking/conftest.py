"""Fixtures for the link-review tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli

TEXTS = {
    "a": "美日两国的人工智能合作带有明显的对华竞争色彩。日本人才缺口很大。",
    "b": "美日兩國的人工智能合作帶有明顯的對華競爭色彩。歐盟重視監管。",
    "c": "中日韩应当加强人工智能对话与合作。日本人才缺口很大啊。",
}
SPANS = (  # span ids 1..6, in this order
    ("a", "美日两国的人工智能合作带有明显的对华竞争色彩", "motive"),
    ("a", "日本人才缺口很大", "limitation"),
    ("b", "美日兩國的人工智能合作帶有明顯的對華競爭色彩", "motive"),
    ("b", "歐盟重視監管", "motive"),
    ("c", "中日韩应当加强人工智能对话与合作", "motive"),
    ("c", "日本人才缺口很大啊", "limitation"),
)


@pytest.fixture
def review_corpus(cli: RunCli, tmp_path: Path) -> RunCli:
    for ref, text in TEXTS.items():
        (tmp_path / f"{ref}.txt").write_text(text + "\n", encoding="utf-8")
        assert cli("import", str(tmp_path / f"{ref}.txt")).code == 0
    for ref, quote, tag in SPANS:
        assert cli("annotate", ref, "--quote", quote, "--tag", tag).code == 0
    return cli
