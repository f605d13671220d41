"""Stage 4: the generated pages (as Markdown for MkDocs to render) and the index.

Pure functions of a :class:`~lexigraph.pipeline.Glossary`; they know page paths but nothing
about MkDocs.
"""

from __future__ import annotations

import json
import posixpath
import re
import string
from collections import defaultdict
from collections.abc import Callable, Sequence

from .graph import backlinks, learning_path
from .model import DIFFICULTIES, Slug, Term
from .pipeline import Glossary
from .text import attr, md_text, terms_count

OTHER = "#"  # the index section of titles that do not start with A-Z


def term_path(slug: Slug, terms_dir: str = "terms") -> str:
    """The generated page's path inside ``docs_dir``."""
    return f"{terms_dir}/{slug}.md"


def letter_of(title: str) -> str:
    first = title.lstrip()[:1].upper()
    return first if first in string.ascii_uppercase else OTHER


def badge(difficulty: str) -> str:
    """The difficulty as a coloured word; a screen reader hears "Difficulty: " before it
    (lexigraph.css), wherever it is."""
    return (f'<span class="lx-badge lx-badge--{attr(difficulty)}">'
            f"{attr(difficulty.capitalize())}</span>")


def _front_matter(meta: dict[str, object]) -> str:
    """YAML front matter written as JSON (a YAML flow mapping): 40x faster than PyYAML's
    pure-Python dumper, which a build would otherwise run once per term."""
    return "---\n" + _yaml_json(meta) + "\n---\n\n"


# Characters that json.dumps(ensure_ascii=False) leaves raw but PyYAML would refuse (a title
# can hold one through a YAML escape) or read as a line break (NEL, LS, PS).
_NON_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def _yaml_json(data: object) -> str:
    """``data`` as JSON that PyYAML reads back unchanged.

    Examples
    --------
    >>> import yaml
    >>> meta = {"title": 'A "b": c\\x85\\x80\\u2028 \u2014 \U0001F600', "search": {"boost": 3}}
    >>> yaml.safe_load(_yaml_json(meta)) == meta
    True
    """
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))
    return _NON_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


#: "Copy link" and "Cite this term"; lexigraph.js fills in the citation from the page itself.
#: Out of the search index: a query for "cite" or "link" would otherwise match every term.
TOOLS = ('<div class="lx-tools" role="group" aria-label="Share this term" data-search-exclude>'
         '<button type="button" class="md-button lx-copy-link">Copy link</button> '
         '<button type="button" class="md-button lx-cite" aria-expanded="false">Cite this term'
         '</button><output class="lx-tool-status" aria-live="polite"></output>'
         '<blockquote class="lx-citation" hidden></blockquote></div>')

#: The most terms a "Referenced by" list shows: the strongest links, then a link to the rest.
#: A glossary's hubs are linked from a share of all terms, so an uncapped list would grow
#: with the glossary (800 KB of HTML on one page at 10,000 terms).
BACKLINKS_SHOWN = 30

#: Where the concept map goes (see :mod:`lexigraph.local_graph`); an entry may place it.
LOCAL_MARKER = "<!-- lexigraph:local-graph -->"
#: Where the generated parts of a term page go; :func:`term_parts` gives their HTML.
_PART = "<!-- lexigraph-part:{} -->"
#: The concept map's place (see :mod:`lexigraph.local_graph`), filled like the other parts.
MAP_PART = _PART.format("map")
#: The parts that list terms with their summaries: a preview of a link there is made from
#: its row (see :mod:`lexigraph.previews`), so the page's preview data leaves those terms out.
LISTED_PARTS = frozenset({_PART.format("related"), _PART.format("backlinks")})
#: Generated lists about other terms: kept out of the search index (every term's summary
#: would otherwise be indexed once per page that lists it).
_NOT_SEARCHED = "{ data-search-exclude }"


