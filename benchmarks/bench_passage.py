"""Prose wrapped by the line-breaking rules: the cost of a ``Passage`` layout, and
the link review screen's time per key on ``claimmap demo``'s database.

Printed: for a 600-character Chinese passage with 90 styled ranges, its
conversion to Textual's Content (done on update, as for any Static), the first
layout at a width (ICU break opportunities, wrap, slicing the styled content),
a layout at another width, and a width already laid out (the
cache every render and height query hits); then the review screen at 120x36,
median and p95 time to show the next pair (both passages laid out anew and the
screen painted) over ``--pairs``, by wall clock and by CPU time (the process's
own, steadier on a loaded machine).  Goal: under 16 ms.  Wall-clock figures on a shared machine vary; this
prints, it does not assert.

    python benchmarks/bench_passage.py [--pairs 100]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import timeit
from pathlib import Path

# Run as a script, its folder is on sys.path: the headless settle is shared.
from bench_tui import settle
from rich.text import Text
from textual.content import Content

from claimmap.cli.demo import build_demo
from claimmap.tui.app import make_app
from claimmap.tui.screens.review import ReviewScreen
from claimmap.tui.widgets.passage import WrappedText

SENTENCE = "美日两国的人工智能合作（以下简称“合作”）始于2022年，带有明显的对华竞争色彩，旨在遏制中国技术发展。"
PASSAGE_CHARS = 600
RUNS = 200


def passage() -> Text:
    plain = (SENTENCE * (PASSAGE_CHARS // len(SENTENCE) + 1))[:PASSAGE_CHARS]
    text = Text(plain)
    text.stylize("bold", 40, 400)
    for start in range(0, PASSAGE_CHARS, 7):
        text.stylize("underline", start, start + 3)
    return text


def layout_figures() -> None:
    text = passage()
    # What ``Passage.update`` does before any layout (Static resolves the styles).
    convert = timeit.timeit(lambda: Content.from_rich_text(text), number=RUNS) / RUNS
    content = Content.from_rich_text(text)
    first = timeit.timeit(lambda: WrappedText(content).layout(60), number=RUNS) / RUNS
    laid = WrappedText(content)
    laid.layout(60)
    widths = iter(range(10, 10 + RUNS))
    other = timeit.timeit(lambda: laid.layout(next(widths)), number=RUNS) / RUNS
    cached = timeit.timeit(lambda: laid.layout(60), number=RUNS * 10) / (RUNS * 10)
    print(f"passage: {len(text)} characters, {len(text.spans)} styled ranges")
    print(f"Text to Content:      {convert * 1e3:.2f} ms  (on update, as any Static)")
    print(f"first layout:         {first * 1e3:.2f} ms")
    print(f"another width:        {other * 1e3:.2f} ms")
    print(f"width laid out:       {cached * 1e6:.2f} us")


async def review_pairs(path: Path, pairs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds per pair shown, each sorted."""
    app = make_app(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("V")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        while screen.busy:  # the queue is read by a worker
            await app.workers.wait_for_complete()
            await settle(app, pilot)
        assert screen.items
        walls: list[float] = []
        cpus: list[float] = []
        for _ in range(pairs):
            # The next pair as a skip shows it, without the skip's database write
            # (an fsync, which would swamp the figure on a shared disk).
            start, cpu = time.perf_counter(), time.process_time()
            screen.items.append(screen.items.pop(0))
            screen._show()
            await settle(app, pilot)
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
    app.db.close()
    return sorted(walls), sorted(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=100, help="pairs to show")
    args = parser.parse_args()
    layout_figures()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.db"
        build_demo(path)
        walls, cpus = asyncio.run(review_pairs(path, args.pairs))
    print(f"review screen, {len(walls)} pairs shown at 120x36 (goal <= 16 ms):")
    for name, times in (("wall", walls), ("CPU", cpus)):
        median, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
        print(f"per pair {name + ':':<12} median {median * 1e3:.1f} ms, p95 {p95 * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
