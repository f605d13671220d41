"""Time from saving a term file to its new content being served by ``mkdocs serve``.

What the author waits for: MkDocs notices the change (a polling file watcher, every 0.5 s),
waits 0.1 s for more changes, rebuilds, and serves the new page. We start ``mkdocs serve`` on a
free loopback port, wait for the first build, append a unique sentence to one term's body and
poll the page every 50 ms until the sentence is there.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from .measure import python, python_env

POLL_S = 0.05


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.read().decode(errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, text: str | None, proc: subprocess.Popen[bytes], timeout: float,
              log: Path) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        body = _fetch(url)
        if body is not None and (text is None or text in body):
            return time.perf_counter() - start
        if proc.poll() is not None:
            lines = log.read_text(errors="replace").splitlines()
            tail = "\n".join([x for x in lines if x.startswith(("WARNING", "ERROR"))] + lines[-10:])
            raise RuntimeError(f"mkdocs serve exited ({proc.returncode}; log: {log}):\n{tail}")
        time.sleep(POLL_S)
    raise TimeoutError(f"{url} did not show {text!r} within {timeout:.0f} s (log: {log})")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)  # what Ctrl+C does: MkDocs shuts down cleanly
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def measure_serve(config: Path, glossary: Path, slug: str, terms_dir: str = "terms",
                  repeats: int = 3, dirty: bool = False, timeout: float = 900) -> dict[str, Any]:
    """Start ``mkdocs serve`` for ``config``, edit ``glossary/<slug>.md`` ``repeats`` times.

    The file is restored afterwards. Returns the first build's time and every rebuild's.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}/{terms_dir}/{slug}/"
    source = glossary / f"{slug}.md"
    original = source.read_text(encoding="utf-8")
    # Live reload stays on: without it MkDocs serves the first build and watches nothing.
    args = python("-m", "mkdocs", "serve", "-f", str(config), "--dev-addr", f"127.0.0.1:{port}")
    if dirty:
        # MkDocs warns that a dirty build may be inaccurate, which strict mode turns into a
        # failure: serve a copy of the config that inherits everything but strict.
        relaxed = config.with_name(config.stem + "-dirty.yml")
        relaxed.write_text(f"INHERIT: {config.name}\nstrict: false\n", encoding="utf-8")
        args[args.index(str(config))] = str(relaxed)
        args.append("--dirty")
    log = Path(tempfile.mkstemp(prefix="lexigraph-serve-", suffix=".log")[1])
    rebuilds: list[float] = []
    with log.open("wb") as out:
        proc = subprocess.Popen(args, cwd=config.parent, env=python_env(), stdout=out,
                                stderr=subprocess.STDOUT)
        try:
            first = _wait_for(url, None, proc, timeout, log)
            for k in range(repeats):
                time.sleep(1.0)  # let the watcher settle, as a person would between saves
                marker = f"Benchmark edit {k} {time.time_ns()}"
                source.write_text(original.rstrip("\n") + f"\n\n{marker}.\n", encoding="utf-8")
                rebuilds.append(_wait_for(url, marker, proc, timeout, log))
        finally:
            source.write_text(original, encoding="utf-8")
            _stop(proc)
    log.unlink()  # kept when something failed: the error names it
    median = sorted(rebuilds)[len(rebuilds) // 2] if rebuilds else None
    return {"mode": "serve --dirty" if dirty else "serve", "page": url.split("/", 3)[3],
            "first_build_s": round(first, 3), "rebuild_s": [round(r, 3) for r in rebuilds],
            "rebuild_median_s": None if median is None else round(median, 3)}
