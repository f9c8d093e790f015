"""The compiled inner loop of ``blocking.cosine_join`` (numba).

Kept apart so that only ``claimmap link`` pays for importing and compiling numba
(the compiled code is cached on disk after the first run).  See ``blocking.py``
for what the arrays mean and why the loop is exact.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@numba.njit(nogil=True, cache=True)
def join_rows(
    lo: int,
    hi: int,
    indptr: IntArray,
    feats: IntArray,
    weights: FloatArray,
    is_num: BoolArray,
    pre_indptr: IntArray,
    pre_feats: IntArray,
    pre_norms: FloatArray,
    list_indptr: IntArray,
    list_spans: IntArray,
    list_norms: FloatArray,
    list_weights: FloatArray,
    articles: IntArray,
    min_cos: float,
    scan_cos: float,
    slack: float,
) -> tuple[IntArray, IntArray, FloatArray, BoolArray]:
    """Pairs (a, b), ``lo <= a < hi``, ``a < b``, of different articles, with cosine >= ``min_cos``.

    Returns left, right, cosine (0-100) and "share a number".
    """
    n = len(indptr) - 1
    dense = np.zeros(len(is_num), np.float64)
    seen = np.full(n, -1, np.int64)
    acc = np.zeros(n, np.float64)
    cands = np.empty(n, np.int64)
    cap = 1024
    out_a = np.empty(cap, np.int64)
    out_b = np.empty(cap, np.int64)
    out_cos = np.empty(cap, np.float64)
    out_num = np.empty(cap, np.bool_)
    m = 0
    for a in range(lo, hi):
        for k in range(indptr[a], indptr[a + 1]):
            dense[feats[k]] = weights[k]
        n_cands = 0
        for e in range(pre_indptr[a], pre_indptr[a + 1]):
            need = scan_cos / pre_norms[e] - slack
            f = pre_feats[e]
            wa = dense[f]
            for p in range(list_indptr[f], list_indptr[f + 1]):
                if list_norms[p] < need:
                    break  # the list is sorted by norm, descending
                b = list_spans[p]
                if b > a and articles[b] != articles[a]:
                    if seen[b] != a:
                        seen[b] = a
                        acc[b] = 0.0
                        cands[n_cands] = b
                        n_cands += 1
                    acc[b] += wa * list_weights[p]
        for c in range(n_cands):
            b = cands[c]
            # What the scan did not see is below scan_cos (see cosine_join).
            if acc[b] < min_cos - scan_cos - slack:
                continue
            dot = 0.0
            num = False
            for k in range(indptr[b], indptr[b + 1]):
                w = dense[feats[k]]
                if w > 0.0:
                    dot += w * weights[k]
                    if is_num[feats[k]]:
                        num = True
            if dot >= min_cos - slack:
                if m == cap:
                    cap *= 2
                    out_a = _grow(out_a, cap)
                    out_b = _grow(out_b, cap)
                    out_cos = _grow(out_cos, cap)
                    out_num = _grow(out_num, cap)
                out_a[m] = a
                out_b[m] = b
                out_cos[m] = 100.0 * dot
                out_num[m] = num
                m += 1
        for k in range(indptr[a], indptr[a + 1]):
            dense[feats[k]] = 0.0
    return out_a[:m], out_b[:m], out_cos[:m], out_num[:m]


@numba.njit(nogil=True, cache=True)
def _grow(a: npt.NDArray[Any], cap: int) -> npt.NDArray[Any]:
    """``a`` copied into a longer array (numba compiles one version per dtype)."""
    out = np.empty(cap, a.dtype)
    out[: len(a)] = a
    return out
