"""When each entry last changed: from git history (one ``git log`` for the whole folder).

File times are useless for this (a fresh clone stamps every file with the clone's time), so
git decides; a file git does not know yet falls back to its modification time.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path


def last_changed(directory: Path, paths: Iterable[Path]) -> dict[Path, str]:
    """ISO-8601 time of the last commit touching each path (or its mtime if untracked)."""
    wanted = {p.resolve() for p in paths}
    found: dict[Path, str] = {}
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=directory,
                             capture_output=True, text=True, check=True).stdout.strip()
        log = subprocess.run(["git", "log", "--format=%x00%cI", "--name-only", "--", "."],
                             cwd=directory, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        top, log = "", ""  # not a git checkout, or no git: modification times only
    date = ""
    for line in log.splitlines():
        if line.startswith("\x00"):
            date = line[1:]
        elif line:
            path = (Path(top) / line).resolve()
            if path in wanted and path not in found:
                found[path] = date
    for path in wanted - found.keys():
        if path.exists():
            stamp = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)
            found[path] = stamp.isoformat(timespec="seconds")
    return found
