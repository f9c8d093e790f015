"""Text from articles and analysts, made safe to print on a terminal.

Titles are scraped, quotes come from PDFs and web pages, tag names and notes
from whoever typed them: any of them can hold bytes a terminal acts on.  An OSC
sequence (``ESC ] 0 ; title BEL``) retitles the window or, on some terminals,
writes the clipboard; ``ESC [ 2J`` clears the screen; ``\\x9b`` is the one-byte
C1 form of ``ESC [`` on terminals that honour C1; a bare ``\\r`` lets the rest
of a line overwrite its start.  Every human-readable line the CLI prints goes
through ``echo`` here, which shows such characters as visible escapes
(``\\x1b``) instead of sending them.

What is escaped, and why:

* C0 controls other than newline and tab, DEL, and all C1 controls: the
  characters terminals interpret.  Newline and tab are kept so ``show`` prints
  the canonical text's lines as they are.
* The bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069):
  they do not drive the terminal, but on terminals that apply the bidi algorithm
  an unterminated override reverses what follows on the line (ids, scores, the
  next column), so a listing can be made to lie ("Trojan Source").  The marks
  LRM, RLM and ALM are kept: they span no text, and right-to-left quotes need
  them.

``json_safe`` does the same for JSON documents, whose text ``json.dumps`` with
``ensure_ascii=False`` escapes only below U+0020.
"""

from __future__ import annotations

import re

import click

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# In JSON text, newline and tab are already escaped inside strings and are
# whitespace outside them; only the characters json.dumps leaves raw are matched.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every character a terminal could act on shown as an escape."""
    return _UNSAFE.sub(_visible, text)


def json_safe(document: str) -> str:
    """A JSON document with DEL, C1 controls and bidi controls as ``\\uXXXX`` escapes.

    Those characters can only occur inside JSON strings, where the escape stands
    for the same character: the parsed value is unchanged.
    """
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` for human-readable output, through ``terminal_safe``."""
    click.echo(terminal_safe(message), err=err, nl=nl)
