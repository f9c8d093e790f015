"""How a note marker and a note are written into the canonical text.

The caret forms (``^1``, ``^①``, ``^{*}``) are the ones PDF-to-text conversions
already use (seed 002) and ``textprep.footnotes`` recognises: a superscript
marker written as its bare digit would run into the number before it
(``in 2023¹`` would read ``in 20231``).
"""

from __future__ import annotations

from claimmap.documents.types import Note

_SINGLE_CHAR_LABELS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def marker_text(label: str) -> str:
    """The body text of a reference to note ``label``; every reader writes markers
    this way.  A label that cannot run into the text around it (``[1]``, ``*``,
    ``†``) stays as it is printed."""
    if label.isascii() and label.isdigit() and len(label) <= 3:
        return "^" + label
    if len(label) == 1 and label in _SINGLE_CHAR_LABELS:
        return "^" + label
    if _delimited(label):
        return label
    return "^{" + label + "}"


def _delimited(label: str) -> bool:
    bracketed = len(label) >= 3 and label[0] in _OPENING and label[-1] == _OPENING[label[0]]
    return bracketed or (bool(label) and all(ch in _SYMBOLS for ch in label))


_OPENING = {"[": "]", "(": ")", "（": "）", "【": "】", "〔": "〕"}
_SYMBOLS = "*†‡§¶#"


def note_line(note: Note) -> str:
    """One note as a line of the footnote block at the end of the text."""
    return f"{marker_text(note.label)} {note.text}"
