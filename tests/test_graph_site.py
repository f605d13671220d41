"""The concept graph in a built site: graph.json, the graph page, term pages, libraries."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from lexigraph.graph import learning_path
from lexigraph.graph_page import VENDOR
from lexigraph.local_graph import LOCAL_LIMIT
from lexigraph.pipeline import Glossary, build_glossary

from .conftest import FIXTURES, ROOT, build_site, copy_fixture

LOCAL = re.compile(r"<figure class=\"lx-local-graph\" data-lx-local-graph='([^']*)'")


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return build_glossary(ROOT / "glossary", ROOT / "demos")


@pytest.fixture(scope="module")
def graph(real_site: Path) -> dict:
    return json.loads((real_site / "graph.json").read_text(encoding="utf-8"))


def local_data(site: Path, slug: str) -> dict:
    found = LOCAL.search((site / "terms" / slug / "index.html").read_text(encoding="utf-8"))
    assert found, f"terms/{slug}/ has no concept map"
    return json.loads(html.unescape(found.group(1)))


def test_graph_json_has_every_term_and_link(graph: dict, glossary: Glossary,
                                            real_site: Path) -> None:
    assert (graph["schema"], graph["version"]) == ("lexigraph/site-graph", 1)
    assert [n["id"] for n in graph["nodes"]] == sorted(glossary.terms)
    for node in graph["nodes"]:
        assert (real_site / graph["url"].replace("{}", node["id"]) / "index.html").is_file()
        assert node["title"] == glossary.terms[node["id"]].title
        assert node["summary"] == glossary.terms[node["id"]].summary
        assert -1 <= node["x"] <= 1 and -1 <= node["z3"] <= 1
    ids = [n["id"] for n in graph["nodes"]]
    links = sorted((ids[s], ids[t], graph["kinds"][k]) for s, t, k in graph["edges"])
    assert links == sorted(glossary.graph.edges(keys=True))
    assert [d["key"] for d in graph["domains"]] == list(glossary.taxonomy.domains)


def test_graph_json_is_compact(real_site: Path, tmp_path: Path) -> None:
    from lexigraph.export import export

    node_link = export(build_glossary(ROOT / "glossary", ROOT / "demos"), "graph", "json",
                       cache_dir=tmp_path)
    assert (real_site / "graph.json").stat().st_size < len(node_link) / 2


def test_two_builds_write_the_same_graph(real_site: Path, tmp_path: Path) -> None:
    again = build_site(ROOT, tmp_path / "site")
    assert (again / "graph.json").read_bytes() == (real_site / "graph.json").read_bytes()


def test_graph_page_is_in_the_nav_and_loads_no_data_itself(real_site: Path) -> None:
    page = (real_site / "graph" / "index.html").read_text(encoding="utf-8")
    digest = hashlib.sha256((real_site / "graph.json").read_bytes()).hexdigest()[:10]
    # (the address ends with the file's digest: a graph kept by the browser is not reused)
    assert f'data-lx-graph="../graph.json?v={digest}"' in page
    assert f'<link rel="preload" href="../graph.json?v={digest}" as="fetch"' in page
    assert 'data-lx-vendor="../assets/lexigraph/vendor/"' in page
    assert '<details class="lx-graph-text">' in page
    home = (real_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="graph/" class="md-nav__link">\s*<span[^>]*>\s*Concept graph', home)


def test_vendor_libraries_are_copied_from_node_modules(real_site: Path) -> None:
    vendor = real_site / "assets" / "lexigraph" / "vendor"
    for package, names in VENDOR.items():
        for name in names:
            source = ROOT / "node_modules" / package / name
            target = vendor / (f"LICENSE-{package}.txt" if "LICENSE" in name else Path(name).name)
            assert target.read_bytes() == source.read_bytes()
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]
    assert {p: pinned[p] for p in VENDOR} == {"graphology": "0.26.0", "sigma": "3.0.3",
                                             "3d-force-graph": "1.80.0"}


def test_every_term_page_has_its_local_graph_and_stays_small(real_site: Path,
                                                             glossary: Glossary) -> None:
    for slug in glossary.terms:
        page = (real_site / "terms" / slug / "index.html").read_text(encoding="utf-8")
        assert "graph.json" not in page  # the global graph is fetched by the graph page only
        data = local_data(real_site, slug)
        assert 1 < len(data["nodes"]) <= LOCAL_LIMIT
        assert any(n[0] == slug and n[2] == 0 for n in data["nodes"])
        embedded = LOCAL.search(page).group(1)
        assert len(embedded.encode()) < 8000, slug  # a few KB per page, whatever the glossary
        for other in (n[0] for n in data["nodes"]):
            assert (real_site / data["url"].replace("{}", other).replace("../", "terms/")
                    / "index.html").is_file()


def test_the_concept_maps_caption_says_what_each_kind_of_line_is(real_site: Path) -> None:
    """A reader took LSTM's arrow to Gradient (a mention) for a prerequisite: the caption
    named only prerequisites, and mentions are drawn with arrows too."""
    page = (real_site / "terms" / "lstm" / "index.html").read_text(encoding="utf-8")
    caption = re.search(r"<figcaption>(.*?)</figcaption>", page[page.index("lx-local-graph"):])
    kinds = set(local_data(real_site, "lstm")["kinds"])
    assert kinds == {"prerequisite", "related", "mentions"}
    for words in ("Thick arrows point from a prerequisite", "thin ones from a term to the terms "
                  "its text mentions", "dashed lines join related terms"):
        assert words in caption.group(1)
    css = (real_site / "assets/lexigraph/lexigraph.css").read_text(encoding="utf-8")
    assert "lx-map-edge--related{" in css.replace(" ", "") and "stroke-dasharray" in css


def test_learning_path_section_follows_the_model(real_site: Path, glossary: Glossary) -> None:
    page = (real_site / "terms" / "lstm" / "index.html").read_text(encoding="utf-8")
    section = page[page.index('id="learning-path"'):]
    section = section[:section.index("</ol>")]
    linked = re.findall(r'<a href="\.\./([^/]+)/"', section)
    assert linked == learning_path(glossary.graph, "lstm", glossary.dag)[:-1]
    assert "<strong>LSTM</strong>" in section
    # (not "fundamentals first": Neuron, needed only late in LSTM's path, comes late)
    assert "Read these first, in this order: each comes after what it needs." in section
    assert page.index('id="learning-path"') < page.index('id="concept-map"')


def test_hostile_titles_stay_data_in_the_local_graph(tmp_path: Path) -> None:
    site = build_site(copy_fixture("hostile", tmp_path), tmp_path / "site")
    page = (site / "terms" / "plain" / "index.html").read_text(encoding="utf-8")
    attribute = LOCAL.search(page).group(1)
    assert "<" not in attribute and "'" not in attribute  # (it is in single quotes)
    titles = {n[0]: n[1] for n in json.loads(html.unescape(attribute))["nodes"]}
    assert titles["hostile"] == '<script>alert("title")</script> & "Quotes"'
    assert titles["plain"] == "Plain term's twin"
    graph = json.loads((site / "graph.json").read_text(encoding="utf-8"))
    assert any(n["title"] == titles["hostile"] for n in graph["nodes"])


def test_build_without_node_modules_nor_registry_fails_with_the_fix(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
        ) -> None:
    from mkdocs.exceptions import Abort

    from lexigraph.frontend_fetch import CACHE_ENV, REGISTRY_ENV

    # An installed Lexigraph (no node_modules), an empty cache, and no registry in reach.
    monkeypatch.setattr("lexigraph.graph_page.find_node_modules", lambda start: (None, {}))
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(REGISTRY_ENV, "http://127.0.0.1:9/")
    with pytest.raises(Abort):
        build_site(copy_fixture("mini", tmp_path), tmp_path / "site")
    [error] = [r for r in caplog.records if r.name.startswith("mkdocs") and r.levelname == "ERROR"]
    error.expected = True  # the point of this test
    assert error.getMessage().startswith(
        "concept graph: could not download the graph page's library 3d-force-graph@1.80.0 from "
        "http://127.0.0.1:9/3d-force-graph/-/3d-force-graph-1.80.0.tgz (")
    assert error.getMessage().endswith("fix: check the network connection and the proxy "
                                       "settings, then run `lexigraph frontend fetch` to retry "
                                       "(in a checkout of Lexigraph, `npm ci` works too)")
    assert "Traceback" not in caplog.text


def test_a_damaged_layout_file_is_computed_again(tmp_path: Path) -> None:
    from lexigraph.layout import analyse

    g = build_glossary(FIXTURES / "mini" / "glossary")
    first = analyse(g.graph, tmp_path)
    [entry] = tmp_path.glob("graph-*.json")
    assert analyse(g.graph, tmp_path) == first  # read back
    # Valid JSON, its fields missing: computed again (and rewritten), not a crash.
    entry.write_text(json.dumps({"key": first.key}))
    assert analyse(g.graph, tmp_path) == first
    assert "pos2d" in json.loads(entry.read_text())


def test_a_second_project_built_in_the_process_gets_its_own_caches(tmp_path: Path) -> None:
    """MkDocs keeps one plugin instance per process: a build of another project (with the
    same graph) must not take the first one's layout from memory and leave its own cache
    folder without it."""
    first, second = (copy_fixture("mini", tmp_path / name) for name in ("a", "b"))
    build_site(first, tmp_path / "site-a")
    build_site(second, tmp_path / "site-b")
    assert [p.name for p in (first / ".lexigraph-cache").glob("graph-*.json")] == \
        [p.name for p in (second / ".lexigraph-cache").glob("graph-*.json")] != []


def test_layout_cache_lives_in_the_project(tmp_path: Path) -> None:
    project = copy_fixture("mini", tmp_path)
    build_site(project, tmp_path / "one")
    [entry] = (project / ".lexigraph-cache").glob("graph-*.json")
    stamp = entry.stat().st_mtime_ns
    build_site(project, tmp_path / "two")
    assert list((project / ".lexigraph-cache").glob("graph-*.json")) == [entry]
    assert (tmp_path / "one" / "graph.json").read_bytes() == \
        (tmp_path / "two" / "graph.json").read_bytes()
    assert entry.stat().st_mtime_ns >= stamp


def test_a_layout_cache_that_cannot_be_touched_is_still_read(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # A read-only project (another user's checkout, a read-only mount) with a cache in it.
    import lexigraph.layout as layout

    built = copy_fixture("mini", tmp_path / "built")
    build_site(built, tmp_path / "one")
    # (A project of its own: the plugin keeps the last project's layout in memory.)
    project = tmp_path / "read-only"
    shutil.copytree(built, project)
    touch = os.utime

    def refused(path: Any, *args: Any, **kwargs: Any) -> None:
        if ".lexigraph-cache" in str(path):
            raise PermissionError(13, "Permission denied", str(path))
        touch(path, *args, **kwargs)

    def not_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("the layout was computed again")

    monkeypatch.setattr(layout.os, "utime", refused)
    monkeypatch.setattr(layout, "_compute", not_again)
    build_site(project, tmp_path / "two")
    assert (tmp_path / "one" / "graph.json").read_bytes() == \
        (tmp_path / "two" / "graph.json").read_bytes()


_BACKGROUND = """
import json, os, sys, time
from pathlib import Path
from typing import Any
import lexigraph.layout as layout
from lexigraph.pipeline import build_glossary

