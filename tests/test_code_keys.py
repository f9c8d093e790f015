"""The key shown for a code is the key that works: in the app, the picker, the help
and the CLI; no code key is one the annotator uses for itself."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding

from claimmap.store.schema import RESERVED_KEYS
from claimmap.tui.app import ClaimmapApp
from claimmap.tui.widgets.document_view import DocumentView
from tests.conftest import RunCli
from tests.helpers import assert_one_error_line

# Textual's names for the single characters the bindings use.
_NAMED = {"space": " ", "question_mark": "?"}


def _bound_characters() -> set[str]:
    keys: set[str] = set()
    for owner in (ClaimmapApp, DocumentView):
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding):
                for key in binding.key.split(","):
                    key = _NAMED.get(key, key)
                    if len(key) == 1:
                        keys.add(key)
    return keys


def test_reserved_keys_are_exactly_the_annotators_own() -> None:
    bound = _bound_characters()
    assert bound - RESERVED_KEYS == set(), "a bound key is missing from RESERVED_KEYS"
    assert RESERVED_KEYS - bound - set("0123456789") == set(), "RESERVED_KEYS has a stale key"


def test_the_cli_accepts_the_key_it_shows_and_refuses_the_apps_keys(
    cli: RunCli, tmp_path: Path
) -> None:
    src = tmp_path / "a.txt"
    src.write_text("A title\n\n美日两国开展技术合作。两国需要加强协调。\n", encoding="utf-8")
    assert cli("import", str(src)).code == 0
    keys = {t["name"]: t["key"] for t in cli("tags", "--json").json()}
    assert keys["limitation"] == "L"
    made = cli("annotate", "a", "--quote", "两国需要", "--tag", keys["limitation"], "--json")
    assert made.code == 0, made.err
    assert made.json()["tags"] == ["limitation"]
    refused = cli("tags", "add", "evidence", "--key", "l")
    assert refused.code == 1
    assert_one_error_line(refused.err, "'l'", "used by the annotator")
    assert cli("tags", "add", "evidence", "--key", "e").code == 0
