"""Stage 1: read term files and the taxonomy into raw entries that remember source lines.

Nothing here judges the content; :mod:`lexigraph.validate` does. Problems that stop a file
from being read at all (not UTF-8, no front matter, YAML syntax) are returned as
:class:`~lexigraph.errors.Problem` values instead of entries.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime
import gc
import hashlib
import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path, PosixPath, WindowsPath
from typing import Any

import yaml

from .cache_files import code_digest, keep_last_used, write_atomic
from .errors import Problem, resolved
from .mathml import Formula, formulas_of
from .model import Slug, slugify
from .parallel import Forked, can_fork, map_chunks
from .text import UNSHOWABLE_HINT, unshowable_at

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
    #: Keys given more than once in the front matter, each with all its lines. The key's lines
    #: above are the last one's, whose value YAML keeps.
    duplicate_keys: dict[str, list[int]] = field(default_factory=dict)
    #: Fields given twice in a mapping of a top-level list (a reference's ``url:``), with the
    #: line of the repeat: ``(key, index, field, line)``.
    repeated_fields: list[tuple[str, int, str, int]] = field(default_factory=list)
    #: Plain (unquoted) values a `` #`` comment follows on their line (see
    #: :func:`comments_after_values`).
    comments: list[CommentAfter] = field(default_factory=list)
    #: 1-based line of each key of a mapping in a list (a reference's ``year:``):
    #: ``(key, index, field) -> line``.
    field_lines: dict[tuple[str, int, str], int] = field(default_factory=dict)
    #: 1-based line where the text of a top-level key's value starts (for ``summary: >-``, the
    #: line after the key's).
    value_lines: dict[str, int] = field(default_factory=dict)
    #: The text of each top-level plain (unquoted) scalar as written: ``title: 1.10`` is read
    #: as the number 1.1, but its title is "1.10".
    written: dict[str, str] = field(default_factory=dict)
    #: The body's formulas (:func:`~lexigraph.mathml.formulas_of`), found as it is parsed:
    #: shared out with the parsing, and kept with the entry for the next run. ``None``: not
    #: known (they are found from the body when checked). A copy with another body must
    #: set it again.
    formulas: list[tuple[int, Formula]] | None = None


#: Where a value is (keys and list indexes from the top: ``("aliases", 1)``), the 1-based line
#: of the comment after it, and the value as typed up to the line's end (``None`` when the
#: value starts on an earlier line).
CommentAfter = tuple[tuple["str | int", ...], int, "str | None"]
#: A comment whose '#' touches the next word (``The #1``, ``#hashtags``): text the author
#: meant as part of the value. ``# a note``, with a space, is taken for a comment as meant.
_COMMENT_AFTER = re.compile(r"[ \t]+#(?=\S)")
_TOUCHING_HASH = re.compile(r"[ \t]#\S")


def comments_after_values(front: str, offset: int) -> list[CommentAfter]:
    """Every plain value of the YAML block ``front`` (starting on line ``offset``) that a
    comment whose ``#`` touches the next word follows on its line: ``summary: The #1 choice``
    reads as ``The``. Quoted and block values (``>-``) keep their ``#``, and ``title: X  # a
    note`` is a comment as meant; they are not listed.

    Examples
    --------
    >>> comments_after_values('title: The #1 term\\nsummary: "a #b"\\naliases: [x] #y\\n'
    ...                       'keywords: k  # a note\\n', 2)
    [(('title',), 2, 'The #1 term')]
    """
    if not _TOUCHING_HASH.search(front):  # (most entries: no second pass over the YAML)
        return []
    lines = front.split("\n")
    loader = _Loader(front)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:  # reported when the block is read
        return []
    finally:
        loader.dispose()
    found: list[CommentAfter] = []

    def walk(node: yaml.Node | None, where: tuple[str | int, ...]) -> None:
        if isinstance(node, yaml.ScalarNode):
            start, end = node.start_mark, node.end_mark
            # (style: '' or None for a plain scalar, by the C or the Python loader)
            if not node.style and node.value and end.line < len(lines) \
                    and _COMMENT_AFTER.match(lines[end.line], end.column):
                typed = lines[end.line][start.column:].strip() if start.line == end.line \
                    else None
                found.append((where, end.line + offset, typed))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*where, index))
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, (*where, str(key.value)))

    walk(root, ())
    return found


#: Names that are not entries: ``_taxonomy.yml`` and other ``_`` files are the glossary's own;
#: ``.`` files are editors' (Emacs' ``.#relu.md`` lock, a dangling link while a buffer is
#: unsaved) and tools' (hidden autosaves).
NOT_ENTRIES = ("_", ".")


def term_files(directory: Path) -> list[Path]:
    """The term files of a glossary folder, sorted; ``_`` and ``.`` files are not terms."""
    return sorted(p for p in directory.glob("*.md") if not p.name.startswith(NOT_ENTRIES))


#: The file names MkDocs takes for Markdown pages (``mkdocs.utils.markdown_extensions``): in
#: a glossary folder, those not ending in ``.md`` are misnamed entries.
MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")


def nested_files(directory: Path) -> list[Path]:
    """The Markdown files in the folders inside a glossary folder, sorted: entries there are
    not read. Folders whose name starts with ``_`` or ``.`` (a ``_drafts`` folder, ``.git``)
    are not looked into; folders linked to are not followed."""
    with os.scandir(directory) as listing:
        folders = [item.path for item in listing
                   if not item.name.startswith(NOT_ENTRIES) and not item.is_symlink()
                   and item.is_dir()]  # (in this order: a link to itself cannot be followed)
    found: list[Path] = []
    for folder in folders:
        for parent, subfolders, files in os.walk(folder):
            subfolders[:] = [name for name in subfolders if not name.startswith(NOT_ENTRIES)]
            found += (Path(parent) / name for name in files
                      if os.path.splitext(name)[1].lower() in MARKDOWN_SUFFIXES
                      and not name.startswith(NOT_ENTRIES))
    return sorted(found)


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """The file's text with ``\n`` line ends (Windows' ``\r\n`` too), or why it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:  # a folder named like a term file, a broken link, no permission
        if path.is_dir():
            return None, Problem(path, None, "this is a folder, not a term file",
                                 "rename it: every '*.md' in the glossary folder is read "
                                 "as a term")
        return None, Problem(path, None, f"cannot read the file: {exc.strerror or exc}",
                             "remove it, or point the link at an existing file"
                             if path.is_symlink() else "check that the file is readable")
    try:
        # Windows line ends, and old Macs' (a lone CR), read as the others.
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n"), None
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


