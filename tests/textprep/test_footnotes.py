from __future__ import annotations

import re
from collections.abc import Callable

from claimmap.textprep.footnotes import set_apart_footnotes

NOTE_LINE_RE = re.compile(r"^(?:\^|[\u2460-\u2473] |\* )")


def test_seed_002_blocks_moved_and_sentence_rejoined(seed: Callable[[str], str]) -> None:
    raw = seed("002")
    text, log, regions = set_apart_footnotes(raw)
    assert "带来的机遇,促进可持续发展”的决议" in text
    assert "联合国大会以协商一致的方式通过了由美国主导的" in text
    assert "Global Partnership on Artificial Intelligence, GPAI)" in text

    notes = [r for r in regions if r.kind == "footnote"]
    markers = [r for r in regions if r.kind == "footnote_marker"]
    raw_note_lines = [line for line in raw.split("\n") if NOTE_LINE_RE.match(line)]
    # Every footnote is kept, unchanged and in order, at the end of the text.
    assert [text[r.start : r.end] for r in notes] == raw_note_lines
    body_end = notes[0].start
    assert all(r.end <= body_end for r in markers)
    assert text[body_end:].count("\n\n") == len(notes) - 1
    assert "作者简介:杜洞光" in text[:body_end]
    assert all(text[r.start : r.end].startswith("^") for r in markers)
    assert text[markers[0].start : markers[0].end] == "^{*}"
    # No footnote line remains in the body.
    for line in text[:body_end].split("\n"):
        assert not line.startswith(("^①", "① ", "* 感谢"))

    moved = [e for e in log if e.action == "moved"]
    joined = [e for e in log if e.action == "joined"]
    assert len(moved) == 25 and len(joined) == 20
    assert "\n".join(e.before for e in moved) in "\n".join(raw_note_lines)
    # A table row is never glued to the next one.
    assert "相关项目第三次部长级会议" not in text


def test_idempotent_on_own_output(seed: Callable[[str], str]) -> None:
    text, _, regions = set_apart_footnotes(seed("002"))
    again, log, regions_again = set_apart_footnotes(text)
    assert (again, log, regions_again) == (text, [], regions)


def test_documents_without_the_pattern_untouched(seed: Callable[[str], str]) -> None:
    for prefix in ("000", "001", "003", "004"):
        text = seed(prefix)
        assert set_apart_footnotes(text) == (text, [], [])


def test_numbered_list_is_not_a_footnote_block() -> None:
    text = "我們提出三點建議:\n① 加強溝通\n② 深化合作\n③ 管控分歧\n後文繼續討論這些建議。\n"
    assert set_apart_footnotes(text) == (text, [], [])
