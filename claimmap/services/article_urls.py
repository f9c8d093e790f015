"""The web address an article was read at: what Hypothesis annotations point to.

The web-page import records a page's own URL; for any other article the analyst
sets it (``claimmap articles REF --set-url URL``) so that annotations made on the
page online attach to the article here.  One URL names one article, or an
annotation on it could not say which one it means.
"""

from __future__ import annotations

from sqlite_utils import Database

from claimmap.errors import ClaimmapError
from claimmap.models import Article
from claimmap.services.interchange.article_index import normal_url
from claimmap.store import write_unit
from claimmap.store.articles import get_article, resolve_article
from claimmap.store.clock import now

MAX_URL_CHARS = 2048


def check_url(url: str) -> str:
    """A URL as stored: trimmed, ``http(s)://``, no spaces or control characters."""
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")) or len(url) <= len("https://"):
        raise ClaimmapError(f"{url!r} is not a web address (http:// or https://)")
    if len(url) > MAX_URL_CHARS:
        raise ClaimmapError(f"a URL of {len(url)} characters is too long (at most {MAX_URL_CHARS})")
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        raise ClaimmapError(f"{url!r}: a URL has no spaces or control characters")
    return url


def set_article_url(db: Database, reference: str, url: str) -> Article:
    """Give the article ``reference`` names the address ``url`` ("" clears it)."""
    with write_unit(db):
        article = resolve_article(db, reference)
        value = check_url(url) if url.strip() else None
        if value is not None:
            for other_id, other_ref, other_url in db.execute(
                "SELECT id, ref, url FROM articles WHERE url IS NOT NULL AND id != ?",
                [article.id],
            ):
                if normal_url(other_url) == normal_url(value):
                    raise ClaimmapError(
                        f"article {other_ref!r} (id {other_id}) already has the URL "
                        f"{other_url!r}; one URL names one article"
                    )
        db.execute(
            "UPDATE articles SET url = ?, updated_at = ? WHERE id = ?", [value, now(), article.id]
        )
    return get_article(db, article.id)
