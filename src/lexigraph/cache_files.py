"""Files in ``.lexigraph-cache/``: each written whole or not at all, and the one SQLite file
that holds the many small records a build keeps (:class:`RecordStore`).

Builds of one project may run side by side (tests, a CI matrix, ``serve`` beside ``build``),
and every file here is a cache: a reader must never see half a file, and a folder that cannot
be written is no error (the next run computes the same thing again).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import os
import shutil
import sqlite3
import tempfile
import time
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO, TypeVar

try:  # POSIX: a damaged store is removed only when no other process has it open
    import fcntl
except ImportError:  # pragma: no cover - Windows, where an open file cannot be removed
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")

#: The cache folder's name (beside mkdocs.yml, or beside the glossary for the CLI).
CACHE_DIR = ".lexigraph-cache"
#: What the cache folder's own .gitignore says: nothing in it belongs in version control, in
#: any project, without each project having to say so.
GITIGNORE = b"# Written by Lexigraph: everything here is a cache, safe to delete.\n*\n"

#: Every store, so that their connections are closed before this process forks.
_OPEN: weakref.WeakSet[RecordStore] = weakref.WeakSet()


def cannot_write(folder: Path) -> str:
    """Why ``folder`` cannot hold a cache (it is made if missing), or ``""`` if it can.

    >>> import tempfile
    >>> base = Path(tempfile.mkdtemp())
    >>> (base / "file").write_text("x"); cannot_write(base / "cache"), cannot_write(base / "file")
    1
    ('', 'File exists')
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return ""


