"""The graph page's libraries for an installed Lexigraph: the shipped pins, the verified cache,
and builds of a project with no ``node_modules`` in reach.

No test touches the internet: tarballs made from the files in ``node_modules/`` are served by a
loopback HTTP server laid out like the npm registry, and the pins are those of the shipped lock
with each tarball's integrity replaced by that of the test's tarball.
"""

from __future__ import annotations

import base64
import dataclasses
import fnmatch
import hashlib
import io
import json
import tarfile
import threading
import tomllib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from lexigraph import frontend_fetch, graph_page
from lexigraph.cli import main
from lexigraph.frontend_fetch import (CACHE_ENV, LIBRARIES, LOCK_FILE, NPM_REGISTRY, REGISTRY_ENV,
                                      FrontEndError, Library, ensure, read_lock)
from lexigraph.graph_page import VENDOR, vendor_files

from .conftest import ROOT, build_site, copy_fixture

MODULES = ROOT / "node_modules"
UNREACHABLE = "http://127.0.0.1:9/"  # nothing listens on port 9 of the loopback


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def tarball(library: Library) -> bytes:
    """A tarball laid out as npm packs one: the needed files, and others the site does not use."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        def add(name: str, data: bytes) -> None:
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

        add("package.json", json.dumps({"name": library.name,
                                        "version": library.version}).encode())
        for name in library.files:
            add(name, (MODULES / library.name / name).read_bytes())
        add("dist/unused.js", b"/* not copied into the site */")
    return buffer.getvalue()


class Registry:
    """A loopback server answering GET <path> with ``files[path]``; counts the downloads."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.requests: list[str] = []
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                registry.requests.append(self.path)
                body = registry.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/npm/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def path(self, library: Library) -> str:
        return "/npm/" + library.tarball.removeprefix(NPM_REGISTRY)


@pytest.fixture(scope="module")
def registry() -> Iterator[Registry]:
    server = Registry()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def pins(registry: Registry, monkeypatch: pytest.MonkeyPatch) -> dict[str, Library]:
    """The shipped pins with the test tarballs' integrity, served by ``registry``."""
    registry.requests.clear()
    pinned = {}
    for name, library in LIBRARIES.items():
        data = tarball(library)
        registry.files[registry.path(library)] = data
        pinned[name] = dataclasses.replace(library, integrity=integrity(data))
    monkeypatch.setattr(frontend_fetch, "LIBRARIES", pinned)
    return pinned