class _Unusual(Exception):
    """YAML that :func:`_read_events` leaves to PyYAML's general (slower) path."""


_STR = "tag:yaml.org,2002:str"
#: Plain scalar -> its resolved tag (slugs and words repeat across a glossary's files).
_PLAIN_TAGS: dict[str, str] = {}
#: Per top-level key: its raw text, its 0-based line, its items' lines (a list), the lines of
#: the keys of its items that are mappings (a list of mappings), the line its text starts on
#: (a scalar) and its text as written (a plain scalar).
_KeyInfo = tuple[str, int, "list[int] | None", "dict[tuple[int, str], int] | None",
                 "int | None", "str | None"]


def _repeated_fields(node: yaml.MappingNode) -> list[tuple[str, int, str, int]]:
    """The fields given twice in a mapping of a top-level list (a reference's ``url:``),
    of which PyYAML keeps the last: ``(key, index, field, 0-based line of the repeat)``."""
    found = []
    for key, value in node.value:
        if not isinstance(value, yaml.SequenceNode):
            continue
        for index, item in enumerate(value.value):
            if isinstance(item, yaml.MappingNode):
                seen: set[str] = set()
                for name, _ in item.value:
                    if isinstance(name, yaml.ScalarNode):
                        if name.value in seen:
                            found.append((str(key.value), index, name.value,
                                          name.start_mark.line))
                        seen.add(name.value)
    return found


def _text_line(line: int, style: str | None, text: str) -> int:
    """The 0-based line where a scalar's text starts: a block scalar's (``>-``, ``|``) after
    its indicator, past its leading blank lines."""
    if style and style in "|>":
        return line + 1 + len(text) - len(text.lstrip("\n"))
    return line


