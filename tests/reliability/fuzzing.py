"""Fuzzing targets and input mutators, shared by ``test_fuzz.py`` and
``benchmarks/bench_fuzz.py``.

Targets raise ``AssertionError`` (or anything unexpected) on a finding:

* ``check_textprep(raw)``: ``decode_bytes`` + ``clean`` + ``segment`` never crash
  except with ``DecodeError``; output is NFC with no ``\\r``; segments are in
  bounds; UTF-8 input decodes to exactly its text (never mojibake).
* ``check_annotation_file(base, path)``: ``import_annotations`` (W3C JSONL or
  ``.qdpx``) returns a report or raises a one-line ``ClaimmapError``; a refused
  file leaves the database as it was (all or nothing) and an imported one stores
  every date in claimmap's own UTC form.

Mutators: byte and XML damage, plus the hostile shapes of issue "Trust": JSON
nested up to 100,000 levels, numbers past 2**63 or 4,300 digits, ``<Code>``
chains thousands deep, and foreign or invalid dates.
"""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import sqlite3
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from claimmap.errors import ClaimmapError
from claimmap.services.annotating import annotate_range
from claimmap.services.exporting import export_annotations
from claimmap.services.interchange import import_annotations
from claimmap.services.linking import set_pair_status
from claimmap.store import open_db
from claimmap.textprep.decode import DecodeError, decode_bytes
from claimmap.textprep.pipeline import clean
from claimmap.textprep.segment import segment
from tests.reliability.crash import make_template

# Pieces the cleaner and decoder have rules for: spam separators, pinyin leaks,
# footnote markers, full-width punctuation, astral characters, line endings.
ALPHABET_PIECES = [
    "人工智能",
    "合作",
    "產業(yè)",
    "發展(fā)",
    "①",
    "^{*}",
    "^②",
    "，",
    "。",
    "、",
    "（WHO）",
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    " ",
    "\u3000",
    "|",
    "-",
    "热门推荐",
    "😊",
    "𠀀",
    "e\u0301",
    "\ufeff",
    "\x00",
    "\x1b",
    "?!",
    '" "',
    "AI",
    "2024年",
    "[1]",
    "参考文献",
    "\t",
]


def random_text(rng: random.Random, pieces: int = 40) -> str:
    return "".join(rng.choice(ALPHABET_PIECES) for _ in range(rng.randint(0, pieces)))


def random_raw(rng: random.Random) -> bytes:
    """Bytes an importer may meet: encoded text (sometimes damaged) or noise."""
    roll = rng.random()
    if roll < 0.15:
        return rng.randbytes(rng.randint(0, 400))
    text = random_text(rng, 80)
    encoding = rng.choice(["utf-8", "utf-8", "utf-8-sig", "utf-16", "gb18030", "big5"])
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:
        raw = text.encode("utf-8")
    if roll < 0.4 and raw:
        raw = mutate_bytes(rng, raw)
    return raw


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.random()
        at = rng.randrange(0, len(out) + 1)
        if op < 0.4 and out:
            out[min(at, len(out) - 1)] = rng.randrange(256)
        elif op < 0.7:
            out[at:at] = rng.randbytes(rng.randint(1, 6))
        elif out:
            del out[at : at + rng.randint(1, 16)]
    return bytes(out)


def check_textprep(raw: bytes) -> None:
    try:
        decoded = decode_bytes(raw, "fuzz.txt")
    except DecodeError:
        return
    try:
        as_utf8 = raw.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    if as_utf8 is not None and b"\x00" not in raw and not raw.startswith(b"\xef\xbb\xbf"):
        assert decoded.text == as_utf8, "valid UTF-8 decoded to other text"
    result = clean(decoded.text)
    text = result.text
    assert unicodedata.is_normalized("NFC", text), "cleaned text is not NFC"
    assert "\r" not in text, "cleaned text keeps a carriage return"
    for seg in segment(text):
        assert 0 <= seg.start <= seg.end <= len(text), f"segment {seg} out of bounds"
    for region in result.regions:
        assert 0 <= region.start <= region.end <= len(text), f"region {region} out of bounds"


