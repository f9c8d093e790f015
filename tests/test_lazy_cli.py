"""CLI start-up: a command imports only what it uses; --help lists every command."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import click
import pytest

from claimmap.cli.main import LAZY_COMMANDS, cli

COMMAND_MODULES = sorted({module for module, _attr, _help in LAZY_COMMANDS.values()})
# What `articles` never needs: text cleaning, anchoring, the linker, exporters.
HEAVY = [
    "numpy",
    "numba",
    "rapidfuzz",
    "opencc",
    "jinja2",
    "xlsxwriter",
    "charset_normalizer",
    "pypdfium2",
    "claimmap.services.importing",
    "claimmap.services.exporting",
    "claimmap.anchoring",
    "claimmap.textprep.script",
    "claimmap.linking",
]


def _modules_after(code: str) -> tuple[str, set[str]]:
    script = textwrap.dedent(
        """
        import json, sys
        from claimmap.cli.main import main
        try:
            main(ARGS)
        except SystemExit:
            pass
        sys.stderr.write("\\nMODULES:" + json.dumps(sorted(sys.modules)))
        """
    ).replace("ARGS", code)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    err, _, modules = result.stderr.rpartition("\nMODULES:")
    assert modules, result.stderr
    return result.stdout + err, set(json.loads(modules))


def test_table_names_every_command_of_every_module() -> None:
    for module_name in COMMAND_MODULES:
        module = importlib.import_module(module_name)
        for command in module.COMMANDS:
            assert command.name in LAZY_COMMANDS, f"{command.name} missing from LAZY_COMMANDS"
            where, attribute, short = LAZY_COMMANDS[command.name]
            assert (where, getattr(module, attribute)) == (module_name, command)
            assert short == command.get_short_help_str(limit=10_000), command.name


def test_help_lists_every_command_without_importing_any(tmp_path: Path) -> None:
    out, modules = _modules_after('["--help"]')
    for name, (_module, _attr, short) in LAZY_COMMANDS.items():
        assert f"  {name} " in out, name
        assert short.split()[0] in out
    assert not modules & set(COMMAND_MODULES)
    assert not {m.split(".")[0] for m in modules} & {"pydantic", "sqlite_utils", "textual"}


@pytest.mark.parametrize(
    ("command", "module"),
    [("articles", "claimmap.cli.listings"), ("spans", "claimmap.cli.listings")],
)
def test_listing_imports_only_what_it_uses(tmp_path: Path, command: str, module: str) -> None:
    db = tmp_path / "x.db"
    out, modules = _modules_after(f'["--db", {str(db)!r}, {command!r}, "--json"]')
    assert json.loads(out) == []
    assert sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY) == []
    assert not any(m.startswith(("claimmap.linking", "claimmap.textprep")) for m in modules)
    assert module in modules
    assert not modules & (set(COMMAND_MODULES) - {module})


# What listing the articles of an existing database never needs (issue 11):
# pydantic and sqlite-utils alone cost more than the whole start-up budget.
NOT_FOR_LISTING = ["pydantic", "pydantic_core", "sqlite_utils", "textual", "rich", *HEAVY]


@pytest.mark.parametrize("as_json", [True, False])
@pytest.mark.parametrize("command", ["articles", "spans"])
def test_listing_an_existing_database_needs_neither_pydantic_nor_sqlite_utils(
    tmp_path: Path, as_json: bool, command: str
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("美日兩國自二戰後即開展技術合作。\n", encoding="utf-8")
    db = tmp_path / "x.db"
    for args in (["import", str(article)], ["annotate", "a", "--quote", "美日", "--tag", "motive"]):
        subprocess.run(
            [sys.executable, "-m", "claimmap", "--db", str(db), *args],
            check=True,
            capture_output=True,
            cwd=tmp_path,
        )
    flag = ', "--json"' if as_json else ""
    out, modules = _modules_after(f'["--db", {str(db)!r}, {command!r}{flag}]')
    if as_json:
        assert [a["ref" if command == "articles" else "article"] for a in json.loads(out)] == ["a"]
    else:
        assert out.split()[:2] == ["1", "a"]
    # The rows were printed and nothing heavy loaded: the plain-sqlite3 read ran
    # (the open_db fallback would have brought sqlite-utils and pydantic).
    loaded = sorted(m for m in modules if m.split(".")[0] in NOT_FOR_LISTING or m in HEAVY)
    assert loaded == []


def test_show_by_ref_reads_without_pydantic_or_sqlite_utils(tmp_path: Path) -> None:
    """``show REF`` on a current database prints the stored text through the plain
    read; a name the exact ref does not match still goes through the resolver."""
    text = "美日兩國自二戰後即開展技術合作 😀 𠀀。\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "x.db"
    subprocess.run(
        [sys.executable, "-m", "claimmap", "--db", str(db), "import", str(tmp_path / "a.txt")],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    out, modules = _modules_after(f'["--db", {str(db)!r}, "show", "a"]')
    assert out == text
    assert sorted(m for m in modules if m.split(".")[0] in NOT_FOR_LISTING or m in HEAVY) == []
    # By id: the resolver (and its models) is needed, and gives the same text.
    out, modules = _modules_after(f'["--db", {str(db)!r}, "show", "1"]')
    assert out == text and "pydantic" in modules


def test_sqlite_utils_never_imports_numpy_whatever_imports_it_first() -> None:
    """Services import sqlite-utils before any claimmap.store module; numpy must still
    stay out (it costs ~0.1 s) and stay importable for the linker."""
    script = textwrap.dedent(
        """
        import sys
        import claimmap
        import sqlite_utils
        print("numpy" in sys.modules, sqlite_utils.db.np is None)
        import numpy
        print(numpy.__name__)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "numpy"]


def test_unknown_command_is_still_a_usage_error() -> None:
    ctx = click.Context(cli)
    assert cli.get_command(ctx, "no-such-command") is None
    out, _modules = _modules_after('["no-such-command"]')
    assert "No such command" in out


def test_annotating_a_quote_loads_no_simplified_to_traditional_dictionary(
    tmp_path: Path,
) -> None:
    """OpenCC's s2t dictionaries cost ~0.1 s to load and only script detection at
    import uses them: an ``annotate --quote`` call must not pay for them."""
    article = tmp_path / "a.txt"
    article.write_text("美日兩國自二戰後即開展技術合作。\n", encoding="utf-8")
    db = tmp_path / "x.db"
    subprocess.run(
        [sys.executable, "-m", "claimmap", "--db", str(db), "import", str(article)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    script = textwrap.dedent(
        f"""
        import sys
        from claimmap.cli.main import main
        try:
            main(["--db", {str(db)!r}, "annotate", "a", "--quote", "美日两国", "--tag", "motive"])
        except SystemExit as exc:
            assert not exc.code, exc.code
        from claimmap.textprep import script
        print(script._s2t.cache_info().currsize)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "0"
