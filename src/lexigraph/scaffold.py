"""``lexigraph new``: a complete, valid entry to start from."""

from __future__ import annotations

import contextlib
import errno
import json
import os
from collections.abc import Iterable
from pathlib import Path

from .autolink import same_mentions
from .errors import Problem
from .load import RawEntry
from .model import Taxonomy, slugify
from .text import unshowable
from .validate import (BODY_PLACEHOLDERS, RESERVED_SLUGS, SUMMARY_PLACEHOLDER, entry_names,
                       name_key, spelling_key)


def entry_text(title: str, taxonomy: Taxonomy) -> str:
    domain = next(iter(taxonomy.domains))
    # `lexigraph check` reports each of these until the author replaces it.
    why, definition, example, misconception = BODY_PLACEHOLDERS
    # A JSON string is a YAML double-quoted scalar: backslashes and quotes stay as typed.
    quoted = json.dumps(title, ensure_ascii=False)
    return f"""---
title: {quoted}
summary: >-
  {SUMMARY_PLACEHOLDER}
difficulty: beginner            # beginner | intermediate | advanced
domains: [{domain}]        # from _taxonomy.yml: {", ".join(taxonomy.domains)}
industries: []                  # from _taxonomy.yml: {", ".join(taxonomy.industries)}
keywords: []
aliases: []                     # other names and abbreviations
related: []                     # slugs of related terms (file names without .md)
prerequisites: []               # slugs of terms to read first
references: []                  # - title: ..., authors: [...], year: 2015, url: ... (or doi: ...)
# demo: my-demo                 # a demo id: demos/my_demo.py, with each _ written -
# unlinked: [unit]              # names of other terms used here in another sense: not linked
---

## Why it matters

{why}{title}.

## Definition

{definition}

## Example

{example}

## Common misconceptions

{misconception}
"""


class NameTaken(ValueError):
    """The title asked for already names a term: ``problem`` says which, where."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


#: The longest file name `new` makes (without ``.md``): an address readers can type, and
#: far from the file systems' 255 bytes.
MAX_SLUG = 80


def new_entry(directory: Path, title: str, taxonomy: Taxonomy,
              entries: Iterable[RawEntry] = ()) -> Path:
    """Write ``<slug>.md``; raise ``FileExistsError`` rather than overwrite anything, and
    ``ValueError`` (writing nothing) when no valid entry can be made from ``title``:
    :class:`NameTaken` when it is the title or an alias of one of ``entries`` already."""
    title = title.strip()
    if not title or any(end in title for end in "\n\r\t\x85\u2028\u2029"):
        raise ValueError("a title is one line of text, without tabs, e.g. lexigraph new "
                         "\"Leaky ReLU\"")
    said = unshowable(title)
    if said is not None:
        raise ValueError(f"the title holds {said}: type it again without it")
    slug = slugify(title)
    if not slug:
        raise ValueError(f"cannot make a file name from {title!r}: file names use the letters "
                         "a-z and digits; give the title in Latin letters (a transliteration) "
                         "and change the title in the file afterwards")
    if len(slug) > MAX_SLUG:
        raise ValueError(f"the title makes a file name of {len(slug)} characters, too long to "
                         "type in an address: give the term its usual short name (at most "
                         f"{MAX_SLUG} characters as a file name), and the long form in aliases")
    if slug in RESERVED_SLUGS:
        raise ValueError(f"the file name '{slug}.md' is reserved ({RESERVED_SLUGS[slug]}); give a "
                         f"more specific title, e.g. \"{title} (search)\", and shorten the title "
                         "in the file afterwards")
    if not taxonomy.domains:
        raise ValueError("_taxonomy.yml defines no domains: add at least one under 'domains:'")
    path = directory / f"{slug}.md"
    if path.exists() or path.is_symlink():  # (said first: that file is the one to edit)
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
    for entry in entries:  # (each name may name one term: check would refuse the entry)
        for key, _, name, line in entry_names(entry):
            same = name_key(name) == name_key(title)
            spelled = spelling_key(name) == spelling_key(title) != ""
            if same or spelled or same_mentions(title, name):
                what = "title" if key == "title" else "alias"
                but = ("" if same else f" ({name!r}), but for spaces, hyphens or punctuation"
                       if spelled else f" ({name!r}), but for the plural")
                raise NameTaken(Problem(
                    entry.path, line, f"{title!r} is already the {what} of "
                    f"{entry.path.name!r}{but}; nothing was written",
                    "add what you meant to write to this entry, or give the new term a title "
                    "no other term has"))
    text = entry_text(title, taxonomy)  # before the file exists: nothing half-written
    handle = path.open("x", encoding="utf-8")  # "x": never overwrite
    try:
        with handle:
            handle.write(text)
    except BaseException:  # (a full disk): no half-written entry is left behind
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    return path
