"""The scale benchmark's report: Markdown tables and the issue's goals, met or not.

Units: s = seconds, MiB = 2^20 bytes (memory), MB = 10^6 bytes and KB = 10^3 bytes (files).
"""

from __future__ import annotations

from typing import Any

#: The goals of the scale issue. Linear growth allows some noise: exponent <= LINEAR_MAX.
RATIO_MAX = 1.3
MEMORY_MAX_MIB = 1024
PAGE_MAX_BYTES = 60_000
CHECK_MAX_S = 5.0
LINEAR_MAX = 1.15


#: The builds of one size, as the tables name them.
_BUILD_LABELS = (("lexigraph", "Lexigraph, no cache"),
                 ("lexigraph-cached", "Lexigraph, cached (glossary unchanged)"),
                 ("material", "Material"))


def _by_n(results: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {r["n"]: r for r in results["sizes"]}


def _goal(goal: str, measured: str, met: bool | None) -> dict[str, Any]:
    return {"goal": goal, "measured": measured, "met": met}


def goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each goal that the measured sizes can answer, with the figure and whether it is met."""
    by_n = _by_n(results)
    out = []
    for n in (1000, 10000):
        for key, when in (("ratio", "no cache"), ("ratio_cached", "cached, glossary unchanged")):
            r = by_n.get(n, {}).get(key)
            if r:
                out.append(_goal(f"build time <= {RATIO_MAX} x plain Material at N = {n:,} "
                                 f"({when})",
                                 f"{r['wall_s']:.2f} x wall ({r['cpu_s']:.2f} x CPU)",
                                 r["wall_s"] <= RATIO_MAX))
    if 10000 in by_n:
        rss = by_n[10000]["builds"]["lexigraph"]["peak_rss_mib"]
        out.append(_goal("peak memory <= 1 GiB at N = 10,000", f"{rss:.0f} MiB",
                         rss <= MEMORY_MAX_MIB))
        check = by_n[10000]["check"]["wall_s"]
        cold = by_n[10000].get("check_cold")
        out.append(_goal(f"`lexigraph check` on 10,000 terms <= {CHECK_MAX_S:.0f} s",
                         f"{check:.2f} s (parses and formulas kept by the build)", check <= CHECK_MAX_S))
        if cold:
            out.append(_goal("... with every entry parsed and formula converted (`--no-cache`)",
                             f"{cold['wall_s']:.2f} s ({cold['cpu_s']:.2f} s CPU)",
                             cold["wall_s"] <= CHECK_MAX_S))
    for row in results.get("growth", []):
        span = f"N = {row['from']:,} -> {row['to']:,}"
        for key, label in (("lexigraph wall_s", "build time"),
                           ("lexigraph output_bytes", "output size"),
                           ("lexigraph term pages bytes", "term pages' HTML")):
            k = row[key]
            out.append(_goal(f"{label} grows linearly ({span})", f"N^{k:.2f}",
                             None if k is None else k <= LINEAR_MAX))
    for n, r in sorted(by_n.items()):
        loaded = r["page"].get("loaded", {}).get("lexigraph", {})
        own = loaded.get("own_bytes", r["page"]["lexigraph"]["own_bytes"])
        how = "as loaded in Chromium" if "own_bytes" in loaded else "static count"
        out.append(_goal(f"a term page's own weight <= 60 KB (median page, N = {n:,})",
                         f"{own / 1000:.1f} KB ({how})", own <= PAGE_MAX_BYTES))
    if by_n:
        n = max(by_n)
        largest = by_n[n]["page"]["largest"]
        own = largest.get("loaded", {}).get("own_bytes")
        # Weighed as the median page is: HTML and our files as loaded (the HTML alone once
        # stood here against the same 60 KB).
        out.append(_goal(f"... and the largest term page (N = {n:,}, {largest['slug']})",
                         f"{own / 1000:.1f} KB as loaded (HTML {largest['html_bytes'] / 1000:.1f} KB)"
                         if own is not None else f"HTML {largest['html_bytes'] / 1000:.1f} KB",
                         None if own is None else own <= PAGE_MAX_BYTES))
    return out


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _mb(n: float) -> str:
    return f"{n / 1e6:.1f}"


def _kb(n: float) -> str:
    return f"{n / 1e3:.1f}"


def _seconds(timed: dict[str, dict[str, float]], name: str, digits: int) -> str:
    return f"{timed[name]['seconds']:.{digits}f}" if name in timed else "-"


#: MkDocs' build events in the order they fire (pages' events once per page, interleaved).
_ORDER = ("on_startup", "on_config", "on_pre_build", "on_files", "on_nav",
          "on_page_markdown", "on_page_content", "on_env", "on_page_context", "on_post_page",
          "on_post_build", "on_shutdown")


def _rss(timed: dict[str, dict[str, float]], name: str) -> str:
    value = timed.get(name, {}).get("peak_rss_mib_after")
    return f"{value:.0f}" if value else "-"


def markdown(results: dict[str, Any]) -> str:
    parts = [f"## Build scale: Lexigraph vs plain Material (seed {results['seed']}, "
             f"best of {results['repeat']})"]
    rows = []
    for r in results["sizes"]:
        for build, label in _BUILD_LABELS:
            b = r["builds"].get(build)
            if b is None:  # results from before the cached build was measured
                continue
            rows.append([f"{r['n']:,}", label,
                         f"{b['wall_s']:.2f}", f"{b['cpu_s']:.2f}", f"{b['peak_rss_mib']:.0f}",
                         _mb(b["output_bytes"] - b["pyodide_bytes"]), b["output_files"],
                         _mb(b["search_index_bytes"]), f"{b['load_avg_before']:.1f}"])
        for key, label in (("ratio", "**ratio**, no cache"),
                           ("ratio_cached", "**ratio**, cached")):
            q = r.get(key)
            if q:
                rows.append([f"{r['n']:,}", label, f"**{q['wall_s']:.2f}**", f"{q['cpu_s']:.2f}",
                             f"{q['peak_rss_mib']:.2f}", f"{q['output_bytes']:.2f}", "",
                             f"{q['search_index_bytes']:.2f}", ""])
    parts.append(_table(["N", "build", "wall s", "CPU s", "peak RSS MiB",
                         "output MB (no Pyodide)", "files", "search index MB", "load avg"], rows))
    parts.append("### Lexigraph core stages, in process (s)")
    names = sorted({k for r in results["sizes"] for k in r["stages"]["stages"]})
    rows = [[f"{r['n']:,}", *(_seconds(r["stages"]["stages"], k, 3) for k in names),
             f"{r['stages']['build_glossary_s']:.3f}",
             f"{r['stages']['unaccounted_s']:.3f}", f"{r['stages']['check_s']:.3f}",
             f"{r['check']['wall_s']:.2f}",
             f"{r['check_cold']['wall_s']:.2f}" if "check_cold" in r else "",
             f"{r['check']['peak_rss_mib']:.0f}"]
            for r in results["sizes"]]
    parts.append(_table(["N", *names, "build_glossary", "unaccounted", "check()",
                         "`lexigraph check` wall", "... --no-cache", "check RSS MiB"], rows))
    parts.append("### Lexigraph's share of its MkDocs build (s; events of the plugin, and "
                 "functions it calls)")
    names = sorted({k for r in results["sizes"] for k in r["builds"]["lexigraph"]["timed"]})
    rows = [[f"{r['n']:,}", *(_seconds(r["builds"]["lexigraph"]["timed"], k, 2) for k in names)]
            for r in results["sizes"]]
    parts.append(_table(["N", *names], rows))
    parts.append("Peak RSS of the Lexigraph build when each plugin event last returned (MiB):")
    events = sorted((k for k in names if k.startswith("event ")),
                    key=lambda k: (_ORDER.index(k[6:]) if k[6:] in _ORDER else len(_ORDER), k))
    rows = [[f"{r['n']:,}", *(_rss(r["builds"]["lexigraph"]["timed"], k) for k in events),
             f"{r['builds']['lexigraph']['peak_rss_mib']:.0f}"] for r in results["sizes"]]
    parts.append(_table(["N", *events, "whole build"], rows))
    parts.append("### One term page (the median-sized one by HTML; Pyodide excluded)")
    rows = []
    for r in results["sizes"]:
        p = r["page"]
        lx, mat = p["lexigraph"], p["material"]
        own = ", ".join(f"{a['path']} {_kb(a['bytes'])}" for a in lx["assets"]
                        if a["kind"] == "own") or "none"
        rows.append([f"{r['n']:,}", p["slug"], _kb(lx["html_bytes"]), own,
                     f"**{_kb(lx['own_bytes'])}**", _kb(lx["own_gzip_bytes"]),
                     _kb(lx["theme_assets_bytes"]),
                     _kb(mat["html_bytes"]),
                     f"{p['largest']['slug']} {_kb(p['largest']['html_bytes'])}",
                     _kb(p["az_index_html_bytes"])])
    parts.append(_table(["N", "page", "HTML KB", "own assets KB", "own weight KB",
                         "own weight gzip KB", "Material assets KB", "plain Material HTML KB",
                         "largest term page KB", "A-Z index KB"], rows))
    parts.append("The same page opened in headless Chromium (everything it fetched once the "
                 "network was idle; KB):")
    rows = []
    for r in results["sizes"]:
        for build in ("lexigraph", "material"):
            got = r["page"].get("loaded", {}).get(build, {})
            if "error" in got or not got:
                rows.append([f"{r['n']:,}", build, got.get("error", "not measured"), "", "", "",
                             ""])
                continue
            k = got["bytes_by_kind"]
            own = ", ".join(f"{q['path'].rsplit('/', 1)[-1]} {_kb(q['bytes'])}"
                            for q in got["requests"] if q["kind"] == "own") or "none"
            rows.append([f"{r['n']:,}", build, _kb(k["page"]), own,
                         f"**{_kb(got['own_bytes'])}**", _kb(k["theme"]), _kb(k["sitewide"])])
    parts.append(_table(["N", "build", "HTML", "own files fetched", "own weight",
                         "Material's files", "search index + sitemap fetched"], rows))
    if results.get("growth"):
        parts.append("### Growth exponent k (cost ~ N^k; 1 = linear)")
        keys = [k for k in results["growth"][0] if k not in ("from", "to")]
        rows = [[f"{g['from']:,} -> {g['to']:,}", *(g[k] for k in keys)]
                for g in results["growth"]]
        parts.append(_table(["N", *keys], rows))
    if results.get("serve"):
        s = results["serve"]
        parts.append(f"### Edit -> served page, `mkdocs serve` at N = {s['n']:,}")
        rows = [[run["mode"], f"{run['first_build_s']:.2f}",
                 " / ".join(f"{x:.2f}" for x in run["rebuild_s"]),
                 f"**{run['rebuild_median_s']:.2f}**"] for run in s["runs"]]
        parts.append(_table(["mode", "first build s", "rebuilds s", "median s"], rows))
    parts.append("### Goals")
    rows = [[g["goal"], g["measured"], {True: "yes", False: "**no**", None: "?"}[g["met"]]]
            for g in results["goals"]]
    parts.append(_table(["goal", "measured", "met"], rows))
    for r in results["sizes"]:
        if r.get("profile_top"):
            partial = (f", stopped after {r['profile_partial_s']:.0f} s"
                       if r.get("profile_partial_s") else "")
            parts.append(f"### cProfile of the Lexigraph build at N = {r['n']:,} (top 30, "
                         f"cumulative{partial})\n\n```\n{r['profile_top'].strip()}\n```")
    return "\n\n".join(parts)
