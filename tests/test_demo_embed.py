"""Demo placement: ```demo fences, the term ``demo:`` field, build errors, first-paint data."""

from __future__ import annotations

import json
import logging
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from lexigraph import demo_embed, demo_run, demos
from lexigraph.errors import format_report

from .conftest import ROOT, build_site, copy_fixture

# A small demo with one kind of every control and a helper imported as a top-level module, as
# the real demos do (``from _params import validate``).
WAVE = '''\
"""A damped wave, for the tests."""
from __future__ import annotations

import math

from _wave_check import check

TITLE = "Damped wave"
TERMS = ["alpha-unit"]
PARAMS = [
    {"name": "n", "label": "Points", "kind": "slider", "min": 2, "max": 50, "step": 2,
     "default": 10, "help": "How many points."},
    {"name": "decay", "label": "Decay", "kind": "slider", "min": 0.0, "max": 1.0, "step": 0.1,
     "default": 0.5, "help": "How fast it fades."},
    {"name": "shape", "label": "Shape", "kind": "select", "choices": ["sin", "cos"],
     "default": "sin", "help": ""},
    {"name": "twice", "label": "Two curves", "kind": "checkbox", "default": False, "help": ""},
]
CALLS = []


def run(**params):
    p = check(PARAMS, params)
    CALLS.append(p)
    f = math.sin if p["shape"] == "sin" else math.cos
    xs = list(range(p["n"]))
    ys = [f(x) * math.exp(-p["decay"] * x) for x in xs]
    series = [{"name": p["shape"], "x": xs, "y": ys}]
    if p["twice"]:
        series.append({"name": "half", "x": xs, "y": [y / 2 for y in ys]})
    return {"chart": {"title": "Wave </script> & co", "x": {"label": "step", "scale": "linear"},
                      "y": {"label": "value", "scale": "linear"}, "series": series},
            "summary": f"A {p['shape']} wave over {p['n']} points </script>.",
            "metrics": {"first": ys[0], "decay": p["decay"]}}
'''

CHECK = '''\
def check(spec, params):
    by_name = {p["name"]: p for p in spec}
    out = {p["name"]: p["default"] for p in spec}
    for name, value in params.items():
        p = by_name[name]
        if p["kind"] == "select" and value not in p["choices"]:
            raise ValueError(f"{name}: unknown choice {value!r}")
        if p["kind"] == "slider" and not p["min"] <= value <= p["max"]:
            raise ValueError(f"{name}: expected a value in [{p['min']}, {p['max']}] "
                             f"but received: {value!r}")
        if p["kind"] == "slider" and isinstance(p["step"], int) and (value - p["min"]) % p["step"]:
            raise ValueError(f"{name}: expected steps of {p['step']} but received: {value!r}")
        out[name] = value
    return out
'''


@pytest.fixture
def demo_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "demos"
    folder.mkdir()
    (folder / "ripple.py").write_text(WAVE, encoding="utf-8")
    (folder / "_wave_check.py").write_text(CHECK, encoding="utf-8")
    return folder


def embedder(folder: Path) -> demo_embed.Embedder:
    return demo_embed.Embedder(demos.discover(folder))


