"""Time and memory of the concept graph's build-time work: communities and 2D/3D layouts.

``python -m bench.graph_layout 1000 5000 10000`` generates a synthetic glossary per size
(:func:`bench.generate.write_glossary`), then, in a fresh child process per size, runs the
core pipeline and times Louvain communities, the 2D and the 3D layout and a cache hit
(results in ``bench/results/graph_layout.json`` and ``.md``). Memory
is measured in a second child with ``tracemalloc`` around each layout alone (numpy reports
its buffers to it), so it shows what the layout itself needs: it must not grow as n^2.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .generate import write_glossary
from .measure import load_average, python, run_measured


def measure(glossary: Path, cache: Path, memory: bool) -> dict[str, Any]:
    """In this process: build the glossary, then time (or weigh) each graph stage."""
    from lexigraph import layout
    from lexigraph.graph import communities, weighted_undirected
    from lexigraph.pipeline import build_glossary

    start = time.perf_counter()
    g = build_glossary(glossary)
    out: dict[str, Any] = {"n": len(g.terms), "links": g.graph.number_of_edges(),
                           "glossary_s": round(time.perf_counter() - start, 3)}
    simple = weighted_undirected(g.graph)
    out["linked_pairs"] = simple.number_of_edges()
    start = time.perf_counter()
    groups = communities(g.graph)
    out["communities_s"] = round(time.perf_counter() - start, 3)
    out["communities"] = max(groups.values(), default=-1) + 1
    for dim in (2, 3):
        if memory:
            tracemalloc.start()
        start = time.perf_counter()
        layout.layout(simple, groups, dim)
        out[f"layout{dim}d_s"] = round(time.perf_counter() - start, 3)
        if memory:
            out[f"layout{dim}d_peak_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
            tracemalloc.stop()
    if not memory:
        shutil.rmtree(cache, ignore_errors=True)  # cold: an earlier run must not have cached it
        start = time.perf_counter()
        layout.analyse(g.graph, cache)  # computes and writes the cache
        out["analyse_cold_s"] = round(time.perf_counter() - start, 3)
        start = time.perf_counter()
        layout.analyse(g.graph, cache)
        out["analyse_cached_s"] = round(time.perf_counter() - start, 3)
    return out


def run(sizes: Sequence[int], workdir: Path, seed: int = 0) -> list[dict[str, Any]]:
    results = []
    for n in sizes:
        glossary = workdir / f"glossary-{n}"
        if not glossary.is_dir():
            write_glossary(glossary, n, seed)
        row: dict[str, Any] = {"load_avg_before": round(load_average(), 2)}
        for memory in (False, True):
            out = workdir / f"layout-{n}-{'mem' if memory else 'time'}.json"
            args = python("-m", "bench.graph_layout", "--child", str(glossary), "--out", str(out),
                          "--cache", str(workdir / f"cache-{n}"))
            if memory:
                args.append("--memory")
            run_measured(args).check(f"graph layout of {n} terms")
            got = json.loads(out.read_text())
            # tracemalloc slows numpy down: from that run only the memory figures count.
            row.update({k: v for k, v in got.items() if not memory or k.endswith("_mib")})
        results.append(row)
        print(json.dumps(row), file=sys.stderr)
    return results


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| Terms | Links | Louvain | 2D layout | 3D layout | 2D peak | 3D peak | "
             "cold build step | cached |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(
            f"| {r['n']} | {r['links']} | {r['communities_s']:.2f} s | {r['layout2d_s']:.2f} s | "
            f"{r['layout3d_s']:.2f} s | {r['layout2d_peak_mib']:.0f} MiB | "
            f"{r['layout3d_peak_mib']:.0f} MiB | {r['analyse_cold_s']:.2f} s | "
            f"{r['analyse_cached_s']:.3f} s |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.graph_layout", description=__doc__)
    p.add_argument("sizes", type=int, nargs="*", default=[1000, 5000, 10000])
    p.add_argument("--workdir", type=Path, help="keep glossaries here (default: temporary)")
    p.add_argument("--results-dir", type=Path,
                   default=Path(__file__).resolve().parent / "results",
                   help="where graph_layout.json and .md go (default: bench/results/)")
    p.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        args.out.write_text(json.dumps(measure(args.child, args.cache, args.memory)))
        return 0
    with tempfile.TemporaryDirectory(prefix="lx-layout-") as tmp:
        results = run(args.sizes, args.workdir or Path(tmp))
    args.results_dir.mkdir(parents=True, exist_ok=True)
    (args.results_dir / "graph_layout.json").write_text(json.dumps(results, indent=1) + "\n")
    (args.results_dir / "graph_layout.md").write_text(table(results) + "\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
