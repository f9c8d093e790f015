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
    dump = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert dump.returncode == 0, dump.stderr[-2000:]
    dom = dump.stdout
    # What the browser built: the payload is text, and no script ran to change the title.
    assert "<title>Claim matrix — claimmap</title>" in dom
    assert "pwned" not in dom.split("<body>")[0]
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom
    assert "<img" not in dom
    shot_run = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1280,1600",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert shot_run.returncode == 0, shot_run.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
