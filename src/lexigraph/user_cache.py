"""The user's cache of pinned third-party files (the Pyodide runtime, the graph page's
libraries): where it is, how its files are checked, and how two fetches of one folder take
turns. What each fetcher downloads, and from where, is its own (``pyodide_fetch``,
``frontend_fetch``)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
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
def locked(directory: Path) -> Iterator[None]:
    """Hold ``directory``'s lock: another process fetching into it (``pytest -n 2``, a build
    beside ``lexigraph ... fetch``) waits, then finds the files there."""
    try:
        import fcntl
    except ImportError:  # Windows: concurrent fetches both write; the renames keep them whole
        yield
        return
    with (directory / ".lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield
