"""Mark every link to a term page with what a hover/focus preview shows."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from .model import Slug, Term
from .text import attr

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


def annotate(html: str, page_url: str, terms_by_url: Mapping[str, Term]) -> str:
    """Add ``data-lx-*`` preview attributes to each ``<a href>`` that points at a term page."""

    def mark(match: re.Match[str]) -> str:
        whole = match.group(0)
        if "data-lx-term" in whole:
            return whole
        target = resolve(page_url, match.group("href"))
        term = terms_by_url.get(target) if target is not None else None
        if term is None or target == page_url:
            return whole
        extra = (f' data-lx-term="{attr(term.slug)}" data-lx-title="{attr(term.title)}"'
                 f' data-lx-difficulty="{attr(term.difficulty)}"'
                 f' data-lx-summary="{attr(term.summary)}"')
        return whole[:-1] + extra + ">"

    return _A_TAG.sub(mark, html)


def term_urls(terms: Mapping[Slug, Term], terms_dir: str, use_directory_urls: bool
              ) -> dict[str, Term]:
    """Site-relative URL of each term page, as MkDocs writes it."""
    suffix = "/" if use_directory_urls else ".html"
    return {f"{terms_dir}/{slug}{suffix}": term for slug, term in terms.items()}
