"""The scale benchmark harness runs end to end at N = 20 (a smoke test, not a benchmark).

No timing is asserted: only that both builds ran and every figure the report gives is there
and sane (positive times and sizes, a term page weighed on disk and in Chromium, a served
rebuild).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_harness_runs_at_n_20(tmp_path: Path) -> None:
    results = tmp_path / "results"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--sizes", "20", "--serve-size", "20",
         "--serve-repeats", "1", "--workdir", str(tmp_path / "work"),
         "--results-dir", str(results)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    table = proc.stdout
    assert "| 20 | Lexigraph, no cache |" in table and "| 20 | Material |" in table
    assert "| 20 | Lexigraph, cached (glossary unchanged) |" in table
    assert "| 20 | **ratio**, no cache |" in table and "| 20 | **ratio**, cached |" in table
    assert "### Goals" in table

    data = json.loads((results / "build_scale-latest.json").read_text())
    assert (results / "build_scale-latest.md").read_text().strip() in table
    (size,) = data["sizes"]
    assert size["n"] == 20
    for build in ("lexigraph", "lexigraph-cached", "material"):
        b = size["builds"][build]
        assert b["wall_s"] > 0 and b["cpu_s"] > 0 and b["in_process_s"] > 0
        assert b["peak_rss_mib"] > 10
        assert b["output_bytes"] > 0 and b["output_files"] > 20
        assert b["search_index_bytes"] > 0
    assert size["ratio"]["wall_s"] > 0 and size["ratio_cached"]["wall_s"] > 0
    # The first build rendered every generated page (terms, index, domains...); the second took
    # them all from the cache.
    cold = size["builds"]["lexigraph"]["page_cache"]
    assert cold["hits"] == 0 and cold["misses"] > 20
    assert size["builds"]["lexigraph-cached"]["page_cache"] == {"hits": cold["misses"],
                                                                 "misses": 0}
    # Lexigraph's build was instrumented: its plugin ran the core pipeline.
    assert size["builds"]["lexigraph"]["timed"]["event on_pre_build"]["calls"] == 1

    page = size["page"]
    assert page["lexigraph"]["html_bytes"] > 0 and page["material"]["html_bytes"] > 0
    assert page["lexigraph"]["own_bytes"] > page["lexigraph"]["html_bytes"]
    assert any(a["path"].endswith("lexigraph.css") for a in page["lexigraph"]["assets"])
    assert page["lexigraph"]["external"] == []
    # The same page opened in Chromium: it fetched its HTML and Lexigraph's files, nothing remote.
    for build in ("lexigraph", "material"):
        loaded = page["loaded"][build]
        assert "error" not in loaded, loaded
        assert loaded["bytes_by_kind"]["page"] > 0 and loaded["external"] == []
    lexigraph = page["loaded"]["lexigraph"]
    assert lexigraph["own_bytes"] > lexigraph["bytes_by_kind"]["page"]

    assert size["check"]["wall_s"] > 0
    stages = size["stages"]["stages"]
    assert {"1 load", "2 validate", "3 autolink", "4 graph build"} <= set(stages)
    assert all(s["seconds"] >= 0 for s in stages.values())

    modes = {run["mode"]: run for run in data["serve"]["runs"]}
    assert set(modes) == {"serve", "serve --dirty", "plain Material serve"}
    assert all(run["rebuild_s"] and min(run["rebuild_s"]) > 0 for run in modes.values())
