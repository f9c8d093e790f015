"""Argument-map benchmark: 10,000 claims and 20,000 relations.

Generates the corpus straight into a temporary database (bench_export's
articles, spans and claims, then relations between spans of different claims,
all bulk inserts), then times: the map for one claim as the app's map screen
builds it (read the map, walk it both ways), the HTML report with its argument
map, and the Argdown, AIF and DOT exports.  Goal: <= 5 s each.

First it prints how readable the bundled demo's map is (``demo_map.py``): edge
crossings, the drawing's size, and overlapping boxes and labels; then it times the map of
a dense part of a corpus; ``--demo-only`` stops there.

    python benchmarks/bench_argument.py [--claims N] [--relations N] [--depth D] [--demo-only]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_export import STAMP, generate
from demo_map import print_demo_figures
from sqlite_utils import Database

from claimmap.argument_graph import explore
from claimmap.exporters.argument_svg import argument_section
from claimmap.services import exporting
from claimmap.services.argument_export import export_argument
from claimmap.services.argument_map import load_map
from claimmap.store import open_db, write_unit


def add_relations(db: Database, n_relations: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    spans = [(int(s), int(c)) for s, c in db.execute("SELECT id, claim_id FROM spans")]
    seen: set[tuple[int, int, str]] = set()
    rows = []
    while len(rows) < n_relations:
        (a, ca), (b, cb) = rng.choice(spans), rng.choice(spans)
        kind = "supports" if rng.random() < 0.6 else "attacks"
        if ca == cb or (a, b, kind) in seen:
            continue
        seen.add((a, b, kind))
        note = f"note {len(rows)}" if len(rows) % 7 == 0 else None
        rows.append((a, b, kind, "bench", note, STAMP, STAMP))
    with write_unit(db):
        db.conn.executemany(
            "INSERT INTO relations (source, target, type, annotator, note, created_at, "
            "updated_at) VALUES (?,?,?,?,?,?,?)",
            rows,
        )


def time_screen(db_path: Path, hub: int) -> None:
    """The app's map screen, headless: from the key to the tree on screen."""
    import asyncio

    from textual.widgets import Tree

    from claimmap.tui.app import make_app
    from claimmap.tui.screens.argument_map import ArgumentMapScreen

    async def run() -> None:
        app = make_app(db_path)
        async with app.run_test(size=(130, 40)) as pilot:
            first = app.db.execute("SELECT min(id) FROM spans WHERE claim_id = ?", [hub])
            app.goto_span(int(first.fetchone()[0]))
            await pilot.pause()
            t0, c0 = time.perf_counter(), time.process_time()
            await pilot.press("ctrl+g")
            await app.workers.wait_for_complete()
            await pilot.pause()
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            assert isinstance(app.screen, ArgumentMapScreen)
            lines = app.screen.query_one(Tree).last_line + 1
            print(
                f"{'map screen, key to tree (app)':<38} wall {wall:6.2f} s  cpu {cpu:6.2f} s  "
                f"({lines} tree lines)"
            )

    asyncio.run(run())


def measure(label: str, fn: Callable[[], object]) -> object:
    """Wall and CPU time of one run (on a shared machine, wall includes waiting for a core)."""
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    flag = "" if wall <= 5.0 else "  (over the 5 s goal)"
    print(f"{label:<38} wall {wall:6.2f} s  cpu {cpu:6.2f} s{flag}", flush=True)
    return result


def dense_map(claims: int = 60, relations: int = 540, seed: int = 3) -> None:
    """The report's map of a dense part of a corpus (every drawn claim in about 18
    relations): ordering and coordinates grow with the bend points of long edges."""
    from claimmap.argument_graph import ClaimNode, SpanRelation, Wording, build_map

    rng = random.Random(seed)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < relations:
        a, b = rng.sample(range(claims), 2)
        pairs.add((a, b))
    nodes = [ClaimNode(k, None, None, (Wording(k, "a", f"claim {k}", 0),)) for k in range(claims)]
    rels = [SpanRelation(i, a, b, "supports", None) for i, (a, b) in enumerate(sorted(pairs))]
    graph = build_map(nodes, {k: k for k in range(claims)}, rels, dict.fromkeys(range(claims), "a"))
    section = measure(
        f"argument SVG, dense ({claims} claims, {relations} edges)",
        lambda: argument_section(graph, {}),
    )
    assert isinstance(section, dict)
    print(
        f"  {section['width']:.0f} x {section['height']:.0f} px, {section['crossings']} crossings"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--relations", type=int, default=20_000)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--demo-only", action="store_true", help="only the demo map's figures")
    args = parser.parse_args()
    print_demo_figures()
    dense_map()
    if args.demo_only:
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        # Two spans per claim, as in a corpus where most claims recur once.
        generate(db, args.articles, 2 * args.claims, args.claims)
        add_relations(db, args.relations)
        print(
            f"generated {args.claims} claims ({2 * args.claims} spans, {args.articles} "
            f"articles) and {args.relations} relations in {time.perf_counter() - t0:.1f} s"
        )
        graph = load_map(db)
        hub = max(graph.nodes, key=graph.degree)

        def one_claim() -> int:
            levels = explore(load_map(db), hub, args.depth)
            return sum(len(level) for level in levels)

        steps = measure(f"map for one claim (depth {args.depth})", one_claim)
        print(f"  claim #{hub}: {steps} entries over {args.depth} levels")
        measure("  of which: read the map", lambda: load_map(db))
        measure("  of which: walk it", lambda: explore(graph, hub, args.depth))
        time_screen(Path(tmp) / "bench.db", hub)
        colors = {t.name: t.color for t in exporting.list_tags(db)}
        measure("argument SVG (layout, render data)", lambda: argument_section(graph, colors))
        options = exporting.matrix_options(db)
        html = measure(
            "HTML report with the map (end to end)",
            lambda: exporting.export_matrix(db, "html", options),
        )
        assert isinstance(html, bytes) and b"<h2>Argument map</h2>" in html
        for fmt in ("argdown", "aif", "dot"):
            target = Path(tmp) / f"map.{fmt}"
            measure(
                f"export argument --format {fmt}",
                lambda fmt=fmt, target=target: export_argument(db, fmt, target),
            )
            print(f"  {target.stat().st_size / 1e6:.1f} MB")
        db.close()


if __name__ == "__main__":
    main()
