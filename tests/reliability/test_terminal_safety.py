"""Terminal safety (issue "Trust"): article and analyst text printed by the CLI
never carries control sequences.

A scraped title with an OSC sequence retitles the terminal window, ``ESC [2J``
clears it, the C1 control ``\\x9b`` is a one-byte CSI on terminals that honour
C1, and a right-to-left override makes the rest of the line read backwards.
Every text command below runs through the real ``main`` and its stdout and
stderr must hold none of them raw, while showing each one as a visible escape.
JSON output must hold them escaped too: ``json.dumps(ensure_ascii=False)``
escapes C0 controls but writes DEL, C1 controls and bidi overrides raw.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from exporters.corpus import add_article

from claimmap.cli.safe_text import terminal_safe
from claimmap.services.annotating import annotate_range, set_note
from claimmap.services.claims import label_claim
from claimmap.services.linking import set_pair_status
from claimmap.store import open_db
from tests.conftest import RunCli
from tests.helpers import assert_one_error_line

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202e\x7f\r"
# Everything a terminal may act on: C0 but newline and tab, DEL, C1, and the bidi
# embeddings, overrides and isolates.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
VISIBLE = r"\x1b]0;pwned\x07"

CLI_DIR = Path(__file__).resolve().parents[2] / "claimmap" / "cli"


@pytest.fixture
def hostile_db(db_path: Path) -> dict[str, int]:
    db = open_db(db_path)
    try:
        one = add_article(
            db, "one", f"Title {HOSTILE} one", f"第一段。标题{HOSTILE}在正文里。\n第二段在这里。\n"
        )
        two = add_article(
            db, "two", f"Other {HOSTILE} two", f"另一篇。标题{HOSTILE}在正文里。\n第三段。\n"
        )
        # add_tag refuses control characters now; a database from before that rule
        # (or written by hand) may still hold such a name, and must print safely.
        tag = f"tag{HOSTILE}x"
        db.execute(
            "INSERT INTO tags (name, key, color, ordinal) VALUES (?, NULL, '#888888', 99)", [tag]
        )
        text_one = db.execute("SELECT text FROM articles WHERE id = ?", [one]).fetchone()[0]
        text_two = db.execute("SELECT text FROM articles WHERE id = ?", [two]).fetchone()[0]
        start_one = text_one.index("标题")
        start_two = text_two.index("标题")
        a = annotate_range(
            db, "one", start_one, start_one + 16, [tag], note=f"note {HOSTILE}", annotator="ana"
        ).id
        b = annotate_range(
            db, "two", start_two, start_two + 16, ["motive"], annotator=f"ana{HOSTILE}"
        ).id
        set_note(db, b, f"second {HOSTILE}", annotator="ana")
        set_pair_status(db, a, b, "confirmed", score=90.0)
        claim = db.execute("SELECT claim_id FROM spans WHERE id = ?", [a]).fetchone()[0]
        label_claim(db, int(claim), f"label {HOSTILE}")
    finally:
        db.close()
    return {"a": a, "b": b, "claim": int(claim)}


def _assert_clean(text: str) -> None:
    found = RAW.findall(text)
    assert not found, (found, text)


COMMANDS = [
    ["articles"],
    ["show", "one"],
    ["show", "one", "--marked"],
    ["show", "one", "--log"],
    ["spans"],
    ["spans", "one"],
    ["claims"],
    ["links"],
    ["tags"],
    ["agreement"],
    ["disagreements"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_text_output_carries_no_control_sequences(
    cli: RunCli, hostile_db: dict[str, int], args: list[str]
) -> None:
    result = cli(*args)
    assert result.code == 0, result.err
    _assert_clean(result.out)
    _assert_clean(result.err)
    if args == ["disagreements"]:
        # Markdown escapes the name's brackets too; the name is there, shown.
        assert "pwned" in result.out, result.out
    elif args not in (["show", "one", "--log"], ["links"]):
        assert VISIBLE in result.out or r"\x9b" in result.out, result.out


def test_similar_and_span_commands_escape_quotes(cli: RunCli, hostile_db: dict[str, int]) -> None:
    outputs = [
        cli("similar", str(hostile_db["a"])),
        cli("claims", "label", str(hostile_db["claim"]), f"new {HOSTILE}"),
        cli("annotate", "two", "--start", "4", "--end", "20", "--tag", "motive"),
        cli("aliases", "add", f"v{HOSTILE}", "c"),
        cli("aliases"),
        cli("delete", str(hostile_db["b"])),
    ]
    for result in outputs:
        assert result.code == 0, result.err
        _assert_clean(result.out)
        _assert_clean(result.err)
        assert VISIBLE in result.out or r"\x1b" in result.out, result.out
    # A code name with controls is refused now, in a line that is itself safe.
    refused = cli("tags", "add", f"more{HOSTILE}")
    assert refused.code == 1
    _assert_clean(refused.err)


def test_show_keeps_newlines_and_tabs(cli: RunCli, db_path: Path) -> None:
    db = open_db(db_path)
    text = "第一行\t有制表符。\n第二行\x1b[31m红\x9b色。\n"
    add_article(db, "t", "t", text)
    db.close()
    out = cli("show", "t").out
    assert out == "第一行\t有制表符。\n第二行\\x1b[31m红\\x9b色。\n"


@pytest.mark.parametrize(
    "args",
    [["articles", "--json"], ["spans", "--json"], ["claims", "--json"], ["links", "--json"]],
    ids=" ".join,
)
def test_json_output_escapes_c1_and_bidi(
    cli: RunCli, hostile_db: dict[str, int], args: list[str]
) -> None:
    result = cli(*args)
    assert result.code == 0, result.err
    _assert_clean(result.out)
    # Escaped, not lost: the parsed document still holds the characters.
    if args != ["links", "--json"]:
        assert "\x9b31m\u202e\x7f" in json.dumps(result.json(), ensure_ascii=False)


def test_error_lines_carry_no_control_sequences(cli: RunCli, tmp_path: Path) -> None:
    missing = tmp_path / f"evil{HOSTILE}\x85.jsonl"
    result = cli("import-annotations", str(missing))
    assert result.code == 1
    _assert_clean(result.err)
    # One line: \r and \x85 in the name are shown, not taken as line breaks.
    assert_one_error_line(result.err, r"\x1b]0;pwned\x07", r"\x0d", r"\x85")


def test_import_annotations_report_is_escaped(
    cli: RunCli, hostile_db: dict[str, int], tmp_path: Path
) -> None:
    anno = {
        "id": "urn:uuid:1",
        "type": "Annotation",
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": "motive"}],
        "target": {
            "source": "urn:claimmap:article:one",
            "selector": [{"type": "TextQuoteSelector", "exact": f"gone{HOSTILE}"}],
        },
    }
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(anno) + "\n", "utf-8")
    result = cli("import-annotations", str(path))
    assert result.code == 0, result.err
    _assert_clean(result.out)
    assert "orphaned:" in result.out and r"gone\x1b]0;pwned\x07" in result.out


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\x1b]0;t\x07b", r"a\x1b]0;t\x07b"),
        ("\x9b2J", r"\x9b2J"),
        ("\x85", r"\x85"),
        ("\x7f", r"\x7f"),
        ("\r\x00", r"\x0d\x00"),
        ("abc\u202edef\u2066", r"abc\u202edef\u2066"),
        ("keep\nand\tthese", "keep\nand\tthese"),
        # Marks that do not span text (LRM, RLM, ALM), ZWJ emoji and CJK stay as they are.
        ("\u200e\u200f\u061c👩\u200d💻中文", "\u200e\u200f\u061c👩\u200d💻中文"),
    ],
)
def test_terminal_safe(raw: str, shown: str) -> None:
    assert terminal_safe(raw) == shown


def test_cli_prints_only_through_the_safe_echo() -> None:
    """One function for all human-readable output: no module calls click.echo,
    print or sys.stdout.write directly, except where bytes or JSON are written."""
    allowed = {
        ("safe_text.py", "click.echo"),
        ("context.py", "sys.stdout.write"),  # emit_json: escaped by json_safe
        ("export.py", "sys.stdout.buffer.write"),  # export -o -: the file format's bytes
        ("argument.py", "sys.stdout.buffer.write"),  # export argument -o -: likewise
        ("agreement.py", "sys.stdout.buffer.write"),  # disagreements -o -: likewise
    }
    found: list[tuple[str, str]] = []
    for path in sorted(CLI_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                writes = name.startswith(("sys.stdout", "sys.stderr")) and name.endswith("write")
                if name in ("click.echo", "print", "click.secho") or writes:
                    found.append((path.name, name))
    assert sorted(set(found) - allowed) == [], found
