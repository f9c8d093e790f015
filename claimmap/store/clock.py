"""Timestamps as stored: UTC ISO-8601 with microseconds (sortable text).

``to_utc_z`` is the one place a stored timestamp becomes an interchange one
(W3C ``created``/``modified``, REFI-QDA ``creationDateTime``): UTC with ``Z``,
a valid ``xsd:dateTime`` whatever an older version or another tool stored.
``to_stored`` is the way back: any such value in the form ``now`` writes.
"""

import datetime as dt


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _parse_utc(value: str | None) -> dt.datetime | None:
    """An ISO-8601 date-time as an aware UTC datetime, or None if it is not one.

    A naive value is taken as UTC (that is what claimmap stores).  A ``Z`` after an
    explicit offset (``+00:00Z``, written by older imports) is dropped: the offset
    says more.
    """
    if not value:
        return None
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1]
    if "T" not in text and " " not in text:
        # fromisoformat reads a bare date too; a date alone is not a moment.
        return None
    try:
        parsed = dt.datetime.fromisoformat(text)
        # Converting can leave the representable years (0001-01-01T00:00+01:00).
        return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None


def to_utc_z(value: str | None) -> str | None:
    """``value`` as ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z`` in UTC (the fraction only when
    not zero), or None if it is no date-time."""
    parsed = _parse_utc(value)
    return None if parsed is None else parsed.replace(tzinfo=None).isoformat() + "Z"


def to_stored(value: str | None) -> str | None:
    """``value`` in the stored form (``now``'s), or None if it is no date-time."""
    parsed = _parse_utc(value)
    return None if parsed is None else parsed.isoformat(timespec="microseconds")