class TemporaryCache:
    """A cache folder for a project whose own cannot be written (a read-only checkout or
    mount, another user's project): made in the system's temporary folder, starting from a
    copy of what the project's holds (it may have been restored by a CI job), and removed by
    :meth:`remove` or when this process exits, by this process only (not by a forked helper).
    Folders that builds killed before they could remove them left behind are removed by the
    next one."""

    PREFIX = "lexigraph-cache-"
    #: A folder left by a process that is gone is removed once it is this old (seconds): a
    #: process of the same number in another container sharing /tmp keeps it meanwhile.
    STALE = 3600

    def __init__(self, source: Path) -> None:
        self.source = source
        self.pid = os.getpid()
        self._sweep()
        self.folder = Path(tempfile.mkdtemp(prefix=f"{self.PREFIX}{self.pid}-"))
        if source.is_dir():
            with contextlib.suppress(OSError):  # (shutil.Error too) what can be read of it
                shutil.copytree(source, self.folder, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
        atexit.register(self.remove)

    def remove(self) -> None:
        if os.getpid() != self.pid:
            return
        atexit.unregister(self.remove)
        shutil.rmtree(self.folder, ignore_errors=True)

    @classmethod
    def _sweep(cls) -> None:
        now = time.time()
        for folder in Path(tempfile.gettempdir()).glob(f"{cls.PREFIX}*-*"):
            pid = folder.name[len(cls.PREFIX):].split("-", 1)[0]
            with contextlib.suppress(OSError):
                if pid.isdigit() and not _alive(int(pid)) \
                        and now - folder.stat().st_mtime > cls.STALE:
                    shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (on Windows, always said to: there os.kill ends it)."""
    if os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def partial_path(path: Path, pid: int | None = None) -> Path:
    """Where :func:`write_atomic` in process ``pid`` (this one by default) writes ``path``
    before renaming it into place: what a writer killed in the middle leaves."""
    return path.with_name(f"{path.name}.{pid or os.getpid()}.tmp")


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file beside it, renamed into place
    (also how helpers write site pages: see :mod:`lexigraph.write_ahead`).

    Returns whether it was written; a write that fails leaves nothing beside ``path``.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "sub" / "x.json"
    >>> write_atomic(target, b"{}"), target.read_bytes(), sorted(p.name for p in target.parent.iterdir())
    (True, b'{}', ['x.json'])
    """
    partial = partial_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _ignored_by_git(path)
        partial.write_bytes(data)
        partial.replace(path)  # atomic: a parallel run reads the old file or the new one
        return True
    except BaseException as exc:  # (Ctrl-C mid-write too: nothing else would remove it)
        with contextlib.suppress(OSError):
            partial.unlink()
        if isinstance(exc, OSError):
            return False
        raise


def keep_last_used(folder: Path, pattern: str, count: int) -> None:
    """Remove the files of ``folder`` matching ``pattern`` but the ``count`` last used (by
    their time: a reader touches what it uses), so that a cache of one file per key does not
    grow without end.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for n, name in enumerate(["a.json", "b.json", "c.json", "d.txt"]):
    ...     _ = (folder / name).write_text(""); os.utime(folder / name, (n, n))
    >>> keep_last_used(folder, "*.json", 2); sorted(p.name for p in folder.iterdir())
    ['b.json', 'c.json', 'd.txt']
    """
    found = sorted(folder.glob(pattern), key=_mtime, reverse=True)
    for stale in found[count:]:
        stale.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:  # removed by a parallel run meanwhile: the oldest of all
        return 0.0


def _ignored_by_git(path: Path) -> None:
    """Give the cache folder ``path`` is in (if it is in one) its ``.gitignore``."""
    for folder in path.parents:
        if folder.name == CACHE_DIR:
            ignore = folder / ".gitignore"
            if not ignore.exists():
                with contextlib.suppress(OSError):
                    ignore.write_bytes(GITIGNORE)
            return


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

    A build stores a few records per page: as files, 30,000 of them at 10,000 terms, each
    created through a temporary file and renamed into place. SQLite appends them to one file
    instead, lets helper processes write beside MkDocs (each write is a transaction of its
    own: whole or absent), and survives a process killed mid-write (write-ahead log).

    Every failure is a miss: a store that cannot be opened or written computes the same things
    again (and is not tried again until :meth:`close`). A file SQLite reports as damaged is
    removed and started over, but only when no other process has it open: each process holds
    a shared lock on a file beside it while connected, and starting over takes it exclusively.

    A process opens its own connection, and none is open across a ``fork``: SQLite's locks
    belong to the process that took them, so a child must neither use nor inherit one.

    >>> import tempfile
    >>> store = RecordStore(Path(tempfile.mkdtemp()) / "records.sqlite3")
    >>> store.put("a", b"1"), store.put("b", b"2"), store.get("a"), store.get("c")
    (True, True, b'1', None)
    >>> store.keep_only({"b"}); sorted(store.items())
    [('b', b'2')]
    """

    #: What SQLite reports of a file that is not (or no longer) a database.
    DAMAGED = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
    #: The database's files, by suffix, in the order they are removed: the logs before the
    #: file (a new file must never meet an old log).
    SUFFIXES = ("-wal", "-shm", "-journal", "")
    #: The suffix of the lock file beside them (never removed: see :meth:`_start_over`).
    LOCK = ".lock"

    def __init__(self, path: Path, timeout: float = 30) -> None:
        self.path = path
        self.timeout = timeout
        self._connection: sqlite3.Connection | None = None
        self._lock: BinaryIO | None = None
        self._pid = 0
        #: Set when the store failed in this process: every use is a miss until :meth:`close`.
        self._unusable = False
        _OPEN.add(self)

    def _open(self) -> sqlite3.Connection:
        if self._pid != os.getpid():  # forked without the hook (never with os.fork)
            self._connection, self._lock, self._unusable = None, None, False
            self._pid = os.getpid()
        if self._connection is not None:
            return self._connection
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _ignored_by_git(self.path)
        if self._lock is None:
            self._lock = self._lock_path.open("ab")
            if fcntl is not None:
                fcntl.flock(self._lock, fcntl.LOCK_SH)  # waits while another starts over
        connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None,
                                     check_same_thread=False)
        try:
            # A new file: free pages can be given back (after keep_only) without a VACUUM.
            connection.execute("PRAGMA auto_vacuum=INCREMENTAL")
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")  # a crash loses writes, not the file
            connection.execute("PRAGMA secure_delete=FAST")  # no zeroing of deleted records
            connection.execute("CREATE TABLE IF NOT EXISTS records "
                               "(key TEXT PRIMARY KEY, data BLOB NOT NULL)")
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        return connection

    @property
    def _lock_path(self) -> Path:
        return self.path.with_name(self.path.name + self.LOCK)

    def _run(self, work: Callable[[sqlite3.Connection], T], default: T) -> T:
        """``work(connection)``; once more on a new file if this one is damaged; on any
        other failure ``default``."""
        for attempt in range(2):
            if self._unusable:
                return default
            try:
                return work(self._open())
            except sqlite3.Error as exc:
                code = getattr(exc, "sqlite_errorcode", None)
                code = code & 0xFF if isinstance(code, int) else 0  # (extended codes too)
                if code not in self.DAMAGED or attempt or not self._start_over():
                    if code in self.DAMAGED or self._connection is None:
                        self._unusable = True  # damaged, or cannot even be opened
                    return default
            except OSError:
                self._unusable = True
                return default
        return default

    def _start_over(self) -> bool:
        """Remove the damaged file if no other process has it open; return whether it was."""
        lock = self._lock
        if lock is not None and fcntl is not None:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # another process has it open: leave it to the last one
                return False
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = None
        try:
            for suffix in self.SUFFIXES:  # (the lock file stays)
                with contextlib.suppress(FileNotFoundError):
                    self.path.with_name(self.path.name + suffix).unlink()
        except OSError:
            return False
        finally:
            self._close_lock()
        return True

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
        """Remove every record whose key is not in ``keys``, and give the space back."""
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
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("ROLLBACK")
                raise
            # (executescript steps it to the end; execute would free a single page)
            connection.executescript("PRAGMA incremental_vacuum;")
        self._run(prune, None)

    def items(self) -> list[tuple[str, bytes]]:
        """Every ``(key, record)``, by key."""
        def read(connection: sqlite3.Connection) -> list[tuple[str, bytes]]:
            rows = connection.execute("SELECT key, data FROM records ORDER BY key")
            return [(key, bytes(data)) for key, data in rows]
        return self._run(read, [])

    def files(self) -> list[str]:
        """The names of the files the store uses, beside :attr:`path`."""
        return [self.path.name + suffix for suffix in (*self.SUFFIXES, self.LOCK)]

    def close(self) -> None:
        """Close this process's connection (the next use opens it again, and tries again a
        store that failed)."""
        if self._pid == os.getpid():
            if self._connection is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._connection.close()
            self._close_lock()
        self._connection, self._lock, self._unusable = None, None, False

    def _close_lock(self) -> None:
        if self._lock is not None:
            with contextlib.suppress(OSError):
                self._lock.close()  # releases the flock
            self._lock = None


def _close_stores() -> None:
    for store in list(_OPEN):
        store.close()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_close_stores)
