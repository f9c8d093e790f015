"""A small two-article corpus with claims across articles and relations between them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from claimmap.services.relations import add_relation
from claimmap.store import open_db
from tests.conftest import RunCli

ARTICLE_A = 'Paper A\n\n美日两国开展技术合作。两国需要加强协调。合作面临"挑战"与[风险]\\n。\n'
ARTICLE_B = "Paper B\n\n美日兩國開展技術合作。標準不一阻礙合作。\n"


@dataclass(frozen=True)
class ArgumentCorpus:
    """Span ids by role; claims: s1 and s3 are one claim (the same words in two scripts)."""

    s1: int  # a: cooperation (motive)
    s2: int  # a: coordination needed (recommendation)
    s3: int  # b: cooperation, traditional script (motive), same claim as s1
    s4: int  # b: differing standards hinder it (limitation)
    s5: int  # a: quotes, brackets and a backslash
    relations: dict[str, int]


def build_argument_corpus(cli: RunCli, db_path: Path, folder: Path) -> ArgumentCorpus:
    (folder / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    made = cli("import", str(folder / "a.txt"), str(folder / "b.txt"))
    assert made.code == 0, made.err

    def span(article: str, quote: str, tag: str) -> int:
        result = cli("annotate", article, "--quote", quote, "--tag", tag, "--json")
        assert result.code == 0, result.err
        return int(result.json()["id"])

    s1 = span("a", "美日两国开展技术合作", "motive")
    s2 = span("a", "两国需要加强协调", "recommendation")
    s3 = span("b", "美日兩國開展技術合作", "motive")
    s4 = span("b", "標準不一阻礙合作", "limitation")
    s5 = span("a", '合作面临"挑战"与[风险]\\n', "impact")
    claims = {c["id"]: c for c in cli("claims", "--json").json()}
    claim_of = {s: cid for cid, c in claims.items() for s in c["spans"]}
    merged = cli("claims", "merge", str(claim_of[s1]), str(claim_of[s3]))
    assert merged.code == 0, merged.err
    assert (
        cli("claims", "label", str(min(claim_of[s1], claim_of[s3])), "US-Japan cooperation").code
        == 0
    )
    db = open_db(db_path)
    try:
        made_relations = {
            # a: coordination supports the cooperation claim
            "s2>s1": add_relation(db, s2, s1, "supports", annotator="ana").id,
            # b: differing standards attack cooperation (the claim papers a and b share)
            "s4-s3": add_relation(db, s4, s3, "attacks", note="standards", annotator="ana").id,
            # a, against the same claim through its own wording: one more paper, same edge
            "s5-s1": add_relation(db, s5, s1, "attacks", annotator="ana").id,
            "s4-s2": add_relation(db, s4, s2, "attacks", annotator="ana").id,
            # a cycle: cooperation supports the limitation's passage
            "s1>s4": add_relation(db, s1, s4, "supports", annotator="ana").id,
            # the same claim edge from the other paper's wording: two papers assert it
            "s3>s4": add_relation(db, s3, s4, "supports", annotator="ana").id,
            # within one claim: not an edge of the map
            "s3>s1": add_relation(db, s3, s1, "supports", annotator="ana").id,
        }
    finally:
        db.close()
    return ArgumentCorpus(s1, s2, s3, s4, s5, made_relations)
