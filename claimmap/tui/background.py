"""Database work off the UI thread, on a connection of its own."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import TypeVar

from sqlite_utils import Database
from textual.dom import DOMNode

from claimmap.store import db_file, open_db

T = TypeVar("T")


def run_with_db(
    node: DOMNode,
    db: Database,
    task: Callable[[Database], T],
    done: Callable[[T], None],
    *,
    group: str,
    exclusive: bool = False,
) -> None:
    """Run ``task`` in a worker thread, then ``done`` with its result on the UI thread.

    sqlite3 connections are not shared safely between threads, so the worker
    opens the file behind ``db`` itself; an in-memory database (tests) cannot be
    reopened, so there ``task`` runs inline.
    """
    path = db_file(db)
    if path is None:
        done(task(db))
        return

    def work() -> None:
        own = open_db(path)
        try:
            result = task(own)
        finally:
            own.close()
        node.app.call_from_thread(done, result)

    # Worker threads do not inherit context variables: copy ours, so work done
    # there is recorded under the app's analyst like work on the UI thread.
    context = contextvars.copy_context()
    node.run_worker(lambda: context.run(work), thread=True, group=group, exclusive=exclusive)
