"""Open the HTML report in headless Chromium and keep a screenshot as a test artefact."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from claimmap.services import exporting
from exporters.corpus import Corpus

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def _chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _headless(browser: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with the flags this machine needs (no sandbox as root,
    no background networking on a closed network) and a private profile."""
    return subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_report_renders_in_headless_chromium(corpus: Corpus, tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip(
            "headless Chromium not installed (apt-get install -y chromium); "
            "the report's DOM is still checked by test_formats.py"
        )
    page = tmp_path / "report.html"
    page.write_bytes(
        exporting.export_matrix(corpus.db, "html", exporting.matrix_options(corpus.db))
    )
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    dump = _headless(browser, tmp_path, "--dump-dom", page.as_uri())
    assert dump.returncode == 0, dump.stderr[-2000:]
    dom = dump.stdout
    # What the browser built: the payload is text, and no script ran to change the title.
    assert "<title>Claim matrix — claimmap</title>" in dom
    assert "pwned" not in dom.split("<body>")[0]
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom
    assert "<img" not in dom
    shot_run = _headless(
        browser,
        tmp_path,
        "--hide-scrollbars",
        "--window-size=1280,1600",
        f"--screenshot={shot}",
        page.as_uri(),
    )
    assert shot_run.returncode == 0, shot_run.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
