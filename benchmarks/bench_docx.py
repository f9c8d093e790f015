"""Word reading rate: ``read_docx`` on a 1,000-paragraph document built from the seeds.

The document has the seeds' paragraphs (Chinese, both scripts) with a footnote
every tenth paragraph, a tracked insertion and deletion every seventh, and a
heading every twentieth (``tests/documents/builders.make_docx``).  Prints
paragraphs/s and MB/s (bytes of the .docx file) for the reader alone, best of
``--repeat`` runs; ``bench_import_docs.py`` reuses ``docx_reading_rate``.

    python benchmarks/bench_docx.py [--paragraphs 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimmap.documents.docx import read_docx
from tests.documents.builders import Block, Heading, make_docx

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def thousand_paragraph_docx(paragraphs: int = 1000) -> bytes:
    """A Word file of ``paragraphs`` paragraphs cycled from the seeds, with notes and changes."""
    source = [
        line.strip()
        for path in sorted(SEEDS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").split("\n")
        if len(line.strip()) > 20
    ]
    blocks: list[Block] = []
    footnotes: dict[str, str] = {}
    for k in range(paragraphs):
        text = source[k % len(source)]
        if k % 20 == 0:
            blocks.append(Heading(f"第{k // 20 + 1}节 {text[:12]}", 1))
            continue
        if k % 10 == 1:
            footnotes[str(k)] = f"注释{k}:{source[(k + 7) % len(source)][:60]}"
            text += f"{{fn:{k}}}"
        if k % 7 == 3:
            text = f"{text[:10]}{{ins:(补充)}}{text[10:]}{{del:(删去)}}"
        blocks.append(text)
    return make_docx(blocks, footnotes, title="基准文档", author="claimmap")


def docx_reading_rate(paragraphs: int = 1000, repeat: int = 3) -> tuple[float, float]:
    """(paragraphs/s, MB/s) of ``read_docx`` on the generated document; prints both."""
    raw = make_docx_cached(paragraphs)
    best = float("inf")
    best_cpu = float("inf")
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        document = read_docx(raw, "bench.docx")
        best = min(best, time.perf_counter() - began)
        best_cpu = min(best_cpu, time.process_time() - began_cpu)
    read = document.body.count("\n\n") + 1
    rate = read / best
    mb_per_s = len(raw) / 1e6 / best
    # CPU time too: on a shared machine the wall clock mostly measures the neighbours.
    print(
        f"read_docx: {read} paragraphs, {len(document.notes)} notes, {len(raw) / 1e6:.2f} MB "
        f"in {best * 1000:.0f} ms wall ({best_cpu * 1000:.0f} ms CPU): {rate:,.0f} paragraphs/s, "
        f"{mb_per_s:.2f} MB/s; per CPU-second {read / best_cpu:,.0f} paragraphs/s, "
        f"{len(raw) / 1e6 / best_cpu:.2f} MB/s"
    )
    return rate, mb_per_s


_BUILT: dict[int, bytes] = {}


def make_docx_cached(paragraphs: int) -> bytes:
    if paragraphs not in _BUILT:
        _BUILT[paragraphs] = thousand_paragraph_docx(paragraphs)
    return _BUILT[paragraphs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    docx_reading_rate(args.paragraphs, args.repeat)


if __name__ == "__main__":
    main()
