"""The page a reader gets for an address the site does not have (the theme's ``404.html``).

A term's address is its slug, and a reader who types one, or follows a link made before a term
was renamed, is usually a letter or a plural away from a term that exists. The not-found page
gets a short text with the way on (the A–Z index, the graph, the search), and ``suggest.js``
offers the terms whose names are nearest to the missing address, from ``names.json``: every
term's slug, title and aliases, the most central terms first (of names as near, the browser
offers the first).

Hosts serve ``404.html`` at any depth, so its links are absolute paths, as MkDocs makes the
page's own links: from the root of ``site_url``, or ``/`` without one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import urlsplit

from .browse import GRAPH_PAGE
from .model import Slug, Term, index_url, term_url
from .text import attr

#: The names file's address in the site.
NAMES_URI = "assets/lexigraph/names.json"
#: The theme template MkDocs renders as the not-found page.
TEMPLATE = "404.html"


def names_json(terms: Mapping[Slug, Term], ranks: Mapping[Slug, float],
               terms_dir: str = "terms", use_directory_urls: bool = True) -> str:
    """``names.json``: ``{"schema": "lexigraph/names", "version": 1, "url": pattern with "{}"
    for a slug, relative to the site's root, "terms": [[slug, title, alias, ...], ...]}``,
    the most central (by ``ranks``) first.

    >>> from pathlib import Path
    >>> def term(slug, title, aliases=()):
    ...     return Term(slug=slug, title=title, summary="", difficulty="", domains=(),
    ...                 body="", path=Path(), aliases=aliases)
    >>> names_json({"relu": term("relu", "ReLU"),
    ...             "lstm": term("lstm", "Long short-term memory", ("LSTM",))},
    ...            {"relu": 0.2, "lstm": 0.8})
    '{"schema":"lexigraph/names","version":1,"url":"terms/{}/","terms":[["lstm","Long \
short-term memory","LSTM"],["relu","ReLU"]]}'
    """
    order = sorted(terms, key=lambda slug: (-ranks.get(slug, 0.0), slug))
    return json.dumps({"schema": "lexigraph/names", "version": 1,
                       "url": term_url("", "{}", terms_dir, use_directory_urls),
                       "terms": [[slug, terms[slug].title, *terms[slug].aliases]
                                 for slug in order]},
                      ensure_ascii=False, separators=(",", ":"))


def root_path(site_url: str | None) -> str:
    """The path the site's root is served at, as MkDocs links the not-found page.

    >>> root_path("https://example.org/glossary"), root_path(None)
    ('/glossary/', '/')
    """
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def help_html(site_url: str | None, terms_dir: str = "terms",
              use_directory_urls: bool = True) -> str:
    """What the not-found page says below its heading: where to look instead (Material opens
    its search on an address with ``?q=``). ``suggest.js``
    fills the empty offer (``role="status"``: a screen reader announces it) once it has
    compared the address with the names.

    >>> print(help_html("https://example.org/g/", use_directory_urls=False))
    <div class="lx-notfound" data-lx-notfound>...<a href="/g/terms/index.html">A–Z index</a>...
    """
    root = root_path(site_url)
    index = index_url(root, terms_dir, use_directory_urls)
    graph = root + (GRAPH_PAGE[:-len("index.md")] if use_directory_urls
                    else GRAPH_PAGE[:-len(".md")] + ".html")
    return ('<div class="lx-notfound" data-lx-notfound>'
            "<p>The site has no page at this address. The term may have been renamed, or the "
            "address mistyped.</p>"
            '<p class="lx-notfound__offer" role="status"></p>'
            f'<p>Look for it in the <a href="{attr(index)}">A–Z index</a> or the '
            f'<a href="{attr(graph)}">concept graph</a>, or '
            f'<a href="{attr(root)}?q=" data-lx-search="">search the glossary</a>.</p></div>')


def titled(output: str) -> str:
    """The not-found page with a title that says so (the theme gives the site's name alone,
    which a screen reader announces as if it were the home page).

    >>> titled("<head><title>Glossary</title></head>")
    '<head><title>Page not found - Glossary</title></head>'
    """
    return output.replace("<title>", "<title>Page not found - ", 1) \
        if "<title>Page not found" not in output else output


#: The not-found page's heading, the target of its skip link.
HEADING_ID = "lx-notfound-title"
_SKIP = '<div data-md-component="skip">'


def skippable(output: str) -> str:
    """The not-found page with the "Skip to content" link every other page has (the theme
    writes one only for a page with a table of contents): from the first Tab, past the header
    and the navigation, to the page's heading.

    >>> skippable('<div data-md-component="skip"></div><h1>404</h1>')  # doctest: +ELLIPSIS
    '<div ...><a href="#lx-notfound-title" class="md-skip">Skip to content</a></div><h1 id="lx-notfound-title">404</h1>'
    """
    if _SKIP not in output or "<h1>" not in output or f'id="{HEADING_ID}"' in output:
        return output
    link = f'<a href="#{HEADING_ID}" class="md-skip">Skip to content</a>'
    return output.replace(_SKIP, _SKIP + link, 1).replace("<h1>", f'<h1 id="{HEADING_ID}">', 1)


def add_help(output: str, html: str) -> str:
    """The not-found page with ``html`` after its first heading (Material's "404 - Not
    found"); unchanged when it has none, or has it already.

    >>> add_help("<article><h1>404</h1></article>", "<p>x</p>")
    '<article><h1>404</h1><p>x</p></article>'
    """
    end = output.find("</h1>")
    if end < 0 or "data-lx-notfound" in output:
        return output
    end += len("</h1>")
    return output[:end] + html + output[end:]
