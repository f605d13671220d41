"""The "Concept map" of a term page: the term and its neighbours within two links.

The build computes the picture (a radial tree placed in agreement with the global layout) and
embeds it in the page as compact JSON in a ``data-`` attribute; ``local-graph.js`` draws it as
SVG with one real link per term (the map one stop of the Tab key, its arrow keys and the previews
of its terms in ``local-graph-use.js``: no term's summary is added to the page for the map). See
:mod:`lexigraph.graph_page` for why it is embedded rather than fetched from ``graph.json``.
"""

from __future__ import annotations

import hashlib
import math

from .export import OTHER_COLOUR, domain_colours
from .graph import EDGE_KINDS, neighbourhood
from .layout import GraphLayout
from .model import Slug
from . import render
from .pipeline import Glossary
from .text import attr, json_attr

#: Terms shown, the term itself included: nearest first, then by PageRank.
LOCAL_LIMIT = 30


def local_graph(g: Glossary, view: GraphLayout, slug: Slug,
                use_directory_urls: bool = True) -> dict[str, object]:
    """The data a term page draws: its neighbourhood as a radial tree around it.

    Direct neighbours sit on the inner ring, in the order of their direction in the global 2D
    layout (so the local picture agrees with the global one); each term two links away sits
    on the outer ring near its parent, the inner-ring term it is linked with whose direction
    is closest to its own. One line per pair, of the strongest kind (prerequisite, related,
    mentions), keeps the picture readable however dense the glossary is.

    The format is compact because every term page carries it:
    ``{"url": pattern with "{}" for a slug, "colors": [...], "kinds": [...],
    "nodes": [[slug, title, ring, x, y, colour index], ...] (sorted by slug; ring 0 is the
    term itself), "edges": [[from index, to index, kind index], ...]}``.
    """
    found = neighbourhood(g.graph, slug, g.ranks, hops=2, limit=LOCAL_LIMIT, ranked=g.ranked)
    links = _strongest_links(g, found)
    inner = sorted((s for s in found if found[s] == 1), key=lambda s: (_angle(view, slug, s), s))
    r1 = 1.0 if len(inner) <= 12 else 1.3
    start = _angle(view, slug, inner[0]) if inner else 0.0
    angle = {s: start + 2 * math.pi * i / len(inner) for i, s in enumerate(inner)}
    parent: dict[Slug, Slug] = {}
    for s in (s for s in found if found[s] == 2):
        own = _angle(view, slug, s)
        linked = [p for p in inner if frozenset((p, s)) in links]
        parent[s] = min(linked, key=lambda p: (_turn(angle[p], own), -g.ranks.get(p, 0.0), p))
    outer = sorted(parent, key=lambda s: (inner.index(parent[s]), _angle(view, slug, s), s))
    if outer:
        # Each child as near its parent as the spacing of the outer ring allows.
        spread = _spread([angle[parent[s]] for s in outer], min(2 * math.pi / len(outer), 0.45))
        angle.update(zip(outer, spread, strict=True))
    place = {slug: (0.0, 0.0)}
    for s in (*inner, *outer):
        radius = r1 if found[s] == 1 else r1 + 1.0
        # (Two decimals: half a pixel of a map drawn 700 px wide; every term page carries it.)
        place[s] = (round(radius * math.cos(angle[s]), 2), round(radius * math.sin(angle[s]), 2))
    colours = domain_colours(g)
    order = sorted(found)
    index = {s: i for i, s in enumerate(order)}
    colour = {s: colours.get(g.terms[s].domains[0], OTHER_COLOUR) if g.terms[s].domains
              else OTHER_COLOUR for s in order}
    palette = [*dict.fromkeys(colour[s] for s in order)]  # the colours this map uses
    nodes = [[s, g.terms[s].title, found[s], *place[s], palette.index(colour[s])]
             for s in order]
    kinds = list(EDGE_KINDS)
    edges = []
    for s in (*inner, *outer):
        u, v, kind = links[frozenset((s, parent.get(s, slug)))]
        edges.append([index[u], index[v], kinds.index(kind)])
    return {"url": "../{}/" if use_directory_urls else "{}.html", "colors": palette,
            "kinds": kinds, "nodes": nodes, "edges": sorted(edges)}


