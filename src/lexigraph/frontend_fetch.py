"""The graph page's front-end libraries for an installed Lexigraph: fetched once, verified.

A checkout of Lexigraph has sigma, graphology and 3d-force-graph in ``node_modules/`` (``npm
ci``). An installed package has no ``package.json``, so it carries ``frontend.lock.json``: for
each library its version, the npm registry's tarball URL, the tarball's ``integrity`` (sha512)
exactly as in ``package-lock.json``, and the sha256 of each file the site copies. The first
build without ``node_modules`` (or ``lexigraph frontend fetch``) downloads each tarball, checks
its integrity before opening it, and keeps only those files, in
``${XDG_CACHE_HOME:-~/.cache}/lexigraph/frontend/<name>@<version>/``; every build checks their
sha256.

A library's files are written into a temporary folder beside their final place, and the folder
is renamed into place only once all of them are complete and verified: an interrupted fetch
leaves nothing under a real name (the next fetch removes the temporary folder of a killed one).
No MkDocs import here: the plugin and the CLI share it.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import http.client
import json
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath

from . import __version__, user_cache
from .user_cache import locked, remove_stale_parts, sha256_file

LOCK_FILE = Path(__file__).with_name("frontend.lock.json")
#: The cache root, for machines where ``~/.cache`` is not the right place.
CACHE_ENV = "LEXIGRAPH_FRONTEND_CACHE"
#: Another npm registry (a mirror, or a test's loopback server) to fetch the tarballs from.
REGISTRY_ENV = "LEXIGRAPH_NPM_REGISTRY"
NPM_REGISTRY = "https://registry.npmjs.org/"
_TIMEOUT = 120  # seconds without data before a download is given up (the largest is 3.3 MB)
_FIX = ("run `lexigraph frontend fetch` to retry (in a checkout of Lexigraph, `npm ci` works "
        "too)")

Report = Callable[[str], None]


class FrontEndError(RuntimeError):
    """The graph's front-end libraries cannot be had; worded for the user (no traceback)."""


@dataclasses.dataclass(frozen=True)
class Library:
    """One pinned npm package and the files of it the site needs."""

    name: str
    version: str
    tarball: str
    integrity: str  # Subresource Integrity as in package-lock.json: "sha512-<base64>"
    files: Mapping[str, str]  # path inside the package -> sha256

    @property
    def sha512(self) -> str:
        """The integrity's sha512 entry (an SRI string may list other algorithms too).

        Examples
        --------
        >>> dataclasses.replace(LIBRARIES["sigma"], integrity="sha1-AAA= sha512-BBB==").sha512
        'sha512-BBB=='
        """
        found = [part for part in self.integrity.split() if part.startswith("sha512-")]
        if not found:
            raise ValueError(f"{self.spec}: integrity {self.integrity!r} has no sha512 hash")
        return found[0]

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"

    def url(self, registry: str | None = None) -> str:
        """The tarball's address, at ``registry`` instead of npm's when one is given.

        Examples
        --------
        >>> LIBRARIES["sigma"].url("http://127.0.0.1:8080/npm")
        'http://127.0.0.1:8080/npm/sigma/-/sigma-3.0.3.tgz'
        """
        if registry and self.tarball.startswith(NPM_REGISTRY):
            return registry.rstrip("/") + "/" + self.tarball[len(NPM_REGISTRY):]
        return self.tarball


def read_lock(path: Path = LOCK_FILE) -> dict[str, Library]:
    """The libraries pinned in ``path``, by name."""
    packages = json.loads(path.read_text(encoding="utf-8"))["packages"]
    libraries = {}
    for name, entry in packages.items():
        for file in entry["files"]:  # the lock is ours, but a path must stay inside its folder
            pure = PurePosixPath(file)
            if pure.is_absolute() or ".." in pure.parts:
                raise ValueError(f"{path}: {name}: file path {file!r} leaves the package")
        library = Library(name, entry["version"], entry["tarball"], entry["integrity"],
                          dict(entry["files"]))
        _ = library.sha512  # a lock without one is refused at import, not at the first fetch
        libraries[name] = library
    return libraries


LIBRARIES = read_lock()


