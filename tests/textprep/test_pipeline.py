from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimmap.textprep.matchkey import PINYIN_LEAK_RE
from claimmap.textprep.pipeline import clean
from claimmap.textprep.segment import segment
from tests.textprep.conftest import read_seed


def test_seeds_end_to_end(seed: Callable[[str], str]) -> None:
    counts = {}
    for prefix in ("000", "001", "002", "003", "004"):
        raw = seed(prefix)
        result = clean(raw.replace("\n", "\r\n"))
        assert "\r" not in result.text
        assert result.text == clean(raw).text
        counts[prefix] = {
            step: sum(e.step == step for e in result.log)
            for step in ("spam", "pinyin_leak", "footnotes")
        }
        for region in result.regions:
            assert 0 <= region.start < region.end <= len(result.text)
    assert counts["000"] == counts["004"] == {"spam": 0, "pinyin_leak": 0, "footnotes": 0}
    assert counts["001"] == {"spam": 3, "pinyin_leak": 0, "footnotes": 0}
    assert counts["002"] == {"spam": 0, "pinyin_leak": 0, "footnotes": 45}
    assert counts["003"] == {"spam": 0, "pinyin_leak": 364, "footnotes": 0}
    assert PINYIN_LEAK_RE.search(clean(seed("003")).text) is None


def test_log_is_ordered_by_step(seed: Callable[[str], str]) -> None:
    result = clean("\ufeff" + seed("001").replace("\n", "\r\n"))
    steps = [e.step for e in result.log]
    assert steps[:2] == ["normalize", "normalize"]
    assert set(steps[2:]) == {"spam"}


def test_textprep_imports_no_ui() -> None:
    code = (
        "import sys, claimmap.textprep.pipeline, claimmap.textprep.decode, "
        "claimmap.textprep.segment, claimmap.textprep.metadata\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


_LINES = [line for line in read_seed("002").split("\n")[:60] + read_seed("003").split("\n")[:8]]
_LINES += read_seed("001").split("\n")[:3] + read_seed("001").split("\n")[328:345]
_line = st.one_of(
    st.sampled_from(_LINES),
    st.text(alphabet=st.sampled_from("產業(yè)發(fā)展 ab.,。！?\n^①*😊𠀀\u0301\r"), max_size=40),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_line, max_size=30))
def test_clean_is_idempotent_and_segments_in_bounds(lines: list[str]) -> None:
    text = "\n".join(lines)
    first = clean(text)
    second = clean(first.text)
    assert second.text == first.text
    assert [e for e in second.log if e.action in ("removed", "moved", "joined")] == []
    segments = segment(first.text)
    by_kind: dict[str, list[tuple[int, int]]] = {}
    for s in segments:
        assert 0 <= s.start < s.end <= len(first.text)
        by_kind.setdefault(s.kind, []).append((s.start, s.end))
    for spans in by_kind.values():
        spans.sort()
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end <= start
