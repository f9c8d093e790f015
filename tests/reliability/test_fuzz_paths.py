"""Fuzzing the importer's file finding (issue "Trust"): random trees with names
that are not UTF-8, FIFOs, ``/dev/zero``, symlink loops and the database itself.
``benchmarks/bench_fuzz.py`` runs the same target for longer."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reliability.fuzz_paths import check_import_tree, random_tree


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False))
def test_import_of_random_hostile_trees(rng: random.Random) -> None:
    assert check_import_tree(random_tree(rng)) in ("imported", "refused")