def default_cache_root() -> Path:
    """``$LEXIGRAPH_FRONTEND_CACHE``, else ``${XDG_CACHE_HOME:-~/.cache}/lexigraph/frontend``.

    Examples
    --------
    >>> default_cache_root().parts[-2:]
    ('lexigraph', 'frontend')
    """
    return user_cache.root(CACHE_ENV, "frontend")


def problems(folder: Path, library: Library) -> list[str]:
    """What is wrong with a cached library's files (an empty list: nothing)."""
    found = []
    for name, pinned in sorted(library.files.items()):
        path = folder / name
        if not path.is_file():
            found.append(f"{path}: error: missing from the cached {library.spec}")
            continue
        received = sha256_file(path)
        if received != pinned:
            found.append(f"{path}: error: sha256 mismatch for {library.spec}/{name}\n"
                         f"    expected: {pinned}\n    received: {received}")
    return found


def ensure(libraries: Mapping[str, Library] | None = None, root: Path | None = None, *,
           registry: str | None = None, replace_bad: bool = False,
           report: Report = lambda _: None) -> dict[str, Path]:
    """Make sure the cache holds every library's files, verified; fetch the missing ones.

    Parameters
    ----------
    libraries : mapping of str to Library, optional
        Default: :data:`LIBRARIES`, the pins shipped in the package.
    root : Path, optional
        Cache root; default :func:`default_cache_root`.
    registry : str, optional
        Base URL of an npm registry to use instead of npm's; default ``$LEXIGRAPH_NPM_REGISTRY``.
    replace_bad : bool
        Fetch again a library whose cached files are damaged (``lexigraph frontend fetch``)
        instead of refusing to build with them (the build).
    report : callable
        Receives one line per action, for progress output.

    Returns
    -------
    dict of str to Path
        Each library's folder in the cache; its files are at their paths in the package.
    """
    libraries = LIBRARIES if libraries is None else libraries
    root = default_cache_root() if root is None else root
    named_by = "--registry" if registry else f"${REGISTRY_ENV}"
    registry = registry or os.environ.get(REGISTRY_ENV) or None
    folders = {name: root / lib.spec for name, lib in libraries.items()}
    if all(f.is_dir() and not problems(f, libraries[n]) for n, f in folders.items()):
        return folders
    if registry is not None:
        check_registry(registry, named_by)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FrontEndError(f"{root}: error: cannot create the cache folder ({exc.strerror})\n"
                            f"    fix: set {CACHE_ENV} to a writable folder") from None
    with locked(root) as held:  # another build (pytest -n 2) may be fetching the same libraries
        remove_stale_parts(root, held, report)
        for name, library in sorted(libraries.items()):
            folder = folders[name]
            if folder.is_dir():
                bad = problems(folder, library)
                if not bad:
                    continue
                if not replace_bad:
                    raise FrontEndError(
                        "\n".join(bad) + "\n    fix: the cached copy was altered or damaged; "
                        "run `lexigraph frontend fetch`, which downloads it again and replaces "
                        "it")
                report(f"{library.spec}: damaged in the cache, fetching it again")
            report(f"{library.spec}: fetching the graph page's library into {folder} (once; "
                   "later builds reuse it)")
            fetch(library, folder, library.url(registry))
    return folders


def check_registry(registry: str, named_by: str) -> None:
    """Refuse a registry that is not an address urllib can open, before anything is fetched.

    Examples
    --------
    >>> check_registry("http://127.0.0.1:8080/npm/", "--registry")
    >>> try:
    ...     check_registry("registry.npmjs.org", "--registry")
    ... except FrontEndError as exc:
    ...     print(exc)
    'registry.npmjs.org' (--registry): error: not an npm registry's address, so nothing was fetched
        fix: give the whole address, its scheme included, e.g. https://registry.npmjs.org/
    """
    parts = urllib.parse.urlsplit(registry)
    if parts.scheme in ("http", "https") and parts.netloc or parts.scheme == "file":
        return
    raise FrontEndError(
        f"{registry!r} ({named_by}): error: not an npm registry's address, so nothing was "
        "fetched\n    fix: give the whole address, its scheme included, e.g. "
        f"{NPM_REGISTRY}")


