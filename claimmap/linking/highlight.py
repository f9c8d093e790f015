"""Which characters of a candidate quote match the span it was suggested for.

The linker compares match keys (``textprep.matchkey.fold``), so the highlight is
computed on keys too: the longest common subsequence of the two keys (rapidfuzz's
``Indel`` opcodes), mapped back to code-point ranges of the candidate through
``Folded.positions``.  A traditional-script candidate therefore lights up against
a simplified query, and a pinyin leak inside it (``業(yè)``) stays unlit.
No Textual here: the side panel styles the ranges it is given.
"""

from __future__ import annotations

from rapidfuzz.distance import Indel

from claimmap.textprep.matchkey import fold, match_key

# A lone shared character (的, e, 1) is noise in a highlight, not evidence.
MIN_BLOCK = 2


def matched_ranges(query: str, candidate: str, min_block: int = MIN_BLOCK) -> list[tuple[int, int]]:
    """Sorted, disjoint ``[start, end)`` ranges of ``candidate`` that match ``query``.

    Matching runs shorter than ``min_block`` key characters are dropped.  Ranges
    separated only by characters that fold to nothing (punctuation, spaces) are
    joined, so a matched clause reads as one highlight across its comma.
    """
    q_key = match_key(query)
    folded = fold(candidate)
    if not q_key or not folded.key:
        return []
    chars: list[int] = []
    for op in Indel.opcodes(q_key, folded.key):
        if op.tag == "equal" and op.dest_end - op.dest_start >= min_block:
            chars.extend(folded.positions[op.dest_start : op.dest_end])
    ranges: list[tuple[int, int]] = []
    for pos in sorted(set(chars)):
        if ranges:
            start, end = ranges[-1]
            if pos == end or (pos > end and not match_key(candidate[end:pos])):
                ranges[-1] = (start, pos + 1)
                continue
        ranges.append((pos, pos + 1))
    return ranges
