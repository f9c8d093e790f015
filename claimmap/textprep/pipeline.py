"""The cleaning pipeline: normalize -> spam -> pinyin leak -> footnotes.

The order matters: spam lines are removed before footnote blocks are looked for
(a link-farm line must not be mistaken for body text around a block), and
footnotes run last so the regions they report are offsets into the final,
canonical text.  Every step is deterministic, so cleaning the same raw text
again gives the same text, log and regions; the log lists every removed,
replaced, moved or joined piece verbatim for ``import --dry-run``.
"""

from __future__ import annotations

from claimmap.textprep.footnotes import set_apart_footnotes
from claimmap.textprep.normalize import normalize_text
from claimmap.textprep.pinyin_leak import repair_pinyin_leaks
from claimmap.textprep.spam import remove_spam
from claimmap.textprep.types import CleanResult, LogEntry

STEP_NORMALIZE = "normalize"


def _normalize_log(before: str, after: str) -> list[LogEntry]:
    """Summarise what normalisation changed (one entry per kind of change)."""
    if before == after:
        return []
    log: list[LogEntry] = []
    crlf = before.count("\r\n")
    lone_cr = before.count("\r") - crlf
    if crlf:
        log.append(
            LogEntry(STEP_NORMALIZE, "replaced", f"{crlf} CRLF line endings", "\r\n", "\n", None)
        )
    if lone_cr:
        log.append(
            LogEntry(STEP_NORMALIZE, "replaced", f"{lone_cr} CR line endings", "\r", "\n", None)
        )
    if before.startswith("\ufeff"):
        log.append(LogEntry(STEP_NORMALIZE, "removed", "leading BOM", "\ufeff", "", 1))
    if not log:
        log.append(LogEntry(STEP_NORMALIZE, "replaced", "Unicode NFC composition", "", "", None))
    return log


def clean(text: str) -> CleanResult:
    """Canonical text from decoded text, with the cleaning log and regions."""
    log: list[LogEntry] = []
    normalized = normalize_text(text)
    log += _normalize_log(text, normalized)
    text_, spam_log = remove_spam(normalized)
    log += spam_log
    text_, leak_log = repair_pinyin_leaks(text_)
    log += leak_log
    text_, note_log, regions = set_apart_footnotes(text_)
    log += note_log
    return CleanResult(text=text_, log=log, regions=regions)
