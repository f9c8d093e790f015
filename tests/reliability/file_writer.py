"""A process that writes files for the file-crash rounds, to be SIGKILLed at any moment.

    python -m tests.reliability.file_writer DB WORKDIR SEED MODE

MODE ``cycle``: one edit (a new span, committed), then a W3C folder export, a brat
folder export, a manual backup and an automatic backup, each stage (and the moment
an export starts writing its folder) logged with its time to ``WORKDIR/stages.log``
before it starts; then it waits to be killed.
MODE ``backups``: manual backups to ``WORKDIR/manual/b-N.db`` one after another,
until killed.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path
from typing import TextIO

from claimmap.services import exporting
from claimmap.services.annotating import annotate_range
from claimmap.services.exporting import export_annotations
from claimmap.store import open_db
from claimmap.store.backup import automatic_backup, backup_to

TAGS = ("motive", "limitation", "impact", "recommendation")


def _stage(log: TextIO, name: str) -> None:
    log.write(f"{name}\t{time.monotonic():.6f}\n")
    log.flush()
    os.fsync(log.fileno())


def main(argv: list[str]) -> None:
    db_path, work, seed, mode = Path(argv[0]), Path(argv[1]), int(argv[2]), argv[3]
    rng = random.Random(seed)
    db = open_db(db_path)
    manual = work / "manual"
    manual.mkdir(exist_ok=True)
    with (work / "stages.log").open("a", encoding="utf-8") as log:
        write_tree = exporting.write_tree

        def logged_write_tree(directory: Path, files: dict[str, str]) -> None:
            # Its own stage, so the parent can aim kills at the moment files are written.
            _stage(log, f"write {directory.name}")
            write_tree(directory, files)

        exporting.write_tree = logged_write_tree  # type: ignore[assignment]
        _stage(log, "ready")
        if mode == "backups":
            n = len(list(manual.glob("b-*.db")))
            while True:
                _stage(log, f"backup {n}")
                backup_to(db, manual / f"b-{n}.db")
                n += 1
        article_id, text_len = db.execute(
            "SELECT id, length(text) FROM articles ORDER BY id LIMIT 1"
        ).fetchone()
        start = rng.randrange(0, text_len - 40)
        _stage(log, "edit")
        annotate_range(db, str(article_id), start, start + rng.randrange(5, 40), [rng.choice(TAGS)])
        _stage(log, "export w3c")
        export_annotations(db, "w3c", work / "w3c")
        _stage(log, "export brat")
        export_annotations(db, "brat", work / "brat")
        _stage(log, "backup manual")
        backup_to(db, manual / f"b-{seed}.db")
        _stage(log, "backup automatic")
        automatic_backup(db, db_path, reason="import")
        _stage(log, "done")
    time.sleep(600)


if __name__ == "__main__":
    main(sys.argv[1:])
