"""Problems found in an author's input, reported all at once."""

from __future__ import annotations

import difflib
import os
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def resolved(path: Path) -> Path:
    """``path`` absolute, with its folder resolved and its name not: a link is named, not its
    target. One file named two ways (``demos/x.py``, ``/project/demos/x.py``) is one path."""
    return path.parent.resolve() / path.name


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input: where, what, and how to fix it.

    A path in the hint (where the fix is) is written absolute, as :func:`resolved` gives it:
    :meth:`format` shows it relative to the project, like the location.
    """

    path: Path
    line: int | None
    message: str
    hint: str = ""

    def location(self, root: Path | None = None) -> str:
        path = self.path
        if root is not None:
            try:
                path = resolved(path).relative_to(root.resolve())
            except ValueError:
                pass
        return f"{path}:{self.line}" if self.line else f"{path}"

    def format(self, root: Path | None = None) -> str:
        """``path:line: error: message`` and the fix; paths inside ``root`` relative to it."""
        text = f"{self.location(root)}: error: {self.message}"
        if self.hint:
            text += f"\n    fix: {_inside(self.hint, root) if root is not None else self.hint}"
        return text


def _inside(text: str, root: Path) -> str:
    """``text`` with every absolute path inside ``root`` written relative to it.

    Examples
    --------
    >>> _inside("move it to /p/glossary/x.md (not /p/glossary-old/x.md)", Path("/p/glossary"))
    'move it to x.md (not /p/glossary-old/x.md)'
    """
    base = str(root.resolve()).rstrip(os.sep) + os.sep
    # (not inside another path: /q/p/glossary/ is not /p/glossary/)
    return re.sub(r"(?<![\w.~/\\-])" + re.escape(base), "", text)


class GlossaryError(Exception):
    """Raised when the glossary has problems; carries every one of them, and what could be
    built without the entries that have them, when asked for (``partial``, see
    :func:`lexigraph.pipeline.build_glossary`)."""

    def __init__(self, problems: Iterable[Problem], partial: Any = None) -> None:
        self.problems = sorted(problems, key=_sort_key)
        self.partial = partial
        super().__init__(format_report(self.problems))


def _sort_key(problem: Problem) -> tuple[str, int, str]:
    return (str(resolved(problem.path)), problem.line or 0, problem.message)


def format_report(problems: list[Problem], root: Path | None = None) -> str:
    """Every problem, a file's together, and how many there are in how many files; paths
    inside the project folder ``root`` relative to it."""
    lines = [p.format(root) for p in sorted(problems, key=_sort_key)]
    files = len({resolved(p.path) for p in problems})
    noun = "problem" if len(problems) == 1 else "problems"
    lines.append(f"{len(problems)} {noun} in {files} file{'s' if files != 1 else ''}.")
    return "\n".join(lines)


def closest_page(page: str, pages: Iterable[str]) -> str | None:
    """The one of ``pages`` (paths in docs_dir, ``a/b.md``) nearest to ``page``, a path no
    page has, compared without suffixes: what a broken link most likely meant.

    >>> closest_page("domains/optimisation.md", ["domains/optimization.md", "index.md"])
    'domains/optimization.md'
    >>> closest_page("index.md", ["terms/index.md", "README.md"])  # MkDocs' other index page
    'README.md'
    """
    pages = list(pages)
    folder, name = posixpath.split(page)
    if name == "index.md" and posixpath.join(folder, "README.md") in pages:
        return posixpath.join(folder, "README.md")
    names = {posixpath.splitext(p)[0]: p for p in pages}
    close = difflib.get_close_matches(posixpath.splitext(page)[0], names, n=1, cutoff=0.6)
    return names[close[0]] if close else None


def closest(value: str, choices: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The one of ``choices`` nearest to ``value`` (in any case), if it is close enough.

    >>> closest("recnet", ["browse", "recent"], cutoff=0.6), closest("zzz", ["recent"])
    ('recent', None)
    """
    folded = {c.casefold(): c for c in choices}
    match = difflib.get_close_matches(value.casefold(), list(folded), n=1, cutoff=cutoff)
    return folded[match[0]] if match else None


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A ``did you mean 'x'?`` hint, or an empty string when nothing is close.

    Examples
    --------
    >>> did_you_mean("dificulty", ["difficulty", "domains"])
    "did you mean 'difficulty'?"
    >>> did_you_mean("zzz", ["difficulty"])
    ''
    """
    near = closest(value, choices)
    return f"did you mean {near!r}?" if near else ""
