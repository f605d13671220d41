"""Live demos in headless Chromium: first paint without Python, live re-runs in a Pyodide worker
that agree with CPython, tracebacks from edited code, Stop, and instant navigation.

The ``page`` fixture aborts (and fails on) every non-loopback request and fails on console
errors, so these tests also prove the self-hosted runtime works offline.
"""

from __future__ import annotations

import copy
import json
import math
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from lexigraph import demo_run, demos
from lexigraph.pyodide_assets import ASSET_DIR

from .conftest import ROOT, build_site, instant_navigation, instant_ready, serve

pytestmark = pytest.mark.browser

BOOT_MS = 90_000
DEMOS = demos.discover(ROOT / "demos")


def cpython(demo_id: str, params: dict[str, Any]) -> dict[str, Any]:
    return demo_run.run(demo_id, DEMOS[demo_id], params)


def assert_same(live: Any, ref: Any, where: str = "result") -> None:
    """Equal structure and strings; numbers equal to a relative 1e-9 (JSON in the browser
    turns 2.0 into 2, so numbers are compared as floats)."""
    if isinstance(ref, bool) or ref is None or isinstance(ref, str):
        assert live == ref, where
    elif isinstance(ref, (int, float)):
        assert isinstance(live, (int, float)) and not isinstance(live, bool), where
        assert math.isclose(float(live), float(ref), rel_tol=1e-9, abs_tol=0.0), (where, live, ref)
    elif isinstance(ref, dict):
        assert sorted(live) == sorted(ref), where
        for key in ref:
            assert_same(live[key], ref[key], f"{where}.{key}")
    else:
        assert isinstance(live, list) and len(live) == len(ref), where
        for i, (a, b) in enumerate(zip(live, ref)):
            assert_same(a, b, f"{where}[{i}]")


def wait_ready(page) -> None:
    page.wait_for_function("window.LexigraphRuntime && window.LexigraphRuntime.stage() === 'ready'",
                           timeout=BOOT_MS)


def live_result(page, demo: str, wanted: dict[str, Any]) -> tuple[dict, dict]:
    """Wait until ``demo`` shows a live result for parameters including ``wanted``."""
    page.wait_for_function(
        """([sel, wanted]) => {
             const el = document.querySelector(sel);
             if (el.dataset.lxState !== 'live' || !el.dataset.lxRunParams) return false;
             const p = JSON.parse(el.dataset.lxRunParams);
             return Object.keys(wanted).every(k => p[k] === wanted[k]);
           }""", arg=[demo, wanted], timeout=BOOT_MS)
    el = page.locator(demo)
    return json.loads(el.get_attribute("data-lx-result")), json.loads(el.get_attribute("data-lx-run-params"))


def drawable(chart: dict[str, Any]) -> list[int]:
    """How many points of each series a chart can draw (log axes skip values <= 0)."""
    def ok(v: Any, log: bool) -> bool:
        return isinstance(v, (int, float)) and (not log or v > 0)
    xlog, ylog = chart["x"]["scale"] == "log", chart["y"]["scale"] == "log"
    return [sum(1 for x, y in zip(s["x"], s["y"]) if ok(x, xlog) and ok(y, ylog))
            for s in chart["series"]]


def path_points(page, demo: str) -> list[int]:
    return page.eval_on_selector_all(
        demo + " .lx-chart__series path",
        "ps => ps.map(p => (p.getAttribute('d').match(/[ML]/g) || []).length)")


def test_prerendered_chart_is_there_before_python_loads(page, real_site: Path) -> None:
    held: list[Any] = []

    def hold(route: Any) -> None:  # Python may not arrive yet
        held.append(route)

    page.context.route("**/assets/pyodide/**", hold)
    page.goto(serve(real_site) + "terms/vanishing-gradient/")
    demo = "#lx-demo-0"
    expected = cpython("gradient-decay", {})
    series = expected["chart"]["series"]
    assert page.locator(demo).get_attribute("data-lx-state") == "static"
    assert path_points(page, demo) == drawable(expected["chart"])
    assert page.locator(demo + " svg[role=img] > title").text_content() == expected["chart"]["title"]
    ticks = page.locator(demo + " .lx-chart__axes text").all_text_contents()
    assert expected["chart"]["x"]["label"] in ticks and expected["chart"]["y"]["label"] in ticks
    assert any(t.startswith("10⁻") for t in ticks)  # the log axis has ticks at powers of ten
    assert page.locator(demo + " .lx-demo__legend li").all_text_contents() == [s["name"] for s in series]
    summary = page.locator(demo + " .lx-demo__summary")
    assert summary.text_content() == expected["summary"]
    # The labelled, keyboard-usable controls come from demos.json without Python either.
    page.wait_for_selector(demo + " form.lx-demo__form")
    for name in ("activation", "depth", "residual"):
        control = page.locator(f"{demo} [name={name}]")
        assert page.locator(f"label[for={control.get_attribute('id')}]").count() == 1
    page.wait_for_timeout(300)
    assert page.evaluate("window.LexigraphRuntime.stage()") in ("idle", "python")
    assert page.locator(demo).get_attribute("data-lx-result") is None
    # Let Python through: the same page goes live.
    page.context.unroute("**/assets/pyodide/**", hold)
    for route in held:
        route.continue_()
    wait_ready(page)


