"""Scale benchmark: Lexigraph vs plain mkdocs-material on synthetic glossaries of N terms.

For each N: generate the glossary and both projects (:mod:`bench.projects`), build each in a
fresh child process (wall time, CPU time, peak RSS via ``os.wait4``), weigh the output, the
search index and one term page, time ``lexigraph check`` and the core stages. Optionally time
an edit-rebuild under ``mkdocs serve`` and profile one build with cProfile.
"""

from __future__ import annotations

import io
import json
import math
import platform
import pstats
import shutil
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

from . import report
from .measure import load_average, page_weight, python, run_measured, term_pages, tree_size
from .page_load import loaded_weight
from .projects import REPO, Projects, write_projects
from .serve_rebuild import measure_serve

RESULTS = REPO / "bench" / "results"
#: "lexigraph" starts without ``.lexigraph-cache`` (a fresh clone, a CI runner); "lexigraph-cached"
#: builds the same glossary again with what the previous build cached (an author's next build).
BUILDS = ("lexigraph", "lexigraph-cached", "material")
#: What a Lexigraph build keeps between builds, beside mkdocs.yml.
CACHE_DIR = ".lexigraph-cache"


def build_once(projects: Projects, which: str, site: Path, profile: Path | None = None,
               timeout: float = 7200) -> dict[str, Any]:
    """One measured build of ``which`` project into ``site`` (removed first)."""
    shutil.rmtree(site, ignore_errors=True)
    config = projects.material if which == "material" else projects.lexigraph
    if which == "lexigraph":
        shutil.rmtree(config.parent / CACHE_DIR, ignore_errors=True)
    timings = site.parent / f"timings-{which}.json"
    args = python("-m", "bench._runner", "build", str(config), str(site), "--out", str(timings))
    if which == "material":
        args.append("--plain")
    if profile:
        args += ["--profile", str(profile)]
    load = load_average()
    run = run_measured(args, cwd=config.parent, timeout=timeout)
    run.check(f"{which} build of {projects.n} terms")
    inner = json.loads(timings.read_text())
    size = tree_size(site)
    index = site / "search" / "search_index.json"
    return {"wall_s": round(run.wall_s, 3), "cpu_s": round(run.cpu_s, 3),
            "peak_rss_mib": round(run.peak_rss_mib, 1), "in_process_s": inner["build_s"],
            "load_avg_before": round(load, 2), "output_bytes": size.bytes,
            "output_files": size.files, "pyodide_bytes": size.pyodide_bytes,
            "search_index_bytes": index.stat().st_size if index.is_file() else 0,
            "timed": inner["timed"], "interrupted": inner.get("interrupted", False),
            "page_cache": inner.get("page_cache"),
            "written_ahead": inner.get("written_ahead")}


def best_of(projects: Projects, which: str, site: Path, repeat: int) -> dict[str, Any]:
    """The fastest of ``repeat`` builds (the machine's other load only ever adds time)."""
    runs = [build_once(projects, which, site) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["wall_s"])
    best["all_wall_s"] = [r["wall_s"] for r in runs]
    return best


