"""Map claims across a corpus of articles."""

# Before any claimmap module can import sqlite-utils: see the module.
from claimmap import sqlite_utils_loader  # noqa: F401
