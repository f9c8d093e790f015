"""Source texts for the PDF tests and benchmark: the seeds' paragraphs, with notes.

Notes are the seed 002's real footnotes, placed after a sentence of the body
(``[^note]`` for the builder); English paragraphs exercise hyphenated line ends.
"""

from __future__ import annotations

import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"
_MARKER_RE = re.compile(r"\^(?:\{[^}]*\}|[\u2460-\u2473]|\d{1,3})\s*")

ENGLISH = [
    "Artificial intelligence cooperation between the United States and the European "
    "Union is characterised by extraordinarily complicated institutional arrangements, "
    "notwithstanding considerable intergovernmental enthusiasm.",
    "Transatlantic coordination mechanisms, including the Trade and Technology Council, "
    "have institutionalised regulatory conversations about trustworthy systems, "
    "semiconductor supply chains and interoperability of standards.",
    "Nevertheless, the asymmetric distribution of computational capabilities and "
    "divergent regulatory philosophies continue to constrain comprehensive "
    "collaboration, particularly where national-security considerations predominate.",
]


def seed_paragraphs(name: str) -> list[str]:
    text = next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")
    return [line.strip() for line in text.split("\n") if line.strip()]


def seed_notes() -> list[str]:
    """The footnote texts of seed 002 (its lines that start with a marker)."""
    notes = []
    for line in seed_paragraphs("002"):
        if line.startswith("^"):
            text = _MARKER_RE.sub("", line, count=1).strip()
            if len(text) > 20 and "[" not in text and "]" not in text:
                notes.append(text)
    return notes


def with_notes(paragraphs: list[str], notes: list[str], every: int = 2) -> list[str]:
    """Every ``every``-th paragraph gets a note after its first sentence end."""
    out: list[str] = []
    k = 0
    for n, paragraph in enumerate(paragraphs):
        cut = paragraph.find("。")
        if n % every == 1 and 0 < cut < len(paragraph) - 1 and k < len(notes):
            paragraph = paragraph[: cut + 1] + f"[^{notes[k]}]" + paragraph[cut + 1 :]
            k += 1
        out.append(paragraph)
    return out


def article(repeat: int = 1) -> list[str]:
    """Seeds 000 and 004 (their clean bodies), English paragraphs, notes: ``repeat`` times."""
    body = seed_paragraphs("000")[3:] + ENGLISH + seed_paragraphs("004")[3:]
    notes = seed_notes()
    out: list[str] = []
    for _ in range(repeat):
        out += with_notes(body, notes)
    return out
