"""Hand Material's search plugin a lighter copy of each page, and tag term pages' entries.

Why this exists: Material's search indexes ``page.content`` in its own ``on_page_context``
(priority 0) with :class:`html.parser.HTMLParser`, which costs a Python call per tag and per
text run. A term page has several times the tags of a plain page, yet most of them carry no
structure the index keeps:

- MathML (a dozen tags per formula): the parser keeps only the text of ``<math>``;
- inline elements (``<a>``, ``<span>``, ``<em>``...) outside headings: the parser keeps
  neither them nor their attributes, only their text, which stays where it was;
- the generated lists under search-excluded headings, which it parses and then drops.

So, just before it runs, ``page.content`` is swapped for a copy without those, nor the lists
of terms of the listing pages (the page keeps its full HTML: it is swapped back just after),
and the term page's top entry gets the name tokens of :mod:`lexigraph.search`. Same index, a
fraction of the parsing. The plugin only calls :meth:`SearchAdapter.before` and
:meth:`SearchAdapter.after` around the search plugin.

The entries made, of a copy or of a whole page, then have their styled letters (bold 𝜹,
script ℒ: see :func:`lexigraph.mathml.styled`) written as the plain letters a reader types.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import Any, cast

from . import search
from .browse import LISTING
from .mathml import plain_letters
from .model import Term

_MATH_ELEMENT = re.compile(r"<math\b[^>]*>.*?</math>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
#: What Material's search does to a page once it has read it: valued ``data-search-*``
#: attributes go. A page whose copy it read gets the same done to its own HTML.
_MATERIAL_STRIP = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")
#: Whether a page has one: a quick search (the optional space above makes every position of a
#: page a start of a match to try).
_VALUED_SEARCH_ATTR = re.compile(r'data-search-\w+="[^"]')
_HEADING = re.compile(r"<h([1-6])\b.*?</h\1\s*>", re.DOTALL | re.IGNORECASE)
#: Inline elements the search parser neither keeps nor treats specially (its "keep" list is
#: p, code, pre, li, ol, ul, sub, sup; it skips object, script, style).
_INLINE = "a|abbr|b|cite|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong|time|u|var"
_INLINE_TAG = re.compile(rf"</?(?:{_INLINE})\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.IGNORECASE)
#: An inline element the parser would skip with its text: then the page keeps its inline tags.
_INLINE_EXCLUDED = re.compile(rf"<(?:{_INLINE})\b[^>]*\sdata-search-exclude", re.IGNORECASE)


def _math_text(match: re.Match[str]) -> str:
    """The text a search parser collects from a <math> element: its text nodes, joined, each
    whitespace-only one (``<mtext>&#160;</mtext>``) as one space, as the parser keeps it.

    >>> _math_text(re.match(r".*", "<math><mi>a</mi><mtext>&#160;</mtext><mi>b</mi></math>"))
    'a b'
    """
    # Decoded (latex2mathml writes every operator as a character reference: twice the text
    # to parse), with what must stay escaped in HTML escaped again.
    out = []
    for text in _TAG.split(match.group(0)):
        plain = html.unescape(text)
        out.append(" " if plain and plain.isspace() else html.escape(plain, quote=False))
    return "".join(out)


def _plain_letters(entry: dict[str, Any]) -> None:
    """Write the styled letters of a search entry's title and text as plain ones: a formula's
    bold 𝜹 is found by "δ", as when the page drew it bold with ``mathvariant``.

    >>> entry = {"location": "a/", "title": "𝐱", "text": "<p>𝜹=∂ℒ/∂𝐳</p>"}
    >>> _plain_letters(entry); entry
    {'location': 'a/', 'title': 'x', 'text': '<p>δ=∂L/∂z</p>'}
    """
    for field in ("title", "text"):
        value = entry.get(field)
        if isinstance(value, str):
            entry[field] = plain_letters(value)


#: A front matter without a "search" key.
_ABSENT = object()


def search_copy(html: str) -> str:
    """``html`` as the search parser sees it: MathML and inline tags reduced to their text.

    Headings are left whole (a heading's permalink ``<a class="headerlink">`` is left out of
    its section title by the parser).

    Examples
    --------
    >>> search_copy('<p>See <a href="x/">ReLU</a>, <math><mi>x</mi><mo>+</mo></math>.</p>')
    '<p>See ReLU, x+.</p>'
    >>> search_copy('<h2 id="a">A<a class="headerlink" href="#a">&para;</a></h2><p><em>b</em></p>')
    '<h2 id="a">A<a class="headerlink" href="#a">&para;</a></h2><p>b</p>'
    """
    if "<math" in html:
        html = _MATH_ELEMENT.sub(_math_text, html)
    if _INLINE_EXCLUDED.search(html):
        return html
    out, at = [], 0
    for heading in _HEADING.finditer(html):
        out.append(_INLINE_TAG.sub("", html[at:heading.start()]))
        out.append(heading.group(0))
        at = heading.end()
    out.append(_INLINE_TAG.sub("", html[at:]))
    return "".join(out)


def splits(html: str) -> bool:
    """Whether the search copy of ``html`` with other HTML put in at a marker is the search
    copies of the two put together: true unless an inline element is kept whole.

    >>> splits('<p><a href="x/">y</a></p>'), splits('<p><span data-search-exclude>y</span></p>')
    (True, False)
    """
    return not _INLINE_EXCLUDED.search(html)


def part_copies(parts: Mapping[str, str]) -> dict[str, str] | None:
    """The search copy of each generated part, or ``None`` if a part is not plain blocks
    (a heading, or an inline element kept whole) and the page must be reduced as a whole."""
    if any(_HEADING.search(html) or not splits(html) for html in parts.values()):
        return None
    return {marker: search_copy(html) for marker, html in parts.items()}


#: A generated list of terms (:func:`lexigraph.browse.term_list`), as Markdown renders it
#: (its attributes in name order: ``data-lx-summaries`` comes first); it holds no nested <div>.
_LISTING = re.compile(rf'<div class="{LISTING}"(?=[^>]*\sdata-search-exclude="data-search-exclude")'
                      r"[^>]*>.*?</div>", re.DOTALL)


def unlisted(html: str) -> str | None:
    """A search copy of ``html`` without its lists of terms, which search skips (``None``:
    it has none).

    >>> unlisted('<p>a</p><div class="lx-listing" data-search-exclude="data-search-exclude">'
    ...          '<ul><li>b</li></ul></div><div class="lx-listing" data-lx-summaries="x" '
    ...          'data-search-exclude="data-search-exclude"><ul><li>c</li></ul></div>')
    '<p>a</p>'
    """
    if f'<div class="{LISTING}"' not in html:
        return None
    copy = _LISTING.sub("", html)
    return None if copy == html else copy


def search_plugin(config: Any) -> Any:
    """Material's search plugin, if it is in use (the one whose index keeps a list of
    entries), else ``None``."""
    for plugin in config.plugins.values():
        entries = getattr(getattr(plugin, "search_index", None), "entries", None)
        if isinstance(entries, list):
            return plugin
    return None


def search_entries(config: Any) -> list[dict[str, Any]] | None:
    """The entry list of Material's search index being built, if that plugin is in use."""
    plugin = search_plugin(config)
    return None if plugin is None else cast(list[dict[str, Any]], plugin.search_index.entries)


