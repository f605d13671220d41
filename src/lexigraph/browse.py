"""Browsing pages: one per domain and per difficulty, and the home page's lists.

Generated as Markdown (links between pages are relative ``.md`` links MkDocs resolves and
checks). Each listing is proportional to its own terms only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from .errors import Problem, closest
from .load import read_text
from .markup import protected_spans
from .model import DIFFICULTIES, Slug, Term
from .pipeline import Glossary
from . import render
from .render import badge
from .text import attr, md_text

DOMAINS_DIR = "domains"
LEVELS_DIR = "difficulty"
#: The concept graph's page (see graph_page).
GRAPH_PAGE = "graph/index.md"
#: The class of a generated list of terms (see :func:`term_list`).
LISTING = "lx-listing"


def _front(title: str, description: str) -> str:
    meta = {"title": attr(title), "description": attr(description)}
    return "---\n" + yaml.safe_dump(meta, sort_keys=True, allow_unicode=True) + "---\n\n"


def term_list(terms: Iterable[Term], prefix: str, terms_dir: str = "terms") -> str:
    """A Markdown list of terms with badge and summary; links relative to ``prefix``.

    Out of the search index: each summary is indexed on its term's page, and a listing would
    index it again once per domain, difficulty and home page that lists the term.
    """
    lines = [f"- [{md_text(t.title)}]({prefix}{terms_dir}/{t.slug}.md) {badge(t.difficulty)}  \n"
             f"  {md_text(t.summary)}\n" for t in terms]
    # (data-lx-summaries: each link opens at the first tap, as no preview is needed)
    return (f'<div class="{LISTING}" markdown data-search-exclude data-lx-summaries>\n\n'
            + "".join(lines) + "\n</div>\n")


def generated_pages(domains: Iterable[str], slugs: Iterable[str], terms_dir: str = "terms",
                    home: bool = True) -> set[str]:
    """The paths in ``docs_dir`` of the pages the plugin makes: the home page (``home``: the
    site has none of its own), each term's page, the A–Z index, the domain and difficulty
    pages and the graph page (``lexigraph check`` resolves entries' links with it)."""
    return {*(["index.md"] if home else []), GRAPH_PAGE, f"{terms_dir}/index.md",
            f"{DOMAINS_DIR}/index.md", f"{LEVELS_DIR}/index.md",
            *(render.term_path(Slug(s), terms_dir) for s in slugs),
            *(f"{DOMAINS_DIR}/{key}.md" for key in domains),
            *(f"{LEVELS_DIR}/{level}.md" for level in DIFFICULTIES)}


def domain_pages(g: Glossary, terms_dir: str = "terms") -> dict[str, str]:
    """``{docs path: markdown}`` for the domain overview and one page per domain."""
    by_domain: dict[str, list[Term]] = {key: [] for key in g.taxonomy.domains}
    for term in g.sorted_terms():
        for key in term.domains:
            by_domain[key].append(term)
    pages: dict[str, str] = {}
    overview = [_front("Domains", "The glossary's terms by domain."), "# Domains\n\n"]
    for key, category in g.taxonomy.domains.items():
        terms = by_domain[key]
        overview.append(f"- [{md_text(category.title)}]({key}.md) ({len(terms)})"
                        f"{': ' + md_text(category.description) if category.description else ''}\n")
        text = [_front(category.title, category.description or f"Terms in {category.title}."),
                f"# {md_text(category.title)}\n\n"]
        if category.description:
            text.append(f"{md_text(category.description)}\n\n")
        text.append(f"[Show them in the A–Z index](../{terms_dir}/index.md?domain={key})\n\n")
        text.append(term_list(terms, "../", terms_dir) if terms else "No terms yet.\n")
        pages[f"{DOMAINS_DIR}/{key}.md"] = "".join(text)
    pages[f"{DOMAINS_DIR}/index.md"] = "".join(overview)
    return pages


LEVEL_TEXT = {
    "beginner": "No background beyond school mathematics: start here.",
    "intermediate": "Assumes the beginner terms: the mechanics of training.",
    "advanced": "Builds on several other terms: architectures and fine points.",
}


def difficulty_pages(g: Glossary, terms_dir: str = "terms") -> dict[str, str]:
    pages: dict[str, str] = {}
    overview = [_front("Difficulty", "The glossary's terms by difficulty."), "# Difficulty\n\n"]
    for level in DIFFICULTIES:
        terms = [t for t in g.sorted_terms() if t.difficulty == level]
        overview.append(f"- [{level.capitalize()}]({level}.md) ({len(terms)}): "
                        f"{LEVEL_TEXT[level]}\n")
        pages[f"{LEVELS_DIR}/{level}.md"] = (
            _front(level.capitalize(), f"{level.capitalize()} terms of the glossary.")
            + f"# {level.capitalize()}\n\n{LEVEL_TEXT[level]}\n\n"
            + (term_list(terms, "../", terms_dir) if terms else "No terms yet.\n"))
    pages[f"{LEVELS_DIR}/index.md"] = "".join(overview)
    return pages


def recently_changed(g: Glossary, dates: dict[Slug, str], n: int = 6) -> list[Term]:
    """The ``n`` most recently changed terms (newest first, ties by title)."""
    ranked = sorted(g.terms.values(), key=lambda t: (t.title.casefold()))
    ranked.sort(key=lambda t: dates.get(t.slug, ""), reverse=True)
    return ranked[:n]


def home_browse(g: Glossary, terms_dir: str = "terms") -> str:
    """Home page block: browse by domain and by difficulty."""
    domains = "".join(
        f"- [{md_text(c.title)}]({DOMAINS_DIR}/{k}.md)\n" for k, c in g.taxonomy.domains.items())
    levels = "".join(f"- [{lvl.capitalize()}]({LEVELS_DIR}/{lvl}.md): {LEVEL_TEXT[lvl]}\n"
                     for lvl in DIFFICULTIES)
    return ('<div class="grid cards lx-browse" markdown>\n\n'
            f"-   **By domain**\n\n    ---\n\n{_indent(domains)}\n"
            f"-   **By difficulty**\n\n    ---\n\n{_indent(levels)}\n</div>\n")


def home_recent(g: Glossary, dates: dict[Slug, str], terms_dir: str = "terms") -> str:
    items = "".join(
        f"- [{md_text(t.title)}]({terms_dir}/{t.slug}.md)"
        f"{' · ' + dates[t.slug][:10] if dates.get(t.slug) else ''}\n"
        for t in recently_changed(g, dates))
    # Out of the search index, as the other listings.
    return f'<div class="{LISTING}" markdown data-search-exclude>\n\n{items}\n</div>\n'


def home_core(g: Glossary, terms_dir: str = "terms", n: int = 8) -> str:
    """The most central terms by PageRank, with their summaries."""
    from .graph import core_concepts

    return term_list([g.terms[s] for s in core_concepts(g.graph, g.ranks, n)], "", terms_dir)


#: The names of the blocks :func:`home_blocks` makes.
BLOCKS = ("browse", "core-concepts", "recent")


def home_blocks(g: Glossary, dates: dict[Slug, str], terms_dir: str = "terms") -> dict[str, str]:
    """Markdown for each ``<!-- lexigraph:NAME -->`` marker a hand-written page may hold."""
    return {"browse": home_browse(g, terms_dir), "recent": home_recent(g, dates, terms_dir),
            "core-concepts": home_core(g, terms_dir)}


_MARKER = re.compile(r"<!--\s*lexigraph:([a-z-]+)\s*-->")


def block_problems(pages: Iterable[Path]) -> list[Problem]:
    """A marker of a block there is none of, in the site's own ``pages``, at its line in the
    file (front matter included): `check` and the build report it before MkDocs starts, as
    they do entries' problems. (Found as the page was rendered, it was a warning at the line
    of the text after the front matter, with no folder, and a strict build failed after it had
    rewritten the site.)

    >>> import tempfile
    >>> page = Path(tempfile.mkdtemp()) / "index.md"
    >>> _ = page.write_text("---\\ntitle: Home\\n---\\n\\n<!-- lexigraph:recnet -->\\n")
    >>> [(p.line, p.message, p.hint) for p in block_problems([page])]  # doctest: +NORMALIZE_WHITESPACE
    [(5, 'unknown block <!-- lexigraph:recnet -->',
      'write <!-- lexigraph:recent -->; the blocks are browse, core-concepts, recent')]
    """
    found = []
    for path in pages:
        text, _ = read_text(path)
        if not text or "lexigraph:" not in text:
            continue
        for marker in _markers(text):
            name = marker.group(1)
            if name in BLOCKS:
                continue
            near = closest(name, BLOCKS, cutoff=0.6)
            known = "the blocks are " + ", ".join(BLOCKS)
            found.append(Problem(path, text.count("\n", 0, marker.start()) + 1,
                                 f"unknown block <!-- lexigraph:{name} -->",
                                 f"write <!-- lexigraph:{near} -->; {known}" if near else known))
    return found


def fill_blocks(markdown: str, blocks: dict[str, str]) -> tuple[str, list[tuple[int, str]]]:
    r"""Replace each known marker; unknown markers stay (an HTML comment shows nothing) and are
    returned with their lines, for the caller to report.

    Links in blocks are relative to the docs root, so markers belong in top-level pages.

    A marker in code is text a page shows (one that documents the blocks): left as it is.

    Examples
    --------
    >>> fill_blocks("a <!-- lexigraph:x -->\n<!-- lexigraph:y --> b `<!-- lexigraph:x -->`",
    ...             {"x": "X"})
    ('a X\n<!-- lexigraph:y --> b `<!-- lexigraph:x -->`', [(2, 'y')])
    """
    markers = _markers(markdown)
    unknown = [(markdown.count("\n", 0, m.start()) + 1, m.group(1))
               for m in markers if m.group(1) not in blocks]
    out, at = [], 0
    for m in markers:
        out += [markdown[at:m.start()], blocks.get(m.group(1), m.group(0))]
        at = m.end()
    return "".join(out) + markdown[at:], unknown


def _markers(text: str) -> list[re.Match[str]]:
    """The block markers of ``text`` outside code (fenced, indented or inline)."""
    if "lexigraph:" not in text:
        return []
    code = [(start, end) for start, end, kind in protected_spans(text)
            if kind in ("fence", "code")]
    return [m for m in _MARKER.finditer(text)
            if not any(start <= m.start() < end for start, end in code)]


def home_page(site_name: str) -> str:
    """The home page of a site whose docs have none: its name and every block."""
    return (f"# {site_name}\n\n## Core concepts\n\n<!-- lexigraph:core-concepts -->\n\n"
            "## Browse\n\n<!-- lexigraph:browse -->\n\n"
            "## Recently changed\n\n<!-- lexigraph:recent -->\n")


def _indent(text: str) -> str:
    return "".join(f"    {line}\n" if line else "\n" for line in text.splitlines())
