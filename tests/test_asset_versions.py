"""A site updated in place: a reader's browser never runs our scripts, nor reads the data, of
the build before.

Our scripts and stylesheets keep their names from build to build, so a browser that kept one
(for as long as the host allows, or, from a host that says nothing, for as long as it guesses)
would run it with pages it was not written for. Their addresses end with ``?v=`` and a digest
of them all; the data that changes with the glossary is asked for afresh each visit.
"""

from __future__ import annotations

import contextlib
import http.server
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench.browser import ARGS, CHROMIUM, Handler, start
from lexigraph import site_assets

from .conftest import build_site, copy_fixture, serve

OURS = re.compile(r'(?:src|href)="([^"]*assets/lexigraph/[^"]+\.(?:js|css)[^"]*)"')


def _addresses(site: Path) -> dict[str, set[str]]:
    """Each page's addresses of our scripts and stylesheets (vendor libraries included)."""
    return {str(p.relative_to(site)): set(OURS.findall(p.read_text(encoding="utf-8")))
            for p in site.rglob("*.html")}


def test_every_address_of_our_files_carries_their_version(real_site: Path) -> None:
    version = site_assets.version()
    found = _addresses(real_site)
    assert len([page for page, urls in found.items() if urls]) == len(found) > 50
    unversioned = {page: sorted(u for u in urls if not u.endswith(f"?v={version}"))
                   for page, urls in found.items()}
    assert {page: urls for page, urls in unversioned.items() if urls} == {}
    graph = found["graph/index.html"]
    assert any("vendor/sigma.min.js?v=" in u for u in graph)  # the graph libraries too


def test_the_version_follows_our_files_and_only_them(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit of the glossary leaves every script tag as it was (no page changes for it); an
    edit of one of our files changes them all."""
    project = copy_fixture("mini", tmp_path)
    first = _addresses(build_site(project, tmp_path / "one"))
    entry = project / "glossary" / "beta-layer.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace(
        "summary: ", "summary: Now edited. ", 1), encoding="utf-8")
    assert _addresses(build_site(project, tmp_path / "two")) == first
    copy = tmp_path / "assets"
    shutil.copytree(site_assets.SOURCE, copy)
    with (copy / "lexigraph.css").open("a", encoding="utf-8") as css:
        css.write("\n.lx-new-rule { color: red; }\n")
    monkeypatch.setattr(site_assets, "SOURCE", copy)
    second = _addresses(build_site(project, tmp_path / "three"))
    assert second.keys() == first.keys()
    for page, urls in first.items():
        assert {u.split("?")[0] for u in second[page]} == {u.split("?")[0] for u in urls}
        assert not second[page] & urls, page


@contextlib.contextmanager
def _resolving_loopback_only(browser: object) -> Iterator[object]:
    """A context of a second Chromium, from the session's Playwright, that keeps its HTTP
    cache: Playwright's request interception (``loopback_context``) would turn it off, so
    other hosts are made unreachable by the browser's resolver instead."""
    rules = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
    second = browser.browser_type.launch(  # type: ignore[attr-defined]
        executable_path=CHROMIUM, args=[*ARGS, rules])
    try:
        yield second.new_context()
    finally:
        second.close()


def test_our_stylesheet_listed_by_the_project_keeps_its_place(tmp_path: Path) -> None:
    """A project that lists lexigraph.css before its own stylesheet, to override ours, had it
    moved after its own (its rules of equal weight lost), once the address carried a version."""
    project = copy_fixture("mini", tmp_path)
    (project / "docs" / "custom.css").write_text(".lx-summary { color: teal; }\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "extra_css:\n  - assets/lexigraph/lexigraph.css\n"
                      "  - custom.css\n")
    page = (build_site(project, tmp_path / "site") / "terms" / "alpha-unit" / "index.html"
            ).read_text(encoding="utf-8")
    styles = re.findall(r'<link rel="stylesheet" href="\.\./\.\./([^"]+)"', page)
    ours = [s for s in styles if s.startswith(("assets/lexigraph/", "custom.css"))]
    assert ours == [f"assets/lexigraph/lexigraph.css?v={site_assets.version()}", "custom.css"]


class _KeepingHandler(Handler):
    """A host that lets browsers keep every file but the pages for an hour, without asking
    again (GitHub Pages says ten minutes; a host that sends no header lets them guess)."""

    def end_headers(self) -> None:
        path = urlsplit(self.path).path
        page = path.endswith(("/", ".html")) or getattr(self, "_not_found", False)
        self.send_header("Cache-Control", "no-cache" if page else "max-age=3600")
        http.server.SimpleHTTPRequestHandler.end_headers(self)

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        self._not_found = True
        super().send_error(code, message, explain)


@pytest.mark.browser
def test_a_returning_reader_gets_the_updated_scripts_and_data(browser, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    """With the browser's own cache, as a reader's (see :func:`_resolving_loopback_only`):
    every request is recorded, and checked to be to this machine."""
    project = copy_fixture("mini", tmp_path)
    site = build_site(project, tmp_path / "site")
    server, base = start(site, _KeepingHandler)
    requests: list[str] = []
    try:
        with _resolving_loopback_only(browser) as context:
            context.on("request", lambda r: requests.append(r.url))
            page = context.new_page()
            page.goto(base + "terms/alpha-unit/")
            page.wait_for_function("window.lexigraphPreviews !== undefined")
            assert page.evaluate("window.lxBuild") is None
            page.goto(base + "terms/delta-blok/")  # the suggestions' names, kept by the browser
            page.wait_for_selector(".lx-notfound__offer[data-lx-answered]", state="attached")
            assert "Delta block" not in page.inner_text(".lx-notfound__offer")

            # The site is updated: a new version of lexigraph.js, and a new term.
            copy = tmp_path / "assets"
            shutil.copytree(site_assets.SOURCE, copy)
            with (copy / "lexigraph.js").open("a", encoding="utf-8") as script:
                script.write('\nwindow.lxBuild = "updated";\n')
            monkeypatch.setattr(site_assets, "SOURCE", copy)
            entry = (project / "glossary" / "alpha-unit.md").read_text(encoding="utf-8")
            (project / "glossary" / "delta-block.md").write_text(
                entry.replace("title: Alpha unit", "title: Delta block")
                     .replace("aliases: [AU]", "aliases: [DB]"), encoding="utf-8")
            build_site(project, site)

            page.goto(base + "terms/alpha-unit/")
            page.wait_for_function("window.lexigraphPreviews !== undefined")
            assert page.evaluate("window.lxBuild") == "updated"
            page.goto(base + "terms/delta-blok/")
            page.wait_for_selector(".lx-notfound__offer[data-lx-answered]", state="attached")
            assert "Delta block" in page.inner_text(".lx-notfound__offer")
    finally:
        server.shutdown()
    assert requests and [u for u in requests if urlsplit(u).hostname != "127.0.0.1"
                         and urlsplit(u).scheme not in ("data", "blob")] == []


@pytest.mark.browser
def test_a_returning_reader_runs_the_updated_demos(browser, tmp_path: Path) -> None:
    """Each build names its own demos wheel in the Pyodide lock, whose address did not
    change: a browser that kept the lock loaded the demos of the build before."""
    project = copy_fixture("mini", tmp_path)
    entry = project / "glossary" / "alpha-unit.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace(
        "difficulty: beginner\n", "difficulty: beginner\ndemo: numpy-probe\n", 1),
        encoding="utf-8")
    site = build_site(project, tmp_path / "site")
    server, base = start(site, _KeepingHandler)
    requests: list[str] = []
    demo = ".lx-demo[data-lx-demo=numpy-probe]"

    def live_summary(page: object, n: str) -> str:
        page.goto(base + "terms/alpha-unit/")  # type: ignore[attr-defined]
        page.wait_for_function("window.LexigraphRuntime && "  # type: ignore[attr-defined]
                               "window.LexigraphRuntime.stage() === 'ready'", timeout=120_000)
        page.fill(f"{demo} input[name=n]", n)  # type: ignore[attr-defined]
        page.dispatch_event(f"{demo} input[name=n]", "input")  # type: ignore[attr-defined]
        page.wait_for_function(  # type: ignore[attr-defined]
            "([s, n]) => { const el = document.querySelector(s); return el.dataset.lxState "
            "=== 'live' && JSON.parse(el.dataset.lxRunParams || '{}').n === n; }",
            arg=[demo, int(n)], timeout=120_000)
        return page.inner_text(f"{demo} .lx-demo__summary")  # type: ignore[attr-defined]

    try:
        with _resolving_loopback_only(browser) as context:
            context.on("request", lambda r: requests.append(r.url))
            page = context.new_page()
            assert live_summary(page, "5").startswith("The entries of A^6")
            module = project / "demos" / "numpy_probe.py"
            module.write_text(module.read_text(encoding="utf-8").replace(
                '"summary": f"The entries', '"summary": f"Updated: the entries', 1),
                encoding="utf-8")
            build_site(project, site)
            assert live_summary(page, "6").startswith("Updated: the entries of A^6")
    finally:
        server.shutdown()
    assert requests and [u for u in requests if urlsplit(u).hostname != "127.0.0.1"
                         and urlsplit(u).scheme not in ("data", "blob")] == []