def _read_events(loader: Any) -> tuple[dict[Any, Any], list[_KeyInfo]]:
    """The front matter's data and, per top-level key, where it and its parts are (see
    ``_KeyInfo``).

    The same values as PyYAML's ``construct_document``, built straight from the C parser's
    events: composing a node tree first costs half as much again (a second of a 10,000-term
    ``lexigraph check``). Anchors, aliases, explicit tags, merge keys,
    non-scalar keys and anything but one mapping raise :class:`_Unusual` (PyYAML then reads
    the file as before).
    """
    events = iter(loader.get_event, None)
    if not isinstance(next(events), yaml.StreamStartEvent) or \
            not isinstance(next(events), yaml.DocumentStartEvent):
        raise _Unusual
    start = next(events)
    # The front matter itself, like every collection in it: untagged and unanchored.
    if not isinstance(start, yaml.MappingStartEvent) or start.anchor is not None or \
            (start.tag is not None and start.tag != "!"):
        raise _Unusual
    root: dict[Any, Any] = {}
    keys: list[_KeyInfo] = []
    # Open collections: (container, pending key of a mapping or _NO_KEY, key's raw text).
    stack: list[list[Any]] = [[root, _NO_KEY, None]]
    items: list[int] | None = None
    for event in events:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise _Unusual
            value: Any = _scalar(loader, event)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                raise _Unusual
            top = stack[-1]
            if isinstance(top[0], dict) and top[1] is _NO_KEY:
                raise _Unusual  # a mapping or sequence as a key
            if len(stack) == 2 and items is not None and isinstance(top[0], list):
                items.append(event.start_mark.line)
            new: Any = {} if kind is yaml.MappingStartEvent else []
            if len(stack) == 1 and kind is yaml.SequenceStartEvent:
                items = keys[-1][2]
                if items is None:
                    items = []
                    keys[-1] = (keys[-1][0], keys[-1][1], items, {}, None, None)
            stack.append([new, _NO_KEY, None])
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            done = stack.pop()[0]
            if not stack:
                break
            value = done
            _attach(stack[-1], value)
            continue
        else:  # an alias, or a second document
            raise _Unusual
        top = stack[-1]
        if isinstance(top[0], dict) and top[1] is _NO_KEY:  # a key
            if not isinstance(value, (str, int, float, bool)) and value is not None:
                raise _Unusual
            top[1] = value
            if len(stack) == 1:
                keys.append((event.value, event.start_mark.line, None, None, None, None))
            elif len(stack) == 3 and isinstance(stack[1][0], list) and isinstance(value, str):
                fields = keys[-1][3]  # a key of a mapping in a top-level list
                if fields is not None:
                    if (len(stack[1][0]), value) in fields:
                        raise _Unusual  # given twice: see _repeated_fields
                    fields[(len(stack[1][0]), value)] = event.start_mark.line
            continue
        if len(stack) == 2 and isinstance(top[0], list) and items is not None:
            items.append(event.start_mark.line)
        elif len(stack) == 1:
            keys[-1] = (*keys[-1][:4], _text_line(event.start_mark.line, event.style,
                                                  event.value),
                        event.value if not event.style else None)  # (plain: "" or None)
        _attach(top, value)
    if not isinstance(next(events, None), yaml.DocumentEndEvent) or \
            not isinstance(next(events, None), yaml.StreamEndEvent):
        raise _Unusual  # a second document
    return root, keys


_NO_KEY = object()


def _attach(top: list[Any], value: Any) -> None:
    container = top[0]
    if isinstance(container, list):
        container.append(value)
    else:
        container[top[1]] = value
        top[1] = _NO_KEY


def _scalar(loader: Any, event: Any) -> Any:
    plain = event.implicit[0]
    if not plain:
        return event.value  # quoted (or a block scalar): a string
    tag = _PLAIN_TAGS.get(event.value)
    if tag is None:
        tag = loader.resolve(yaml.ScalarNode, event.value, (True, False))
        if len(_PLAIN_TAGS) < 100_000:
            _PLAIN_TAGS[event.value] = tag
    if tag == _STR:
        return event.value
    if tag == "tag:yaml.org,2002:merge":
        raise _Unusual
    construct = loader.yaml_constructors.get(tag)
    if construct is None:  # e.g. a plain '=' (tag:yaml.org,2002:value): PyYAML reports it
        raise _Unusual
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    return construct(loader, node)