STATUS_LOG = """
  window.__lxStatus = [];
  document.addEventListener('DOMContentLoaded', () => {
    let last = null;
    new MutationObserver(() => {
      const s = document.querySelector('#lx-demo-0 .lx-demo__status');
      if (s && s.textContent !== last) { last = s.textContent; window.__lxStatus.push(last); }
    }).observe(document.body, {subtree: true, childList: true, characterData: true});
  });
"""


def test_python_boots_after_the_load_event_without_a_touch(page, real_site: Path) -> None:
    page.goto(serve(real_site) + "terms/vanishing-gradient/")
    wait_ready(page)
    loaded = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    assert page.evaluate("window.LexigraphRuntime.timings().bootStart") >= loaded > 0


def test_a_change_during_boot_shows_each_loading_stage(page, real_site: Path) -> None:
    held: list[Any] = []
    page.context.route("**/assets/pyodide/**", lambda route: held.append(route))
    page.add_init_script(STATUS_LOG)
    page.goto(serve(real_site) + "terms/vanishing-gradient/")
    demo = "#lx-demo-0"
    page.wait_for_selector(demo + " form.lx-demo__form")
    page.select_option(demo + " select[name=activation]", "tanh")   # the reader does not wait
    page.wait_for_function("() => window.__lxStatus.includes('Loading the Python runtime… (1 of 3)')")
    assert page.locator(demo + " progress").get_attribute("value") == "1"
    page.context.unroute("**/assets/pyodide/**")
    for route in held:
        route.continue_()
    data, params = live_result(page, demo, {"activation": "tanh"})
    assert_same(data, cpython("gradient-decay", params))
    seen = page.evaluate("window.__lxStatus")
    stages = ["Loading the Python runtime… (1 of 3)", "Loading NumPy and the demos… (2 of 3)",
              "Running… (3 of 3)"]
    assert [seen.index(s) for s in stages] == sorted(seen.index(s) for s in stages), seen
    assert seen[-1] == "Ran in your browser."
    assert page.locator(demo + " .lx-demo__timing").text_content().endswith(" s with loading Python)")
    assert page.locator(demo + " progress").is_hidden()


def test_moving_a_slider_reruns_every_demo_like_cpython(page, real_site: Path) -> None:
    page.goto(serve(real_site) + "demos/")
    wait_ready(page)
    ids = page.eval_on_selector_all(".lx-demo", "els => els.map(e => [e.id, e.dataset.lxDemo])")
    assert {d for _, d in ids} == set(DEMOS)
    for element_id, demo_id in ids:
        demo = "#" + element_id
        slider = page.locator(demo + " input[type=range]:enabled").first
        before = slider.input_value()
        slider.focus()
        page.keyboard.press("ArrowRight" if slider.get_attribute("max") != before else "ArrowLeft")
        name = slider.get_attribute("name")
        moved = page.locator(demo).evaluate(
            "(el, name) => el.querySelector(`[name=${name}]`).value", name)
        assert moved != before
        data, params = live_result(page, demo, {name: json.loads(moved)})
        expected = cpython(demo_id, params)
        assert_same(data, expected)
        assert path_points(page, demo) == drawable(expected["chart"])
        assert page.locator(demo + " .lx-demo__summary").text_content() == expected["summary"]


def test_a_slider_moved_step_by_step_has_its_reading_said_once(page, real_site: Path) -> None:
    """The summary was the live region: each slider step re-ran the demo (some 50 ms) and a
    screen reader queued the whole new reading, ten near-identical sentences for ten steps."""
    page.goto(serve(real_site) + "terms/vanishing-gradient/")
    wait_ready(page)
    demo = "#lx-demo-0"
    page.locator(demo).evaluate("""el => {
      window.said = [];
      for (const region of el.querySelectorAll('[aria-live]:not([aria-live=off]), [role=status]'))
        new MutationObserver(() => region.textContent && said.push(region.classList[0] + ': ' + region.textContent))
          .observe(region, {childList: true, characterData: true, subtree: true});
    }""")
    slider = page.locator(demo + " input[name=depth]")
    slider.focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(150)
    depth = int(slider.input_value())
    data, params = live_result(page, demo, {"depth": depth})
    page.wait_for_function("window.said.some(s => s.startsWith('lx-demo__said'))")
    page.wait_for_timeout(500)
    said = page.evaluate("window.said")
    readings = [s for s in said if not s.startswith("lx-demo__status")]
    assert readings == ["lx-demo__said: " + data["summary"]], said
    assert page.locator(demo + " .lx-demo__summary").text_content() == data["summary"]


