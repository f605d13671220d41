"""Machine-readable exports: ``glossary.json``/CSV of the terms, and the graph for Gephi et al.

Both JSON documents carry ``schema`` and ``version`` keys; the README documents them. Output is
deterministic (sorted keys and slugs), so two builds of the same input are byte-identical.

The graph document (``graph.json`` in the built site, ``lexigraph export graph --format json``)
---------------------------------------------------------------------------------------------
``schema: "lexigraph/graph"``, ``version: 1``. It is networkx's node-link form, so
``nx.node_link_graph(doc, edges="edges")`` reads it back into a ``MultiDiGraph``. A reader must
ignore keys it does not know; a change that removes or re-types a key bumps ``version``.

- ``directed: true``, ``multigraph: true``.
- ``graph``: ``domains`` [{key, title, color}] (taxonomy order), ``difficulties`` [str],
  ``edge_kinds`` {kind: {directed, weight}}, ``communities`` [{id, size, color, lead (slug),
  label (title of the lead)}], ``core`` [slug, highest PageRank first], ``layout`` {key,
  version}.
- ``nodes``: one per term, sorted by ``id`` (the slug): ``title``, ``summary``, ``difficulty``,
  ``domains`` [key], ``url`` (relative to the site root in ``graph.json``), ``pagerank``,
  ``degree`` (number of linked terms), ``community`` (0 = largest), ``size`` (display size from
  PageRank), ``color`` (first domain's colour), ``x``/``y`` (2D layout) and ``x3``/``y3``/``z3``
  (3D layout), all coordinates in [-1, 1].
- ``edges``: ``source``, ``target``, ``key`` (= ``kind``), ``kind`` (``prerequisite``: source
  is needed to understand target; ``related``: undirected; ``mentions``: source's text mentions
  target) and ``weight``.

The site's ``graph.json`` (``schema: "lexigraph/site-graph"``, ``version: 1``) holds the same
data for the browser, made compact because it grows with the glossary: the graph-level keys
above at the top level, ``url`` (a term's URL relative to the site root, ``{}`` standing for
its slug), ``kinds`` [prerequisite, related, mentions], ``nodes`` (as above, without ``url``,
with ``aliases`` [name] where a term has other names) and ``edges`` as ``[source index,
target index, kind index]`` triples into ``nodes`` and ``kinds``. See
:func:`lexigraph.graph_page.site_graph`.

GraphML and GEXF carry the same node and edge attributes with lists joined by ``";"`` and a
``label`` (the title); GEXF adds ``viz`` position, size and colour for Gephi.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import networkx as nx

from .graph import EDGE_KINDS, EDGE_WEIGHTS, core_concepts, degrees
from .layout import LAYOUT_VERSION, GraphLayout, analyse
from .model import DIFFICULTIES, Slug, term_url
from .pipeline import Glossary

TERMS_SCHEMA = "lexigraph/glossary"
GRAPH_SCHEMA = "lexigraph/graph"
SCHEMA_VERSION = 1
GRAPH_VERSION = 1
#: Tableau 10: distinct on light and dark backgrounds, and kind to colour-blind readers.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
           "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")
OTHER_COLOUR = "#8c8c8c"


def terms_document(g: Glossary, base_url: str = "", terms_dir: str = "terms",
                   use_directory_urls: bool = True) -> dict[str, Any]:
    terms = []
    for term in sorted(g.terms.values(), key=lambda t: t.slug):
        terms.append({
            "slug": term.slug, "title": term.title, "summary": term.summary,
            "difficulty": term.difficulty, "domains": list(term.domains),
            "industries": list(term.industries), "keywords": list(term.keywords),
            "aliases": list(term.aliases), "related": list(term.related),
            "prerequisites": list(term.prerequisites), "demo": term.demo,
            "url": term_url(base_url, term.slug, terms_dir, use_directory_urls),
            "references": [{"title": r.title, "authors": list(r.authors), "year": r.year,
                            "url": r.link} for r in term.references],
        })
    return {"schema": TERMS_SCHEMA, "version": SCHEMA_VERSION, "count": len(terms),
            "domains": {k: c.title for k, c in g.taxonomy.domains.items()},
            "industries": {k: c.title for k, c in g.taxonomy.industries.items()},
            "terms": terms}


CSV_COLUMNS = ("slug", "title", "summary", "difficulty", "domains", "industries", "keywords",
               "aliases", "related", "prerequisites", "url", "demo", "references")  # (new last)


def terms_csv(g: Glossary, base_url: str = "", terms_dir: str = "terms",
              use_directory_urls: bool = True) -> str:
    """One row per term, with the JSON document's fields; lists are joined with ``"; "``, a
    reference written as ``Authors (year). Title. link``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in terms_document(g, base_url, terms_dir, use_directory_urls)["terms"]:
        row["references"] = [f"{', '.join(r['authors'])} ({r['year']}). {r['title']}. {r['url']}"
                             for r in row["references"]]
        writer.writerow(["; ".join(v) if isinstance(v, list) else "" if v is None else v
                         for v in (row[c] for c in CSV_COLUMNS)])
    return out.getvalue()