def entries_key(page: Any, html: str) -> str:
    """Everything the entries Material's search makes of a page depend on, besides the code
    (the page cache's salt names every installed version): its URL, the HTML it reads, its
    table of contents (section URLs), its title and front matter (title, tags, boost)."""
    def toc(items: Any) -> list[Any]:
        return [[item.id, item.url, item.title, toc(item.children)] for item in items]

    return json.dumps(["search entries", page.url, html, toc(page.toc or []), str(page.title),
                       page.meta], sort_keys=True, default=str)


class SearchAdapter:
    """Swaps a page's HTML around the search plugin's ``on_page_context`` and tags entries.

    Call :meth:`before` from a handler that runs before the search plugin's (higher priority)
    and :meth:`after` from one that runs after it; :meth:`untagged` at the end of a build.

    Material's search parses each page's HTML again on every build. Given the entries it made
    of the same page before (``recorded``, which :meth:`after` returns the first time),
    :meth:`before` asks it to skip the page, and :meth:`after` puts those entries in instead.
    """

    def __init__(self) -> None:
        #: The page being indexed: (page, its HTML if search is given a copy, entries before,
        #: the entries to put in instead of indexing it, its front matter's "search").
        self._indexing: tuple[Any, str | None, int, list[dict[str, Any]] | None, Any] | None
        self._indexing = None
        self._tagged: set[str] = set()
        self._built: set[str] = set()
        #: Pages whose recorded entries went into the index in place of indexing them.
        self.replayed = 0

    def before(self, page: Any, config: Any, reduced: str | None = None,
               recorded: list[dict[str, Any]] | None = None) -> None:
        """Give the search plugin ``reduced`` instead of ``page.content``: a copy that it
        indexes exactly like the page (:func:`search_copy`, :func:`unlisted`). ``None``: the
        search plugin reads the page as it is. ``recorded``: the entries :meth:`after`
        returned for this page in an earlier build, under the same :func:`entries_key`."""
        entries = search_entries(config)
        html = page.content or ""
        self._built.add(page.url)
        options = page.meta.get("search", _ABSENT)
        if entries is None or not (options is _ABSENT or options is None
                                   or isinstance(options, dict)):
            recorded = None
        # Only what Lexigraph writes is reduced (term pages, lists of terms); an author's own
        # HTML may hold what the reduction would index differently.
        self._indexing = (page, html if reduced is not None else None,
                          len(entries) if entries is not None else -1, recorded, options)
        if reduced is not None:
            page.content = reduced
        if recorded is not None:  # Material's search skips a page excluded in front matter
            page.meta["search"] = {**(options if isinstance(options, dict) else {}),
                                   "exclude": True}

    def after(self, page: Any, config: Any, term: Term | None,
              central: float = 0.0) -> list[dict[str, Any]] | None:
        """Restore the page's HTML; give a term page's top entry its name tokens and each of
        its entries the term's centrality (:func:`lexigraph.search.rank_entry`). Returns the
        entries Material's search made of the page, as it made them (``None``: another search
        plugin, or recorded ones were used)."""
        if self._indexing is None or self._indexing[0] is not page:
            return None
        _, html, before, recorded, options = self._indexing
        self._indexing = None
        entries = search_entries(config)
        made = None
        if recorded is not None:
            if options is _ABSENT:
                page.meta.pop("search", None)
            else:
                page.meta["search"] = options
        if entries is not None and before >= 0:
            if recorded is not None and len(entries) == before:  # it skipped the page
                entries.extend(dict(entry) for entry in recorded)
                self.replayed += 1
            else:  # (if it indexed the page all the same, what it made stands)
                made = [dict(entry) for entry in entries[before:]]
        if html is not None:  # Material's (it keeps its entries in a list) strips attributes
            valued = entries is not None and _VALUED_SEARCH_ATTR.search(html)
            page.content = _MATERIAL_STRIP.sub("", html) if valued else html
        if entries is not None and 0 <= before < len(entries):
            for entry in entries[before:]:
                _plain_letters(entry)
            if term is not None:
                # The page's own entry comes first; its sections follow.
                entry = entries[before]
                if entry.get("location") == page.url:
                    search.tag_entry(entry, term)
                    self._tagged.add(page.url)
                for entry in entries[before:]:
                    search.rank_entry(entry, central)
        return made

    def untagged(self, term_urls: Mapping[str, Term]) -> dict[str, Term]:
        """Term pages built since the last call whose entries could not be tagged while indexed
        (another search plugin): :func:`lexigraph.search.add_term_names` tags the written index.

        Only pages built now count: with ``--dirty``, the others come tagged from the last build.
        """
        missing = (self._built & term_urls.keys()) - self._tagged
        self._tagged, self._built = set(), set()
        return {url: term_urls[url] for url in sorted(missing)}
