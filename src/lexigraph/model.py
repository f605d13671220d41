"""Domain objects shared by every pipeline stage."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import NewType
from urllib.parse import quote

#: A term's identifier: its file name without ``.md`` (``batch-normalization``).
def terms_folder(value: str) -> str:
    """The plugin's ``terms_dir`` as a folder path in ``docs_dir``: ``terms/`` and ``./terms``
    are ``terms`` (pages' paths are joined to it).

    >>> terms_folder("terms/"), terms_folder("./a//b"), terms_folder("")
    ('terms', 'a/b', '.')
    """
    return posixpath.normpath(value.strip("/") or ".")


Slug = NewType("Slug", str)


def term_url(base_url: str, slug: str, terms_dir: str = "terms",
             use_directory_urls: bool = True) -> str:
    """The address of a term's page: ``base_url`` (the site's, or "" for one relative to the
    site), then the page's path as MkDocs writes it, with the folder's spaces and non-ASCII
    letters percent-encoded (a slug has none; ``{}`` stays a template's place for one).

    >>> term_url("", "relu", "my terms"), term_url("/", "{}", "terms", False)
    ('my%20terms/relu/', '/terms/{}.html')
    """
    return f"{base_url}{quote(terms_dir)}/{slug}/" if use_directory_urls else \
        f"{base_url}{quote(terms_dir)}/{slug}.html"


def index_url(base_url: str, terms_dir: str = "terms", use_directory_urls: bool = True) -> str:
    """The address of the A–Z index, the terms folder's page, written as :func:`term_url`.

    >>> index_url("", "my terms"), index_url("/g/", "terms", False)
    ('my%20terms/', '/g/terms/index.html')
    """
    return f"{base_url}{quote(terms_dir)}/" + ("" if use_directory_urls else "index.html")


def slugify(name: str) -> str:
    """File-name slug of a term name.

    Examples
    --------
    >>> slugify("Xavier/Glorot initialization")
    'xavier-glorot-initialization'
    >>> slugify("Bias–variance tradeoff")
    'bias-variance-tradeoff'
    >>> slugify("α-dropout"), slugify("β-VAE"), slugify("Größe"), slugify("λ-return")
    ('alpha-dropout', 'beta-vae', 'grosse', 'lambda-return')
    >>> slugify("C++"), slugify("C#"), slugify("R&D"), slugify("#params")
    ('c-plus-plus', 'c-sharp', 'r-and-d', 'params')
    """
    # Punctuation and symbols (slashes, en dashes) separate words; accents are dropped, and
    # Greek letters (α-dropout) and the Latin letters without an ASCII base (ß) are spelt out:
    # dropped, they would leave another term's slug (dropout). So are the few symbols that
    # name something: "C++" and "C#" were both c.md.
    name = symbols_said(name)
    spaced = "".join(" " if unicodedata.category(c)[0] in "PSZ" else c for c in name)
    spelt = "".join(_spelt(c) for c in unicodedata.normalize("NFKD", spaced))
    ascii_name = spelt.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


#: Symbols read as words in a name (:data:`SYMBOL_WORDS`): a plus and an ampersand anywhere,
#: a hash after a letter (C#, F#; "#params" is a count).
_SAID = re.compile(r"[+&]|(?<=[^\W\d_])#")
SYMBOL_WORDS = {"+": "plus", "&": "and", "#": "sharp"}


def symbols_said(name: str) -> str:
    """``name`` with the symbols that name something (:data:`_SAID`) as words.

    >>> symbols_said("C++"), symbols_said("C#, #1")
    ('C plus  plus ', 'C sharp , #1')
    """
    return _SAID.sub(lambda m: f" {SYMBOL_WORDS[m[0]]} ", name)


#: Latin letters that decompose into no ASCII letter.
_LATIN = {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l",
          "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D", "ı": "i"}


def _spelt(char: str) -> str:
    """A Greek letter's name (α: alpha, final ς: sigma), a letter of :data:`_LATIN` in ASCII,
    any other character as it is."""
    if char in _LATIN:
        return _LATIN[char]
    if "\u0370" <= char <= "\u03ff":
        name = unicodedata.name(char, "")
        if name.startswith(("GREEK SMALL LETTER ", "GREEK CAPITAL LETTER ")):
            letter = name.rsplit(" ", 1)[1].lower()
            return f"-{'lambda' if letter == 'lamda' else letter}-"  # (Unicode's spelling)
    return char


DIFFICULTIES: tuple[str, ...] = ("beginner", "intermediate", "advanced")
REQUIRED_SECTIONS: tuple[str, ...] = ("Why it matters", "Definition")
#: The sections a term's page adds after the entry's text (see :mod:`lexigraph.render`), each
#: with the front matter's field it is made from, if one (the page adds it when it is set).
GENERATED_SECTIONS: dict[str, str | None] = {
    "Learning path": "prerequisites",
    "Concept map": None,  # (the concept graph)
    "Keywords": "keywords",
    "Where it matters": "industries",
    "Related terms": "related",
    "Referenced by": None,  # (the entries that link to this one)
    "References": "references",
}


@dataclass(frozen=True)
class Reference:
    title: str
    authors: tuple[str, ...]
    year: int
    url: str | None = None
    doi: str | None = None

    @property
    def link(self) -> str | None:
        if self.url:
            return self.url
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return None


@dataclass(frozen=True)
class Category:
    """A domain or an industry from ``_taxonomy.yml``."""

    key: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Taxonomy:
    domains: dict[str, Category]
    industries: dict[str, Category]
    #: Groups ("domains", "industries") that _taxonomy.yml gets wrong: that problem is
    #: reported, and entries are not checked against the group as read.
    broken: frozenset[str] = frozenset()


@dataclass
class Term:
    slug: Slug
    title: str
    summary: str
    difficulty: str
    domains: tuple[str, ...]
    body: str
    path: Path
    industries: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    related: tuple[Slug, ...] = ()
    prerequisites: tuple[Slug, ...] = ()
    demo: str | None = None
    references: tuple[Reference, ...] = ()
    #: Names of other terms that this entry uses in another sense: never auto-linked here.
    unlinked: tuple[str, ...] = ()
    #: 1-based line of the body's first line in the source file.
    body_line: int = 1
    #: Source modification time, used for "recently changed".
    mtime: float = 0.0

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the term goes by: its title first, then its aliases."""
        return (self.title, *self.aliases)
