"""The one exception type the front ends turn into a one-line ``error:`` message."""


class ClaimmapError(Exception):
    """A user-facing error: bad input, unknown reference, refused operation.

    Front ends print ``error: <message>`` and exit 1; the database is unchanged
    because every write unit rolls back on any exception.
    """


class ArticleChanged(ClaimmapError):
    """The article's text is not what the caller read: another process updated it.

    Offsets computed on the old text would land on another passage, so the write
    is refused; the caller re-reads the article and asks the analyst again.
    """
