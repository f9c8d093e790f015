"""Which analysts' layers the app shows: the picker items and what a choice means.

The app shows one layer at a time (the current analyst's by default, or every
layer), and can overlay one other analyst's spans, outlined rather than filled.
Another analyst's layer is for reading: writing into it here would be undone by
the next ``claimmap sync``, which reads their layer from their folder.
"""

from __future__ import annotations

from sqlite_utils import Database

from claimmap.tui.screens.picker import PickerItem

EVERY_LAYER = "\x00every-layer"
NO_OVERLAY = "\x00no-overlay"


def layer_counts(db: Database) -> dict[str, int]:
    """Spans per analyst, every analyst who has any."""
    return {
        str(who): int(n)
        for who, n in db.execute(
            "SELECT annotator, count(*) FROM spans GROUP BY annotator ORDER BY annotator"
        )
    }


def layer_items(db: Database, me: str) -> list[PickerItem]:
    """Your layer first, then every other analyst's, then every layer at once."""
    counts = layer_counts(db)
    items: list[PickerItem] = [(me, f"{me} (you)", f"{counts.get(me, 0)} spans")]
    items += [(who, who, f"{n} spans") for who, n in counts.items() if who != me]
    items.append((EVERY_LAYER, "(every layer)", f"{sum(counts.values())} spans"))
    return items


def overlay_items(db: Database, shown: str | None) -> list[PickerItem]:
    """Every analyst but the one shown, and none."""
    items: list[PickerItem] = [(NO_OVERLAY, "(no overlay)")]
    items += [(who, who, f"{n} spans") for who, n in layer_counts(db).items() if who != shown]
    return items


def describe(shown: str | None, overlay: str | None, me: str) -> str:
    """The status line's account of what is on screen."""
    what = "every layer" if shown is None else ("your layer" if shown == me else f"{shown}'s layer")
    if overlay is not None:
        what += f", {overlay}'s spans underlined"
    if shown is not None and shown != me:
        what += " (read only: y to go back to yours)"
    return what


def read_only_reason(shown: str | None, me: str) -> str | None:
    if shown is None or shown == me:
        return None
    return f"you are viewing {shown}'s layer, which is read only here: press y to show yours"
