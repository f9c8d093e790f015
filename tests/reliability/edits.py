"""Realistic edits of an article with known ground truth, to score re-anchoring.

An edit is a set of non-overlapping replacements on the old canonical text
(plus, for a moved paragraph, a known destination), so for every span we know
where its characters went:

* ``intact``: the span's characters survive untouched; the truth is their new
  range, and re-anchoring must land exactly there.
* ``edited``: a replacement falls inside the span (a corrected word, re-cleaned
  punctuation); the truth is the mapped range, and a placement overlapping it
  well (IoU >= 0.6) is "moved correctly".
* ``deleted``: the span's text is gone; the only right answer is *orphaned*.

Any placement that is not right is *silently wrong*: the failure that matters.
Used by ``test_reimport.py`` (a few hundred edits) and
``benchmarks/bench_reanchor.py`` (1,000 edits).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from claimmap.anchoring import context, offset_map, reanchor
from claimmap.textprep.decode import decode_bytes
from claimmap.textprep.pipeline import clean
from claimmap.textprep.segment import segment

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
_CIRCLED = re.compile("[\u2460-\u2473]")
_SENTENCE_END = re.compile("[。！？；]")
# Characters a proofreader swaps in (common, so the result still looks like text).
_SWAP = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"


@dataclass(frozen=True)
class Replacement:
    start: int
    end: int
    new: str


@dataclass(frozen=True)
class Truth:
    kind: str  # intact | edited | deleted
    start: int = -1
    end: int = -1


@dataclass
class Edit:
    name: str
    text: str
    truths: list[Truth]


@dataclass
class Score:
    counts: Counter[str] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.counts.update(other.counts)
        self.wrong.extend(other.wrong)

    @property
    def intact(self) -> int:
        return sum(v for k, v in self.counts.items() if k.startswith("intact"))

    @property
    def exact(self) -> int:
        return self.counts["intact: exact"]


def seed_texts() -> dict[str, str]:
    """The seeds' canonical texts, as the importer stores them."""
    out: dict[str, str] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        out[path.stem] = clean(decode_bytes(path.read_bytes(), path.name).text).text
    return out


def place_spans(text: str, rng: random.Random, n: int) -> list[tuple[int, int]]:
    """Spans as analysts make them: clauses and sentences, free ranges, short terms."""
    segments = [(s.start, s.end) for s in segment(text) if s.kind in ("sentence", "clause")]
    spans: set[tuple[int, int]] = set()
    while len(spans) < n:
        roll = rng.random()
        if roll < 0.55 and segments:
            start, end = rng.choice(segments)
        elif roll < 0.85:
            start = rng.randrange(0, len(text) - 10)
            end = min(len(text), start + rng.randint(10, 80))
        else:
            # Short key terms (2-8 characters) recur all over an article: the
            # hardest case, where only context can tell occurrences apart.
            start = rng.randrange(0, len(text) - 8)
            end = start + rng.randint(2, 8)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start >= 2:
            spans.add((start, end))
    return sorted(spans)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line, end including its newline if any."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            out.append((pos, min(len(text), end + 1)))
        pos = end + 1
    return out


def _foreign_paragraph(others: list[str], rng: random.Random) -> str:
    donor = rng.choice(others)
    start, end = rng.choice(_paragraphs(donor))
    return donor[start:end].rstrip("\n") + "\n"


def _foreign_sentence(others: list[str], rng: random.Random) -> str:
    donor = rng.choice(others)
    sentences = [
        donor[s.start : s.end]
        for s in segment(donor)
        if s.kind == "sentence" and s.end - s.start > 8
    ]
    return rng.choice(sentences).strip()


def random_replacements(
    text: str, others: list[str], rng: random.Random
) -> tuple[str, list[Replacement]]:
    """One realistic edit (sometimes two combined) as replacements on ``text``."""
    kinds = rng.sample(
        [
            "insert_paragraph",
            "remove_paragraph",
            "correct_words",
            "insert_sentence",
            "reclean",
            "remove_sentence",
        ],
        k=rng.choice((1, 1, 1, 2)),
    )
    reps: list[Replacement] = []
    paragraphs = _paragraphs(text)
    for kind in kinds:
        if kind == "insert_paragraph":
            at = rng.choice(paragraphs)[0]
            reps.append(Replacement(at, at, _foreign_paragraph(others, rng)))
        elif kind == "remove_paragraph":
            start, end = rng.choice(paragraphs)
            reps.append(Replacement(start, end, ""))
        elif kind == "correct_words":
            for _ in range(rng.randint(1, 4)):
                at = rng.randrange(0, len(text))
                if "\u4e00" <= text[at] <= "\u9fff":
                    reps.append(Replacement(at, at + 1, rng.choice(_SWAP)))
        elif kind == "insert_sentence":
            ends = [m.end() for m in _SENTENCE_END.finditer(text)]
            if ends:
                at = rng.choice(ends)
                reps.append(Replacement(at, at, _foreign_sentence(others, rng)))
        elif kind == "remove_sentence":
            sentences = [(s.start, s.end) for s in segment(text) if s.kind == "sentence"]
            start, end = rng.choice(sentences)
            reps.append(Replacement(start, end, ""))
        elif kind == "reclean":
            # A cleaner revision: footnote markers dropped, ASCII punctuation
            # between CJK made full-width, indentation removed.
            for m in _CIRCLED.finditer(text):
                reps.append(Replacement(m.start(), m.end(), ""))
            for m in re.finditer(r"(?<=[\u4e00-\u9fff]),(?=[\u4e00-\u9fff])", text):
                reps.append(Replacement(m.start(), m.end(), "，"))
            for m in re.finditer(r"(?<=[\u4e00-\u9fff]):(?=[\u4e00-\u9fff])", text):
                reps.append(Replacement(m.start(), m.end(), "："))
            for m in re.finditer(r"(?m)^[ \u3000\t]+", text):
                reps.append(Replacement(m.start(), m.end(), ""))
    return kinds[0] if len(kinds) == 1 else "+".join(kinds), _disjoint(reps)


