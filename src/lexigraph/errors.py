"""Problems found in an author's input, reported all at once."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input: where, what, and how to fix it."""

    path: Path
    line: int | None
    message: str
    hint: str = ""

    def location(self, root: Path | None = None) -> str:
        path = self.path
        if root is not None:
            try:  # (the folder resolved, the name not: a link is named, not its target)
                path = (path.parent.resolve() / path.name).relative_to(root.resolve())
            except ValueError:
                pass
        return f"{path}:{self.line}" if self.line else f"{path}"

    def format(self, root: Path | None = None) -> str:
        text = f"{self.location(root)}: error: {self.message}"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text


class GlossaryError(Exception):
    """Raised when the glossary has problems; carries every one of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=_sort_key)
        super().__init__(format_report(self.problems))


def _sort_key(problem: Problem) -> tuple[str, int, str]:
    return (str(problem.path), problem.line or 0, problem.message)


def format_report(problems: list[Problem], root: Path | None = None) -> str:
    lines = [p.format(root) for p in sorted(problems, key=_sort_key)]
    files = len({p.path for p in problems})
    noun = "problem" if len(problems) == 1 else "problems"
    lines.append(f"{len(problems)} {noun} in {files} file{'s' if files != 1 else ''}.")
    return "\n".join(lines)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A ``did you mean 'x'?`` hint, or an empty string when nothing is close.

    Examples
    --------
    >>> did_you_mean("dificulty", ["difficulty", "domains"])
    "did you mean 'difficulty'?"
    >>> did_you_mean("zzz", ["difficulty"])
    ''
    """
    folded = {c.casefold(): c for c in choices}
    match = difflib.get_close_matches(value.casefold(), list(folded), n=1, cutoff=0.75)
    return f"did you mean {folded[match[0]]!r}?" if match else ""