class AnnotationBase:
    """A database with two seeds, spans and a confirmed link, and its exports."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db_path = make_template(folder)
        db = open_db(self.db_path)
        try:
            a = annotate_range(db, "1", 10, 40, ["motive"], note="注", annotator="fuzz").id
            b = annotate_range(db, "2", 20, 60, ["impact", "limitation"], annotator="fuzz").id
            annotate_range(db, "2", 100, 130, ["recommendation"], annotator="fuzz")
            set_pair_status(db, a, b, "confirmed", score=80.0)
            export_annotations(db, "w3c", folder / "export.jsonl")
            export_annotations(db, "qdpx", folder / "export.qdpx")
            # A checkpointed file to copy for each input.
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        self.w3c_lines = (folder / "export.jsonl").read_text(encoding="utf-8").splitlines()
        self.qdpx = (folder / "export.qdpx").read_bytes()
        self.counter = 0

    def fresh_copy(self) -> Path:
        self.counter += 1
        target = self.folder / f"case-{self.counter}.db"
        shutil.copyfile(self.db_path, target)
        return target


def _random_json(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth > 2 or roll < 0.5:
        return rng.choice(
            [
                None,
                True,
                -1,
                0,
                10**12,
                3.5,
                "",
                "x",
                "😊",
                "../../etc/passwd",
                "urn:uuid:0",
                [],
                {},
            ]
        )
    if roll < 0.75:
        return [_random_json(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {
        rng.choice(["type", "start", "end", "exact", "source", "selector", "id"]): _random_json(
            rng, depth + 1
        )
        for _ in range(rng.randint(0, 3))
    }


def _mutate_json(rng: random.Random, value: Any) -> Any:
    """Replace or delete one node somewhere in a parsed annotation."""
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(sorted(value))
        out = dict(value)
        roll = rng.random()
        if roll < 0.25:
            del out[key]
        elif roll < 0.5:
            out[key] = _random_json(rng)
        else:
            out[key] = _mutate_json(rng, value[key])
        return out
    if isinstance(value, list) and value and rng.random() < 0.8:
        i = rng.randrange(len(value))
        out_list = list(value)
        out_list[i] = _mutate_json(rng, value[i])
        return out_list
    if isinstance(value, int) and not isinstance(value, bool):
        return rng.choice([value + rng.randint(-50, 50), -value, value * 1000, 2**63])
    if isinstance(value, str):
        return rng.choice([value[: len(value) // 2], value + "改", "", value[::-1]])
    return _random_json(rng)


def random_w3c(rng: random.Random, base: AnnotationBase) -> bytes:
    lines = list(base.w3c_lines)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        roll = rng.random()
        if roll < 0.6:
            try:
                parsed = json.loads(lines[i])
            except json.JSONDecodeError:
                continue  # already damaged by an earlier mutation
            lines[i] = json.dumps(_mutate_json(rng, parsed), ensure_ascii=False)
        elif roll < 0.8:
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]  # bad JSON
        else:
            lines.insert(i, json.dumps(_random_json(rng)))
    return ("\n".join(lines) + "\n").encode("utf-8")


# -- Hostile shapes (issue "Trust"): nesting, numbers, code trees, dates -----------

# Around the interpreter's recursion limit and far beyond it.
DEPTHS = [1, 10, 63, 64, 65, 500, 990, 1000, 1100, 5000, 100_000]

HUGE_NUMBERS = [
    "2147483647",
    "2147483648",
    "9223372036854775807",
    str(2**63),
    str(2**64),
    str(-(2**63) - 1),
    "9" * 4300,
    "9" * 4301,
    "7" * 5000,
    "-" + "7" * 5000,
    "1e308",
    "1e400",
    "-1e400",
    "1" + "0" * 5000 + ".5",
    "1.0",
    "-0",
    "0e0",
]

FOREIGN_DATES = [
    "2024-05-01T12:00:00Z",
    "2024-05-01T12:00:00+00:00Z",
    "2024-05-01T20:00:00+08:00",
    "2024-05-01T20:00:00+08:00Z",
    "2024-05-01T12:00:00",
    "2024-05-01T12:00:00.123456789Z",
    "2024-05-01 12:00:00-0930",
    "2024-02-30T00:00:00Z",
    "2024-05-01T24:00:00Z",
    "2024-05-01T12:00:60Z",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "2024-05-01",
    "yesterday",
    "",
    "  ",
    "2024-05-01T12:00:00Z\n",
    "2024-05-01T12:00:00." + "9" * 200 + "Z",
]


def _deep_text(rng: random.Random) -> str:
    """JSON text nested ``depth`` levels, closed or cut off (never built as objects:
    ``json.dumps`` would itself hit the recursion limit)."""
    depth = rng.choice(DEPTHS)
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}"), ('{"selector":[', "]}")])
    inner = rng.choice(["0", '"x"', "[]", "{}", "null"])
    closed = rng.random() < 0.8
    return opener * depth + inner + (closer * depth if closed else "")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _splice_into_line(rng: random.Random, line: str, raw_values: list[str]) -> str:
    """``line`` with values (new keys or existing ones) replaced by raw JSON text."""
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError):
        return line
    if not isinstance(obj, dict):
        return line
    spots: list[tuple[dict[str, Any], str]] = [(obj, key) for key in ("extra", "body", "target")]
    target = obj.get("target")
    if isinstance(target, dict):
        spots.extend((target, key) for key in ("selector", "source", "extra"))
        for sel in _list(target.get("selector")):
            if isinstance(sel, dict):
                spots.extend((sel, key) for key in ("start", "end", "start", "end", "exact"))
    for body in _list(obj.get("body")):
        if isinstance(body, dict):
            spots.append((body, "value"))
    markers: list[tuple[str, str]] = []
    for n, raw in enumerate(raw_values):
        holder, key = rng.choice(spots)
        marker = f"\u0000SPLICE{n}\u0000"
        holder[key] = marker
        markers.append((marker, raw))
    text = json.dumps(obj, ensure_ascii=False)
    for marker, raw in markers:
        text = text.replace(json.dumps(marker), raw, 1)
    return text


def random_w3c_deep(rng: random.Random, base: AnnotationBase) -> bytes:
    """The export with deeply nested JSON spliced into one or two annotations."""
    lines = list(base.w3c_lines)
    for i in rng.sample(range(len(lines)), min(len(lines), rng.randint(1, 2))):
        lines[i] = _splice_into_line(rng, lines[i], [_deep_text(rng)])
    return ("\n".join(lines) + "\n").encode("utf-8")


def random_w3c_numbers(rng: random.Random, base: AnnotationBase) -> bytes:
    """The export with huge, negative or non-integer numbers in offsets (and elsewhere)."""
    lines = list(base.w3c_lines)
    i = rng.randrange(len(lines))
    if rng.random() < 0.3:
        lines[i] = _consistent_far_range(rng, lines[i])
    else:
        numbers = [rng.choice(HUGE_NUMBERS) for _ in range(rng.randint(1, 3))]
        lines[i] = _splice_into_line(rng, lines[i], numbers)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _consistent_far_range(rng: random.Random, line: str) -> str:
    """A range far past any text whose selectors agree and whose quote is nowhere:
    the annotation passes every per-field check and would be stored orphaned with
    its old offsets (where 2**63 used to overflow SQLite's integer)."""
    obj = json.loads(line)
    target = obj.get("target") if isinstance(obj, dict) else None
    selectors = [
        s
        for s in _list(target.get("selector") if isinstance(target, dict) else None)
        if isinstance(s, dict)
    ]
    quote = next((s for s in selectors if s.get("type") == "TextQuoteSelector"), None)
    position = next((s for s in selectors if s.get("type") == "TextPositionSelector"), None)
    if quote is None or position is None:
        return line
    quote["exact"] = "无此句" * max(1, len(quote["exact"]) // 3)
    start = rng.choice([2**31 - 1, 2**31, 2**53, 2**63 - 1, 2**63, 2**64])
    position["start"], position["end"] = start, start + len(quote["exact"])
    return json.dumps(obj, ensure_ascii=False)


def random_w3c_dates(rng: random.Random, base: AnnotationBase) -> bytes:
    """The export with foreign, odd or invalid ``created``/``modified`` values."""
    lines = list(base.w3c_lines)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        try:
            obj = json.loads(lines[i])
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict):
            obj[rng.choice(["created", "modified"])] = rng.choice(
                [*FOREIGN_DATES, 1714564800, None, [], {}]
            )
            lines[i] = json.dumps(obj, ensure_ascii=False)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _qdpx_members(base: AnnotationBase) -> tuple[dict[str, bytes], str]:
    with zipfile.ZipFile(io.BytesIO(base.qdpx)) as zf:
        members = {info.filename: zf.read(info) for info in zf.infolist()}
    project = next(n for n in members if n.endswith(".qde"))
    return members, project


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def random_qdpx_nested_codes(rng: random.Random, base: AnnotationBase) -> bytes:
    """The export with a chain of nested ``<Code>`` elements in its codebook, its
    deepest code sometimes used by a coding, sometimes left unclosed."""
    members, project = _qdpx_members(base)
    xml = members[project].decode("utf-8")
    depth = rng.choice(DEPTHS)
    deepest = f"00000000-0000-4000-8000-{depth:012d}"
    chain = "".join(
        f'<Code guid="00000000-0000-4000-8000-{i + 1:012d}" name="n{i + 1}" isCodable="true">'
        for i in range(depth)
    )
    if rng.random() < 0.9:
        chain += "</Code>" * depth
    xml = xml.replace("</Codes>", chain + "</Codes>", 1)
    if rng.random() < 0.5:
        xml = re.sub(r'targetGUID="[^"]*"', f'targetGUID="{deepest}"', xml, count=1)
    members[project] = xml.encode("utf-8")
    return _zip(members)


def random_qdpx_numbers_and_dates(rng: random.Random, base: AnnotationBase) -> bytes:
    """The export with huge or odd positions and foreign or invalid dates."""
    members, project = _qdpx_members(base)
    xml = members[project].decode("utf-8")
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.5:
            attr = rng.choice(["startPosition", "endPosition"])
            value = rng.choice([*HUGE_NUMBERS, "+5", " 5", "5_0", "٥", ""])
        else:
            attr = rng.choice(["creationDateTime", "modifiedDateTime"])
            value = rng.choice(FOREIGN_DATES).replace("\n", "&#10;")
        places = [m.start() for m in re.finditer(f'{attr}="', xml)]
        if places:
            at = rng.choice(places) + len(attr) + 2
            xml = xml[:at] + value + xml[xml.index('"', at) :]
    members[project] = xml.encode("utf-8")
    return _zip(members)


def random_qdpx_bytes(rng: random.Random, base: AnnotationBase) -> bytes:
    """A damaged archive: bytes flipped, inserted or cut anywhere in the zip."""
    return mutate_bytes(rng, base.qdpx)


def random_qdpx(rng: random.Random, base: AnnotationBase) -> bytes:
    """A well-formed zip whose project XML is damaged (or with escaping names)."""
    with zipfile.ZipFile(io.BytesIO(base.qdpx)) as zf:
        members = {info.filename: zf.read(info) for info in zf.infolist()}
    project = next(n for n in members if n.endswith(".qde"))
    xml = members[project].decode("utf-8")
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(xml) + 1)
        choice = rng.random()
        if choice < 0.35:
            xml = xml[:at] + xml[at + rng.randint(1, 40) :]
        elif choice < 0.7:
            xml = (
                xml[:at]
                + rng.choice(
                    ['"', "<", ">", "&", "-1", "999999999", "&xxe;", "<Code/>", "</Project>", "😊"]
                )
                + xml[at:]
            )
        else:
            xml = xml.replace('startPosition="', 'startPosition="' + rng.choice(["-", "9", "x"]), 1)
    members[project] = xml.encode("utf-8")
    if rng.random() < 0.2:
        members[rng.choice(["../../escape.txt", "/abs.txt", "sources/../../x"])] = b"x"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def _counts(db_path: Path) -> tuple[int, ...]:
    conn = sqlite3.connect(db_path)
    try:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("spans", "span_tags", "notes", "links", "claims", "tags")
        )
    finally:
        conn.close()


