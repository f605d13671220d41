"""Files in ``.lexigraph-cache/``: each written whole or not at all.

Builds of one project may run side by side (tests, a CI matrix, ``serve`` beside ``build``),
and every file here is a cache: a reader must never see half a file, and a folder that cannot
be written is no error (the next run computes the same thing again).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from pathlib import Path


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
