"""Hypothesis's own export format, read as the W3C annotations it describes.

The Hypothesis client exports ``{"export_date": …, "annotations": [...]}`` and
its search API answers ``{"rows": [...]}``; each annotation there has ``text``
(the comment), ``tags``, ``user`` (``acct:name@hypothes.is``), ``uri`` and a
``target`` whose selectors are W3C ones.  Its JSON-LD form is already W3C.
Turning the native form into the W3C shape keeps one reader for both.
"""

from __future__ import annotations

from typing import Any

from claimmap.services.interchange.parsed import Bad, as_list


def whole_document(document: Any) -> list[Any] | None:
    """The annotations of a whole-file JSON document, or None when the file is
    not one JSON document (then it is read as JSON lines)."""
    if document is None:
        return None
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in ("annotations", "rows"):
            if isinstance(document.get(key), list) and "type" not in document:
                return list(document[key])
    return [document]


def _is_native(item: Any) -> bool:
    return isinstance(item, dict) and "type" not in item and ("uri" in item or "user" in item)


def as_w3c(item: Any) -> Any:
    """A native Hypothesis annotation as a W3C one; anything else unchanged."""
    if not _is_native(item):
        return item
    name = item.get("id")
    if not isinstance(name, str) or not name:
        raise Bad("a Hypothesis annotation needs an id")
    tags = item.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise Bad(f"Hypothesis annotation {name!r}: tags must be a list of strings")
    body: list[dict[str, Any]] = []
    text = item.get("text")
    if isinstance(text, str) and text.strip():
        body.append({"type": "TextualBody", "value": text})
    body.extend({"type": "TextualBody", "purpose": "tagging", "value": t} for t in tags)
    targets = [t for t in as_list(item.get("target")) if isinstance(t, dict)]
    target: dict[str, Any] = dict(targets[0]) if len(targets) == 1 else {}
    target.setdefault("source", item.get("uri"))
    user_info = item.get("user_info")
    shown = user_info.get("display_name") if isinstance(user_info, dict) else None
    return {
        "type": "Annotation",
        # Hypothesis ids are bare; its W3C form names them by their page.
        "id": name if ":" in name else f"https://hypothes.is/a/{name}",
        "created": item.get("created"),
        "modified": item.get("updated"),
        "creator": item.get("user") or shown,
        "body": body,
        "target": target,
    }
