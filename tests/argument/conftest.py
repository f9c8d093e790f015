from __future__ import annotations

from pathlib import Path

import pytest

from tests.argument.corpus import ArgumentCorpus, build_argument_corpus
from tests.conftest import RunCli


@pytest.fixture
def argument_corpus(cli: RunCli, db_path: Path, tmp_path: Path) -> ArgumentCorpus:
    return build_argument_corpus(cli, db_path, tmp_path)