def test_every_curve_of_a_full_chart_has_a_line_of_its_own(page, real_site: Path) -> None:
    """With all six activations ticked (12 curves), ELU, GELU and their slopes were drawn in
    the sigmoid's and tanh's very colour and line, and ReLU's four differed by colour alone."""
    names = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu"]
    chart = cpython("activation-functions", {name: True for name in names})["chart"]
    assert len(chart["series"]) == 12
    page.goto(serve(real_site) + "terms/sigmoid/")
    page.wait_for_selector("#lx-demo-0 .lx-demo__chart svg")
    seen = page.locator("#lx-demo-0").evaluate("""(demo, chart) => {
      window.LexigraphChart.draw(demo.querySelector('.lx-demo__chart'), chart, 'lx-test');
      const list = demo.querySelector('.lx-demo__legend');
      window.LexigraphChart.legend(list, chart);
      const lines = [...demo.querySelectorAll('.lx-chart__series path')].map(p => getComputedStyle(p));
      const swatches = [...list.querySelectorAll('.lx-legend__swatch')].map(s => getComputedStyle(s));
      return lines.map((line, k) => [line.stroke, line.strokeDasharray,
        swatches[k].borderTopStyle + ' ' + swatches[k].backgroundImage.slice(0, 15)]);
    }""", chart)
    assert len(seen) == 12 and len({(colour, dash) for colour, dash, _ in seen}) == 12
    # Next to each other, curves differ by their line, and the legend shows which.
    assert all(seen[k][1] != seen[k + 1][1] for k in range(11))
    assert len({swatch for _, _, swatch in seen[:4]}) == 4


def test_a_sliders_track_keeps_its_width_whatever_its_value(page, real_site: Path) -> None:
    """The value beside a slider took the width of its digits: the track shrank under the
    finger from 0.5 to 0.55 (226 to 235 px), and the tracks of one demo did not line up."""
    page.goto(serve(real_site) + "demos/")
    page.wait_for_selector(".lx-demo form.lx-demo__form input[type=range]")
    moved = page.evaluate("""() => [...document.querySelectorAll('.lx-demo input[type=range]')].map(s => {
      const out = s.parentNode.querySelector('output'), widths = [];
      const step = Number(s.step), decimals = (s.step.split('.')[1] || '').length;
      const values = [Number(s.min), Number(s.max), Number(s.min) + step, Number(s.max) - step];
      for (const v of values) {
        out.textContent = String(Number(v.toFixed(decimals)));
        widths.push(s.getBoundingClientRect().width);
      }
      out.textContent = s.value;
      return [s.name, widths];
    }).filter(([, widths]) => Math.max(...widths) - Math.min(...widths) > 0.5)""")  # (sub-pixel: fonts)
    assert page.locator(".lx-demo input[type=range]").count() > 20 and moved == []


def python_requests(page) -> list[str]:
    """Every request the page (its worker too) makes from now on for Python: the runtime's
    settings and files, NumPy and the demos."""
    seen: list[str] = []
    page.context.on("request", lambda r: seen.append(r.url) if "/assets/pyodide/" in r.url
                    or r.url.endswith("/runtime.json") else None)
    return seen


def test_a_failed_python_load_stays_failed_until_the_reader_retries(page, real_site: Path) -> None:
    """Each change of a control after a failed load started the whole load again, for seconds,
    to fail again: it now fails at once, and a Retry button loads Python when asked."""
    def missing(route: Any) -> None:
        route.fulfill(status=404, body="not here")

    asked = python_requests(page)
    page.context.route("**/assets/lexigraph/runtime.json", missing)
    page.goto(serve(real_site) + "terms/vanishing-gradient/")
    demo = "#lx-demo-0"
    page.wait_for_function("window.LexigraphRuntime.stage() === 'failed'", timeout=BOOT_MS)
    status = page.locator(demo + " .lx-demo__status")
    said = status.text_content()
    assert said.startswith("Live re-runs are unavailable: This site has no Python runtime")
    assert said.endswith("The chart shows the result computed when the site was built.")
    assert len(path_points(page, demo)) == 1
    assert [u.rsplit("/", 1)[1] for u in asked] == ["runtime.json"]
    retry = page.locator(demo + " .lx-demo__retry")
    assert retry.is_visible() and retry.text_content() == "Retry loading Python"
    page.context.unroute("**/assets/lexigraph/runtime.json", missing)  # (the file is back)
    page.locator(demo).evaluate("""el => { window.shown = [];
      new MutationObserver(() => shown.push(el.querySelector('.lx-demo__status').textContent))
        .observe(el, {subtree: true, childList: true, characterData: true}); }""")
    page.select_option(demo + " select[name=activation]", "gelu")
    page.locator(demo + " input[name=depth]").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(500)
    assert [u.rsplit("/", 1)[1] for u in asked] == ["runtime.json"]  # nothing asked again
    assert page.evaluate("window.LexigraphRuntime.stage()") == "failed"
    assert not [s for s in page.evaluate("window.shown") if "Loading" in s]
    assert status.text_content() == said and retry.is_visible()
    assert page.locator(demo).get_attribute("data-lx-state") == "static"
    # Asked for, Python loads, and the demo runs with the controls as they are now.
    retry.click()
    assert retry.is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('lx-demo__status')")
    data, params = live_result(page, demo, {"activation": "gelu", "depth": 31})
    assert_same(data, cpython("gradient-decay", params))
    assert status.text_content() == "Ran in your browser."


