"""The articles an import can attach annotations to: those here, and those it brings.

Readers look articles up by ref, by canonical-text hash (a REFI-QDA source with
the very text of an article here) or by URL (a Hypothesis target is the web page
the article was imported from).  An article a ``.qdpx`` brings is added as
*pending*: annotations name it by its reserved ref, and ``placing`` creates it
inside the import's write unit, before the spans that point at it.
"""

from __future__ import annotations

from sqlite_utils import Database

from claimmap.services.annotating import text_sha256
from claimmap.services.interchange.parsed import NewArticle
from claimmap.store.articles import article_text


def normal_url(url: str) -> str:
    """A URL compared without its fragment or a trailing slash: Hypothesis keeps
    the address the reader had open, ``#section`` and all."""
    return url.strip().split("#", 1)[0].rstrip("/")


class ArticleIndex:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.ids: dict[str, int] = {}
        self.by_sha: dict[str, str] = {}
        self.by_url: dict[str, list[str]] = {}
        for article_id, ref, sha, url in db.execute(
            "SELECT id, ref, text_sha256, url FROM articles ORDER BY id"
        ):
            self.ids[ref] = int(article_id)
            self.by_sha.setdefault(sha, ref)
            if url:
                self.by_url.setdefault(normal_url(url), []).append(ref)
        self.pending: dict[str, NewArticle] = {}
        self._texts: dict[str, str] = {}

    def __contains__(self, ref: str) -> bool:
        return ref in self.ids or ref in self.pending

    def text(self, ref: str) -> str:
        if ref in self.pending:
            return self.pending[ref].text
        if ref not in self._texts:
            self._texts[ref] = article_text(self.db, self.ids[ref])
        return self._texts[ref]

    def article_id(self, ref: str) -> int:
        """The id of an article here, or of a pending one once ``placing`` created it."""
        return self.ids[ref]

    def free_ref(self, stem: str) -> str:
        """``stem``, or ``stem-2``… when an article here or a pending one has it
        (a bare number is never a ref: it would read as an id)."""
        ref, n = stem, 2
        while ref in self or ref.isdigit() or not ref:
            ref = f"{stem or 'source'}-{n}"
            n += 1
        return ref

    def add_pending(self, article: NewArticle) -> None:
        self.pending[article.ref] = article
        self.by_sha.setdefault(text_sha256(article.text), article.ref)
