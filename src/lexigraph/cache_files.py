"""Files in ``.lexigraph-cache/``: each written whole or not at all.

Builds of one project may run side by side (tests, a CI matrix, ``serve`` beside ``build``),
and every file here is a cache: a reader must never see half a file, and a folder that cannot
be written is no error (the next run computes the same thing again).
"""

from __future__ import annotations

import contextlib
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
