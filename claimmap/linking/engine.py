"""``LinkIndex``: score span pairs across articles, in bulk and one span at a time."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from claimmap.linking.blocking import IntArray, chunks, cosine_join, unique_sorted
from claimmap.linking.keys import (
    AliasTable,
    feature_codes,
    is_number_code,
    numbers,
    span_key,
)
from claimmap.linking.scoring import (
    FloatArray,
    SparseProfiles,
    combine_many,
    cosine_floor,
    idf_weights,
    pair_dots,
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

    Features are integer codes (``keys.feature_codes``) mapped to dense ids, and
    profiles are CSR arrays (``SparseProfiles``), so building and bulk scoring are
    numpy operations (the pair join is compiled, ``blocking.cosine_join``) rather
    than Python loops per span or pair.
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
        for span_id, article_id, text in items:
            if span_id in self._pos:
                raise ValueError(f"span {span_id} is already indexed")
            self._pos[span_id] = len(self._ids)
            self._ids.append(span_id)
            self._articles.append(article_id)
            self._keys.append(span_key(text, self.aliases))
        n = len(self._ids)
        self._tokens: dict[str, int] = {}
        codes, rows = feature_codes(self._keys, self._tokens)
        vocab_codes, _ = unique_sorted(codes)
        fids = np.searchsorted(vocab_codes, codes)
        v = max(1, len(vocab_codes))
        # One entry per (span, feature), sorted by span then feature id.
        entry, _ = unique_sorted(rows * v + fids)
        rows, feats = entry // v, entry % v
        del codes, fids, entry
        # Feature code -> dense id (ids follow code order; later spans append).
        self._vocab: dict[int, int] = dict(
            zip(vocab_codes.tolist(), range(len(vocab_codes)), strict=True)
        )
        self._df = np.bincount(feats, minlength=len(vocab_codes)).astype(np.int64)
        self._is_num = is_number_code(vocab_codes)
        weights = idf_weights(feats, rows, n, self._df, n)
        indptr = np.searchsorted(rows, np.arange(n + 1)).astype(np.int64)
        self._base = SparseProfiles(indptr, feats, weights, self._is_num)
        # Spans added after construction: their rows (features, weights).
        self._added: list[tuple[IntArray, FloatArray]] = []
        self._sp_cache: SparseProfiles | None = self._base
        self._columns_cache: tuple[IntArray, IntArray] | None = None
        self._build_postings(rows, feats)

    # -- construction -------------------------------------------------------

    def _build_postings(self, rows: IntArray, feats: IntArray) -> None:
        """CSR inverted index over all features, for ``similar``."""
        order = np.argsort(feats, kind="stable")  # spans stay sorted within a list
        self._post_spans = rows[order]
        self._post_start = np.searchsorted(feats[order], np.arange(len(self._vocab) + 1))
        # Spans added after the build: feature id -> positions (small, scanned linearly).
        self._extra: dict[int, list[int]] = {}

    def _codes(self, key: str) -> list[int]:
        codes, _ = feature_codes([key], self._tokens)
        return sorted(set(codes.tolist()))

    def _weights(self, fids: IntArray, n_unseen: int = 0) -> FloatArray:
        """L2-normalised IDF weights with the current statistics.

        ``n_unseen`` features outside the vocabulary weigh the most and count in
        the norm (they can match nothing).
        """
        n = len(self._ids)
        idf = np.log((n + 1) / (self._df[fids].astype(np.float64) + 1.0)) + 1.0
        unseen = math.log(n + 1) + 1.0
        norm = math.sqrt(float(np.sum(idf * idf)) + n_unseen * unseen * unseen) or 1.0
        out: FloatArray = idf / norm
        return out

    def add(self, item: SpanItem | tuple[int, int, str]) -> None:
        """Index one more span without rebuilding (what the UI does after tagging)."""
        span_id, article_id, text = item
        if span_id in self._pos:
            raise ValueError(f"span {span_id} is already indexed")
        key = span_key(text, self.aliases)
        vocab = self._vocab
        fids = np.asarray(
            sorted(vocab.setdefault(c, len(vocab)) for c in self._codes(key)), dtype=np.int64
        )
        grow = len(vocab) - len(self._df)
        if grow > 0:
            new_codes = np.asarray(list(vocab)[-grow:], dtype=np.int64)
            self._df = np.concatenate([self._df, np.zeros(grow, np.int64)])
            self._is_num = np.concatenate([self._is_num, is_number_code(new_codes)])
        pos = len(self._ids)
        self._pos[span_id] = pos
        self._ids.append(span_id)
        self._articles.append(article_id)
        self._keys.append(key)
        self._df[fids] += 1
        # The new span's own weights use the updated statistics.
        self._added.append((fids, self._weights(fids)))
        self._sp_cache = None
        self._columns_cache = None
        for f in fids.tolist():
            self._extra.setdefault(f, []).append(pos)

    def _profiles(self) -> SparseProfiles:
        """CSR profiles of every span, base and added (cached until the next add)."""
        if self._sp_cache is None:
            base = self._base
            lengths = np.array([len(f) for f, _ in self._added], dtype=np.int64)
            indptr = np.concatenate([base.indptr, base.indptr[-1] + np.cumsum(lengths)])
            feats = np.concatenate([base.feats, *(f for f, _ in self._added)])
            weights = np.concatenate([base.weights, *(w for _, w in self._added)])
            self._sp_cache = SparseProfiles(indptr, feats, weights, self._is_num)
        return self._sp_cache

    def _columns(self) -> tuple[IntArray, IntArray]:
        """Span ids and article ids by position, as arrays (cached until the next add:
        converting the lists on every ``similar`` call was a fifth of its time)."""
        if self._columns_cache is None:
            self._columns_cache = (
                np.asarray(self._ids, dtype=np.int64),
                np.asarray(self._articles, dtype=np.int64),
            )
        return self._columns_cache

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, span_id: object) -> bool:
        """Whether ``span_id`` is indexed (services use this before ``similar``/``score``)."""
        return span_id in self._pos

    def article_of(self, span_id: int) -> int:
        return self._articles[self._pos[span_id]]

    def key(self, span_id: int) -> str:
        return self._keys[self._pos[span_id]]

    # -- scoring ------------------------------------------------------------

    def _score_positions(self, left: IntArray, right: IntArray, ratios: FloatArray) -> FloatArray:
        """Final scores of position pairs whose ``fuzz.ratio`` is known."""
        sp = self._profiles()
        cos, shared = pair_dots(sp, sp.codes(), left, right)
        has_num = sp.has_num()
        conflict = has_num[left] & has_num[right] & ~shared
        return combine_many(ratios, cos, conflict)

    # -- bulk ---------------------------------------------------------------

    def pairs(self, threshold: float = DEFAULT_THRESHOLD) -> list[ScoredPair]:
        """Cross-article pairs scoring at least ``threshold``, best first."""
        n = len(self._ids)
        if n < 2:
            return []
        articles = np.asarray(self._articles, dtype=np.int64)
        sp = self._profiles()
        left, right, cos, shared_num = cosine_join(sp, articles, cosine_floor(threshold) / 100.0)
        # The cosine and number penalty bound the score with a perfect ratio;
        # only pairs that can still reach the threshold get the exact ratio
        # (rapidfuzz on CJK keys, the slowest step per pair).
        has_num = sp.has_num()
        conflict = has_num[left] & has_num[right] & ~shared_num
        hope = combine_many(np.full(len(cos), 100.0), cos, conflict) >= threshold
        cands = np.stack([left[hope], right[hope]], axis=1)
        cos, conflict = cos[hope], conflict[hope]
        keys = np.empty(len(self._keys), dtype=object)
        keys[:] = self._keys
        ratios = np.zeros(len(cands), np.float64)
        for sl in chunks(len(cands)):
            part = cands[sl]
            ratios[sl] = process.cpdist(
                keys[part[:, 0]].tolist(),
                keys[part[:, 1]].tolist(),
                scorer=fuzz.ratio,
                # The lowest ratio any pair of the batch needs.
                score_cutoff=ratio_floor(threshold, float(cos[sl].max())),
                workers=-1,
                dtype=np.float64,
            )
        scores = combine_many(ratios, cos, conflict)
        ok = scores >= threshold
        ids = np.asarray(self._ids, dtype=np.int64)
        a = ids[cands[ok, 0]]
        b = ids[cands[ok, 1]]
        s = scores[ok]
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        order = np.lexsort((hi, lo, -s))
        return [
            ScoredPair(x, y, z)
            for x, y, z in zip(
                lo[order].tolist(), hi[order].tolist(), s[order].tolist(), strict=True
            )
        ]

    # -- one span -----------------------------------------------------------

    def score(self, a: int, b: int) -> float:
        return self.scores(a, [b])[0]

    def scores(self, span_id: int, others: Sequence[int]) -> list[float]:
        """``score(span_id, o)`` for each of ``others``, in one vectorised call (a
        call per pair pays the per-call set-up hundreds of times)."""
        if not others:
            return []
        p = self._pos[span_id]
        q = np.asarray([self._pos[o] for o in others], dtype=np.int64)
        ratios = process.cdist(
            [self._keys[p]],
            [self._keys[i] for i in q.tolist()],
            scorer=fuzz.ratio,
            dtype=np.float64,
        )[0]
        scored = self._score_positions(np.minimum(q, p), np.maximum(q, p), ratios)
        return [float(x) for x in scored]

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
        sp = self._profiles()
        if span_id is not None:
            pos = self._pos[span_id]
            qkey = self._keys[pos]
            own_article = self._articles[pos]
            lo, hi = int(sp.indptr[pos]), int(sp.indptr[pos + 1])
            qf, qw = sp.feats[lo:hi], sp.weights[lo:hi]
        elif text is not None:
            qkey = span_key(text, self.aliases)
            own_article = article_id if article_id is not None else -1
            codes = self._codes(qkey)
            qf = np.asarray(sorted(self._vocab[c] for c in codes if c in self._vocab), np.int64)
            qw = self._weights(qf, n_unseen=len(codes) - len(qf))
            pos = -1
        else:
            raise ValueError("give span_id or text")
        cand = self._candidates(qf)
        all_ids, articles = self._columns()
        cand = cand[(articles[cand] != own_article) & (cand != pos)]
        if len(cand) == 0:
            return []
        ratios = process.cdist(
            [qkey], [self._keys[c] for c in cand.tolist()], scorer=fuzz.ratio, dtype=np.float64
        )[0]
        # Query against many: a dense query vector, the candidates' rows expanded.
        dense = np.zeros(len(self._vocab), np.float64)
        dense[qf] = qw
        counts = sp.indptr[cand + 1] - sp.indptr[cand]
        owner = np.repeat(np.arange(len(cand)), counts)
        starts = np.cumsum(counts) - counts
        entry = np.arange(int(counts.sum())) - starts[owner] + sp.indptr[cand][owner]
        f = sp.feats[entry]
        dots = np.bincount(owner, weights=dense[f] * sp.weights[entry], minlength=len(cand))
        cos = (100.0 * dots).astype(np.float64)
        is_num = self._is_num[f]
        shared = np.bincount(owner, weights=(dense[f] > 0) & is_num, minlength=len(cand)) > 0
        cand_num = np.bincount(owner, weights=is_num, minlength=len(cand)) > 0
        scores = combine_many(ratios, cos, bool(numbers(qkey)) & cand_num & ~shared)
        ids = all_ids[cand]
        order = np.lexsort((ids, -scores))[:top_k]
        return [(int(ids[k]), float(scores[k])) for k in order]

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
