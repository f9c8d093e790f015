"""Database health: SQLite's integrity check plus claimmap's own invariants."""

from __future__ import annotations

from sqlite_utils import Database


def check_database(db: Database) -> list[str]:
    """Problems found (empty when healthy)."""
    problems: list[str] = []
    result = [r[0] for r in db.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        problems.extend(f"integrity: {r}" for r in result)
    problems.extend(f"foreign key: {r}" for r in db.execute("PRAGMA foreign_key_check"))
    for span_id, quote, start, end, text in db.execute(
        'SELECT s.id, s.quote, s.start, s."end", a.text FROM spans s '
        "JOIN articles a ON a.id = s.article_id WHERE s.orphaned = 0"
    ):
        if text[start:end] != quote:
            problems.append(f"span {span_id}: quote differs from the text at {start}-{end}")
    for (span_id,) in db.execute(
        "SELECT s.id FROM spans s WHERE NOT EXISTS (SELECT 1 FROM span_tags t WHERE t.span_id = s.id)"
    ):
        problems.append(f"span {span_id}: has no tag")
    for link_id, a, b in db.execute(
        "SELECT l.id, l.a, l.b FROM links l JOIN spans sa ON sa.id = l.a JOIN spans sb ON sb.id = l.b "
        "WHERE l.status = 'confirmed' AND sa.claim_id IS NOT sb.claim_id"
    ):
        problems.append(f"link {link_id}: confirmed but spans {a} and {b} are in different claims")
    for (span_id,) in db.execute("SELECT id FROM spans WHERE claim_id IS NULL"):
        problems.append(f"span {span_id}: belongs to no claim")
    return problems
