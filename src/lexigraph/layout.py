"""Deterministic 2D and 3D positions for the concept graph, cached on disk by graph hash.

The browser draws precomputed positions, so the graph page shows its first frame without
waiting for a simulation. networkx's ``spring_layout`` is O(n^2) per step (43 s for 5,000
terms on our 2-core machine) and its ``forceatlas2_layout`` keeps an n x n x dim array, so
the layout is computed in two levels, with networkx for the coarse one:

1. the community graph (one node per Louvain community, a few dozen to a few hundred) is laid
   out with ``nx.spring_layout``: this places the clusters;
2. every term starts near its community's place and a Fruchterman-Reingold refinement moves
   it. Links inside a community pull with their full weight, links between communities with
   ``BETWEEN`` of it: those already placed the clusters, and a glossary's hubs (linked from
   everywhere) would otherwise stir all clusters into one disc.

The refinement's repulsion is exact for small graphs (``EXACT_LIMIT``). Above that it is
exact only between terms a few grid cells apart (a k-d tree finds the pairs) and comes from
a particle-mesh field (an FFT convolution on a ``GRID`` mesh) beyond. Memory is
O(n + edges + near pairs + mesh); time O(iterations x (n log n + edges + near pairs)).
Measured figures: ``python -m bench.graph_page --layout-only``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np

from .cache_files import keep_last_used, write_atomic
from .graph import COMMUNITY_SEED, communities, graph_hash, weighted_undirected
from .parallel import Forked, can_fork

#: Bump when the algorithm or its parameters change: cached layouts are keyed by it.
LAYOUT_VERSION = 7
SEED = 42
#: Up to this many terms, every pair of terms repels exactly.
EXACT_LIMIT = 500
#: Refinement steps up to 2,000 terms; fewer above (the seeding already placed the clusters).
ITERATIONS = 120
#: Larger graphs: exact repulsion within this many grid cells, a particle-mesh field beyond.
NEAR = 2.0
#: Largest first step, in ideal edge lengths (networkx uses a tenth of the drawing's width).
TEMPERATURE = 3.0
#: Share of a link's weight that pulls when it joins two communities (see the module doc).
BETWEEN = 0.03
#: Grid cells per axis for the far-field repulsion, by dimension.
GRID = {2: 96, 3: 24}

#: From this many terms, :class:`Analysis` computes in the background if asked to.
BACKGROUND_FROM = 200

#: Cache files kept per project; older ones are deleted (each edit of the links makes one).
CACHE_KEEP = 8

Position = tuple[float, ...]


@dataclass(frozen=True)
class GraphLayout:
    """What the graph views need beyond PageRank: communities and 2D/3D positions."""

    key: str
    communities: dict[str, int]
    pos2d: dict[str, Position]
    pos3d: dict[str, Position]


def layout_key(structure: str) -> str:
    """What a layout is cached by: the graph's structural hash (see :func:`analyse`) plus the
    algorithm versions and seeds."""
    return f"{structure}-l{LAYOUT_VERSION}-s{SEED}-c{COMMUNITY_SEED}"


def analyse(graph: nx.MultiDiGraph, cache_dir: Path | None = None,
            structure: str | None = None) -> GraphLayout:
    """Communities and layouts of ``graph``, read from ``cache_dir`` when the graph is unchanged.

    The cache key is the graph's structural hash (``structure``, if the caller has it:
    :attr:`lexigraph.pipeline.Glossary.structure`) plus the algorithm versions and seeds, so
    editing texts reuses the layout and editing links (or upgrading Lexigraph) recomputes it.
    """
    key = layout_key(structure or graph_hash(graph))
    return _cached(graph, cache_dir, key) or _compute(graph, cache_dir, key)


def _cache_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"graph-{key[:20]}.json"


def _cached(graph: nx.MultiDiGraph, cache_dir: Path | None, key: str) -> GraphLayout | None:
    if cache_dir is None:
        return None
    path = _cache_path(cache_dir, key)
    cached = _read_cache(path, key, set(graph.nodes))
    if cached is not None:
        # Most recently used: survives pruning. A parallel build may have pruned it, or the
        # folder may be read-only (the layout is read all the same).
        with contextlib.suppress(OSError):
            os.utime(path)
    return cached


def _compute(graph: nx.MultiDiGraph, cache_dir: Path | None, key: str) -> GraphLayout:
    path = _cache_path(cache_dir, key) if cache_dir is not None else None
    simple = weighted_undirected(graph)
    groups = communities(graph, simple=simple)
    result = GraphLayout(key, groups, layout(simple, groups, 2), layout(simple, groups, 3))
    if path is not None:
        _write_cache(path, result)
    return result


class Analysis:
    """:func:`analyse`, started now and collected when first needed (:meth:`result`).

    A site needs the layout only once its pages are being put together (concept maps, the
    graph page's data), while reading and converting pages needs none of it. So when it must
    be computed, ``background`` is asked for, the graph has :data:`BACKGROUND_FROM` terms and
    the process may fork, a copy of the process computes it meanwhile, on another CPU, and
    leaves it in the cache file :func:`analyse` writes, where :meth:`result` reads it. If that
    copy fails, or the file cannot be written, :meth:`result` computes it as before.
    """

    def __init__(self, graph: nx.MultiDiGraph, cache_dir: Path | None,
                 structure: str | None = None, background: bool = False) -> None:
        self.key = layout_key(structure or graph_hash(graph))
        self._graph: nx.MultiDiGraph | None = graph
        self._cache_dir = cache_dir
        self._result = _cached(graph, cache_dir, self.key)
        self._forked: Forked | None = None
        #: Whether a copy of the process was started to compute it.
        self.background = False
        if (self._result is None and background and cache_dir is not None
                and graph.number_of_nodes() >= BACKGROUND_FROM and can_fork()):
            key = self.key
            self._forked = Forked(lambda: _compute(graph, cache_dir, key))
            self.background = True

    def result(self) -> GraphLayout:
        """The communities and layouts (waits for the copy computing them, if there is one)."""
        if self._result is None:
            assert self._graph is not None
            if self._forked is not None:
                self._forked.wait()
                self._forked = None
            self._result = (_cached(self._graph, self._cache_dir, self.key)
                            or _compute(self._graph, self._cache_dir, self.key))
        self._graph = None  # kept no longer than needed (`mkdocs serve` keeps the result)
        return self._result

    def stop(self) -> None:
        """Stop computing in the background (a build that failed), leaving no partial file."""
        forked, self._forked = self._forked, None
        if forked is not None and forked.running:
            forked.stop()
            if self._cache_dir is not None:
                for partial in self._cache_dir.glob(f"graph-*.{forked.pid}.tmp"):
                    partial.unlink(missing_ok=True)


def _read_cache(path: Path, key: str, nodes: set[str]) -> GraphLayout | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # not cached yet, or unreadable: computing it (again) is the fix
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    try:
        result = GraphLayout(key, dict(data["communities"]),
                             {n: tuple(p) for n, p in data["pos2d"].items()},
                             {n: tuple(p) for n, p in data["pos3d"].items()})
    except (KeyError, TypeError, AttributeError, ValueError):  # damaged: compute it again
        return None
    if set(result.pos2d) != nodes or set(result.pos3d) != nodes:
        return None
    return result


def _write_cache(path: Path, result: GraphLayout) -> None:
    data = {"key": result.key, "communities": result.communities,
            "pos2d": result.pos2d, "pos3d": result.pos3d}
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    if not write_atomic(path, text.encode("utf-8")):
        return  # a read-only project: computed again next time
    keep_last_used(path.parent, "graph-*.json", CACHE_KEEP)


def layout(simple: nx.Graph, groups: Mapping[str, int], dim: int = 2,
           seed: int = SEED, iterations: int | None = None) -> dict[str, Position]:
    """Positions in ``[-1, 1]^dim`` for the nodes of a weighted undirected graph.

    ``groups`` maps every node to its community; nodes of one community start together.

    Examples
    --------
    >>> g = nx.path_graph(["a", "b", "c"])
    >>> pos = layout(g, {"a": 0, "b": 0, "c": 0})
    >>> sorted(pos), len(pos["a"]), pos == layout(g, {"a": 0, "b": 0, "c": 0})
    (['a', 'b', 'c'], 2, True)
    >>> max(abs(v) for p in pos.values() for v in p)
    1.0
    """
    nodes = sorted(simple.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0,) * dim}
    index = {node: i for i, node in enumerate(nodes)}
    edges = sorted((min(index[u], index[v]), max(index[u], index[v]), float(w))
                   for u, v, w in simple.edges(data="weight", default=1.0) if u != v)
    ei = np.array([e[0] for e in edges], dtype=np.intp)
    ej = np.array([e[1] for e in edges], dtype=np.intp)
    ew = np.array([e[2] for e in edges], dtype=float)
    if iterations is None:
        iterations = max(50, round(ITERATIONS * min(1.0, (2000 / n) ** 0.5)))
    rng = np.random.default_rng(seed)
    k = n ** (-1.0 / dim)  # ideal edge length: the unit volume shared out between the nodes
    labels = np.unique([groups.get(node, -1) for node in nodes], return_inverse=True)[1]
    pos = _seed_positions(labels, ei, ej, ew, dim, k, rng)
    # Links between communities already placed the communities; letting them pull during the
    # refinement would stir the clusters into one disc (a glossary's hubs are linked from
    # everywhere). Inside a community every link pulls.
    pull = np.where(labels[ei] == labels[ej], ew, ew * BETWEEN)
    pos = _refine(pos, ei, ej, pull, k, iterations, exact=n <= EXACT_LIMIT)
    pos = _principal_axes(pos)
    scale = np.abs(pos).max()
    if scale > 0:
        pos /= scale
    # Rounding keeps the JSON small and the output identical across float noise.
    return {node: tuple(round(float(v), 5) for v in pos[i]) for i, node in enumerate(nodes)}


def _principal_axes(pos: np.ndarray) -> np.ndarray:
    """Centre and rotate so the widest spread lies along x (screens are wide), then y.

    Each axis is oriented so the majority of nodes has a positive coordinate: the result does
    not depend on the eigenvector signs the linear algebra library happens to return.
    """
    pos = pos - pos.mean(axis=0)
    _, vectors = np.linalg.eigh(pos.T @ pos)
    pos = pos @ vectors[:, ::-1]
    signs = np.where(np.count_nonzero(pos > 0, axis=0) * 2 >= len(pos), 1.0, -1.0)
    return pos * signs


def _seed_positions(labels: np.ndarray, ei: np.ndarray, ej: np.ndarray, ew: np.ndarray,
                    dim: int, k: float, rng: np.random.Generator) -> np.ndarray:
    """Start every node near its community's place in a layout of the community graph."""
    sizes = np.bincount(labels).astype(float)
    keys = range(len(sizes))
    quotient = nx.Graph()
    quotient.add_nodes_from(range(len(keys)))
    between = labels[ei] != labels[ej]
    for a, b, w in zip(labels[ei][between], labels[ej][between], ew[between], strict=True):
        u, v = int(min(a, b)), int(max(a, b))
        old = quotient[u][v]["weight"] if quotient.has_edge(u, v) else 0.0
        quotient.add_edge(u, v, weight=old + float(w))
    if len(keys) > 1:
        placed = nx.spring_layout(quotient, dim=dim, seed=int(rng.integers(2**31)),
                                  weight="weight", iterations=100)
        centres = np.array([placed[c] for c in range(len(keys))], dtype=float)
        centres = (centres - centres.min(axis=0)) / max(np.ptp(centres, axis=0).max(), 1e-9)
    else:
        centres = np.full((1, dim), 0.5)
    # A community of s nodes fills about s * k^dim of the unit volume.
    radius = 0.5 * k * sizes ** (1.0 / dim)
    offsets = rng.normal(size=(len(labels), dim))
    offsets /= np.maximum(np.linalg.norm(offsets, axis=1, keepdims=True), 1e-12)
    offsets *= rng.uniform(0.0, 1.0, size=(len(labels), 1)) ** (1.0 / dim)
    return np.asarray(centres[labels] + offsets * radius[labels, None], dtype=float)


def _refine(pos: np.ndarray, ei: np.ndarray, ej: np.ndarray, ew: np.ndarray, k: float,
            iterations: int, exact: bool) -> np.ndarray:
    """Fruchterman-Reingold with linear cooling.

    Repulsion is exact between terms closer than ``NEAR`` grid cells (all pairs if ``exact``);
    farther away it comes from a particle-mesh field (:func:`_far_field`). The split follows the
    drawing's actual size, so the exact pairs stay a few dozen per term however dense the
    glossary's links pull the drawing together.
    """
    from scipy.spatial import cKDTree  # here: a build with cached layouts never needs it
    n, dim = pos.shape
    temperature = min(0.1, TEMPERATURE * k)
    step = temperature / (iterations + 1)
    floor2 = (0.01 * k) ** 2
    if exact:
        a, b = np.triu_indices(n, 1)
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        if not exact:
            # The grid covers the central 98% of each axis: a few outlying terms must not
            # coarsen it (they are binned at its edge; their far field is approximate).
            low, high = np.percentile(pos, [1.0, 99.0], axis=0)
            cell = max(float((high - low).max()) / (GRID[dim] - 1), 1e-12)
            pairs = cKDTree(pos).query_pairs(NEAR * cell, output_type="ndarray")
            a, b = pairs[:, 0], pairs[:, 1]
            disp += _far_field(pos, k, low, cell)
        delta = pos[a] - pos[b]
        dist2 = np.maximum((delta * delta).sum(axis=1), floor2)
        push = delta * (k * k / dist2)[:, None]  # magnitude k^2 / d along the unit vector
        for axis in range(dim):
            disp[:, axis] += np.bincount(a, push[:, axis], n) - np.bincount(b, push[:, axis], n)
        delta = pos[ei] - pos[ej]
        dist = np.sqrt((delta * delta).sum(axis=1))
        pull = delta * (ew * dist / k)[:, None]  # magnitude w * d^2 / k
        for axis in range(dim):
            disp[:, axis] -= np.bincount(ei, pull[:, axis], n) - np.bincount(ej, pull[:, axis], n)
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-12)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= step
    return pos


