"""The installed entry points: ``python -m claimmap``, ``$CLAIMMAP_DB`` and ``--db``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_9f00d43fca9a4a2d.txt"


def run(args: list[str], cwd: Path, env_db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CLAIMMAP_DB"}
    if env_db is not None:
        env["CLAIMMAP_DB"] = str(env_db)
    return subprocess.run(
        [sys.executable, "-m", "claimmap", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_default_env_and_flag_databases(tmp_path: Path) -> None:
    assert run(["import", str(SEED)], cwd=tmp_path).returncode == 0
    assert (tmp_path / "claimmap.db").exists()
    env_db = tmp_path / "env.db"
    assert run(["import", str(SEED)], cwd=tmp_path, env_db=env_db).returncode == 0
    assert env_db.exists()
    flag_db = tmp_path / "flag.db"
    result = run(["--db", str(flag_db), "articles", "--json"], cwd=tmp_path, env_db=env_db)
    assert result.returncode == 0 and json.loads(result.stdout) == []
    listed = json.loads(run(["articles", "--json"], cwd=tmp_path, env_db=env_db).stdout)
    assert [a["source"] for a in listed] == [SEED.name]


def test_user_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    result = run(["show", "missing-article"], cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    usage = run(["annotate"], cwd=tmp_path)
    assert usage.returncode == 1 and usage.stderr.startswith("error: ")