# The form claimmap.store.clock.now() writes; imported dates must be stored so too.
_STORED_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00", re.ASCII)


def _odd_stamps(db_path: Path) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        stamps = [
            value
            for table in ("spans", "notes", "links")
            for row in conn.execute(f"SELECT created_at, updated_at FROM {table}")
            for value in row
        ]
    finally:
        conn.close()
    return [s for s in stamps if not (isinstance(s, str) and _STORED_STAMP.fullmatch(s))]


def check_annotation_file(base: AnnotationBase, data: bytes, suffix: str) -> str:
    """Import ``data`` into a copy of the base database; returns 'imported' or 'refused'.

    An import must store every date in claimmap's own form; a refusal must be one
    line and leave the database as it was."""
    db_path = base.fresh_copy()
    path = base.folder / f"case-{base.counter}{suffix}"
    path.write_bytes(data)
    before = _counts(db_path)
    db = open_db(db_path)
    try:
        try:
            import_annotations(db, path)
            outcome = "imported"
        except ClaimmapError as exc:
            message = str(exc)
            assert message.strip(), "empty error message"
            assert "\n" not in message, "error message of more than one line"
            outcome = "refused"
    finally:
        db.close()
    if outcome == "refused":
        assert _counts(db_path) == before, "a refused file changed the database"
    else:
        odd = _odd_stamps(db_path)
        assert not odd, f"dates stored in another form: {odd[:3]}"
    db_path.unlink()
    path.unlink()
    for extra in ("-wal", "-shm"):
        Path(f"{db_path}{extra}").unlink(missing_ok=True)
    return outcome
