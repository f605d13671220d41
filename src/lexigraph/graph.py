"""Stage 3: the concept graph (networkx) and what is derived from it.

Edges are typed by their ``kind`` attribute and point the way a reader learns:

``prerequisite``  prerequisite -> term that needs it (these edges form a DAG)
``related``       declaring term -> related term (read as undirected)
``mentions``      term -> term its body mentions (found by the auto-linker)
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections.abc import Iterable, Mapping

import networkx as nx

from .model import Slug, Term

EDGE_KINDS: tuple[str, ...] = ("prerequisite", "related", "mentions")
EDGE_WEIGHTS: dict[str, float] = {"prerequisite": 1.0, "related": 1.0, "mentions": 0.5}
#: Louvain is randomised; a fixed seed makes two builds of the same glossary identical.
COMMUNITY_SEED = 42


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

    Every term comes after what it needs, and as soon after it as it can, so a chain of ideas
    is read in one go instead of being interleaved with unrelated ones: a fundamental needed
    only late in the path comes late (the page says "each comes after what it needs", not
    "fundamentals first", which a reader took it to promise).

    Notes
    -----
    Depth-first post-order from ``slug`` over its prerequisites: a topological order of the
    ancestors (each term after all of its own prerequisites). Among the prerequisites of one
    term, the one with the longest chain behind it is expanded first (ties by title), so
    short, direct prerequisites are read just before the term that needs them. O(ancestors +
    their prerequisite links).

    Examples
    --------
    >>> from pathlib import Path
    >>> t = lambda s, *p: Term(Slug(s), s.upper(), "", "beginner", ("x",), "", Path(s),
    ...                        prerequisites=tuple(map(Slug, p)))
    >>> g = build_graph([t("nn"), t("bp", "nn"), t("rnn", "nn"), t("bptt", "bp", "rnn"),
    ...                  t("lstm", "rnn", "bptt")], {})
    >>> learning_path(g, Slug("lstm"))
    ['nn', 'bp', 'rnn', 'bptt', 'lstm']
    >>> learning_path(g, Slug("nn"))
    ['nn']
    """
    dag = dag if dag is not None else prerequisite_dag(graph)
    # Only the ancestors, reached through predecessors: a subgraph view or a topological sort
    # would walk the successors of every fundamental term (thousands in a large glossary),
    # once per page: quadratic over a build.
    ancestors = nx.ancestors(dag, slug) | {slug}
    titles = {node: graph.nodes[node].get("title", node) for node in ancestors}
    depth: dict[Slug, int] = {}  # longest prerequisite chain behind each ancestor
    stack = [slug]
    while stack:
        node = stack[-1]
        todo = [p for p in dag.predecessors(node) if p not in depth]
        if todo:
            stack.extend(todo)
            continue
        stack.pop()
        depth[node] = max((depth[p] + 1 for p in dag.predecessors(node)), default=0)

    def needs(s: Slug) -> list[Slug]:
        return sorted(dag.predecessors(s),
                      key=lambda p: (-depth[p], titles.get(p, p).casefold(), p))

    order: list[Slug] = []
    done: set[Slug] = {slug}
    # An explicit stack: a deep prerequisite chain must not hit Python's recursion limit.
    stack: list[tuple[Slug, list[Slug]]] = [(slug, needs(slug))]
    while stack:
        node, todo = stack[-1]
        while todo and todo[0] in done:
            todo.pop(0)
        if not todo:
            stack.pop()
            order.append(node)
            continue
        nxt = todo.pop(0)
        done.add(nxt)
        stack.append((nxt, needs(nxt)))
    return order


def backlinks(graph: nx.MultiDiGraph, slug: Slug) -> list[Slug]:
    """Terms whose page links to ``slug``: it is their prerequisite, related or mentioned term;
    by title, as the A–Z index orders them (*Network depth*, in ``depth.md``, under N)."""
    found = {u for u, _, k in graph.in_edges(slug, keys=True) if k != "prerequisite"}
    found |= {v for _, v, k in graph.out_edges(slug, keys=True) if k == "prerequisite"}
    found.discard(slug)
    return sorted(found, key=lambda s: (str(graph.nodes[s].get("title", s)).casefold(), s))


def weighted_undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """One undirected edge per linked pair, weighted by the sum of its typed edges' weights.

    Metrics and layouts read links this way: a link says two ideas belong together whichever
    way it points.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("a", "b", key="prerequisite", weight=1.0)
    'prerequisite'
    >>> g.add_edge("b", "a", key="mentions", weight=0.5)
    'mentions'
    >>> list(weighted_undirected(g).edges(data="weight"))
    [('a', 'b', 1.5)]
    """
    # Summed first, then added in the order each pair first appears (sorted by its ends):
    # Louvain's result depends on the adjacency order.
    weights: dict[tuple[str, str], float] = {}
    for u, v, w in sorted(graph.edges(data="weight"), key=lambda e: (e[0], e[1])):
        if u != v:
            pair = (u, v) if u < v else (v, u)
            weights[pair] = w + weights.get(pair, 0.0)
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_weighted_edges_from((u, v, w) for (u, v), w in weights.items())
    return simple


def pagerank(graph: nx.MultiDiGraph) -> dict[Slug, float]:
    """PageRank over all link kinds, read as undirected (a link helps both ends' importance).

    Notes
    -----
    Power iteration, O(iterations x edges).
    """
    simple = weighted_undirected(graph)
    if simple.number_of_nodes() == 0:
        return {}
    return nx.pagerank(simple, weight="weight")


def core_concepts(graph: nx.MultiDiGraph, ranks: Mapping[Slug, float], n: int = 8) -> list[Slug]:
    """The ``n`` most central terms, highest PageRank first (ties by slug)."""
    return sorted(ranks, key=lambda s: (-round(ranks[s], 12), s))[:n]


