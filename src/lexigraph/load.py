"""Stage 1: read term files and the taxonomy into raw entries that remember source lines.

Nothing here judges the content; :mod:`lexigraph.validate` does. Problems that stop a file
from being read at all (not UTF-8, no front matter, YAML syntax) are returned as
:class:`~lexigraph.errors.Problem` values instead of entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem
from .model import Slug

try:  # libyaml is ~10x faster; the pure-Python loader gives the same nodes.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

TAXONOMY_FILE = "_taxonomy.yml"
_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


@dataclass
class RawEntry:
    """A term file parsed but not yet checked."""

    path: Path
    slug: Slug
    data: dict[str, Any]
    #: 1-based line of each top-level key.
    key_lines: dict[str, int]
    #: 1-based line of each list item / nested mapping: ``(key, index) -> line``.
    item_lines: dict[tuple[str, int], int]
    body: str
    body_line: int
    mtime: float = 0.0
    #: Keys given twice in the front matter, with the line of the repeat.
    duplicate_keys: list[tuple[str, int]] = field(default_factory=list)


def term_files(directory: Path) -> list[Path]:
    """The term files of a glossary folder, sorted; ``_``-prefixed files are not terms."""
    return sorted(p for p in directory.glob("*.md") if not p.name.startswith("_"))


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Problem(
            path,
            line,
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            "save the file as UTF-8 (most editors offer 'Save with encoding')",
        )


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split ``text`` into (front matter, body, 1-based line of the body's first line).

    Returns ``None`` when the text does not start with a ``---`` line or the block is not closed.

    Examples
    --------
    >>> split_front_matter("---\\ntitle: X\\n---\\nBody\\n")
    ('title: X\\n', 'Body\\n', 4)
    >>> split_front_matter("no front matter") is None
    True
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    return None


def parse_entry(path: Path, text: str) -> tuple[RawEntry | None, list[Problem]]:
    """Parse one term file's text. Line numbers in problems are lines of ``path``."""
    slug = Slug(path.stem)
    split = split_front_matter(text)
    if split is None:
        if text.lstrip().startswith("---"):
            message = "the front matter is not closed"
            hint = "end the YAML block with a line holding only '---'"
        else:
            message = "missing front matter"
            hint = "start the file with a '---' line, the YAML fields (title, summary, ...), and '---'"
        return None, [Problem(path, 1, message, hint + "; `lexigraph new` writes a valid skeleton")]
    front, body, body_line = split
    offset = 2  # the YAML block starts on the file's second line
    loader = _Loader(front)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + offset if mark is not None else offset
        what = getattr(exc, "problem", None) or str(exc)
        return None, [
            Problem(
                path,
                line,
                f"YAML syntax error in the front matter: {what}",
                "check indentation and quoting; put values containing ': ' or starting with "
                "'[', '{', '*', '&', '!' or '%' in quotes",
            )
        ]
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return None, [
            Problem(
                path,
                offset,
                f"the front matter must be a mapping of fields but received: {type(data).__name__}",
                "write one 'key: value' per line, e.g. 'title: ReLU'",
            )
        ]
    key_lines: dict[str, int] = {}
    item_lines: dict[tuple[str, int], int] = {}
    duplicates: list[tuple[str, int]] = []
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + offset
        if key in key_lines:
            duplicates.append((key, line))
            continue
        key_lines[key] = line
        if isinstance(value_node, yaml.SequenceNode):
            for index, item in enumerate(value_node.value):
                item_lines[(key, index)] = item.start_mark.line + offset
    entry = RawEntry(
        path=path,
        slug=slug,
        data={str(k): v for k, v in data.items()},
        key_lines=key_lines,
        item_lines=item_lines,
        body=body,
        body_line=body_line,
        duplicate_keys=duplicates,
    )
    return entry, []


def load_entries(directory: Path) -> tuple[list[RawEntry], list[Problem]]:
    """Read every term file of ``directory``; collect what could not be read."""
    entries: list[RawEntry] = []
    problems: list[Problem] = []
    for path in term_files(directory):
        text, problem = read_text(path)
        if problem is not None:
            problems.append(problem)
            continue
        assert text is not None
        entry, found = parse_entry(path, text)
        problems.extend(found)
        if entry is not None:
            entry.mtime = path.stat().st_mtime
            entries.append(entry)
    return entries, problems


def load_taxonomy_data(directory: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    path = directory / TAXONOMY_FILE
    if not path.is_file():
        return None, [
            Problem(
                path,
                None,
                "the taxonomy file is missing",
                f"create {TAXONOMY_FILE} with 'domains:' (and optionally 'industries:') mappings",
            )
        ]
    text, problem = read_text(path)
    if problem is not None:
        return None, [problem]
    try:
        data = yaml.load(text or "", Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [
            Problem(path, mark.line + 1 if mark else None, f"YAML syntax error: {exc}", "fix the YAML")
        ]
    if not isinstance(data, dict):
        return None, [Problem(path, 1, "the taxonomy must be a mapping", "add a 'domains:' mapping")]
    return data, []
