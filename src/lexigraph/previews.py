"""Hover/focus previews: every link to a term page is marked, and the page carries the data.

A link gets ``data-lx-term``, with no value: the term is the last part of its address
(``../relu/``, ``relu.html``), which scripts read as :func:`slug_of` does, and a value would
repeat it on every link of every page. The page ends with one ``<template class="lx-previews">``
of JSON mapping each linked term to ``[title, difficulty, summary]``. A term is
usually linked several times on a page (its mention, the concept map, the learning path), so
one entry per term rather than the summary on every link keeps pages small. A link in a list
that prints each term's summary (related terms, backlinks, the A-Z index, the lists of terms
of the home, domain and difficulty pages) is previewed from its own row, which holds the
title, the summary and the difficulty (a badge, or the row's ``data-difficulty``): a term
linked only there has no entry.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from .model import Slug, Term, term_url
from .text import script_json

#: What marks a link to a term (see the module's description).
MARK = "data-lx-term"
_A_TAG = re.compile(r'<a\b(?P<attrs>[^>]*?)\bhref="(?P<href>[^"#?]*)(?P<rest>[^"]*)"(?P<tail>[^>]*)>')


def resolve(page_url: str, href: str) -> str | None:
    """Site-relative path an ``href`` on the page at ``page_url`` points to; ``None`` if external.

    Examples
    --------
    >>> resolve("terms/relu/", "../sigmoid/")
    'terms/sigmoid/'
    >>> resolve("", "terms/relu/")
    'terms/relu/'
    >>> resolve("terms/relu/", "https://example.org/") is None
    True
    """
    if not href or urlsplit(href).scheme or href.startswith("//"):
        return None
    if href.startswith("/"):
        return href.lstrip("/")
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    joined = posixpath.normpath(posixpath.join("/" + base, href))
    path = joined.lstrip("/")
    if href.endswith("/") and path:
        path += "/"
    return "" if path == "." else path


def link_marks(html: str, page_url: str, terms_by_url: Mapping[str, Term]
               ) -> tuple[list[int], dict[Slug, Term]]:
    """Where each ``<a href>`` of ``html`` that points at another term page gets
    ``data-lx-term`` (offsets, in order; :func:`apply_marks` writes them), and the linked
    terms, for :func:`previews_template`. Offsets, not marked HTML: they are what a cached page
    keeps."""
    marks: list[int] = []
    linked: dict[Slug, Term] = {}
    for match in _A_TAG.finditer(html):
        target = resolve(page_url, match.group("href"))
        term = terms_by_url.get(target) if target is not None else None
        if term is None or target == page_url:
            continue
        linked[term.slug] = term
        if MARK not in match.group(0):
            marks.append(match.end() - 1)  # before the tag's ">"
    return marks, linked


def apply_marks(html: str, marks: Sequence[int]) -> str:
    """``html`` with the marks of :func:`link_marks` written in.

    >>> apply_marks('<a href="../b/">B</a>', [15])
    '<a href="../b/" data-lx-term>B</a>'
    """
    out, at = [], 0
    for cut in marks:
        out += [html[at:cut], f" {MARK}"]
        at = cut
    out.append(html[at:])
    return "".join(out)


_MARKED = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"[^>]*?\sdata-lx-term[\s>]')


def slug_of(href: str) -> Slug:
    """The term a marked link leads to: the last part of its address.

    >>> slug_of("../relu/"), slug_of("terms/relu.html"), slug_of("relu/#x")
    ('relu', 'relu', 'relu')
    """
    path = re.split(r"[?#]", href, maxsplit=1)[0].rstrip("/").removesuffix(".html")
    return Slug(path.rsplit("/", 1)[-1])
#: A generated list that prints each term's summary (``data-lx-summaries``: see
#: :func:`lexigraph.browse.term_list`), as Markdown renders it; it holds no nested <div>.
_SUMMARY_LIST = re.compile(r'<div\b[^>]*\sdata-lx-summaries="[^"]*"[^>]*>.*?</div>', re.DOTALL)


def without_summary_lists(html: str) -> str:
    """``html`` without the lists whose rows are their own previews: what the page's preview
    data is for (a list of recent changes prints no summaries and stays).

    >>> without_summary_lists('<p>a</p><div class="x" data-lx-summaries="y"><ul><li>b</li>'
    ...                       '</ul></div><div class="x"><ul><li>c</li></ul></div>')
    '<p>a</p><div class="x"><ul><li>c</li></ul></div>'
    """
    return _SUMMARY_LIST.sub("", html)


def marked(html: str) -> set[Slug]:
    """The terms whose links in ``html`` are marked already (generated HTML marks its own).

    >>> sorted(marked('<a href="../a/" data-lx-term>A</a> <a href="x">x</a>'))
    ['a']
    """
    return {slug_of(href) for href in _MARKED.findall(html)}


def previews_template(terms: Mapping[Slug, Term]) -> str:
    """The page's preview data: ``{slug: [title, difficulty, summary]}`` (empty: no template).

    Examples
    --------
    >>> from pathlib import Path
    >>> t = Term(Slug("relu"), "ReLU", "max(0, x) </script>", "beginner", ("x",), "", Path("r"))
    >>> previews_template({t.slug: t})
    '<template class="lx-previews" data-search-exclude>{"relu":["ReLU","beginner","max(0, x) \\\\u003c/script\\\\u003e"]}</template>'
    """
    if not terms:
        return ""
    data = {slug: [t.title, t.difficulty, t.summary] for slug, t in sorted(terms.items())}
    # A <template>, not <script type="application/json">: Material's instant navigation
    # re-creates the scripts of a new page without their type and would run the JSON.
    return f'<template class="lx-previews" data-search-exclude>{script_json(data)}</template>'


def term_urls(terms: Mapping[Slug, Term], terms_dir: str, use_directory_urls: bool
              ) -> dict[str, Term]:
    """Site-relative URL of each term page, as MkDocs writes it (a page's ``url``, and the
    links to it, are percent-encoded: ``my%20terms/relu/``)."""
    return {term_url("", slug, terms_dir, use_directory_urls): term
            for slug, term in terms.items()}
