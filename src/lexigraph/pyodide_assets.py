"""What the built site needs to run the demos in the page with Pyodide.

Under ``assets/pyodide/<version>/``: the pinned core files and the NumPy wheel (self-host
mode, copied from the verified cache of :mod:`lexigraph.pyodide_fetch`), a wheel built from
the demos folder, and a trimmed ``pyodide-lock.json`` holding only NumPy (with its
dependencies) and the demos, written with the Pyodide lock tooling (``pyodide-lock``) so
Pyodide checks both wheels' sha256.
``assets/lexigraph/runtime.json`` tells the page's worker where all of it is.

Pyodide 0.27.7 resolves a lock entry's ``file_name`` with ``new URL(file_name, indexURL)``
and fetches it with ``integrity: "sha256-…"`` (``browser_resolvePath`` and
``PackageManager.downloadPackage`` in its ``pyodide.asm.js``). In CDN mode ``indexURL`` is the
CDN, so the demos wheel's ``file_name`` is an absolute URL on the site, made from ``site_url``;
NumPy's stays relative and comes from the CDN. No MkDocs import here.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .demos import discover, module_files
from .pyodide_fetch import (CORE_FILES, LOCK_FILE, NUMPY_WHEEL, PYODIDE_VERSION, PyodideError,
                            Report, ensure)
from .site_assets import digest_of

#: Pyodide's files keep their names from release to release (pyodide.js, pyodide.asm.wasm):
#: a folder per release, so that a browser that kept one from a site built with another
#: release never loads it with this one's.
ASSET_DIR = f"assets/pyodide/{PYODIDE_VERSION}"
RUNTIME_JSON = "assets/lexigraph/runtime.json"
DEMOS_DIST = "lexigraph-demos"
#: Packages the page loads; the lock pulls in their dependencies.
PACKAGES = ("numpy", DEMOS_DIST)
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest zip timestamp: builds do not depend on mtimes


@dataclass(frozen=True)
class SiteFile:
    """A file to put in the site at ``uri``: either ``content`` or a copy of ``source``."""

    uri: str
    content: bytes | None = None
    source: Path | None = None


def demos_version(modules: list[Path]) -> str:
    """A PEP 440 version that changes whenever a module (or this generator) changes.

    Built from the sha256 of the module names and bytes, so a changed demo gets a new wheel
    file name and browsers cannot reuse a stale copy. It is digits only: no ``+`` (some static
    hosts decode it as a space in paths).

    Examples
    --------
    >>> demos_version([]).startswith("0.0.")
    True
    """
    digest = hashlib.sha256(f"lexigraph {__version__}\n".encode())
    for path in modules:
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return f"0.0.{int(digest.hexdigest()[:12], 16)}"


def _record_hash(data: bytes) -> str:
    raw = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + raw.decode()


def build_demos_wheel(demos_dir: Path) -> tuple[str, bytes]:
    """Build the demos as a pure-Python wheel; return its file name and bytes.

    Every module becomes a top-level module, so ``import gradient_decay`` and
    ``from _params import validate`` work once the wheel is installed (or on ``sys.path``).
    The archive is deterministic: sorted entries, fixed timestamps and permissions, so two
    builds of the same folder are byte-identical.
    """
    modules = module_files(demos_dir)
    version = demos_version(modules)
    dist = DEMOS_DIST.replace("-", "_")
    info = f"{dist}-{version}.dist-info"
    names = ", ".join(p.stem for p in modules)
    metadata = (f"Metadata-Version: 2.1\nName: {DEMOS_DIST}\nVersion: {version}\n"
                f"Summary: The glossary's NumPy demo modules ({names}), built by Lexigraph.\n"
                "Requires-Dist: numpy\n")
    wheel_meta = (f"Wheel-Version: 1.0\nGenerator: lexigraph {__version__}\n"
                  "Root-Is-Purelib: true\nTag: py3-none-any\n")
    entries = [(p.name, p.read_bytes()) for p in modules]
    entries += [(f"{info}/METADATA", metadata.encode()), (f"{info}/WHEEL", wheel_meta.encode()),
                (f"{info}/top_level.txt", "".join(f"{p.stem}\n" for p in modules).encode())]
    record = "".join(f"{name},{_record_hash(data)},{len(data)}\n" for name, data in entries)
    entries.append((f"{info}/RECORD", (record + f"{info}/RECORD,,\n").encode()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:  # modules sorted by name, then dist-info with RECORD last
            entry = zipfile.ZipInfo(name, date_time=_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, whatever the build machine, for identical bytes
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data, compresslevel=9)
    return f"{dist}-{version}-py3-none-any.whl", buffer.getvalue()


def trimmed_lock(full_lock: Path, demos_wheel: Path, demos_base_url: str = "") -> bytes:
    """The lock the site ships: the full lock's NumPy closure plus the demos wheel.

    ``demos_base_url`` prefixes the wheel's ``file_name`` (empty: beside the lock, which is
    where ``indexURL`` points in self-host mode).
    """
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.utils import add_wheels_to_spec

    full = PyodideLockSpec.from_json(full_lock)
    keep: set[str] = set()
    todo = ["numpy"]
    while todo:  # NumPy 2.0.2 in 0.27.7 depends on nothing, but follow whatever the lock says
        name = todo.pop()
        if name not in keep:
            keep.add(name)
            todo.extend(full.packages[name].depends)
    trimmed = full.model_copy(update={"packages": {n: full.packages[n] for n in sorted(keep)}})
    spec = add_wheels_to_spec(trimmed, [demos_wheel])
    spec.check_wheel_filenames()  # it reads names, not URLs: check before adding the base
    spec.packages[DEMOS_DIST].file_name = demos_base_url + demos_wheel.name
    with tempfile.TemporaryDirectory(prefix="lexigraph-lock-") as tmp:
        out = Path(tmp) / LOCK_FILE
        spec.to_json(out, indent=1)
        return out.read_bytes()


def runtime_json(mode: str, index_url: str, lock: bytes = b"") -> bytes:
    """The contract with the page's worker; URLs are relative to the site root.

    The lock's address ends with a digest of ``lock``, its content: each build names its
    own demos wheel there, and a browser that kept the lock of an earlier build (the worker
    fetches this file afresh, and Pyodide the lock as any file) would load the old demos.

    Examples
    --------
    >>> print(runtime_json("self-host", "assets/pyodide/0.27.7/", b"{}").decode(), end="")
    {
      "indexURL": "assets/pyodide/0.27.7/",
      "lockFileURL": "assets/pyodide/0.27.7/pyodide-lock.json?v=44136fa355",
      "mode": "self-host",
      "packages": [
        "numpy",
        "lexigraph-demos"
      ],
      "version": "0.27.7"
    }
    """
    data = {"version": PYODIDE_VERSION, "indexURL": index_url,
            "lockFileURL": f"{ASSET_DIR}/{LOCK_FILE}?v={digest_of(lock)}",
            "packages": list(PACKAGES), "mode": mode}
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode()


def site_files(demos_dir: Path, *, mode: str = "self-host", cdn_url: str = "",
               cache_root: Path | None = None, site_url: str = "",
               report: Report = lambda _: None) -> list[SiteFile]:
    """Everything the demos need in the site; empty when there are no demo modules.

    Fetches the runtime into the cache when it is missing and verifies it either way; raises
    :class:`~lexigraph.pyodide_fetch.PyodideError` with a message for the user.
    """
    if not discover(demos_dir):
        return []
    if mode == "cdn":
        if not site_url:
            raise PyodideError(
                "error: the plugin option pyodide.mode is 'cdn', which needs site_url in "
                "mkdocs.yml: Pyodide 0.27.7 resolves package files against the CDN, so the "
                "demos wheel is listed in the lock by its absolute URL on this site\n"
                "    fix: set site_url (e.g. https://example.org/glossary/), or use "
                "pyodide.mode: self-host")
        base = site_url.rstrip("/") + f"/{ASSET_DIR}/"
        index_url = cdn_url if cdn_url.endswith("/") else cdn_url + "/"
        cached = ensure([LOCK_FILE], cache_root, report=report)
    else:
        base, index_url = "", f"{ASSET_DIR}/"
        cached = ensure(root=cache_root, report=report)
    name, wheel = build_demos_wheel(demos_dir)
    with tempfile.TemporaryDirectory(prefix="lexigraph-wheel-") as tmp:
        (Path(tmp) / name).write_bytes(wheel)
        lock = trimmed_lock(cached[LOCK_FILE], Path(tmp) / name, base)
    files = [SiteFile(f"{ASSET_DIR}/{name}", content=wheel),
             SiteFile(f"{ASSET_DIR}/{LOCK_FILE}", content=lock),
             SiteFile(RUNTIME_JSON, content=runtime_json(mode, index_url, lock))]
    if mode != "cdn":
        files += [SiteFile(f"{ASSET_DIR}/{n}", source=cached[n])
                  for n in (*CORE_FILES, NUMPY_WHEEL)]
    return sorted(files, key=lambda f: f.uri)
