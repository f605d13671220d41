"""Demo modules: discovery by id (``demos/gradient_decay.py`` is ``gradient-decay``)."""

from __future__ import annotations

from pathlib import Path


def demo_id(path: Path) -> str:
    return path.stem.replace("_", "-")


def discover(directory: Path | None) -> dict[str, Path]:
    """Map each demo id to its module file; ``_``-prefixed modules are helpers, not demos."""
    if directory is None or not directory.is_dir():
        return {}
    return {demo_id(p): p for p in sorted(directory.glob("*.py"))
            if not p.name.startswith(("_", "."))}
