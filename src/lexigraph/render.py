"""Stage 4: the generated pages (as Markdown for MkDocs to render) and the index.

Pure functions of a :class:`~lexigraph.pipeline.Glossary`; they know page paths but nothing
about MkDocs.
"""

from __future__ import annotations

import string
from collections import defaultdict

import yaml

from .graph import backlinks, learning_path
from .model import DIFFICULTIES, Slug, Term
from .pipeline import Glossary
from .text import attr, md_text

OTHER = "#"  # the index section of titles that do not start with A-Z


def term_path(slug: Slug, terms_dir: str = "terms") -> str:
    """The generated page's path inside ``docs_dir``."""
    return f"{terms_dir}/{slug}.md"


def letter_of(title: str) -> str:
    first = title.lstrip()[:1].upper()
    return first if first in string.ascii_uppercase else OTHER


def badge(difficulty: str) -> str:
    return (f'<span class="lx-badge lx-badge--{attr(difficulty)}" title="Difficulty">'
            f"{attr(difficulty.capitalize())}</span>")


def _front_matter(meta: dict[str, object]) -> str:
    return "---\n" + yaml.safe_dump(meta, sort_keys=True, allow_unicode=True) + "---\n\n"


#: "Copy link" and "Cite this term"; lexigraph.js fills in the citation from the page itself.
TOOLS = ('<div class="lx-tools" role="group" aria-label="Share this term">'
         '<button type="button" class="md-button lx-copy-link">Copy link</button> '
         '<button type="button" class="md-button lx-cite" aria-expanded="false">Cite this term'
         '</button><output class="lx-tool-status" aria-live="polite"></output>'
         '<blockquote class="lx-citation" hidden></blockquote></div>\n\n')


def term_page(g: Glossary, slug: Slug, demo_html: str = "") -> str:
    """The Markdown of one term's page."""
    term = g.terms[slug]
    tax = g.taxonomy
    # MkDocs' templates print these unescaped (into <title> and an attribute).
    meta: dict[str, object] = {"title": attr(term.title), "description": attr(term.summary),
                               "lexigraph_term": slug, "search": {"boost": 3}}
    chips = " ".join(f"[{md_text(tax.domains[d].title)}](index.md?domain={d}){{ .lx-chip }}"
                     for d in term.domains)
    parts = [
        _front_matter(meta),
        f"# {md_text(term.title)}\n\n",
        f'<div class="lx-term-head" markdown>{badge(term.difficulty)} {chips}</div>\n\n',
        f'<p class="lx-summary">{attr(term.summary)}</p>\n\n',
        TOOLS,
    ]
    if term.aliases:
        names = ", ".join(f"<strong>{attr(a)}</strong>" for a in term.aliases)
        parts.append(f'<p class="lx-aliases">Also known as {names}</p>\n\n')
    if demo_html:
        parts.append(demo_html + "\n\n")
    parts.append(g.bodies.get(slug, term.body).strip() + "\n\n")
    parts.append(_learning_path(g, slug))
    if term.keywords:
        parts.append("## Keywords\n\n")
        parts.append('<ul class="lx-keywords">' + "".join(
            f"<li>{attr(k)}</li>" for k in term.keywords) + "</ul>\n\n")
    if term.industries:
        parts.append("## Where it matters\n\n")
        parts.append(", ".join(md_text(tax.industries[i].title) for i in term.industries) + "\n\n")
    parts.append(_term_list(g, "Related terms", term.related, "lx-related"))
    parts.append(_term_list(g, "Referenced by", backlinks(g.graph, slug), "lx-backlinks"))
    if term.references:
        parts.append("## References\n\n")
        for ref in term.references:
            authors = ", ".join(ref.authors)
            line = f"1. {md_text(authors)} ({ref.year}). *{md_text(ref.title)}*."
            if ref.link:
                line += f" <{ref.link}>"
            parts.append(line + "\n")
        parts.append("\n")
    return "".join(parts)


def _term_list(g: Glossary, heading: str, slugs: tuple[Slug, ...] | list[Slug], css: str) -> str:
    if not slugs:
        return ""
    items = "".join(f"- [{md_text(g.terms[s].title)}]({s}.md): {md_text(g.terms[s].summary)}\n"
                    for s in slugs)
    return f'## {heading}\n\n<div class="{css}" markdown>\n\n{items}\n</div>\n\n'


def _learning_path(g: Glossary, slug: Slug) -> str:
    path = learning_path(g.graph, slug, g.dag)
    if len(path) < 2:
        return ""
    steps = "".join(f"1. [{md_text(g.terms[s].title)}]({s}.md)\n" for s in path[:-1])
    steps += f"1. **{md_text(g.terms[slug].title)}**\n"
    return ("## Learning path\n\nRead these first, fundamentals first:\n\n"
            f'<div class="lx-path" markdown>\n\n{steps}\n</div>\n\n')


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
        _select("industry", "Industry", [(k, c.title) for k, c in tax.industries.items()]),
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
        + f'<output class="lx-count" aria-live="polite">{len(g.terms)} terms</output></form>\n\n',
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
                f'<a href="{url(t.slug)}">{attr(t.title)}</a> {badge(t.difficulty)}'
                f'<p>{attr(t.summary)}</p></li>')
        out.append("</ul></section>\n")
    return "".join(out)


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{attr(k)}">{attr(v)}</option>' for k, v in options)
    return (f'<label>{label} <select name="{name}" data-filter="{name}">'
            f'<option value="">All</option>{opts}</select></label>')
