"""The checks brat applies when it reads a standoff document, written from its rules.

brat (nlplab/brat, ``server/src/annotation.py`` and ``verify_annotations.py``)
reads an ``.ann`` file line by line with Python's universal line splitting, so
CR, VT, FF, U+001C-U+001E, NEL, U+2028 and U+2029 end a line just as LF does.
Then, per line:

- ``ID<TAB>DATA[<TAB>TAIL]``; IDs are unique.
- ``T``: ``TYPE START END[;START END...]``; 0 <= start <= end <= len(text); the
  fragments of one annotation do not overlap (brat counts ``end >= other start
  and start < other end`` as overlap); the tail is the fragments' text joined by
  one space, followed by nothing or whitespace.
- ``R``: ``TYPE Arg1:ID Arg2:ID`` naming defined annotations.
- ``#``: ``TYPE TARGET<TAB>TEXT`` naming a defined annotation.

and the verifier then checks against ``annotation.conf``:

- every text-bound type is a declared entity, every relation type declared and
  allowed between its arguments' types (``<ENTITY>`` matches any entity);
- any two entities whose extents (first start to last end) overlap must be
  allowed to by an ``<OVERLAP> Arg1:A, Arg2:B, <OVL-TYPE>:V`` line: V ``equal``
  for identical spans, ``contain`` for nesting, ``cross`` otherwise; ``<ANY>``
  allows all three.  Without such a line no overlap at all is allowed.

``problems`` returns what brat would report, as readable strings (empty: valid).
"""

from __future__ import annotations

from dataclasses import dataclass, field

OVL_TYPES = ("equal", "contain", "cross")


@dataclass
class Conf:
    entities: set[str] = field(default_factory=set)
    # (type, arg1 types, arg2 types, overlap kinds) per [relations] line
    relations: list[tuple[str, set[str], set[str], set[str]]] = field(default_factory=list)


def parse_conf(text: str) -> Conf:
    conf = Conf()
    section = ""
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        if section == "entities":
            conf.entities.add(line.lstrip("!"))
        elif section == "relations":
            name, _, rest = line.partition("\t")
            args: dict[str, set[str]] = {}
            for part in rest.split(","):
                key, _, values = part.strip().partition(":")
                args[key] = set(values.split("|"))
            conf.relations.append(
                (
                    name,
                    args.get("Arg1", set()),
                    args.get("Arg2", set()),
                    args.get("<OVL-TYPE>", set()),
                )
            )
    return conf


def _matches(allowed: set[str], type_: str, conf: Conf) -> bool:
    return (
        type_ in allowed or "<ANY>" in allowed or ("<ENTITY>" in allowed and type_ in conf.entities)
    )


def _overlap_kinds(conf: Conf, a: str, b: str) -> set[str]:
    kinds: set[str] = set()
    for name, arg1, arg2, ovl in conf.relations:
        if name == "<OVERLAP>" and _matches(arg1, a, conf) and _matches(arg2, b, conf):
            for value in ovl:
                kinds |= set(OVL_TYPES) if value == "<ANY>" else {value}
    return kinds


def _allowed(conf: Conf, kind: str, a: str, b: str) -> bool:
    return kind in _overlap_kinds(conf, a, b) | _overlap_kinds(conf, b, a)


@dataclass
class TextBound:
    id: str
    type: str
    frags: list[tuple[int, int]]

    @property
    def first(self) -> int:
        return min(s for s, _ in self.frags)

    @property
    def last(self) -> int:
        return max(e for _, e in self.frags)


def problems(text: str, ann: str, conf_text: str) -> list[str]:
    conf = parse_conf(conf_text)
    found: list[str] = []
    ids: set[str] = set()
    tbs: dict[str, TextBound] = {}
    refs: list[tuple[str, str]] = []
    relations: list[tuple[str, str, str, str]] = []
    for n, line in enumerate(ann.splitlines(), 1):
        if "\t" not in line:
            found.append(f"line {n}: no tab: {line!r}")
            continue
        ann_id, _, rest = line.partition("\t")
        if ann_id in ids:
            found.append(f"line {n}: duplicate id {ann_id}")
        ids.add(ann_id)
        data, tab, tail = rest.partition("\t")
        if ann_id.startswith("T"):
            type_, _, offsets = data.partition(" ")
            try:
                frags = [(int(a), int(b)) for a, b in (f.split(" ") for f in offsets.split(";"))]
            except ValueError:
                found.append(f"line {n}: bad offsets {data!r}")
                continue
            seen: list[tuple[int, int]] = []
            for start, end in frags:
                if not 0 <= start <= end <= len(text):
                    found.append(f"{ann_id}: fragment {start} {end} outside the text")
                if any(end >= s and start < e for s, e in seen):
                    found.append(f"{ann_id}: fragments overlap")
                seen.append((start, end))
            covered = " ".join(text[s:e] for s, e in frags)
            if not tab or not tail.startswith(covered):
                found.append(f"{ann_id}: text {tail!r} is not the document's {covered!r}")
            elif tail[len(covered) :] and not tail[len(covered)].isspace():
                found.append(f"{ann_id}: text runs on after the span")
            if type_ not in conf.entities:
                found.append(f"{ann_id}: {type_} is not a declared entity")
            tbs[ann_id] = TextBound(ann_id, type_, frags)
        elif ann_id.startswith("R"):
            parts = data.split(" ")
            if (
                len(parts) != 3
                or not parts[1].startswith("Arg1:")
                or not parts[2].startswith("Arg2:")
            ):
                found.append(f"line {n}: bad relation {data!r}")
                continue
            relations.append((ann_id, parts[0], parts[1][5:], parts[2][5:]))
            refs += [(ann_id, parts[1][5:]), (ann_id, parts[2][5:])]
        elif ann_id.startswith("#"):
            parts = data.split(" ")
            if len(parts) != 2:
                found.append(f"line {n}: bad note {data!r}")
                continue
            refs.append((ann_id, parts[1]))
        else:
            found.append(f"line {n}: unknown annotation {ann_id!r}")
    for source, target in refs:
        if target not in ids:
            found.append(f"{source}: refers to undefined {target}")
    for rel_id, type_, a, b in relations:
        if a not in tbs or b not in tbs:
            continue
        ta, tb = tbs[a].type, tbs[b].type
        if not any(
            name == type_
            and (
                (_matches(arg1, ta, conf) and _matches(arg2, tb, conf))
                or (_matches(arg1, tb, conf) and _matches(arg2, ta, conf))
            )
            for name, arg1, arg2, _ in conf.relations
        ):
            found.append(f"{rel_id}: {type_} not allowed between {ta} and {tb}")
    ordered = list(tbs.values())
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if not (b.first < a.last and b.last > a.first):
                continue
            if sorted(a.frags) == sorted(b.frags):
                kind = "equal"
            elif (a.first <= b.first and b.last <= a.last) or (
                b.first <= a.first and a.last <= b.last
            ):
                kind = "contain"
            else:
                kind = "cross"
            if not _allowed(conf, kind, a.type, b.type):
                found.append(f"{a.id} and {b.id}: {kind} spans not allowed ({a.type}, {b.type})")
    return found