@pytest.fixture
def cache(tmp_path: Path, registry: Registry, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache, and the loopback registry, for the code under test."""
    root = tmp_path / "frontend-cache"
    monkeypatch.setenv(CACHE_ENV, str(root))
    monkeypatch.setenv(REGISTRY_ENV, registry.url)
    return root


@pytest.fixture
def no_node_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    """As for an installed Lexigraph: no node_modules beside the project nor the package."""
    monkeypatch.setattr("lexigraph.graph_page.find_node_modules", lambda start: (None, {}))


def cache_entries(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name != ".lock") if root.exists() else []


# --- the pins shipped in the package ---------------------------------------------------------

def test_lock_agrees_with_package_lock_and_node_modules() -> None:
    fix = "run scripts/update-frontend-lock.py after changing package.json and `npm install`"
    npm = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    wanted = json.loads((ROOT / "package.json").read_text())["dependencies"]
    for name, library in read_lock().items():
        entry = npm[f"node_modules/{name}"]
        assert library.version == entry["version"] == wanted[name], fix
        assert library.integrity == entry["integrity"], fix
        assert library.tarball == entry.get("resolved", f"{NPM_REGISTRY}{name}/-/{name}-"
                                                         f"{library.version}.tgz"), fix
        for path, sha256 in library.files.items():
            data = (MODULES / name / path).read_bytes()
            assert hashlib.sha256(data).hexdigest() == sha256, f"{name}/{path}: {fix}"
    assert set(VENDOR) == set(LIBRARIES) == {"graphology", "sigma", "3d-force-graph"}


def test_wheel_carries_the_lock() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = config["package-data"]["lexigraph"]
    assert LOCK_FILE.parent == ROOT / "src" / "lexigraph"
    assert any(fnmatch.fnmatch(LOCK_FILE.name, p) for p in patterns)


# --- fetching into the cache -----------------------------------------------------------------

def test_a_build_without_node_modules_fetches_once_then_uses_the_cache(
        tmp_path: Path, pins: dict[str, Library], cache: Path, registry: Registry,
        no_node_modules: None, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_fixture("mini", tmp_path)
    assert not (project / "node_modules").exists()
    site = build_site(project, tmp_path / "site")
    assert sorted(registry.requests) == sorted(registry.path(lib) for lib in pins.values())
    # Only the files the site uses were kept, each at its path in the package.
    for name, library in pins.items():
        folder = cache / library.spec
        kept = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        assert kept == sorted(library.files)
    assert cache_entries(cache) == sorted(lib.spec for lib in pins.values())
    vendor = site / "assets" / "lexigraph" / "vendor"
    for package, names in VENDOR.items():
        for name in names:
            target = f"LICENSE-{package}.txt" if "LICENSE" in name else Path(name).name
            assert (vendor / target).read_bytes() == (MODULES / package / name).read_bytes()
    # The second build reads the cache: the registry is not even reachable now.
    monkeypatch.setenv(REGISTRY_ENV, UNREACHABLE)
    again = build_site(project, tmp_path / "site2")
    assert len(registry.requests) == len(pins)
    for path in vendor.iterdir():
        assert (again / path.relative_to(site)).read_bytes() == path.read_bytes()


def test_a_damaged_node_modules_is_not_shipped_but_the_verified_cache_is(
        tmp_path: Path, pins: dict[str, Library], cache: Path, registry: Registry,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    # An installed Lexigraph (no checkout around the package), a project with its own copy.
    monkeypatch.setattr(graph_page, "__file__",
                        str(tmp_path / "venv" / "site-packages" / "lexigraph" / "graph_page.py"))
    monkeypatch.setattr(graph_page, "CHECKOUT", None)
    project = copy_fixture("mini", tmp_path)
    for package, names in VENDOR.items():
        for name in ("package.json", *names):
            (project / "node_modules" / package / name).parent.mkdir(parents=True, exist_ok=True)
            (project / "node_modules" / package / name).write_bytes(
                (MODULES / package / name).read_bytes())
    damaged = project / "node_modules" / "sigma" / "dist" / "sigma.min.js"
    with damaged.open("r+b") as fh:
        fh.truncate(500)
    site = build_site(project, tmp_path / "site", strict=False)
    shipped = site / "assets" / "lexigraph" / "vendor" / "sigma.min.js"
    assert shipped.read_bytes() == (MODULES / "sigma" / "dist" / "sigma.min.js").read_bytes()
    assert sorted(registry.requests) == sorted(registry.path(lib) for lib in pins.values())
    [warning] = [r for r in caplog.records if r.name.startswith("mkdocs")
                 and r.levelname == "WARNING"]
    warning.expected = True  # the point of this test
    assert warning.getMessage() == (
        "concept graph: the front-end libraries in node_modules are not the pinned ones, so the "
        "site takes the verified copy in the user cache (fetched once from the npm registry if "
        f"it is not there yet):\n    {damaged}: not the pinned file (its sha256 differs)\n"
        f"    fix: run `npm ci` in {project} to reinstall them as package-lock.json pins them")


def test_an_integrity_mismatch_stops_the_build_and_caches_nothing(
        tmp_path: Path, pins: dict[str, Library], cache: Path, registry: Registry,
        no_node_modules: None, caplog: pytest.LogCaptureFixture) -> None:
    sigma = pins["sigma"]
    served = registry.files[registry.path(sigma)] + b"\0"  # one byte more than was pinned
    registry.files[registry.path(sigma)] = served
    site = tmp_path / "site"
    with pytest.raises(Abort):
        build_site(copy_fixture("mini", tmp_path), site)
    [error] = [r for r in caplog.records if r.name.startswith("mkdocs") and r.levelname == "ERROR"]
    error.expected = True  # the point of this test
    url = registry.url + "sigma/-/sigma-3.0.3.tgz"
    assert error.getMessage() == (
        f"concept graph: {url}: error: integrity mismatch for sigma@3.0.3\n"
        f"    expected: {sigma.integrity}\n"
        f"    received: {integrity(served)}\n"
        "    fix: this is not the published tarball, so nothing was cached; check the registry "
        f"or mirror it came from ({REGISTRY_ENV}), then run `lexigraph frontend fetch` to retry "
        "(in a checkout of Lexigraph, `npm ci` works too)")
    assert "Traceback" not in caplog.text
    assert "sigma@3.0.3" not in cache_entries(cache)
    assert not [p for p in cache.iterdir() if p.name.endswith(".part")]
    assert not site.exists()


def test_no_network_is_one_error_with_the_fix(tmp_path: Path, pins: dict[str, Library],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "cache"
    assert main(["frontend", "fetch", "--cache-dir", str(root), "--registry", UNREACHABLE]) == 1
    error, fix = capsys.readouterr().err.strip().split("\n")
    assert error.startswith("could not download the graph page's library 3d-force-graph@1.80.0 "
                            f"from {UNREACHABLE}3d-force-graph/-/3d-force-graph-1.80.0.tgz (")
    assert "Connection refused" in error
    assert fix == ("    fix: check the network connection and the proxy settings, then run "
                   "`lexigraph frontend fetch` to retry (in a checkout of Lexigraph, `npm ci` "
                   "works too)")
    assert cache_entries(root) == []


def test_a_registry_without_a_scheme_is_one_error_with_the_fix(
        tmp_path: Path, pins: dict[str, Library], cache: Path, no_node_modules: None,
        capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "cache"
    assert main(["frontend", "fetch", "--cache-dir", str(root), "--registry", "notaurl"]) == 1
    assert capsys.readouterr().err == (
        "'notaurl' (--registry): error: not an npm registry's address, so nothing was fetched\n"
        "    fix: give the whole address, its scheme included, e.g. "
        "https://registry.npmjs.org/\n")
    assert not root.exists()
    # The build, without node_modules, with the variable set the same way.
    monkeypatch.setenv(REGISTRY_ENV, "registry.npmjs.org")
    with pytest.raises(Abort):
        build_site(copy_fixture("mini", tmp_path), tmp_path / "site")
    [error] = [r for r in caplog.records if r.name.startswith("mkdocs") and r.levelname == "ERROR"]
    error.expected = True  # the point of this test
    assert error.getMessage() == (
        f"concept graph: 'registry.npmjs.org' (${REGISTRY_ENV}): error: not an npm registry's "
        "address, so nothing was fetched\n    fix: give the whole address, its scheme "
        "included, e.g. https://registry.npmjs.org/")
    assert "Traceback" not in caplog.text


def test_a_download_cut_short_leaves_nothing(tmp_path: Path, pins: dict[str, Library],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(url: str, target: Path, library: Library) -> str:
        target.write_bytes(b"half a tarball")
        raise KeyboardInterrupt  # e.g. Ctrl-C in the middle of a download

    monkeypatch.setattr(frontend_fetch, "_download", interrupted)
    root = tmp_path / "cache"
    with pytest.raises(KeyboardInterrupt):
        ensure(root=root, registry=UNREACHABLE)
    assert list(root.iterdir()) == [root / ".lock"]


def test_the_next_fetch_removes_what_a_killed_one_left(
        tmp_path: Path, pins: dict[str, Library], registry: Registry,
        capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "cache"
    left = root / ".sigma@3.0.3.k9x2_a1.part"  # what `kill -9` in the middle of fetch() leaves
    (left / "files" / "dist").mkdir(parents=True)
    (left / "package.tgz").write_bytes(b"half a tarball")
    assert main(["frontend", "fetch", "--cache-dir", str(root), "--registry", registry.url]) == 0
    assert f"{left}: removed, left by an interrupted fetch" in capsys.readouterr().out
    assert cache_entries(root) == sorted(lib.spec for lib in pins.values())


def test_a_damaged_cache_stops_the_build_and_fetch_replaces_it(
        tmp_path: Path, pins: dict[str, Library], cache: Path, registry: Registry,
        no_node_modules: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frontend", "fetch"]) == 0
    out = capsys.readouterr().out
    assert f"sigma@3.0.3: fetching the graph page's library into {cache / 'sigma@3.0.3'}" in out
    assert out.count("  ok  ") == len(pins)
    damaged = cache / "sigma@3.0.3" / "dist" / "sigma.min.js"
    damaged.write_text("alert('not sigma')")
    with pytest.raises(FrontEndError) as info:
        vendor_files(tmp_path)
    assert str(info.value) == (
        f"{damaged}: error: sha256 mismatch for sigma@3.0.3/dist/sigma.min.js\n"
        f"    expected: {pins['sigma'].files['dist/sigma.min.js']}\n"
        f"    received: {hashlib.sha256(damaged.read_bytes()).hexdigest()}\n"
        "    fix: the cached copy was altered or damaged; run `lexigraph frontend fetch`, which "
        "downloads it again and replaces it")
    assert len(registry.requests) == len(pins)  # a damaged cache is never replaced silently
    assert main(["frontend", "fetch"]) == 0
    assert "sigma@3.0.3: damaged in the cache, fetching it again" in capsys.readouterr().out
    assert damaged.read_bytes() == (MODULES / "sigma" / "dist" / "sigma.min.js").read_bytes()
    assert cache_entries(cache) == sorted(lib.spec for lib in pins.values())
