"""The one exception type the front ends turn into a one-line ``error:`` message."""


class ClaimmapError(Exception):
    """A user-facing error: bad input, unknown reference, refused operation.

    Front ends print ``error: <message>`` and exit 1; the database is unchanged
    because every write unit rolls back on any exception.
    """