def parse_entry(path: Path, text: str) -> tuple[RawEntry | None, list[Problem]]:
    """Parse one term file's text. Line numbers in problems are lines of ``path``."""
    slug = Slug(path.stem)
    split = split_front_matter(text)
    if split is None:
        first = text.splitlines()[:1]
        line = 1
        if not text.strip():
            message = "the file is empty"
            hint = ("delete it and run `lexigraph new \"<title>\"`, which writes an entry to "
                    "fill in")
        elif first and first[0].rstrip() == "---":
            message = "the front matter is not closed"
            hint = "end the YAML block with a line holding only '---'"
        elif text.lstrip().startswith("---"):
            line = text[: len(text) - len(text.lstrip())].count("\n") + 1
            message = "the front matter's opening '---' is not on the file's first line"
            hint = "remove the blank lines above it"
        else:
            message = "missing front matter"
            hint = "start the file with a '---' line, the YAML fields (title, summary, ...), and '---'"
        return None, [Problem(path, line, message,
                              hint + "; `lexigraph new` writes a valid skeleton")]
    front, body, body_line = split
    offset = 2  # the YAML block starts on the file's second line
    odd = _odd_break(front)
    if odd is not None:
        return None, [Problem(path, odd[0] + offset, f"the front matter {odd[1]}", REFUSED_HINT)]
    repeats: list[tuple[str, int, str, int]] = []
    loader = _Loader(front)
    try:
        read = _read_events(loader)
    except (_Unusual, yaml.YAMLError):  # the general path below says what is wrong, if anything
        read = None
    finally:
        loader.dispose()
    if read is None:
        loader = _Loader(front)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        except yaml.YAMLError as exc:
            unread = _unreadable(front, exc)
            if unread is not None:
                return None, [Problem(path, unread[0] + offset, "YAML syntax error in the "
                                      f"front matter: {unread[1]}", unread[2])]
            line, what = _yaml_error(exc, offset, front)
            line, what, fix = _yaml_cause(front, exc, offset, line, what)
            return None, [
                Problem(
                    path,
                    line,
                    f"YAML syntax error in the front matter: {what}",
                    fix or "check indentation and quoting; put values containing ': ' or "
                    "starting with '[', '{', '*', '&', '!' or '%' in quotes",
                )
            ]
        finally:
            loader.dispose()
        if data is None:
            return None, [Problem(path, offset, "the front matter is empty",
                                  "write the entry's fields between the two '---' lines: title, "
                                  "summary, difficulty, domains; `lexigraph new` writes them all")]
        if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
            return None, [
                Problem(
                    path,
                    offset,
                    f"the front matter must be a mapping of fields but received: "
                    f"{type(data).__name__}",
                    "write one 'key: value' per line, e.g. 'title: ReLU'",
                )
            ]
        read = data, [(str(k.value), k.start_mark.line,
                       [i.start_mark.line for i in v.value]
                       if isinstance(v, yaml.SequenceNode) else None,
                       {(index, key.value): key.start_mark.line
                        for index, item in enumerate(v.value)
                        if isinstance(item, yaml.MappingNode)
                        for key, _ in item.value if isinstance(key, yaml.ScalarNode)}
                       if isinstance(v, yaml.SequenceNode) else None,
                       _text_line(v.start_mark.line, v.style, v.value)
                       if isinstance(v, yaml.ScalarNode) else None,
                       v.value if isinstance(v, yaml.ScalarNode) and not v.style else None)
                      for k, v in node.value]
        repeats = _repeated_fields(node)
    data, keys = read
    key_lines: dict[str, int] = {}
    item_lines: dict[tuple[str, int], int] = {}
    field_lines: dict[tuple[str, int, str], int] = {}
    value_lines: dict[str, int] = {}
    duplicates: dict[str, list[int]] = {}
    written: dict[str, str] = {}
    for key, line0, items, fields, text_line, plain in keys:
        line = line0 + offset
        if key in key_lines:  # YAML keeps the last value: its problems are at its lines
            duplicates.setdefault(key, [key_lines[key]]).append(line)
            item_lines = {at: n for at, n in item_lines.items() if at[0] != key}
            field_lines = {at: n for at, n in field_lines.items() if at[0] != key}
            value_lines.pop(key, None)
        key_lines[key] = line
        for index, item_line in enumerate(items or ()):
            item_lines[(key, index)] = item_line + offset
        for (index, name), field_line in (fields or {}).items():
            field_lines[(key, index, str(name))] = field_line + offset
        if text_line is not None:
            value_lines[key] = text_line + offset
        if plain is not None:
            written[key] = plain
        else:
            written.pop(key, None)
    entry = RawEntry(
        path=path,
        slug=slug,
        data={str(k): v for k, v in data.items()},
        key_lines=key_lines,
        item_lines=item_lines,
        body=body,
        body_line=body_line,
        duplicate_keys=duplicates,
        repeated_fields=[(key, index, name, line + offset) for key, index, name, line in repeats],
        comments=comments_after_values(front, offset),
        field_lines=field_lines,
        value_lines=value_lines,
        written=written,
        formulas=formulas_of(body),
    )
    # (Here, not with the other checks: parsing is shared among processes and kept between
    # runs, and the whole text of a large glossary takes a while to scan.)
    refused = unshowable_at(body)
    if refused is not None:
        return entry, [Problem(path, body_line + body.count("\n", 0, refused[0]),
                               f"the body holds {refused[1]}", UNSHOWABLE_HINT)]
    return entry, []


TAB_HINT = "tabs cannot indent YAML: indent with spaces"


def _tab_indent(text: str, exc: yaml.YAMLError) -> int | None:
    """The 0-based line of ``text`` whose indentation holds the tab behind the YAML error
    ``exc``, if a tab is behind it (PyYAML says "found character that cannot start any token"
    for some of them).

    Examples
    --------
    >>> try:
    ...     yaml.safe_load("aliases:\\n\\t- a\\n")
    ... except yaml.YAMLError as exc:
    ...     _tab_indent("aliases:\\n\\t- a\\n", exc)
    1
    """
    mark = getattr(exc, "problem_mark", None)
    lines = text.split("\n")
    if mark is None or mark.line >= len(lines):
        return None
    line = lines[mark.line]
    return mark.line if "\t" in line[: len(line) - len(line.lstrip(" \t"))] else None


