"""A page's weight as a browser loads it: every request headless Chromium makes, by kind.

The static count of :func:`bench.measure.page_weight` misses what scripts load later (Lexigraph's
loader fetches the graph or demo scripts only on pages that need them; Material's search worker
fetches the search index). Here the site is served on 127.0.0.1, the page is opened in Debian's
Chromium through Playwright, every non-loopback request is aborted and recorded, and the bytes of
every response are summed once the network is idle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .browser import ARGS, CHROMIUM, loopback_context, serve
from .measure import asset_kind

#: Site-wide files Material's scripts fetch on any page (the search worker's index, the sitemap
#: that instant navigation reads): the same behaviour in both builds, but they grow with N.
SITEWIDE = ("search/search_index.json", "sitemap.xml")


def kind_of(path: str, page: str) -> str:
    """``page`` (the HTML), ``sitewide``, or :func:`bench.measure.asset_kind`'s kinds."""
    if path == page:
        return "page"
    if path in SITEWIDE:
        return "sitewide"
    return asset_kind(path)


def loaded_weight(site: Path, page_url: str, settle_ms: int = 1000) -> dict[str, Any]:
    """Open ``site``/``page_url`` (``terms/relu/``) and weigh what it loads.

    Returns bytes by kind (``page``, ``own``, ``theme``, ``sitewide``, ``pyodide``), every request,
    ``own_bytes`` = page + own, and ``external`` (requests to other hosts: must be empty).
    Raises ``RuntimeError`` when Chromium is missing.
    """
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing (`make test` installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    external: list[str] = []
    responses: list[Any] = []
    with serve(site) as base:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = loopback_context(browser, external)
            tab = context.new_page()
            tab.on("response", lambda response: responses.append(response))
            tab.goto(base + page_url, wait_until="networkidle")
            tab.wait_for_timeout(settle_ms)  # scripts that load more after the first idle
            loaded = []
            for response in responses:
                path = urlsplit(response.url).path.lstrip("/")
                if response.status >= 300:  # redirects and errors carry no asset
                    continue
                loaded.append({"path": path, "bytes": len(response.body()),
                               "kind": kind_of(path, page_url)})
            browser.close()
    by_kind = {k: sum(r["bytes"] for r in loaded if r["kind"] == k)
               for k in ("page", "own", "theme", "sitewide", "pyodide")}
    return {"page": page_url, "requests": sorted(loaded, key=lambda r: r["path"]),
            "bytes_by_kind": by_kind, "own_bytes": by_kind["page"] + by_kind["own"],
            "external": sorted(set(external))}