def term_page(g: Glossary, slug: Slug, demo_html: str = "") -> str:
    """The Markdown of one term's page: front matter, title, the entry's text and headings.

    The generated parts (badges, lists of other terms, references) are markers here that the
    plugin replaces with :func:`term_parts` once Markdown has rendered the page: they are
    HTML already, and Markdown re-parsing them took two thirds of a term page's render time.
    The headings stay Markdown so that the table of contents and the anchors include them.
    """
    term = g.terms[slug]
    # MkDocs' templates print these unescaped (into <title> and an attribute).
    meta: dict[str, object] = {"title": attr(term.title), "description": attr(term.summary),
                               "lexigraph_term": slug, "search": {"boost": 3}}
    parts = [_front_matter(meta), f"# {md_text(term.title)}\n\n", _PART.format("head"), "\n\n"]
    if demo_html:
        parts.append(demo_html + "\n\n")
    body = g.bodies.get(slug, term.body).strip()
    # The concept map: where the entry asks for it, else after the learning path. Its heading
    # is Markdown (the table of contents lists it), the map itself a part like the others.
    concept_map = (f"## Concept map {_NOT_SEARCHED}\n\n{MAP_PART}\n\n"
                   if has_concept_map(g, slug) else "")
    placed = LOCAL_MARKER in body
    parts.append(body.replace(LOCAL_MARKER, concept_map.rstrip(), 1) + "\n\n")
    for heading, name, shown, searched in _sections(g, slug):
        if name == "keywords" and not placed:
            parts.append(concept_map)
        if shown:
            extra = "" if searched else " " + _NOT_SEARCHED
            parts.append(f"## {heading}{extra}\n\n{_PART.format(name)}\n\n")
    return "".join(parts)


def has_concept_map(g: Glossary, slug: Slug) -> bool:
    """Whether the term's page shows a concept map: it is linked with another term."""
    graph = g.graph
    return any(other != slug for other in (*graph.successors(slug), *graph.predecessors(slug)))


def graph_url(slug: Slug, use_directory_urls: bool = True, terms_dir: str = "terms") -> str:
    """The concept graph page's URL relative to ``slug``'s page, as MkDocs would write it.

    Examples
    --------
    >>> graph_url(Slug("relu")), graph_url(Slug("relu"), False), graph_url(Slug("relu"), True, "a/b")
    ('../../graph/', '../graph/index.html', '../../../graph/')
    """
    if use_directory_urls:
        return posixpath.relpath("graph", f"{terms_dir}/{slug}") + "/"
    return posixpath.relpath("graph/index.html", terms_dir)


def domain_url(key: str, use_directory_urls: bool = True, terms_dir: str = "terms") -> str:
    """A domain's page's URL relative to a term page (a page that lists the domain's terms
    and works without scripts, unlike the A–Z index's filters).

    >>> domain_url("optimization"), domain_url("optimization", False, "a/b")
    ('../../domains/optimization/', '../../domains/optimization.html')
    """
    if use_directory_urls:
        return posixpath.relpath(f"domains/{key}", f"{terms_dir}/x") + "/"
    return posixpath.relpath(f"domains/{key}.html", terms_dir)


#: The generated sections after the entry's text, in page order: (heading, part, searched).
_SECTIONS: tuple[tuple[str, str, bool], ...] = (
    ("Learning path", "path", False),
    ("Keywords", "keywords", True),
    ("Where it matters", "industries", True),
    ("Related terms", "related", False),
    ("Referenced by", "backlinks", False),
    ("References", "references", True),
)


def _sections(g: Glossary, slug: Slug) -> list[tuple[str, str, bool, bool]]:
    """``(heading, part name, present, searched)`` of the generated sections, in page order."""
    term = g.terms[slug]
    present = {"path": bool(term.prerequisites), "keywords": bool(term.keywords),
               "industries": bool(term.industries), "related": bool(term.related),
               "backlinks": bool(backlinks(g.graph, slug)), "references": bool(term.references)}
    return [(heading, name, present[name], searched) for heading, name, searched in _SECTIONS]


