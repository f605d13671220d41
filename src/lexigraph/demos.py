"""Demo modules: discovery by id (``demos/gradient_decay.py`` is ``gradient-decay``)."""

from __future__ import annotations

from pathlib import Path


def demo_id(path: Path) -> str:
    return path.stem.replace("_", "-")


def module_files(directory: Path) -> list[Path]:
    """The modules of a demos folder, sorted, helpers (``_params.py``) included: files named
    ``*.py``, not ``.`` files (an editor's lock, such as Emacs' ``.#relu.py``, is a dangling
    link while a buffer is unsaved)."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.py") if not p.name.startswith(".") and p.is_file())


def discover(directory: Path | None) -> dict[str, Path]:
    """Map each demo id to its module file; ``_``-prefixed modules are helpers, not demos."""
    if directory is None:
        return {}
    return {demo_id(p): p for p in module_files(directory) if not p.name.startswith("_")}
