"""The HTML report draws the claim-level argument map as an inline SVG."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from claimmap.argument_graph import ClaimNode, SpanRelation, Wording, build_map
from claimmap.exporters.argument_svg import MAX_CLAIMS, argument_section, wrap
from tests.argument.corpus import ArgumentCorpus
from tests.conftest import RunCli

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


class _Svg(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if (
            tag == "svg"
            and ("aria-label", "Argument map: claims and the relations between them") in attrs
        ):
            self.inside = True
        if self.inside:
            self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.text.append(data)


def _report(cli: RunCli, tmp_path: Path) -> str:
    target = tmp_path / "report.html"
    made = cli("export", "matrix", "--format", "html", "-o", str(target))
    assert made.code == 0, made.err
    return target.read_text(encoding="utf-8")


def test_the_report_draws_every_related_claim_and_claim_relation(
    argument_corpus: ArgumentCorpus, cli: RunCli, tmp_path: Path
) -> None:
    assert cli("claims", "label", "4", '<script>alert("x")</script> & [b]').code == 0
    page = _report(cli, tmp_path)
    svg = _Svg()
    svg.feed(page)
    assert svg.tags.count("g") == 4  # claims 1, 2, 4, 5
    # five edges, each with a wide unpainted twin to hover, and two arrow heads
    assert svg.tags.count("path") == 5 * 2 + 2
    text = "".join(svg.text)
    assert '<script>alert("x")</script> & [b]' in text  # shown as text, escaped in the file
    assert "<script>" not in page
    # No text labels on the edges; the title says it, here claim 1's two wordings
    # from papers a and b.
    assert "supports ×2" not in text
    assert "2 relation(s), asserted by a, b" in text
    assert "#1 · motive · a, b" in text
    assert "5 relations between claims (from 6 between spans)" in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")


def test_a_report_without_relations_says_how_to_make_them(cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("T\n\n一句话。\n", encoding="utf-8")
    assert cli("import", str(tmp_path / "a.txt")).code == 0
    page = _report(cli, tmp_path)
    assert "<h2>Argument map</h2>" in page and "No relations yet" in page


def test_a_large_map_is_cut_to_the_most_connected_claims_with_a_note() -> None:
    count = MAX_CLAIMS + 40
    nodes = [
        ClaimNode(k, None, "motive", (Wording(k, "a", f"claim {k}", 0),)) for k in range(count)
    ]
    # Claim 0 is the hub; every other claim supports it, and the even ones attack k + 1.
    relations = [SpanRelation(k, k, 0, "supports", None) for k in range(1, count)]
    relations += [SpanRelation(1000 + k, k, k + 1, "attacks", None) for k in range(2, count - 1, 2)]
    graph = build_map(
        nodes, {k: k for k in range(count)}, relations, dict.fromkeys(range(count), "a")
    )
    section = argument_section(graph, {"motive": "#4e9a06"})
    assert section["shown"] == MAX_CLAIMS and section["related"] == count
    assert section["cut"] == 40
    assert len(section["nodes"]) == MAX_CLAIMS
    assert any(n["lines"][0] == "claim 0" for n in section["nodes"])  # the hub is kept
    for n in section["nodes"]:
        assert n["x"] >= 0 and n["x"] + section["node_w"] <= section["width"]


def test_labels_wrap_to_two_lines_that_fit_the_box() -> None:
    lines = wrap("合作" * 40)
    assert len(lines) == 2 and lines[1].endswith("…")
    assert wrap("short") == ["short"]
    assert all(len(line) <= 17 for line in wrap("字" * 30))


def test_labels_break_between_words_and_by_the_cjk_rules() -> None:
    """A box label never splits an English word ("dr iven") nor starts a line with
    closing punctuation: the app's line-breaking rules (UAX #14)."""
    sentence = "US-Japan AI cooperation is driven by, and aimed at, containing China"
    english = wrap(sentence)
    assert english[0] == "US-Japan AI cooperation is"
    assert english[1].startswith("driven by,")
    words = set(sentence.split(" "))
    assert all(w in words for w in english[0].split())
    for text in (
        "美日两国的人工智能合作带有明显的对华竞争色彩，旨在遏制中国技术",
        "日本的人工智能人才缺口到2030年将达到12.4万人",
    ):
        lines = wrap(text, max_px=12.5 * 13)
        assert not lines[1].startswith(("，", "。", "”"))
        assert "2030" in "".join(lines) or lines[1].endswith("…")
        assert not any(line.endswith("20") for line in lines)


def test_the_map_renders_in_headless_chromium(
    argument_corpus: ArgumentCorpus, cli: RunCli, tmp_path: Path
) -> None:
    browser = next(
        (b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None
    )
    if browser is None:
        pytest.skip("headless Chromium not installed (apt-get install -y chromium)")
    _report(cli, tmp_path)
    page = (tmp_path / "report.html").as_uri()
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dump = subprocess.run(
        [browser, *flags, "--dump-dom", page],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert dump.returncode == 0, dump.stderr[-2000:]
    drawn = dump.stdout.split("<h2>Argument map</h2>", 1)[1].split("</svg>", 1)[0]
    assert len(re.findall(r"<rect ", drawn)) == 8  # each of the 4 claims: a box and its tag bar
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "argument_map.png"
    shot.unlink(missing_ok=True)
    run = subprocess.run(
        [
            browser,
            *flags,
            "--hide-scrollbars",
            "--window-size=1280,2400",
            f"--screenshot={shot}",
            page,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_drawn_claims_hang_together() -> None:
    """Two stars: a big one (hub 0) and a small one (hub 500).  With room for the big
    star and two more claims, the drawing takes the big star whole, then the small
    hub and a neighbour of it, not isolated claims of high degree elsewhere."""
    from claimmap.argument_graph import most_connected
    from claimmap.exporters.argument_svg import neighbourhood

    big = list(range(1, 11))
    small = [501, 502, 503]
    nodes = [
        ClaimNode(k, None, None, (Wording(k, "a", f"c{k}", 0),)) for k in [0, *big, 500, *small]
    ]
    relations = [SpanRelation(k, k, 0, "supports", None) for k in big]
    relations += [SpanRelation(k, k, 500, "attacks", None) for k in small]
    ids = [n.id for n in nodes]
    graph = build_map(nodes, {k: k for k in ids}, relations, dict.fromkeys(ids, "a"))
    chosen = neighbourhood(graph, most_connected(graph, len(ids)), 13)
    assert set(chosen[:11]) == {0, *big}
    assert chosen[11] == 500 and chosen[12] in small