def term_parts(g: Glossary, slug: Slug, use_directory_urls: bool = True,
               terms_dir: str = "terms") -> dict[str, str]:
    """``{marker: HTML}`` of the generated parts of a term page (see :func:`fill_parts`).

    Links are relative to the term page, as MkDocs writes them: ``../relu/`` (or
    ``relu.html`` without directory URLs); ``terms_dir`` is where the term pages are.
    """
    term = g.terms[slug]
    tax = g.taxonomy
    url = _term_url(use_directory_urls)
    chips = " ".join(
        f'<a class="lx-chip" href="{attr(domain_url(d, use_directory_urls, terms_dir))}">'
        f"{attr(tax.domains[d].title)}</a>" for d in term.domains)
    # The badge and chips, and the names, are not searched: the names are the entry's tags
    # (see search.py), and a row of labels read as one phrase would match queries by accident.
    # What the badge and the chips are, for a screen reader: seen, they are a coloured word and
    # links (to the domains' pages); heard, "Intermediate, link Sequence models" said
    # neither. (The badge says so itself: see badge().)
    head = [f'<div class="lx-term-head" data-search-exclude>{badge(term.difficulty)} '
            f'<span class="lx-sr">Domains: </span>{chips}'
            '</div>\n'
            f'<p class="lx-summary">{attr(term.summary)}</p>\n{TOOLS}']
    if term.aliases:
        names = ", ".join(f"<strong>{attr(a)}</strong>" for a in term.aliases)
        head.append(f'\n<p class="lx-aliases" data-search-exclude>Also known as {names}</p>')
    parts = {"head": "".join(head)}
    path = learning_path(g.graph, slug, g.dag)
    if len(path) >= 2:
        steps = "".join(f"<li>{_term_link(s, g.terms[s].title, url)}</li>\n" for s in path[:-1])
        steps += f"<li><strong>{attr(term.title)}</strong></li>\n"
        parts["path"] = ("<p>Read these first, in this order: each comes after what it "
                         "needs.</p>\n"
                         f'<div class="lx-path">\n<ol>\n{steps}</ol>\n</div>')
    if term.keywords:
        parts["keywords"] = '<ul class="lx-keywords">' + "".join(
            f"<li>{attr(k)}</li>" for k in term.keywords) + "</ul>"
    if term.industries:
        parts["industries"] = "<p>" + ", ".join(
            attr(tax.industries[i].title) for i in term.industries) + "</p>"
    if term.related:
        parts["related"] = _term_list(g, term.related, "lx-related", url)
    linked = backlinks(g.graph, slug)
    if linked:
        shown = strongest_backlinks(g, slug, linked, BACKLINKS_SHOWN)
        html = _term_list(g, shown, "lx-backlinks", url)
        if len(shown) < len(linked):
            graph = f"{graph_url(slug, use_directory_urls, terms_dir)}?focus={slug}"
            # The graph, focused on the term, shows the terms it links to as well: no count
            # in the link (it would not match the graph's).
            html += (f'\n<p class="lx-more">The {len(shown)} most closely linked of the '
                     f'{len(linked)} terms that refer to it. <a href="{attr(graph)}">See them '
                     "with all its other links in the concept graph</a>.</p>")
        parts["backlinks"] = html
    if term.references:
        items = []
        for ref in term.references:
            line = (f"{attr(', '.join(ref.authors))} ({ref.year}). "
                    f"<em>{attr(ref.title)}</em>.")
            if ref.link:
                line += f' <a href="{attr(ref.link)}">{attr(ref.link)}</a>'
            items.append(f"<li>{line}</li>\n")
        parts["references"] = "<ol>\n" + "".join(items) + "</ol>"
    return {_PART.format(name): html for name, html in parts.items()}


def left_out_page(slug: Slug, entry: str) -> str:
    """The Markdown of the page a ``mkdocs serve`` preview shows in place of an entry it leaves
    out (see :func:`lexigraph.pipeline.build_glossary`): links to the entry reach it.

    >>> print(left_out_page(Slug("x"), "glossary/x.md"))
    ---
    {"search": {"exclude": true}, "title": "x"}
    ---
    <BLANKLINE>
    # x
    <BLANKLINE>
    This preview leaves out the entry `glossary/x.md` until the problems above are fixed.
    <BLANKLINE>
    """
    return (_front_matter({"title": attr(slug), "search": {"exclude": True}})
            + f"# {md_text(slug)}\n\nThis preview leaves out the entry `{entry}` until the "
            "problems above are fixed.\n")


