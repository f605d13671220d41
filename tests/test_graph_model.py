"""Unit tests of the concept graph's model, metrics, layouts, cache, exports and local graphs."""

from __future__ import annotations

import dataclasses

import io
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from lexigraph import layout as lx_layout
from lexigraph import render
from lexigraph.cli import main as cli
from lexigraph.export import GRAPH_SCHEMA, GRAPH_VERSION, export, export_graph, graph_document
from lexigraph.graph import (build_graph, communities, degrees, graph_hash, learning_path,
                             neighbourhood, pagerank, weighted_undirected)
from lexigraph.graph_page import VENDOR, find_node_modules, vendor_files
from lexigraph.local_graph import LOCAL_LIMIT, local_graph
from lexigraph.layout import GraphLayout, analyse, layout
from lexigraph.model import Slug, Term
from lexigraph.pipeline import Glossary, build_glossary

from .conftest import FIXTURES, ROOT, copy_fixture


def term(slug: str, *prereqs: str, related: tuple[str, ...] = (), title: str = "") -> Term:
    return Term(Slug(slug), title or slug.upper(), f"About {slug}.", "beginner", ("x",), "",
                Path(f"{slug}.md"), prerequisites=tuple(map(Slug, prereqs)),
                related=tuple(map(Slug, related)))


@pytest.fixture(scope="module")
def real() -> Glossary:
    return build_glossary(ROOT / "glossary", ROOT / "demos")


@pytest.fixture(scope="module")
def real_view(real: Glossary, tmp_path_factory: pytest.TempPathFactory) -> GraphLayout:
    return analyse(real.graph, tmp_path_factory.mktemp("cache"))


def two_cliques(size: int = 6) -> nx.MultiDiGraph:
    """Two dense groups joined by a single link: the easiest community structure there is."""
    g = nx.MultiDiGraph()
    for group in ("a", "b"):
        names = [f"{group}{i}" for i in range(size)]
        for i, u in enumerate(names):
            for v in names[i + 1:]:
                g.add_edge(u, v, key="related", kind="related", weight=1.0)
    g.add_edge("a0", "b0", key="mentions", kind="mentions", weight=0.5)
    return g


# --- Model and metrics --------------------------------------------------------------------

def test_typed_edges_and_weights() -> None:
    g = build_graph([term("nn"), term("bp", "nn", related=("nn",))], {Slug("nn"): [Slug("bp")]})
    edges = sorted((u, v, k, d["weight"]) for u, v, k, d in g.edges(keys=True, data=True))
    assert edges == [("bp", "nn", "related", 1.0), ("nn", "bp", "mentions", 0.5),
                     ("nn", "bp", "prerequisite", 1.0)]
    assert list(weighted_undirected(g).edges(data="weight")) == [("bp", "nn", 2.5)]
    assert degrees(g) == {"bp": 1, "nn": 1}


def test_links_to_unknown_terms_and_self_links_are_dropped() -> None:
    g = build_graph([term("a", "a", "ghost", related=("a",))], {Slug("a"): [Slug("a")]})
    assert g.number_of_edges() == 0


def test_pagerank_favours_the_hub() -> None:
    g = build_graph([term("hub"), *(term(f"t{i}", "hub") for i in range(5))], {})
    ranks = pagerank(g)
    assert max(ranks, key=ranks.get) == "hub" and math.isclose(sum(ranks.values()), 1.0)


def test_communities_are_deterministic_and_numbered_by_size() -> None:
    g = two_cliques()
    g.add_edge("b1", "c", key="related", kind="related", weight=1.0)  # b's group is larger
    found = communities(g)
    assert found == communities(g) and set(found) == set(g.nodes)
    assert {found[f"b{i}"] for i in range(6)} == {0} and {found[f"a{i}"] for i in range(6)} == {1}


def test_neighbourhood_two_hops_nearest_first_then_pagerank() -> None:
    g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("e", "b")])
    assert neighbourhood(g, Slug("b"), {}, hops=1) == {"a": 1, "b": 0, "c": 1, "e": 1}
    assert neighbourhood(g, Slug("a"), {}) == {"a": 0, "b": 1, "c": 2, "e": 2}
    assert neighbourhood(g, Slug("a"), {"e": 0.9}, limit=3) == {"a": 0, "b": 1, "e": 2}


