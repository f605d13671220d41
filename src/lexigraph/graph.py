"""Stage 3: the concept graph (networkx) and what is derived from it.

Edges are typed by their ``kind`` attribute and point the way a reader learns:

``prerequisite``  prerequisite -> term that needs it (these edges form a DAG)
``related``       declaring term -> related term (read as undirected)
``mentions``      term -> term its body mentions (found by the auto-linker)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx

from .model import Slug, Term

EDGE_KINDS: tuple[str, ...] = ("prerequisite", "related", "mentions")
EDGE_WEIGHTS: dict[str, float] = {"prerequisite": 1.0, "related": 1.0, "mentions": 0.5}


def build_graph(terms: Iterable[Term], mentions: Mapping[Slug, Iterable[Slug]]) -> nx.MultiDiGraph:
    """Build the typed concept graph; nodes and edges are added in slug order (deterministic).

    Examples
    --------
    >>> from pathlib import Path
    >>> a = Term(Slug("a"), "A", "s", "beginner", ("x",), "", Path("a.md"))
    >>> b = Term(Slug("b"), "B", "s", "advanced", ("x",), "", Path("b.md"),
    ...          prerequisites=(Slug("a"),), related=(Slug("a"),))
    >>> g = build_graph([b, a], {Slug("a"): [Slug("b")]})
    >>> sorted((u, v, k) for u, v, k in g.edges(data="kind"))
    [('a', 'b', 'mentions'), ('a', 'b', 'prerequisite'), ('b', 'a', 'related')]
    """
    graph = nx.MultiDiGraph()
    ordered = sorted(terms, key=lambda t: t.slug)
    for term in ordered:
        graph.add_node(term.slug, title=term.title, summary=term.summary,
                       difficulty=term.difficulty, domains=list(term.domains),
                       industries=list(term.industries))
    for term in ordered:
        for prereq in term.prerequisites:
            _add(graph, prereq, term.slug, "prerequisite")
        for other in term.related:
            _add(graph, term.slug, other, "related")
        for other in sorted(set(mentions.get(term.slug, ()))):
            _add(graph, term.slug, other, "mentions")
    return graph


def _add(graph: nx.MultiDiGraph, u: Slug, v: Slug, kind: str) -> None:
    if u != v and u in graph and v in graph:
        graph.add_edge(u, v, key=kind, kind=kind, weight=EDGE_WEIGHTS[kind])


def prerequisite_dag(graph: nx.MultiDiGraph) -> nx.DiGraph:
    dag = nx.DiGraph()
    dag.add_nodes_from(graph.nodes(data=True))
    dag.add_edges_from((u, v) for u, v, k in graph.edges(keys=True) if k == "prerequisite")
    return dag


def learning_path(graph: nx.MultiDiGraph, slug: Slug, dag: nx.DiGraph | None = None) -> list[Slug]:
    """The prerequisite ancestors of ``slug`` in reading order, ending with ``slug`` itself.

    Fundamentals come first; ties are broken by title so the order is stable.

    Examples
    --------
    >>> from pathlib import Path
    >>> t = lambda s, *p: Term(Slug(s), s.upper(), "", "beginner", ("x",), "", Path(s),
    ...                        prerequisites=tuple(map(Slug, p)))
    >>> g = build_graph([t("nn"), t("bp", "nn"), t("rnn", "nn"), t("bptt", "bp", "rnn"),
    ...                  t("lstm", "rnn", "bptt")], {})
    >>> learning_path(g, Slug("lstm"))
    ['nn', 'bp', 'rnn', 'bptt', 'lstm']
    """
    dag = dag if dag is not None else prerequisite_dag(graph)
    keep = nx.ancestors(dag, slug) | {slug}
    sub = dag.subgraph(keep)
    titles = nx.get_node_attributes(graph, "title")
    return list(nx.lexicographical_topological_sort(sub, key=lambda s: titles.get(s, s).casefold()))


def backlinks(graph: nx.MultiDiGraph, slug: Slug) -> list[Slug]:
    """Terms whose page links to ``slug``: it is their prerequisite, related or mentioned term."""
    found = {u for u, _, k in graph.in_edges(slug, keys=True) if k != "prerequisite"}
    found |= {v for _, v, k in graph.out_edges(slug, keys=True) if k == "prerequisite"}
    found.discard(slug)
    return sorted(found)


def pagerank(graph: nx.MultiDiGraph) -> dict[Slug, float]:
    """PageRank over all link kinds, read as undirected (a link helps both ends' importance).

    Notes
    -----
    Power iteration, O(iterations x edges).
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    for u, v, data in graph.edges(data=True):
        weight = data["weight"] + (simple[u][v]["weight"] if simple.has_edge(u, v) else 0.0)
        simple.add_edge(u, v, weight=weight)
    if simple.number_of_nodes() == 0:
        return {}
    return nx.pagerank(simple, weight="weight")


def core_concepts(graph: nx.MultiDiGraph, ranks: Mapping[Slug, float], n: int = 8) -> list[Slug]:
    """The ``n`` most central terms, highest PageRank first (ties by slug)."""
    return sorted(ranks, key=lambda s: (-round(ranks[s], 12), s))[:n]
