"""The child process of a measurement: ``python -m bench._runner build|stages ...``.

``build`` does what ``mkdocs build`` does (startup event, build, shutdown event) with the
Lexigraph plugin's events timed; ``stages`` times the core pipeline. Both write JSON.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import logging
import os
import signal
import time
from pathlib import Path

from .stages import Timer, instrument, time_stages


def build(config_file: Path, site_dir: Path, out: Path, profile: Path | None,
          plain: bool = False) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    t = Timer()
    # Before MkDocs binds the plugin's methods. A plain build must not even import lexigraph.
    instrumented = [] if plain else instrument(t)

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    start = time.perf_counter()
    profiler = cProfile.Profile() if profile else None
    interrupted = False
    if profiler:
        # A profiled build can take hours at large N: SIGTERM ends it early and keeps the
        # profile so far (the per-page work is the same for every page).
        signal.signal(signal.SIGTERM, _stop)
        profiler.enable()
    try:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir))
        config.plugins.on_startup(command="build", dirty=False)
        mkdocs_build(config)
        config.plugins.on_shutdown()
    except _Stopped:
        if not profiler:
            raise
        interrupted = True
    finally:
        if profiler:
            profiler.disable()
            profiler.dump_stats(str(profile))
    seconds = time.perf_counter() - start
    # Term pages served from .lexigraph-cache/pages vs rendered (what a cached build saved).
    plugin = config.plugins.get("lexigraph") if not plain else None
    pages = getattr(plugin, "pages", None)
    cache = {"hits": pages.hits, "misses": pages.misses} if pages is not None else None
    # Pages a write-ahead helper wrote (MkDocs wrote the rest).
    written = getattr(getattr(plugin, "writers", None), "written", None)
    out.write_text(json.dumps({"build_s": round(seconds, 4), "timed": t.report(),
                               "instrumented": instrumented, "interrupted": interrupted,
                               "page_cache": cache, "written_ahead": written},
                              indent=1, sort_keys=True))


class _Stopped(BaseException):  # not Exception: nothing may swallow it
    pass


def _stop(signum: int, frame: object) -> None:
    raise _Stopped


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench._runner")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("config", type=Path)
    b.add_argument("site_dir", type=Path)
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--profile", type=Path)
    b.add_argument("--plain", action="store_true", help="do not import or time lexigraph")
    s = sub.add_parser("stages")
    s.add_argument("glossary", type=Path)
    s.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.command == "build":
        build(args.config, args.site_dir, args.out, args.profile, args.plain)
    else:
        args.out.write_text(json.dumps(time_stages(args.glossary), indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
