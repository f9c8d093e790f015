"""``export argument``: Argdown that the official Argdown CLI parses to the same
numbers, AIF that imports back to the same relations, DOT whose strings Graphviz
reads back."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from claimmap.argument_graph import ArgumentMap, ClaimNode, SpanRelation, Wording, build_map
from claimmap.exporters.argdown import escape_text, render_argdown
from claimmap.exporters.dot import quoted, render_dot
from claimmap.services.relations import add_relation, list_relations
from claimmap.store import open_db
from tests.argument.corpus import ArgumentCorpus
from tests.conftest import RunCli
from tests.helpers import assert_one_error_line, dump

ARGDOWN_HOME = Path(
    os.environ.get("CLAIMMAP_ARGDOWN_HOME", Path.home() / ".cache/claimmap-argdown")
)
ARGDOWN = ARGDOWN_HOME / "node_modules/.bin/argdown"

HOSTILE = [
    'He said "no" \\ then [1] #tag <arg> // not a comment /* x */ _i_ *b* @m {k: v} +> -> <+',
    "美日两国「合作」\\\\末尾\\",
    "line one\nline two\ttab",
]


def _hostile_map() -> ArgumentMap:
    nodes = [
        ClaimNode(k + 1, None, "tag with (parens)", (Wording(k + 1, f"p{k}", text, 0),))
        for k, text in enumerate(HOSTILE)
    ]
    nodes.append(ClaimNode(9, "[label] # x", None, (Wording(9, "p9", "plain", 0),)))
    relations = [
        SpanRelation(1, 1, 2, "supports", None),
        SpanRelation(2, 2, 3, "attacks", 'note "x"'),
        SpanRelation(3, 9, 1, "attacks", None),
        SpanRelation(4, 3, 1, "supports", None),
    ]
    return build_map(
        nodes, {1: 1, 2: 2, 3: 3, 9: 9}, relations, {1: "p0", 2: "p1", 3: "p2", 9: "p9"}
    )


def _official_argdown_json(path: Path, out: Path) -> dict[str, object]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the official Argdown CLI (@argdown/cli) cannot run")
    if not ARGDOWN.exists():
        pytest.skip(
            f"@argdown/cli is not installed under {ARGDOWN_HOME} "
            "(.ci/run installs it when node is present)"
        )
    result = subprocess.run(
        [str(ARGDOWN), "json", str(path), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower(), result.stdout + result.stderr
    parsed: dict[str, object] = json.loads((out / f"{path.stem}.json").read_text(encoding="utf-8"))
    return parsed


def test_argdown_export_parses_in_the_official_cli_with_the_same_numbers(
    argument_corpus: ArgumentCorpus, cli: RunCli, tmp_path: Path
) -> None:
    target = tmp_path / "map.argdown"
    made = cli("export", "argument", "--format", "argdown", "-o", str(target), "--json")
    assert made.code == 0, made.err
    summary = made.json()
    assert (summary["claims"], summary["claim_relations"], summary["relations"]) == (4, 5, 6)
    assert summary["within_claim"] == 1
    parsed = _official_argdown_json(target, tmp_path / "out")
    statements = parsed["statements"]
    assert isinstance(statements, dict)
    assert len(statements) == summary["claims"]
    relations = parsed["relations"]
    assert isinstance(relations, list)
    assert len(relations) == summary["claim_relations"]
    # The same-claim spans are one statement holding both papers' wordings.
    cooperation = next(v for k, v in statements.items() if k.startswith("C1 "))
    texts = [m.get("text") for m in cooperation["members"]]
    assert "a: 美日两国开展技术合作" in texts and "b: 美日兩國開展技術合作" in texts
    kinds = sorted((r["from"].split()[0], r["to"].split()[0], r["relationType"]) for r in relations)
    assert ("C4", "C1", "attack") in kinds and ("C2", "C1", "support") in kinds


def test_argdown_keeps_hostile_text_verbatim_in_the_official_parser(tmp_path: Path) -> None:
    graph = _hostile_map()
    path = tmp_path / "hostile.argdown"
    path.write_text(render_argdown(graph), encoding="utf-8")
    parsed = _official_argdown_json(path, tmp_path / "out")
    statements = parsed["statements"]
    assert isinstance(statements, dict) and len(statements) == 4
    relations = parsed["relations"]
    assert isinstance(relations, list) and len(relations) == 4
    texts = {m.get("text") for v in statements.values() for m in v["members"]}
    for k, text in enumerate(HOSTILE):
        assert f"p{k}: " + " ".join(text.split()) in texts


def test_argdown_escapes_every_ascii_punctuation_character() -> None:
    assert escape_text("a[b]#c") == "a\\[b\\]\\#c"
    assert escape_text("中文，“全角”") == "中文，“全角”"
    assert escape_text("x\n y") == "x y"


def _scan_dot_strings(text: str) -> list[str]:
    """The quoted strings of a DOT file as Graphviz's scanner (lib/cgraph/scan.l) reads
    them: only a backslash right before a quote escapes it; every other character,
    backslashes included, is kept.  Fails on an unterminated string or stray quote."""
    strings: list[str] = []
    k = 0
    while k < len(text):
        if text[k] != '"':
            k += 1
            continue
        k += 1
        value: list[str] = []
        while True:
            assert k < len(text), "unterminated string"
            if text.startswith('\\"', k):
                value.append('"')
                k += 2
            elif text[k] == '"':
                k += 1
                break
            else:
                value.append(text[k])
                k += 1
        strings.append("".join(value))
    return strings


def _unescape_label(value: str) -> str:
    # Graphviz label escapes: \\ is a backslash (the others we never write).
    out, k = [], 0
    while k < len(value):
        if value[k] == "\\" and k + 1 < len(value) and value[k + 1] == "\\":
            out.append("\\")
            k += 2
        else:
            out.append(value[k])
            k += 1
    return "".join(out)


@pytest.mark.parametrize("text", [*HOSTILE, "ends in one \\", "ends in two \\\\", '\\"', ""])
def test_dot_strings_read_back_as_written(text: str) -> None:
    [value] = _scan_dot_strings(f"a [label={quoted(text)}];")
    assert _unescape_label(value).rstrip(" ") == " ".join(text.split())


def test_dot_export_is_a_well_formed_digraph() -> None:
    dot = render_dot(_hostile_map())
    lines = dot.splitlines()
    assert lines[0] == "digraph claimmap {" and lines[-1] == "}"
    body = lines[1:-1]
    statement = r'^  (graph|node|\d+|\d+ -> \d+) \[(\w+=("[^"\\]*(\\.[^"\\]*)*"|\w+)(, )?)+\];$'

    assert all(re.match(statement, line) for line in body), body
    labels = _scan_dot_strings(dot)
    assert any("美日两国「合作」" in s for s in labels)
    assert sum(1 for line in body if " -> " in line) == 4
    if shutil.which("dot"):
        result = subprocess.run(
            ["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr


def test_aif_export_imports_back_to_the_same_relations(
    argument_corpus: ArgumentCorpus, cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "map.json"
    assert cli("export", "argument", "--format", "aif", "-o", str(target)).code == 0
    document = json.loads(target.read_text(encoding="utf-8"))
    types = [n["type"] for n in document["nodes"]]
    assert types.count("RA") == 4 and types.count("CA") == 3  # one node per span relation
    assert types.count("L") == 5 and types.count("MA") == 5 and types.count("YA") == 5
    assert types.count("I") == 4 + 5  # claims and wordings
    assert {(loc["claimmap"]["article"]) for loc in document["locutions"]} == {"a", "b"}

    db = open_db(db_path)
    try:
        before = {(r.source, r.target, r.type, r.annotator, r.note) for r in list_relations(db)}
        db.execute("DELETE FROM relations")
        db.conn.commit()
    finally:
        db.close()
    made = cli("import-argument", str(target), "--json")
    assert made.code == 0, made.err
    assert made.json()["relations"] == 7
    db = open_db(db_path)
    try:
        after = {(r.source, r.target, r.type, r.annotator, r.note) for r in list_relations(db)}
    finally:
        db.close()
    assert after == before
    again = cli("import-argument", str(target), "--json")
    assert again.json()["relations"] == 0 and again.json()["already_present"] == 7


def test_aif_import_of_a_quote_found_nowhere_changes_nothing(
    argument_corpus: ArgumentCorpus, cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "map.json"
    assert cli("export", "argument", "--format", "aif", "-o", str(target)).code == 0
    document = json.loads(target.read_text(encoding="utf-8"))
    db = open_db(db_path)
    try:
        db.execute("DELETE FROM relations")
        db.conn.commit()
    finally:
        db.close()
    last_l = max(int(n["nodeID"]) for n in document["nodes"] if n["type"] == "L")
    for node in document["nodes"]:
        if int(node["nodeID"]) == last_l:
            node["text"] = "b: 这句话不在文章里"
    for loc in document["locutions"]:
        loc.pop("claimmap")
    target.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    before = dump(db_path)
    refused = cli("import-argument", str(target))
    assert refused.code == 1
    assert_one_error_line(refused.err, "这句话不在文章里")
    assert dump(db_path) == before


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("[]", "JSON object"),
        ('{"nodes": [{"nodeID": "1", "type": "RA", "text": "x"}], "edges": []}', "RA-node 1"),
        ('{"nodes": [], "edges": [{"edgeID": "1", "fromID": "1", "toID": "2"}]}', "not in 'nodes'"),
        ("{", "invalid JSON"),
    ],
)
def test_aif_import_refuses_malformed_files_with_one_error_line(
    argument_corpus: ArgumentCorpus,
    cli: RunCli,
    db_path: Path,
    tmp_path: Path,
    content: str,
    needle: str,
) -> None:
    target = tmp_path / "bad.json"
    target.write_text(content, encoding="utf-8")
    before = dump(db_path)
    refused = cli("import-argument", str(target))
    assert refused.code == 1
    assert_one_error_line(refused.err, needle)
    assert dump(db_path) == before


def test_exports_are_deterministic(
    argument_corpus: ArgumentCorpus, cli: RunCli, tmp_path: Path
) -> None:
    for fmt in ("argdown", "aif", "dot"):
        first, second = tmp_path / f"1.{fmt}", tmp_path / f"2.{fmt}"
        assert cli("export", "argument", "--format", fmt, "-o", str(first)).code == 0
        assert cli("export", "argument", "--format", fmt, "-o", str(second)).code == 0
        assert first.read_bytes() == second.read_bytes()


def test_stdout_and_one_analysts_layer(
    argument_corpus: ArgumentCorpus, cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    printed = cli("export", "argument", "--format", "dot", "-o", "-")
    assert printed.code == 0 and printed.out.startswith("digraph claimmap {")
    assert printed.out.count(" -> ") == 5
    refused = cli("export", "argument", "--format", "dot", "-o", "-", "--json")
    assert refused.code == 1
    assert_one_error_line(refused.err, "--json")
    db = open_db(db_path)
    try:
        add_relation(db, argument_corpus.s5, argument_corpus.s2, "supports", annotator="bo")
    finally:
        db.close()
    everyone = cli(
        "export", "argument", "--format", "argdown", "-o", str(tmp_path / "all.ad"), "--json"
    )
    assert everyone.json()["relations"] == 7
    bo = cli(
        "export",
        "argument",
        "--format",
        "aif",
        "--annotator",
        "bo",
        "-o",
        str(tmp_path / "bo.json"),
        "--json",
    )
    assert (bo.json()["relations"], bo.json()["claim_relations"]) == (1, 1)
    nodes = json.loads((tmp_path / "bo.json").read_text(encoding="utf-8"))["nodes"]
    assert [n["claimmap"]["annotator"] for n in nodes if n["type"] in ("RA", "CA")] == ["bo"]


def test_aif_import_reads_a_hand_made_ova_style_map(
    argument_corpus: ArgumentCorpus, cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """Numeric ids, no claimmap extension, a linked argument (two premises, one RA):
    each premise becomes a relation to the conclusion, made by the current analyst."""
    document = {
        "nodes": [
            {"nodeID": 1, "text": "a: 两国需要加强协调", "type": "L"},
            {"nodeID": 2, "text": "Asserting", "type": "YA"},
            {"nodeID": 3, "text": "两国需要加强协调", "type": "I"},
            {"nodeID": 4, "text": 'a: 合作面临"挑战"与[风险]\\n', "type": "L"},
            {"nodeID": 5, "text": "Asserting", "type": "YA"},
            {"nodeID": 6, "text": "…", "type": "I"},
            {"nodeID": 7, "text": "b: 標準不一阻礙合作", "type": "L"},
            {"nodeID": 8, "text": "Asserting", "type": "YA"},
            {"nodeID": 9, "text": "標準不一阻礙合作", "type": "I"},
            {"nodeID": 10, "text": "Default Inference", "type": "RA"},
        ],
        "edges": [
            {"edgeID": k, "fromID": a, "toID": b}
            for k, (a, b) in enumerate(
                [(1, 2), (2, 3), (4, 5), (5, 6), (7, 8), (8, 9), (3, 10), (6, 10), (10, 9)]
            )
        ],
        "locutions": [
            {"nodeID": 1, "personID": 1},
            {"nodeID": 4, "personID": 1},
            {"nodeID": 7, "personID": 2},
        ],
    }
    target = tmp_path / "ova.json"
    target.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    made = cli("import-argument", str(target), "--json")
    assert made.code == 0, made.err
    assert made.json()["relations"] == 2
    db = open_db(db_path)
    try:
        new = {(r.source, r.target, r.type) for r in list_relations(db) if r.annotator != "ana"}
    finally:
        db.close()
    s2, s4, s5 = argument_corpus.s2, argument_corpus.s4, argument_corpus.s5
    assert new == {(s2, s4, "supports"), (s5, s4, "supports")}
