"""Document import throughput: a 100-page PDF and a 1,000-paragraph Word file,
each read and imported.

The PDF is typeset by the script (tests/documents/pdf_builder.py: the seeds'
Chinese and English paragraphs, running headers, page numbers, footnotes with
superscript markers, a two-column page in every ten).  Prints, as the median of
``--runs`` runs, the time of the PDF reader alone (``read_pdf``: glyph runs,
furniture, footnotes, columns, paragraphs) and of the whole ``import_paths``
call (reader, canonical text, segmentation, storing), in pages/s and MB/s.
Goal: >= 50 pages/s for a text PDF on this machine.  A second PDF is a Word file
saved as PDF by LibreOffice (``tests/documents/data/libreoffice_word.pdf``, its
pages repeated), whose fonts are embedded as in real documents.  The typeset PDF's
Chinese font is not embedded (reportlab's built-in ``STSong-Light``), so where a
system CJK font is installed PDFium loads it as a substitute on every page: that
PDF reads at about a third of the speed there (45 against 165 pages per CPU-second
with and without fonts-noto-cjk, measured), which real, font-embedding PDFs do not
pay.  The Word file
(``bench_docx.thousand_paragraph_docx``: the seeds' paragraphs with footnotes,
tracked changes and headings) gets the same two rows in paragraphs/s and MB/s.

    python benchmarks/bench_import_docs.py [--pages 100] [--runs 3] [--profile]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
from pathlib import Path

import pypdfium2
from bench_docx import thousand_paragraph_docx

from claimmap.documents.docx import read_docx
from claimmap.documents.pdf import read_pdf
from claimmap.services.importing import import_paths
from claimmap.store import open_db
from tests.documents.corpus import article
from tests.documents.pdf_builder import Built, Document, build

GOAL_PAGES_PER_S = 50.0
OFFICE_FIXTURE = (
    Path(__file__).resolve().parent.parent / "tests/documents/data/libreoffice_word.pdf"
)


def build_pdf(pages: int) -> tuple[Built, int]:
    """A PDF of at least ``pages`` pages (the article repeated), and its page count."""
    repeat = 1
    while True:
        spec = Document(article(repeat), two_column_pages=frozenset(range(3, 10 * pages, 10)))
        built = build(spec)
        count = len(read_pdf(built.pdf, "bench.pdf").pages)
        if count >= pages:
            return built, count
        repeat = max(repeat + 1, int(repeat * pages / max(count, 1)))


def _median(samples: list[tuple[float, float]], which: int) -> float:
    return statistics.median(s[which] for s in samples)


def _time_docx(
    tmp: Path, runs: int
) -> tuple[bytes, int, list[tuple[float, float]], list[tuple[float, float]]]:
    """The Word file, its paragraph count, and (wall, CPU) of reading and importing it."""
    raw = thousand_paragraph_docx(1000)
    path = tmp / "paper.docx"
    path.write_bytes(raw)
    reads: list[tuple[float, float]] = []
    imports: list[tuple[float, float]] = []
    paragraphs = 0
    for run in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        document = read_docx(raw, path.name)
        reads.append((time.perf_counter() - t0, time.process_time() - c0))
        paragraphs = document.body.count("\n\n") + 1
        db = open_db(tmp / f"docx{run}.db")
        t0, c0 = time.perf_counter(), time.process_time()
        items = import_paths(db, [str(path)])
        imports.append((time.perf_counter() - t0, time.process_time() - c0))
        assert [i.status for i in items] == ["imported"], items
    return raw, paragraphs, reads, imports


def _table(
    unit: str,
    count: int,
    mb: float,
    reader: str,
    reads: list[tuple[float, float]],
    imports: list[tuple[float, float]],
) -> None:
    """The reader's and the whole import's median times, as units and MB per second."""
    print(
        f"  {'stage':<28} {'wall s':>7} {unit + '/s':>8} {'MB/s':>6}"
        f" {'CPU s':>7} {unit + '/CPU-s':>12} {'MB/CPU-s':>9}"
    )
    for label, samples in ((reader, reads), ("import (read, clean, store)", imports)):
        wall, cpu = _median(samples, 0), _median(samples, 1)
        print(
            f"  {label:<28} {wall:7.3f} {count / wall:8.1f} {mb / wall:6.2f}"
            f" {cpu:7.3f} {count / cpu:12.1f} {mb / cpu:9.2f}"
        )


def office_pdf(pages: int) -> bytes:
    """A Word file saved as PDF by LibreOffice (fonts embedded, as real ones have them):
    the committed two-page fixture's pages repeated to ``pages``."""
    src = pypdfium2.PdfDocument(OFFICE_FIXTURE.read_bytes())
    dest = pypdfium2.PdfDocument.new()
    while len(dest) < pages:
        dest.import_pages(src)
    out = io.BytesIO()
    dest.save(out)
    return out.getvalue()


def _time_pdf(
    raw: bytes, tmp: Path, name: str, runs: int
) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """(wall, CPU) seconds of reading and of importing the PDF, ``runs`` times each."""
    path = tmp / name
    path.write_bytes(raw)
    reads: list[tuple[float, float]] = []
    imports: list[tuple[float, float]] = []
    for run in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        read_pdf(raw, path.name)
        reads.append((time.perf_counter() - t0, time.process_time() - c0))
        db = open_db(tmp / f"{path.stem}{run}.db")
        t0, c0 = time.perf_counter(), time.process_time()
        items = import_paths(db, [str(path)])
        imports.append((time.perf_counter() - t0, time.process_time() - c0))
        assert [i.status for i in items] == ["imported"], items
    return reads, imports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="Profile one import.")
    args = parser.parse_args()
    built, pages = build_pdf(args.pages)
    office = office_pdf(args.pages)
    office_pages = len(read_pdf(office, "office.pdf").pages)
    with tempfile.TemporaryDirectory() as tmp:
        # (wall, CPU) seconds: on a shared machine CPU time is the steadier figure.
        read_times, import_times = _time_pdf(built.pdf, Path(tmp), "report.pdf", args.runs)
        office_reads, office_imports = _time_pdf(office, Path(tmp), "office.pdf", args.runs)
        docx, paragraphs, docx_reads, docx_imports = _time_docx(Path(tmp), args.runs)
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
            import_paths(open_db(Path(tmp) / "profile.db"), [str(Path(tmp) / "report.pdf")])
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(
        f"median of {args.runs} runs; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    mb = len(built.pdf) / 1e6
    print(f"PDF typeset here: {pages} pages, {mb:.2f} MB, {len(built.body):,} body characters")
    _table("pages", pages, mb, "read_pdf (reader alone)", read_times, import_times)
    office_mb = len(office) / 1e6
    print(f"PDF saved by LibreOffice from Word: {office_pages} pages, {office_mb:.2f} MB")
    _table(
        "pages", office_pages, office_mb, "read_pdf (reader alone)", office_reads, office_imports
    )
    docx_mb = len(docx) / 1e6
    print(f"DOCX: {paragraphs} paragraphs, {docx_mb:.2f} MB")
    _table("para", paragraphs, docx_mb, "read_docx (reader alone)", docx_reads, docx_imports)
    for label, count, samples in (
        ("typeset", pages, import_times),
        ("LibreOffice", office_pages, office_imports),
    ):
        rate = count / _median(samples, 0)
        verdict = "meets" if rate >= GOAL_PAGES_PER_S else "misses"
        print(
            f"{label} PDF import {verdict} the goal of {GOAL_PAGES_PER_S:.0f} pages/s "
            f"({rate:.1f} pages/s wall)"
        )


if __name__ == "__main__":
    main()