def domain_colours(g: Glossary) -> dict[str, str]:
    """A colour per domain, in taxonomy order (the palette repeats after 10 domains)."""
    return {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(g.taxonomy.domains)}


def community_colour(number: int) -> str:
    """The 10 largest communities get palette colours; smaller ones share a grey."""
    return PALETTE[number] if number < len(PALETTE) else OTHER_COLOUR


def node_size(rank: float, top: float) -> float:
    """Display size from PageRank: area grows with rank, so hubs stand out but do not swamp."""
    return round(3.0 + 15.0 * math.sqrt(rank / top), 2) if top > 0 else 3.0


def export_graph(g: Glossary, view: GraphLayout, style: str = "json", base_url: str = "",
                 terms_dir: str = "terms", use_directory_urls: bool = True) -> nx.MultiDiGraph:
    """The concept graph with every attribute the graph views and graph tools read.

    ``style`` is ``"json"`` (lists kept, graph-level metadata), ``"graphml"`` or ``"gexf"``
    (plain values only, lists joined with ``";"``; GEXF also gets ``viz`` position, size and
    colour so Gephi opens it laid out).
    """
    colours = domain_colours(g)
    graph = nx.MultiDiGraph()
    for slug, attrs in node_attributes(g, view, colours, style, base_url, terms_dir,
                                       use_directory_urls).items():
        graph.add_node(slug, **attrs)
    for u, v, key, data in sorted(g.graph.edges(keys=True, data=True)):
        graph.add_edge(u, v, key=key, kind=data["kind"], weight=float(data["weight"]))
    graph.graph.update({"schema": GRAPH_SCHEMA, "version": GRAPH_VERSION})
    if style == "json":
        graph.graph.update(graph_meta(g, view, colours))
    return graph


def node_attributes(g: Glossary, view: GraphLayout, colours: dict[str, str], style: str = "json",
                    base_url: str = "", terms_dir: str = "terms",
                    use_directory_urls: bool = True) -> dict[Slug, dict[str, Any]]:
    """Each term's attributes in the exported graph, by slug in order (see :func:`export_graph`)."""
    top = max(g.ranks.values(), default=0.0)
    degree = degrees(g.graph)
    flat = style != "json"
    nodes: dict[Slug, dict[str, Any]] = {}
    for slug, data in sorted(g.graph.nodes(data=True)):
        rank = float(g.ranks.get(slug, 0.0))
        x, y = view.pos2d[slug]
        x3, y3, z3 = view.pos3d[slug]
        colour = colours[data["domains"][0]] if data["domains"] else OTHER_COLOUR
        attrs: dict[str, Any] = {
            "title": data["title"], "summary": data["summary"],
            "difficulty": data["difficulty"],
            "domains": ";".join(data["domains"]) if flat else list(data["domains"]),
            "url": term_url(base_url, slug, terms_dir, use_directory_urls),
            "pagerank": round(rank, 8), "degree": degree[slug],
            "community": view.communities[slug], "size": node_size(rank, top), "color": colour,
            "x": x, "y": y, "x3": x3, "y3": y3, "z3": z3,
        }
        if flat:
            attrs["label"] = data["title"]
        if style == "gexf":
            r, gr, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
            attrs["viz"] = {"position": {"x": round(x * 1000, 2), "y": round(y * 1000, 2),
                                         "z": 0.0},
                            "size": attrs["size"], "color": {"r": r, "g": gr, "b": b, "a": 1.0}}
        nodes[slug] = attrs
    return nodes


