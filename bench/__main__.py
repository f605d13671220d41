"""``python -m bench``: the default benchmark suite (build scale at N = 100 and 1,000).

Examples: ``python -m bench --sizes 100 1000 10000 --profile 10000``;
``python -m bench --sizes 20 --serve-size 0`` for a quick look.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from . import build_scale


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[100, 1000], metavar="N",
                   help="glossary sizes to build (default: 100 1000; 10000 takes minutes)")
    p.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    p.add_argument("--repeat", type=int, default=1,
                   help="builds per size and project; the fastest counts (default: 1)")
    p.add_argument("--serve-size", type=int, default=1000, metavar="N",
                   help="N for the `mkdocs serve` edit-rebuild timing; 0 skips it (default: 1000)")
    p.add_argument("--serve-repeats", type=int, default=3, help="edits per serve run (default: 3)")
    p.add_argument("--profile", type=int, metavar="N",
                   help="also profile one Lexigraph build at this size (one of --sizes)")
    p.add_argument("--profile-timeout", type=float, default=900, metavar="S",
                   help="stop the profiled build after S seconds and keep the partial profile "
                        "(default: 900)")
    p.add_argument("--workdir", type=Path,
                   help="where projects and sites go (default: a temporary folder, removed)")
    p.add_argument("--keep", action="store_true", help="keep the built sites")
    p.add_argument("--results-dir", type=Path, default=build_scale.RESULTS,
                   help="where the JSON and Markdown results go (default: bench/results/)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.profile is not None and args.profile not in args.sizes:
        parser().error(f"--profile {args.profile} must be one of --sizes {args.sizes}")
    build_scale.run(args.sizes, seed=args.seed, workdir=args.workdir, repeat=args.repeat,
                    serve_size=args.serve_size, serve_repeats=args.serve_repeats,
                    profile_size=args.profile, results_dir=args.results_dir, keep=args.keep,
                    profile_timeout=args.profile_timeout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
