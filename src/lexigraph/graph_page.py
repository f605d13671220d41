"""The concept graph page (``graph/``) and the front-end libraries it needs.

Pure functions of a :class:`~lexigraph.pipeline.Glossary` and its
:class:`~lexigraph.layout.GraphLayout`; no MkDocs import. ``graph.js`` draws what is computed
here.

Why the data travel the way they do (term pages must stay small, issue 7):

- the global graph is ``graph.json``, fetched by the graph page only;
- a term page embeds its own two-hop neighbourhood (:mod:`lexigraph.local_graph`: at most
  ``LOCAL_LIMIT`` terms, positions precomputed, a few KB of JSON in a ``data-`` attribute)
  instead of fetching ``graph.json``, which grows with the glossary (several MB at 5,000
  terms) and would be parsed on every term page;
- the local graph is drawn as SVG by ``local-graph.js`` (a few dozen nodes need no WebGL
  library, nor the explorer's ``graph.js``), so term pages load no third-party code and every
  node is a real, focusable link;
- ``graph/`` preloads ``graph.json`` and lists ``graph.js`` itself (parser-blocking: it is
  small, and so it starts the explorer before Material's bundle runs) and the libraries (async:
  the first frame is painted without them). ``graph.js`` documents the start-up order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .browse import GRAPH_PAGE
from .export import domain_colours, graph_meta, node_attributes
from .frontend_fetch import LIBRARIES, FrontEndError, Report, ensure
from .graph import EDGE_KINDS
from .layout import GraphLayout
from .model import DIFFICULTIES, term_url
from .pipeline import Glossary
from .site_assets import digest_of
from .text import attr, terms_count
from .user_cache import sha256_file

GRAPH_JSON = "graph.json"
SITE_SCHEMA = "lexigraph/site-graph"
SITE_VERSION = 1
VENDOR_DIR = "assets/lexigraph/vendor"

#: npm package -> (files copied into VENDOR_DIR). Browser-ready UMD bundles: no bundler needed.
#: Versions are pinned in package.json / package-lock.json and, for an installed Lexigraph, in
#: frontend.lock.json (which a test keeps in agreement); nothing third-party is committed.
VENDOR: dict[str, tuple[str, ...]] = {name: tuple(library.files)
                                      for name, library in LIBRARIES.items()}

#: Raised when the libraries can be found neither in node_modules nor in the user cache, nor
#: downloaded (the name the plugin catches).
MissingFrontEnd = FrontEndError


@dataclass(frozen=True)
class VendorFile:
    uri: str
    source: Path


#: The Lexigraph checkout this package runs from, if it is one (``npm ci`` fills its
#: node_modules); None for an installed Lexigraph.
_TOP = Path(__file__).resolve().parents[2]  # src/lexigraph/graph_page.py in a checkout
CHECKOUT = _TOP if (_TOP / "package.json").is_file() else None


def node_modules_problems(modules: Path) -> list[str]:
    """What keeps ``modules``' copies of our libraries from being the pinned ones (an empty
    list: each file the site copies has the sha256 of ``frontend.lock.json``).

    Every file is hashed: a truncated bundle or another version has a package.json too. The
    six files weigh 1.6 MB, about 2 ms a build.
    """
    found = []
    for package, library in sorted(LIBRARIES.items()):
        folder = modules / package
        try:
            version = json.loads((folder / "package.json").read_text(encoding="utf-8")).get(
                "version")
        except (OSError, ValueError, AttributeError):
            version = None
        if version != library.version:
            found.append(f"{folder}: version {version}, {library.version} pinned"
                         if version else f"{folder}: no package.json with a version")
            continue
        for name, pinned in sorted(library.files.items()):
            path = folder / name
            try:
                if sha256_file(path) != pinned:
                    found.append(f"{path}: not the pinned file (its sha256 differs)")
            except OSError as exc:
                found.append(f"{path}: {'missing' if not path.exists() else exc.strerror}")
    return found


def find_node_modules(start: Path) -> tuple[Path | None, dict[Path, list[str]]]:
    """The nearest ``node_modules`` holding the pinned files of our libraries, and what is wrong
    with the ones of the project and of the Lexigraph checkout that were passed over.

    Looked for in ``start`` and its parent folders (as Node itself looks), then in the checkout
    this package runs from (so projects built outside the repository, like the tests' and
    benchmarks', need no copy) and its parents. Only a copy whose every file verifies is
    taken, so a ``~/node_modules`` holding other versions, or a damaged install, never reaches
    the site; a folder holding none of our libraries is no one's mistake and is not reported.
    """
    ours = {start / "node_modules"}
    if CHECKOUT is not None:
        ours.add(CHECKOUT / "node_modules")
    seen: set[Path] = set()
    passed_over: dict[Path, list[str]] = {}
    for folder in (start, *start.parents, *Path(__file__).resolve().parents):
        candidate = folder / "node_modules"
        if candidate in seen:
            continue
        seen.add(candidate)
        if not any((candidate / package).is_dir() for package in VENDOR):
            continue
        bad = node_modules_problems(candidate)
        if not bad:
            return candidate, passed_over
        if candidate in ours:
            passed_over[candidate] = bad
    return None, passed_over


def vendor_files(project: Path, report: Report = lambda _: None,
                 warn: Report = lambda _: None) -> list[VendorFile]:
    """The library files to copy into the site: from a ``node_modules`` whose files are the
    pinned ones (a checkout of Lexigraph, after ``npm ci``) if there is one, else from the user
    cache, which is filled from the npm registry when empty (an installed Lexigraph; see
    :mod:`lexigraph.frontend_fetch`) and verified on every build. Raise
    :class:`MissingFrontEnd` if neither can be had.

    ``warn`` receives one message when the project's or the checkout's ``node_modules`` was
    passed over as damaged or of other versions (``report``, the fetch's progress).
    """
    modules, passed_over = find_node_modules(project)
    if passed_over:
        instead = (f"the verified copy in {modules}" if modules is not None else
                   "the verified copy in the user cache (fetched once from the npm registry "
                   "if it is not there yet)")
        lines = [line for problems in passed_over.values() for line in problems]
        where = " and ".join(str(m.parent) for m in passed_over)
        warn(f"concept graph: the front-end libraries in node_modules are not the pinned ones, "
             f"so the site takes {instead}:\n    " + "\n    ".join(lines) +
             f"\n    fix: run `npm ci` in {where} to reinstall them as package-lock.json pins "
             "them")
    folders = ({package: modules / package for package in VENDOR} if modules is not None
               else ensure(report=report))
    found: list[VendorFile] = []
    for package, names in VENDOR.items():
        for name in names:  # every one verified, by node_modules_problems() or by ensure()
            target = name.rsplit("/", 1)[-1]
            if target.startswith("LICENSE"):
                target = f"LICENSE-{package}.txt"
            found.append(VendorFile(f"{VENDOR_DIR}/{target}", folders[package] / name))
    return found


def site_graph(g: Glossary, view: GraphLayout, terms_dir: str = "terms",
               use_directory_urls: bool = True) -> dict[str, Any]:
    """The site's ``graph.json``: the export's data, with edges as index triples.

    Edges are most of a glossary graph (16 per term in ours); as ``[0, 7, 2]`` instead of
    ``{"source": "activation-function", "target": ..., "key": ...}`` the file is about a
    third of the node-link export's size. The format is documented in :mod:`lexigraph.export`.
    """
    colours = domain_colours(g)
    attrs = node_attributes(g, view, colours, "json", "", terms_dir, use_directory_urls)
    index = {slug: i for i, slug in enumerate(attrs)}  # sorted by slug
    kinds = {kind: i for i, kind in enumerate(EDGE_KINDS)}
    # Other names too, where a term has them: the page's "Find a term" knows "BN".
    nodes = [{"id": slug, **{k: v for k, v in data.items() if k != "url"},
              **({"aliases": list(g.terms[slug].aliases)} if g.terms[slug].aliases else {})}
             for slug, data in attrs.items()]
    edges = sorted([index[u], index[v], kinds[kind]] for u, v, kind in g.graph.edges(keys=True))
    return {"schema": SITE_SCHEMA, "version": SITE_VERSION,
            "url": term_url("", "{}", terms_dir, use_directory_urls),
            **graph_meta(g, view, colours), "kinds": list(EDGE_KINDS), "nodes": nodes,
            "edges": edges}


def site_graph_json(g: Glossary, view: GraphLayout, terms_dir: str = "terms",
                    use_directory_urls: bool = True) -> bytes:
    doc = site_graph(g, view, terms_dir, use_directory_urls)
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def versioned_data(html: str, data: bytes) -> str:
    """The graph page's HTML with its addresses of graph.json ending in a digest of ``data``
    (the file's content): a browser that kept the graph of an earlier build fetches the new
    one. (Its request must stay plain, as its preload makes it: see graph.js.)

    >>> versioned_data('<div data-lx-graph="../graph.json">', b"{}")
    '<div data-lx-graph="../graph.json?v=44136fa355">'
    """
    return html.replace(f'="../{GRAPH_JSON}"', f'="../{GRAPH_JSON}?v={digest_of(data)}"')


def graph_page(g: Glossary, version: str = "") -> str:
    """The Markdown of ``graph/index.md``: controls, the drawing area, legend, text version.

    ``version``: what the addresses of the page's scripts end with (see
    :func:`lexigraph.site_assets.version`; graph.js adds it to what it loads itself)."""
    v = f"?v={version}" if version else ""
    tax = g.taxonomy
    domains = "".join(f'<option value="{attr(k)}">{attr(c.title)}</option>'
                      for k, c in tax.domains.items())
    levels = "".join(f'<option value="{d}">{d.capitalize()}</option>' for d in DIFFICULTIES)
    kinds = "".join(
        f'<label class="lx-kind lx-kind--{k}"><input type="checkbox" name="kind" value="{k}" '
        f'checked> {label}</label>'
        for k, label in (("prerequisite", "Prerequisites"), ("related", "Related"),
                         ("mentions", "Mentions")))
    n, count = len(g.terms), terms_count(len(g.terms))
    return f"""---
title: Concept graph
description: The {count} of the glossary, and how they depend on and refer to one another.
hide:
  - toc
search:
  exclude: true
---

# Concept graph

<div class="lx-graph" data-lx-graph="../{GRAPH_JSON}" data-lx-vendor="../{VENDOR_DIR}/" \
data-lx-terms="{n}">
<link rel="preload" href="../{GRAPH_JSON}" as="fetch" crossorigin>
<form class="lx-graph-tools" role="search" aria-label="Explore the concept graph">
<label>Find a term <input type="search" name="find" list="lx-graph-titles" autocomplete="off" \
placeholder="Type a term, press Enter"></label><datalist id="lx-graph-titles"></datalist>
<label>Domain <select name="domain"><option value="">All</option>{domains}</select></label>
<label>Difficulty <select name="difficulty"><option value="">All</option>{levels}</select></label>
<output class="lx-count" name="count" aria-live="polite">{count}</output>
<label>Colour <select name="colour"><option value="domain">by domain</option>\
<option value="community">by cluster</option></select></label>
<fieldset class="lx-graph-kinds"><legend>Links</legend>{kinds}</fieldset>
<div class="lx-graph-modes" role="group" aria-label="View">\
<button type="button" class="md-button" data-mode="2d" aria-pressed="true">2D</button>\
<button type="button" class="md-button" data-mode="3d" aria-pressed="false">3D</button></div>
</form>
<div class="lx-graph-stage" tabindex="0" role="application" aria-roledescription="graph" \
aria-label="Concept graph. Arrow keys move to the nearest term in that direction, Enter opens it, \
plus and minus zoom, Escape clears." aria-describedby="lx-graph-info">\
<p class="lx-graph-status">Loading the graph…</p></div>
<div class="lx-graph-side"><div id="lx-graph-info" class="lx-graph-info" aria-live="polite">\
Point at a term, or select one with the arrow keys, to see its summary.</div>
<ul class="lx-graph-legend" aria-label="Legend"></ul></div>
<details class="lx-graph-text"><summary>Text version: every term and the terms it links to\
</summary><div class="lx-graph-list"></div></details>
<noscript><p>The interactive graph needs JavaScript. The A–Z index lists every term, and each \
term page lists its related terms and learning path.</p></noscript>
<script src="../{VENDOR_DIR}/graphology.umd.min.js{v}" async></script>\
<script src="../{VENDOR_DIR}/sigma.min.js{v}" async></script>\
<script src="../assets/lexigraph/graph.js{v}"></script>
</div>
"""
