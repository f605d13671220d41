"""The user's cache of pinned third-party files (the Pyodide runtime, the graph page's
libraries): where it is, how its files are checked, and how two fetches of one folder take
turns. What each fetcher downloads, and from where, is its own (``pyodide_fetch``,
``frontend_fetch``)."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def root(env: str, name: str) -> Path:
    """``$env`` if set, else ``${XDG_CACHE_HOME:-~/.cache}/lexigraph/<name>``.

    Examples
    --------
    >>> root("LEXIGRAPH_NO_SUCH_VARIABLE", "pyodide").parts[-2:]
    ('lexigraph', 'pyodide')
    """
    if os.environ.get(env):
        return Path(os.environ[env]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "lexigraph" / name


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def locked(directory: Path) -> Iterator[bool]:
    """Hold ``directory``'s lock: another process fetching into it (``pytest -n 2``, a build
    beside ``lexigraph ... fetch``) waits, then finds the files there. Yields whether the lock
    is really held (not on Windows). Every fetch writes only while holding it, and the system
    releases the lock of a process that dies, killed or not."""
    try:
        import fcntl
    except ImportError:  # Windows: concurrent fetches both write; the renames keep them whole
        yield False
        return
    with (directory / ".lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield True


#: A fetch's work file untouched this long is stale even where no lock tells (seconds).
STALE_AFTER = 3600


def remove_stale_parts(directory: Path, held: bool, report: Callable[[str], None]) -> None:
    """Remove the ``.*.part`` files and folders a fetch killed mid-way left in ``directory``.

    A fetch removes its own on any failure it lives through, but not after SIGKILL or a power
    cut, and the next one writes under a new name: a Pyodide file left so is up to 10 MB.
    Call with the folder's lock ``held`` (:func:`locked`): then no other fetch is writing, so
    every one is stale. Without a lock only those untouched for :data:`STALE_AFTER` are.
    """
    now = time.time()
    for path in directory.glob(".*.part"):
        try:
            if not held and now - _last_change(path) < STALE_AFTER:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue  # (gone meanwhile, or not ours to remove: the fetch goes on regardless)
        report(f"{path}: removed, left by an interrupted fetch")


def _last_change(path: Path) -> float:
    """The newest modification time of ``path`` and, for a folder, of what it holds."""
    times = [path.lstat().st_mtime]
    if path.is_dir():
        for folder, _, files in os.walk(path):
            times += [os.lstat(os.path.join(folder, name)).st_mtime for name in files]
            times.append(os.lstat(folder).st_mtime)
    return max(times)