glossary_dir, cache, case = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
g = build_glossary(glossary_dir)
parent, compute = os.getpid(), layout._compute
computed_here = []
def in_copy(*args):
    if os.getpid() == parent:
        computed_here.append(1)
    else:
        if case == "copy fails":
            raise RuntimeError("the copy fails")
        if case == "stopped":
            time.sleep(30)
    return compute(*args)
layout._compute = in_copy
layout.BACKGROUND_FROM = 1
analysis = layout.Analysis(g.graph, cache, g.structure, background=True)
if case == "stopped":
    time.sleep(0.5)  # the copy is busy
    analysis.stop()
    try:
        os.waitpid(-1, os.WNOHANG)
        reaped = False  # a child is left
    except ChildProcessError:
        reaped = True
    files = sorted(p.name for p in cache.iterdir()) if cache.exists() else []
    print(json.dumps({"background": analysis.background, "reaped": reaped, "files": files}))
    sys.exit(0)
got = analysis.result()
print(json.dumps({"background": analysis.background, "computed here": len(computed_here),
                  "same": got == layout.analyse(g.graph),
                  "files": sorted(p.name for p in cache.iterdir())}))
"""


@pytest.mark.parametrize("case", ["copy computes", "copy fails", "stopped"])
def test_the_layout_computed_meanwhile_is_the_layout(tmp_path: Path, case: str) -> None:
    """layout.Analysis forks a copy that computes the layout while the build goes on and
    leaves it in the cache file; if the copy fails, the layout is computed where it is
    needed; a copy stopped early leaves no process and no partial file behind."""
    import subprocess
    import sys

    cache = tmp_path / "cache"
    done = subprocess.run([sys.executable, "-c", _BACKGROUND, str(FIXTURES / "mini" / "glossary"),
                           str(cache), case], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["background"]
    if case == "stopped":
        assert out["reaped"] and out["files"] == []
        return
    assert out["same"]
    assert out["computed here"] == (1 if case == "copy fails" else 0)
    assert [name for name in out["files"] if name.startswith("graph-")]
    assert not [name for name in out["files"] if name.endswith(".tmp")]
