"""Importing other tools' annotations: W3C Web Annotations (claimmap's, Hypothesis's),
REFI-QDA projects (``.qdpx``) and codebooks (``.qdc``).

One module per format reads and validates a file into a ``parsed.Parsed``
without touching the database; ``placing`` anchors and writes it.  See
``dispatch.import_annotations``.

The entry points are loaded on first use: the codebook files import only the
code-tree walker (``codes``), and should not pay for the text cleaners.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimmap.services.interchange.dispatch import import_annotations, import_projects
    from claimmap.services.interchange.parsed import ImportReport

__all__ = ["ImportReport", "import_annotations", "import_projects"]

_HOMES = {
    "import_annotations": "claimmap.services.interchange.dispatch",
    "import_projects": "claimmap.services.interchange.dispatch",
    "ImportReport": "claimmap.services.interchange.parsed",
}


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
