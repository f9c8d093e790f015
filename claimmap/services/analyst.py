"""Who is working: the current analyst, whose layer every write goes into.

The name comes from the global ``claimmap --annotator NAME`` option, else
``$CLAIMMAP_ANNOTATOR``, else the OS user.  The CLI sets it once per call with
``acting_as`` (a context variable, so a test or a worker thread that sets its own
never leaks into another), and every service that writes falls back to
``current_annotator()`` when no annotator is passed, so a command added later
cannot forget it.

A name is also a folder of the shared sync directory (``DIR/<annotator>/``), so it
must be a portable file name: no slash, no control character, not ``.``/``..``,
and not ``articles`` (the shared folder of article texts).
"""

from __future__ import annotations

import contextvars
import getpass
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

from claimmap.errors import ClaimmapError

ENV_VAR = "CLAIMMAP_ANNOTATOR"
CONSENSUS = "consensus"
# Folder names the sync directory keeps for itself.
RESERVED_NAMES = frozenset({"articles"})
MAX_LENGTH = 64

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "claimmap_annotator", default=None
)
# Letters (any script), digits, and . _ - @ + and space inside: a file name on
# every platform git runs on, and a name people recognise.
_NAME = re.compile(r"[\w.@+\- ]+")


def check_annotator(name: str) -> str:
    """The name, trimmed, or a ``ClaimmapError`` saying why it cannot name a layer."""
    trimmed = name.strip()
    if not trimmed:
        raise ClaimmapError("an annotator name cannot be empty")
    if len(trimmed) > MAX_LENGTH:
        raise ClaimmapError(f"annotator name is longer than {MAX_LENGTH} characters")
    if trimmed in {".", ".."} or trimmed.startswith(".") or not _NAME.fullmatch(trimmed):
        raise ClaimmapError(
            f"annotator name {trimmed!r} cannot name a folder: use letters, digits, "
            "'.', '_', '-', '@', '+' or spaces, and do not start with '.'"
        )
    if trimmed.lower() in RESERVED_NAMES:
        raise ClaimmapError(f"annotator name {trimmed!r} is reserved by claimmap sync")
    return trimmed


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def current_annotator() -> str:
    """The analyst acting now: ``acting_as``, else ``$CLAIMMAP_ANNOTATOR``, else the OS user."""
    return named_annotator() or os_user()


def named_annotator() -> str | None:
    """The analyst if one was named (option or environment), else None.

    Views that read (linking, claims, the matrix, exports) show one layer when an
    analyst is named and every layer when nobody is: a one-analyst database then
    behaves exactly as before layers existed, whatever the OS user is called.
    """
    chosen = _current.get()
    if chosen is not None:
        return chosen
    from_env = os.environ.get(ENV_VAR)
    if from_env is not None and from_env.strip():
        return check_annotator(from_env)
    return None


@contextmanager
def acting_as(name: str | None) -> Iterator[None]:
    """Make ``name`` the current analyst inside the block (None: leave it as it is)."""
    if name is None:
        yield
        return
    token = _current.set(check_annotator(name))
    try:
        yield
    finally:
        _current.reset(token)


def adopt_annotator(name: str) -> None:
    """Make ``name`` the current analyst for the rest of the current context (the
    app's: it lives as long as the process's main context, and its tasks copy it)."""
    _current.set(check_annotator(name))


def layer_filter(annotator: str | None) -> str | None:
    """The layer a reading command shows: its ``--annotator``, else the named analyst."""
    if annotator is not None:
        return check_annotator(annotator)
    return named_annotator()
