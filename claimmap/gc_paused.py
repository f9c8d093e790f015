"""Pausing the cyclic garbage collector around bulk reads.

An export or a map reads hundreds of thousands of long-lived, acyclic objects
(models, rows, cells, strings); each allocation burst would otherwise start
collections that walk all of them again, a quarter of an export's time.
Reference counting still frees everything as usual; cycles, if any, are
collected once the collector runs again.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")


def gc_paused(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``fn`` with the cyclic garbage collector paused; nested calls leave it
    to the outer one."""

    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not gc.isenabled():
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.enable()

    return wrapper
