"""Blocking-only Latin trigrams and the per-span posting budget."""

from __future__ import annotations

import numpy as np

from claimmap.linking.blocking import blocking_entries
from claimmap.linking.keys import TRIGRAM_BASE, latin_trigram_codes


def _reference(keys: list[str]) -> set[tuple[int, str]]:
    """(key index, trigram) of every Latin run of 3 to 12 letters, by plain Python."""
    out: set[tuple[int, str]] = set()
    for row, key in enumerate(keys):
        run = ""
        for ch in [*key, "\0"]:
            if ("a" <= ch <= "z") or ("\u00c0" <= ch <= "\u024f"):
                run += ch
                continue
            if 3 <= len(run) <= 12:
                out.update((row, run[i : i + 3]) for i in range(len(run) - 2))
            run = ""
    return out


def _decode(code: int) -> str:
    code &= ~TRIGRAM_BASE
    return chr((code >> 32) & 0xFFFF) + chr((code >> 16) & 0xFFFF) + chr(code & 0xFFFF)


def test_latin_trigram_codes_match_a_plain_reference() -> None:
    keys = ["theaiact人工智能", "中文ab", "euroécommission", "gpt4和openai", "x"]
    codes, rows = latin_trigram_codes(keys)
    got = {(int(r), _decode(int(c))) for c, r in zip(codes.tolist(), rows.tolist(), strict=True)}
    assert got == _reference(keys)
    assert (0, "the") in got and (0, "act") in got
    assert not any(r == 1 for r, _ in got)  # "ab" is too short for a trigram


def test_budget_only_adds_entries() -> None:
    rng = np.random.default_rng(3)
    n_spans, n_feats = 300, 120
    spans = np.repeat(np.arange(n_spans), 10)
    feats = rng.integers(0, n_feats, size=len(spans))
    pairs = np.unique(np.stack([feats, spans], axis=1), axis=0)
    feats, spans = pairs[:, 0], pairs[:, 1]
    df = np.bincount(feats, minlength=n_feats)
    plain = set(zip(*blocking_entries(feats, spans, df, cap=8, keep_rarest=2), strict=True))
    budgeted = set(
        zip(*blocking_entries(feats, spans, df, cap=8, keep_rarest=2, budget=50), strict=True)
    )
    assert plain <= budgeted
    assert len(budgeted) > len(plain)
