"""Fuzzing (issue 6) with hypothesis, bounded for CI; ``benchmarks/bench_fuzz.py``
runs the same targets for longer and counts findings.

Targets and mutators live in ``fuzzing.py``.  Findings fixed since: a ``.qdpx``
whose zip bytes are damaged used to escape as ``BadZipFile``/``zlib.error``/
``OSError`` instead of a one-line ``ClaimmapError``; JSON nested past the
recursion limit (``RecursionError``), numbers of more than 4,300 digits
(``ValueError``) or above 2**63 (``OverflowError`` in SQLite), and ``<Code>``
trees deeper than the recursion limit escaped as tracebacks (issue "Trust").
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimmap.store.clock import now
from claimmap.store.timestamps import parse_timestamp
from tests.reliability.fuzzing import (
    ALPHABET_PIECES,
    FOREIGN_DATES,
    AnnotationBase,
    check_annotation_file,
    check_textprep,
    random_qdpx,
    random_qdpx_bytes,
    random_qdpx_nested_codes,
    random_qdpx_numbers_and_dates,
    random_raw,
    random_w3c,
    random_w3c_dates,
    random_w3c_deep,
    random_w3c_numbers,
)

FAST = settings(max_examples=150, deadline=None)
READERS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> AnnotationBase:
    return AnnotationBase(tmp_path_factory.mktemp("fuzz"))


@FAST
@given(st.binary(max_size=3000))
def test_textprep_on_arbitrary_bytes(raw: bytes) -> None:
    check_textprep(raw)


@FAST
@given(st.lists(st.sampled_from(ALPHABET_PIECES), max_size=120).map("".join))
def test_textprep_on_tricky_utf8_text(text: str) -> None:
    check_textprep(text.encode("utf-8"))


@FAST
@given(st.randoms(use_true_random=False))
def test_textprep_on_encoded_and_damaged_text(rng: random.Random) -> None:
    check_textprep(random_raw(rng))


@READERS
@given(rng=st.randoms(use_true_random=False))
def test_w3c_reader_refuses_or_imports_whole(base: AnnotationBase, rng: random.Random) -> None:
    assert check_annotation_file(base, random_w3c(rng, base), ".jsonl") in ("imported", "refused")


@READERS
@given(rng=st.randoms(use_true_random=False))
def test_qdpx_reader_with_damaged_xml(base: AnnotationBase, rng: random.Random) -> None:
    assert check_annotation_file(base, random_qdpx(rng, base), ".qdpx") in ("imported", "refused")


@settings(READERS, report_multiple_bugs=False)
@given(rng=st.randoms(use_true_random=False))
def test_damaged_qdpx_zip(base: AnnotationBase, rng: random.Random) -> None:
    assert check_annotation_file(base, random_qdpx_bytes(rng, base), ".qdpx") in (
        "imported",
        "refused",
    )


@READERS
@given(rng=st.randoms(use_true_random=False))
def test_w3c_reader_with_deep_nesting(base: AnnotationBase, rng: random.Random) -> None:
    assert check_annotation_file(base, random_w3c_deep(rng, base), ".jsonl") in (
        "imported",
        "refused",
    )


@READERS
@given(rng=st.randoms(use_true_random=False))
def test_w3c_reader_with_huge_numbers(base: AnnotationBase, rng: random.Random) -> None:
    assert check_annotation_file(base, random_w3c_numbers(rng, base), ".jsonl") in (
        "imported",
        "refused",
    )


@READERS
@given(rng=st.randoms(use_true_random=False))
def test_w3c_reader_with_foreign_dates(base: AnnotationBase, rng: random.Random) -> None:
    assert check_annotation_file(base, random_w3c_dates(rng, base), ".jsonl") in (
        "imported",
        "refused",
    )


@READERS
@given(rng=st.randoms(use_true_random=False))
def test_qdpx_reader_with_nested_codes(base: AnnotationBase, rng: random.Random) -> None:
    assert check_annotation_file(base, random_qdpx_nested_codes(rng, base), ".qdpx") in (
        "imported",
        "refused",
    )


@READERS
@given(rng=st.randoms(use_true_random=False))
def test_qdpx_reader_with_odd_numbers_and_dates(base: AnnotationBase, rng: random.Random) -> None:
    data = random_qdpx_numbers_and_dates(rng, base)
    assert check_annotation_file(base, data, ".qdpx") in ("imported", "refused")


_STORED = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00", re.ASCII)


@FAST
@given(
    st.one_of(
        st.sampled_from(FOREIGN_DATES),
        st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
        st.text(alphabet="0123456789-+:.TZ z", max_size=40),
        st.text(max_size=40),
    )
)
def test_parse_timestamp_refuses_or_gives_the_stored_form(raw: str) -> None:
    try:
        stamp = parse_timestamp(raw)
    except ValueError:
        return
    assert _STORED.fullmatch(stamp), (raw, stamp)
    assert parse_timestamp(stamp) == stamp
    # Same shape as the clock's own stamps, so the two sort together as text.
    assert len(stamp) == len(now())


def test_exports_round_trip_before_fuzzing(base: AnnotationBase) -> None:
    """The unmutated exports import cleanly: the mutators start from valid files."""
    assert (
        check_annotation_file(base, "\n".join(base.w3c_lines).encode() + b"\n", ".jsonl")
        == "imported"
    )
    assert check_annotation_file(base, base.qdpx, ".qdpx") == "imported"
    assert Path(base.db_path).exists()


def test_qdpx_with_unknown_xml_encoding_is_refused(base: AnnotationBase) -> None:
    """Fuzz finding: an XML declaration naming an unknown encoding escaped as LookupError."""
    with zipfile.ZipFile(io.BytesIO(base.qdpx)) as zf:
        members = {info.filename: zf.read(info) for info in zf.infolist()}
    project = next(n for n in members if n.endswith(".qde"))
    members[project] = members[project].replace(b'encoding="utf-8"', b'encoding="utf-1-8"', 1)
    assert b"utf-1-8" in members[project]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    assert check_annotation_file(base, out.getvalue(), ".qdpx") == "refused"
