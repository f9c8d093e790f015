from __future__ import annotations

import pytest
from exporters.corpus import Corpus, build_corpus


@pytest.fixture
def corpus() -> Corpus:
    return build_corpus()