def test_select_and_checkbox_rerun_too(page, real_site: Path) -> None:
    page.goto(serve(real_site) + "terms/vanishing-gradient/")
    demo = "#lx-demo-0"
    page.select_option(demo + " select[name=activation]", "relu")
    page.select_option(demo + " select[name=init]", "he")
    page.check(demo + " input[name=residual]")
    data, params = live_result(page, demo, {"activation": "relu", "init": "he", "residual": True})
    assert_same(data, cpython("gradient-decay", params))


@pytest.mark.parametrize("demo_id", ["gradient-decay", "batch-norm-stats"])
def test_a_control_that_does_not_apply_is_disabled_and_says_when_it_does(
        page, real_site: Path, demo_id: str) -> None:
    """σ is used by the normal initialization alone (its applies_when): with another one, it
    was a live slider that re-ran the demo for nothing."""
    page.goto(serve(real_site) + "demos/")
    demo = "#" + page.eval_on_selector(f".lx-demo[data-lx-demo={demo_id}]", "el => el.id")
    std = page.locator(demo + " input[name=std]")
    std.wait_for()

    def description() -> str:
        return std.evaluate("el => el.getAttribute('aria-describedby').split(' ')"
                            ".map(id => document.getElementById(id).textContent).join(' ')")

    assert page.locator(demo + " select[name=init]").input_value() == "xavier"
    assert std.is_disabled()
    note = "Used only when Weight initialization is “normal”."
    assert description().endswith(" " + note)  # what a screen reader says with the slider
    assert page.locator(demo + " .lx-demo__when").text_content() == note
    assert page.locator(demo + " .lx-demo__when").is_visible()
    wait_ready(page)
    page.select_option(demo + " select[name=init]", "normal")
    assert std.is_enabled() and note not in description()
    assert page.locator(demo + " .lx-demo__when").is_hidden()
    std.focus()
    page.keyboard.press("ArrowRight")
    data, params = live_result(page, demo, {"init": "normal", "std": 0.55})
    assert_same(data, cpython(demo_id, params))
    page.select_option(demo + " select[name=init]", "he")
    assert std.is_disabled() and description().endswith(" " + note)


def edit(page, demo: str, change) -> None:
    if page.locator(demo + " textarea").count() == 0:
        page.click(f"{demo} button:has-text('Edit & run')")
    area = page.locator(demo + " textarea")
    area.wait_for()
    page.wait_for_function("el => el.value.includes('def run')", arg=area.element_handle())
    area.fill(change(area.input_value()))
    page.click(f"{demo} button:has-text('Run edited code')")


def test_show_code_is_the_module_source(page, real_site: Path) -> None:
    page.goto(serve(real_site) + "demos/")
    page.click("#lx-demo-1 button:has-text('Show code')")
    code = page.locator("#lx-demo-1 .lx-demo__source")
    code.wait_for()
    assert code.text_content() == DEMOS["gradient-decay"].read_text(encoding="utf-8")
    assert page.locator("#lx-demo-1 button:has-text('Show code')").get_attribute("aria-expanded") == "true"
    # The helper modules it imports are one click away (not `from __future__ import ...`).
    assert page.locator("#lx-demo-1 .lx-demo__filetab").all_text_contents() == [
        "demos/gradient_decay.py", "demos/_nn.py", "demos/_params.py"]
    page.click("#lx-demo-1 .lx-demo__filetab:has-text('demos/_params.py')")
    helper = (ROOT / "demos" / "_params.py").read_text(encoding="utf-8")
    page.wait_for_function("([sel, text]) => document.querySelector(sel).textContent === text",
                           arg=["#lx-demo-1 .lx-demo__source", helper])


def test_edited_code_error_shows_traceback_and_the_next_run_works(page, real_site: Path) -> None:
    page.goto(serve(real_site) + "demos/")
    demo = "#lx-demo-1"
    anchor = "    p = validate(PARAMS, params)\n"
    edit(page, demo, lambda src: src.replace(
        anchor, "    raise RuntimeError('broken on purpose')\n" + anchor, 1))
    page.wait_for_selector(demo + "[data-lx-state=error]", timeout=BOOT_MS)
    box = page.locator(demo + " .lx-demo__error")
    assert box.get_attribute("role") == "alert" and box.is_visible()
    assert "RuntimeError: broken on purpose" in box.locator(".lx-demo__errmsg").text_content()
    trace = box.locator(".lx-demo__traceback").text_content()
    assert trace.startswith("Traceback (most recent call last):")
    assert 'File "<edited gradient_decay.py>", line' in trace and "raise RuntimeError('broken on purpose')" in trace
    assert "_lx_run" not in trace  # the worker's own frame is not shown
    # The chart kept the last good (build-time) result.
    assert len(path_points(page, demo)) == 1

    # A working edit runs, and its output shows.
    edit(page, demo, lambda src: src.replace("    raise RuntimeError('broken on purpose')\n", "")
         .replace('"title": "Gradient norm per layer"', '"title": "Edited in the page"'))
    page.wait_for_selector(demo + "[data-lx-state=live]", timeout=BOOT_MS)
    assert not box.is_visible()
    assert page.locator(demo + " figcaption").text_content() == "Edited in the page"

    page.click(f"{demo} button:has-text('Reset code')")
    page.wait_for_function("sel => document.querySelector(sel + ' figcaption').textContent === "
                           "'Gradient norm per layer'", arg=demo, timeout=BOOT_MS)
    data, params = live_result(page, demo, {})
    assert_same(data, cpython("gradient-decay", params))