def test_graph_hash_follows_structure_only() -> None:
    a = build_graph([term("x"), term("y", "x")], {})
    b = build_graph([term("y", "x", title="Other title"), term("x")], {})
    assert graph_hash(a) == graph_hash(b)
    c = build_graph([term("x"), term("y", "x", related=("x",))], {})
    assert graph_hash(c) != graph_hash(a)


# --- Learning paths -----------------------------------------------------------------------

def test_learning_path_reads_fundamentals_first_in_chains() -> None:
    terms = [term("nn", title="Neural network"), term("bp", "nn", title="Backpropagation"),
             term("rnn", "nn", title="Recurrent neural network"),
             term("bptt", "bp", "rnn", title="Backpropagation through time"),
             term("vg", "bptt", title="Vanishing gradient"),
             term("lstm", "rnn", "vg", title="LSTM"), term("other", title="Unrelated")]
    g = build_graph(terms, {})
    assert learning_path(g, Slug("lstm")) == ["nn", "bp", "rnn", "bptt", "vg", "lstm"]
    assert learning_path(g, Slug("nn")) == ["nn"]


def test_every_real_learning_path_is_a_topological_order(real: Glossary) -> None:
    for slug in real.terms:
        path = learning_path(real.graph, slug, real.dag)
        assert path[-1] == slug and len(set(path)) == len(path)
        assert set(path) == nx.ancestors(real.dag, slug) | {slug}
        seen: set[str] = set()
        for step in path:
            assert set(real.dag.predecessors(step)) <= seen, (slug, step)
            seen.add(step)


def test_lstm_path_passes_through_its_story(real: Glossary) -> None:
    titles = [real.terms[s].title for s in learning_path(real.graph, Slug("lstm"), real.dag)]
    story = ["Neural network", "Backpropagation", "Recurrent neural network",
             "Backpropagation through time", "Vanishing gradient", "LSTM"]
    assert [t for t in titles if t in story] == story


# --- Layouts ------------------------------------------------------------------------------

@pytest.mark.parametrize("dim", [2, 3])
def test_layout_is_deterministic_bounded_and_spread(dim: int) -> None:
    g = two_cliques()
    simple = weighted_undirected(g)
    groups = communities(g)
    pos = layout(simple, groups, dim)
    assert pos == layout(simple, groups, dim)
    shuffled = nx.Graph()
    shuffled.add_nodes_from(sorted(simple.nodes, reverse=True))
    shuffled.add_edges_from(reversed(list(simple.edges(data=True))))
    assert layout(shuffled, groups, dim) == pos  # insertion order does not matter
    coords = np.array(list(pos.values()))
    assert coords.shape == (len(g), dim) and np.abs(coords).max() == pytest.approx(1.0)
    gaps = [np.linalg.norm(coords[i] - coords[j]) for i in range(len(coords))
            for j in range(i + 1, len(coords))]
    assert min(gaps) > 0.05  # no two terms drawn on top of each other


def test_layout_keeps_communities_apart() -> None:
    pos = layout(weighted_undirected(two_cliques()), communities(two_cliques()), 2)
    def mean_gap(a: str, b: str) -> float:
        return float(np.mean([math.dist(pos[f"{a}{i}"], pos[f"{b}{j}"])
                              for i in range(6) for j in range(6) if (a, i) != (b, j)]))
    assert mean_gap("a", "b") > 1.5 * max(mean_gap("a", "a"), mean_gap("b", "b"))