def graph_meta(g: Glossary, view: GraphLayout, colours: dict[str, str]) -> dict[str, Any]:
    """Graph-level data of both JSON documents: domains, kinds, communities, core terms."""
    sizes: dict[int, int] = {}
    leads: dict[int, str] = {}
    for slug, number in sorted(view.communities.items()):
        sizes[number] = sizes.get(number, 0) + 1
        best = leads.get(number)
        if best is None or g.ranks.get(slug, 0.0) > g.ranks.get(best, 0.0):
            leads[number] = slug
    return {
        # A list: JSON objects are written with sorted keys, the taxonomy's order matters.
        "domains": [{"key": k, "title": c.title, "color": colours[k]}
                    for k, c in g.taxonomy.domains.items()],
        "difficulties": list(DIFFICULTIES),
        "edge_kinds": {k: {"directed": k != "related", "weight": EDGE_WEIGHTS[k]}
                       for k in EDGE_KINDS},
        "communities": [{"id": n, "size": sizes[n], "color": community_colour(n),
                         "lead": leads[n], "label": g.terms[leads[n]].title}
                        for n in sorted(sizes)],
        "core": list(core_concepts(g.graph, g.ranks)),
        "layout": {"key": view.key, "version": LAYOUT_VERSION},
    }


def graph_document(g: Glossary, view: GraphLayout, base_url: str = "", terms_dir: str = "terms",
                   use_directory_urls: bool = True) -> dict[str, Any]:
    """The ``lexigraph/graph`` JSON document (networkx node-link form, see the module doc)."""
    graph = export_graph(g, view, "json", base_url, terms_dir, use_directory_urls)
    data = nx.node_link_data(graph, edges="edges")
    return {**data, "schema": GRAPH_SCHEMA, "version": GRAPH_VERSION}


#: The formats of each export.
FORMATS = {"terms": ("json", "csv"), "graph": ("json", "graphml", "gexf")}


def export(g: Glossary, what: str, fmt: str, base_url: str = "",
           cache_dir: Path | None = None, terms_dir: str = "terms",
           use_directory_urls: bool = True) -> bytes:
    """``what`` ("terms" or "graph") in ``fmt`` (terms: json, csv; graph: json, graphml, gexf);
    term URLs are ``base_url`` + the path of the term's page in a site built with
    ``terms_dir`` and ``use_directory_urls``. ``cache_dir``: where the graph's layouts are kept
    between calls (``None``: computed each time).

    Raises
    ------
    ValueError
        For another ``what`` or ``fmt``, saying which are known.
    """
    urls = (base_url, terms_dir, use_directory_urls)
    if what not in FORMATS:
        raise ValueError(f"export: Expected one of: {list(FORMATS)} but received: {what!r}")
    if fmt not in FORMATS[what]:
        raise ValueError(f"{what} export: Expected one of: {list(FORMATS[what])} but received: "
                         f"{fmt!r}")
    if what == "terms":
        return _json(terms_document(g, *urls)) if fmt == "json" else \
            terms_csv(g, *urls).encode()
    view = analyse(g.graph, cache_dir)
    if fmt == "json":
        return _json(graph_document(g, view, *urls))
    graph = export_graph(g, view, fmt, *urls)
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(graph)).encode()
    return "\n".join(nx.generate_gexf(graph)).encode()


def _json(data: Any) -> bytes:
    return (json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode()
