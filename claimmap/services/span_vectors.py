"""Spans' meaning vectors, embedded once and kept in ``span_vectors``.

Embedding costs tens of milliseconds a span on a laptop CPU, against microseconds
for everything else the review queue does, so vectors are cached: a vector is
reused while the span's embedded text (``semantic.meaning_text``) and the model
are the ones it was made from.  New vectors are written in batches, each its own
write unit, so an interrupted first run keeps what it finished.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import numpy as np
from sqlite_utils import Database

from claimmap.linking.semantic import Embedder, FloatArray, meaning_text
from claimmap.store import write_unit

BATCH = 32
Progress = Callable[[int, int], None]  # (embedded so far, to embed)


def span_vectors(
    db: Database,
    span_ids: Sequence[int],
    embedder: Embedder,
    progress: Progress | None = None,
) -> dict[int, FloatArray]:
    """Each span's unit vector, embedding (and storing) those missing or stale."""
    if not span_ids:
        return {}
    wanted = sorted(set(span_ids))
    texts: dict[int, str] = {}  # what is embedded: the quote folded (``meaning_text``)
    cached: dict[int, tuple[str, str, bytes]] = {}
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        marks = ",".join("?" * len(part))
        for sid, quote in db.execute(f"SELECT id, quote FROM spans WHERE id IN ({marks})", part):
            texts[int(sid)] = meaning_text(str(quote))
        for sid, model, digest, blob in db.execute(
            f"SELECT span_id, model, text_sha256, vector FROM span_vectors "
            f"WHERE span_id IN ({marks})",
            part,
        ):
            cached[int(sid)] = (str(model), str(digest), bytes(blob))
    out: dict[int, FloatArray] = {}
    todo: list[tuple[int, str]] = []
    for sid, text in texts.items():
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        hit = cached.get(sid)
        if hit is not None and hit[0] == embedder.model and hit[1] == digest:
            out[sid] = np.frombuffer(hit[2], dtype=np.float32)
        else:
            todo.append((sid, digest))
    for start in range(0, len(todo), BATCH):
        if progress is not None:
            progress(start, len(todo))
        batch = todo[start : start + BATCH]
        vectors = embedder.embed([texts[sid] for sid, _ in batch])
        with write_unit(db):
            for (sid, digest), vector in zip(batch, vectors, strict=True):
                unit = np.ascontiguousarray(vector, dtype=np.float32)
                # The span may have been deleted meanwhile (the app's other writers).
                db.execute(
                    "INSERT INTO span_vectors (span_id, model, text_sha256, vector) "
                    "SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM spans WHERE id = ?) "
                    "ON CONFLICT (span_id) DO UPDATE SET model = excluded.model, "
                    "text_sha256 = excluded.text_sha256, vector = excluded.vector",
                    [sid, embedder.model, digest, unit.tobytes(), sid],
                )
                out[sid] = unit
    if progress is not None and todo:
        progress(len(todo), len(todo))
    return out
