"""The headless CLI contract of issue 2: every command and every error path."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.helpers import assert_one_error_line, dump

SEED_000 = "000_9f00d43fca9a4a2d"
SEED_003 = "003_9521e7cee6721ccd"


# -- import and articles -----------------------------------------------------


def test_import_directory_then_again_is_idempotent(cli: RunCli, seeds_dir: Path) -> None:
    first = cli("import", str(seeds_dir), "--json")
    assert first.code == 0, first.err
    items = first.json()
    assert [i["status"] for i in items] == ["imported"] * 5
    again = cli("import", str(seeds_dir), "--json")
    assert [i["status"] for i in again.json()] == ["present"] * 5
    articles = cli("articles", "--json").json()
    assert len(articles) == 5
    for a in articles:
        assert {"id", "ref", "source", "title", "chars"} <= set(a)
    assert articles[0]["source"] == f"{SEED_000}.txt"
    assert articles[0]["ref"] == SEED_000


def test_import_glob_and_single_file(cli: RunCli, seeds_dir: Path) -> None:
    assert cli("import", str(seeds_dir / "00[01]_*.txt")).code == 0
    assert cli("import", str(seeds_dir / f"{SEED_003}.txt")).code == 0
    assert len(cli("articles", "--json").json()) == 3


def test_dry_run_writes_nothing_and_lists_changes(
    cli: RunCli, seeds_dir: Path, db_path: Path
) -> None:
    cli("tags")  # create the database
    before = dump(db_path)
    result = cli("import", "--dry-run", "--json", str(seeds_dir))
    assert result.code == 0, result.err
    items = {Path(i["path"]).stem: i for i in result.json()}
    assert all(i["status"] == "would-import" for i in items.values())
    steps_001 = {c["step"] for c in items["001_222e73f4153aafe6"]["changes"]}
    assert steps_001, "001's spam lines must show up as changes"
    assert items[SEED_003]["changes"], "003's pinyin leaks must show up as changes"
    assert dump(db_path) == before
    text = cli("import", "--dry-run", str(seeds_dir))
    assert "would-import" in text.out


def test_import_errors_leave_database_unchanged(
    cli: RunCli, tmp_path: Path, db_path: Path, seeds_dir: Path
) -> None:
    cli("import", str(seeds_dir / f"{SEED_000}.txt"))
    before = dump(db_path)
    png = tmp_path / "picture.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    mixed = tmp_path / "batch"
    mixed.mkdir()
    (mixed / "good.txt").write_text("一篇很好的文章。内容完整。\n", encoding="utf-8")
    (mixed / "bad.txt").write_bytes(png.read_bytes())
    for args in (
        [str(png)],
        [str(tmp_path / "missing.txt")],
        [str(mixed)],
        [str(tmp_path / "nomatch-*.txt")],
    ):
        result = cli("import", *args)
        assert result.code == 1, args
        assert_one_error_line(result.err)
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    result = cli("import", str(empty_dir))
    assert result.code == 1
    assert "no .txt or .md" in result.err
    assert dump(db_path) == before


def test_changed_file_needs_update(cli: RunCli, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("第一句话。第二句话。\n", encoding="utf-8")
    assert cli("import", str(f)).code == 0
    f.write_text("第一句话。第二句话改了。\n", encoding="utf-8")
    result = cli("import", str(f))
    assert result.code == 1
    assert "--update" in result.err
    assert cli("import", "--update", str(f)).code == 0
    assert len(cli("articles", "--json").json()) == 1


# -- references ----------------------------------------------------------------


@pytest.mark.parametrize(
    "reference",
    ["1", f"{SEED_000}.txt", SEED_000, "作者:上海日本研究交流中心"],
)
def test_article_reference_forms(seeded: RunCli, reference: str) -> None:
    result = seeded("show", reference)
    if reference.startswith("作者"):
        # The first line of 000 is an author line, not the title: a title prefix
        # must come from the extracted title, so this one is expected to fail.
        titles = [a["title"] for a in seeded("articles", "--json").json()]
        assert not any(t.startswith(reference) for t in titles)
        assert result.code == 1
        return
    assert result.code == 0, result.err
    assert "美日两国" in result.out


def test_title_prefix_reference(seeded: RunCli) -> None:
    articles = seeded("articles", "--json").json()
    title = next(a["title"] for a in articles if a["ref"] == SEED_003)
    result = seeded("spans", title[:8], "--json")
    assert result.code == 0, result.err


def test_unknown_and_ambiguous_reference(seeded: RunCli) -> None:
    result = seeded("show", "nope-nothing")
    assert result.code == 1
    assert_one_error_line(result.err)


# -- annotate ------------------------------------------------------------------


def test_annotate_exact_quote_json_shape(seeded: RunCli) -> None:
    quote = "美日两国自二战后即开展技术合作"
    result = seeded("annotate", SEED_000, "--quote", quote, "--tag", "motive", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert set(data) == {"id", "article", "start", "end", "quote", "tags", "anchor", "warnings"}
    assert data["warnings"] == []
    assert data["quote"] == quote and data["anchor"] == "exact" and data["tags"] == ["motive"]
    text = seeded("show", SEED_000).out
    assert text[data["start"] : data["end"]] == quote


def test_annotate_raw_quote_with_noise_anchors_normalized(seeded: RunCli) -> None:
    raw = (Path(__file__).parent.parent / "seeds" / f"{SEED_003}.txt").read_text(encoding="utf-8")
    start = raw.index("人工智能產業(yè)發(fā)展已經進入快車道")
    quote = raw[start : start + len("人工智能產業(yè)發(fā)展已經進入快車道")]
    result = seeded("annotate", SEED_003, "--quote", quote, "--tag", "impact", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["anchor"] == "normalized"
    assert data["quote"] == "人工智能產業發展已經進入快車道"


def test_annotate_range_and_occurrence(seeded: RunCli) -> None:
    text = seeded("show", SEED_000).out
    word = "人工智能"
    assert text.count(word) > 1
    ambiguous = seeded("annotate", SEED_000, "--quote", word, "--tag", "m")
    assert ambiguous.code == 1
    assert "--occurrence" in ambiguous.err
    second = seeded(
        "annotate", SEED_000, "--quote", word, "--occurrence", "2", "--tag", "m", "--json"
    )
    assert second.code == 0
    assert second.json()["start"] == text.index(word, text.index(word) + 1)
    by_range = seeded(
        "annotate", SEED_000, "--start", "10", "--end", "20", "--tag", "limitation", "--json"
    )
    assert by_range.json()["quote"] == text[10:20]


def test_identical_span_is_merged(seeded: RunCli) -> None:
    a = seeded("annotate", SEED_000, "--start", "30", "--end", "40", "--tag", "m", "--json").json()
    b = seeded(
        "annotate", SEED_000, "--start", "30", "--end", "40", "--tag", "impact", "--json"
    ).json()
    assert a["id"] == b["id"]
    assert b["tags"] == ["motive", "impact"]
    assert len(seeded("spans", "--json").json()) == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--quote", "这句话根本不在文章里面出现过的内容"], "not found"),
        (["--quote", "美日两国", "--tag", "nosuchtag"], "unknown tag"),
        (["--start", "5", "--end", "999999"], "outside"),
        (["--start", "5"], "--end"),
        (["--quote", "   "], "empty"),
    ],
)
def test_annotate_errors(seeded: RunCli, db_path: Path, args: list[str], needle: str) -> None:
    before = dump(db_path)
    if "--tag" not in args:
        args = [*args, "--tag", "motive"]
    result = seeded("annotate", SEED_000, *args)
    assert result.code == 1
    assert_one_error_line(result.err)
    assert needle in result.err
    assert dump(db_path) == before


# -- spans, tag, note, delete, tags --------------------------------------------


def test_span_lifecycle(seeded: RunCli) -> None:
    span = seeded(
        "annotate",
        SEED_000,
        "--quote",
        "美日两国自二战后即开展技术合作",
        "--tag",
        "m",
        "--note",
        "first",
        "--json",
    ).json()
    sid = str(span["id"])
    listed = seeded("spans", SEED_000, "--json").json()
    assert {"id", "article", "start", "end", "quote", "tags", "note"} <= set(listed[0])
    assert listed[0]["note"] == "first"
    assert seeded("tag", sid, "--add", "impact", "--remove", "motive", "--json").json()["tags"] == [
        "impact"
    ]
    assert [s["id"] for s in seeded("spans", "--tag", "impact", "--json").json()] == [span["id"]]
    assert seeded("spans", "--tag", "motive", "--json").json() == []
    assert seeded("note", sid, "second thoughts", "--json").json()["note"] == "second thoughts"
    last_tag = seeded("tag", sid, "--remove", "impact")
    assert last_tag.code == 1 and "no tag left" in last_tag.err
    assert seeded("delete", sid).code == 0
    assert seeded("spans", "--json").json() == []
    missing = seeded("delete", sid)
    assert missing.code == 1
    assert_one_error_line(missing.err)


def test_tags_codebook(cli: RunCli) -> None:
    tags = cli("tags", "--json").json()
    assert [t["name"] for t in tags] == ["motive", "limitation", "impact", "recommendation"]
    assert [t["key"] for t in tags] == ["m", "L", "i", "r"]
    added = cli("tags", "add", "evidence", "--key", "e", "--json").json()
    assert added["name"] == "evidence" and added["color"].startswith("#")
    dup = cli("tags", "add", "Evidence")
    assert dup.code == 1 and "exists" in dup.err
    bad = cli("tags", "add", "x", "--color", "red")
    assert bad.code == 1


def test_show_marked_and_log(seeded: RunCli) -> None:
    seeded("annotate", SEED_000, "--start", "10", "--end", "20", "--tag", "m")
    marked = seeded("show", SEED_000, "--marked").out
    assert "[[1:motive " in marked and " ]]1" in marked
    log = seeded("show", "001_222e73f4153aafe6", "--log").out
    assert log.strip()


# -- offsets: code points on canonical text ------------------------------------


def test_offsets_with_astral_zwj_combining_and_crlf(cli: RunCli, tmp_path: Path) -> None:
    body = "开头😊中间𠀀再说👩\u200d👩\u200d👧家庭e\u0301té结尾。\r\n第二行有“引号”。\r\n"
    f = tmp_path / "astral.txt"
    f.write_bytes(body.encode("utf-8"))
    assert cli("import", str(f)).code == 0
    text = cli("show", "astral").out
    assert "\r" not in text
    assert "é" in text  # NFC composed the combining accent
    for quote in ("𠀀再说", "👩\u200d👩\u200d👧家庭", "ét", "第二行有“引号”"):
        data = cli("annotate", "astral", "--quote", quote, "--tag", "m", "--json").json()
        assert text[data["start"] : data["end"]] == data["quote"]
        assert data["start"] == text.index(data["quote"])
    family = cli("annotate", "astral", "--quote", "家庭", "--tag", "m", "--json").json()
    # 开头😊中间𠀀再说 = 8 code points, then a 5-code-point ZWJ sequence.
    assert family["start"] == 8 + 5


def test_show_prints_text_exactly_as_stored(seeded: RunCli, db_path: Path) -> None:
    stored = (
        sqlite3.connect(db_path)
        .execute("SELECT text FROM articles WHERE ref = ?", [SEED_003])
        .fetchone()[0]
    )
    assert seeded("show", SEED_003).out == stored


def test_not_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from claimmap.cli.main import main

    bogus = tmp_path / "notes.db"
    bogus.write_text("hello, I am a text file pretending to be a database\n")
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(bogus), "articles"])
    assert exc.value.code == 1
    assert_one_error_line(capsys.readouterr().err)
