"""Tag names refuse control characters at creation.

A tag name lands in every export (a REFI-QDA ``Code``, a brat type, a W3C body,
a spreadsheet cell), so a name that no format can carry is refused once, where
it is typed: ``claimmap tags add`` and the app's code picker both go through
``add_tag``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from claimmap.errors import ClaimmapError
from claimmap.services.codebook import add_tag, list_tags
from claimmap.store import open_db

BAD_NAMES = [
    "page\x0cbreak",
    "ctrl\x01",
    "esc\x1b[31m",
    "n\x85el",
    "line\u2028sep",
    "para\u2029sep",
    "tab\tinside",
    "non\ufffechar",
    "del\x7f",
]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_add_tag_refuses_control_characters(name: str) -> None:
    db = open_db(memory=True)
    before = list_tags(db)
    with pytest.raises(ClaimmapError, match="control") as err:
        add_tag(db, name)
    assert "\n" not in str(err.value) and all(c.isprintable() for c in str(err.value))
    assert list_tags(db) == before


@pytest.mark.parametrize("key", ["\x01", "\x1b", "\u2028", "\x85"])
def test_add_tag_refuses_a_control_key(key: str) -> None:
    db = open_db(memory=True)
    with pytest.raises(ClaimmapError, match="invalid key"):
        add_tag(db, "evidence", key=key)
    assert "evidence" not in {t.name for t in list_tags(db)}


def test_add_tag_still_takes_any_script_and_emoji() -> None:
    db = open_db(memory=True)
    for name in ("动机", "動機", "限制 limitation", "😊 mood", "𠀀", "family 👨\u200d👩\u200d👧"):
        assert add_tag(db, name).name == name


@pytest.mark.parametrize("name", ["page\x0cbreak", "line\u2028sep", "ctrl\x01"])
def test_cli_tags_add_gives_one_error_line(cli, db_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    res = cli("tags", "add", name)
    assert res.code == 1
    assert res.err.startswith("error: ") and res.err.count("\n") == 1
    assert res.out == ""
    listed = cli("tags", "--json")
    assert name not in {t["name"] for t in listed.json()}
