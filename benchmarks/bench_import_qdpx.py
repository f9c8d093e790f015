"""Importing another tool's REFI-QDA project whose sources are not in the database.

The project is built from the seeds the way MAXQDA writes one: CRLF line
endings, a BOM, ``Sources/``, upper-case GUIDs, several coders.  Every source
becomes an article (cleaned, its codings carried through the cleaning's offset
map), every coding a span.  Prints sources/s, codings/s and MB/s of source text
for the whole ``import_annotations`` call: parse, clean, carry, anchor, store.

    python benchmarks/bench_import_qdpx.py [--sources 100] [--codings 50]
"""

from __future__ import annotations

import argparse
import io
import random
import tempfile
import time
import uuid
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

from claimmap.services.interchange import import_annotations
from claimmap.store import open_db

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
NS = "urn:QDA-XML:project:1.0"


def _guid(*parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(map(str, parts)))).upper()


def build(path: Path, sources: int, codings: int, rng: random.Random) -> int:
    """Write the project; returns the bytes of source text in it."""
    seeds = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    users = [_guid("user", n) for n in range(3)]
    codes = [_guid("code", n) for n in range(8)]
    xml = [f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{NS}" name="bench">']
    xml.append("<Users>" + "".join(f'<User guid="{u}" name="coder {u[:4]}"/>' for u in users))
    xml.append("</Users><CodeBook><Codes>")
    xml.extend(
        f'<Code guid="{c}" name="code {n}" isCodable="true" color="#{n:02x}88cc"/>'
        for n, c in enumerate(codes)
    )
    xml.append("</Codes></CodeBook><Sources>")
    members: dict[str, bytes] = {}
    total = 0
    for s in range(sources):
        text = seeds[s % len(seeds)].replace("\n", "\r\n") + f"\r\nsource {s}\r\n"
        source_guid = _guid("source", s)
        members[f"Sources/{source_guid}.txt"] = b"\xef\xbb\xbf" + text.encode("utf-8")
        total += len(text.encode("utf-8"))
        xml.append(
            f'<TextSource guid="{source_guid}" name={quoteattr(f"paper {s}.txt")} '
            f'plainTextPath="internal://{source_guid}.txt">'
        )
        # Codings on body lines past the spam at the top, so cleaning keeps them.
        lines = [i for i, line in enumerate(text.split("\r\n")) if len(line) > 40]
        starts = [sum(len(x) + 2 for x in text.split("\r\n")[:i]) for i in lines[5:-5]]
        for c in range(codings):
            start = rng.choice(starts) + rng.randrange(0, 10)
            sel = _guid("sel", s, c)
            xml.append(
                f'<PlainTextSelection guid="{sel}" startPosition="{start}" '
                f'endPosition="{start + rng.randrange(8, 30)}" creatingUser="{rng.choice(users)}">'
                f'<Coding guid="{_guid("coding", s, c)}"><CodeRef targetGUID="{rng.choice(codes)}"/>'
                "</Coding></PlainTextSelection>"
            )
        xml.append("</TextSource>")
    xml.append("</Sources></Project>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", "".join(xml).encode("utf-8"))
        for name, data in members.items():
            zf.writestr(name, data)
    path.write_bytes(buf.getvalue())
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--codings", type=int, default=50, help="codings per source")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.qdpx"
        size = build(path, args.sources, args.codings, random.Random(7))
        db = open_db(Path(tmp) / "bench.db")
        began = time.perf_counter()
        report = import_annotations(db, path)
        took = time.perf_counter() - began
        db.close()
    spans = report.annotations
    print(
        f"{args.sources} sources, {spans} codings ({report.orphaned} orphaned, "
        f"{len(report.notices)} notices) in {took:.2f} s: {args.sources / took:.1f} sources/s, "
        f"{spans / took:.0f} codings/s, {size / took / 1e6:.2f} MB/s of source text"
    )


if __name__ == "__main__":
    main()