def communities(graph: nx.MultiDiGraph, seed: int = COMMUNITY_SEED,
                simple: nx.Graph | None = None) -> dict[Slug, int]:
    """Louvain communities (fixed seed), numbered 0, 1, ... from the largest.

    Ties in size are ordered by their alphabetically first slug, so the numbering is stable.

    Notes
    -----
    networkx's Louvain is about O(edges) per pass; 5,000 terms take about a second.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for u, v in [("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")]:
    ...     _ = g.add_edge(u, v, weight=1.0)
    >>> communities(g)
    {'a': 0, 'b': 0, 'c': 0, 'x': 1, 'y': 1}
    """
    if simple is None:  # ``simple``: the caller's weighted_undirected(graph), if it has it
        simple = weighted_undirected(graph)
    if simple.number_of_nodes() == 0:
        return {}
    found = nx.community.louvain_communities(simple, weight="weight", seed=seed)
    ordered = sorted((sorted(group) for group in found), key=lambda g: (-len(g), g[0]))
    return {slug: number for number, group in enumerate(ordered) for slug in sorted(group)}


def degrees(graph: nx.MultiDiGraph) -> dict[Slug, int]:
    """How many other terms each term is linked with, whatever the kind or direction."""
    simple = weighted_undirected(graph)
    return {Slug(node): int(simple.degree(node)) for node in sorted(simple.nodes)}


def ranked_neighbours(graph: nx.MultiDiGraph, ranks: Mapping[Slug, float]
                      ) -> dict[Slug, list[Slug]]:
    """Each term's linked terms (either direction), highest PageRank first, ties by slug.

    Computed once per glossary for :func:`neighbourhood`, which then reads only the head of
    each list it needs instead of sorting a hub's thousands of neighbours on every page.

    Notes
    -----
    O(edges log(degree)) time and O(edges) memory.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b"), ("c", "a"), ("a", "d")])
    >>> ranked_neighbours(g, {"d": 0.5, "c": 0.2})["a"]
    ['d', 'c', 'b']
    """
    return {Slug(node): _by_rank(graph, ranks, node) for node in graph.nodes}


def _by_rank(graph: nx.MultiDiGraph, ranks: Mapping[Slug, float], node: Slug) -> list[Slug]:
    near = {*graph.successors(node), *graph.predecessors(node)} - {node}
    return sorted(near, key=lambda s: (-ranks.get(s, 0.0), s))


def neighbourhood(graph: nx.MultiDiGraph, slug: Slug, ranks: Mapping[Slug, float],
                  hops: int = 2, limit: int = 40,
                  ranked: Mapping[Slug, list[Slug]] | None = None) -> dict[Slug, int]:
    """The terms within ``hops`` links of ``slug`` (either direction), mapped to their distance.

    At most ``limit`` terms (``slug`` included): nearer terms first, then higher PageRank, so
    a hub's page shows its most useful neighbours rather than half the glossary.

    Notes
    -----
    Each ring is taken from the heads of its inner ring's :func:`ranked_neighbours` lists
    (pass ``ranked`` to reuse them across calls), merged until ``limit`` terms are found. A
    ring is only entered when every nearer term fits, so it is entered from fewer than
    ``limit`` terms and the work per call is O(limit^2 log limit), however many terms a
    neighbouring hub links: summed over a site's pages the work stays linear in its size.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> neighbourhood(g, Slug("b"), {})
    {'a': 1, 'b': 0, 'c': 1, 'd': 2}
    >>> neighbourhood(g, Slug("b"), {"c": 0.5, "a": 0.1}, limit=2)
    {'b': 0, 'c': 1}
    >>> neighbourhood(g, Slug("b"), {}, limit=1)
    {'b': 0}
    """
    if ranked is None:
        ranked = _LazyRanked(graph, ranks)
    found: dict[Slug, int] = {slug: 0}
    frontier = [slug]
    for distance in range(1, hops + 1 if limit > 1 else 1):  # a limit of 1: the term alone
        ring: list[Slug] = []
        # Lists are sorted by (-rank, slug), so merging them yields the ring in that order.
        for node in heapq.merge(*(ranked[f] for f in frontier),
                                key=lambda s: (-ranks.get(s, 0.0), s)):
            if node in found:
                continue
            found[node] = distance
            ring.append(node)
            if len(found) == limit:
                return {s: found[s] for s in sorted(found)}
        if not ring:
            break
        frontier = ring
    return {s: found[s] for s in sorted(found)}


class _LazyRanked(dict):  # type: ignore[type-arg]
    """:func:`ranked_neighbours` computed only for the terms asked for (one-off calls)."""

    def __init__(self, graph: nx.MultiDiGraph, ranks: Mapping[Slug, float]) -> None:
        super().__init__()
        self.graph, self.ranks = graph, ranks

    def __missing__(self, node: Slug) -> list[Slug]:
        self[node] = out = _by_rank(self.graph, self.ranks, node)
        return out


def graph_hash(graph: nx.MultiDiGraph) -> str:
    """A digest of the graph's structure (nodes, typed edges, weights), not of its texts.

    Layouts and communities depend on the structure only, so editing a summary keeps them.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", title="A")
    >>> before = graph_hash(g)
    >>> g.nodes["a"]["title"] = "Changed"
    >>> graph_hash(g) == before, len(before)
    (True, 64)
    """
    edges = sorted((u, v, str(k), float(w)) for u, v, k, w in graph.edges(keys=True, data="weight",
                                                                          default=1.0))
    text = json.dumps([sorted(graph.nodes), edges], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