class DemoBlocks(HTMLParser):
    """The data-* attributes and embedded JSON of every demo block in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[dict[str, object]] = []
        self._in_data = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and "lx-demo" in (a.get("class") or "").split():
            self.blocks.append({"attrs": a, "data": ""})
        self._in_data = tag == "template" and a.get("class") == "lx-demo__data"

    def handle_data(self, data: str) -> None:
        if self._in_data:
            self.blocks[-1]["data"] += data  # type: ignore[operator]

    def handle_endtag(self, tag: str) -> None:
        self._in_data = False


def blocks(html: str) -> list[dict[str, object]]:
    parser = DemoBlocks()
    parser.feed(html)
    for b in parser.blocks:
        b["data"] = json.loads(b["data"])  # type: ignore[arg-type]
    return parser.blocks


# ---------- finding fences ----------

@pytest.mark.parametrize(("text", "found", "unclosed"), [
    ("```demo ripple n=4\n```", [(1, "ripple n=4")], []),
    ("```demo ripple n=4```", [(1, "ripple n=4")], []),
    ("~~~ demo ripple\nn=4\n# a comment\nshape=cos\n~~~", [(1, "ripple n=4 shape=cos")], []),
    ("````md\n```demo ripple\n```\n````", [], []),                      # an example, not a demo
    ("~~~\n```demo ripple```\n~~~\n\n```demo ripple```", [(5, "ripple")], []),
    ("    ```demo ripple```", [], []),                                  # indented code
    ("```demonstration\n```", [], []),
    ("text ```demo ripple``` inline", [], []),
    ("```demo ripple\nn=4", [], [1]),
    ("```python\nx = 1\n", [], []),                                   # runs to the end
])
def test_find_fences(text: str, found: list[tuple[int, str]], unclosed: list[int]) -> None:
    fences, open_lines = demo_embed.find_fences(text)
    assert [(f.line, f.words) for f in fences] == found
    assert open_lines == unclosed


# ---------- typing parameters ----------

def test_parse_params_types_values_by_kind(demo_dir: Path) -> None:
    spec, _ = demo_run.load("ripple", demo_dir / "ripple.py")
    params, problems = demo_embed.parse_params(spec.params,
                                               ["n=20", "decay=1", "shape=cos", "twice=yes"])
    assert problems == []
    assert params == {"n": 20, "decay": 1.0, "shape": "cos", "twice": True}
    assert type(params["decay"]) is float


@pytest.mark.parametrize(("words", "message"), [
    (["n=4.5"], "n: expected an integer from 2 to 50 in steps of 2 but received: '4.5'"),
    (["decay=fast"], "decay: expected a number from 0.0 to 1.0 in steps of 0.1 but received: "
                     "'fast'"),
    (["twice=maybe"], "twice: expected true or false but received: 'maybe'"),
    (["n"], "expected name=value but received: 'n'"),
    (["n=2", "n=4"], "parameter 'n' is given twice"),
    (["shpe=sin"], "no parameter 'shpe' (did you mean 'shape'?)"),
    # A browser's range input moves a value between steps to a step: the slider and the
    # chart drawn for the value as written would disagree (the demo contract says the same
    # of a slider's default).
    (["decay=0.35"], "decay: 0.35 is not one of the slider's steps (0.0, 0.1, ...): the slider "
                     "would show another value than the chart; use 0.3 or 0.4"),
    (["n=5"], "n: 5 is not one of the slider's steps (2, 4, ...): the slider would show "
              "another value than the chart; use 4 or 6"),
    # Checked here, not left to the demo (which may not check them itself).
    (["n=60"], "n: 60 is outside the slider's range, 2 to 50: the slider would show another "
               "value than the chart"),
    (["shape=square"], "shape: 'square' is not one of its choices, \"sin\", \"cos\""),
])
def test_parse_params_errors(demo_dir: Path, words: list[str], message: str) -> None:
    spec, _ = demo_run.load("ripple", demo_dir / "ripple.py")
    assert demo_embed.parse_params(spec.params, words)[1] == [message]


# ---------- replacing fences ----------

def test_fence_becomes_demo_html_with_the_cpython_result(demo_dir: Path, tmp_path: Path) -> None:
    e = embedder(demo_dir)
    md = "# Page\n\nIntro.\n\n```demo ripple n=20 shape=cos\n```\n\nAfter.\n"
    out = e.replace_fences(md, tmp_path / "page.md")
    assert e.problems == []
    assert out.startswith("# Page\n\nIntro.\n\n") and out.endswith("\n\nAfter.\n")
    [block] = blocks(out)
    attrs = block["attrs"]
    assert attrs["data-lx-demo"] == "ripple" and attrs["id"] == "lx-demo-1"
    assert json.loads(attrs["data-lx-params"]) == {"n": 20, "shape": "cos"}
    expected = demo_run.run("ripple", demo_dir / "ripple.py", {"n": 20, "shape": "cos"})
    assert block["data"] == {"chart": expected["chart"], "metrics": expected["metrics"]}
    assert "A cos wave over 20 points &lt;/script&gt;." in out
    # One line of raw HTML, and the author's "</script>" appears nowhere in it.
    [html] = [line for line in out.split("\n") if "lx-demo" in line]
    assert html.startswith('<section class="lx-demo"') and "</script>" not in html
    assert html.count("</template>") == 1


def test_shared_x_values_are_embedded_once(demo_dir: Path, tmp_path: Path) -> None:
    out = embedder(demo_dir).replace_fences("```demo ripple twice=true```", tmp_path / "p.md")
    chart = blocks(out)[0]["data"]["chart"]  # type: ignore[index]
    assert chart["x_all"] == list(range(10))
    assert all("x" not in s for s in chart["series"])


def test_first_paint_results_are_cached_by_source_and_params(demo_dir: Path) -> None:
    path = demo_dir / "ripple.py"
    first = demo_run.run("ripple", path, {"n": 12})
    _, module = demo_run.load("ripple", path)
    calls = len(module.CALLS)
    assert demo_run.run("ripple", path, {"n": 12}) is first
    assert len(module.CALLS) == calls
    path.write_text(WAVE.replace("Damped wave", "Damped wave, edited"), encoding="utf-8")
    assert demo_run.load("ripple", path)[0].title == "Damped wave, edited"
    assert demo_run.run("ripple", path, {"n": 12}) is not first


def test_two_demos_on_one_page_get_their_own_ids(demo_dir: Path, tmp_path: Path) -> None:
    out = embedder(demo_dir).replace_fences("```demo ripple```\n\n```demo ripple n=4```\n", tmp_path / "p.md")
    assert [b["attrs"]["id"] for b in blocks(out)] == ["lx-demo-1", "lx-demo-2"]  # type: ignore[index]


# ---------- errors: where, what, how to fix; never a traceback ----------

def report(e: demo_embed.Embedder, root: Path) -> str:
    return format_report(e.problems, root)


def test_unknown_demo_names_the_line_and_the_demos(demo_dir: Path, tmp_path: Path) -> None:
    e = embedder(demo_dir)
    e.replace_fences("# T\n\n```demo rippel n=4\n```\n", tmp_path / "page.md")
    assert report(e, tmp_path) == (
        "page.md:3: error: unknown demo 'rippel'\n"
        "    fix: did you mean 'ripple'?; available demos: ripple\n"
        "1 problem in 1 file.")


def test_out_of_range_parameter_names_the_range(demo_dir: Path, tmp_path: Path) -> None:
    e = embedder(demo_dir)
    e.replace_fences("Text\n\n```demo ripple n=60 decay=0.5```\n", tmp_path / "page.md")
    assert report(e, tmp_path) == (
        "page.md:3: error: demo 'ripple': n: 60 is outside the slider's range, 2 to 50: the "
        "slider would show another value than the chart\n"
        "    fix: set n to an integer from 2 to 50 in steps of 2\n"
        "1 problem in 1 file.")


def test_an_off_step_decimal_gets_a_fix_that_names_the_step(demo_dir: Path, tmp_path: Path) -> None:
    """0.35 is from 0.0 to 1.0: a fix naming the range alone was followed already."""
    e = embedder(demo_dir)
    e.replace_fences("Text\n\n```demo ripple decay=0.35```\n", tmp_path / "page.md")
    assert report(e, tmp_path) == (
        "page.md:3: error: demo 'ripple': decay: 0.35 is not one of the slider's steps (0.0, 0.1, "
        "...): the slider would show another value than the chart; use 0.3 or 0.4\n"
        "    fix: set decay to a number from 0.0 to 1.0 in steps of 0.1\n"
        "1 problem in 1 file.")


def test_a_parameter_given_twice_is_to_be_given_once(demo_dir: Path, tmp_path: Path) -> None:
    e = embedder(demo_dir)
    e.replace_fences("Text\n\n```demo ripple decay=0.5 n=4 decay=0.25```\n", tmp_path / "page.md")
    assert report(e, tmp_path) == (
        "page.md:3: error: demo 'ripple': parameter 'decay' is given twice\n"
        "    fix: remove one of the two decay=... (a fence sets each parameter once)\n"
        "1 problem in 1 file.")


def test_every_bad_fence_is_reported(demo_dir: Path, tmp_path: Path) -> None:
    e = embedder(demo_dir)
    e.replace_fences("```demo\n```\n\n```demo ripple decay=x```\n\n```demo ripple \"n=4```\n\n```demo ripple\n",
                     tmp_path / "page.md", line_offset=10)
    assert [(p.line, p.message) for p in e.problems] == [
        (18, "this demo fence is never closed"),
        (16, "cannot read the demo fence: No closing quotation"),
        (14, "demo 'ripple': decay: expected a number from 0.0 to 1.0 in steps of 0.1 "
         "but received: 'x'"),
        (11, "this demo fence names no demo"),
    ]


def test_a_broken_demo_points_at_its_own_file(demo_dir: Path, tmp_path: Path) -> None:
    (demo_dir / "ripple.py").write_text(WAVE.replace("xs = list(range(p[\"n\"]))", "xs = 1 / 0"),
                                      encoding="utf-8")
    e = demo_embed.Embedder(demos.discover(demo_dir), root=tmp_path)
    e.replace_fences("\n```demo ripple```", tmp_path / "page.md")
    [problem] = e.problems
    assert problem.path == demo_dir / "ripple.py"
    assert problem.message == "run() failed: ZeroDivisionError: division by zero"
    assert WAVE.splitlines()[problem.line - 1].strip() == 'xs = list(range(p["n"]))'  # type: ignore[operator]
    assert problem.hint == ("make run(n=10, decay=0.5, shape='sin', twice=False) work "
                            "(as the demo placed at page.md:2 calls it)")


def test_a_fences_own_problems_come_with_the_failure_of_its_run(demo_dir: Path,
                                                                tmp_path: Path) -> None:
    """The run with the values that could be read failed, and the values that could not were
    left unsaid until it was fixed."""
    (demo_dir / "ripple.py").write_text(WAVE.replace("xs = list(range(p[\"n\"]))", "xs = 1 / 0"),
                                        encoding="utf-8")
    e = demo_embed.Embedder(demos.discover(demo_dir), root=tmp_path)
    e.replace_fences("\n```demo ripple decay=0.35 shpe=cos```", tmp_path / "page.md")
    assert [p.format(tmp_path) for p in e.problems] == [
        "demos/ripple.py:26: error: run() failed: ZeroDivisionError: division by zero\n"
        "    fix: make run(n=10, decay=0.5, shape='sin', twice=False) work (as the demo placed at "
        "page.md:2 calls it)",
        "page.md:2: error: demo 'ripple': decay: 0.35 is not one of the slider's steps (0.0, 0.1, "
        "...): the slider would show another value than the chart; use 0.3 or 0.4\n"
        "    fix: set decay to a number from 0.0 to 1.0 in steps of 0.1",
        "page.md:2: error: demo 'ripple': no parameter 'shpe' (did you mean 'shape'?)\n"
        "    fix: set shape to one of \"sin\", \"cos\""]


@pytest.mark.parametrize(("old", "new", "message"), [
    ('"metrics": {"first": ys[0]', '"metrics": {"first": float("nan")',
     "'metrics.first' is nan, not a finite number: replace it with a number, or None"),
    # One point of a line among many: JSON's own words named neither which nor where.
    ("ys = [", "ys = [float('inf') if x == 3 else ",
     "'chart.series[0].y[3]' is inf, not a finite number: replace it, or leave the point out "
     "(None: a gap in the line)"),
    ("ys = [", "ys = [float('nan') if x > 6 else ",
     "'chart.series[0].y[7]' is nan, not a finite number: replace it, or leave the point out "
     "(None: a gap in the line) (and 2 more values JSON cannot hold)"),
    ('"metrics": {"first": ys[0]', '"metrics": {"first": __import__("decimal").Decimal(1)',
     "'metrics.first' is a decimal.Decimal, which JSON cannot hold: convert it to numbers, "
     "strings, lists and dicts"),
])
def test_a_value_json_cannot_hold_is_named_where_it_is(demo_dir: Path, tmp_path: Path, old: str,
                                                        new: str, message: str) -> None:
    (demo_dir / "ripple.py").write_text(WAVE.replace(old, new), encoding="utf-8")
    e = demo_embed.Embedder(demos.discover(demo_dir), root=tmp_path)
    e.replace_fences("```demo ripple```", tmp_path / "page.md")
    [problem] = e.problems
    assert problem.message == f"run() returned a result that breaks the contract: {message}"


@pytest.mark.parametrize(("old", "new", "message"), [
    ('"series": series}', '"series": [{"x": [1], "y": [2]}]}', "'chart.series[0].name' must be a string"),
    ('"x": {"label": "step", "scale": "linear"}', '"x": {"scale": "linear"}',
     "'chart.x' must be {'label': ..., 'scale': 'linear' | 'log'}"),
    # Text where numbers go: the chart drew nothing and said nothing.
    ('"series": series}', '"series": [{"name": "a", "x": ["a0", "a1"], "y": [1, 2]}]}',
     "'chart.series[0]' must hold numbers (or None for a gap) in 'x' and 'y' but holds 'a0'; "
     "the chart would draw nothing"),
    # A NumPy array of the same length: it was said to be of unequal length, and not JSON.
    ('"series": series}', '"series": [{"name": "a", "x": xs, "y": __import__("numpy").array(ys)}]}',
     "'chart.series[0].y' is a NumPy ndarray, which JSON cannot hold: convert it with .tolist()"),
    ('"series": series}', '"series": [{"name": "a", "x": xs, "y": ys[1:]}]}',
     "'chart.series[0]' must have lists 'x' and 'y' of equal length but they hold 10 and 9 values"),
    ('"series": series}', '"series": [{"name": "a", "x": xs, "y": None}]}',
     "'chart.series[0].y' must be a list but is None"),
    ('"series": series}', '"series": [{"name": "a", "x": xs}, ys]}',
     "'chart.series[0]' has no list 'y'; 'chart.series[1]' must be a mapping "
     "{'name': ..., 'x': [...], 'y': [...]} but is a list"),
])
def test_the_chart_has_what_the_page_draws(demo_dir: Path, tmp_path: Path, old: str, new: str,
                                           message: str) -> None:
    """demo-chart.js writes each series' name in the legend and each axis' label."""
    (demo_dir / "ripple.py").write_text(WAVE.replace(old, new), encoding="utf-8")
    e = embedder(demo_dir)
    e.replace_fences("```demo ripple```", tmp_path / "page.md")
    assert e.problems[0].message == f"run() returned a result that breaks the contract: {message}"
    # (in a project of one's own, "the dict README.md describes" named its own README)
    assert e.problems[0].hint.startswith(
        "make run(n=10, decay=0.5, shape='sin', twice=False) return {\"chart\": ..., \"summary\": "
        "..., \"metrics\": ...}, the dict described in Lexigraph's README, 'Adding a demo'")


# ---------- in a real build ----------

def mini_with_demo(tmp_path: Path, page: str, term_demo: str | None = None) -> Path:
    project = copy_fixture("mini", tmp_path)
    for name in ("ripple.py", "_wave_check.py"):
        (project / "demos" / name).write_text(WAVE if name == "ripple.py" else CHECK, encoding="utf-8")
    (project / "docs" / "page.md").write_text(page, encoding="utf-8")
    if term_demo:
        entry = project / "glossary" / "alpha-unit.md"
        entry.write_text(entry.read_text(encoding="utf-8").replace(
            "aliases: [AU]\n", f"aliases: [AU]\ndemo: {term_demo}\n"), encoding="utf-8")
    return project


def test_build_places_term_demos_and_fences(tmp_path: Path) -> None:
    body = "## Try it\n\n```demo ripple n=30\n```\n"
    project = mini_with_demo(tmp_path, "# Page\n\n" + body, term_demo="ripple")
    entry = project / "glossary" / "beta-layer.md"
    entry.write_text(entry.read_text(encoding="utf-8") + "\n" + body, encoding="utf-8")
    site = build_site(project, tmp_path / "site")

    term = (site / "terms" / "alpha-unit" / "index.html").read_text(encoding="utf-8")
    [block] = blocks(term)
    assert block["attrs"]["id"] == "lx-demo-0" and block["attrs"]["data-lx-params"] == "{}"  # type: ignore[index]
    assert term.index('class="lx-summary"') < term.index('class="lx-demo"') < term.index('id="why-it-matters"')
    default = demo_run.run("ripple", project / "demos" / "ripple.py", {})
    assert block["data"]["metrics"] == default["metrics"]  # type: ignore[index]

    for html in ((site / "page" / "index.html").read_text(encoding="utf-8"),
                 (site / "terms" / "beta-layer" / "index.html").read_text(encoding="utf-8")):
        [block] = blocks(html)
        assert json.loads(block["attrs"]["data-lx-params"]) == {"n": 30}  # type: ignore[index]
        assert len(block["data"]["chart"]["series"][0]["x"]) == 30  # type: ignore[index]

    specs = json.loads((site / demo_embed.SPECS_URI).read_text(encoding="utf-8"))
    assert specs["ripple"]["title"] == "Damped wave"
    assert specs["ripple"]["description"] == "A damped wave, for the tests."
    assert [p["name"] for p in specs["ripple"]["params"]] == ["n", "decay", "shape", "twice"]
    source = site / demo_embed.SOURCE_DIR
    assert (source / "ripple.py").read_text(encoding="utf-8") == WAVE
    assert (source / "_wave_check.py").read_text(encoding="utf-8") == CHECK


def build_error(project: Path, site: Path, caplog: pytest.LogCaptureFixture) -> str:
    with pytest.raises(Abort):
        build_site(project, site)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    for record in caplog.records:
        record.expected = True  # type: ignore[attr-defined]
    return "\n".join(r.getMessage() for r in errors)


def test_build_errors_name_page_and_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project = mini_with_demo(tmp_path, "# Page\n\n```demo ripple n=3```\n\n```demo nope```\n")
    entry = project / "glossary" / "beta-layer.md"
    text = entry.read_text(encoding="utf-8") + "\n```demo ripple shape=square\n```\n"
    entry.write_text(text, encoding="utf-8")
    message = build_error(project, tmp_path / "site", caplog)
    bad_line = text.count("\n") - 1
    available = ", ".join(sorted(demos.discover(project / "demos")))
    assert message == (  # found before MkDocs cleans the site folder, all in one report
        "the glossary and the site's pages have problems:\n"
        "docs/page.md:3: error: demo 'ripple': n: 3 is not one of the slider's steps (2, 4, ...): "
        "the slider would show another value than the chart; use 2 or 4\n"
        "    fix: set n to an integer from 2 to 50 in steps of 2\n"
        "docs/page.md:5: error: unknown demo 'nope'\n"
        f"    fix: available demos: {available}\n"
        f"glossary/beta-layer.md:{bad_line}: error: demo 'ripple': shape: 'square' is not one of its choices, "
        '"sin", "cos"\n'
        '    fix: set shape to one of "sin", "cos"\n'
        "3 problems in 2 files.")


def test_real_site_demos_page_shows_every_demo(real_site: Path) -> None:
    html = (real_site / "demos" / "index.html").read_text(encoding="utf-8")
    placed = {b["attrs"]["data-lx-demo"] for b in blocks(html)}  # type: ignore[index]
    assert placed == set(demos.discover(ROOT / "demos"))


def test_real_site_term_demos_and_weight(real_site: Path) -> None:
    from lexigraph.pipeline import build_glossary

    g = build_glossary(ROOT / "glossary", ROOT / "demos")
    with_demo = {s: t.demo for s, t in g.terms.items() if t.demo}
    assert with_demo, "no term names a demo"
    for slug, demo_id in with_demo.items():
        html = (real_site / "terms" / slug / "index.html").read_text(encoding="utf-8")
        [block] = blocks(html)
        assert block["attrs"]["data-lx-demo"] == demo_id  # type: ignore[index]
        expected = demo_run.run(demo_id, g.demos[demo_id], {})
        assert block["data"]["metrics"] == expected["metrics"]  # type: ignore[index]
        assert demo_embed.pack(expected["chart"]) == block["data"]["chart"]  # type: ignore[index]