# What edited code makes of the demo's result (``out``) before returning it; CPython's result,
# changed alike, gets the build's own words about it.
MALFORMED = ['out = "oops"', 'out["chart0"] = out.pop("chart")', 'del out["chart"]["x"]',
             'out["chart"]["series"][0]["y"] = None',
             'out["chart"]["series"][1]["y"] = ["b"] + out["chart"]["series"][1]["y"][1:]',
             # What JSON cannot hold, named where it is (JSON's own words named neither).
             'out["metrics"]["spread"] = float("nan")',
             'out["chart"]["series"][1]["y"][5] = float("-inf")',
             'out["chart"]["series"][1]["y"] = __import__("numpy").array(out["chart"]["series"][1]["y"])',
             'out["chart"]["series"][0]["y"].pop()', 'del out["chart"]["series"][0]["x"]',
             'out["chart"]["series"][1] = 3']


def test_a_malformed_result_of_edited_code_is_named_and_the_demo_goes_on(page,
                                                                          real_site: Path) -> None:
    """A result the chart could not be drawn from threw in the page, and the demo stayed
    "Running… (3 of 3)" for good: Stop, Reset code and the controls did nothing."""
    page.goto(serve(real_site) + "demos/")
    demo = ".lx-demo[data-lx-demo=activation-functions]"
    wait_ready(page)
    shown = page.locator(demo + " figcaption").text_content()
    lines_drawn = path_points(page, demo)
    box = page.locator(demo + " .lx-demo__error")
    for change in MALFORMED:
        edit(page, demo, lambda src, change=change: src + "\n\n_run = run\n\n\ndef run(**params):\n"
             "    out = _run(**params)\n    " + change + "\n    return out\n")
        page.wait_for_selector(demo + "[data-lx-state=error]", timeout=BOOT_MS)
        changed = {"out": copy.deepcopy(cpython("activation-functions", {}))}
        exec(change, changed)
        bad = changed["out"]
        assert box.locator(".lx-demo__errmsg").text_content() == (
            "run() returned a result that breaks the contract: "
            + "; ".join(demo_run.check_result(bad))), change
        assert "must return a dict with \"chart\"" in box.text_content()
        # The last good chart stays, and the run is over: nothing says it is still going.
        assert page.locator(demo + " figcaption").text_content() == shown
        assert path_points(page, demo) == lines_drawn
        assert page.locator(demo + " .lx-demo__status").text_content() == "The run failed."
        assert page.locator(demo + " progress").is_hidden()
        assert page.locator(demo + " .lx-demo__stop").is_hidden()
        page.click(f"{demo} button:has-text('Reset code')")
        page.wait_for_selector(demo + "[data-lx-state=live]", timeout=BOOT_MS)
        assert box.is_hidden()
    # And the controls still run it.
    page.locator(demo + " input[name=x_max]").focus()
    page.keyboard.press("ArrowLeft")
    data, params = live_result(page, demo, {"x_max": 5.5})
    assert_same(data, cpython("activation-functions", params))


def test_settings_the_demo_refuses_get_a_plain_message(page, real_site: Path) -> None:
    """Unticking every curve of the activation demo: the demo's own ValueError is shown as a
    message for a reader, without a traceback, and ticking one again runs."""
    page.goto(serve(real_site) + "terms/sigmoid/")
    demo = ".lx-demo[data-lx-demo=activation-functions]"
    page.locator(demo + " input[type=checkbox]").first.wait_for()
    ticked = [box for box in page.locator(demo + " input[type=checkbox]").all() if box.is_checked()]
    assert ticked
    for box in ticked:
        box.uncheck()
    page.wait_for_selector(demo + "[data-lx-state=error]", timeout=BOOT_MS)
    box = page.locator(demo + " .lx-demo__error")
    assert box.locator(".lx-demo__errmsg").text_content() == (
        "These settings cannot run: expected at least one of ['sigmoid', 'tanh', 'relu', "
        "'leaky_relu', 'elu', 'gelu'] to be ticked but received none")
    assert box.locator(".lx-demo__traceback").count() == 0
    assert "Traceback" not in box.text_content()
    ticked[0].check()
    page.wait_for_selector(demo + "[data-lx-state=live]", timeout=BOOT_MS)
    assert not box.is_visible()


