"""Two analysts share their layers through a real git repository: a bare remote,
two clones, two databases, interleaved work, never a conflict, and in the end
both databases hold the same layers."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.analysts.conftest import A0, A1, A4, QUOTE_0, Claimmap, layers, ok
from tests.conftest import SEEDS

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

SHARED = ("--quote", "美日人工智能合作", "--occurrence", "1")
_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **_ENV, "HOME": str(cwd)}
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


def publish(clone: Path, message: str) -> None:
    """Commit whatever sync changed, merge the remote (never a conflict), push."""
    git(clone, "add", "-A")
    if git(clone, "status", "--porcelain"):
        git(clone, "commit", "-q", "-m", message)
    if git(clone, "ls-remote", "origin", "main"):
        git(clone, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    git(clone, "push", "-q", "origin", "HEAD:main")


def fetch(clone: Path) -> None:
    if git(clone, "ls-remote", "origin", "main"):
        git(clone, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")


def span_id(claimmap: Claimmap, db: Path, who: str, article: str) -> int:
    spans = ok(claimmap(db, "spans", article, "--json", "--annotator", who)).json()
    return int(spans[0]["id"])


def test_two_analysts_share_through_git(claimmap: Claimmap, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    remote.mkdir()
    git(remote, "init", "-q", "--bare")
    clones = {}
    for who in ("alice", "bob"):
        clones[who] = tmp_path / who
        git(tmp_path, "clone", "-q", str(remote), who)
    alice_db, bob_db = tmp_path / "alice.db", tmp_path / "bob.db"
    share_a, share_b = clones["alice"] / "share", clones["bob"] / "share"

    def alice(*args: str) -> dict[str, object] | None:
        result = ok(claimmap(alice_db, *args, annotator="alice"))
        return result.json() if "--json" in args else None

    def bob(*args: str) -> dict[str, object] | None:
        result = ok(claimmap(bob_db, *args, annotator="bob"))
        return result.json() if "--json" in args else None

    # Alice imports the corpus, codes two passages and links them; shares.
    alice("import", *(str(p) for p in sorted(SEEDS.glob("00*.txt"))))
    alice("annotate", A0, "--quote", QUOTE_0, "--tag", "motive")
    alice("annotate", A1, *SHARED, "--tag", "motive", "--note", "the same event")
    alice("annotate", A4, "--quote", "中日", "--occurrence", "1", "--tag", "impact")
    a0, a1 = (span_id(claimmap, alice_db, "alice", a) for a in (A0, A1))
    alice("links", "accept", "--pair", str(a0), str(a1))
    alice("sync", str(share_a))
    publish(clones["alice"], "alice: first codes")

    # Bob starts from an empty database: one pull, one sync, and he has it all.
    fetch(clones["bob"])
    bob("sync", str(share_b))
    assert [a["ref"] for a in claimmap(bob_db, "articles", "--json").json()] == sorted(
        p.stem for p in SEEDS.glob("00*.txt")
    )
    bob("annotate", A0, "--quote", QUOTE_0, "--tag", "impact")
    bob("annotate", A1, *SHARED, "--tag", "motive")
    b0, b1 = (span_id(claimmap, bob_db, "bob", a) for a in (A0, A1))
    bob("links", "reject", "--pair", str(b0), str(b1))
    bob("sync", str(share_b))
    publish(clones["bob"], "bob: first codes")

    # Meanwhile alice, who has not pulled, edits tags, deletes a span, codes more.
    a4 = span_id(claimmap, alice_db, "alice", A4)
    alice("delete", str(a4))
    alice("tag", str(a0), "--add", "limitation")
    alice("annotate", A4, "--quote", "中日两国", "--occurrence", "1", "--tag", "recommendation")
    alice("sync", str(share_a))
    publish(clones["alice"], "alice: edits")  # merges bob's push: no conflict
    report = alice("sync", str(share_a), "--json")
    assert report is not None and report["read"] == ["bob"] and report["spans_added"] == 2
    publish(clones["alice"], "alice: read bob")

    # Bob pulls alice's edits and deletion; he edits a note of his own.
    fetch(clones["bob"])
    bob("note", str(b0), "not sure")
    report = bob("sync", str(share_b), "--json")
    assert report is not None and report["spans_deleted"] == 1
    publish(clones["bob"], "bob: note")

    fetch(clones["alice"])
    alice("sync", str(share_a))
    publish(clones["alice"], "alice: in step")
    fetch(clones["bob"])
    bob("sync", str(share_b))

    assert layers(alice_db) == layers(bob_db)
    assert set(layers(alice_db)["spans"]) == {"alice", "bob"}
    # In step: another round changes nothing, in the databases or in git.
    for clone, run in ((clones["alice"], alice), (clones["bob"], bob)):
        run("sync", str(clone / "share"))
        assert git(clone, "status", "--porcelain") == ""
    assert git(clones["alice"], "rev-parse", "HEAD") == git(clones["bob"], "rev-parse", "HEAD")