#: What to do about a character YAML refuses to read.
REFUSED_HINT = (f"{UNSHOWABLE_HINT} (to mean it, write it as an escape in double quotes, e.g. "
                "\"\\t\" for a tab)")


def _unreadable(text: str, exc: yaml.YAMLError) -> tuple[int, str, str] | None:
    """What keeps YAML from reading ``text`` when it is a tab indenting a line, or a
    character it refuses: the 0-based line, what is wrong and the fix; else ``None``
    (:func:`_yaml_error` says)."""
    tab = _tab_indent(text, exc)
    if tab is not None:
        return tab, "this line is indented with a tab", TAB_HINT
    refused = _refused_character(text, exc)
    return None if refused is None else (*refused, REFUSED_HINT)


def _refused_character(text: str, exc: yaml.YAMLError) -> tuple[int, str] | None:
    """The 0-based line of ``text`` holding the character YAML refused to read (a control
    character), and what it is, if ``exc`` is that error. PyYAML gives no line for it, only
    a position, which libyaml counts in bytes: the first such character is the one refused.

    Examples
    --------
    >>> text = "title: Ré\\nsummary: A\\x0csmooth one.\\n"
    >>> try:
    ...     yaml.load(text, Loader=_Loader)
    ... except yaml.YAMLError as exc:
    ...     _refused_character(text, exc)
    (1, 'the invisible character U+000C cannot be read')
    """
    code = getattr(exc, "character", None)
    if not isinstance(exc, yaml.reader.ReaderError) or not isinstance(code, int) \
            or chr(code) not in text:
        return None
    return text.count("\n", 0, text.index(chr(code))), \
        f"the invisible character U+{code:04X} cannot be read"


_ODD_BREAK = re.compile("[\x85\u2028\u2029]")


def _odd_break(text: str) -> tuple[int, str] | None:
    """The 0-based line of ``text`` holding a line break other than ``\\n`` or ``\\r`` (NEL,
    U+2028, U+2029: pasted text), and what it does. YAML ends a line there, which may cut a
    value short and make the rest a field of its own, with no error, and shifts its lines.

    >>> _odd_break("title: A\\nsummary: A smooth\\u2028one: x\\n")
    (1, 'holds the invisible line break U+2028, which YAML reads as the end of a line')
    """
    odd = _ODD_BREAK.search(text)
    if odd is None:
        return None
    return text.count("\n", 0, odd.start()), (f"holds the invisible line break "
                                              f"U+{ord(odd[0]):04X}, which YAML reads as the "
                                              "end of a line")


def _yaml_error(exc: yaml.YAMLError, offset: int, text: str = "") -> tuple[int, str]:
    """The line to report and what is wrong, for a YAML error in a block (``text``) starting
    on line ``offset``. An unclosed quote or bracket is found only where the text runs out,
    often lines later: the line where the quoted value or the list began is the one to fix.
    Another error found where the text runs out is reported at its last line with text.

    Examples
    --------
    >>> try:
    ...     yaml.safe_load('title: "ReLU\\nsummary: x\\n')
    ... except yaml.YAMLError as exc:
    ...     _yaml_error(exc, 2)
    (2, 'found unexpected end of stream (in the quoted value that starts on line 2)')
    """
    problem = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    what = getattr(exc, "problem", None) or str(exc)
    started = getattr(exc, "context", None) or ""
    opened = ("quoted value" if "quoted scalar" in started else
              "list" if "flow sequence" in started else
              "mapping" if "flow mapping" in started else "")
    if opened and context is not None and (problem is None or problem.line != context.line):
        line = context.line + offset
        return line, f"{what} (in the {opened} that starts on line {line})"
    mark = problem or context
    line = mark.line if mark is not None else 0
    if text:
        line = min(line, text.rstrip().count("\n"))
    return line + offset, what


#: A line whose value (or list item) opens a quote: the quote and what follows it.
_OPENS_QUOTE = re.compile(r"""^[ \t]*(?:-[ \t]+|[^:#\n]+:[ \t]+(?:-[ \t]+)?)(?P<q>["'])(?P<rest>.*)$""")