def test_page_stays_responsive_during_a_run_and_stop_restarts_python(page, real_site: Path) -> None:
    page.goto(serve(real_site) + "demos/")
    demo = "#lx-demo-1"
    wait_ready(page)
    edit(page, demo, lambda src: src.replace(
        "    p = validate(PARAMS, params)\n", "    while True:\n        pass\n", 1))
    stop = page.locator(demo + " .lx-demo__stop")
    stop.wait_for(state="visible")  # shown once a run has gone on for a while
    assert page.locator(demo).get_attribute("data-lx-state") == "running"
    # The main thread still answers: a slider moves and its value updates mid-run.
    seed = page.locator(demo + " input[name=seed]")
    seed.focus()
    page.keyboard.press("ArrowRight")
    assert page.locator(demo + " output[for$=seed]").text_content() == "1"
    page.click(demo + " button:has-text('Show code')")
    assert page.locator(demo + " .lx-demo__code").is_visible()
    assert page.locator(demo).get_attribute("data-lx-state") == "running"

    with page.expect_worker() as restarted:
        stop.focus()
        page.keyboard.press("Enter")  # from the keyboard: where does the focus go?
    assert urlsplit(restarted.value.url).path.endswith("assets/lexigraph/demo-worker.js")
    page.wait_for_selector(demo + "[data-lx-state=stopped]")
    assert page.locator(demo + " .lx-demo__status").text_content().startswith("Stopped after")
    # Once Python is back: "or run again" named a button there is none of, and the chart
    # stayed without the seed of 1 its control shows.
    page.wait_for_function("s => document.querySelector(s).textContent.endsWith('run again.')",
                           arg=demo + " .lx-demo__status")
    assert re.fullmatch(r"Stopped after \d+\.\d s\. The chart shows the last run that finished"
                        r"; Python was restarted: change a control to run again\.",
                        page.locator(demo + " .lx-demo__status").text_content())
    # Stop hid itself; the focus it held went on to the status that says why, not to <body>.
    page.wait_for_function("s => document.querySelector(s + ' .lx-demo__stop').hidden", arg=demo)
    assert page.evaluate("document.activeElement.classList.contains('lx-demo__status')")
    # A new worker boots; the original code runs again with the current controls.
    page.click(f"{demo} button:has-text('Edit & run')")
    page.click(f"{demo} button:has-text('Reset code')")
    data, params = live_result(page, demo, {"seed": 1})
    assert_same(data, cpython("gradient-decay", params))


def test_a_run_waiting_behind_another_says_so_and_stop_lets_it_run(page, real_site: Path) -> None:
    """Python runs one demo at a time: a demo behind another's endless run showed "Running…"
    with no Stop, and Stop there marked it "Stopped" too and dropped its change."""
    page.goto(serve(real_site) + "demos/")
    wait_ready(page)
    endless, other = "#lx-demo-1", "#lx-demo-2"
    edit(page, endless, lambda src: src.replace(
        "    p = validate(PARAMS, params)\n", "    while True:\n        pass\n", 1))
    page.wait_for_function("window.LexigraphRuntime.busy()")
    slider = page.locator(other + " input[type=range]:enabled").first
    slider.focus()
    page.keyboard.press("ArrowRight" if slider.get_attribute("max") != slider.input_value()
                        else "ArrowLeft")
    wanted = {slider.get_attribute("name"): json.loads(slider.input_value())}
    status = page.locator(other + " .lx-demo__status")
    assert status.text_content() == "Waiting for another demo's run to finish…"
    stop = page.locator(other + " .lx-demo__stop")
    stop.wait_for(state="visible")
    stop.click()
    # The endless run is the one stopped; the waiting demo runs its change on the new Python.
    page.wait_for_selector(endless + "[data-lx-state=stopped]")
    data, params = live_result(page, other, wanted)
    assert_same(data, cpython(page.locator(other).get_attribute("data-lx-demo"), params))
    assert status.text_content() == "Ran in your browser."


def test_a_runtime_that_cannot_be_downloaded_is_said_at_once_and_once(page, watch,
                                                                      real_site: Path) -> None:
    """Pyodide's loader never settles without its WebAssembly: the page said so after 120 s,
    blaming the server's MIME type, and showed each load error twice."""
    watch.allowed_console.append("status of 404")
    page.context.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body=""))
    page.goto(serve(real_site) + "terms/vanishing-gradient/")
    demo = "#lx-demo-0"
    page.wait_for_function("window.LexigraphRuntime.stage() === 'failed'", timeout=20_000)
    status = page.locator(demo + " .lx-demo__status")
    assert status.text_content().startswith(
        "Live re-runs are unavailable: The Python runtime could not be downloaded (")
    assert "pyodide.asm.wasm: HTTP 404)." in status.text_content()
    asked = python_requests(page)
    page.select_option(demo + " select[name=activation]", "tanh")  # does not ask again
    page.wait_for_timeout(500)
    assert asked == [] and page.evaluate("window.LexigraphRuntime.stage()") == "failed"
    assert page.locator(demo).get_attribute("data-lx-state") == "static"
    assert page.locator(demo + " .lx-demo__error").is_hidden()  # said in the status alone
    assert "could not be downloaded" in status.text_content()


