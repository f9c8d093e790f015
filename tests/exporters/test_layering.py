"""Exporters are plain Python: importing them must not pull in Textual or Rich."""

from __future__ import annotations

import subprocess
import sys


def test_exporters_do_not_import_textual_or_rich() -> None:
    code = (
        "import sys\n"
        "import claimmap.exporters.matrix, claimmap.exporters.framing, "
        "claimmap.exporters.csv_format, claimmap.exporters.xlsx_format, "
        "claimmap.exporters.markdown_format, claimmap.exporters.json_format, "
        "claimmap.exporters.html_format, claimmap.exporters.w3c, claimmap.exporters.brat, "
        "claimmap.exporters.qdpx\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