@pytest.mark.browser
def test_what_our_scripts_load_carries_the_version_and_is_loaded_once(page, real_site: Path
                                                                      ) -> None:
    """The feature scripts and stylesheets, the graph libraries, the concept map's second
    script and the demos' worker: each is asked for with the version, once on its page."""
    base = serve(real_site)
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    seen: set[str] = set()

    def ours_since(start: int) -> list[str]:
        found = [u for u in asked[start:] if re.search(r"/assets/lexigraph/.*\.(js|css)(\?|$)", u)]
        seen.update(urlsplit(u).path.rsplit("/", 1)[-1] for u in found)
        assert len(found) == len(set(found)), found
        return found

    start = len(asked)
    page.goto(base + "terms/relu/")
    page.locator("svg.lx-map a").first.wait_for()
    page.locator("svg.lx-map a").first.focus()  # its keys and previews: local-graph-use.js
    page.wait_for_function("window.lexigraphPreviews.later !== null")
    ours = ours_since(start)
    start = len(asked)
    page.goto(base + "graph/")
    page.wait_for_function("document.querySelector('.lx-graph[data-state=ready]') !== null")
    page.click(".lx-graph-modes button[data-mode='3d']")
    page.wait_for_function("document.querySelector('.lx-graph[data-3d=ready]') !== null")
    ours += ours_since(start)
    start = len(asked)
    page.goto(base + "terms/")
    page.wait_for_function("document.querySelector('form[data-lx-ready]') !== null")
    ours += ours_since(start)
    start = len(asked)
    page.goto(base + "demos/")
    page.wait_for_function("window.LexigraphRuntime && "
                           "window.LexigraphRuntime.stage() === 'ready'", timeout=120_000)
    ours += ours_since(start)
    assert {"lexigraph.js", "lexigraph.css", "local-graph.js", "local-graph-use.js", "graph.js",
            "graph.css", "graph3d.js", "sigma.min.js", "3d-force-graph.min.js", "index.js",
            "index.css", "demo.js", "demo-worker.js"} <= seen
    version = f"?v={site_assets.version()}"
    assert [u for u in ours if not u.endswith(version)] == []
