"""Every command is documented in the README (as sqlite-utils checks its docs)."""

from __future__ import annotations

from pathlib import Path

import click

from claimmap.cli.main import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    # list_commands/get_command, not group.commands: the top group loads its
    # commands lazily, so .commands holds only those already used.
    names: list[str] = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        names.append(f"{prefix}{name}")
        if isinstance(command, click.Group):
            names.extend(_commands(command, f"{prefix}{name} "))
    return names


def test_every_command_is_in_the_readme() -> None:
    missing = [
        name
        for name in _commands(cli)
        if f"claimmap {name}" not in README and f"`{name}" not in README
    ]
    assert not missing, f"undocumented commands: {missing}"
