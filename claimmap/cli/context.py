"""What every command shares: the database (opened on first use) and output helpers.

Every command imports this module, ``articles`` too, which must start fast
(issue 11): storage and pydantic are imported where used, so that what this
module costs does not grow with them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

import click

from claimmap.cli.safe_text import json_safe

if TYPE_CHECKING:
    from pydantic import BaseModel
    from sqlite_utils import Database


class AppContext:
    """Lazily opened database, so ``--help`` and pure commands never touch it."""

    def __init__(self, db_path: Path | None) -> None:
        from claimmap.store.connection import default_db_path

        self.db_path = db_path or default_db_path()
        self._db: Database | None = None
        self._lookup: Database | None = None

    @property
    def db(self) -> Database:
        """The database, created and migrated if needed: for commands that write."""
        if self._db is None:
            from claimmap.store import open_db

            self._db = open_db(self.db_path)
        return self._db

    def lookup_db(self) -> Database:
        """The database for commands that only look (``import --dry-run``): never
        created or migrated; a missing file reads as an empty database."""
        if self._lookup is None:
            from claimmap.store.readonly import lookup_db

            self._lookup = lookup_db(self.db_path)
        return self._lookup

    def close(self) -> None:
        for db in (self._db, self._lookup):
            if db is not None:
                db.close()
        self._db = self._lookup = None


pass_app = click.make_pass_decorator(AppContext)


def _is_model(value: object) -> TypeGuard[BaseModel]:
    # No pydantic imported, no pydantic model: asking costs nothing when a command
    # prints plain rows (``articles``), and importing pydantic would cost ~0.07 s.
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(value, pydantic.BaseModel)


def to_jsonable(value: Any) -> Any:
    if _is_model(value):
        return value.model_dump(mode="json")
    # dataclasses.is_dataclass without importing dataclasses (~4 ms a call for the
    # listings, whose rows are plain dicts); a class itself is not converted.
    if hasattr(type(value), "__dataclass_fields__"):
        import dataclasses

        return to_jsonable(dataclasses.asdict(value))
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def emit_json(value: Any) -> None:
    """JSON on stdout: UTF-8, CJK unescaped, one document; no raw terminal controls
    (``json.dumps`` escapes C0 but not DEL, C1 or bidi controls: ``json_safe`` does)."""
    document = json.dumps(to_jsonable(value), ensure_ascii=False, indent=2)
    sys.stdout.write(json_safe(document) + "\n")


def layer_option(fn: Any) -> Any:
    """``--annotator NAME``: one analyst's layer (or ``consensus``)."""
    return click.option(
        "--annotator",
        "layer",
        default=None,
        metavar="NAME",
        help="Only this analyst's layer (or 'consensus'); default: the analyst named by "
        "'claimmap --annotator' or $CLAIMMAP_ANNOTATOR, else every layer.",
    )(fn)


def chosen_layer(layer: str | None) -> str | None:
    """The layer a reading command works on (see ``services.analyst.layer_filter``)."""
    from claimmap.services.analyst import layer_filter

    return layer_filter(layer)


def json_option(fn: Any) -> Any:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(fn)
