"""A writer process for the crash-safety test: random edits through the services.

    python -m tests.reliability.writer DB LOG SEED [MAX_OPS]

Each operation is written to LOG twice, both lines fsynced: an ``intent`` line
*before* the service is called, and an ``ack`` line *after* it returned (the
write unit has committed by then).  The parent SIGKILLs this process at a random
moment; the database must then hold every acked operation, and at most the one
operation whose intent has no ack, applied whole or not at all.

Operations never repeat a range that already holds a span (the service would
merge into it) and never remove a span's last tag, so every call is valid and
its effect is fully determined by the intent line; see ``crash.apply``.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path
from typing import Any, TextIO

from claimmap.services.annotating import annotate_range, change_tags, delete_span, set_note
from claimmap.services.linking import set_pair_status
from claimmap.store import open_db

TAGS = ("motive", "limitation", "impact", "recommendation")
NOTES = ("需要核实", "与 002 的说法一致", "重要 😊 𠀀", "", "see §3")


def _log(fh: TextIO, record: dict[str, Any]) -> None:
    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    fh.flush()
    os.fsync(fh.fileno())


class Writer:
    def __init__(self, db_path: Path, rng: random.Random) -> None:
        self.db = open_db(db_path)
        self.rng = rng
        self.texts = {
            int(i): (str(ref), str(t))
            for i, ref, t in self.db.execute("SELECT id, ref, text FROM articles")
        }
        self.spans: dict[int, tuple[int, int, int, set[str]]] = {}
        for sid, aid, start, end in self.db.execute(
            'SELECT id, article_id, start, "end" FROM spans'
        ):
            tags = {
                str(r[0])
                for r in self.db.execute(
                    "SELECT t.name FROM span_tags st JOIN tags t ON t.id = st.tag_id "
                    "WHERE st.span_id = ?",
                    [sid],
                )
            }
            self.spans[int(sid)] = (int(aid), int(start), int(end), tags)

    def choose(self) -> dict[str, Any]:
        """The next operation, as the intent to log (valid by construction)."""
        kinds = ["annotate"] * 4
        if self.spans:
            kinds += ["tag", "tag", "note", "note", "delete"]
        if len(self.spans) >= 2:
            kinds += ["link", "link", "link"]
        kind = self.rng.choice(kinds)
        if kind == "annotate":
            return self._choose_annotate()
        span_id = self.rng.choice(sorted(self.spans))
        tags = self.spans[span_id][3]
        if kind == "tag":
            if len(tags) > 1 and self.rng.random() < 0.4:
                return {
                    "op": "tag",
                    "span": span_id,
                    "add": [],
                    "remove": [self.rng.choice(sorted(tags))],
                }
            return {"op": "tag", "span": span_id, "add": [self.rng.choice(TAGS)], "remove": []}
        if kind == "note":
            return {"op": "note", "span": span_id, "body": self.rng.choice(NOTES)}
        if kind == "delete":
            return {"op": "delete", "span": span_id}
        a, b = self.rng.sample(sorted(self.spans), 2)
        status = self.rng.choice(["confirmed", "confirmed", "rejected", "suggested"])
        return {"op": "link", "a": min(a, b), "b": max(a, b), "status": status}

    def _choose_annotate(self) -> dict[str, Any]:
        taken = {(a, s, e) for a, s, e, _ in self.spans.values()}
        while True:
            article_id = self.rng.choice(sorted(self.texts))
            text = self.texts[article_id][1]
            start = self.rng.randrange(0, len(text) - 1)
            end = min(len(text), start + self.rng.randint(1, 80))
            if text[start:end].strip() and (article_id, start, end) not in taken:
                break
        tags = sorted(set(self.rng.sample(TAGS, self.rng.randint(1, 2))))
        note = self.rng.choice((None, None, *NOTES[:3]))
        return {
            "op": "annotate",
            "article_id": article_id,
            "start": start,
            "end": end,
            "tags": tags,
            "note": note,
        }

    def perform(self, op: dict[str, Any]) -> dict[str, Any]:
        """Call the service; return what the ack line records."""
        kind = op["op"]
        if kind == "annotate":
            ref = self.texts[op["article_id"]][0]
            result = annotate_range(
                self.db, ref, op["start"], op["end"], op["tags"], note=op["note"], annotator="crash"
            )
            self.spans[result.id] = (op["article_id"], op["start"], op["end"], set(op["tags"]))
            return {"span": result.id}
        if kind == "tag":
            span = change_tags(self.db, op["span"], op["add"], op["remove"])
            aid, s, e, _ = self.spans[op["span"]]
            self.spans[op["span"]] = (aid, s, e, set(span.tags))
            return {}
        if kind == "note":
            set_note(self.db, op["span"], op["body"], annotator="crash")
            return {}
        if kind == "delete":
            delete_span(self.db, op["span"])
            del self.spans[op["span"]]
            return {}
        if kind == "link":
            # A fixed score: the linker's scoring is not under test and costs an index build.
            set_pair_status(self.db, op["a"], op["b"], op["status"], score=50.0)
            return {}
        raise ValueError(f"unknown operation {kind}")


def main(argv: list[str]) -> int:
    db_path, log_path, seed = Path(argv[0]), Path(argv[1]), int(argv[2])
    max_ops = int(argv[3]) if len(argv) > 3 else 10**9
    writer = Writer(db_path, random.Random(seed))
    with log_path.open("a", encoding="utf-8") as fh:
        _log(fh, {"start": os.getpid()})
        for n in range(max_ops):
            op = writer.choose()
            _log(fh, {"intent": op, "n": n})
            extra = writer.perform(op)
            _log(fh, {"ack": n, **extra})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
