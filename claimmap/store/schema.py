"""The schema, as ordered named migrations.  Append new ones; never edit old ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only annotations: the lean listings read MIGRATIONS without sqlite-utils
    from sqlite_utils import Database

DEFAULT_TAGS: list[tuple[str, str, str]] = [
    ("motive", "m", "#4e9a06"),
    ("limitation", "l", "#c4a000"),
    ("impact", "i", "#3465a4"),
    ("recommendation", "r", "#ad7fa8"),
]

# Keys the annotator binds to moving, selecting and its own commands (the document
# view's and the app's bindings; a test keeps this list equal to them).  A code key
# must be none of these, or pressing it would move the cursor instead of coding,
# and no digit: 1-9 apply the codebook's first nine codes in order.
RESERVED_KEYS = frozenset("()-/<=>?[]{} ACJKPVYabcfghjklnpstuvwxy") | frozenset("0123456789")


def _initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            ref TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL,
            source_path TEXT,
            title TEXT NOT NULL,
            authors TEXT,
            venue TEXT,
            date TEXT,
            script TEXT NOT NULL,
            encoding TEXT NOT NULL,
            raw_sha256 TEXT NOT NULL,
            text_sha256 TEXT NOT NULL,
            text TEXT NOT NULL,
            chars INTEGER NOT NULL,
            imported_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX idx_articles_raw_sha256 ON articles(raw_sha256);
        CREATE INDEX idx_articles_source ON articles(source);

        CREATE TABLE article_regions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
        );
        CREATE INDEX idx_article_regions_article ON article_regions(article_id);

        CREATE TABLE article_segments (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            paragraphs TEXT NOT NULL,
            sentences TEXT NOT NULL,
            clauses TEXT NOT NULL
        );

        CREATE TABLE cleaning_log (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            step TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL,
            before TEXT NOT NULL,
            after TEXT NOT NULL,
            line INTEGER
        );
        CREATE INDEX idx_cleaning_log_article ON cleaning_log(article_id);

        CREATE TABLE tags (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            key TEXT UNIQUE,
            color TEXT NOT NULL,
            ordinal INTEGER NOT NULL
        );

        CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            label TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE spans (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            quote TEXT NOT NULL,
            prefix TEXT NOT NULL,
            suffix TEXT NOT NULL,
            text_sha256 TEXT NOT NULL,
            annotator TEXT NOT NULL,
            claim_id INTEGER REFERENCES claims(id) ON DELETE SET NULL,
            orphaned INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (start >= 0 AND "end" > start)
        );
        CREATE INDEX idx_spans_article ON spans(article_id, start);
        CREATE INDEX idx_spans_claim ON spans(claim_id);

        CREATE TABLE span_tags (
            span_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            PRIMARY KEY (span_id, tag_id)
        );
        CREATE INDEX idx_span_tags_tag ON span_tags(tag_id);

        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            span_id INTEGER NOT NULL UNIQUE REFERENCES spans(id) ON DELETE CASCADE,
            body TEXT NOT NULL,
            author TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE links (
            id INTEGER PRIMARY KEY,
            a INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
            b INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
            score REAL NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('suggested', 'confirmed', 'rejected')),
            method TEXT NOT NULL DEFAULT 'linker',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (a, b),
            CHECK (a < b)
        );
        CREATE INDEX idx_links_b ON links(b);
        CREATE INDEX idx_links_status ON links(status);

        CREATE TABLE aliases (
            id INTEGER PRIMARY KEY,
            variant TEXT NOT NULL UNIQUE,
            canonical TEXT NOT NULL
        );

        CREATE TABLE app_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
    )
    for ordinal, (name, key, color) in enumerate(DEFAULT_TAGS, start=1):
        db.execute(
            "INSERT INTO tags (name, key, color, ordinal) VALUES (?, ?, ?, ?)",
            [name, key, color, ordinal],
        )


# Ids that people and scripts quote ("span 15", "claims merge 5 9"): a deleted one
# must never come back meaning another passage, so these use AUTOINCREMENT.
NEVER_REUSED_IDS = ("claims", "spans", "links")


def _ids_never_reused(db: Database) -> None:
    """Rebuild the tables whose ids are quoted, with AUTOINCREMENT (SQLite cannot
    add it in place).  Runs with foreign keys off, as SQLite's table-rebuild
    procedure requires; ``migrate`` checks the keys before committing."""
    for table in NEVER_REUSED_IDS:
        create = db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
        ).fetchone()[0]
        indexes = [
            row[0]
            for row in db.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                "AND sql IS NOT NULL",
                [table],
            )
        ]
        head = f"CREATE TABLE {table} (\n            id INTEGER PRIMARY KEY,"
        if not create.startswith(head):
            raise RuntimeError(f"unexpected schema for {table}: {create[:80]!r}")
        rebuilt = create.replace(
            head,
            f"CREATE TABLE {table}_rebuilt (\n            id INTEGER PRIMARY KEY AUTOINCREMENT,",
            1,
        )
        db.execute(rebuilt)
        db.execute(f"INSERT INTO {table}_rebuilt SELECT * FROM {table}")
        db.execute(f"DROP TABLE {table}")
        db.execute(f"ALTER TABLE {table}_rebuilt RENAME TO {table}")
        for sql in indexes:
            db.execute(sql)


# The message of the guard below; ``write_unit`` turns it into a user-facing error.
QUOTE_GUARD_MESSAGE = "span quote differs from the article text at its offsets"


def _span_quote_guard(db: Database) -> None:
    """No placed span is ever stored that is not the text at its offsets.

    Enforced by SQLite itself, so it holds for every writer (the app, the CLI,
    sqlite-utils by hand), in the same transaction as the write.  ``substr``
    counts characters, i.e. code points, like our offsets.
    """
    condition = (
        "NEW.orphaned = 0 AND substr((SELECT text FROM articles WHERE id = NEW.article_id), "
        'NEW.start + 1, NEW."end" - NEW.start) IS NOT NEW.quote'
    )
    for event in ("INSERT", 'UPDATE OF start, "end", quote, orphaned, article_id'):
        name = "spans_quote_matches_" + event.split()[0].lower()
        db.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON spans WHEN {condition} "
            f"BEGIN SELECT RAISE(ABORT, '{QUOTE_GUARD_MESSAGE}'); END"
        )


def _review_skips(db: Database) -> None:
    """Pairs the analyst skipped in link review, in the order they were skipped:
    the queue puts them last, oldest skip first, and remembers it across restarts."""
    # execute, not executescript: executescript would commit the migration's transaction.
    # No index on b: the table holds a handful of skips, and an index created after
    # the triggers of 0003 would dump in another order than a VACUUM INTO copy.
    db.execute(
        """
        CREATE TABLE review_skips (
            a INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
            b INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            skipped_at TEXT NOT NULL,
            PRIMARY KEY (a, b),
            CHECK (a < b)
        )
        """
    )


def _code_keys_the_app_honours(db: Database) -> None:
    """Limitation's default key was ``l``, which the annotator binds to "move
    right": the help said ``L``, the picker ``[l]``, and the CLI refused ``L``.  A
    key the app uses for itself becomes its capital when that is free, else none
    (the code keeps its 1-9 number and the picker)."""
    used = {str(r[0]) for r in db.execute("SELECT key FROM tags WHERE key IS NOT NULL")}
    for tag_id, key in db.execute("SELECT id, key FROM tags WHERE key IS NOT NULL").fetchall():
        if key not in RESERVED_KEYS:
            continue
        upper = str(key).upper()
        new = upper if upper not in RESERVED_KEYS and upper not in used else None
        db.execute("UPDATE tags SET key = ? WHERE id = ?", [new, tag_id])
        used.discard(key)
        if new:
            used.add(new)


def _codebook_descriptions(db: Database) -> None:
    """Codes get a description and a parent.  A code's name is its whole path
    (``limitation/technical``), so ``--tag limitation/technical`` works everywhere;
    ``parent_id`` holds the level above so the tree cannot point at nothing.  A
    code already named with a ``/`` whose prefix is a code becomes its child."""
    # execute, not executescript: executescript would commit the migration's transaction.
    db.execute("ALTER TABLE tags ADD COLUMN description TEXT")
    db.execute("ALTER TABLE tags ADD COLUMN parent_id INTEGER REFERENCES tags(id)")
    ids = {
        str(name).lower(): int(tag_id) for tag_id, name in db.execute("SELECT id, name FROM tags")
    }
    for name, tag_id in list(ids.items()):
        head, slash, _ = name.rpartition("/")
        if slash and head in ids:
            db.execute("UPDATE tags SET parent_id = ? WHERE id = ?", [ids[head], tag_id])


def _article_pages_and_url(db: Database) -> None:
    """Documents remember where they came from: the code-point range of each page
    (with its printed label where the document has one), so a quote can be cited
    by page, and the page's own URL for web articles (W3C targets from other tools
    name their source by URL)."""
    # execute, not executescript: executescript would commit the migration's transaction.
    db.execute("ALTER TABLE articles ADD COLUMN url TEXT")
    db.execute(
        """
        CREATE TABLE article_pages (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT,
            PRIMARY KEY (article_id, seq),
            CHECK (start >= 0 AND "end" >= start)
        )
        """
    )


def _relations(db: Database) -> None:
    """How claims bear on each other: a span supports or attacks another span, in
    one article or across articles.  Ids are quoted like span ids, so they are never
    reused; deleting either span deletes the relation with it.  No index on target
    (the unique key indexes source): an index made after 0003's triggers would dump
    in another order than a ``VACUUM INTO`` copy, and a scan of the relations is
    cheap next to what a map does with them."""
    db.execute(
        """
        CREATE TABLE relations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            source INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
            target INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
            type TEXT NOT NULL CHECK (type IN ('supports', 'attacks')),
            annotator TEXT NOT NULL,
            note TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (source <> target),
            UNIQUE (source, target, type, annotator)
        )
        """
    )


def _link_annotators(db: Database) -> None:
    """A link records who decided it.  A link joins two spans of one layer (the
    linker and review pair spans within one analyst's layer, since a claim is one
    analyst's reading: A's span and B's span of the same passage are not "the same
    claim" but the same coding, which agreement measures), so its layer is its
    spans'; the column keeps who made or reviewed it, which sync writes as the
    link's creator.  Existing links take their first span's annotator."""
    db.execute("ALTER TABLE links ADD COLUMN annotator TEXT")
    db.execute(
        "UPDATE links SET annotator = (SELECT s.annotator FROM spans s WHERE s.id = links.a)"
    )


def _adjudication(db: Database) -> None:
    """Decisions taken while adjudicating two analysts' disagreements, one row per
    item (its key is made of the span ids involved).  Kept so that the walk
    resumes where it was left, and with what each decision wrote into the
    consensus layer (``effects``, JSON) so that it can be undone exactly.  No
    foreign keys: the analysts' spans may change later; the key then names no
    current disagreement and the row is only history."""
    db.execute(
        """
        CREATE TABLE adjudications (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            item TEXT NOT NULL,
            annotator_a TEXT NOT NULL,
            annotator_b TEXT NOT NULL,
            consensus TEXT NOT NULL,
            take TEXT NOT NULL CHECK (take IN ('a', 'b', 'both', 'neither', 'edit')),
            effects TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            UNIQUE (item, annotator_a, annotator_b, consensus)
        )
        """
    )


def _span_vectors(db: Database) -> None:
    """A cache of each span's meaning vector (``linking/semantic.py``), so the review
    queue embeds a span once, not on every call.  ``model`` and the hash of the text
    that was embedded say whether a vector is still this span's: a changed quote or
    another model makes it stale, and it is embedded again.  Nothing else reads it;
    deleting a span deletes its vector."""
    db.execute(
        """
        CREATE TABLE span_vectors (
            span_id INTEGER PRIMARY KEY REFERENCES spans(id) ON DELETE CASCADE,
            model TEXT NOT NULL,
            text_sha256 TEXT NOT NULL,
            vector BLOB NOT NULL
        )
        """
    )


MIGRATIONS: list[tuple[str, Callable[[Database], None]]] = [
    ("0001_initial", _initial),
    ("0002_ids_never_reused", _ids_never_reused),
    ("0003_span_quote_guard", _span_quote_guard),
    ("0004_review_skips", _review_skips),
    ("0005_code_keys_the_app_honours", _code_keys_the_app_honours),
    ("0006_codebook_descriptions", _codebook_descriptions),
    ("0007_article_pages_and_url", _article_pages_and_url),
    ("0008_relations", _relations),
    ("0009_link_annotators", _link_annotators),
    ("0010_adjudication", _adjudication),
    ("0011_span_vectors", _span_vectors),
]
