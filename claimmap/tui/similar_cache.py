"""The linker index behind the side panel, kept current by edits without a full rebuild.

Building the index reads and profiles every span: seconds on a large corpus.  After
an edit only the touched spans are looked at: a new span is added to the index
(``LinkIndex.add``), a tag change leaves it alone, and only a span whose text
changed or vanished forces a rebuild (the index cannot drop a span).

The lookups run in worker threads, each with its own connection, and an exclusive
worker that was superseded may still be running: one lock serialises index use.
No Textual here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlite_utils import Database

if TYPE_CHECKING:
    from claimmap.linking.engine import LinkIndex
    from claimmap.services.linking import Similar


class SimilarCache:
    """Answers "which spans elsewhere state this?" for the span under the cursor."""

    def __init__(self) -> None:
        self._index: LinkIndex | None = None
        self._touched: set[int] = set()
        self._lock = threading.Lock()
        self.builds = 0
        """How many times the whole index was built (tests check edits do not rebuild)."""

    def touched(self, span_ids: Iterable[int]) -> None:
        """Spans created, edited or deleted since the last lookup."""
        with self._lock:
            self._touched.update(span_ids)

    def invalidate(self) -> None:
        with self._lock:
            self._index = None

    def similar(
        self, db: Database, span_id: int, top: int = 5, annotator: str | None = None
    ) -> list[Similar]:
        from claimmap.services import linking

        with self._lock:
            index = self._current(db)
            return linking.similar(db, span_id, top=top, index=index, annotator=annotator)

    def _current(self, db: Database) -> LinkIndex:
        from claimmap.linking.keys import span_key
        from claimmap.services import linking

        touched, self._touched = self._touched, set()
        index = self._index
        if index is not None and touched:
            ids = sorted(touched)
            rows = {item.span_id: item for item in linking.linkable_items(db, ids)}
            for span_id in ids:
                item = rows.get(span_id)
                if span_id in index:
                    if item is None or span_key(item.text, index.aliases) != index.key(span_id):
                        index = None
                        break
                elif item is not None:
                    index.add(item)
        if index is None:
            index = linking.build_index(db)
            self.builds += 1
        self._index = index
        return index
