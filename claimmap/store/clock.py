"""Timestamps as stored: UTC ISO-8601 with microseconds (sortable text)."""

import datetime as dt


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