def _yaml_cause(text: str, exc: yaml.YAMLError, offset: int, line: int,
                what: str) -> tuple[int, str, str | None]:
    """What most likely caused a YAML error reported at ``line`` (``what``) in ``text``, a
    block starting on line ``offset``: a quote opened and not closed on an earlier line (the
    parser reads on to the next quote, lines later, and fails there), or a `` #`` in a
    bracketed list, which starts a comment. The line, message and fix; no fix if neither.

    >>> text = 'title: "ReLU\\nsummary: A unit.\\nkeywords: ["max"]\\n'
    >>> try:
    ...     yaml.safe_load(text)
    ... except yaml.YAMLError as exc:
    ...     _yaml_cause(text, exc, 2, *_yaml_error(exc, 2))[0]
    2
    """
    lines = text.split("\n")
    for number, content in enumerate(lines[:max(line - offset, 0)], start=offset):
        found = _OPENS_QUOTE.match(content)
        if found is None:
            continue
        quote = found["q"]
        if quote in _unescaped(found["rest"], quote):
            continue  # closed on its line
        # A value may go on over lines: it is the cause only if the quote that closes it is
        # on the line where parsing failed, or there is none.
        after = [_unescaped(later, quote) for later in lines[number - offset + 1:line - offset + 1]]
        closes = next((i for i, later in enumerate(after, start=number + 1) if quote in later), None)
        if closes is None or closes >= line - 1:
            return (number, f"the quote opened on line {number} is not closed on that line "
                            f"({what})", f"close it with {quote} at the end of line {number}")
    started = getattr(exc, "context", None) or ""
    mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
    if "flow" in started and mark is not None and mark.line < len(lines) \
            and re.search(r"\[[^\]]*[ \t]#[^\]]*\]", lines[mark.line]):  # (a # inside [...])
        return (line, what, "' #' starts a comment in YAML, which cuts the list short: put "
                "the item holding it in quotes, e.g. [\"the #1 choice\", other]")
    # A bracket opened and not closed on its line ("related: [a, b"): the parser reads on into
    # the next field and fails there, which named the next line.
    opened = {"flow sequence": ("[", "]", "list"), "flow mapping": ("{", "}", "mapping")}
    kind = next((k for k in opened if k in started), None)
    if kind is not None and mark is not None and mark.line < len(lines):
        start, end, name = opened[kind]
        content = lines[mark.line]
        if content.count(start) > content.count(end):
            number = mark.line + offset
            return (number, what, f"close the {name} with '{end}' at the end of line {number} "
                                  f"(or, if the value is text starting with '{start}', put it in "
                                  "quotes)")
    return line, what, None


def _unescaped(text: str, quote: str) -> str:
    """``text`` without the escapes of its quoting (``\\"`` in double quotes, ``''`` in
    single ones), so that a quote left in it closes the value."""
    return text.replace("\\\\", "").replace('\\"', "") if quote == '"' else text.replace("''", "")


#: A file's text and what parsing it gave, kept by a caller that loads the same folder again.
ParseCache = dict[Path, tuple[str, "RawEntry | None", list[Problem]]]


class _OnlyEntries(pickle.Unpickler):
    """Unpickles only what parsed entries are made of: a file in the cache folder that names
    anything else (one put there to run code as it is read, say from a poisoned CI cache)
    reads as damaged."""

    #: By the names pickle gives them (a path's module is ``pathlib._local`` from Python
    #: 3.13). A YAML timestamp is made of the datetime classes; sets and bytes have opcodes
    #: of their own.
    ALLOWED = frozenset((kind.__module__, kind.__qualname__) for kind in (
        RawEntry, Problem, PosixPath, WindowsPath, datetime.date, datetime.datetime,
        datetime.timedelta, datetime.timezone))

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a parsed entry")
        return super().find_class(module, name)


def _without_body(entry: RawEntry | None) -> RawEntry | None:
    """A copy of ``entry`` without its body, which :class:`StoredParses` keeps as the end of
    the file's text (as :func:`split_front_matter` cuts it)."""
    if entry is None:
        return None
    kept = copy.copy(entry)
    kept.body = ""
    return kept


