"""Reading timestamps that another tool wrote, into the form claimmap stores.

claimmap stores UTC ISO-8601 text with microseconds, exactly what
``claimmap.store.clock.now()`` writes (``2024-05-01T12:00:00.000000+00:00``), so
stored stamps sort as text and exports can rely on one shape.  Imports meet other
shapes: ``Z`` instead of ``+00:00``, a local offset such as ``+08:00``, the
``+00:00Z`` that tools appending ``Z`` to Python's ``isoformat()`` produce,
fractions of any length, or garbage.  ``parse_timestamp`` accepts RFC 3339
date-times (plus those well-understood variants) and refuses anything else with
``ValueError``; it never guesses a date out of free text.

``datetime.fromisoformat`` is not used to validate: on Python 3.11 it also takes
week dates, basic format and bare dates, which no annotation format allows.
"""

from __future__ import annotations

import datetime as dt
import re

# RFC 3339 section 5.6, with a space allowed for "T" (as the RFC notes), a zone
# offset with or without its colon, and no zone at all (xsd:dateTime, used by
# REFI-QDA, allows that; it is read as UTC).  A fraction longer than a few dozen
# digits is not a timestamp anyone wrote.
_DATE_TIME = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"[Tt ]"
    r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})"
    r"(?:\.(?P<fraction>[0-9]{1,32}))?"
    r"(?P<zone>[Zz]|(?P<sign>[+-])(?P<oh>[0-9]{2}):?(?P<om>[0-9]{2})(?P<z>[Zz])?)?",
    re.ASCII,
)


def parse_timestamp(value: str) -> str:
    """``value`` as UTC ``YYYY-MM-DDTHH:MM:SS.ffffff+00:00``; ``ValueError`` if it is
    not a date-time.

    A ``Z`` after an offset is accepted only after a zero offset (``+00:00Z`` says
    UTC twice); after any other offset it contradicts it and is refused.
    Fractions beyond microseconds are truncated, as the clock's own are.
    """
    match = _DATE_TIME.fullmatch(value)
    if match is None:
        raise ValueError(f"{_show(value)} is not an ISO 8601 date-time")
    if match["z"] and (match["oh"], match["om"]) != ("00", "00"):
        raise ValueError(f"{_show(value)} gives both an offset and Z")
    offset = dt.timedelta(0)
    if match["sign"]:
        hours, minutes = int(match["oh"]), int(match["om"])
        if hours > 23 or minutes > 59:
            raise ValueError(f"{_show(value)} has an impossible zone offset")
        offset = dt.timedelta(hours=hours, minutes=minutes)
        if match["sign"] == "-":
            offset = -offset
    micro = int((match["fraction"] or "").ljust(6, "0")[:6])
    try:
        # datetime checks the calendar: month 13, 29 February of a common year,
        # hour 24 and leap second 60 all raise ValueError here.
        local = dt.datetime(
            int(match["year"]),
            int(match["month"]),
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            int(match["second"]),
            micro,
            tzinfo=dt.timezone(offset),
        )
        utc = local.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise ValueError(f"{_show(value)} is not a valid date-time") from None
    return utc.isoformat(timespec="microseconds")


def _show(value: str) -> str:
    """The value for an error message, cut short: it came from an untrusted file."""
    return repr(value if len(value) <= 40 else value[:40] + "…")