def fetch(library: Library, folder: Path, url: str) -> None:
    """Download ``library``'s tarball from ``url``, check it, put its files in ``folder``.

    Everything happens in a temporary folder beside ``folder``, removed on any failure
    (including an interrupt); ``folder`` appears, or is replaced, only by a rename.
    """
    work = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".part"))
    try:
        tarball = work / "package.tgz"
        received = _download(url, tarball, library)
        if received != library.sha512:
            raise FrontEndError(
                f"{url}: error: integrity mismatch for {library.spec}\n"
                f"    expected: {library.sha512}\n    received: {received}\n"
                "    fix: this is not the published tarball, so nothing was cached; check the "
                f"registry or mirror it came from ({REGISTRY_ENV}), then {_FIX}")
        files = work / "files"
        _extract(tarball, files, library, url)
        if folder.is_dir():  # a damaged copy: moved aside (and removed with work/) first
            os.replace(folder, work / "old")
        os.replace(files, folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _download(url: str, target: Path, library: Library) -> str:
    """Write the body at ``url`` to ``target``; return its ``sha512-`` integrity string."""
    request = urllib.request.Request(url, headers={"User-Agent": f"lexigraph/{__version__}"})
    digest = hashlib.sha512()
    failed = f"could not download the graph page's library {library.spec} from {url}"
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT) as response, \
                target.open("wb") as out:
            while chunk := response.read(1 << 16):
                digest.update(chunk)
                out.write(chunk)
    except urllib.error.HTTPError as exc:
        raise FrontEndError(
            f"{failed} (HTTP {exc.code} {exc.reason})\n    fix: check the registry "
            f"({REGISTRY_ENV}, default {NPM_REGISTRY}), then {_FIX}") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise FrontEndError(
            f"{failed} ({type(exc).__name__}: {reason})\n    fix: check the network "
            f"connection and the proxy settings, then {_FIX}") from None
    return "sha512-" + base64.b64encode(digest.digest()).decode("ascii")


def _extract(tarball: Path, target: Path, library: Library, url: str) -> None:
    """Copy the files ``library`` needs out of its (verified) tarball into ``target``.

    Members are read by name, never extracted wholesale, so no path in the archive can point
    outside ``target``. npm tarballs hold the package in one top folder, usually ``package/``.
    """
    try:
        with tarfile.open(tarball, "r:gz") as tar:
            members = {}
            for member in tar.getmembers():
                _, _, inner = member.name.partition("/")
                if inner and member.isfile():
                    members.setdefault(inner, member)
            for name, pinned in sorted(library.files.items()):
                member = members.get(name)
                source = tar.extractfile(member) if member is not None else None
                if source is None:
                    raise FrontEndError(f"{url}: error: {library.spec} has no file {name}\n"
                                        "    fix: correct frontend.lock.json (run "
                                        "scripts/update-frontend-lock.py in a checkout)")
                path = target / name
                path.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with source, path.open("wb") as out:
                    while chunk := source.read(1 << 16):
                        digest.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != pinned:
                    raise FrontEndError(
                        f"{url}: error: sha256 mismatch for {library.spec}/{name}\n"
                        f"    expected: {pinned}\n    received: {digest.hexdigest()}\n"
                        "    fix: frontend.lock.json disagrees with the published package; run "
                        "scripts/update-frontend-lock.py in a checkout")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise FrontEndError(f"{url}: error: cannot read the {library.spec} tarball ({exc})\n"
                            f"    fix: {_FIX}") from None


def describe(folders: Mapping[str, Path], libraries: Mapping[str, Library] | None = None
             ) -> str:
    """One line per cached library, with its files' status, for the CLI."""
    libraries = LIBRARIES if libraries is None else libraries
    rows = []
    for name, folder in sorted(folders.items()):
        library = libraries[name]
        bad = problems(folder, library)
        size = sum((folder / f).stat().st_size for f in library.files if (folder / f).is_file())
        rows.append(f"  {library.spec:<24} {len(library.files)} files, "
                    f"{size / 2**10:8.1f} KiB  {'ok' if not bad else 'DAMAGED'}  {folder}")
    return "\n".join(rows)
