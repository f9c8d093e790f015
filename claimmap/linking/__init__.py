"""Claim linking: find the same claim stated in different articles.

Pure Python (plus rapidfuzz/numpy): no database, no Textual.  ``LinkIndex`` is
the entry point; ``claims.components`` turns confirmed links into claims.
"""

from claimmap.linking.claims import components
from claimmap.linking.engine import DEFAULT_THRESHOLD, LinkIndex, ScoredPair, SpanItem
from claimmap.linking.keys import AliasTable, span_key
from claimmap.linking.scoring import CorpusStats, score_keys

__all__ = [
    "DEFAULT_THRESHOLD",
    "AliasTable",
    "CorpusStats",
    "LinkIndex",
    "ScoredPair",
    "SpanItem",
    "components",
    "score_keys",
    "span_key",
]