def test_large_layout_uses_the_grid_and_stays_deterministic(monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    # Above EXACT_LIMIT the near/far split is used; a small limit exercises it quickly.
    monkeypatch.setattr(lx_layout, "EXACT_LIMIT", 20)
    g = nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=1)
    simple = nx.relabel_nodes(g, {i: f"n{i:03d}" for i in g})
    nx.set_edge_attributes(simple, 1.0, "weight")
    groups = {n: int(n[1:]) // 50 for n in simple}
    for dim in (2, 3):
        pos = layout(simple, groups, dim, iterations=40)
        assert pos == layout(simple, groups, dim, iterations=40)
        coords = np.array(list(pos.values()))
        assert np.isfinite(coords).all() and np.abs(coords).max() == pytest.approx(1.0)
        linked = np.mean([math.dist(pos[u], pos[v]) for u, v in simple.edges])
        anywhere = np.mean([math.dist(pos[u], pos[v]) for u in list(pos)[:40] for v in pos])
        assert linked < anywhere / 2  # links are short: the layout follows the graph


def test_analyse_caches_by_structure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    g = build_graph([term("x"), term("y", "x"), term("z", "y")], {})
    first = analyse(g, tmp_path)
    [cached] = tmp_path.glob("graph-*.json")
    monkeypatch.setattr(lx_layout, "layout", lambda *a, **k: pytest.fail("laid out again"))
    g.nodes["x"]["summary"] = "Edited text: same structure, same cache entry."
    assert analyse(g, tmp_path) == first
    monkeypatch.undo()
    g.add_edge("x", "z", key="related", kind="related", weight=1.0)
    second = analyse(g, tmp_path)
    assert second.key != first.key and len(list(tmp_path.glob("graph-*.json"))) == 2
    cached.write_text("{ half a file")  # a broken cache entry is recomputed, not trusted
    g.remove_edge("x", "z", key="related")
    assert analyse(g, tmp_path) == first


def test_cache_keeps_only_recent_entries(tmp_path: Path) -> None:
    for i in range(lx_layout.CACHE_KEEP + 3):
        analyse(build_graph([term("a"), term(f"b{i}", "a")], {}), tmp_path)
    assert len(list(tmp_path.glob("graph-*.json"))) == lx_layout.CACHE_KEEP


# --- Exports --------------------------------------------------------------------------------

def _plain(graph: nx.MultiDiGraph, drop: tuple[str, ...] = ()) -> tuple[object, object]:
    nodes = sorted((n, {k: v for k, v in d.items() if k not in drop})
                   for n, d in graph.nodes(data=True))
    edges = sorted((u, v, k, {a: b for a, b in d.items() if a not in drop})
                   for u, v, k, d in graph.edges(keys=True, data=True))
    return nodes, edges


def test_json_export_round_trips(real: Glossary, real_view: GraphLayout, tmp_path: Path) -> None:
    doc = json.loads(export(real, "graph", "json", cache_dir=tmp_path))
    assert (doc["schema"], doc["version"]) == (GRAPH_SCHEMA, GRAPH_VERSION)
    back = nx.node_link_graph(doc, edges="edges")
    assert isinstance(back, nx.MultiDiGraph)
    assert _plain(back) == _plain(export_graph(real, real_view, "json"))
    assert back.number_of_nodes() == len(real.terms)
    assert back.number_of_edges() == real.graph.number_of_edges()


def test_graphml_export_round_trips(real: Glossary, real_view: GraphLayout, tmp_path: Path
                                   ) -> None:
    data = export(real, "graph", "graphml", cache_dir=tmp_path)
    back = nx.read_graphml(io.BytesIO(data), force_multigraph=True, edge_key_type=str)
    assert _plain(back) == _plain(export_graph(real, real_view, "graphml"))


def test_gexf_export_round_trips_with_positions(real: Glossary, real_view: GraphLayout,
                                                tmp_path: Path) -> None:
    data = export(real, "graph", "gexf", cache_dir=tmp_path)
    back = nx.read_gexf(io.BytesIO(data))
    expected = export_graph(real, real_view, "gexf")
    assert _plain(back, drop=("id", "viz")) == _plain(expected, drop=("viz",))
    x, y = real_view.pos2d[Slug("lstm")]
    assert back.nodes["lstm"]["viz"]["position"]["x"] == pytest.approx(x * 1000)
    assert back.nodes["lstm"]["viz"]["position"]["y"] == pytest.approx(y * 1000)


def test_graph_document_fields(real: Glossary, real_view: GraphLayout) -> None:
    doc = graph_document(real, real_view, "https://example.org/")
    node = next(n for n in doc["nodes"] if n["id"] == "lstm")
    assert node["url"] == "https://example.org/terms/lstm/"
    assert set(node) >= {"title", "summary", "difficulty", "domains", "pagerank", "degree",
                         "community", "size", "color", "x", "y", "x3", "y3", "z3"}
    meta = doc["graph"]
    assert [d["key"] for d in meta["domains"]] == list(real.taxonomy.domains)
    assert {e["kind"] for e in doc["edges"]} == {"prerequisite", "related", "mentions"}
    assert meta["edge_kinds"]["related"]["directed"] is False
    assert sum(c["size"] for c in meta["communities"]) == len(real.terms)
    assert len(meta["core"]) == 8 and meta["core"][0] == max(real.ranks, key=real.ranks.get)


def test_cli_exports_the_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    mini = copy_fixture("mini", tmp_path)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    out = tmp_path / "mini.gexf"
    assert cli(["export", "graph", "--format", "gexf", "--dir", str(mini / "glossary"),
                "--demos", str(mini / "demos"), "-o", str(out)]) == 0
    assert sorted(nx.read_gexf(out).nodes) == ["alpha-unit", "beta-layer", "gamma-net"]
    # The layouts are cached beside the glossary folder, as `check` caches, not where it ran.
    assert list((mini / ".lexigraph-cache").glob("graph-*.json"))
    assert list((tmp_path / "elsewhere").iterdir()) == []
    capsys.readouterr()
    assert cli(["export", "graph", "--format", "dot", "--dir", str(mini / "glossary")]) == 2
    assert capsys.readouterr().err == "error: --format dot: a graph export is json or graphml or gexf\n"
    # Scripted, a bad argument is a ValueError (was SystemExit, which `except Exception` misses).
    glossary = build_glossary(mini / "glossary", mini / "demos")
    for what, fmt in (("graph", "dot"), ("trems", "json")):
        with pytest.raises(ValueError, match="Expected one of"):
            export(glossary, what, fmt)
    # Said before the glossary is read: its problems hid it (exit 1, not 2).
    (mini / "glossary" / "alpha-unit.md").write_text("---\ntitle: [\n---\n")
    assert cli(["export", "terms", "--format", "xml", "--dir", str(mini / "glossary")]) == 2
    assert capsys.readouterr().err == "error: --format xml: a terms export is json or csv\n"


def test_cli_export_writes_into_a_pipe_and_stops_quietly_when_no_one_reads(
        tmp_path: Path) -> None:
    """``-o /dev/stdout`` into a pipe failed ("No such file or directory": the link was
    followed to pipe:[N]); a reader that stopped reading (``| head``), or a full disk behind
    a redirection, gave a traceback."""
    command = [sys.executable, "-m", "lexigraph.cli", "export", "terms", "--format", "csv",
               "--dir", str(FIXTURES / "mini" / "glossary")]
    run = subprocess.run([*command, "-o", "/dev/stdout"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert run.returncode == 0 and run.stdout.startswith("slug,title,summary,"), run.stderr
    assert run.stderr == "wrote /dev/stdout\n"
    for output in ([], ["-o", "/dev/stdout"]):
        reader, writer = os.pipe()
        os.close(reader)  # no one reads
        run = subprocess.run([*command, *output], stdout=writer, stderr=subprocess.PIPE,
                             text=True, cwd=tmp_path, timeout=120)
        os.close(writer)
        assert (run.returncode, run.stderr) == (1, ""), output
    run = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", *command], capture_output=True,
                         text=True, cwd=tmp_path, timeout=120)
    assert (run.returncode, run.stderr) == (2, "error: standard output is closed; nothing was "
                                               "written\n    fix: give a file to write with -o\n")
    with open("/dev/full", "wb") as full:
        run = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True,
                             cwd=tmp_path, timeout=120)
    assert (run.returncode, run.stderr) == (
        2, "error: cannot write to standard output: No space left on device\n")


def test_cli_export_finds_demos_beside_the_glossary_and_writes_whole_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)  # no demos/ here: the one beside the glossary is found
    glossary = str(FIXTURES / "mini" / "glossary")
    out = tmp_path / "terms.json"
    assert cli(["export", "terms", "--format", "json", "--dir", glossary,
                "--base-url", "https://example.org/glossary", "-o", str(out)]) == 0
    urls = [t["url"] for t in json.loads(out.read_text())["terms"]]
    assert urls[0] == "https://example.org/glossary/terms/alpha-unit/"
    for target, message in ((tmp_path / "missing" / "x.json", "does not exist"),
                            (tmp_path, "this is a folder")):
        capsys.readouterr()
        assert cli(["export", "terms", "--format", "json", "--dir", glossary,
                    "-o", str(target)]) == 2
        err = capsys.readouterr().err
        assert f"{target}: error: " in err and message in err and "nothing was written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["terms.json"]
    # Never over an entry or the taxonomy (a slip of -o would lose it).
    copy = tmp_path / "copy"
    shutil.copytree(glossary, copy)
    for name in ("alpha-unit.md", "_taxonomy.yml", "new.md"):
        before = {p.name: p.read_bytes() for p in copy.iterdir()}
        capsys.readouterr()
        assert cli(["export", "terms", "--format", "csv", "--dir", str(copy),
                    "-o", str(copy / name)]) == 2
        assert "error: this is a file of the glossary folder" in capsys.readouterr().err
        assert {p.name: p.read_bytes() for p in copy.iterdir()} == before
    shutil.rmtree(copy)
    # A link is written through to its target (and a pipe or device in place).
    target, link = tmp_path / "real.csv", tmp_path / "link.csv"
    target.write_text("")
    link.symlink_to(target)
    assert cli(["export", "terms", "--format", "csv", "--dir", glossary, "-o", str(link)]) == 0
    assert link.is_symlink() and target.read_text().startswith(
        # The columns of earlier versions keep their places; new ones come last.
        "slug,title,summary,difficulty,domains,industries,keywords,aliases,related,"
        "prerequisites,url,demo,references\n")


