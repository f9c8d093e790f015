"""Importing other tools' annotations: W3C Web Annotations (claimmap's, Hypothesis's),
REFI-QDA projects (``.qdpx``) and codebooks (``.qdc``).

One module per format reads and validates a file into a ``parsed.Parsed``
without touching the database; ``placing`` anchors and writes it.  See
``dispatch.import_annotations``.
"""

from claimmap.services.interchange.dispatch import import_annotations, import_projects
from claimmap.services.interchange.parsed import ImportReport

__all__ = ["ImportReport", "import_annotations", "import_projects"]
