"""``claimmap demo``: a fresh database from the bundled seeds, opened in the annotator."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from claimmap.cli.safe_text import echo
from claimmap.errors import ClaimmapError

if TYPE_CHECKING:
    from sqlite_utils import Database


def bundled_dir(name: str) -> Path:
    """A data directory shipped with claimmap: inside the package in a wheel
    (see pyproject's force-include), at the repository root in a source checkout."""
    package = Path(__file__).resolve().parents[1]
    inside = package / "_bundled" / name
    return inside if inside.is_dir() else package.parent / name


def default_demo_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "claimmap" / "demo.db"


def build_demo(path: Path) -> tuple[int, int]:
    """Recreate the demo database; returns (articles, annotations) imported."""
    from claimmap.services.importing import import_paths
    from claimmap.services.interchange import import_annotations
    from claimmap.store import open_db

    seeds = bundled_dir("seeds")
    if not seeds.is_dir():
        raise ClaimmapError(
            f"{seeds}: bundled seeds not found (is claimmap installed from source?)"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_db(path)
    try:
        _empty_demo(db, path)
        # Only the articles: the folder also holds a README that is not one.
        items = import_paths(db, [str(p) for p in sorted(seeds.glob("*.txt"))])
        annotations = 0
        notes_dir = bundled_dir("annotations")
        if notes_dir.is_dir() and any(notes_dir.glob("*.jsonl")):
            annotations = import_annotations(db, notes_dir).annotations
    finally:
        db.close()
    return sum(1 for i in items if i.status == "imported"), annotations


DEMO_MARK = "demo.built"


def _empty_demo(db: Database, path: Path) -> None:
    """Empty an earlier demo database through SQLite, in one write unit.

    Never by deleting its files: an annotator may still have the demo open in
    another terminal, and removing a database's -wal/-shm under a live connection
    corrupts it.  The open annotator sees the rebuild as another process's commit.
    A database that is not a demo is refused, so ``--db`` cannot empty real work.
    """
    from claimmap.store import write_unit

    with write_unit(db):
        has_data = db.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None
        marked = db.execute("SELECT 1 FROM app_state WHERE key = ?", [DEMO_MARK]).fetchone()
        if has_data and marked is None:
            raise ClaimmapError(
                f"{path}: holds a claimmap database that is not a demo; the demo never "
                "replaces one: give another --db"
            )
        for table in ("articles", "claims", "aliases", "app_state"):
            db.execute(f"DELETE FROM {table}")  # spans, links, notes, skips cascade
        db.execute("INSERT INTO app_state (key, value) VALUES (?, '1')", [DEMO_MARK])


@click.command("demo")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to build the demo database (default: $XDG_DATA_HOME/claimmap/demo.db).",
)
@click.option("--no-open", is_flag=True, help="Only build the database and print its path.")
def demo_cmd(db_path: Path | None, no_open: bool) -> None:
    """Build a fresh demo database from the bundled seeds and open the annotator on it.

    Your own database is never touched; the demo one is recreated on every run.
    """
    path = db_path or default_demo_path()
    articles, annotations = build_demo(path)
    echo(f"demo database: {path} ({articles} articles, {annotations} annotations)")
    if not no_open:
        from claimmap.tui.launch import run_app

        run_app(path)


COMMANDS = [demo_cmd]
