"""The app open while another process changes the same database file.

The reader's view is a copy: when another process (``claimmap import --update``,
``claimmap annotate``, sqlite-utils) commits, the app must notice and re-read,
and never store offsets chosen on the old text.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from claimmap.tui.app import make_app
from tests.reliability.helpers import run_cli_subprocess

from .conftest import ARTICLE_A, ARTICLE_B, MakeDb

SIZE = (120, 32)

# The same article with a new paragraph inserted before the one the reader is on:
# every later offset shifts, so old offsets land on another passage.
REVISED_A = ARTICLE_A.replace(
    "\n\n数字技术", "\n\n編者按：本文經作者修訂，增補了新的一段說明。\n\n数字技术", 1
)


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli_subprocess(db, *args)


def _rows(db: Path) -> list[tuple[int, int, str]]:
    from claimmap.store import open_db

    conn = open_db(db)
    try:
        return [
            (int(r[0]), int(r[1]), str(r[2]))
            for r in conn.execute('SELECT start, "end", quote FROM spans ORDER BY id')
        ]
    finally:
        conn.close()


async def test_a_code_key_after_another_process_changed_the_article_stores_nothing_wrong(
    make_db: MakeDb, tmp_path: Path
) -> None:
    db = make_db({"a_alliance": ARTICLE_A, "b_eu": ARTICLE_B})
    src = tmp_path / "src" / "a_alliance.txt"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "s")  # select the first body sentence
        selected = app.view.selection()
        assert selected is not None
        sentence = ARTICLE_A[selected[0] : selected[1]]
        assert sentence.startswith("数字技术")

        src.write_text(REVISED_A, encoding="utf-8")
        done = _cli(db, "import", "--update", str(src))
        assert done.returncode == 0, done.stderr

        # The code key arrives before the app's poll has seen the change: refused.
        app.tag("motive")
        assert _rows(db) == []
        # ... and the article was re-read, the selection following its sentence.
        doc = app.view.doc
        assert doc is not None and "編者按" in doc.text
        now_selected = app.view.selection()
        assert now_selected is not None
        assert doc.text[now_selected[0] : now_selected[1]] == sentence

        await pilot.press("1")  # the analyst presses again: the right passage is tagged
        await pilot.pause()
        rows = _rows(db)
        assert len(rows) == 1
        start, end, quote = rows[0]
        assert quote == sentence == doc.text[start:end]


async def test_the_app_rereads_a_changed_article_on_its_own(
    make_db: MakeDb, tmp_path: Path
) -> None:
    db = make_db({"a_alliance": ARTICLE_A, "b_eu": ARTICLE_B})
    src = tmp_path / "src" / "a_alliance.txt"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "s")
        selected = app.view.selection()
        assert selected is not None
        sentence = ARTICLE_A[selected[0] : selected[1]]
        src.write_text(REVISED_A, encoding="utf-8")
        assert _cli(db, "import", "--update", str(src)).returncode == 0
        await pilot.pause(1.5)  # the poll notices the commit of the other process
        doc = app.view.doc
        assert doc is not None and "編者按" in doc.text
        await pilot.press("1")
        await pilot.pause()
        rows = _rows(db)
        assert [quote for _s, _e, quote in rows] == [sentence]
        assert doc.text[rows[0][0] : rows[0][1]] == sentence


def test_the_storage_refuses_a_span_that_is_not_the_text_at_its_offsets(
    make_db: MakeDb,
) -> None:
    """Whoever writes (the app, the CLI, sqlite-utils by hand), in the same transaction."""
    import sqlite3

    import pytest

    db = make_db({"a_alliance": ARTICLE_A})
    conn = sqlite3.connect(db)
    try:
        conn.execute("INSERT INTO claims (label, created_at, updated_at) VALUES (NULL, 'x', 'x')")
        with pytest.raises(sqlite3.IntegrityError, match="differs from the article text"):
            conn.execute(
                'INSERT INTO spans (article_id, start, "end", quote, prefix, suffix, text_sha256, '
                "annotator, claim_id, created_at, updated_at) "
                "VALUES (1, 0, 4, 'not!', '', '', '', 'me', 1, 'x', 'x')"
            )
        start = ARTICLE_A.index("数字技术")
        conn.execute(
            'INSERT INTO spans (article_id, start, "end", quote, prefix, suffix, text_sha256, '
            "annotator, claim_id, created_at, updated_at) "
            "VALUES (1, ?, ?, '数字技术', '', '', '', 'me', 1, 'x', 'x')",
            [start, start + 4],
        )
        with pytest.raises(sqlite3.IntegrityError, match="differs from the article text"):
            conn.execute('UPDATE spans SET start = start + 1, "end" = "end" + 1')
    finally:
        conn.close()


async def test_spans_written_by_the_cli_appear_in_the_open_app(make_db: MakeDb) -> None:
    db = make_db({"a_alliance": ARTICLE_A, "b_eu": ARTICLE_B})
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        assert app.view.doc is not None and app.view.doc.spans == {}
        done = _cli(
            db, "annotate", "a_alliance", "--quote", "出口管制", "--tag", "impact", "--json"
        )
        assert done.returncode == 0, done.stderr
        for _ in range(40):
            await pilot.pause(0.1)
            if app.view.doc.spans:
                break
        spans = list(app.view.doc.spans.values())
        assert [app.view.doc.text[s.start : s.end] for s in spans] == ["出口管制"]
        assert spans[0].tags == ("impact",)
        # The app's next span gets its own id: nothing is overwritten.
        await pilot.press("j", "j", "s", "2")
        await pilot.pause()
        ids = [r for r in _rows(db)]
        assert len(ids) == 2