def problems_banner(report: str, partial: bool = False, glossary: bool = True,
                    pages: bool = False) -> str:
    """The notice at the top of every page of a ``mkdocs serve`` preview whose glossary has
    problems: it shows the glossary of the last build without any, or (``partial``: there was
    none yet) the entries without problems (see the plugin); and (``pages``) whose
    hand-written pages place demos with problems, which it leaves out (only those, not
    ``glossary``).

    >>> print(problems_banner("a.md:2: error: <x>\\n1 problem in 1 file."))
    <div class="lx-problems" role="alert" ...><strong>The glossary has problems.</strong> ...
    <pre ...>a.md:2: error: &lt;x&gt;
    1 problem in 1 file.</pre></div>
    """
    if not glossary:
        lead = ("<strong>The site's own pages have problems.</strong> Until they are "
                "fixed, this preview leaves out the demos and blocks that have them; ")
    else:
        lead = ("<strong>The glossary " + ("and the site's own pages have" if pages else
                                           "has")
                + " problems.</strong> Until they are fixed, this preview "
                + ("leaves out the entries that have them (one it showed before stays as it "
                   "was)" if partial else
                   "shows the glossary as it was at its last build without any")
                + (", and leaves out the pages' demos and blocks that have them" if pages else "")
                + "; ")
    # Styled here, not in lexigraph.css: a published page never carries it. Dark red on pale
    # red (10:1) reads the same in both colour schemes.
    return ('<div class="lx-problems" role="alert" style="padding:.6rem 1rem;background:#fdecea;'
            'color:#5f2120;border-bottom:.15rem solid #b3261e;font-size:.8rem;line-height:1.4;'
            'max-height:40vh;overflow:auto">'
            f'<p style="margin:0">{lead}the terminal lists them too. Save a fix and the page '
            "reloads.</p>\n"
            f'<pre style="margin:.4rem 0 0;white-space:pre-wrap">{attr(report)}</pre></div>')


def unsearched_parts(parts: dict[str, str]) -> dict[str, str]:
    """``parts`` with the ones under a search-excluded heading emptied: the copy of a page
    given to the search plugin, which would skip them anyway (same index, less to parse)."""
    hidden = {_PART.format(name) for _, name, searched in _SECTIONS if not searched}
    hidden.add(MAP_PART)
    return {marker: "" if marker in hidden else html for marker, html in parts.items()}


def fill_parts(html: str, parts: dict[str, str]) -> str:
    """Put each generated part in the place of its marker in the rendered page.

    The head comes before the entry's text, every other part after it, so the first marker
    (or the last one) is ours even if an entry quotes a marker in its text.

    Examples
    --------
    >>> fill_parts("<h1>T</h1><!-- lexigraph-part:head --><p>x</p>",
    ...            {"<!-- lexigraph-part:head -->": "<p>H</p>"})
    '<h1>T</h1><p>H</p><p>x</p>'
    """
    for marker, part in parts.items():
        at = html.find(marker) if marker == _PART.format("head") else html.rfind(marker)
        if at >= 0:
            html = html[:at] + part + html[at + len(marker):]
    return html


def strongest_backlinks(g: Glossary, slug: Slug, linked: list[Slug], n: int) -> list[Slug]:
    """The ``n`` terms of ``linked`` most closely linked with ``slug``, in ``linked``'s order.

    Closeness is the summed weight of the links between the two terms (either direction; a
    prerequisite or related link weighs more than a mention), then PageRank, then slug.
    """
    if len(linked) <= n:
        return linked

    def weight(other: Slug) -> float:
        edges = [*g.graph.get_edge_data(other, slug, default={}).values(),
                 *g.graph.get_edge_data(slug, other, default={}).values()]
        return sum(e.get("weight", 1.0) for e in edges)

    ranked = sorted(linked, key=lambda s: (-weight(s), -g.ranks.get(s, 0.0), s))[:n]
    keep = set(ranked)
    return [s for s in linked if s in keep]


def _term_url(use_directory_urls: bool) -> Callable[[Slug], str]:
    if use_directory_urls:
        return lambda s: f"../{s}/"
    return lambda s: f"{s}.html"


def _term_link(slug: Slug, text: str, url: Callable[[Slug], str]) -> str:
    """A link to another term's page, marked for previews as :func:`previews.link_marks` marks
    the links of the rendered text."""
    return f'<a href="{url(slug)}" data-lx-term>{attr(text)}</a>'


