"""Counts in messages: "1 match", "2 matches", never "1 matches"."""

from __future__ import annotations


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` with the noun in the right number (``plural`` defaults to singular + s,
    or + es after s, x, z, ch and sh)."""
    if n == 1:
        return f"{n} {singular}"
    if plural is None:
        suffix = "es" if singular.endswith(("s", "x", "z", "ch", "sh")) else "s"
        plural = singular + suffix
    return f"{n:,} {plural}"