def test_a_changed_numpy_wheel_is_said_to_be_not_the_one_built_with(page, watch,
                                                                    real_site: Path) -> None:
    """A wheel whose content is not the lock's was reported in the browser's words alone,
    "Failed to fetch", as if the network had failed: the file is checked against the lock's
    sha256, and its owner told what to do."""
    base = serve(real_site)
    lock = json.loads((real_site / ASSET_DIR / "pyodide-lock.json").read_text())
    wheel = f"{base}{ASSET_DIR}/" + lock["packages"]["numpy"]["file_name"]
    page.context.route(wheel, lambda route: route.fulfill(status=200, body=b"not a wheel",
                                                          content_type="application/zip"))
    watch.allowed_console += ["integrity", "Failed to fetch", "numpy"]
    page.goto(base + "terms/vanishing-gradient/")
    page.wait_for_function("window.LexigraphRuntime.stage() === 'failed'", timeout=BOOT_MS)
    assert page.locator("#lx-demo-0 .lx-demo__status").text_content() == (
        f"Live re-runs are unavailable: NumPy and the demos could not be downloaded ({wheel}: "
        "the file is not the one the site was built with (its sha256 is not the lock's): it "
        "was changed or damaged after the build; build the site and publish it again). The "
        "chart shows the result computed when the site was built.")


def test_a_missing_numpy_wheel_is_named_with_the_servers_answer(page, watch,
                                                                real_site: Path) -> None:
    """Pyodide's words were cut to "NumPy and the demos could not be downloaded (The following
    error occurred while loading numpy)", naming neither the file nor the server's answer; and
    each change of a control after it downloaded the whole runtime again (some 12 s)."""
    watch.allowed_console.append("status of 404")
    base = serve(real_site)
    lock = json.loads((real_site / ASSET_DIR / "pyodide-lock.json").read_text())
    wheel = f"{base}{ASSET_DIR}/" + lock["packages"]["numpy"]["file_name"]
    page.context.route(wheel, lambda route: route.fulfill(status=404, body=""))
    page.goto(base + "terms/vanishing-gradient/")
    demo = "#lx-demo-0"
    page.wait_for_function("window.LexigraphRuntime.stage() === 'failed'", timeout=BOOT_MS)
    status = page.locator(demo + " .lx-demo__status")
    assert status.text_content() == (
        f"Live re-runs are unavailable: NumPy and the demos could not be downloaded ({wheel}: "
        "HTTP 404). The chart shows the result computed when the site was built.")
    asked = python_requests(page)
    page.select_option(demo + " select[name=activation]", "tanh")
    page.select_option(demo + " select[name=activation]", "relu")  # a second change
    page.wait_for_timeout(500)
    assert asked == [] and page.evaluate("window.LexigraphRuntime.stage()") == "failed"
    assert status.text_content().startswith("Live re-runs are unavailable: NumPy and the demos")
    assert page.locator(demo + " .lx-demo__retry").is_visible()


def test_closing_the_editor_goes_back_to_the_demos_own_code(page, real_site: Path) -> None:
    page.goto(serve(real_site) + "demos/")
    wait_ready(page)
    demo = "#lx-demo-1"
    edit(page, demo, lambda src: src.replace("    p = validate(PARAMS, params)\n",
                                             "    print('edited')\n    p = validate(PARAMS, params)\n", 1))
    page.wait_for_function("s => document.querySelector(s + ' .lx-demo__stdout').textContent === 'edited'",
                           arg=demo, timeout=BOOT_MS)
    page.click(f"{demo} button:has-text('Edit & run')")  # closed
    page.wait_for_function("s => document.querySelector(s + ' .lx-demo__status').textContent === "
                           "'Ran in your browser.'", arg=demo)
    assert page.locator(demo + " .lx-demo__stdout").is_hidden()
    data, params = live_result(page, demo, {})
    assert_same(data, cpython("gradient-decay", params))
    page.click(f"{demo} button:has-text('Edit & run')")  # the edits are still there
    assert "print('edited')" in page.locator(demo + " textarea").input_value()


def test_closing_the_editor_during_an_edited_run_draws_the_demos_own_code_next(
        page, real_site: Path) -> None:
    """Closed mid-run, the edited run's result was labelled as the demo's own, and the
    demo's own code never ran."""
    page.goto(serve(real_site) + "demos/")
    wait_ready(page)
    demo = "#lx-demo-1"
    slow = ("    import time\n    t = time.monotonic()\n    while time.monotonic() - t < 1.5:\n"
            "        pass\n    print('edited')\n    p = validate(PARAMS, params)\n")
    edit(page, demo, lambda src: src.replace("    p = validate(PARAMS, params)\n", slow, 1))
    page.wait_for_selector(demo + "[data-lx-state=running]")
    page.click(f"{demo} button:has-text('Edit & run')")  # closed while the edit runs
    page.wait_for_function("s => document.querySelector(s).dataset.lxState === 'live' && "
                           "document.querySelector(s + ' .lx-demo__status').textContent === "
                           "'Ran in your browser.'", arg=demo, timeout=BOOT_MS)
    assert page.locator(demo + " .lx-demo__stdout").is_hidden()  # not the edited run's
    data, params = live_result(page, demo, {})
    assert_same(data, cpython("gradient-decay", params))


