"""A small hostile corpus built straight into a database (no import pipeline needed).

Article text and notes carry formula triggers, HTML/JS payloads, CJK in both
scripts, newlines inside spans and astral characters, so every exporter meets
the cases it must survive.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlite_utils import Database

from claimmap.services.annotating import annotate_range, set_note
from claimmap.services.claims import join_claims, label_claim
from claimmap.store import open_db, write_unit

FIXED = "2024-05-01T12:00:00.000000+00:00"

TEXTS: dict[str, tuple[str, str]] = {
    "alpha": (
        "Alpha <script>alert('t')</script> & co",
        "美日合作强调供应链安全。\n"
        '=HYPERLINK("http://evil.example","click") 是一个公式。\n'
        "+1 号提案：人工智能治理需要共同规则。\n"
        "@SUM(A1:A2) 与 -2 都不是数字。\n"
        "\t以制表符开头的句子。\n"
        "𠀀 扩展区汉字也要保留。\n",
    ),
    "beta": (
        'Beta "><img src=x onerror=alert(1)>',
        "美歐合作同樣強調供應鏈安全。\n"
        "人工智能治理需要共同規則，這一點各方都同意。\n"
        "<script>document.title='pwned'</script> 出現在正文中。\n",
    ),
    "gamma": (
        "Gamma: 中日韩三国合作",
        "中日韩三国在人工智能领域的合作仍然有限。\n"
        "供应链安全是共同关切。\n"
        "人工智能治理需要共同规则。\n",
    ),
}


@dataclass
class Corpus:
    db: Database
    spans: dict[str, int]


def add_article(db: Database, ref: str, title: str, text: str) -> int:
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with write_unit(db):
        cur = db.execute(
            "INSERT INTO articles (ref, source, source_path, title, script, encoding, raw_sha256, "
            "text_sha256, text, chars, imported_at, updated_at) "
            "VALUES (?, ?, NULL, ?, 'simplified', 'utf-8', ?, ?, ?, ?, ?, ?)",
            [ref, f"{ref}.txt", title, sha, sha, text, len(text), FIXED, FIXED],
        )
    assert cur.lastrowid is not None
    return int(cur.lastrowid)


def _span(db: Database, ref: str, quote: str, tags: list[str], occurrence: int = 0) -> int:
    text = TEXTS[ref][1]
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return annotate_range(db, ref, start, start + len(quote), tags, annotator="ana").id


def confirm(db: Database, a: int, b: int, score: float = 90.0) -> None:
    a, b = min(a, b), max(a, b)
    with write_unit(db):
        db.execute(
            "INSERT INTO links (a, b, score, status, method, created_at, updated_at) "
            "VALUES (?, ?, ?, 'confirmed', 'test', ?, ?)",
            [a, b, score, FIXED, FIXED],
        )
        join_claims(db, a, b)


def suggest(db: Database, a: int, b: int, score: float) -> None:
    a, b = min(a, b), max(a, b)
    with write_unit(db):
        db.execute(
            "INSERT INTO links (a, b, score, status, method, created_at, updated_at) "
            "VALUES (?, ?, ?, 'suggested', 'test', ?, ?)",
            [a, b, score, FIXED, FIXED],
        )


def freeze_times(db: Database) -> None:
    """Fixed timestamps, so two corpora built at different moments compare equal."""
    with write_unit(db):
        for table in ("spans", "claims", "notes"):
            db.execute(f"UPDATE {table} SET created_at = ?, updated_at = ?", [FIXED, FIXED])


def add_articles(db: Database) -> None:
    for ref, (title, text) in TEXTS.items():
        add_article(db, ref, title, text)


def build_corpus(db: Database | None = None) -> Corpus:
    db = db or open_db(memory=True)
    add_articles(db)
    s: dict[str, int] = {}
    s["a_supply"] = _span(db, "alpha", "美日合作强调供应链安全。", ["motive"])
    s["a_formula"] = _span(db, "alpha", '=HYPERLINK("http://evil.example","click")', ["impact"])
    s["a_plus"] = _span(db, "alpha", "+1 号提案：人工智能治理需要共同规则。", ["recommendation"])
    s["a_at"] = _span(db, "alpha", "@SUM(A1:A2)", ["limitation"])
    s["a_minus"] = _span(db, "alpha", "-2 都不是数字", ["limitation", "impact"])
    s["a_tab"] = _span(db, "alpha", "\t以制表符开头的句子。", ["impact"])
    s["a_multiline"] = _span(db, "alpha", "是一个公式。\n+1 号提案", ["motive"])
    s["a_astral"] = _span(db, "alpha", "𠀀 扩展区汉字", ["motive"])
    s["b_supply"] = _span(db, "beta", "美歐合作同樣強調供應鏈安全。", ["motive"])
    s["b_rules"] = _span(db, "beta", "人工智能治理需要共同規則", ["recommendation"])
    s["b_script"] = _span(db, "beta", "<script>document.title='pwned'</script>", ["limitation"])
    s["g_supply"] = _span(db, "gamma", "供应链安全是共同关切。", ["motive"])
    s["g_rules"] = _span(db, "gamma", "人工智能治理需要共同规则。", ["recommendation"])
    s["g_limited"] = _span(db, "gamma", "合作仍然有限", ["limitation"])
    set_note(
        db,
        s["b_script"],
        "<script>alert('note')</script>\"><img src=x onerror=alert(2)>",
        annotator="ana",
    )
    set_note(db, s["a_formula"], "=1+1\r\nsecond line", annotator="ana")
    set_note(db, s["a_supply"], "供应链 framing: security first", annotator="ana")
    confirm(db, s["a_supply"], s["b_supply"])
    confirm(db, s["b_supply"], s["g_supply"])
    confirm(db, s["a_plus"], s["b_rules"])
    confirm(db, s["b_rules"], s["g_rules"])
    # Scores are 0-100, as the linker writes them.
    suggest(db, s["a_at"], s["g_limited"], 72.0)
    claim = db.execute("SELECT claim_id FROM spans WHERE id = ?", [s["a_supply"]]).fetchone()[0]
    label_claim(db, int(claim), "Supply-chain security <b>first</b>")
    freeze_times(db)
    return Corpus(db, s)
