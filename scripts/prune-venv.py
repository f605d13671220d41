#!/usr/bin/env python3
"""Uninstall from this Python's environment every package constraints.txt does not pin.

`make setup` runs it with .venv's Python before it installs the project: a package that
`make lock` dropped (a dependency no longer needed) would otherwise stay in .venv for good, as
pip only ever adds, and tests/test_python_pins.py fails on it. The install that follows brings
back whatever the project still needs (and the pin test names it if it is not pinned). The
project itself and the build tools are kept. Standard library only: it runs before the
project's dependencies are there.

    .venv/bin/python scripts/prune-venv.py [constraints.txt]
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterable
from importlib.metadata import distributions
from pathlib import Path

KEEP = {"lexigraph", "pip", "setuptools", "wheel"}


def canonical(name: str) -> str:
    """A distribution's name as pip compares them (PEP 503): ``PyYAML`` and ``pyyaml`` alike."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(constraints: str) -> set[str]:
    """The names ``name==version`` lines of a constraints file pin."""
    return {canonical(match[1]) for line in constraints.splitlines()
            if (match := re.match(r"\s*([A-Za-z0-9._-]+)\s*==", line))}


def unpinned(installed: Iterable[str], pins: set[str]) -> list[str]:
    return sorted({canonical(name) for name in installed} - pins - KEEP)


def main(argv: list[str]) -> int:
    constraints = Path(argv[1] if len(argv) > 1 else "constraints.txt")
    installed = (d.metadata["Name"] for d in distributions() if d.metadata["Name"])
    names = unpinned(installed, pinned(constraints.read_text(encoding="utf-8")))
    if names:
        print(f"removing {', '.join(names)}: not pinned in {constraints}")
        subprocess.run([sys.executable, "-m", "pip", "uninstall", "-q", "-y", *names],
                       check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
