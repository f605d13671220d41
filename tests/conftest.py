"""Shared fixtures: real site builds, a loopback HTTP server, and headless Chromium.

Browser tests use Debian's Chromium through Playwright (no ``playwright install``). Every
request to a host other than 127.0.0.1 is aborted and recorded; a test that attempted one, or
whose page logged a console error, fails at teardown.
"""

from __future__ import annotations

import functools
import http.server
import logging
import os
import re
import shutil
import socketserver
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = os.environ.get("LEXIGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # No GPU here: WebGL (the concept graph's 2D and 3D views) runs on SwiftShader. Playwright
    # passes this flag by default today; naming it keeps WebGL on if that default changes.
    "--enable-unsafe-swiftshader",
]

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def build_site(project: Path, site_dir: Path, **overrides: object) -> Path:
    """Build the MkDocs project at ``project`` into ``site_dir`` (strict, like CI)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cwd = os.getcwd()
    os.chdir(project)  # relative plugin paths resolve against the config file anyway
    try:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir), **overrides)
        build(config)
    finally:
        os.chdir(cwd)
    return site_dir


@pytest.fixture(autouse=True)
def _no_mkdocs_warnings(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """A build that logs an unexpected MkDocs warning fails the test that ran it."""
    caplog.set_level(logging.WARNING, logger="mkdocs")
    yield
    bad = [r for r in caplog.get_records("call") if r.name.startswith("mkdocs")
           and r.levelno >= logging.WARNING and not getattr(r, "expected", False)]
    assert not bad, "MkDocs warned: " + "; ".join(r.getMessage() for r in bad)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own glossary, built once per test session (per xdist worker)."""
    return build_site(ROOT, tmp_path_factory.mktemp("real") / "site")


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A three-term fixture glossary: small, fast, every feature present."""
    return build_site(FIXTURES / "mini", tmp_path_factory.mktemp("mini") / "site")


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript",
                      ".js": "text/javascript", ".json": "application/json"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A page navigating away mid-download closes its socket; that is the browser's right,
        # not a failure, and the stdlib would print a traceback for it.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@functools.cache
def _serve(directory: str) -> str:
    server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=directory))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def serve(directory: Path) -> str:
    """Serve ``directory`` on 127.0.0.1 for the rest of the session; return its base URL."""
    return _serve(str(directory))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class PageWatch:
    """What a page did that a test must know about."""

    def __init__(self) -> None:
        self.external: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.allowed_console: list[str] = []


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


@pytest.fixture
def page(browser: object, watch: PageWatch) -> Iterator[object]:
    """A fresh page; non-loopback requests are aborted and recorded, errors are recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]

    def route(r: object) -> None:
        url = r.request.url  # type: ignore[attr-defined]
        host = urlsplit(url).hostname
        if urlsplit(url).scheme in ("data", "blob") or host in ("127.0.0.1",):
            r.continue_()  # type: ignore[attr-defined]
        else:
            watch.external.append(url)
            r.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    pg = context.new_page()
    pg.on("console", lambda m: watch.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: watch.page_errors.append(str(e)))
    yield pg
    context.close()
    assert watch.external == [], f"the site tried to reach other hosts: {watch.external}"
    assert watch.page_errors == [], f"uncaught errors in the page: {watch.page_errors}"
    unexpected = [m for m in watch.console_errors
                  if not any(a in m for a in watch.allowed_console)]
    assert unexpected == [], f"console errors: {unexpected}"


def instant_navigation(page: object, base: str) -> None:
    """Let Material's instant navigation take over links on the test server, as on a real site.

    Material intercepts a click only on a page listed in ``sitemap.xml``, matching the
    sitemap's addresses after copying the page's protocol and host name into them, not its
    port: the built sitemap names ``site_url``'s port, not the test server's, and without this
    every click would load the whole page.
    """
    def rewrite(route: object) -> None:
        response = route.fetch()  # type: ignore[attr-defined]
        body = re.sub(r"<loc>https?://[^/<]+/", f"<loc>{base}", response.text())
        route.fulfill(response=response, body=body)  # type: ignore[attr-defined]

    page.route("**/sitemap.xml", rewrite)  # type: ignore[attr-defined]


def copy_fixture(name: str, tmp_path: Path) -> Path:
    """A writable copy of a fixture project, without what earlier builds of it cached."""
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns(".lexigraph-cache"))
    return target