def _disjoint(reps: list[Replacement]) -> list[Replacement]:
    """Drop replacements that overlap an earlier one (combined edits may collide)."""
    out: list[Replacement] = []
    for r in sorted(reps, key=lambda r: (r.start, r.end)):
        if out and (r.start < out[-1].end or (r.start == out[-1].start == r.end == out[-1].end)):
            continue
        out.append(r)
    return out


def apply_edit(text: str, reps: list[Replacement], spans: list[tuple[int, int]], name: str) -> Edit:
    pieces: list[str] = []
    pos = 0
    for r in reps:
        pieces.append(text[pos : r.start])
        pieces.append(r.new)
        pos = r.end
    pieces.append(text[pos:])
    new_text = "".join(pieces)

    def shift(p: int, *, is_end: bool) -> int:
        delta = 0
        for r in reps:
            if r.start < p < r.end:
                # Inside replaced text: a start moves past the replacement, an end before it.
                return r.start + delta + (0 if is_end else len(r.new))
            before = r.end < p or (r.end == p and (not is_end or r.start < r.end))
            if before:
                delta += len(r.new) - (r.end - r.start)
        return p + delta

    truths: list[Truth] = []
    for s, e in spans:
        touching = [r for r in reps if r.start < e and r.end > s]
        if any(r.start <= s and r.end >= e for r in touching):
            truths.append(Truth("deleted"))
        elif touching:
            deleted = sum(min(e, r.end) - max(s, r.start) for r in touching)
            if deleted > (e - s) / 2:
                truths.append(Truth("deleted"))  # most of it is gone: orphan is right
            else:
                truths.append(Truth("edited", shift(s, is_end=False), shift(e, is_end=True)))
        else:
            truths.append(Truth("intact", shift(s, is_end=False), shift(e, is_end=True)))
    return Edit(name, new_text, truths)


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def score_edit(
    old: str, spans: list[tuple[int, int]], edit: Edit, *, diff_hint: bool = True
) -> Score:
    """Re-anchor every span as ``import --update`` does (hint from a diff of the texts),
    or, with ``diff_hint=False``, from the stored offset alone (as for annotation files)."""
    score = Score()
    hint = offset_map(old, edit.text) if diff_hint else (lambda offset: offset)
    for (s, e), truth in zip(spans, edit.truths, strict=True):
        prefix, suffix = context(old, s, e)
        got = reanchor(
            edit.text,
            quote=old[s:e],
            prefix=prefix,
            suffix=suffix,
            old_start=hint(s),
            same_text=False,
        )
        if truth.kind == "intact":
            assert edit.text[truth.start : truth.end] == old[s:e], "ground truth is off"
        if got is None:
            score.counts[f"{truth.kind}: orphaned"] += 1
            continue
        placed = (got.start, got.end)
        if truth.kind == "intact" and placed == (truth.start, truth.end):
            score.counts["intact: exact"] += 1
        elif (
            truth.kind == "edited"
            and (
                _iou(placed, (truth.start, truth.end)) >= 0.6
                # An insertion just inside the span can recreate the quote at a shifted
                # boundary (the inserted sentence ends with the span's first "。").
                or (
                    edit.text[got.start : got.end] == old[s:e]
                    and _iou(placed, (truth.start, truth.end)) > 0
                )
            )
        ):
            score.counts["edited: moved correctly"] += 1
        else:
            score.counts[f"{truth.kind}: silently wrong"] += 1
            score.wrong.append(
                f"{edit.name}: {old[s:e]!r} ({truth.kind} {truth.start}-{truth.end}) "
                f"placed at {got.start}-{got.end} by {got.method}: {edit.text[got.start : got.end]!r}"
            )
    return score


def run_edits(
    n_edits: int, seed: int, spans_per_article: int = 40, *, diff_hint: bool = True
) -> Score:
    rng = random.Random(seed)
    texts = seed_texts()
    refs = sorted(texts)
    spans = {ref: place_spans(texts[ref], rng, spans_per_article) for ref in refs}
    total = Score()
    for _ in range(n_edits):
        ref = rng.choice(refs)
        old = texts[ref]
        others = [texts[r] for r in refs if r != ref]
        name, reps = random_replacements(old, others, rng)
        edit = apply_edit(old, reps, spans[ref], name)
        total.add(score_edit(old, spans[ref], edit, diff_hint=diff_hint))
    return total
