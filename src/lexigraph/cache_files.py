"""Files in ``.lexigraph-cache/``: each written whole or not at all, and the one SQLite file
that holds the many small records a build keeps (:class:`RecordStore`).

Builds of one project may run side by side (tests, a CI matrix, ``serve`` beside ``build``),
and every file here is a cache: a reader must never see half a file, and a folder that cannot
be written is no error (the next run computes the same thing again).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sqlite3
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

#: Every store, so that their connections are closed before this process forks.
_OPEN: weakref.WeakSet[RecordStore] = weakref.WeakSet()


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file beside it, renamed into place.

    Returns whether it was written.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "sub" / "x.json"
    >>> write_atomic(target, b"{}"), target.read_bytes(), sorted(p.name for p in target.parent.iterdir())
    (True, b'{}', ['x.json'])
    """
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_bytes(data)
        partial.replace(path)  # atomic: a parallel run reads the old file or the new one
        return True
    return False


def source_digests(folder: Path) -> list[str]:
    """``name:digest`` of each Python file in ``folder``, by content (a fresh clone or install
    of the same code gives the files new times, not new contents).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()); _ = (folder / "a.py").write_text("x = 1")
    >>> source_digests(folder)
    ['a.py:fa989ca13eade15d3b578c698ca058b9']
    """
    found = []
    for path in sorted(folder.glob("*.py")):
        with contextlib.suppress(OSError):
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
            found.append(f"{path.name}:{digest}")
    return found


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of Lexigraph's own source. What a cache file holds that Lexigraph's code
    computed is named by it too, so a new version (or an edited checkout) computes it again."""
    text = "\n".join(source_digests(Path(__file__).parent))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


class RecordStore:
    """Records (bytes) by key, in one SQLite file that processes share.

    A build stores a few records per page: as files, each one was a file created (and, on a
    file system without a journal, an inode searched for) and renamed into place, which cost
    more than rendering the page. SQLite appends them to one file instead, lets helper
    processes write beside MkDocs (each write is a transaction of its own: whole or absent),
    and survives a crash without damage (write-ahead log). Every failure is a miss: a store
    that cannot be opened or written computes the same things again; a damaged one is removed
    and started over.

    A process opens its own connection, and none is open across a ``fork``: SQLite's locks
    belong to the process that took them, so a child must neither use nor inherit one.

    >>> import tempfile
    >>> store = RecordStore(Path(tempfile.mkdtemp()) / "records.sqlite3")
    >>> store.put("a", b"1"), store.put("b", b"2"), store.get("a"), store.get("c")
    (True, True, b'1', None)
    >>> store.keep_only({"b"}); sorted(store.items())
    [('b', b'2')]
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        #: Connections opened by a parent process: never used or closed in a forked child.
        self._inherited: list[sqlite3.Connection] = []
        _OPEN.add(self)

    def _open(self) -> sqlite3.Connection:
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        if self._connection is not None:
            self._inherited.append(self._connection)
        self._connection, self._pid = None, os.getpid()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                     check_same_thread=False)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")  # a crash loses writes, not the file
            connection.execute("CREATE TABLE IF NOT EXISTS records "
                               "(key TEXT PRIMARY KEY, data BLOB NOT NULL)")
        except sqlite3.Error:
            connection.close()
            raise
        self._connection = connection
        return connection

    def _run(self, work: Callable[[sqlite3.Connection], T], default: T) -> T:
        """``work(connection)``; on a damaged file, once more on a new one; else ``default``."""
        for attempt in range(2):
            try:
                return work(self._open())
            except sqlite3.DatabaseError as exc:
                damaged = not isinstance(exc, sqlite3.OperationalError) or (
                    "not a database" in str(exc) or "malformed" in str(exc))
                if not damaged or attempt:
                    return default
                self._start_over()
            except OSError:
                return default
        return default

    def _start_over(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
        self._connection = None
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                self.path.with_name(self.path.name + suffix).unlink()

    def get(self, key: str) -> bytes | None:
        def read(connection: sqlite3.Connection) -> bytes | None:
            row = connection.execute("SELECT data FROM records WHERE key = ?", (key,)).fetchone()
            return None if row is None else bytes(row[0])
        return self._run(read, None)

    def put(self, key: str, data: bytes) -> bool:
        """Store ``data`` under ``key``; returns whether it was stored."""
        def write(connection: sqlite3.Connection) -> bool:
            connection.execute("INSERT OR REPLACE INTO records VALUES (?, ?)", (key, data))
            return True
        return self._run(write, False)

    def keep_only(self, keys: Iterable[str]) -> None:
        """Remove every record whose key is not in ``keys``."""
        def prune(connection: sqlite3.Connection) -> None:
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute("CREATE TEMP TABLE IF NOT EXISTS kept (key TEXT PRIMARY KEY)")
                connection.execute("DELETE FROM temp.kept")
                connection.executemany("INSERT OR IGNORE INTO temp.kept VALUES (?)",
                                       ((key,) for key in keys))
                connection.execute("DELETE FROM records WHERE key NOT IN "
                                   "(SELECT key FROM temp.kept)")
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        self._run(prune, None)

    def items(self) -> list[tuple[str, bytes]]:
        """Every ``(key, record)``, by key."""
        def read(connection: sqlite3.Connection) -> list[tuple[str, bytes]]:
            rows = connection.execute("SELECT key, data FROM records ORDER BY key")
            return [(key, bytes(data)) for key, data in rows]
        return self._run(read, [])

    def files(self) -> list[str]:
        """The names of the files the store may use, beside :attr:`path`."""
        return [self.path.name + suffix for suffix in ("", "-wal", "-shm", "-journal")]

    def close(self) -> None:
        """Close this process's connection (the next use opens it again)."""
        if self._connection is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = None


def _close_stores() -> None:
    for store in list(_OPEN):
        store.close()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_close_stores)