def _spread(targets: list[float], gap: float, sweeps: int = 60) -> list[float]:
    """Angles near ``targets`` (in order around the circle) at least about ``gap`` apart.

    The nearest such angles in the least-squares sense, ignoring the circle's wrap, are an
    isotonic regression (pool adjacent violators, O(n)) of ``targets[i] - i * gap``. When the
    last and first angles then come too close across the wrap, a full ring is spaced evenly
    and turned to sit nearest the targets; otherwise pairs are pushed apart in sweeps.

    Examples
    --------
    >>> [round(a, 2) + 0.0 for a in _spread([0.0, 0.0, 0.0], 0.2)]
    [-0.2, 0.0, 0.2]
    >>> [round(a, 2) + 0.0 for a in _spread([0.0, 0.05, 1.0], 0.2)]
    [-0.08, 0.12, 1.0]
    """
    n = len(targets)
    blocks: list[tuple[float, int]] = []  # (sum, count) of pooled values
    for i, t in enumerate(targets):
        total, count = t - i * gap, 1
        while blocks and blocks[-1][0] * count > total * blocks[-1][1]:
            pooled, size = blocks.pop()
            total, count = total + pooled, count + size
        blocks.append((total, count))
    out = [total / count + 0.0 for total, count in blocks for _ in range(count)]
    out = [q + i * gap for i, q in enumerate(out)]
    if n < 3 or out[0] + 2 * math.pi - out[-1] >= gap - 1e-9:
        return out
    if n * gap >= 2 * math.pi - 1e-9:
        turn = sum(t - i * gap for i, t in enumerate(targets)) / n
        return [turn + i * gap for i in range(n)]
    for _ in range(sweeps):
        moved = False
        for i in range(n):
            j = (i + 1) % n
            ahead = out[j] + (2 * math.pi if j == 0 else 0.0)
            short = gap - (ahead - out[i])
            if short > 1e-9:  # push the pair apart, half each way
                out[i] -= short / 2
                out[j] += short / 2
                moved = True
        if not moved:
            break
    return out


def _turn(a: float, b: float) -> float:
    """The smaller angle between two directions, in [0, pi]."""
    return abs((a - b + math.pi) % (2 * math.pi) - math.pi)


def _angle(view: GraphLayout, centre: Slug, other: Slug) -> float:
    (cx, cy), (x, y) = view.pos2d[centre], view.pos2d[other]
    return math.atan2(y - cy, x - cx)


def _strongest_links(g: Glossary, among: dict[Slug, int]
                     ) -> dict[frozenset[Slug], tuple[Slug, Slug, str]]:
    """For each linked pair of ``among``: (source, target, kind) of its strongest link."""
    rank = {kind: i for i, kind in enumerate(EDGE_KINDS)}  # prerequisite first
    best: dict[frozenset[Slug], tuple[Slug, Slug, str]] = {}
    # Pairs of the map's own nodes only, looked up in the adjacency: a hub's thousands of
    # links are never scanned (that would make a build quadratic). In (u, v, kind) order, so
    # ties resolve the same way every time.
    order = sorted(among)
    for u in order:
        succ = g.graph.succ[u]
        targets = sorted(v for v in succ if v in among) if len(succ) < len(order) else \
            [v for v in order if v in succ]
        for v in targets:
            if v == u:
                continue
            pair = frozenset((u, v))
            kind = min(succ[v], key=rank.__getitem__)
            if pair not in best or rank[kind] < rank[best[pair][2]]:
                best[pair] = (u, v, kind)
    return best


def texts_key(g: Glossary) -> str:
    """A digest of what concept maps show besides the graph and layout: titles, colours.

    Examples
    --------
    >>> from pathlib import Path
    >>> from lexigraph.model import Taxonomy
    >>> key = texts_key(Glossary(root=Path("."), terms={}, taxonomy=Taxonomy({}, {})))
    >>> len(key)
    40
    """
    parts = [" ".join(g.taxonomy.domains)]
    parts += [f"{s}\0{t.title}\0{t.domains[:1]}" for s, t in sorted(g.terms.items())]
    return hashlib.sha1("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def concept_map_html(g: Glossary, view: GraphLayout, slug: Slug,
                     use_directory_urls: bool = True, terms_dir: str = "terms") -> str:
    """The concept map of a term page, for :data:`lexigraph.render.MAP_PART` (empty if the
    term has no links; :func:`lexigraph.render.term_page` then writes no heading for it)."""
    data = local_graph(g, view, slug, use_directory_urls)
    if len(data["nodes"]) < 2:  # type: ignore[arg-type]
        return ""
    title = attr(g.terms[slug].title)
    # An attribute rather than a <script> block, in single quotes (see json_attr).
    payload = json_attr(data)
    # The graph opens centred on the term, as from the term's backlinks.
    graph_link = attr(f"{render.graph_url(slug, use_directory_urls, terms_dir)}?focus={slug}")
    return (f"""<figure class="lx-local-graph" data-lx-local-graph='{payload}'>"""
            f"<figcaption>{title} and the terms within two links of it. Thick arrows point "
            "from a prerequisite to what needs it, thin ones from a term to the terms its text "
            "mentions; dashed lines join related terms.</figcaption></figure>\n"
            f'<p><a class="lx-graph-open" href="{graph_link}">Open the whole concept graph</a></p>')
