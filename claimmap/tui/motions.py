"""Cursor motions over the stored segmentation (word, clause, sentence, paragraph).

Stops are the starts and ends of segments, so a forward motion with a selection
lands exactly at the end of a clause or sentence.  When an article has no stored
segmentation (tests, hand-made databases) it is derived from punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Chinese clause marks stop a clause even when the stored segmentation ignores them.
CLAUSE_MARKS = "，、；：,;:"
SENTENCE_RE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[」』”’）)]*|\n|$)")


def _derived(text: str) -> dict[str, list[tuple[int, int]]]:
    paragraphs: list[tuple[int, int]] = []
    pos = 0
    for part in text.split("\n"):
        if part.strip():
            paragraphs.append((pos, pos + len(part)))
        pos += len(part) + 1
    sentences: list[tuple[int, int]] = []
    for p0, p1 in paragraphs:
        for m in SENTENCE_RE.finditer(text, p0, p1):
            if m.group().strip():
                sentences.append((m.start(), m.end()))
    return {"paragraph": paragraphs, "sentence": sentences, "clause": []}


def _word_class(ch: str) -> int:
    if ch.isspace():
        return 0
    cat = unicodedata.category(ch)
    if cat[0] in "PS":
        return 1
    if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ord(ch) >= 0x20000:
        return 2
    return 3


@dataclass(slots=True)
class Segmentation:
    """Sorted stop offsets per unit, plus the sentence list for ``s``."""

    text: str
    sentences: list[tuple[int, int]]
    stops: dict[str, list[int]]

    @classmethod
    def build(
        cls, text: str, stored: Mapping[str, Sequence[tuple[int, int]]] | None
    ) -> Segmentation:
        segs: dict[str, list[tuple[int, int]]] = {k: list(v) for k, v in (stored or {}).items()}
        if not segs.get("sentence") or not segs.get("paragraph"):
            derived = _derived(text)
            for key, value in derived.items():
                if not segs.get(key):
                    segs[key] = value
        sentences = sorted(segs.get("sentence", []))
        stops: dict[str, set[int]] = {}
        for unit in ("paragraph", "sentence", "clause"):
            points: set[int] = set()
            for a, b in segs.get(unit, []):
                points.add(a)
                points.add(b)
            stops[unit] = points
        # A clause also ends at every Chinese clause mark and every sentence stop.
        clause = stops["clause"] | stops["sentence"]
        for i, ch in enumerate(text):
            if ch in CLAUSE_MARKS:
                clause.add(i + 1)
        stops["clause"] = clause
        stops["sentence"] |= stops["paragraph"]
        return cls(text, sentences, {k: sorted(v) for k, v in stops.items()})

    def next_stop(self, unit: str, offset: int) -> int:
        if unit == "word":
            return self._next_word(offset)
        stops = self.stops[unit]
        k = bisect_right(stops, offset)
        return stops[k] if k < len(stops) else len(self.text)

    def prev_stop(self, unit: str, offset: int) -> int:
        if unit == "word":
            return self._prev_word(offset)
        stops = self.stops[unit]
        k = bisect_left(stops, offset) - 1
        return stops[k] if k >= 0 else 0

    def _next_word(self, offset: int) -> int:
        text, n = self.text, len(self.text)
        if offset >= n:
            return n
        i = offset
        cls = _word_class(text[i])
        # Han text has no spaces: a "word" there is one glyph run up to punctuation.
        while i < n and _word_class(text[i]) == cls and cls != 0:
            i += 1
        while i < n and _word_class(text[i]) == 0:
            i += 1
        return max(i, offset + 1) if i <= n else n

    def _prev_word(self, offset: int) -> int:
        text = self.text
        i = offset
        while i > 0 and _word_class(text[i - 1]) == 0:
            i -= 1
        if i == 0:
            return 0
        cls = _word_class(text[i - 1])
        while i > 0 and _word_class(text[i - 1]) == cls:
            i -= 1
        return i

    def sentence_at(self, offset: int) -> tuple[int, int] | None:
        """The sentence holding ``offset`` (or the next one after it)."""
        sents = self.sentences
        k = bisect_right(sents, (offset, len(self.text) + 1)) - 1
        if k >= 0 and sents[k][0] <= offset < sents[k][1]:
            return sents[k]
        if k + 1 < len(sents):
            return sents[k + 1]
        return sents[k] if k >= 0 else None

    def sentence_after(self, end: int) -> tuple[int, int] | None:
        """The first sentence starting at or after ``end``."""
        sents = self.sentences
        k = bisect_left(sents, (end, -1))
        return sents[k] if k < len(sents) else None
