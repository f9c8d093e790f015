"""``LinkIndex``: score span pairs across articles, in bulk and one span at a time."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from claimmap.linking.blocking import (
    IntArray,
    blocking_entries,
    candidate_pairs,
    flatten,
    posting_cap,
    verify_ratio,
)
from claimmap.linking.keys import AliasTable, features, span_key
from claimmap.linking.scoring import (
    CorpusStats,
    Profile,
    combine,
    cosine,
    number_conflict,
    profile,
    ratio_floor,
)

# Chosen on the dev set (bench_link_quality.py): keeps every lexical pair and
# precision >= 0.8 there, with a margin below the lowest lexical pair's score.
DEFAULT_THRESHOLD = 40.0

# similar(): how many postings to scan and how many candidates to score exactly.
# Rare n-grams are scanned first, so a budget cut only skips common ones.
SIMILAR_POSTINGS_BUDGET = 60_000
SIMILAR_RESCORE = 400


class SpanItem(NamedTuple):
    span_id: int
    article_id: int
    text: str


class ScoredPair(NamedTuple):
    a: int  # span id, a < b
    b: int
    score: float


class LinkIndex:
    """All spans of a corpus, ready to be linked.

    IDF statistics are taken from the spans given at construction; spans added
    later update the document frequencies but existing profiles keep their
    weights (re-weighting 100k profiles for one span would cost seconds and move
    scores by a negligible amount).  Rebuild the index to refresh them.
    """

    def __init__(
        self,
        items: Iterable[SpanItem | tuple[int, int, str]],
        aliases: AliasTable | Iterable[tuple[str, str]] | None = None,
    ) -> None:
        self.aliases = aliases if isinstance(aliases, AliasTable) else AliasTable(aliases or ())
        self._ids: list[int] = []
        self._articles: list[int] = []
        self._keys: list[str] = []
        self._pos: dict[int, int] = {}
        raw: list[tuple[int, int, str]] = []
        for span_id, article_id, text in items:
            raw.append((span_id, article_id, span_key(text, self.aliases)))
        self.stats = CorpusStats.from_keys(k for _, _, k in raw)
        self._vocab: dict[str, int] = {}
        self._feats: list[IntArray] = []
        self._profiles: list[Profile] = []
        for span_id, article_id, key in raw:
            self._append(span_id, article_id, key)
        self._build_postings()

    # -- construction -------------------------------------------------------

    def _feature_ids(self, key: str) -> IntArray:
        vocab = self._vocab
        ids = {vocab.setdefault(f, len(vocab)) for f in features(key)}
        return np.fromiter(ids, dtype=np.int64, count=len(ids))

    def _append(self, span_id: int, article_id: int, key: str) -> None:
        if span_id in self._pos:
            raise ValueError(f"span {span_id} is already indexed")
        self._pos[span_id] = len(self._ids)
        self._ids.append(span_id)
        self._articles.append(article_id)
        self._keys.append(key)
        self._feats.append(self._feature_ids(key))
        self._profiles.append(profile(key, self.stats))

    def _build_postings(self) -> None:
        """CSR inverted index over all features, for ``similar``."""
        feats, spans = flatten(self._feats)
        order = np.lexsort((spans, feats))
        self._post_spans = spans[order]
        self._post_start = np.searchsorted(feats[order], np.arange(len(self._vocab) + 1))
        self._df = np.bincount(feats, minlength=len(self._vocab)).astype(np.int64)
        self._n_posted = len(self._ids)
        # Spans added after the build: feature id -> positions (small, scanned linearly).
        self._extra: dict[int, list[int]] = {}

    def add(self, item: SpanItem | tuple[int, int, str]) -> None:
        """Index one more span without rebuilding (what the UI does after tagging)."""
        span_id, article_id, text = item
        key = span_key(text, self.aliases)
        self.stats.add(key)
        self._append(span_id, article_id, key)
        pos = len(self._ids) - 1
        grow = len(self._vocab) - len(self._df)
        if grow > 0:
            self._df = np.concatenate([self._df, np.zeros(grow, np.int64)])
        fids = self._feats[pos]
        self._df[fids] += 1
        for f in fids.tolist():
            self._extra.setdefault(f, []).append(pos)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, span_id: object) -> bool:
        """Whether ``span_id`` is indexed (services use this before ``similar``/``score``)."""
        return span_id in self._pos

    def key(self, span_id: int) -> str:
        return self._keys[self._pos[span_id]]

    # -- bulk ---------------------------------------------------------------

    def pairs(self, threshold: float = DEFAULT_THRESHOLD) -> list[ScoredPair]:
        """Cross-article pairs scoring at least ``threshold``, best first."""
        n = len(self._ids)
        if n < 2:
            return []
        articles = np.asarray(self._articles, dtype=np.int64)
        feats, spans = flatten(self._feats)
        df = np.bincount(feats, minlength=len(self._vocab)).astype(np.int64)
        kf, ks = blocking_entries(feats, spans, df, posting_cap(n))
        cands = candidate_pairs(kf, ks, articles)
        kept, ratios = verify_ratio(self._keys, cands, ratio_floor(threshold))
        out: list[ScoredPair] = []
        profiles = self._profiles
        ids = self._ids
        for (i, j), r in zip(kept.tolist(), ratios.tolist(), strict=True):
            pa, pb = profiles[i], profiles[j]
            s = combine(r, cosine(pa, pb), number_conflict(pa, pb))
            if s >= threshold:
                a, b = ids[i], ids[j]
                out.append(ScoredPair(a, b, s) if a < b else ScoredPair(b, a, s))
        out.sort(key=lambda p: (-p.score, p.a, p.b))
        return out

    # -- one span -----------------------------------------------------------

    def score(self, a: int, b: int) -> float:
        pa, pb = self._profiles[self._pos[a]], self._profiles[self._pos[b]]
        return combine(fuzz.ratio(pa.key, pb.key), cosine(pa, pb), number_conflict(pa, pb))

    def similar(
        self,
        span_id: int | None = None,
        *,
        text: str | None = None,
        article_id: int | None = None,
        top_k: int = 5,
    ) -> list[tuple[int, float]]:
        """The ``top_k`` best spans of other articles for an indexed span or a text.

        Whatever the threshold: this is the side panel's candidate list.
        """
        if span_id is not None:
            pos = self._pos[span_id]
            query = self._profiles[pos]
            own_article = self._articles[pos]
            qfeats = self._feats[pos]
        elif text is not None:
            key = span_key(text, self.aliases)
            query = profile(key, self.stats)
            own_article = article_id if article_id is not None else -1
            qfeats = np.fromiter(
                {self._vocab[f] for f in features(key) if f in self._vocab}, dtype=np.int64
            )
            pos = -1
        else:
            raise ValueError("give span_id or text")
        cand = self._candidates(qfeats)
        articles = np.asarray(self._articles, dtype=np.int64)
        cand = cand[(articles[cand] != own_article) & (cand != pos)]
        if len(cand) == 0:
            return []
        ratios = process.cdist(
            [query.key], [self._keys[c] for c in cand.tolist()], scorer=fuzz.ratio, dtype=np.float64
        )[0]
        scored: list[tuple[float, int]] = []
        for c, r in zip(cand.tolist(), ratios.tolist(), strict=True):
            p = self._profiles[c]
            scored.append((combine(r, cosine(query, p), number_conflict(query, p)), c))
        scored.sort(key=lambda t: (-t[0], self._ids[t[1]]))
        return [(self._ids[c], s) for s, c in scored[:top_k]]

    def _candidates(self, qfeats: IntArray) -> IntArray:
        """Spans sharing the query's features, ranked by shared IDF weight."""
        n = len(self._ids)
        if n <= SIMILAR_RESCORE:
            # Small corpus: score everything, so top_k is filled whatever the overlap.
            return np.arange(n, dtype=np.int64)
        if len(qfeats) == 0:
            return np.zeros(0, np.int64)
        qfeats = qfeats[np.argsort(self._df[qfeats], kind="stable")]
        idf = np.log((n + 1) / (self._df[qfeats] + 1)) + 1.0
        chunks: list[IntArray] = []
        weights: list[npt.NDArray[np.float64]] = []
        budget = SIMILAR_POSTINGS_BUDGET
        for f, w in zip(qfeats.tolist(), idf.tolist(), strict=True):
            if f + 1 < len(self._post_start):
                post = self._post_spans[self._post_start[f] : self._post_start[f + 1]]
            else:
                post = np.zeros(0, np.int64)
            extra = self._extra.get(f)
            if extra:
                post = np.concatenate([post, np.asarray(extra, dtype=np.int64)])
            if budget <= 0 and chunks:
                break
            budget -= len(post)
            chunks.append(post)
            weights.append(np.full(len(post), w))
        allp = np.concatenate(chunks)
        acc = np.bincount(allp, weights=np.concatenate(weights), minlength=n)
        hit = np.flatnonzero(acc)
        if len(hit) > SIMILAR_RESCORE:
            top = np.argpartition(-acc[hit], SIMILAR_RESCORE)[:SIMILAR_RESCORE]
            hit = hit[top]
        return hit.astype(np.int64)
