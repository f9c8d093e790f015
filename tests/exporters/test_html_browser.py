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


LONG = (
    "Diverging data-protection rules between the partners make it hard to share the "
    "training data that joint models would need, and no common framework is in sight; "
    "officials on both sides concede that years of negotiation lie ahead."
)
# Measures the laid-out matrix and writes the figures into the DOM for --dump-dom.
# Added to a copy of the report only: the report itself forbids scripts.
_MEASURE = """<script>
addEventListener('load', () => {
  const box = document.querySelector('.wrap').getBoundingClientRect();
  const heads = [...document.querySelectorAll('table.matrix thead th')];
  const cells = [...document.querySelectorAll('td.cell')].map(c => c.getBoundingClientRect().height);
  document.body.dataset.layout = JSON.stringify({
    boxRight: box.right, lastHeadRight: heads[heads.length - 1].getBoundingClientRect().right,
    tallest: Math.max(...cells), lineHeight: parseFloat(getComputedStyle(document.body).lineHeight),
  });
});
</script>"""


def test_eight_articles_fit_and_long_quotes_stay_readable(tmp_path: Path) -> None:
    """The report with eight English articles: every column visible at 1280 px
    (no column behind an inner scroll bar), and a long quote does not make its row
    tower over the others (it is clamped; hovering or focusing shows it whole)."""
    import json
    import re

    from claimmap.services.annotating import annotate_quote
    from claimmap.services.importing import import_paths
    from claimmap.services.linking import set_pair_status
    from claimmap.store import open_db

    browser = _chromium()
    if browser is None:
        pytest.skip("headless Chromium not installed (apt-get install -y chromium)")
    src = tmp_path / "src"
    src.mkdir()
    for k in range(1, 9):
        (src / f"article{k}.txt").write_text(
            f"Perspectives on AI cooperation, part {k}\n\nIntroduction {k}. {LONG} Closing {k}.\n",
            encoding="utf-8",
        )
    db = open_db(tmp_path / "eight.db")
    import_paths(db, [str(src)])
    ids = [annotate_quote(db, f"article{k}", LONG, ["limitation"]).id for k in range(1, 9)]
    for other in ids[1:]:
        set_pair_status(db, ids[0], other, "confirmed", score=100.0)
    page = exporting.export_matrix(db, "html", exporting.matrix_options(db)).decode("utf-8")
    db.close()
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    dump = _headless(
        browser,
        tmp_path,
        "--window-size=1280,900",
        "--virtual-time-budget=3000",
        "--dump-dom",
        probe.as_uri(),
    )
    assert dump.returncode == 0, dump.stderr[-2000:]
    found = re.search(r'data-layout="([^"]+)"', dump.stdout)
    assert found, dump.stdout[-2000:]
    layout = json.loads(found.group(1).replace("&quot;", '"'))
    assert layout["lastHeadRight"] <= layout["boxRight"] + 1, layout
    assert layout["tallest"] <= 7 * layout["lineHeight"], layout