class StoredParses:
    """The last run's :data:`ParseCache` of a glossary folder, kept in a file of the cache
    folder (one per glossary folder), so that the next run parses only the files that
    changed since.

    Reading 10,000 entries' front matter is most of what loading them costs (0.3 ms a file);
    reading them back from here takes a fifth of that. The file starts with a line naming
    Lexigraph's :func:`~lexigraph.cache_files.code_digest`, the PyYAML that parsed and the
    folder: a file that another code, parser or folder wrote is not read, and the next save
    replaces it. A damaged file is read as empty (see :class:`_OnlyEntries` too).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()); glossary = folder / "glossary"; glossary.mkdir()
    >>> _ = (glossary / "a.md").write_text("---\\ntitle: A\\n---\\nText\\n")
    >>> first = StoredParses(folder / ".cache", glossary)
    >>> entries, _ = load_entries(glossary, first.cache); first.save(), first.wait()
    (True, None)
    >>> second = StoredParses(folder / ".cache", glossary)
    >>> [(entry.data, entry.body) for _, entry, _ in second.cache.values()], second.save()
    ([({'title': 'A'}, 'Text\\n')], False)
    """

    #: One file per glossary folder (by a digest of its full path); a cache folder keeps the
    #: :data:`KEEP` last used.
    PATTERN = "parsed-*.pickle"
    KEEP = 4

    def __init__(self, folder: Path, directory: Path) -> None:
        where = os.fsencode(resolved(directory))
        self.path = folder / self.PATTERN.replace(
            "*", hashlib.blake2b(where, digest_size=6).hexdigest())
        self.directory = directory
        libyaml = "libyaml" if getattr(yaml, "__with_libyaml__", False) else "python"
        self._header = (f"lexigraph parsed entries; code {code_digest()}; PyYAML "
                        f"{yaml.__version__} {libyaml}; {resolved(directory)}\n"
                        ).encode("utf-8", "surrogateescape")  # (a path as the system has it)
        #: What was read: ``load_entries`` takes and updates it.
        self.cache: ParseCache = self._read()
        self._read_back = dict(self.cache)
        self._writing: Forked | None = None

    def _read(self) -> ParseCache:
        try:
            with self.path.open("rb") as file:
                if file.readline() != self._header:
                    return {}
                gc_was = gc.isenabled()
                gc.disable()  # (many objects and no garbage: see parallel.map_chunks)
                try:
                    written, found = _OnlyEntries(file).load()
                finally:
                    if gc_was:
                        gc.enable()
        except Exception:  # noqa: BLE001 - a damaged cache file is a miss, whatever it holds
            return {}
        with contextlib.suppress(OSError):  # most recently used: the last to be removed
            os.utime(self.path)
        if not isinstance(written, str) or not isinstance(found, dict) or not all(
                isinstance(name, str) and isinstance(kept, tuple) and len(kept) == 4
                and isinstance(kept[0], str) and isinstance(kept[1], RawEntry | None)
                and isinstance(kept[2], list) and isinstance(kept[3], int)
                and 0 <= kept[3] <= len(kept[0]) for name, kept in found.items()):
            return {}  # (read whole, but not as written here)
        # The same folder may be written another way (relative, through a link): the paths
        # the entries and their problems carry are then given as this run gives them.
        moved = written != str(self.directory)
        cache: ParseCache = {}
        for name, (text, entry, problems, body_length) in found.items():
            path = self.directory / name
            if entry is not None:
                entry.body = text[len(text) - body_length:]  # (see _write)
                if moved:
                    entry.path = path
            if moved:
                problems = [dataclasses.replace(p, path=path) if p.path.name == name else p
                            for p in problems]
            cache[path] = (text, entry, problems)
        return cache

    def save(self) -> bool:
        """Start writing :attr:`cache` if it differs from what was read; return whether it
        does. Where this process may fork, a copy of it writes meanwhile (pickling 10,000
        entries takes about half a second): :meth:`wait` for it."""
        if self.cache.keys() == self._read_back.keys() and all(
                self.cache[path] is parsed for path, parsed in self._read_back.items()):
            return False
        self._read_back = dict(self.cache)
        if can_fork():
            try:
                self._writing = Forked(self._write)
                return True
            except OSError:  # no process to be had (memory, a process limit): write it here
                pass
        self._write()
        return True

    def wait(self) -> None:
        """Return once what :meth:`save` started is written (or has failed: a miss)."""
        if self._writing is not None:
            self._writing.wait()
            self._writing = None

    def _write(self) -> None:
        # An entry's body is the end of its file's text: kept once, it is a third smaller.
        found = {path.name: (text, _without_body(entry), problems,
                             len(entry.body) if entry is not None else 0)
                 for path, (text, entry, problems) in self.cache.items()}
        try:
            data = pickle.dumps((str(self.directory), found), protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, RecursionError):  # a value nested hundreds deep: a miss
            return
        if write_atomic(self.path, self._header + data):
            keep_last_used(self.path.parent, self.PATTERN, self.KEEP)


#: Files per worker process below which parsing in this process is faster (0.15 ms a file).
PARALLEL_FROM = 500


