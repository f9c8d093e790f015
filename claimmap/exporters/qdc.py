"""REFI-QDA codebook file (``.qdc``): the codes alone, for another project to import.

Root ``CodeBook`` in namespace ``urn:QDA-XML:codebook:1.0`` holding ``Codes``;
each ``Code`` carries the same GUID, name, colour, ``Description`` and nesting as
in a ``.qdpx`` export (``qdpx.iter_codes_xml``).  No BOM, the XML declaration
first, characters XML 1.0 forbids replaced: the same rules as the project file.
The format has no place for a claimmap key; the JSON codebook carries keys.
"""

from __future__ import annotations

from collections.abc import Sequence

from claimmap.exporters.qdpx import XML_DECLARATION, iter_codes_xml
from claimmap.models import Tag

NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "claimmap"


def codebook_xml(tags: Sequence[Tag]) -> bytes:
    """The whole ``.qdc`` document for ``tags`` (its schema wants at least one code)."""
    body = "".join(iter_codes_xml(tags, "    "))
    return (
        f'{XML_DECLARATION}<CodeBook xmlns="{NS}" origin="{ORIGIN}">\n'
        f"  <Codes>\n{body}  </Codes>\n</CodeBook>\n"
    ).encode()