def _term_list(g: Glossary, slugs: Sequence[Slug], css: str, url: Callable[[Slug], str]) -> str:
    # (a row's difficulty is its preview's badge: see LISTED_PARTS)
    items = "".join(f'<li data-difficulty="{attr(g.terms[s].difficulty)}">'
                    f"{_term_link(s, g.terms[s].title, url)}: "
                    f"{attr(g.terms[s].summary)}</li>\n" for s in slugs)
    return f'<div class="{css}">\n<ul>\n{items}</ul>\n</div>'


def index_page(g: Glossary, use_directory_urls: bool = True) -> str:
    """The A-Z index: a letter bar, filters and every term grouped by letter.

    Filtering happens in the browser on ``data-*`` attributes; the state lives in the URL.
    """
    def url(slug: Slug) -> str:
        return f"{slug}/" if use_directory_urls else f"{slug}.html"

    groups: dict[str, list[Term]] = defaultdict(list)
    for term in g.sorted_terms():
        groups[letter_of(term.title)].append(term)
    letters = [*string.ascii_uppercase, OTHER]
    bar = []
    for letter in letters:
        anchor = "letter-other" if letter == OTHER else f"letter-{letter.lower()}"
        if groups.get(letter):
            bar.append(f'<a href="#{anchor}" data-letter="{letter}">{letter}</a>')
        elif letter != OTHER:
            bar.append(f'<span aria-disabled="true" class="lx-disabled">{letter}</span>')
    tax = g.taxonomy
    filters = [
        _select("domain", "Domain", [(k, c.title) for k, c in tax.domains.items()]),
        # (A taxonomy with no industries: no filter with nothing to choose.)
        *([_select("industry", "Industry", [(k, c.title) for k, c in tax.industries.items()])]
          if tax.industries else []),
        _select("difficulty", "Difficulty", [(d, d.capitalize()) for d in DIFFICULTIES]),
    ]
    out = [
        _front_matter({"title": "A–Z index", "search": {"exclude": True},
                       "description": f"All {len(g.terms)} terms of the glossary, A to Z."}),
        "# A–Z index\n\n",
        f'<nav class="lx-letterbar" aria-label="Jump to letter">{"".join(bar)}</nav>\n\n',
        '<form class="lx-filters" role="search" aria-label="Filter terms">'
        + "".join(filters)
        + '<button type="reset" class="md-button">Clear filters</button>'
        + f'<output class="lx-count" aria-live="polite">{terms_count(len(g.terms))}</output>'
        '</form>\n\n',
        _PENDING_FILTERS,
    ]
    for letter in letters:
        terms = groups.get(letter)
        if not terms:
            continue
        anchor = "letter-other" if letter == OTHER else f"letter-{letter.lower()}"
        out.append(f'<section class="lx-letter" id="{anchor}" data-letter="{letter}">'
                   f'<h2>{letter}</h2><ul class="lx-terms">')
        for t in terms:
            out.append(
                f'<li data-slug="{attr(t.slug)}" data-difficulty="{attr(t.difficulty)}" '
                f'data-domains="{attr(" ".join(t.domains))}" '
                f'data-industries="{attr(" ".join(t.industries))}">'
                f'<a href="{url(t.slug)}" data-lx-term>{attr(t.title)}</a> '
                f'{badge(t.difficulty)}'
                f'<p>{attr(t.summary)}</p></li>')
        out.append("</ul></section>\n")
    return "".join(out)


#: Opened with filters in its address, the index showed every term until index.js, loaded
#: after the page, applied them (a second on a slow connection): the list waits for it,
#: hidden, for three seconds at most (if the script never comes, the list shows unfiltered).
_PENDING_FILTERS = (
    "<script>if (/[?&](domain|industry|difficulty)=./.test(location.search)) {"
    "document.documentElement.classList.add('lx-index-pending');"
    "setTimeout(function () { document.documentElement.classList.remove('lx-index-pending'); },"
    " 3000); }</script>\n\n")


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{attr(k)}">{attr(v)}</option>' for k, v in options)
    return (f'<label>{label} <select name="{name}" data-filter="{name}">'
            f'<option value="">All</option>{opts}</select></label>')
