"""Graph page benchmark: time to the first frame and frame time while panning.

``python -m bench.graph_page`` (default sizes 1,000 and 5,000) generates a synthetic glossary
per size with :func:`bench.projects.write_projects`, builds it with the repository's
``mkdocs.yml``, serves it on 127.0.0.1 and drives ``graph/`` in headless Chromium (the tests'
flags; WebGL runs on SwiftShader, i.e. on the CPU), every other host aborted.

- First frame: from navigation start to the ``lx-graph-first-frame`` mark graph.js sets once
  the frame holding the terms has been painted (a task queued from the requestAnimationFrame
  after drawing them: it runs after that frame's paint). Also reported: ``interactive`` (sigma
  drew the same picture and answers the mouse) and ``with links`` (the links are drawn too:
  ``data-state="ready"``). A fresh browser context per run (empty HTTP cache); median of
  ``--runs``.
- Panning, three ways, each for ``--seconds``:

  - *pointer drag* (the goal's figure): mouse events dispatched in the page, one move per
    animation frame as a 60 Hz mouse sends them, through sigma's own drag handling; every frame
    has a new camera position, so an idle frame cannot pad the rate. fps = frames / time, with
    the median and 95th percentile frame time and how many frames sigma rendered;
  - *mouse drag*: real input through the DevTools protocol (Playwright's mouse). Each move waits
    for the page to acknowledge it, so the camera moves only a dozen times a second here:
    reported with the time between sigma's renders, not used for the goal;
  - *sweep*: the camera moved by script every frame; sigma does not count that as a drag, so
    links stay drawn (what keyboard or search moves cost).

Goals (the concept graph issue): first frame <= 500 ms at 1,000 terms; panning >= 30 fps at
5,000 terms. Results go to ``bench/results/graph_page.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .browser import ARGS, CHROMIUM, loopback_context, serve
from .measure import load_average, python, run_measured
from .projects import REPO, write_projects

RESULTS = REPO / "bench" / "results"
READY = "document.querySelector('.lx-graph[data-state=ready]') !== null"
RECORD = """() => {
  const ex = document.querySelector('.lx-graph-stage').lexigraph;
  const rec = {frames: [], renders: [], rendered: [], stop: false};
  let began = 0;
  ex.renderer.on('beforeRender', () => { began = performance.now(); });
  ex.renderer.on('afterRender', () => {
    if (rec.stop) return;
    rec.renders.push(performance.now() - began); rec.rendered.push(performance.now());
  });
  (function tick(t) { rec.frames.push(t); if (!rec.stop) requestAnimationFrame(tick); })(performance.now());
  window.__lxRecord = rec;
}"""
SWEEP = """(seconds) => new Promise((done) => {
  const camera = document.querySelector('.lx-graph-stage').lexigraph.renderer.getCamera();
  const start = performance.now(), origin = camera.getState();
  (function step(t) {
    const s = (t - start) / 1000;
    camera.setState({x: origin.x + 0.2 * Math.sin(s * 3), y: origin.y + 0.2 * Math.cos(s * 2)});
    if (s < seconds) requestAnimationFrame(step); else done();
  })(start);
})"""


#: A drag at the pace of a 60 Hz mouse: mousedown on sigma's event layer, then one mousemove
#: per animation frame (back and forth across the stage), then mouseup.
POINTER_DRAG = """(seconds) => new Promise((done) => {
  const ex = document.querySelector('.lx-graph-stage').lexigraph;
  const target = ex.renderer.getCanvases().mouse, box = target.getBoundingClientRect();
  const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
  const fire = (type, x, y) => target.dispatchEvent(new MouseEvent(type, {
    clientX: x, clientY: y, button: 0, buttons: type === 'mouseup' ? 0 : 1, bubbles: true,
    cancelable: true, view: window}));
  fire('mousedown', cx, cy);
  const start = performance.now();
  (function move(t) {
    const s = (t - start) / 1000;
    if (s >= seconds) { fire('mouseup', cx, cy); done(); return; }
    fire('mousemove', cx + 200 * Math.sin(s * 2.5), cy + 60 * Math.sin(s * 7));
    requestAnimationFrame(move);
  })(start);
})"""


def build(n: int, workdir: Path, seed: int) -> tuple[Path, float]:
    """Generate and build the synthetic project of ``n`` terms (afresh: assets change)."""
    shutil.rmtree(workdir / f"n{n}", ignore_errors=True)
    config = write_projects(workdir / f"n{n}", n, seed).lexigraph
    site = workdir / f"site-{n}"
    shutil.rmtree(site, ignore_errors=True)
    run = run_measured(python("-m", "mkdocs", "build", "-q", "-f", str(config),
                              "-d", str(site)), cwd=config.parent)
    run.check(f"build of {n} terms")
    return site, run.wall_s


def _context(browser: Any) -> Any:
    return loopback_context(browser, viewport={"width": 1280, "height": 900})


def first_frames(browser: Any, url: str, runs: int) -> dict[str, Any]:
    times, interactive, complete, loads = [], [], [], []
    for _ in range(runs):
        context = _context(browser)
        page = context.new_page()
        page.goto(url)
        page.wait_for_function(READY, timeout=120_000)
        times.append(page.evaluate(
            "performance.getEntriesByName('lx-graph-first-frame')[0].startTime"))
        interactive.append(page.evaluate(
            "performance.getEntriesByName('lx-graph-interactive')[0].startTime"))
        complete.append(page.evaluate(
            "performance.getEntriesByName('lx-graph-complete')[0].startTime"))
        loads.append(page.evaluate("""() => {
          const r = (end) => performance.getEntriesByType('resource').filter(e => e.name.endsWith(end))
                                .map(e => Math.round(e.responseEnd))[0];
          const nav = performance.getEntriesByType('navigation')[0];
          const mark = (name) => Math.round(performance.getEntriesByName(name)[0].startTime);
          return {dom_content_loaded: Math.round(nav.domContentLoadedEventEnd),
                  graph_json: r('graph.json'), sigma: r('sigma.min.js'),
                  bundle: r(document.querySelector('script[src*="bundle"]').src.split('/').pop()),
                  script_start: mark('lx-graph-start'), data: mark('lx-graph-data'),
                  first_frame: mark('lx-graph-first-frame'), sigma_start: mark('lx-graph-built'),
                  sigma_drawn: mark('lx-graph-drawn'), interactive: mark('lx-graph-interactive'),
                  complete: mark('lx-graph-complete')};
        }"""))
        context.close()
    home = []  # the same site's home page: what any Material page costs here, for reference
    for _ in range(runs):
        context = _context(browser)
        page = context.new_page()
        page.goto(url.rsplit("graph/", 1)[0])
        home.append(page.evaluate(
            "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"))
        context.close()
    return {"runs_ms": [round(t, 1) for t in times], "median_ms": round(statistics.median(times), 1),
            "home_page_dom_content_loaded_median_ms": round(statistics.median(home), 1),
            "min_ms": round(min(times), 1), "max_ms": round(max(times), 1),
            "interactive_median_ms": round(statistics.median(interactive), 1),
            "with_links_median_ms": round(statistics.median(complete), 1),
            "milestones_ms_last_run": loads[-1]}


def _frames(rec: dict[str, Any]) -> dict[str, Any]:
    gaps = [b - a for a, b in zip(rec["frames"], rec["frames"][1:], strict=False)][3:]
    if not gaps:
        return {"frames": 0}
    mean = statistics.fmean(gaps)
    ordered = sorted(gaps)
    between = sorted(b - a for a, b in zip(rec["rendered"], rec["rendered"][1:], strict=False))
    return {"frames": len(gaps), "renders": len(rec["renders"]),
            "frame_ms_mean": round(mean, 1), "frame_ms_median": round(statistics.median(gaps), 1),
            "frame_ms_p95": round(_p95(ordered), 1),
            "fps": round(1000 / mean, 1),
            "render_ms_mean": round(statistics.fmean(rec["renders"]), 1) if rec["renders"] else None,
            "between_renders_ms_median": round(statistics.median(between), 1) if between else None,
            "between_renders_ms_p95": round(_p95(between), 1) if between else None}


def _p95(ordered: list[float]) -> float:
    return ordered[int(0.95 * (len(ordered) - 1))]


def panning(browser: Any, url: str, seconds: float) -> dict[str, Any]:
    context = _context(browser)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(READY, timeout=120_000)
    page.wait_for_timeout(500)
    box = page.locator(".lx-graph-stage").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.evaluate(RECORD)
    page.mouse.move(cx, cy)
    page.mouse.down()
    start, i = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:  # a back-and-forth drag, as a reader pans
        i += 1
        page.mouse.move(cx + 150 * ((i % 120) / 60 - 1 if (i // 120) % 2 else 1 - (i % 120) / 60),
                        cy + 40 * ((i % 30) / 15 - 1))
    page.mouse.up()
    drag = _frames(page.evaluate("(() => { const r = window.__lxRecord; r.stop = true; return r; })()"))
    drag["mouse_moves"] = i
    page.wait_for_timeout(500)  # sigma draws the links again after a drag
    page.evaluate(RECORD)
    page.evaluate(POINTER_DRAG, seconds)
    pointer = _frames(page.evaluate("(() => { const r = window.__lxRecord; r.stop = true; return r; })()"))
    page.wait_for_timeout(500)
    page.evaluate(RECORD)
    page.evaluate(SWEEP, seconds)
    sweep = _frames(page.evaluate("(() => { const r = window.__lxRecord; r.stop = true; return r; })()"))
    context.close()
    return {"pointer_drag": pointer, "mouse_drag": drag, "camera_sweep": sweep}


def run(sizes: Sequence[int], workdir: Path, seed: int, runs: int, seconds: float
        ) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {"sizes": [], "chromium_args": ARGS}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        results["webgl_renderer"] = _webgl_renderer(browser)
        for n in sizes:
            site, build_s = build(n, workdir, seed)
            graph = json.loads((site / "graph.json").read_text(encoding="utf-8"))
            row: dict[str, Any] = {"n": n, "edges": len(graph["edges"]), "build_s": round(build_s, 1),
                                   "graph_json_bytes": (site / "graph.json").stat().st_size,
                                   "load_avg_before": round(load_average(), 2)}
            with serve(site) as base:
                row["first_frame"] = first_frames(browser, base + "graph/", runs)
                row["panning"] = panning(browser, base + "graph/", seconds)
            results["sizes"].append(row)
            print(json.dumps(row), flush=True)
        browser.close()
    return results


def _webgl_renderer(browser: Any) -> str:
    page = browser.new_page()
    name = page.evaluate("""() => { const gl = document.createElement('canvas').getContext('webgl');
      if (!gl) return 'no WebGL';
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      return info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER); }""")
    page.close()
    return str(name)


def report(results: dict[str, Any]) -> str:
    lines = [f"WebGL: {results['webgl_renderer']}", "",
             "| Terms | Links | graph.json | First frame (median, min-max) | Interactive | "
             "With links | Pointer drag: fps, median / p95 frame | Mouse drag (CDP): renders, "
             "median gap | Sweep, links drawn: fps, sigma render |",
             "|---:|---:|---:|---|---|---|---|---|---|"]
    for r in results["sizes"]:
        ff, pan = r["first_frame"], r["panning"]
        pointer, drag, sweep = pan["pointer_drag"], pan["mouse_drag"], pan["camera_sweep"]
        lines.append(
            f"| {r['n']} | {r['edges']} | {r['graph_json_bytes'] / 1e6:.2f} MB | "
            f"{ff['median_ms']:.0f} ms ({ff['min_ms']:.0f}-{ff['max_ms']:.0f}) | "
            f"{ff['interactive_median_ms']:.0f} ms | {ff['with_links_median_ms']:.0f} ms | "
            f"{pointer['fps']:.0f} fps, {pointer['frame_ms_median']:.1f} / "
            f"{pointer['frame_ms_p95']:.1f} ms ({pointer['renders']} renders / "
            f"{pointer['frames']} frames) | "
            f"{drag['renders']} in {drag['mouse_moves']} moves, "
            f"{drag['between_renders_ms_median']} ms | "
            f"{sweep['fps']:.0f} fps, {sweep['render_ms_mean']} ms |")
    loads = ", ".join(f"{r['n']}: {r['load_avg_before']}" for r in results["sizes"])
    goals = [f"Load average before each size (2 cores, shared): {loads}.", ""]
    for r in results["sizes"]:
        if r["n"] == 1000:
            ms = r["first_frame"]["median_ms"]
            goals.append(f"- first frame <= 500 ms at 1,000 terms: {ms:.0f} ms, "
                         f"{'met' if ms <= 500 else 'NOT met'}")
        if r["n"] == 5000:
            fps = r["panning"]["pointer_drag"]["fps"]
            goals.append(f"- panning >= 30 fps at 5,000 terms: {fps:.0f} fps, "
                         f"{'met' if fps >= 30 else 'NOT met'}")
    return "\n".join([*lines, "", *goals]) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.graph_page", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--runs", type=int, default=5, help="page loads per size (default: 5)")
    p.add_argument("--seconds", type=float, default=3.0, help="length of each pan (default: 3)")
    p.add_argument("--workdir", type=Path, help="keep projects and sites here (default: temporary)")
    p.add_argument("--results-dir", type=Path, default=RESULTS)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lx-graph-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        results = run(args.sizes, workdir, args.seed, args.runs, args.seconds)
    args.results_dir.mkdir(parents=True, exist_ok=True)
    (args.results_dir / "graph_page.json").write_text(json.dumps(results, indent=1) + "\n")
    text = report(results)
    (args.results_dir / "graph_page.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
