"""Let sqlite-utils be imported without numpy, whichever module imports it first.

``sqlite_utils.db`` imports numpy, when installed, only to map numpy scalar
types to column types for tables it creates from Python values.  claimmap
creates every table with SQL in its migrations and never hands numpy values to
sqlite-utils, yet the import cost every CLI call ~0.1 s.

Importing sqlite-utils up front, numpy hidden, would cost the calls that need no
sqlite-utils at all (the listings read with plain sqlite3) its own ~0.05 s;
and the first import can come from any module (a service imports sqlite-utils
before any ``claimmap.store`` module).  So ``claimmap/__init__`` imports this
module (and nothing else: ``claimmap --help`` needs no storage), which puts a
finder first on ``sys.meta_path``: whenever
``sqlite_utils.db`` is first imported, its code runs with numpy hidden.  numpy
stays importable for the code that uses it (the linker); if numpy was imported
already, nothing is hidden, and if sqlite-utils was, the finder is never asked.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec, PathFinder, SourceFileLoader
from types import ModuleType

MODULE = "sqlite_utils.db"


class _SourceWithoutNumpy(SourceFileLoader):
    """The ordinary source loader, running the module with numpy hidden."""

    def exec_module(self, module: ModuleType) -> None:
        if "numpy" in sys.modules:
            super().exec_module(module)
            return
        # A None entry makes ``import numpy`` raise ImportError, which sqlite-utils
        # treats as "numpy not installed".
        sys.modules["numpy"] = None  # type: ignore[assignment]
        try:
            super().exec_module(module)
        finally:
            del sys.modules["numpy"]


class _SqliteUtilsFinder:
    """Finds ``sqlite_utils.db`` as the import system would, with the loader above."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None, /
    ) -> ModuleSpec | None:
        if fullname != MODULE:
            return None
        spec = PathFinder.find_spec(fullname, path, target)
        # Anything but a plain source file (a zip, a frozen or compiled build) is
        # left to the finders that know it: numpy then loads, which is only slower.
        if spec is None or type(spec.loader) is not SourceFileLoader:
            return None
        spec.loader = _SourceWithoutNumpy(spec.loader.name, spec.loader.path)
        return spec


if MODULE not in sys.modules:
    sys.meta_path.insert(0, _SqliteUtilsFinder())