def _far_field(pos: np.ndarray, k: float, low: np.ndarray, size: float) -> np.ndarray:
    """Repulsion from everything at least ``NEAR`` cells away, by particle-mesh summation.

    Node masses are binned on a grid and convolved (FFT) with the FR repulsion kernel, zeroed
    within ``NEAR`` cells where the exact pairs take over; each node reads the force of its
    cell. The grid starts at ``low`` with cells of ``size``. O(n + g^dim log g) per call.
    """
    from scipy import fft as sp_fft
    n, dim = pos.shape
    g = GRID[dim]
    cell = np.clip(np.rint((pos - low) / size), 0, g - 1).astype(np.intp)
    where = tuple(cell.T)
    mass = np.zeros((g,) * dim)
    np.add.at(mass, where, 1.0)
    shape = (2 * g,) * dim
    spectrum = sp_fft.rfftn(mass, s=shape)
    # The kernel in grid units does not depend on the drawing's size: its spectra are
    # computed once per grid, and scaled (offset d * size, force k^2 / (d * size)).
    scale = k * k / size
    out = np.empty_like(pos)
    for axis, kernel in enumerate(_kernel_spectra(dim, g)):
        field = sp_fft.irfftn(spectrum * kernel, s=shape)
        out[:, axis] = scale * field[where]
    return out


@functools.lru_cache(maxsize=4)
def _kernel_spectra(dim: int, g: int) -> tuple[np.ndarray, ...]:
    """Spectra of the FR repulsion kernel along each axis, for unit cells and unit k.

    The kernel is ``d / |d|^2`` for an offset ``d`` of at least ``NEAR`` cells, else 0, on a
    zero-padded ``2g`` grid (a circular convolution of that size has no wrap-around).
    """
    from scipy import fft as sp_fft
    m = 2 * g
    steps = np.fft.fftfreq(m, 1.0 / m)  # offsets 0..g-1, then -g..-1, in cells
    offsets = np.meshgrid(*([steps] * dim), indexing="ij")
    dist2 = sum(o * o for o in offsets)
    inverse = np.where(dist2 >= NEAR * NEAR, 1.0 / np.maximum(dist2, 1e-30), 0.0)
    return tuple(sp_fft.rfftn(o * inverse) for o in offsets)
