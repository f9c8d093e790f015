"""Offsets chosen on one version of an article are never stored on another."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimmap.errors import ArticleChanged
from claimmap.services.annotating import adjust_span, annotate_range, delete_span, restore_span
from claimmap.services.importing import import_paths
from claimmap.store import open_db

OLD = "第一段。\n\n美日两国开展技术合作。两国需要加强协调。\n"
NEW = "新增的一段说明文字。\n\n第一段。\n\n美日两国开展技术合作。两国需要加强协调。\n"


def _dump(db_path: Path) -> list[tuple[object, ...]]:
    db = open_db(db_path)
    try:
        return [tuple(r) for r in db.execute('SELECT id, start, "end", quote FROM spans')]
    finally:
        db.close()


def test_stale_offsets_are_refused_by_every_span_writer(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(OLD, encoding="utf-8")
    db = open_db(tmp_path / "a.db")
    import_paths(db, [str(src)])
    start = OLD.index("美日")
    seen = OLD[start : start + 4]
    kept = annotate_range(db, "a", start, start + 4, ["motive"], expect_quote=seen)
    snapshot = delete_span(db, kept.id)

    src.write_text(NEW, encoding="utf-8")  # another process revises the article
    import_paths(db, [str(src)], update=True)
    before = _dump(tmp_path / "a.db")
    with pytest.raises(ArticleChanged, match="changed since it was read"):
        annotate_range(db, "a", start, start + 4, ["motive"], expect_quote=seen)
    other = annotate_range(db, "a", NEW.index("两国需要"), NEW.index("两国需要") + 4, ["impact"])
    with pytest.raises(ArticleChanged):
        adjust_span(db, other.id, start, start + 4, expect_quote=seen)
    with pytest.raises(ArticleChanged):  # undo of the delete, on the old offsets
        restore_span(db, snapshot)
    assert _dump(tmp_path / "a.db") == [*before, (other.id, other.start, other.end, "两国需要")]
    db.close()