def test_closing_the_editor_after_a_failed_edit_clears_its_error(page, real_site: Path) -> None:
    page.goto(serve(real_site) + "demos/")
    wait_ready(page)
    demo = "#lx-demo-1"
    edit(page, demo, lambda src: src.replace(
        "    p = validate(PARAMS, params)\n", "    print('x')\n    raise RuntimeError('boom')\n", 1))
    page.wait_for_selector(demo + "[data-lx-state=error]", timeout=BOOT_MS)
    assert page.locator(demo + " .lx-demo__error").is_visible()
    page.click(f"{demo} button:has-text('Edit & run')")  # closed: back to the demo's code
    page.wait_for_selector(demo + "[data-lx-state=live]")
    assert page.locator(demo + " .lx-demo__error").is_hidden()
    assert page.locator(demo + " .lx-demo__stdout").is_hidden()
    assert page.locator(demo + " .lx-demo__status").text_content() == "Ran in your browser."


def test_only_the_demo_in_use_speaks(page, real_site: Path) -> None:
    """While Python loads in the background, every demo of the page announced each stage (28
    announcements on the Demos page, with no action of the reader's)."""
    page.goto(serve(real_site) + "demos/")
    wait_ready(page)
    assert page.locator(".lx-demo [role=status]").count() == 0
    slider = page.locator("#lx-demo-1 input[type=range]:enabled").first
    slider.focus()
    page.keyboard.press("ArrowRight" if slider.get_attribute("max") != slider.input_value()
                        else "ArrowLeft")
    assert page.locator(".lx-demo [role=status]").count() == 1
    assert page.locator("#lx-demo-1 .lx-demo__status").get_attribute("role") == "status"


@pytest.fixture(scope="module")
def instant_site(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The real site built for the address it is served at: Material navigates instantly only
    to URLs of its sitemap, and matches their port too."""
    site = tmp_path_factory.mktemp("instant") / "site"
    site.mkdir()
    base = serve(site)
    build_site(ROOT, site, site_url=base)
    return base


def test_worker_survives_instant_navigation(page, instant_site: str) -> None:
    instant_navigation(page)
    page.goto(instant_site + "demos/")
    instant_ready(page)
    wait_ready(page)
    page.evaluate("window.__samePage = true")
    workers = [w for w in page.workers if urlsplit(w.url).path.endswith("demo-worker.js")]
    assert len(workers) == 1
    page.click("article a[href$='terms/vanishing-gradient/']")
    page.wait_for_url("**/terms/vanishing-gradient/")
    page.wait_for_selector("#lx-demo-0 form.lx-demo__form")
    assert page.evaluate("window.__samePage") is True  # instant navigation, no reload
    assert [w for w in page.workers if urlsplit(w.url).path.endswith("demo-worker.js")] == workers
    assert page.evaluate("window.LexigraphRuntime.stage()") == "ready"
    page.locator("#lx-demo-0 input[name=depth]").focus()
    page.keyboard.press("ArrowLeft")
    data, params = live_result(page, "#lx-demo-0", {"depth": 29})
    assert_same(data, cpython("gradient-decay", params))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_demo_states_have_no_serious_accessibility_violations(browser, real_site: Path,
                                                               scheme: str) -> None:
    axe = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    assert axe.is_file(), "axe-core is missing: `make setup` runs `npm ci`"
    context = browser.new_context(color_scheme=scheme)
    context.route("**/*", lambda r: r.continue_() if "//127.0.0.1:" in r.request.url else r.abort())
    page = context.new_page()
    page.goto(serve(real_site) + "demos/")
    demo = "#lx-demo-1"
    # Controls, an error with its traceback, printed output and the editor, all at once.
    edit(page, demo, lambda src: src.replace(
        "    p = validate(PARAMS, params)\n", "    print('hello')\n    1 / 0\n", 1))
    page.wait_for_selector(demo + "[data-lx-state=error]", timeout=BOOT_MS)
    # The source viewer with its file tabs, in another demo.
    page.click("#lx-demo-2 button:has-text('Show code')")
    page.wait_for_selector("#lx-demo-2 .lx-demo__filetab[aria-pressed=true]")
    scheme_name = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert scheme_name == {"light": "default", "dark": "slate"}[scheme]
    page.add_script_tag(path=str(axe))
    result = page.evaluate("axe.run('.lx-demo', {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})")
    context.close()
    found = [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]
             if v["impact"] in ("serious", "critical")]
    assert found == []
    # A label on a <pre> (no role) is dropped: the code viewer and the printed output had none
    # for a screen reader (axe leaves it to review).
    assert not [v for v in result["incomplete"] if v["id"] == "aria-prohibited-attr"]
