"""Measuring a child process (wall time, CPU time, peak memory) and a built site's weight."""

from __future__ import annotations

import gzip
import os
import posixpath
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

#: Parts of a site that are the Pyodide runtime: excluded from page weights and reported apart.
PYODIDE_MARK = "pyodide"
#: Material's own assets (shared by both builds): reported apart from Lexigraph's.
THEME_PREFIXES = ("assets/javascripts/", "assets/stylesheets/", "assets/images/")

_ASSET = re.compile(
    r"""<link\b[^>]*?\brel="(?:stylesheet|preload|modulepreload)"[^>]*?\bhref="(?P<href>[^"]+)"
      | <link\b[^>]*?\bhref="(?P<href2>[^"]+)"[^>]*?\brel="(?:stylesheet|preload|modulepreload)"
      | <(?:script|img|source)\b[^>]*?\bsrc="(?P<src>[^"]+)"
      | \bdata-[\w-]+="(?P<data>[^"]+\.(?:json|js|mjs|css|svg))"
    """,
    re.VERBOSE,
)


@dataclass
class Run:
    """What one measured child process did."""

    returncode: int
    wall_s: float
    cpu_s: float
    peak_rss_mib: float
    stdout: str
    stderr: str

    def check(self, what: str) -> Run:
        if self.returncode != 0:
            tail = "\n".join((self.stderr or self.stdout).splitlines()[-30:])
            raise RuntimeError(f"{what} failed (exit {self.returncode}):\n{tail}")
        return self


def python_env() -> dict[str, str]:
    """The environment of a child Python: the repository importable, MkDocs 2 notice off."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def run_measured(args: list[str], cwd: Path | None = None, timeout: float = 7200) -> Run:
    """Run ``args`` and measure it alone: ``os.wait4`` gives this child's own rusage.

    ``ru_maxrss`` is the peak resident set size in KiB on Linux. After ``timeout`` seconds the
    child gets SIGTERM (a profiled build then stops and keeps its profile), a minute later
    SIGKILL.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, env=python_env(), stdout=out, stderr=err)
        timers = [threading.Timer(timeout, proc.terminate),
                  threading.Timer(timeout + 60, proc.kill)]
        for timer in timers:
            timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            for timer in timers:
                timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                   out.read().decode(errors="replace"), err.read().decode(errors="replace"))


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


@dataclass
class TreeSize:
    bytes: int
    files: int
    pyodide_bytes: int


def tree_size(root: Path) -> TreeSize:
    """Apparent size of every file under ``root`` (what ``du --apparent-size -b`` counts)."""
    total = files = pyodide = 0
    for dirpath, _, names in os.walk(root):
        for name in names:
            size = os.path.getsize(os.path.join(dirpath, name))
            total += size
            files += 1
            if PYODIDE_MARK in os.path.join(dirpath, name).lower():
                pyodide += size
    return TreeSize(total, files, pyodide)


def asset_kind(path: str) -> str:
    if PYODIDE_MARK in path.lower():
        return "pyodide"
    if path.startswith(THEME_PREFIXES):
        return "theme"
    return "own"


def page_weight(site: Path, page: str) -> dict[str, object]:
    """Bytes of one page's HTML and of each local asset it loads, by kind.

    ``page`` is the page's path in the site (``terms/relu/index.html``). An asset is a
    stylesheet, preload, script, image, or a ``data-*`` attribute naming a JSON/JS/CSS/SVG
    file (data a script fetches). ``own_bytes`` = HTML + assets that are neither Material's nor
    Pyodide's.
    """
    html = (site / page).read_text(encoding="utf-8")
    base = posixpath.dirname(page)
    assets: dict[str, tuple[int, str]] = {}  # path -> (bytes, kind)
    external: set[str] = set()
    for m in _ASSET.finditer(html):
        href = next(g for g in m.groups() if g)
        if re.match(r"^[a-z]+:|^//", href):
            if not href.startswith("data:"):
                external.add(href)
            continue
        rel = posixpath.normpath(posixpath.join(base, href.split("#")[0].split("?")[0]))
        if (site / rel).is_file():
            assets[rel] = ((site / rel).stat().st_size, asset_kind(rel))
    html_bytes = len(html.encode())
    # For information: what travels over a compressing server (the goal is on raw bytes).
    own_gzip = len(gzip.compress(html.encode(), 6)) + sum(
        len(gzip.compress((site / path).read_bytes(), 6))
        for path, (_, kind) in assets.items() if kind == "own")
    by_kind = {kind: sum(size for size, k in assets.values() if k == kind)
               for kind in ("own", "theme", "pyodide")}
    return {"page": page, "html_bytes": html_bytes,
            "assets": [{"path": path, "bytes": size, "kind": kind}
                       for path, (size, kind) in sorted(assets.items())],
            "own_assets_bytes": by_kind["own"], "theme_assets_bytes": by_kind["theme"],
            "pyodide_bytes_excluded": by_kind["pyodide"], "own_bytes": html_bytes + by_kind["own"],
            "own_gzip_bytes": own_gzip, "external": sorted(external)}


def term_pages(site: Path, terms_dir: str) -> dict[str, int]:
    """HTML size of every term page: ``{slug: bytes}`` (the A-Z index excluded)."""
    folder = site / terms_dir
    return {p.parent.name: p.stat().st_size for p in folder.glob("*/index.html")}


def load_average() -> float:
    return os.getloadavg()[0]
