"""Shared fixtures: real site builds, a loopback HTTP server, and headless Chromium.

Browser tests use Debian's Chromium through Playwright (no ``playwright install``), with the
flags, server and host blocking of :mod:`bench.browser` (the benchmarks use them too). Every
request to a host other than 127.0.0.1 is aborted and recorded; a test that attempted one, or
whose page logged a console error, fails at teardown.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from bench.browser import ARGS, CHROMIUM, loopback_context, start

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
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


@functools.cache
def _serve(directory: str) -> str:
    return start(Path(directory))[1]


def serve(directory: Path) -> str:
    """Serve ``directory`` on 127.0.0.1 for the rest of the session; return its base URL."""
    return _serve(str(directory))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
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


@contextlib.contextmanager
def watched_page(browser: object, watch: PageWatch, **options: object) -> Iterator[object]:
    """A fresh page in a context of its own (``options``: Playwright's, such as ``viewport``
    or ``has_touch``); non-loopback requests are aborted and recorded, errors are recorded,
    and once the test is over any of them fails it."""
    context = loopback_context(browser, watch.external, **options)
    pg = context.new_page()
    pg.on("console", lambda m: watch.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: watch.page_errors.append(str(e)))
    try:
        yield pg
    finally:
        context.close()
    assert watch.external == [], f"the site tried to reach other hosts: {watch.external}"
    assert watch.page_errors == [], f"uncaught errors in the page: {watch.page_errors}"
    unexpected = [m for m in watch.console_errors
                  if not any(a in m for a in watch.allowed_console)]
    assert unexpected == [], f"console errors: {unexpected}"


@pytest.fixture
def page(browser: object, watch: PageWatch) -> Iterator[object]:
    """A fresh desktop page (see :func:`watched_page`)."""
    with watched_page(browser, watch, viewport={"width": 1280, "height": 900}) as pg:
        yield pg


def search_for(page: object, query: str) -> None:
    """Open Material's search on the current page and type ``query``, as a reader does."""
    page.keyboard.press("/")  # type: ignore[attr-defined]
    page.keyboard.type(query)  # type: ignore[attr-defined]


#: Marks the page once Material has read the sitemap. Until then its instant navigation lets
#: a click load the whole page (it takes the sitemap's latest value when a click comes, and
#: there is none yet). Material parses the sitemap with ``DOMParser`` and hands the result on
#: in the same task, so the mark, set in a task of its own after that, comes after it.
SITEMAP_READ = """(() => {
  const parse = DOMParser.prototype.parseFromString;
  DOMParser.prototype.parseFromString = function (text, type) {
    const parsed = parse.call(this, text, type);
    if (parsed.documentElement?.localName === "urlset") {
      setTimeout(() => { window.lxSitemapRead = true; });
    }
    return parsed;
  };
})();"""


def instant_navigation(page: object, base: str | None = None) -> None:
    """Let Material's instant navigation take over links on the test server, as on a real site.

    Material intercepts a click only on a page listed in ``sitemap.xml``, matching the
    sitemap's addresses after copying the page's protocol and host name into them, not its
    port: the built sitemap names ``site_url``'s port, not the test server's, and without this
    every click would load the whole page. (Pass no ``base`` for a site built for the server's
    own address.) A test then waits with :func:`instant_ready` on each page it opens.
    """
    page.add_init_script(SITEMAP_READ)  # type: ignore[attr-defined]
    if base is None:
        return

    def rewrite(route: object) -> None:
        try:
            response = route.fetch()  # type: ignore[attr-defined]
            body = re.sub(r"<loc>https?://[^/<]+/", f"<loc>{base}", response.text())
            route.fulfill(response=response, body=body)  # type: ignore[attr-defined]
        except PlaywrightError:
            # Material asks for the sitemap whenever it likes: when the test has ended and its
            # context is closed, the error would land on whichever test runs next.
            if not page.is_closed():  # type: ignore[attr-defined]
                raise

    page.route("**/sitemap.xml", rewrite)  # type: ignore[attr-defined]


def instant_ready(page: object) -> None:
    """Wait until Material has read the sitemap of the page just opened, so that a click
    navigates instantly: before, it loads the whole page (a test failed that way in CI)."""
    page.wait_for_function("window.lxSitemapRead === true")  # type: ignore[attr-defined]


def our_file(name: str) -> re.Pattern[str]:
    """What a test routes to catch requests for one of our files (``index.js``), whose
    addresses end with their version (``?v=...``: see :mod:`lexigraph.site_assets`)."""
    return re.compile(rf"/assets/lexigraph/{re.escape(name)}(\?v=\w+)?$")


def copy_fixture(name: str, tmp_path: Path) -> Path:
    """A writable copy of a fixture project, without what earlier builds of it cached."""
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns(".lexigraph-cache"))
    return target
