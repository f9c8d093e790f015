"""Layering: the domain and the CLI's help never import Textual or Rich."""

from __future__ import annotations

import subprocess
import sys
import textwrap

DOMAIN_PACKAGES = [
    "claimmap.models",
    "claimmap.store",
    "claimmap.textprep",
    "claimmap.linking",
    "claimmap.services",
    "claimmap.anchoring",
    "claimmap.argument_graph",
    "claimmap.documents",
    "claimmap.exporters",
    "claimmap.agreement",
]


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_domain_modules_do_not_import_textual_or_rich() -> None:
    out = _run(
        f"""
        import importlib, pkgutil, sys
        roots = {DOMAIN_PACKAGES!r}
        imported = []
        for root in roots:
            module = importlib.import_module(root)
            imported.append(root)
            for info in pkgutil.walk_packages(getattr(module, "__path__", []), root + "."):
                importlib.import_module(info.name)
                imported.append(info.name)
        leaked = sorted(
            name for name in sys.modules
            if name.split(".")[0] in ("textual", "rich")
        )
        print(len(imported), ",".join(leaked))
        """
    )
    count, leaked = out.strip().split(" ", 1) if " " in out.strip() else (out.strip(), "")
    assert int(count) > len(DOMAIN_PACKAGES)  # subpackages were walked, not just roots
    assert leaked == ""


def test_cli_help_does_not_import_textual() -> None:
    out = _run(
        """
        import sys
        from claimmap.cli.main import main
        try:
            main(["--help"])
        except SystemExit:
            pass
        print("\\nLEAKED:" + ",".join(sorted(
            n for n in sys.modules if n.split(".")[0] == "textual"
        )))
        """
    )
    assert "Usage:" in out
    assert out.rstrip().endswith("LEAKED:")