def test_the_graph_export_follows_autolink_as_the_site_does(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """With `autolink: false` the site's graph has no mention links; the export had them."""
    mini = copy_fixture("mini", tmp_path)
    config = mini / "mkdocs.yml"
    monkeypatch.chdir(mini)
    kinds = {}
    for autolink in (True, False):
        config.write_text(config.read_text().replace(
            "  - lexigraph\n" if autolink else "      autolink: true\n",
            "  - lexigraph:\n      autolink: true\n" if autolink else "      autolink: false\n"))
        out = tmp_path / f"graph-{autolink}.json"
        assert cli(["export", "graph", "--format", "json", "-o", str(out)]) == 0
        kinds[autolink] = {e["kind"] for e in json.loads(out.read_text())["edges"]}
    assert "mentions" in kinds[True] and "mentions" not in kinds[False]


def test_the_api_with_its_defaults_builds_a_glossary_that_uses_demos() -> None:
    """Without a demos folder given, demo names are not checked (they were: 'unknown demo')."""
    g = build_glossary(ROOT / "glossary")
    assert any(t.demo for t in g.terms.values())


def test_cli_export_without_a_demos_folder_leaves_demo_names_unchecked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    glossary = tmp_path / "content" / "glossary"
    shutil.copytree(FIXTURES / "mini" / "glossary", glossary)
    alpha = glossary / "alpha-unit.md"
    alpha.write_text(alpha.read_text().replace("aliases: [AU]\n", "aliases: [AU]\ndemo: wave\n"))
    monkeypatch.chdir(tmp_path)  # no demos/ here nor beside the glossary
    out = tmp_path / "terms.json"
    assert cli(["export", "terms", "--format", "json", "--dir", str(glossary), "-o", str(out)]) == 0
    assert json.loads(out.read_text())["terms"][0]["demo"] == "wave"


# --- Local graphs and page parts ------------------------------------------------------------

def test_local_graph_is_a_radial_tree(real: Glossary, real_view: GraphLayout) -> None:
    for slug in real.terms:
        data = local_graph(real, real_view, slug)
        nodes, edges = data["nodes"], data["edges"]
        assert 1 < len(nodes) <= LOCAL_LIMIT
        rings = {n[0]: n[2] for n in nodes}
        assert rings[slug] == 0 and set(rings.values()) <= {0, 1, 2}
        centre = next(n for n in nodes if n[0] == slug)
        assert centre[3:5] == [0.0, 0.0]
        radii = {ring: {round(math.hypot(n[3], n[4]), 1) for n in nodes if n[2] == ring}
                 for ring in (1, 2)}
        assert all(len(r) <= 1 for r in radii.values())  # one circle per ring
        # One line into each non-centre term, from the ring inside it: a tree.
        reached = sorted(nodes[j if nodes[i][2] < nodes[j][2] else i][0] for i, j, _ in edges)
        assert reached == sorted(s for s in rings if s != slug)
        for i, j, kind in edges:
            assert abs(nodes[i][2] - nodes[j][2]) == 1
            assert real.graph.has_edge(nodes[i][0], nodes[j][0], key=data["kinds"][kind])


def test_local_graph_urls_follow_the_url_style(real: Glossary, real_view: GraphLayout) -> None:
    assert local_graph(real, real_view, Slug("lstm"))["url"] == "../{}/"
    assert local_graph(real, real_view, Slug("lstm"), use_directory_urls=False)["url"] == "{}.html"


def test_local_graph_goes_at_the_marker(real: Glossary) -> None:
    section = f"## Concept map {{ data-search-exclude }}\n\n{render.MAP_PART}"
    slug = Slug("lstm")
    default = render.term_page(real, slug)
    assert default.count(section) == 1
    assert default.index(section) < default.index("## Keywords")
    assert default.index(section) > default.index("## Learning path")
    # An entry may place it: then it is there, and only there.
    body = real.bodies[slug]
    marked = dataclasses.replace(real, bodies={**real.bodies, slug: (
        body.replace("\n## ", f"\n{render.LOCAL_MARKER}\n\n## ", 1))})
    page = render.term_page(marked, slug)
    assert page.count(section) == 1 and render.LOCAL_MARKER not in page
    assert page.index(section) < page.index(body.split("\n## ", 2)[1].split("\n")[0])
    # A term linked with no other term has no map, and no heading for one.
    alone = dataclasses.replace(real, graph=real.graph.subgraph(set(real.terms) - {slug}).copy())
    alone.graph.add_node(slug)
    assert not render.has_concept_map(alone, slug)
    assert "Concept map" not in render.term_page(alone, slug)


def copy_node_modules(target: Path) -> Path:
    """A node_modules holding the pinned files of our libraries, copied from the checkout's."""
    for package, names in VENDOR.items():
        for name in ("package.json", *names):
            (target / package / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / "node_modules" / package / name, target / package / name)
    return target


def test_a_damaged_node_modules_is_passed_over_with_a_warning(tmp_path: Path) -> None:
    project = tmp_path / "project"
    modules = copy_node_modules(project / "node_modules")
    sigma = modules / "sigma" / "dist" / "sigma.min.js"
    with sigma.open("r+b") as fh:  # cut short, as a full disk or an interrupted copy leaves it
        fh.truncate(500)
    (modules / "3d-force-graph" / "LICENSE").unlink()
    package = modules / "graphology" / "package.json"
    package.write_text(json.dumps({"name": "graphology", "version": "0.25.4"}))
    found, passed_over = find_node_modules(project)
    assert found == ROOT / "node_modules"  # the checkout's, which verifies
    assert passed_over == {modules: [
        f"{modules / '3d-force-graph' / 'LICENSE'}: missing",
        f"{modules / 'graphology'}: version 0.25.4, 0.26.0 pinned",
        f"{sigma}: not the pinned file (its sha256 differs)"]}
    warnings: list[str] = []
    files = vendor_files(project, warn=warnings.append)
    assert all(f.source.is_relative_to(ROOT / "node_modules") for f in files)
    [warning] = warnings
    assert warning.startswith("concept graph: the front-end libraries in node_modules are not "
                              f"the pinned ones, so the site takes the verified copy in "
                              f"{ROOT / 'node_modules'}:\n    {modules / '3d-force-graph'}")
    assert f"\n    {sigma}: not the pinned file (its sha256 differs)\n" in warning
    assert warning.endswith(f"    fix: run `npm ci` in {project} to reinstall them as "
                            "package-lock.json pins them")


def test_node_modules_above_the_project_is_taken_only_when_it_verifies(tmp_path: Path) -> None:
    home = tmp_path / "home"  # e.g. ~/node_modules, installed for something else
    modules = copy_node_modules(home / "node_modules")
    (modules / "sigma" / "package.json").write_text('{"name": "sigma", "version": "2.4.0"}')
    project = home / "glossary"
    project.mkdir()
    # Not ours to report, nor to use: the checkout's verified copy is taken.
    assert find_node_modules(project) == (ROOT / "node_modules", {})
    shutil.copyfile(ROOT / "node_modules" / "sigma" / "package.json",
                    modules / "sigma" / "package.json")
    assert find_node_modules(project) == (modules, {})


def test_vendor_files_come_from_node_modules() -> None:
    files = {f.uri: f.source for f in vendor_files(ROOT)}
    sigma = ROOT / "node_modules" / "sigma" / "dist" / "sigma.min.js"
    assert files["assets/lexigraph/vendor/sigma.min.js"] == sigma
    assert "assets/lexigraph/vendor/LICENSE-3d-force-graph.txt" in files
    assert all(path.is_file() for path in files.values())
