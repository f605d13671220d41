"""Machine-readable exports: ``glossary.json``/CSV of the terms, and the graph for Gephi et al.

Both JSON documents carry ``schema`` and ``version`` keys; the README documents them. Output is
deterministic (sorted keys and slugs), so two builds of the same input are byte-identical.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import networkx as nx

from .pipeline import Glossary

TERMS_SCHEMA = "lexigraph/glossary"
GRAPH_SCHEMA = "lexigraph/graph"
SCHEMA_VERSION = 1


def term_url(base_url: str, slug: str, terms_dir: str = "terms") -> str:
    return f"{base_url}{terms_dir}/{slug}/"


def terms_document(g: Glossary, base_url: str = "", terms_dir: str = "terms") -> dict[str, Any]:
    terms = []
    for term in sorted(g.terms.values(), key=lambda t: t.slug):
        terms.append({
            "slug": term.slug, "title": term.title, "summary": term.summary,
            "difficulty": term.difficulty, "domains": list(term.domains),
            "industries": list(term.industries), "keywords": list(term.keywords),
            "aliases": list(term.aliases), "related": list(term.related),
            "prerequisites": list(term.prerequisites), "demo": term.demo,
            "url": term_url(base_url, term.slug, terms_dir),
            "references": [{"title": r.title, "authors": list(r.authors), "year": r.year,
                            "url": r.link} for r in term.references],
        })
    return {"schema": TERMS_SCHEMA, "version": SCHEMA_VERSION, "count": len(terms),
            "domains": {k: c.title for k, c in g.taxonomy.domains.items()},
            "industries": {k: c.title for k, c in g.taxonomy.industries.items()},
            "terms": terms}


CSV_COLUMNS = ("slug", "title", "summary", "difficulty", "domains", "industries", "keywords",
               "aliases", "related", "prerequisites", "url")


def terms_csv(g: Glossary, base_url: str = "", terms_dir: str = "terms") -> str:
    """One row per term; list fields are joined with ``"; "``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in terms_document(g, base_url, terms_dir)["terms"]:
        writer.writerow(["; ".join(v) if isinstance(v, list) else v
                         for v in (row[c] for c in CSV_COLUMNS)])
    return out.getvalue()


def export_graph(g: Glossary) -> nx.MultiDiGraph:
    """The concept graph with plain attribute values (GraphML/GEXF take no lists)."""
    graph = nx.MultiDiGraph()
    for slug, data in sorted(g.graph.nodes(data=True)):
        graph.add_node(slug, title=data["title"], summary=data["summary"],
                       difficulty=data["difficulty"], domains=";".join(data["domains"]),
                       pagerank=float(g.ranks.get(slug, 0.0)))
    for u, v, key, data in sorted(g.graph.edges(keys=True, data=True)):
        graph.add_edge(u, v, key=key, kind=data["kind"], weight=float(data["weight"]))
    return graph


def export(g: Glossary, what: str, fmt: str, base_url: str = "") -> bytes:
    if what == "terms":
        if fmt == "json":
            return _json(terms_document(g, base_url))
        if fmt == "csv":
            return terms_csv(g, base_url).encode()
        raise SystemExit(f"error: terms export: Expected one of: ['json', 'csv'] but received: {fmt!r}")
    graph = export_graph(g)
    if fmt == "json":
        data = nx.node_link_data(graph, edges="edges")
        return _json({"schema": GRAPH_SCHEMA, "version": SCHEMA_VERSION, **data})
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(graph)).encode()
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(graph)).encode()
    raise SystemExit("error: graph export: Expected one of: ['json', 'graphml', 'gexf'] but "
                     f"received: {fmt!r}")


def _json(data: Any) -> bytes:
    return (json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode()
