"""Timestamps as stored: UTC ISO-8601 with microseconds (sortable text).

``to_utc_z`` is the one place a stored timestamp becomes an interchange one
(W3C ``created``/``modified``, REFI-QDA ``creationDateTime``): UTC with ``Z``,
a valid ``xsd:dateTime`` whatever an older version or another tool stored.
Imports go the other way through ``timestamps.parse_timestamp``.
"""

import datetime as dt
import re

from claimmap.store.timestamps import parse_timestamp

# The shape ``now()`` writes and ``parse_timestamp`` returns: almost every stored
# stamp.  Such a stamp needs only the calendar check, which ``fromisoformat`` does
# in C; a sync or an export converts two per span.
_STORED = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}\+00:00")


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def to_utc_z(value: str | None) -> str | None:
    """``value`` as ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z`` in UTC (the fraction only when
    not zero), or None if it is no date-time (``timestamps.parse_timestamp`` reads
    it: the same rules as an import)."""
    if not value:
        return None
    try:
        stored = value if _STORED.fullmatch(value) else parse_timestamp(value.strip())
        parsed = dt.datetime.fromisoformat(stored)
    except ValueError:
        return None
    return parsed.replace(tzinfo=None).isoformat() + "Z"
