"""Re-anchoring under 1,000 random realistic edits of the seeds.

Spans are placed on the seeds' canonical texts as analysts make them (clauses,
sentences, free ranges, short key terms); each edit inserts or removes a
paragraph or a sentence, corrects words, or re-cleans punctuation and
indentation (sometimes two at once), with known ground truth for every span
(``tests/reliability/edits.py``).  Reports re-anchored exactly, moved correctly
(edited inside, placed on the edited text), orphaned, and silently wrong.
Goals: 0 silently wrong; >= 99% re-anchored exactly where the quote still exists.

    python benchmarks/bench_reanchor.py [--edits 1000] [--seed 1] [--spans 40] [--no-diff]

``--no-diff`` re-anchors from the stored offset alone, as for annotation files
(W3C, qdpx) where the old text is unknown; the default is ``import --update``,
which carries offsets through a diff of the old and new texts.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.reliability.edits import run_edits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--spans", type=int, default=40, help="spans per article")
    parser.add_argument("--no-diff", action="store_true", help="no old text: offsets only")
    args = parser.parse_args()
    began = time.perf_counter()
    score = run_edits(args.edits, args.seed, args.spans, diff_hint=not args.no_diff)
    took = time.perf_counter() - began
    c = score.counts
    spans = sum(c.values())
    wrong = sum(v for k, v in c.items() if k.endswith("silently wrong"))
    orphaned = sum(v for k, v in c.items() if k.endswith("orphaned"))
    print(f"{args.edits} edits, {spans} span re-anchorings in {took:.1f} s")
    print(
        f"  re-anchored exactly:  {score.exact} of {score.intact} whose quote still exists "
        f"({100 * score.exact / max(1, score.intact):.2f}%)"
    )
    print(f"  moved correctly:      {c['edited: moved correctly']} (text edited inside the span)")
    print(
        f"  orphaned:             {orphaned} (quote deleted: {c['deleted: orphaned']}, "
        f"edited: {c['edited: orphaned']}, intact but ambiguous: {c['intact: orphaned']})"
    )
    print(f"  silently wrong:       {wrong}")
    for line in score.wrong[:20]:
        print("    WRONG", line[:300])
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
