"""Import sqlite-utils without letting it import numpy.

``sqlite_utils.db`` imports numpy, when installed, only to map numpy scalar
types to column types for tables it creates from Python values.  claimmap
creates every table with SQL in its migrations and never hands numpy values to
sqlite-utils, yet the import cost every CLI call ~0.1 s.  Importing this module
before anything else imports sqlite-utils hides numpy for that one import; numpy
stays importable for the code that uses it (the linker), and if numpy or
sqlite-utils was imported already nothing changes.
"""

from __future__ import annotations

import sys


def _import_without_numpy() -> None:
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return
    # A None entry makes ``import numpy`` raise ImportError, which sqlite-utils
    # treats as "numpy not installed".
    sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        del sys.modules["numpy"]


_import_without_numpy()
