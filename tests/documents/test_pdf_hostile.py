"""Damaged PDFs: truncated or corrupted files give a document or one refusal, never a crash."""

from __future__ import annotations

import random

import pytest

from claimmap.documents.pdf import read_pdf
from claimmap.documents.types import DocumentText, UnreadableDocument
from tests.documents.corpus import ENGLISH
from tests.documents.pdf_builder import Document, build


@pytest.fixture(scope="module")
def sound() -> bytes:
    return build(Document(ENGLISH * 4, page_label_start=3)).pdf


def _read(raw: bytes) -> DocumentText | str:
    try:
        return read_pdf(raw, "hostile.pdf")
    except UnreadableDocument as exc:
        message = str(exc)
        assert message.startswith("hostile.pdf: ") and "\n" not in message
        return message


def test_truncated_pdfs(sound: bytes) -> None:
    outcomes = [_read(sound[:cut]) for cut in range(0, len(sound), max(1, len(sound) // 60))]
    assert any(isinstance(o, str) for o in outcomes)


def test_corrupted_bytes(sound: bytes) -> None:
    rng = random.Random(12)
    for _ in range(60):
        raw = bytearray(sound)
        for _ in range(rng.randint(1, 40)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        outcome = _read(bytes(raw))
        if isinstance(outcome, DocumentText):
            assert all(p.start <= p.end for p in outcome.pages)
