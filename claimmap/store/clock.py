"""Timestamps as stored: UTC ISO-8601 with microseconds (sortable text).

``to_utc_z`` is the one place a stored timestamp becomes an interchange one
(W3C ``created``/``modified``, REFI-QDA ``creationDateTime``): UTC with ``Z``,
a valid ``xsd:dateTime`` whatever an older version or another tool stored.
Imports go the other way through ``timestamps.parse_timestamp``.
"""

import datetime as dt

from claimmap.store.timestamps import parse_timestamp


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def to_utc_z(value: str | None) -> str | None:
    """``value`` as ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z`` in UTC (the fraction only when
    not zero), or None if it is no date-time (``timestamps.parse_timestamp`` reads
    it: the same rules as an import)."""
    if not value:
        return None
    try:
        stored = parse_timestamp(value.strip())
    except ValueError:
        return None
    return dt.datetime.fromisoformat(stored).replace(tzinfo=None).isoformat() + "Z"