def weigh_pages(projects: Projects, sites: dict[str, Path]) -> dict[str, Any]:
    """The median-sized term page (by Lexigraph HTML), weighed in both sites; the largest."""
    sizes = term_pages(sites["lexigraph"], projects.terms_dir)
    ranked = sorted(sizes, key=lambda s: (sizes[s], s))
    median, largest = ranked[len(ranked) // 2], ranked[-1]
    page = f"{projects.terms_dir}/{median}/index.html"
    index = sites["lexigraph"] / projects.terms_dir / "index.html"
    return {"slug": median,
            "lexigraph": page_weight(sites["lexigraph"], page),
            "material": page_weight(sites["material"], page),
            "loaded": {b: _loaded(sites[b], f"{projects.terms_dir}/{median}/")
                       for b in ("lexigraph", "material")},
            "largest": {"slug": largest, "html_bytes": sizes[largest],
                        "loaded": _loaded(sites["lexigraph"], f"{projects.terms_dir}/{largest}/")},
            "term_pages_html_bytes": sum(sizes.values()),
            "az_index_html_bytes": index.stat().st_size if index.is_file() else 0}


def _loaded(site: Path, page_url: str) -> dict[str, Any]:
    try:
        return loaded_weight(site, page_url)
    except Exception as exc:  # no Chromium or Playwright: the static weight still stands
        return {"error": f"{type(exc).__name__}: {exc}"}


def measure_size(n: int, workdir: Path, seed: int, repeat: int, keep: bool,
                 profile: bool, profile_timeout: float = 900) -> dict[str, Any]:
    root = workdir / f"n{n}"
    shutil.rmtree(root, ignore_errors=True)
    start = time.perf_counter()
    projects = write_projects(root, n, seed)
    result: dict[str, Any] = {"n": n, "generate_s": round(time.perf_counter() - start, 2)}
    sites = {b: root / f"site-{b}" for b in BUILDS}
    result["builds"] = {b: best_of(projects, b, sites[b], repeat) for b in BUILDS}
    mat = result["builds"]["material"]
    for key, build in (("ratio", "lexigraph"), ("ratio_cached", "lexigraph-cached")):
        lx = result["builds"][build]
        result[key] = {k: round(lx[k] / mat[k], 3) if mat[k] else None
                       for k in ("wall_s", "cpu_s", "peak_rss_mib", "output_bytes",
                                 "search_index_bytes")}
    result["page"] = weigh_pages(projects, sites)
    # Cold: every entry parsed and formula converted (--no-cache). Warm: the entries the build
    # just parsed and the formulas it checked are kept in the project's .lexigraph-cache, as
    # for an author's next check.
    for key, extra in (("check_cold", ["--no-cache"]), ("check", [])):
        # Run in the synthetic project, which has no demos/ and no mkdocs.yml of its own for
        # the check: demo names are not checked (from the repository, its demos/ would be).
        check = run_measured([*lexigraph_command(), "check", str(projects.glossary), *extra],
                             cwd=projects.glossary.parent)
        result[key] = {"wall_s": round(check.check("lexigraph check").wall_s, 3),
                       "cpu_s": round(check.cpu_s, 3),
                       "peak_rss_mib": round(check.peak_rss_mib, 1)}
    stages_json = root / "stages.json"
    run_measured(python("-m", "bench._runner", "stages", str(projects.glossary), "--out",
                        str(stages_json))).check("stage timings")
    result["stages"] = json.loads(stages_json.read_text())
    if profile:
        prof = root / "build.prof"
        done = build_once(projects, "lexigraph", sites["lexigraph"], profile=prof,
                          timeout=profile_timeout)
        result["profile_top"] = profile_top(prof)
        result["profile_partial_s"] = done["in_process_s"] if done["interrupted"] else None
    if not keep:
        for site in sites.values():
            shutil.rmtree(site, ignore_errors=True)
    return result


def lexigraph_command() -> list[str]:
    """The installed ``lexigraph`` script next to this Python, else ``python -m lexigraph.cli``."""
    script = Path(sys.executable).parent / "lexigraph"
    return [str(script)] if script.is_file() else python("-m", "lexigraph.cli")


def profile_top(path: Path, limit: int = 30) -> str:
    out = io.StringIO()
    stats = pstats.Stats(str(path), stream=out)
    stats.strip_dirs().sort_stats("cumulative").print_stats(limit)
    return out.getvalue()


def growth(sizes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Exponent k in cost ~ N^k between consecutive sizes (1 = linear, 2 = quadratic)."""
    rows = []
    for a, b in zip(sizes, sizes[1:]):
        scale = math.log(b["n"] / a["n"])
        row: dict[str, Any] = {"from": a["n"], "to": b["n"]}
        for build in BUILDS:
            for key in ("wall_s", "cpu_s", "output_bytes", "search_index_bytes"):
                x, y = a["builds"][build][key], b["builds"][build][key]
                row[f"{build} {key}"] = round(math.log(y / x) / scale, 2) if x and y else None
        x, y = a["page"]["term_pages_html_bytes"], b["page"]["term_pages_html_bytes"]
        row["lexigraph term pages bytes"] = round(math.log(y / x) / scale, 2)
        rows.append(row)
    return rows


def machine() -> dict[str, Any]:
    return {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": __import__("os").cpu_count(),
            "packages": {p: version(p) for p in ("mkdocs", "mkdocs-material", "lexigraph",
                                                  "Markdown", "latex2mathml", "networkx")}}


def run(sizes: list[int], seed: int = 0, workdir: Path | None = None, repeat: int = 1,
        serve_size: int = 1000, serve_repeats: int = 3, profile_size: int | None = None,
        results_dir: Path = RESULTS, keep: bool = False,
        profile_timeout: float = 900) -> dict[str, Any]:
    """Run the whole benchmark; print the report; write JSON to ``results_dir``."""
    temporary = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="lexigraph-bench-")) if workdir is None else workdir
    workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"machine": machine(), "seed": seed, "repeat": repeat,
                               "started": time.strftime("%Y-%m-%dT%H:%M:%S"), "sizes": []}
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    partial = results_dir / f"build_scale-{stamp}.partial.json"
    try:
        for n in sorted(set(sizes)):
            print(f"[bench] N = {n} ...", flush=True)
            results["sizes"].append(measure_size(n, workdir, seed, repeat, keep,
                                                 n == profile_size, profile_timeout))
            partial.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
        results["growth"] = growth(results["sizes"])
        if serve_size:
            print(f"[bench] mkdocs serve rebuild at N = {serve_size} ...", flush=True)
            results["serve"] = serve_runs(workdir, serve_size, seed, serve_repeats)
    finally:
        if temporary and not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    results["goals"] = report.goals(results)
    text = report.markdown(results)
    print(text)
    for name in (f"build_scale-{stamp}.json", "build_scale-latest.json"):
        (results_dir / name).write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    (results_dir / "build_scale-latest.md").write_text(text + "\n")
    partial.unlink(missing_ok=True)
    print(f"[bench] results: {results_dir / f'build_scale-{stamp}.json'}")
    return results


def serve_runs(workdir: Path, n: int, seed: int, repeats: int) -> dict[str, Any]:
    root = workdir / f"serve-n{n}"
    shutil.rmtree(root, ignore_errors=True)
    projects = write_projects(root, n, seed)
    slugs = sorted(p.stem for p in projects.glossary.glob("*.md"))
    slug = slugs[len(slugs) // 2]
    runs = [measure_serve(projects.lexigraph, projects.glossary, slug, projects.terms_dir,
                          repeats, dirty=dirty) for dirty in (False, True)]
    plain = measure_serve(projects.material, projects.material.parent / "docs" / projects.terms_dir,
                          slug, projects.terms_dir, repeats)
    plain["mode"] = "plain Material serve"
    return {"n": n, "runs": [*runs, plain]}
