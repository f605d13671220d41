"""Stage 2: turn raw entries into :class:`~lexigraph.model.Term` objects, or say what is wrong.

Every problem is collected; nothing stops at the first one. Messages follow MkDocs' wording
(``Expected ... but received: ...``) and each carries a fix.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import posixpath
import re
import unicodedata
import urllib.parse
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from .autolink import NAME_SYMBOLS, mention_keys
from .errors import Problem, closest, closest_page, did_you_mean
from .load import RawEntry
from .markup import link_target, protected_spans
from .mathml import (Formula, KnownFormulas, check_formulas, find_math_errors, formulas_of,
                     stray_dollars)
from .model import (DIFFICULTIES, GENERATED_SECTIONS, REQUIRED_SECTIONS, Category, Reference,
                    SYMBOL_WORDS, Slug, Taxonomy, Term, slugify)
from .text import UNSHOWABLE_HINT, listed, unshowable

FIELDS: tuple[str, ...] = (
    "title", "summary", "difficulty", "domains", "industries", "keywords", "aliases",
    "related", "prerequisites", "demo", "references", "unlinked",
)  # fmt: skip
REQUIRED: tuple[str, ...] = ("title", "summary", "difficulty", "domains")
SUMMARY_MAX = 200
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: What `lexigraph new` writes for the author to replace (see lexigraph.scaffold): an entry
#: that still holds it is not finished.
SUMMARY_PLACEHOLDER = "One sentence a newcomer understands, at most 200 characters."
BODY_PLACEHOLDERS = (
    "Why a practitioner should care about ",  # + the title
    "A precise definition; math goes between `$...$` or in `$$` blocks.",
    "A short worked example or intuition.",
    "- A mistaken belief and what is true instead.",
)
#: File names a term cannot have, and why.
RESERVED_SLUGS = {"index": "the A–Z index is written there"}
_HEADING_RE = re.compile(r"^##[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_REQUIRED_FOLDED = frozenset(section.casefold() for section in REQUIRED_SECTIONS)


TAXONOMY_GROUPS = ("domains", "industries")
CATEGORY_FIELDS = ("title", "description")


def validate_taxonomy(data: dict[str, Any], path: Path,
                      lines: dict[tuple[str, ...], int] | None = None) -> tuple[Taxonomy, list[Problem]]:
    """The taxonomy in ``data`` (read from ``path``; ``lines``: where each key is). A category
    is ``key: {title: ..., description: ...}``, or ``key: Title`` for short; a missing title
    is made from the key."""
    lines = lines or {}
    problems: list[Problem] = []
    groups: dict[str, dict[str, Category]] = {}
    broken = set()
    for group in data.keys() - set(TAXONOMY_GROUPS):
        hint = did_you_mean(str(group), TAXONOMY_GROUPS) or "the taxonomy has only 'domains' " \
            "and 'industries'"
        problems.append(Problem(path, lines.get((str(group),)), f"unknown key {str(group)!r}", hint))
    for group in TAXONOMY_GROUPS:
        raw = data.get(group) or {}
        if not isinstance(raw, dict) or (group == "domains" and not raw):
            problems.append(Problem(
                path, lines.get((group,)), f"'{group}' must be a non-empty mapping of key: "
                "{title: ..., description: ...}",
                f"add e.g. '{group}: {{fundamentals: {{title: Fundamentals}}}}', written as "
                "nested lines"))
            raw = {}
            broken.add(group)
        groups[group] = {}
        for key, value in raw.items():
            at = lines.get((group, str(key)))
            if not SLUG_RE.match(str(key)):  # (it is in addresses: domains/<key>/, ?domain=)
                problems.append(Problem(
                    path, at, f"{group} key {str(key)!r}: a key is lower-case letters and digits "
                    "joined by hyphens (it names the category in addresses and in entries)",
                    f"use {slugify(str(key)) or 'a key such as my-domain'!r}"
                    + ("" if not slugify(str(key)) else ", and the same in the entries")))
            if isinstance(value, str):  # the short form, key: Title
                value = {"title": value}
            elif value is None:
                value = {}
            elif not isinstance(value, dict):
                problems.append(Problem(path, at, f"{group} {str(key)!r}: expected a title or "
                                        f"a mapping with 'title' and 'description', got "
                                        f"{type(value).__name__}", f"write '{key}: {{title: ...}}'"))
                value = {}
            for field in value.keys() - set(CATEGORY_FIELDS):
                problems.append(Problem(path, lines.get((group, str(key), str(field)), at),
                                        f"{group} {str(key)!r}: unknown field {field!r}",
                                        did_you_mean(str(field), CATEGORY_FIELDS)
                                        or "a category has only 'title' and 'description'"))
            for field in CATEGORY_FIELDS:
                said = unshowable(str(value.get(field) or ""))
                if said is not None:
                    problems.append(Problem(path, lines.get((group, str(key), field), at),
                                            f"{group} {str(key)!r}: {field!r} holds {said}",
                                            SHOWABLE_HINT))
            title = str(value.get("title") or str(key).replace("-", " ").capitalize())
            groups[group][str(key)] = Category(str(key), title, str(value.get("description") or ""))
    return Taxonomy(groups["domains"], groups["industries"], frozenset(broken)), problems


#: What to do about a character no page can show (see :func:`lexigraph.text.unshowable`).
SHOWABLE_HINT = f"{UNSHOWABLE_HINT}, or from an escape in double quotes such as \"\\a\""


class _EntryChecker:
    """Checks one entry's fields; appends to a shared problem list."""

    def __init__(self, entry: RawEntry, taxonomy: Taxonomy, slugs: Collection[str],
                 demo_ids: Collection[str] | None, problems: list[Problem],
                 names: Mapping[str, tuple[Slug, str]] | None = None) -> None:
        self.entry = entry
        self.taxonomy = taxonomy
        self.slugs = slugs
        self.demo_ids = demo_ids
        self.problems = problems
        self.names = names or {}

    def line(self, key: str, index: int | None = None) -> int:
        if index is not None and (key, index) in self.entry.item_lines:
            return self.entry.item_lines[(key, index)]
        return self.entry.key_lines.get(key, 2)

    def add(self, key: str, message: str, hint: str = "", index: int | None = None) -> None:
        self.problems.append(Problem(self.entry.path, self.line(key, index), message, hint))

    def text(self, key: str, required: bool) -> str:
        data = self.entry.data
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                line = self.entry.key_lines.get(key, 2)
                what = "is empty" if key in data else "is missing"
                self.problems.append(Problem(self.entry.path, line, f"required field '{key}' {what}",
                                             f"add '{key}: ...' to the front matter"))
            return ""
        value = data[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # `title: 1986` is a fine title; `title: 1.10` too, as written (not 1.1).
            value = self.entry.written.get(key, str(value))
        if not isinstance(value, str):
            self.add(key, f"'{key}': Expected a string but received: {_kind(value)}",
                     "write a single line of text (quote it if it contains ': ')")
            return ""
        self.showable(key, value)
        return value.strip()

    def strings(self, key: str, required: bool = False) -> list[str]:
        data = self.entry.data
        value = data.get(key)
        if value is None or value == []:
            if required:
                what = "is empty" if key in data else "is missing"
                self.add(key, f"required field '{key}' {what}",
                         f"add '{key}: [...]' with at least one value")
            return []
        if isinstance(value, str):
            if ", " in value:  # `aliases: SiLU, SiL` is one string, not two aliases
                items = ", ".join(part.strip() for part in value.split(","))
                self.add(key, f"'{key}': {value!r} was read as one item, not a list",
                         f"write '{key}: [{items}]' (or '{key}: "
                         f"[{json.dumps(value, ensure_ascii=False)}]' if it is one item)")
                return []
            value = [value]  # a single value is a list of one
        if not isinstance(value, list):
            self.add(key, f"'{key}': Expected a list but received: {_kind(value)}",
                     f"write '{key}: [a, b]' or one '- item' per line")
            return []
        out = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                empty = item is None or isinstance(item, str)  # `- ` or `""`: nothing to quote
                self.add(key, f"'{key}' item {index + 1}: Expected a non-empty string but "
                         f"received: {_kind(item)}",
                         "remove the empty item" if empty else "quote the value", index)
                continue
            self.showable(key, item, index)
            out.append(item.strip())
        return out

    def showable(self, key: str, value: str, index: int | None = None) -> None:
        """Report a character of ``value`` (``key``, or its item ``index``) that no page can
        show: it would also make the GraphML and GEXF exports invalid XML."""
        said = unshowable(value)
        if said is not None:
            what = f"'{key}'" + (f" item {index + 1}" if index is not None else "")
            self.add(key, f"{what} holds {said}", SHOWABLE_HINT, index)

    def _texts(self, key: str) -> Iterator[tuple[int, str]]:
        """The text items of list ``key``, stripped, with their index in it (what else the
        list holds is :meth:`strings`' to report): the index gives each its line."""
        value = self.entry.data.get(key)
        for index, item in enumerate(value if isinstance(value, list) else ()):
            if isinstance(item, str) and item.strip():
                yield index, item.strip()

    def repeats(self, key: str, fold: Callable[[str], str] = str) -> None:
        """Report an item of list ``key`` given twice (the same once ``fold``-ed), at the repeat."""
        first: dict[str, tuple[int, str]] = {}
        for index, item in self._texts(key):
            at, seen = first.setdefault(fold(item), (index, item))
            if at != index:
                also = f" (as {seen!r})" if seen != item else ""
                self.add(key, f"'{key}': {item!r} is given twice{also}", "remove the repeat",
                         index)

    def separators(self, key: str) -> None:
        """An item of list ``key`` may not hold ``;``, which separates items in glossary.csv
        (and in an author's hand, most often two items meant)."""
        for index, item in self._texts(key):
            if ";" in item:
                parts = [part.strip() for part in item.split(";") if part.strip()]
                self.add(key, f"'{key}' item {index + 1}: {item!r} holds a ';', which separates "
                         "items in glossary.csv", f"if it is {len(parts)} items, write them "
                         f"as such: [{', '.join(parts)}]; else leave the ';' out", index)

    def names_of_others(self, key: str) -> list[str]:
        """List ``key``: titles or aliases of other terms (in any case), each once."""
        self.repeats(key, name_key)
        out: list[str] = []
        for index, value in enumerate(self.strings(key)):
            owner = self.names.get(name_key(value))
            if owner is None:
                close = closest(value, [*self.names], cutoff=0.8)
                self.add(key, f"'{key}': {value!r} is no term's title or alias",
                         f"did you mean {close!r}?" if close else "write a title or alias of "
                         "another term, as that entry writes it", index)
            elif owner[0] == self.entry.slug:
                self.add(key, f"'{key}': {value!r} is this term's own {owner[1]}, which is "
                         "never linked on its page", f"remove {value!r} from '{key}'", index)
            elif all(name_key(v) != name_key(value) for v in out):  # (repeats: reported)
                out.append(value)
        return out

    def choices(self, key: str, values: list[str], allowed: Collection[str], what: str) -> None:
        if what in self.taxonomy.broken:  # reported once, for _taxonomy.yml
            return
        for index, value in enumerate(values):
            if value not in allowed and not allowed:
                self.add(key, f"'{key}': {value!r} is not in _taxonomy.yml, which defines no "
                         f"{what}", f"add an '{what}:' mapping with {value!r} to _taxonomy.yml, "
                         f"or remove '{key}' here", index)
            elif value not in allowed:
                # (Not close to any: maybe a key just taken out of _taxonomy.yml, which
                # every entry using it now reports.)
                close = did_you_mean(value, allowed)
                hint = (f"{close} (defined in _taxonomy.yml)" if close else
                        f"use one of {', '.join(sorted(allowed))}, or add {value!r} to "
                        f"'{what}:' in _taxonomy.yml")
                self.add(key, f"'{key}': Expected one of: {sorted(allowed)} but received: "
                         f"{value!r}", hint, index)

    def slug_list(self, key: str) -> list[Slug]:
        out: list[Slug] = []
        for index, value in enumerate(self.strings(key)):
            if value == self.entry.slug:
                self.add(key, f"'{key}': a term cannot name itself ({value!r})",
                         f"remove {value!r} from '{key}'", index)
            elif value in out:
                self.add(key, f"'{key}': {value!r} is given twice", "remove the repeat", index)
            elif value not in self.slugs:
                owner = self.names.get(name_key(value))
                hint = (f"{value!r} is this term's own {owner[1]}: remove it from '{key}'"
                        if owner is not None and owner[0] == self.entry.slug else
                        f"{value!r} is the {owner[1]} of '{owner[0]}.md': write {owner[0]!r} "
                        "instead (a term is named by its file name without '.md')"
                        if owner is not None else
                        did_you_mean(value, self.slugs) or "use the file name of another entry, "
                        "without '.md' (run `lexigraph new` to create it)")
                self.add(key, f"'{key}': unknown term {value!r}", hint, index)
            else:
                out.append(Slug(value))
        return out


def check_entry(entry: RawEntry, taxonomy: Taxonomy, slugs: Collection[str],
                demo_ids: Collection[str] | None, problems: list[Problem],
                known: KnownFormulas | None = None, markup: bool = True,
                formulas: list[tuple[int, Formula]] | None = None,
                targets: Collection[str] | None = None,
                names: Mapping[str, tuple[Slug, str]] | None = None) -> Term | None:
    """Check one entry's own fields; return the term when it has no problems of its own.

    ``known``, ``markup``: see :func:`check_glossary`; ``formulas``: the body's
    :func:`~lexigraph.mathml.formulas_of`, if already known; ``targets``: the page names a
    hand-written link may name (default: ``slugs`` and the reserved names); ``names``: the
    glossary's titles and aliases (:func:`name_key` -> slug, "title" or "alias"), to name the
    slug meant by a name written where a slug belongs."""
    before = len(problems)
    c = _EntryChecker(entry, taxonomy, slugs, demo_ids, problems, names)
    if not SLUG_RE.match(entry.slug):
        slug = slugify(entry.slug)
        problems.append(Problem(entry.path, None, f"the file name {entry.path.name!r} is not a "
                                "valid slug", (f"rename it to '{slug}.md' " if slug else "") +
                                "(file names are lowercase letters, digits and hyphens, e.g. "
                                "'batch-normalization.md')"))
    if entry.slug in RESERVED_SLUGS:
        problems.append(Problem(entry.path, None, f"the file name {entry.path.name!r} is "
                                f"reserved: {RESERVED_SLUGS[entry.slug]}",
                                "rename the file (the title can stay as it is)"))
    for key, lines in entry.duplicate_keys.items():  # (the kept line last)
        times = "twice" if len(lines) == 2 else f"{len(lines)} times"
        others = listed([str(n) for n in lines[:-1]])
        problems.append(Problem(entry.path, lines[-1], f"field '{key}' is given {times} (also "
                                f"on line{'s' * (len(lines) > 2)} {others}): YAML keeps only "
                                "this one", f"keep one '{key}:' line"))
    for key in entry.data:
        if key not in FIELDS:
            hint = did_you_mean(key, FIELDS) or f"allowed fields: {', '.join(FIELDS)}"
            c.add(key, f"unknown field {key!r}", hint)
    _comments_in_text(entry, problems)
    title = c.text("title", required=True)
    summary = c.text("summary", required=True)
    if summary and len(summary) > SUMMARY_MAX:
        c.add("summary", f"'summary' is {len(summary)} characters; the limit is {SUMMARY_MAX}",
              "keep the summary to one short sentence; move detail into the body")
    elif summary and "\n" in summary:
        c.add("summary", "'summary' must be a single sentence on one line",
              "use 'summary: >-' to fold a long line, not '|'")
    marked = _markup_in(summary) if summary else None
    if marked:
        c.add("summary", f"'summary' is plain text (in lists, previews and search results): "
              f"'{marked}' would show as written",
              "write it in words: a term named in the body is linked there, and formulas "
              "belong in the body")
    if summary == SUMMARY_PLACEHOLDER:  # (at its text: after `summary: >-`, the next line)
        problems.append(Problem(entry.path, entry.value_lines.get("summary", c.line("summary")),
                                "'summary' is still the placeholder `lexigraph new` wrote",
                                "write one sentence a newcomer understands"))
    difficulty = c.text("difficulty", required=True)
    if difficulty and difficulty not in DIFFICULTIES:
        c.add("difficulty", f"'difficulty': Expected one of: {list(DIFFICULTIES)} but received: "
              f"{difficulty!r}", did_you_mean(difficulty, DIFFICULTIES) or
              f"use one of {', '.join(DIFFICULTIES)}")
    domains = c.strings("domains", required=True)
    c.choices("domains", domains, taxonomy.domains, "domains")
    industries = c.strings("industries")
    c.choices("industries", industries, taxonomy.industries, "industries")
    keywords = c.strings("keywords")
    for key, fold in (("domains", str), ("industries", str), ("keywords", name_key)):
        c.repeats(key, fold)
    for key in ("keywords", "aliases"):
        c.separators(key)
    unlinked = c.names_of_others("unlinked")
    aliases = c.strings("aliases")
    related = c.slug_list("related")
    prerequisites = c.slug_list("prerequisites")
    demo = c.text("demo", required=False) or None
    if demo and demo_ids is not None and demo not in demo_ids:
        c.add("demo", f"'demo': unknown demo {demo!r}", did_you_mean(demo, demo_ids) or
              f"available demos: {', '.join(sorted(demo_ids)) or 'none'} "
              "(the modules of demos_dir)")
    references = _references(c)
    _check_body(entry, problems, known, markup, formulas)
    _check_links(entry, targets if targets is not None else {*slugs, *RESERVED_SLUGS}, problems,
                 names or {})
    if len(problems) > before:
        return None
    return Term(
        slug=entry.slug, title=title, summary=summary, difficulty=difficulty,
        domains=tuple(domains), industries=tuple(industries), keywords=tuple(keywords),
        aliases=tuple(aliases), related=tuple(related), prerequisites=tuple(prerequisites),
        demo=demo, references=tuple(references), unlinked=tuple(unlinked), body=entry.body,
        path=entry.path,
        body_line=entry.body_line, mtime=entry.mtime,
    )


#: Fields of free text, where a `` #`` reads as the start of a comment and cuts the value
#: short. (A comment after a value checked against a fixed list, ``difficulty: beginner  #
#: ...``, as `lexigraph new` writes, loses nothing.)
TEXT_FIELDS = ("title", "summary", "keywords", "aliases")
REFERENCE_TEXT_FIELDS = ("title", "authors")


def _comments_in_text(entry: RawEntry, problems: list[Problem]) -> None:
    for where, line, typed in entry.comments:
        # (A field of another shape, such as a mapping where a list belongs, is reported as
        # such by its own check.)
        if where[0] in TEXT_FIELDS and (len(where) == 1 or (len(where) == 2
                                                             and isinstance(where[1], int))):
            what, item = f"'{where[0]}'", len(where) > 1
            if item:
                what += f" item {int(where[1]) + 1}"
        elif where[0] == "references" and len(where) == 3 and isinstance(where[1], int) \
                and where[2] in REFERENCE_TEXT_FIELDS:
            what, item = f"'references' item {where[1] + 1}: '{where[2]}'", False
        elif where[0] == "references" and len(where) == 4 and isinstance(where[1], int) \
                and where[2] == "authors" and isinstance(where[3], int):
            what, item = f"'references' item {where[1] + 1}: '{where[2]}'", True
        else:
            continue
        quoted = json.dumps(typed, ensure_ascii=False) if typed else ""
        example = (f": {quoted}" if item else f": {where[-1]}: {quoted}") if quoted else ""
        problems.append(Problem(
            entry.path, line, f"{what}: the rest of the line from ' #' was read as a YAML "
            "comment, not as part of the value",
            f"to keep it, put the whole {'item' if item else 'value'} in quotes{example}; for a "
            "comment, write a space after the '#'"))


def _references(c: _EntryChecker) -> list[Reference]:
    value = c.entry.data.get("references")
    if value is None:
        return []
    if not isinstance(value, list):
        c.add("references", f"'references': Expected a list but received: {_kind(value)}",
              "write one '- title: ...' mapping per reference")
        return []
    out = []
    for index, item in enumerate(value):
        where = f"'references' item {index + 1}"
        if not isinstance(item, dict):
            c.add("references", f"{where}: Expected a mapping but received: {_kind(item)}",
                  "give title, authors, year and url or doi", index)
            continue
        unknown = sorted(set(item) - {"title", "authors", "year", "url", "doi"})
        missing = [k for k in ("title", "authors", "year") if not item.get(k)]
        authors = item.get("authors")
        authors = [authors] if isinstance(authors, str) else authors
        year = item.get("year")
        # Every one of the item's problems at once, each at the line of its field, or at a
        # line (None: the item's first line).
        problems: list[tuple[str, str, str | int | None]] = [
            (f"field {name!r} is given twice", f"keep one '{name}:' line in the reference", line)
            for key, at, name, line in c.entry.repeated_fields
            if key == "references" and at == index]
        if unknown:
            problems.append((f"unknown field {unknown[0]!r}",
                             did_you_mean(unknown[0], ["title", "authors", "year", "url", "doi"])
                             or "allowed: title, authors, year, url, doi", unknown[0]))
        if missing:
            problems.append((f"missing {', '.join(missing)}",
                             "every reference needs title, authors, year and a url or doi", None))
        if not item.get("url") and not item.get("doi"):
            problems.append(("give a 'url' or a 'doi'", "e.g. doi: 10.1162/neco.1997.9.8.1735",
                             None))
        if "year" not in missing and (not isinstance(year, int) or isinstance(year, bool)
                                      or not 1600 <= year <= 2100):
            problems.append((f"'year' Expected a four-digit year but received: {_written(year)}",
                             _year_hint(year), "year"))
        if "authors" not in missing and (not isinstance(authors, list)
                                         or not all(isinstance(a, str) for a in authors)):
            problems.append(("'authors' Expected a list of names",
                             "write authors: [First Author, Second Author]", "authors"))
        if item.get("url") and not (isinstance(item["url"], str)
                                    and item["url"].startswith(("https://", "http://"))):
            # It becomes a link on the page: a web address only (no javascript: or data:).
            problems.append((f"'url' Expected a web address starting with https:// but "
                             f"received: {item['url']!r}",
                             "e.g. url: https://arxiv.org/abs/1512.03385", "url"))
        if item.get("doi") and not isinstance(item["doi"], str):
            problems.append((f"'doi' Expected text but received: {item['doi']!r}",
                             "quote it, e.g. doi: \"10.1162/neco.1997.9.8.1735\"", "doi"))
        for field, text in [("title", item.get("title")),
                            *(("authors", a) for a in (authors if isinstance(authors, list) else ()))]:
            said = unshowable(text) if isinstance(text, str) else None
            if said is not None:  # (the first: one is enough to say what to do)
                problems.append((f"'{field}' holds {said}", SHOWABLE_HINT, field))
                break
        for message, hint, field in problems:
            line = field if isinstance(field, int) else \
                c.entry.field_lines.get(("references", index, field)) if field else None
            c.problems.append(Problem(c.entry.path, line or c.line("references", index),
                                      f"{where}: {message}", hint))
        if not problems:
            out.append(Reference(str(item["title"]), tuple(authors), year,
                                 item.get("url"), item.get("doi")))
    return out


def _year_hint(year: object) -> str:
    """How to write a reference's ``year`` as a number, for the value written instead.

    Examples
    --------
    >>> _year_hint("2015")
    'write the year without quotes: year: 2015'
    >>> _year_hint(datetime.date(2017, 1, 1))
    'write the year alone: year: 2017'
    >>> _year_hint("twenty17")
    'write the year in four digits, e.g. year: 1997'
    """
    if isinstance(year, str) and re.fullmatch(r"\s*\d{4}\s*", year):
        return f"write the year without quotes: year: {year.strip()}"
    if isinstance(year, datetime.date):  # (a datetime is a date too)
        return f"write the year alone: year: {year.year}"
    return "write the year in four digits, e.g. year: 1997"


def _written(value: object) -> str:
    """A value from the front matter as a message shows it: a date as the author wrote it,
    text quoted (so that '2015' shows it was text), anything else as Python writes it."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) \
            else value.isoformat()
    return repr(value)


def _near_heading(body: str, section: str) -> tuple[int, str] | None:
    """A heading of ``body`` (its line, 0-based, and text) that was most likely meant to be
    the section ``## section``: of another level, or a near spelling (``## Definitions``).

    >>> _near_heading("## Why it matters\\n\\n### Definition\\n", "Definition")
    (2, '### Definition')

    Without the space Markdown needs after the #s, a line is text, not a heading:

    >>> _near_heading("##Definition\\n", "Definition")
    (0, '##Definition')
    """
    for number, line in enumerate(body.split("\n")):
        found = re.match(r"\s{0,3}(#{1,6})\s*(.+?)\s*#*\s*$", line)
        if found and did_you_mean(found.group(2), [section]):
            return number, line.strip()
    return None


def _check_body(entry: RawEntry, problems: list[Problem], known: KnownFormulas | None = None,
                markup: bool = True, formulas: list[tuple[int, Formula]] | None = None) -> None:
    if not entry.body.strip():
        # (At the closing '---' when the file ends there: no line follows it.)
        line = entry.body_line if entry.body else entry.body_line - 1
        problems.append(Problem(entry.path, line, "the body is empty",
                                "add the sections '## Why it matters' and '## Definition'"))
        return
    found = list(_HEADING_RE.finditer(entry.body))
    names = [m.group(1).strip().casefold() for m in found]  # (in order: one may repeat)
    headings = set(names)
    for heading, after in zip(found, [*found[1:], None]):
        name = heading.group(1).strip()
        text = entry.body[heading.end():after.start() if after else len(entry.body)]
        if name.casefold() in _REQUIRED_FOLDED and not text.strip():
            problems.append(Problem(
                entry.path, entry.body_line + entry.body.count("\n", 0, heading.start()),
                f"section '## {name}' has no text", "write the section's text under its heading"))
    _check_headings(entry, problems, names)
    for section in REQUIRED_SECTIONS:
        if section.casefold() not in headings:
            near = _near_heading(entry.body, section)
            if near is not None:  # a heading of another level, or a near spelling
                line, written = near
                what, how = ((f"{written!r} is not it", "two #, this spelling")
                             if re.match(r"#+\s", written) else
                             (f"{written!r} is text, not a heading",
                              "Markdown needs a space after the #"))
                problems.append(Problem(entry.path, entry.body_line + line,
                                        f"missing section '## {section}': {what}",
                                        f"write it '## {section}' ({how})"))
                continue
            problems.append(Problem(entry.path, entry.body_line, f"missing section "
                                    f"'## {section}'", f"add a '## {section}' heading and text"))
    if any(placeholder in entry.body for placeholder in BODY_PLACEHOLDERS):  # (rarely)
        for number, line in enumerate(entry.body.split("\n")):
            if line.strip().startswith(BODY_PLACEHOLDERS):
                # (The required sections' text must stay: removed, it is "no text".)
                required = line.strip().startswith(BODY_PLACEHOLDERS[:2])
                problems.append(Problem(entry.path, entry.body_line + number,
                                        "this is still the placeholder text `lexigraph new` wrote",
                                        "replace it with the entry's own text" + (
                                            "" if required else ", or remove the section")))
    if formulas is None:
        formulas = _formulas(entry)
    for line, message in find_math_errors(entry.body, known, markup, formulas):
        problems.append(Problem(entry.path, entry.body_line + line - 1, message,
                                "check the LaTeX: common commands work (\\frac, \\sum, "
                                "\\mathbf, ...; see Lexigraph's README, 'Adding a term')"))
    for line, message, fix in stray_dollars(entry.body, formulas):
        problems.append(Problem(entry.path, entry.body_line + line - 1, message, fix))


def _formulas(entry: RawEntry) -> list[tuple[int, Formula]]:
    """The body's formulas: as found when the entry was parsed, else (an entry made another
    way, see :attr:`~lexigraph.load.RawEntry.formulas`) found now."""
    return entry.formulas if entry.formulas is not None else formulas_of(entry.body)


_GENERATED_FOLDED = {name.casefold(): name for name in GENERATED_SECTIONS}
#: A heading's text as the page shows it: without its marks and its attribute list.
_HEADING_TEXT = re.compile(r"^[ \t>]*#{1,6}[ \t]*(.*?)[ \t#]*(?:\{[^}\n]*\})?[ \t]*$")


def _check_headings(entry: RawEntry, problems: list[Problem],
                    names: list[str]) -> None:
    """A required section written twice, and a heading of a section the page adds itself
    (at any level): the page would show two, and the generated one would lose its anchor to
    the author's (an author's '## References'). ``names``: the body's ``## `` headings,
    case-folded, in order."""
    folded_body = entry.body.casefold()
    # Sections the page adds for this entry, named somewhere in its text.
    added = {name for name, section in _GENERATED_FOLDED.items() if name in folded_body
             and (GENERATED_SECTIONS[section] is None
                  or entry.data.get(GENERATED_SECTIONS[section]))}
    if len(set(names)) == len(names) and not added:
        return  # (nearly every entry: its code need not be found)
    body, seen = entry.body, {}
    for start, end, kind in protected_spans(body):
        text = _HEADING_TEXT.match(body[start:end]) if kind == "heading" else None
        if text is None:
            continue
        name = text.group(1).strip()
        folded, line = name.casefold(), entry.body_line + body.count("\n", 0, start)
        if folded in added:
            section = _GENERATED_FOLDED[folded]
            field = GENERATED_SECTIONS[section]
            problems.append(Problem(
                entry.path, line, f"the page adds a '## {section}' section itself, made from "
                + (f"the front matter's '{field}:'" if field else
                   "the concept graph" if section == "Concept map" else
                   "the entries that link to this one"),
                "give this heading another name, or move its text there"))
        elif (folded in _REQUIRED_FOLDED and folded in seen
              and body[start:end].lstrip().startswith("## ")):
            problems.append(Problem(entry.path, line, f"section '## {name}' is given twice "
                                    f"(also on line {seen[folded]})",
                                    "merge the two into one section"))
        seen.setdefault(folded, line)


#: A path's last part ending in a file's suffix (not "cf." nor "example.org,"): what MkDocs
#: takes for a file (a path without one it leaves alone).
_FILE_SUFFIX = re.compile(r"[^/.]\.[A-Za-z0-9]+$")
#: What may be a link's or a reference definition's target: the cheap first look of
#: :func:`_md_links` (each starts with a character the engine finds fast).
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")
_DEF_TARGET = re.compile(r"\]:[ \t]*<?([^\s>]*)")


def _elsewhere(body: str) -> bool:
    """Whether a target in ``body`` may lead to a file of the site other than an entry beside
    this one (``x.md``): a path with a folder, or to another kind of file."""
    for found in [*_LINK_TARGET.findall(body), *(_DEF_TARGET.findall(body) if "]:" in body
                                                 else ())]:
        target = found.split("#", 1)[0].split("?", 1)[0]
        if target and ":" not in target and ("/" in target or not target.endswith(".md")):
            return True
    return False


def _md_links(body: str, every: bool = False) -> Iterator[tuple[int, str]]:
    """Where each link or reference definition to a Markdown page (``[t](x.md)``,
    ``[t](<../a b.md#c>)``, ``[r]: ../a.md``) starts in ``body``, and the page's path as
    written, percent-decoded as MkDocs reads it, without anchor or query (code skipped).
    ``every``: links and images to any file of the site (``![f](../img/f.png)``) too, but not
    those MkDocs leaves alone (a path whose last part has no suffix, such as ``../about/``)."""
    if not every and ".md" not in body:
        return
    if every and not _elsewhere(body):
        return  # (most bodies: 20x faster than reading their spans)
    for start, end, kind in protected_spans(body):
        if kind not in ("link", "refdef") and (kind != "image" or not every):
            continue
        if kind == "refdef" and body[start:end].lstrip().startswith("[^"):
            continue  # a footnote ("[^1]: cf. ..."), not a reference definition
        target = link_target(body[start:end])
        if not target:
            continue
        parts = urllib.parse.urlsplit(target)
        path = urllib.parse.unquote(parts.path)
        if parts.scheme or parts.netloc or not path:
            continue
        if path.endswith(".md") or (every and _FILE_SUFFIX.search(path)):
            yield start, path


def _check_links(entry: RawEntry, slugs: Collection[str], problems: list[Problem],
                 names: Mapping[str, tuple[Slug, str]]) -> None:
    """A link written by hand to another term (``[text](slug.md)``) must name a page beside the
    term pages (``slugs``: the entries, the A–Z index, hand-written pages there), reported here
    with the entry's file and line. A link with a folder in it is checked against every file
    of the site (:func:`check_site_links`). ``names``: see :func:`check_entry`; a link to a
    term's name (its file renamed since) is told the file name."""
    body = entry.body
    for start, target in _md_links(body):
        if "/" in target:
            continue  # another page of the site
        slug = target[:-3]
        if slug in slugs:
            continue
        owner = names.get(name_key(slug)) or names.get(name_key(slug.replace("-", " ")))
        close = closest(slug, slugs)
        if owner is not None and owner[0] != entry.slug:
            hint = (f"{slug!r} is the {owner[1]} of '{owner[0]}.md': link to "
                    f"'{owner[0]}.md'")
        elif close:
            hint = f"did you mean '{close}.md'?"
        else:
            hint = "link to another entry by its file name: [text](file-name.md)"
        problems.append(Problem(
            entry.path, entry.body_line + body.count("\n", 0, start),
            f"link to {target!r}: no entry has that file name",
            f"{hint} (the first mention of a term's title or alias is linked without writing "
            "a link)"))


@dataclass(frozen=True)
class Site:
    """The site an entry's links with a folder in them (``../about.md``, ``../img/f.png``) and
    to files other than pages must lead into (MkDocs checks them too, but only as it renders
    the pages, after it has emptied the site folder):
    ``files``, what ``mkdocs build`` (or serve) copies or renders of ``docs_dir`` (paths in it,
    ``a/b.md``, without Lexigraph's own folders), and ``left_out``, what it leaves out of them,
    with why ("a draft (...)"). ``from_docs``: a link starting with ``/`` is read from
    ``docs_dir`` (MkDocs' ``absolute_links: relative_to_docs``), else left as written."""

    files: frozenset[str]
    terms_dir: str = "terms"
    left_out: Mapping[str, str] = dataclasses.field(default_factory=dict)
    from_docs: bool = False
    #: Where ``files`` are on disk: a link written as a path between the files (from the
    #: glossary folder to ``docs_dir``) is told the site's path instead.
    docs_dir: Path | None = None


_TERMS_FOLDER = "the term pages' folder"


def _as_written_on_disk(term: Term | RawEntry, target: str, site: Site) -> str | None:
    """The fix for a link written as the path between two files of the project (from the
    entry to ``../glossary/gelu.md`` or ``../site_src/about.md``), which the site does not
    have: the path the site's pages have between them."""
    if target.startswith("/"):
        return None
    try:
        on_disk = (term.path.parent / target).resolve()
    except (OSError, ValueError):  # (ValueError: a NUL byte, "%00")
        return None
    if not on_disk.is_file():
        return None
    if on_disk.parent == term.path.parent.resolve() and on_disk.suffix == ".md":
        return (f"link an entry by its file name alone: [{on_disk.stem}]({on_disk.name}) "
                "(links are read between the site's pages, not the project's files)")
    if site.docs_dir is not None and on_disk.is_relative_to(site.docs_dir.resolve()):
        there = on_disk.relative_to(site.docs_dir.resolve()).as_posix()
        return (f"did you mean {posixpath.relpath(there, site.terms_dir)!r}? (links are read "
                "between the site's pages, not the project's files)")
    return None


def _markup_in(text: str) -> str | None:
    r"""The first link, image or formula written in ``text``, which is shown as plain text.

    >>> _markup_in("See [GELU](gelu.md)."), _markup_in("costs $5 or $6"), _markup_in("a $\\sigma$")
    ('[GELU](gelu.md)', None, '$\\sigma$')
    """
    for start, end, kind in protected_spans(text):
        if kind in ("link", "image", "inline", "display"):
            return text[start:end]
    return None


def check_site_links(terms: Iterable[Term | RawEntry], site: Site,
                     made: Collection[str]) -> list[Problem]:
    """Each link of ``terms`` (or of entries read, with problems of their own or not) with a
    folder in it, or to a file that is not a page, must name one of the ``site``'s files or
    the pages Lexigraph makes (``made``, paths in ``docs_dir``), read from the term pages'
    folder. (A link to ``x.md`` is another entry's: see :func:`_check_links`.)"""
    problems: list[Problem] = []
    terms_dir = site.terms_dir
    files = {*site.files, *made}
    pages = sorted(f for f in files if f.endswith(".md"))
    others = sorted(f for f in files if not f.endswith(".md"))
    for term in terms:
        for start, target in _md_links(term.body, every=True):
            rooted = target.startswith("/")
            if ("/" not in target and target.endswith(".md")) or (rooted and not site.from_docs):
                continue  # another entry (checked with the entries), or left as is
            path = posixpath.normpath(target.lstrip("/") if rooted
                                      else posixpath.join(terms_dir, target))
            if path in files:
                continue
            line = term.body_line + term.body.count("\n", 0, start)
            if path in site.left_out:
                problems.append(Problem(
                    term.path, line, f"link to {target!r}: {path!r} is {site.left_out[path]}, "
                    "which `mkdocs build` leaves out of the site",
                    "link it once it is no longer a draft, or link another page"
                    if "draft" in site.left_out[path] else
                    "link another page, or take it out of exclude_docs"))
                continue
            page = path.endswith(".md")
            close = closest_page(path, pages if page else others)  # (as the build's report)
            hint = (f"did you mean {'/' + close if rooted else posixpath.relpath(close, terms_dir)!r}?"
                    if close else "")
            hint = _as_written_on_disk(term, target, site) or hint
            up = "/" if rooted else "../"  # (to docs_dir)
            example = f"[Domains]({up}domains/index.md)" if page else f"![Figure]({up}img/figure.png)"
            problems.append(Problem(
                term.path, line, f"link to {target!r}: the site has no "
                f"{'page' if page else 'file'} {path!r}"
                + (" (it leads out of the site's folder)" if path.startswith("../") else ""),
                hint or f"give the {'page' if page else 'file'}'s path from "
                f"{'docs_dir' if rooted else _TERMS_FOLDER}, e.g. {example}"))
    return problems


def check_glossary(entries: Iterable[RawEntry], taxonomy: Taxonomy,
                   demo_ids: Collection[str] | None = None,
                   known: KnownFormulas | None = None, markup: bool = True,
                   unread: Collection[Slug] = (), pages: Collection[str] = ()
                   ) -> tuple[dict[Slug, Term], list[Problem]]:
    """Check every entry and the rules that span entries.

    ``pages``: other pages an entry may link to by hand (see :func:`_check_links`).

    ``unread``: the slugs of term files that could not be read (their problem is reported
    already); other entries may name them without an "unknown term" error of their own.

    ``known``: formulas that need no converting again (see
    :class:`~lexigraph.mathml.KnownFormulas`); ``markup``: keep the formulas' MathML for the
    render that follows (see :func:`~lexigraph.mathml.check_formulas`).
    """
    entries = list(entries)
    problems: list[Problem] = []
    slugs = {e.slug for e in entries} | set(unread)
    targets = slugs | set(RESERVED_SLUGS) | set(pages)  # what a hand-written link may name
    _duplicate_slugs(entries, problems)
    # Every new formula of the glossary converted at once: many are shared out among processes.
    formulas = [_formulas(entry) for entry in entries]
    check_formulas((f for found in formulas for _, f in found
                    if known is None or known.key(*f) not in known.good), markup)
    names = name_owners(entries)
    terms: dict[Slug, Term] = {}
    for entry, found in zip(entries, formulas):
        term = check_entry(entry, taxonomy, slugs, demo_ids, problems, known, markup, found,
                           targets, names)
        if term is not None:
            terms[term.slug] = term
    _duplicate_names(entries, problems)
    _prerequisite_cycles(entries, problems)
    return terms, problems


def _duplicate_slugs(entries: list[RawEntry], problems: list[Problem]) -> None:
    seen: dict[str, RawEntry] = {}
    for entry in entries:
        other = seen.setdefault(entry.slug.casefold(), entry)
        if other is not entry:
            problems.append(Problem(entry.path, None, f"duplicate slug: {entry.path.name!r} and "
                                    f"{other.path.name!r} differ only in case",
                                    "rename or merge one of the two files"))


def entry_names(entry: RawEntry) -> list[tuple[str, int, str, int]]:
    """The names an entry gives its term: ``(field, index, name, line)`` for its title and
    each alias (a lone ``aliases: BN`` too), as :func:`name_key` compares them."""
    names = [("title", 0, entry.data.get("title"))]
    aliases = entry.data.get("aliases")
    if isinstance(aliases, str):
        aliases = [aliases]
    if isinstance(aliases, list):
        names += [("aliases", i, a) for i, a in enumerate(aliases)]
    return [(key, index, name,
             entry.item_lines.get((key, index), entry.key_lines.get(key, 2)))
            for key, index, name in names if isinstance(name, str) and name.strip()]


def name_owners(entries: Iterable[RawEntry]) -> dict[str, tuple[Slug, str]]:
    """Each title and alias (by :func:`name_key`): the slug of the entry that gives it, the
    first such entry, and whether it is its ``title`` or an ``alias``; what a hint offers for
    a term named by one of its names rather than its slug."""
    names: dict[str, tuple[Slug, str]] = {}
    for entry in entries:
        for key, _, name, _ in entry_names(entry):
            names.setdefault(name_key(name), (entry.slug, "title" if key == "title" else "alias"))
    return names


def name_key(name: str) -> str:
    """What two names must share to name the same term: they are compared case-insensitively,
    in one Unicode form (an accent typed as a letter of its own is the accented letter).

    >>> name_key(" Batch Normalization ") == name_key("batch normalization")
    True
    """
    return unicodedata.normalize("NFC", name.strip()).casefold()


def spelling_key(name: str) -> str:
    """:func:`name_key` without spaces, hyphens or other punctuation. The names of two terms
    may not share it (*Loss-function* and *loss function*, *Re-LU* and *ReLU*): readers would
    take them for one name, written two ways. The symbols that make a name of their own are
    read as words first: *C#* and *C++* are two names (*CNN+LSTM* and *CNN-LSTM* are one).

    >>> spelling_key("Re-LU") == spelling_key("relu.") == spelling_key("ReLU")
    True
    >>> spelling_key("C#"), spelling_key("C++"), spelling_key("C"), spelling_key("CNN+LSTM")
    ('csharp', 'cplusplus', 'c', 'cnnlstm')
    """
    return re.sub(r"[\W_]+", "", _NAME_SYMBOL.sub(
        lambda m: "".join(f" {SYMBOL_WORDS[c]} " for c in m[0]), name_key(name)))


#: The symbols that end a word and make a name of its own (see :mod:`lexigraph.autolink`).
_NAME_SYMBOL = re.compile(rf"(?<=\w)(?:{NAME_SYMBOLS})")


def _duplicate_names(entries: list[RawEntry], problems: list[Problem]) -> None:
    """Titles and aliases name terms, so each may name only one (see :func:`name_key`,
    :func:`spelling_key` and :func:`~lexigraph.autolink.mention_keys`).

    The entry that has had a name longest keeps it: the error goes to the file edited last
    (the one the author just wrote), files of the same age in the order of their names."""
    owner: dict[str, tuple[RawEntry, str, str]] = {}
    forms_owner: dict[tuple[str, ...], tuple[RawEntry, str, str]] = {}  # (see mention_keys)
    spelling_owner: dict[str, tuple[RawEntry, str, str]] = {}  # (see spelling_key)
    for entry in sorted(entries, key=lambda e: (e.mtime, str(e.path))):
        mine: dict[str, str] = {}  # each name of this entry: the field it came from first
        for key, index, name, line in entry_names(entry):
            folded = name_key(name)
            if folded in mine:
                first = mine[folded]
                problems.append(Problem(
                    entry.path, line,
                    f"'{key}': {name!r} is this entry's title already" if first == "title"
                    else f"'{key}': {name!r} is given twice in this entry",
                    "an alias is another name: remove it (the title is searched and linked "
                    "already)" if first == "title" else "remove the repeat"))
                continue
            mine[folded] = key
            what = "alias" if key == "aliases" else key
            if folded in owner:
                other, other_key, _ = owner[folded]
                problems.append(Problem(
                    entry.path, line,
                    f"duplicate name: {what} {name!r} is already the {other_key} of "
                    f"{other.path.name!r}",
                    "a title or alias may name only one term: remove it here or there, or make "
                    "it more specific"))
                continue
            owner[folded] = (entry, "title" if key == "title" else "alias", name)
            spelled = spelling_key(name)
            twin = spelling_owner.setdefault(spelled, owner[folded]) if spelled else None
            if twin is not None and twin[0] is not entry:
                other, other_key, other_name = twin
                problems.append(Problem(
                    entry.path, line,
                    f"{what} {name!r} and the {other_key} {other_name!r} of "
                    f"{other.path.name!r} differ only in spaces, hyphens or punctuation: "
                    "readers would take them for one name, written two ways",
                    "make the name an alias of that entry, or name this term otherwise"))
                continue
            # A plural of another term's name, or the name another's is the plural of: a
            # mention links to one of the two only (the auto-linker reads plurals too).
            known, clashes = mention_keys(name)
            clash = next((forms_owner[f] for f in clashes if f in forms_owner
                          and forms_owner[f][0] is not entry), None)
            if clash is not None:
                other, other_key, other_name = clash
                problems.append(Problem(
                    entry.path, line,
                    f"{what} {name!r} and the {other_key} {other_name!r} of "
                    f"{other.path.name!r} are one name and its plural, so a mention of either "
                    f"would link to one of the two terms only",
                    "name this term otherwise, or make the name an alias of that entry"))
                continue
            for form in known:
                forms_owner.setdefault(form, owner[folded])


def _prerequisite_cycles(entries: list[RawEntry], problems: list[Problem]) -> None:
    by_slug = {e.slug: e for e in entries}
    graph = nx.DiGraph()
    for entry in entries:
        prereqs = entry.data.get("prerequisites")
        if isinstance(prereqs, str):
            prereqs = [prereqs]
        for prereq in prereqs if isinstance(prereqs, list) else []:
            if isinstance(prereq, str) and prereq in by_slug and prereq != entry.slug:
                graph.add_edge(prereq, entry.slug)
    for component in sorted(nx.strongly_connected_components(graph), key=min):
        if len(component) < 2:
            continue
        start = min(component)
        cycle = [u for u, _ in nx.find_cycle(graph.subgraph(component), source=start)]
        path = " -> ".join([*cycle, cycle[0]])
        entry = by_slug[Slug(cycle[0])]
        problems.append(Problem(
            entry.path, entry.key_lines.get("prerequisites"),
            f"prerequisites form a cycle: {path} (each is a prerequisite of the next)",
            "prerequisites must go from fundamentals to advanced: remove one link of the cycle "
            "or turn it into 'related'"))


def _kind(value: object) -> str:
    if value is None:  # (`key:` or `- ` with nothing after it)
        return "nothing"
    names: dict[type, str] = {dict: "a mapping", list: "a list", bool: "a boolean",
                              int: "a number", float: "a number", str: "a string",
                              datetime.date: "a date", datetime.datetime: "a date and time"}
    return f"{names.get(type(value), type(value).__name__)} ({_written(value)})"[:120]


