"""Chromium, a loopback server, every other host blocked: what the browser benchmarks and the
browser tests (``tests/conftest.py``) share, kept here so that benchmarks do not import the
test suite.
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CHROMIUM = os.environ.get("LEXIGRAPH_CHROMIUM", "/usr/bin/chromium")
#: Flags that work as root without a network (see ../shared/README.md); no GPU here, so WebGL
#: (the concept graph) runs on SwiftShader.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--enable-unsafe-swiftshader"]


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files as a web server sends them (``.wasm`` as WebAssembly), unlogged and never
    cached: a rebuilt site is read afresh. A missing file gets the site's ``404.html``, as
    static hosts send it."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript",
                      ".js": "text/javascript", ".json": "application/json"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A page navigating away (or a context closing) drops its connection mid-response; that
        # is the browser's right, not a failure, and the stdlib would print a traceback for it.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def start(directory: Path, handler: type[Handler] = Handler) -> tuple[Server, str]:
    """Serve ``directory`` on a free 127.0.0.1 port from a daemon thread: (server, base URL)."""
    server = Server(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on a free 127.0.0.1 port while the block runs; yield its base URL."""
    server, base = start(site)
    try:
        yield base
    finally:
        server.shutdown()


def loopback_context(browser: Any, blocked: list[str] | None = None, **options: Any) -> Any:
    """A browser context that aborts every request to a host other than 127.0.0.1 and notes
    its URL in ``blocked`` (``data:`` and ``blob:`` URLs stay in the page)."""
    context = browser.new_context(**options)

    def route(r: Any) -> None:
        url = urlsplit(r.request.url)
        if url.scheme in ("data", "blob") or url.hostname == "127.0.0.1":
            r.continue_()
        else:
            if blocked is not None:
                blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context
