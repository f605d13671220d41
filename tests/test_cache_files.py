"""The one SQLite file that holds a build's page records (``lexigraph.cache_files.RecordStore``):
shared by processes, and every failure a miss, never an error or a lost file."""

from __future__ import annotations

import fcntl
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from lexigraph.cache_files import RecordStore


def test_a_busy_store_is_a_miss_and_stays_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "records.sqlite3"
    store = RecordStore(path, timeout=0.05)
    assert store.put("a", b"1")
    inode = path.stat().st_ino
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writing
    assert not store.put("b", b"2")
    assert store.get("a") == b"1"  # readers are not held up
    other.execute("COMMIT")
    other.close()
    assert store.put("b", b"2"), "a busy moment left the store unusable"
    assert path.stat().st_ino == inode and dict(store.items()) == {"a": b"1", "b": b"2"}


def test_a_damaged_store_is_removed_only_once_no_other_process_has_it_open(
        tmp_path: Path) -> None:
    path = tmp_path / "records.sqlite3"
    garbage = b"not a database" * 400
    path.write_bytes(garbage)
    # Another process connected to the store holds the shared lock beside it.
    with (tmp_path / "records.sqlite3.lock").open("ab") as other:
        fcntl.flock(other, fcntl.LOCK_SH)
        store = RecordStore(path)
        assert store.get("a") is None and not store.put("a", b"1")
        assert path.read_bytes() == garbage
    store.close()  # the end of the build; the other process is gone too
    assert store.put("a", b"1") and store.get("a") == b"1"
    assert path.read_bytes()[:16] == b"SQLite format 3\0"


def test_a_store_that_cannot_be_opened_is_a_miss(tmp_path: Path) -> None:
    (tmp_path / "records.sqlite3").mkdir()  # a folder where the file goes
    store = RecordStore(tmp_path / "records.sqlite3")
    assert store.get("a") is None and not store.put("a", b"1") and store.items() == []
    store.keep_only(["a"])
    store.close()
    blocked = RecordStore(tmp_path / "file" / "records.sqlite3")
    (tmp_path / "file").write_text("a file where the folder goes")
    assert blocked.get("a") is None and not blocked.put("a", b"1")


def test_records_not_kept_give_their_space_back(tmp_path: Path) -> None:
    path = tmp_path / "records.sqlite3"
    store = RecordStore(path)
    for n in range(300):
        assert store.put(f"k{n}", bytes([n % 256]) * 8000)
    store.close()
    full = path.stat().st_size
    assert full > 300 * 8000
    store.keep_only(["k1"])
    store.close()
    assert path.stat().st_size < full / 20
    assert store.items() == [("k1", bytes([1]) * 8000)]


_PROCESSES = """
import os, signal, sqlite3, sys, time
from pathlib import Path

import pytest
from lexigraph.cache_files import RecordStore

path = Path(sys.argv[1])
store = RecordStore(path)
assert store.put("parent", b"p")
children = []
for n in range(3):
    pid = os.fork()
    if pid == 0:
        # No connection crossed the fork: this process opens its own.
        ok = store._connection is None and store.get("parent") == b"p"
        for i in range(100_000 if n == 2 else 300):  # the third one is killed mid-way
            ok = ok and store.put(f"{n}-{i}", bytes([n, i % 256]) * 500)
        os._exit(0 if ok else 1)
    children.append(pid)
assert store.put("parent-meanwhile", b"m")
time.sleep(0.5)
os.kill(children[2], signal.SIGKILL)  # as render_ahead stops its helpers
codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]
assert codes[:2] == [0, 0] and codes[2] == -signal.SIGKILL, codes
assert store.put("parent-after", b"a")
found = dict(store.items())
assert all(found[f"{n}-{i}"] == bytes([n, i % 256]) * 500 for n in (0, 1) for i in range(300))
assert found["parent-meanwhile"] == b"m" and found["parent-after"] == b"a"
killed = sum(key.startswith("2-") for key in found)
assert 0 < killed < 100_000, killed
store.close()
check = sqlite3.connect(path)
assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
print("ok")
"""


def test_forked_writers_and_a_killed_one_lose_nothing_and_damage_nothing(
        tmp_path: Path) -> None:
    # Render-ahead helpers write beside MkDocs and are killed when it has every page.
    done = subprocess.run([sys.executable, "-c", _PROCESSES, str(tmp_path / "records.sqlite3")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_the_cache_folder_tells_git_to_ignore_it(tmp_path: Path) -> None:
    """A project need not list .lexigraph-cache/ in its own .gitignore (pytest's and mypy's
    caches do the same)."""
    from lexigraph.cache_files import CACHE_DIR, GITIGNORE, RecordStore, write_atomic

    assert write_atomic(tmp_path / "a" / CACHE_DIR / "graph-x.json", b"{}")
    assert (tmp_path / "a" / CACHE_DIR / ".gitignore").read_bytes() == GITIGNORE
    store = RecordStore(tmp_path / "b" / CACHE_DIR / "pages" / "records.sqlite3")
    assert store.put("k", b"v") and (tmp_path / "b" / CACHE_DIR / ".gitignore").is_file()
    assert write_atomic(tmp_path / "site" / "page.html", b"x")  # not a cache: no .gitignore
    assert not (tmp_path / "site" / ".gitignore").exists()


def test_a_write_stopped_by_ctrl_c_leaves_no_partial_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only an OSError removed the partial file: after Ctrl-C, the 59 MB of a 10,000-term
    glossary's parsed entries stayed in the cache folder for good."""
    from lexigraph.cache_files import write_atomic

    real = Path.write_bytes

    def interrupted(self: Path, data: bytes) -> int:
        real(self, data[:2])
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "x.bin", b"data")
    assert list(tmp_path.iterdir()) == []


def test_a_temporary_cache_starts_from_the_projects_and_tidies_up_after_builds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import tempfile
    import time

    from lexigraph.cache_files import TemporaryCache

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    source = tmp_path / "project" / ".lexigraph-cache"
    (source / "pages").mkdir(parents=True)
    (source / "graph-1.json").write_text("{}")
    (source / "pages" / "records.sqlite3").write_bytes(b"records")
    (source / "pages" / "records.sqlite3.lock").write_bytes(b"")
    # What builds left: one killed an hour ago, one still running, one killed a moment ago.
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    left = {"killed long ago": temporary / f"lexigraph-cache-{gone.pid}-a",
            "running": temporary / f"lexigraph-cache-{os.getpid()}-b",
            "just killed": temporary / f"lexigraph-cache-{gone.pid}-c"}
    for folder in left.values():
        folder.mkdir()
    old = time.time() - 2 * TemporaryCache.STALE
    os.utime(left["killed long ago"], (old, old))

    cache = TemporaryCache(source)
    assert cache.folder.parent == temporary and cache.folder.name.startswith(
        f"lexigraph-cache-{os.getpid()}-")
    assert sorted(str(p.relative_to(cache.folder)) for p in cache.folder.rglob("*")) == [
        "graph-1.json", "pages", "pages/records.sqlite3"]  # (not another process's lock)
    assert not left["killed long ago"].exists()
    assert left["running"].is_dir() and left["just killed"].is_dir()
    cache.pid += 1  # as in a helper forked from the build: not its folder to remove
    cache.remove()
    assert cache.folder.is_dir()
    cache.pid -= 1
    cache.remove()
    assert not cache.folder.exists() and (source / "graph-1.json").is_file()