def load_entries(directory: Path, cache: ParseCache | None = None
                 ) -> tuple[list[RawEntry], list[Problem]]:
    """Read every term file of ``directory``; collect what could not be read.

    With ``cache`` (kept across calls, e.g. by ``mkdocs serve``), a file whose text is
    unchanged is not parsed again. Many files are parsed in worker processes.
    """
    read: list[tuple[Path, str]] = []
    # Markdown files under another suffix would be silently left out. (Filtered before
    # sorting: sorting every file's path costs more than the listing at 10,000 entries.)
    misnamed = sorted(path for path in directory.iterdir()
                      if path.suffix.lower() in MARKDOWN_SUFFIXES
                      and path.suffix != ".md" and not path.name.startswith(NOT_ENTRIES))
    problems: list[Problem] = [
        Problem(path, None, f"not read: term files end in '.md', not {path.suffix!r}",
                f"rename it to '{(slugify(path.stem) or path.stem)}.md' (or start its name "
                "with '_' to keep it out of the glossary)")
        for path in misnamed if path.is_file()]
    # So would entries in subfolders: only the glossary folder's own files are read.
    problems += [Problem(path, None, "not read: entries sit directly in the glossary folder, "
                         "not in a folder inside it",
                         f"move it to {resolved(directory) / (slugify(path.stem) or path.stem)}"
                         ".md (or start the folder's name with '_' to keep it out of the "
                         "glossary)")
                 for path in nested_files(directory)]
    for path in term_files(directory):
        text, problem = read_text(path)
        if problem is not None:
            problems.append(problem)
            continue
        assert text is not None
        read.append((path, text))
    parsed: dict[Path, tuple[RawEntry | None, list[Problem]]] = {}
    todo = []
    for path, text in read:
        known = cache.get(path) if cache is not None else None
        if known is not None and known[0] == text:
            parsed[path] = known[1], known[2]
        else:
            todo.append((path, text))
    for (path, text), result in zip(todo, map_chunks(_parse_some, todo,
                                                     per_process=PARALLEL_FROM)):
        parsed[path] = result
        if cache is not None:
            cache[path] = (text, *result)
    entries: list[RawEntry] = []
    for path, _ in read:
        entry, found = parsed[path]
        problems.extend(found)
        if entry is not None:
            entry.mtime = path.stat().st_mtime
            entries.append(entry)
    if cache is not None:
        for gone in cache.keys() - parsed.keys():
            del cache[gone]
    return entries, problems


def _parse_some(files: list[tuple[Path, str]]) -> list[tuple[RawEntry | None, list[Problem]]]:
    return [parse_entry(path, text) for path, text in files]


#: Where each key of the taxonomy file is: (group,), (group, key) or (group, key, field) -> line.
KeyLines = dict[tuple[str, ...], int]


def load_taxonomy_data(directory: Path) -> tuple[dict[str, Any] | None, KeyLines, list[Problem]]:
    path = directory / TAXONOMY_FILE
    if not path.is_file():
        return None, {}, [
            Problem(
                path,
                None,
                "the taxonomy file is missing",
                f"create {TAXONOMY_FILE} with 'domains:' (and optionally 'industries:') mappings",
            )
        ]
    text, problem = read_text(path)
    if problem is not None:
        return None, {}, [problem]
    odd = _odd_break(text or "")
    if odd is not None:
        return None, {}, [Problem(path, odd[0] + 1, f"the taxonomy {odd[1]}", REFUSED_HINT)]
    loader = _Loader(text or "")
    try:  # composed once: the values, and the line of every key
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        unread = _unreadable(text or "", exc)
        if unread is not None:
            return None, {}, [Problem(path, unread[0] + 1, f"YAML syntax error: {unread[1]}",
                                      unread[2])]
        line, what = _yaml_error(exc, 1, text or "")
        return None, {}, [Problem(path, line, f"YAML syntax error: {what}",
                                  "check indentation and quoting: each domain is 'key:' with "
                                  "'title: ...' indented under it")]
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        return None, {}, [Problem(path, 1, "the taxonomy must be a mapping",
                                  "add a 'domains:' mapping")]
    lines, repeated = _key_lines(node)

    def named(key: tuple[str, ...]) -> str:  # domains key 'x', domains 'x': field 'title'
        *within, last = key
        return (f"{within[0]} {within[1]!r}: field {last!r}" if len(within) == 2 else
                f"{within[0]} key {last!r}" if within else f"key {last!r}")

    return data, lines, [Problem(path, line, f"{named(key)} is given twice (also on line "
                                 f"{lines[key]}): YAML keeps only the last",
                                 "keep one of them (rename one if they are two categories)")
                         for key, line in repeated]


def _key_lines(root: yaml.Node | None) -> tuple[KeyLines, list[tuple[tuple[str, ...], int]]]:
    """The line of every key of the mapping ``root`` and of the mappings under it, two levels
    down, from the composed document (the first, for a key given twice), and each key given
    again with the line where it is."""
    lines: KeyLines = {}
    repeated: list[tuple[tuple[str, ...], int]] = []

    def walk(node: yaml.Node | None, path: tuple[str, ...]) -> None:
        for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
            at = (*path, str(key.value))
            if at in lines:
                repeated.append((at, key.start_mark.line + 1))
            else:
                lines[at] = key.start_mark.line + 1
            if len(path) < 2:
                walk(value, at)

    walk(root, ())
    return lines, repeated
