"""The demo module contract: a demo that breaks it is a problem with file, line and fix, found
by `lexigraph check` and before a build touches site/, never a traceback."""

from __future__ import annotations

import gc
import logging
import shutil
import signal
import textwrap
import time
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from lexigraph import demo_embed, demo_run, demos
from lexigraph.cli import main
from lexigraph.demo_contract import Source, import_problems
from lexigraph.errors import Problem

from .conftest import FIXTURES, build_site

GOOD_RUN = '''

def run(**params):
    return {"chart": {"title": "t", "x": {"label": "x", "scale": "linear"},
                      "y": {"label": "y", "scale": "linear"},
                      "series": [{"name": "a", "x": [0, 1], "y": [0, 1]}]},
            "summary": "s", "metrics": {}}
'''


def module(title: str = '"A demo"', terms: str = '["alpha-unit"]', params: str = "[]",
           run: str = GOOD_RUN) -> str:
    """A demo module's text: line 1 docstring, 2 TITLE, 3 TERMS, 4 PARAMS (one entry a line
    from line 5 when written with ``entries``)."""
    return f'"""A demo."""\nTITLE = {title}\nTERMS = {terms}\nPARAMS = {params}\n{run}'


def entries(*items: str) -> str:
    """PARAMS written one entry a line: entry i is on line 4 + i."""
    return "[\n" + "".join(f"    {item},\n" for item in items) + "]"


def problems_of(tmp_path: Path, text: str, name: str = "probe.py") -> list[Problem]:
    folder = tmp_path / "demos"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(demo_run.BrokenDemo) as info:
        demo_run.load(demos.demo_id(path), path)
    return info.value.problems


def lines(found: list[Problem]) -> list[tuple[int | None, str]]:
    return [(p.line, p.message) for p in found]


SLIDER = '{"name": "n", "label": "N", "kind": "slider", "min": 2, "max": 8, "step": 2, "default": 4}'


@pytest.mark.parametrize(("params", "line", "message", "fix"), [
    ('{"name": "n", "kind": "slider", "min": 2, "max": 8, "default": 4}', 5,
     "parameter 'n': a slider needs 'step'", "add 'step': ..."),
    (SLIDER.replace('"default": 4', '"default": 80'), 5,
     "parameter 'n': 'default' 80 is outside [2, 8]", 'set "default" to a value from 2 to 8'),
    (SLIDER.replace('"default": 4', '"default": 5'), 5,
     "parameter 'n': 'default' 5 is not on the slider's steps (2, 4, ...): the slider would "
     "show another value than the chart", 'set "default" to 4 or 6'),
    # (0.1 + 0.2 is written as 0.3, not as its float 0.30000000000000004)
    (SLIDER.replace('"min": 2, "max": 8, "step": 2, "default": 4',
                    '"min": 0.1, "max": 0.9, "step": 0.2, "default": 0.4'), 5,
     "parameter 'n': 'default' 0.4 is not on the slider's steps (0.1, 0.3, ...): the slider "
     "would show another value than the chart", 'set "default" to 0.3 or 0.5'),
    (SLIDER.replace('"default": 4', '"default": 4.5'), 5,
     "parameter 'n': 'default' must be an integer, as min, max and step are, but is 4.5",
     '"default": 4'),
    (SLIDER.replace('"step": 2', '"step": 0'), 5,
     "parameter 'n': 'step' must be greater than 0 but is 0", '"step": 1'),
    (SLIDER.replace('"step": 2, "default": 4', '"step": 10, "default": 2'), 5,
     "parameter 'n': 'step' 10 is more than the range from 'min' to 'max' (2 to 8): the slider "
     "has one position", 'make the step at most 6, e.g. "step": 1'),
    (SLIDER.replace('"min": 2', '"min": "2"'), 5,
     "parameter 'n': 'min' must be a number but is '2'", 'write "min": a number'),
    (SLIDER.replace('"min": 2, "max": 8', '"min": 8, "max": 2'), 5,
     "parameter 'n': 'min' (8) must be less than 'max' (2)", "swap them"),
    ('{"name": "act", "kind": "dropdown", "choices": ["relu"], "default": "relu"}', 5,
     "parameter 'act': 'kind' must be one of ['slider', 'select', 'checkbox'] but is 'dropdown'",
     'use "kind": "select"'),
    ('{"name": "act", "kind": "select", "choices": ["relu", "tanh"], "default": "gelu"}', 5,
     "parameter 'act': 'default' 'gelu' is not one of its choices ['relu', 'tanh']",
     "set \"default\" to one of \"relu\", \"tanh\""),
    # Following "one of 0, 1" wrote the same 0 again: the choices are shown as written.
    ('{"name": "act", "kind": "select", "choices": ["0", "1"], "default": 0}', 5,
     "parameter 'act': 'default' 0 is not one of its choices ['0', '1']",
     "write \"default\": \"0\" (in quotes: the choices are strings)"),
    ('{"name": "act", "kind": "select", "choices": ["0", "1"], "default": 2}', 5,
     "parameter 'act': 'default' 2 is not one of its choices ['0', '1']",
     "set \"default\" to one of \"0\", \"1\""),
    ('{"name": "act", "kind": "select", "choices": [1, 2], "default": 1}', 5,
     "parameter 'act': 'choices' must be a non-empty list of strings but is [1, 2]",
     "the page sends the chosen string"),
    ('{"name": "on", "kind": "checkbox", "default": "yes"}', 5,
     "parameter 'on': 'default' must be True or False but is 'yes'", '"default": True'),
    ('{"name": "learning-rate", "kind": "checkbox", "default": True}', 5,
     "PARAMS item 1: 'name' must be a Python identifier but is 'learning-rate'",
     "write \"name\": 'learning_rate'"),
    ('{"kind": "checkbox", "default": True}', 5,
     "PARAMS item 1: 'name' must be a Python identifier but is None", 'write "name": "depth"'),
    ('{"name": "class", "kind": "checkbox", "default": True}', 5,
     "PARAMS item 1: 'name' must be a Python identifier but is 'class' (a Python keyword)",
     "write \"name\": 'class_'"),
    (SLIDER.replace('"default": 4', '"defualt": 4'), 5,
     "parameter 'n': a slider has no key 'defualt'", "did you mean 'default'?"),
    ('{"name": "on", "kind": "checkbox", "default": True, "label": 3}', 5,
     "parameter 'on': 'label' must be a string but is 3", 'write "label": "..."'),
    ('"n"', 5, "PARAMS item 1 must be a dict but is a str", '{"name": "depth"'),
])
def test_each_params_problem_names_its_line_and_fix(tmp_path: Path, params: str, line: int,
                                                    message: str, fix: str) -> None:
    [problem] = problems_of(tmp_path, module(params=entries(params)))
    assert (problem.line, problem.message) == (line, message)
    assert fix in problem.hint, problem.hint
    assert problem.path == tmp_path / "demos" / "probe.py"


def test_a_problem_points_at_the_key_of_a_multi_line_entry(tmp_path: Path) -> None:
    params = ('{"name": "m", "kind": "slider", "min": 2, "max": 8, "step": 2,\n'
              '     "default": 9}')
    [problem] = problems_of(tmp_path, module(params=entries(SLIDER, params)))
    assert problem.line == 7 and problem.message == "parameter 'm': 'default' 9 is outside [2, 8]"


def test_every_problem_of_a_demo_at_once(tmp_path: Path) -> None:
    text = module(title='""', terms='"alpha-unit"', params=entries(
        SLIDER, SLIDER.replace('"step": 2', '"step": -1'),
        '{"name": "m", "kind": "menu", "default": "x"}'), run="run = 3\n")
    assert lines(problems_of(tmp_path, text)) == [
        (2, "TITLE must be a non-empty string but is ''"),
        (3, "TERMS must be a list of term slugs but is 'alpha-unit'"),
        (6, "parameter 'n' is declared twice (PARAMS items 1 and 2)"),
        (6, "parameter 'n': 'step' must be greater than 0 but is -1"),
        (7, "parameter 'm': 'kind' must be one of ['slider', 'select', 'checkbox'] but is 'menu'"),
        (9, "'run' must be a function but is 3"),
    ]


def test_a_computed_params_list_is_checked_with_the_assignment_line(tmp_path: Path) -> None:
    params = '[{"name": x, "kind": "checkbox", "default": 1} for x in ("a", "b")]'
    assert lines(problems_of(tmp_path, module(params=params))) == [
        (4, "parameter 'a': 'default' must be True or False but is 1"),
        (4, "parameter 'b': 'default' must be True or False but is 1")]


@pytest.mark.parametrize(("text", "expected"), [
    (module(run=""), [(None, "the demo has no run() function")]),
    ('"""Only a docstring."""\n', [(None, "the demo has no TITLE"),
                                   (None, "the demo has no PARAMS"),
                                   (None, "the demo has no run() function")]),
    (module(params=entries(SLIDER), run="def run(m=1):\n    return {}\n"),
     [(7, "run() does not take the parameter 'n', and the build passes every parameter")]),
    (module(params=entries(SLIDER), run="def run(n, m):\n    return {}\n"),
     [(7, "run() requires 'm', which is not in PARAMS")]),
    # A name no argument can have is reported once, with PARAMS, not also as missing in run().
    (module(params=entries(SLIDER.replace('"n"', '"class"')), run="def run(n=1):\n    return {}\n"),
     [(5, "PARAMS item 1: 'name' must be a Python identifier but is 'class' (a Python keyword)")]),
])
def test_missing_parts_and_a_run_that_cannot_take_the_params(
        tmp_path: Path, text: str, expected: list[tuple[int | None, str]]) -> None:
    assert lines(problems_of(tmp_path, text)) == expected


def test_the_fix_for_a_missing_params_names_lexigraphs_readme(tmp_path: Path) -> None:
    """"see README" named, in a project of one's own, that project's README."""
    [problem] = problems_of(tmp_path, '"""Doc."""\nTITLE = "T"\n' + GOOD_RUN)
    assert problem.hint == ("add PARAMS = [] (no controls) or a list of parameter dicts (see "
                            "Lexigraph's README, 'Adding a demo')")


def test_import_errors_point_at_the_line(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, 'TITLE = "Syntax\n', "syntax_err.py")
    assert problem.line == 1
    assert problem.message.startswith("the demo cannot be imported: SyntaxError: unterminated")
    assert "import syntax_err" in problem.hint


def test_a_demo_without_run_placed_in_a_page_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    """Was: AttributeError: module 'no_run' has no attribute 'run' (getattr(..., None) is an
    object, so the old check let it through)."""
    (tmp_path / "demos").mkdir()
    path = tmp_path / "demos" / "no_run.py"
    path.write_text(module(run=""), encoding="utf-8")
    e = demo_embed.Embedder(demos.discover(tmp_path / "demos"), root=tmp_path)
    e.replace_fences("# T\n\n```demo no-run\n```\n\n```demo no-run```\n", tmp_path / "page.md")
    assert [p.format(tmp_path) for p in e.problems] == [
        "demos/no_run.py: error: the demo has no run() function\n"
        "    fix: define def run(**params) -> dict returning {\"chart\": ..., \"summary\": ..., "
        "\"metrics\": ...}"]


def test_a_slider_without_step_and_a_fence_value_is_a_problem_not_a_keyerror(
        tmp_path: Path) -> None:
    """Was: KeyError: 'step' in demo_embed._typed."""
    (tmp_path / "demos").mkdir()
    (tmp_path / "demos" / "bad_params.py").write_text(module(params=entries(
        '{"name": "n", "kind": "slider", "min": 2, "max": 8, "default": 4}')), encoding="utf-8")
    e = demo_embed.Embedder(demos.discover(tmp_path / "demos"), root=tmp_path)
    e.replace_fences("```demo bad-params n=3\n```\n", tmp_path / "page.md")
    assert [p.format(tmp_path) for p in e.problems] == [
        "demos/bad_params.py:5: error: parameter 'n': a slider needs 'step'\n"
        "    fix: add 'step': ... (for example \"min\": 1, \"max\": 10, \"step\": 1, "
        "\"default\": 5)"]


# ---------- applies_when: a control used only while another parameter has given values ----------

INIT = '{"name": "init", "kind": "select", "choices": ["xavier", "normal"], "default": "xavier"}'
RESIDUAL = '{"name": "residual", "kind": "checkbox", "default": False}'


def conditional(when: str) -> str:
    """A slider ``std`` (PARAMS item 4, line 8) used only ``when``."""
    return ('{"name": "std", "kind": "slider", "min": 0.5, "max": 2.0, "step": 0.5, '
            f'"default": 1.0, "applies_when": {when}}}')


@pytest.mark.parametrize("when", ['{"init": "normal"}', '{"init": ["xavier", "normal"]}',
                                  '{"init": "normal", "residual": True}', '{"residual": False}'])
def test_a_parameter_may_apply_only_when_others_have_given_values(tmp_path: Path,
                                                                    when: str) -> None:
    folder = tmp_path / "demos"
    folder.mkdir()
    path = folder / "probe.py"
    path.write_text(module(params=entries(INIT, SLIDER, RESIDUAL, conditional(when))),
                    encoding="utf-8")
    spec, _ = demo_run.load("probe", path)
    # The page gets it as written (demos.json), and run() every value, the std's too.
    assert spec.public()["params"][3]["applies_when"] == eval(when)
    assert demo_run.run("probe", path, {"init": "xavier"})["summary"] == "s"


@pytest.mark.parametrize(("when", "message", "fix"), [
    ('{"init": "norml"}', "parameter 'std': 'applies_when' gives 'init' the value 'norml', which "
     "is not one of its choices ['xavier', 'normal']", "did you mean 'normal'? write one of "
     "'xavier', 'normal', or a list of them"),
    ('{"init": ["normal", "he"]}', "parameter 'std': 'applies_when' gives 'init' the value 'he', "
     "which is not one of its choices ['xavier', 'normal']", "write one of 'xavier', 'normal'"),
    ('{"init": []}', "parameter 'std': 'applies_when' gives 'init' no value",
     "give one of 'xavier', 'normal'"),
    ('{"inti": "normal"}', "parameter 'std': 'applies_when' names 'inti', which is not a "
     "parameter of PARAMS", "did you mean 'init'?"),
    ('{"gain": "normal"}', "parameter 'std': 'applies_when' names 'gain', which is not a "
     "parameter of PARAMS", "name one of init, n, residual"),
    ('{"std": 1.0}', "parameter 'std': 'applies_when' names the parameter itself ('std')",
     "name the select or checkbox that decides"),
    ('{"n": 4}', "parameter 'std': 'applies_when' names 'n', a slider: a parameter can depend on "
     "a select or a checkbox", "leave 'applies_when' out"),
    ('{"residual": "yes"}', "parameter 'std': 'applies_when' gives 'residual' the value 'yes', "
     "which is not one of its values [True, False]", "write one of True, False"),
    ('"normal"', "parameter 'std': 'applies_when' must be a mapping of another parameter's name "
     "to a value but is 'normal'", 'write "applies_when": {"init": "normal"}'),
    ("{}", "parameter 'std': 'applies_when' must be a mapping of another parameter's name to a "
     "value but is {}", 'write "applies_when": {"init": "normal"}'),
])
def test_an_applies_when_the_page_cannot_follow_is_a_problem(tmp_path: Path, when: str,
                                                             message: str, fix: str) -> None:
    """A condition naming a parameter or a value that does not exist would leave the control
    disabled for good, or never: it is the demo's problem, at the line of the key."""
    [problem] = problems_of(tmp_path, module(params=entries(INIT, SLIDER, RESIDUAL,
                                                            conditional(when))))
    assert (problem.line, problem.message) == (8, message)
    assert fix in problem.hint, problem.hint


def test_applies_when_is_found_on_its_own_line_and_a_misspelling_of_it_too(tmp_path: Path) -> None:
    std = conditional('{"init": "he"}').replace('"applies_when"', '\n     "applies_when"')
    typo = conditional('{"init": "normal"}').replace('"std"', '"std2"') \
        .replace("applies_when", "applies_if")
    assert lines(problems_of(tmp_path, module(params=entries(INIT, std, typo)))) == [
        (8, "parameter 'std2': a slider has no key 'applies_if'"),
        (7, "parameter 'std': 'applies_when' gives 'init' the value 'he', which is not one of "
            "its choices ['xavier', 'normal']")]


def test_the_repository_demos_keep_the_contract() -> None:
    root = Path(__file__).resolve().parents[1] / "demos"
    for demo_id, path in demos.discover(root).items():
        demo_run.load(demo_id, path)  # raises BrokenDemo with every problem


def test_problem_lines_are_those_of_the_source(tmp_path: Path) -> None:
    path = tmp_path / "lines.py"
    path.write_text(textwrap.dedent('''\
        PARAMS = [{"name": "a"}] + [
            {"name": "b",
             "kind": "x"},
        ]
        TERMS = ("x", "y")
        def run(): pass
        '''), encoding="utf-8")
    src = Source(path)
    assert src.item_line("PARAMS", 1, 2, "kind") == 3
    assert src.item_line("PARAMS", 1, 2) == 2
    assert src.item_line("PARAMS", 1, 3) == 1  # another count: the assignment's line
    assert src.item_line("TERMS", 1, 2) == 5
    assert src.line("run") == 6


# ---------- every module of the folder, placed or not: `lexigraph check` and the build ----------

BROKEN = {  # file name -> (text, a line of the report)
    "syntax_err.py": ('TITLE = "Syntax\n',
                      "demos/syntax_err.py:1: error: the demo cannot be imported: SyntaxError: "
                      "unterminated string literal (detected at line 1)"),
    "no_run.py": (module(run=""), "demos/no_run.py: error: the demo has no run() function"),
    "load-factor.py": (module(), "demos/load-factor.py: error: 'load-factor.py' is not a Python "
                                 "module name: the page imports the demo as a module, so it would "
                                 "fail in the browser with ModuleNotFoundError\n"
                                 "    fix: rename it to load_factor.py; its id stays 'load-factor'"),
    "bad_terms.py": (module(terms='["alpha-unit", "alpha-uint"]'),
                     "demos/bad_terms.py:3: error: TERMS: no entry has the slug 'alpha-uint'\n"
                     "    fix: did you mean 'alpha-unit'?"),
    # (A term named by an alias, or by its old slug after a rename that kept it as one.)
    "alias_terms.py": (module(terms='["au"]'),
                       "demos/alias_terms.py:3: error: TERMS: no entry has the slug 'au'\n"
                       "    fix: 'au' is the alias of 'alpha-unit.md': write 'alpha-unit'"),
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(FIXTURES / "mini", target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_check_finds_a_broken_demo_no_page_uses(project: Path, name: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    text, expected = BROKEN[name]
    (project / "demos" / name).write_text(text, encoding="utf-8")
    assert main(["check", str(project / "glossary")]) == 1
    err = capsys.readouterr().err
    assert f"{project}/{expected}" in err, err
    assert err.endswith("1 problem in 1 file.\n") and "Traceback" not in err


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_demo_no_page_uses_leaves_the_site_untouched(
        project: Path, tmp_path: Path, name: str, caplog: pytest.LogCaptureFixture) -> None:
    """Was: the build cleaned site/ and failed afterwards, at demos.json (on_files/on_env)."""
    site = build_site(project, tmp_path / "site")
    before = {p.relative_to(site): p.stat().st_mtime_ns for p in site.rglob("*")}
    text, expected = BROKEN[name]
    (project / "demos" / name).write_text(text, encoding="utf-8")
    with pytest.raises(Abort):
        build_site(project, site)
    assert expected in caplog.text
    for record in caplog.records:
        record.expected = True  # type: ignore[attr-defined]
    assert {p.relative_to(site): p.stat().st_mtime_ns for p in site.rglob("*")} == before


def test_a_broken_demo_placed_twice_is_one_problem_with_the_others(
        project: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    for name in ("no_run.py", "syntax_err.py"):
        (project / "demos" / name).write_text(BROKEN[name][0], encoding="utf-8")
    (project / "docs" / "index.md").write_text("# Home\n\n```demo no-run```\n")
    beta = project / "glossary" / "beta-layer.md"
    beta.write_text(beta.read_text() + "\n```demo no-run\n```\n\n```demo numpy-probe n=9```\n")
    with pytest.raises(Abort):
        build_site(project, tmp_path / "site")
    for record in caplog.records:
        record.expected = True  # type: ignore[attr-defined]
    assert caplog.text.count("the demo has no run() function") == 1
    assert "syntax_err.py:1: error:" in caplog.text and "n: 9 is outside" in caplog.text
    assert "3 problems in 3 files." in caplog.text
    assert not (tmp_path / "site").exists()


def test_the_placements_of_a_demo_with_problems_are_checked_in_the_same_report(
        project: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The values a page gave a demo whose module had a problem were checked only once the
    module was fixed: the author learnt of them one build later. What the module's PARAMS
    still say is checked at once; a parameter whose entry is broken is known by its name."""
    (project / "demos" / "gain.py").write_text(module(params=entries(
        '{"name": "gain", "kind": "slider", "min": 0.25, "max": 3.0, "step": 0.25, "default": 1.0}',
        '{"name": "depth", "kind": "slider", "min": 2, "max": 40, "step": 1, "default": 50}',
        '{"name": "mode", "kind": "menu", "default": "a"}')), encoding="utf-8")
    (project / "docs" / "index.md").write_text(
        "# Home\n\n```demo gain gian=2.0 depth=100 gain=0.3 mode=anything```\n")
    beta = project / "glossary" / "beta-layer.md"
    beta.write_text(beta.read_text() + "\n```demo gain depth=41```\n")
    line = beta.read_text().count("\n")
    with pytest.raises(Abort):
        build_site(project, tmp_path / "site")
    for record in caplog.records:
        record.expected = True  # type: ignore[attr-defined]
    [report] = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert report.split("\n")[1:] == [
        "demos/gain.py:6: error: parameter 'depth': 'default' 50 is outside [2, 40]",
        '    fix: set "default" to a value from 2 to 40',
        "demos/gain.py:7: error: parameter 'mode': 'kind' must be one of ['slider', 'select', "
        "'checkbox'] but is 'menu'",
        '    fix: use "kind": "select"; a slider takes min, max, step; a select takes choices; a '
        "checkbox is on or off",
        "docs/index.md:3: error: demo 'gain': depth: 100 is outside the slider's range, 2 to 40: "
        "the slider would show another value than the chart",
        "    fix: set depth to an integer from 2 to 40",
        "docs/index.md:3: error: demo 'gain': gain: 0.3 is not one of the slider's steps (0.25, "
        "0.5, ...): the slider would show another value than the chart; use 0.25 or 0.5",
        "    fix: set gain to a number from 0.25 to 3.0 in steps of 0.25",
        "docs/index.md:3: error: demo 'gain': no parameter 'gian' (did you mean 'gain'?)",
        "    fix: set gain to a number from 0.25 to 3.0 in steps of 0.25",
        f"glossary/beta-layer.md:{line}: error: demo 'gain': depth: 41 is outside the slider's "
        "range, 2 to 40: the slider would show another value than the chart",
        "    fix: set depth to an integer from 2 to 40",
        "6 problems in 3 files."]


def test_a_hyphenated_file_is_reported_beside_the_one_it_collides_with(project: Path) -> None:
    (project / "demos" / "numpy-probe.py").write_text(module(), encoding="utf-8")
    found = demos.discover(project / "demos")
    assert found["numpy-probe"].name == "numpy_probe.py"  # the importable one is the demo
    [problem] = demo_run.check_all(found, {"alpha-unit"})
    assert problem.path.name == "numpy-probe.py"
    assert problem.message.endswith(", and numpy_probe.py has its id already")
    assert problem.hint.startswith("keep one of the two: merge it into numpy_probe.py")


def test_a_run_that_never_ends_is_stopped_and_named(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A fence whose values made run() loop hung `lexigraph check` and the build."""
    monkeypatch.setattr(demo_run, "RUN_LIMIT", 0.3)
    folder = tmp_path / "demos"
    folder.mkdir()
    path = folder / "endless.py"
    path.write_text(module(run="\n\ndef run(**params):\n    while True:\n        pass\n"),
                    encoding="utf-8")
    with pytest.raises(demo_run.DemoFailure) as info:
        demo_run.run("endless", path, {})
    assert info.value.message == "run() did not finish within 0.3 s"
    assert (info.value.path, info.value.line) == (path, 8)
    assert info.value.hint.startswith("make run() faster")
    # A demo's `except Exception` does not catch the limit.
    path.write_text(module(run="\n\ndef run(**params):\n    while True:\n        try:\n"
                               "            sum(range(1000))\n        except Exception:\n"
                               "            pass\n"), encoding="utf-8")
    with pytest.raises(demo_run.DemoFailure, match="did not finish within 0.3 s"):
        demo_run.run("endless", path, {})
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL  # (put back)


@pytest.mark.parametrize(("body", "expected"), [
    ("    while True:\n        pass\n",
     ["demos/endless.py:13: error: run() did not finish within 0.3 s\n    fix: make run(n=4) faster "
      "(fewer points or steps): the page runs it on every change of a control, more slowly (as "
      "the demos placed at a.md:3, a.md:1 and b.md:3 call it)"]),
    ("    return 1 / 0\n",
     ["demos/endless.py:13: error: run() failed: ZeroDivisionError: division by zero\n"
      "    fix: make run(n=4) work (as the demos placed at a.md:3, a.md:1 and b.md:3 call it)"]),
    # The demo refusing its values: each placement is a problem of its own.
    ("    raise ValueError('no value will do')\n",
     [f"{where}: error: demo 'endless': no value will do\n    fix: write name=value with: n (an "
      "integer from 2 to 8 in steps of 2)" for where in ("a.md:3", "a.md:1", "b.md:3")]),
])
def test_a_failing_run_is_run_once_and_reported_at_every_placement(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, expected: list[str]) -> None:
    """A failure was not remembered: a run() that never ends, placed twice, cost `lexigraph
    check` twice the time limit, and each rebuild of `mkdocs serve` as much."""
    monkeypatch.setattr(demo_run, "RUN_LIMIT", 0.3)
    folder = tmp_path / "demos"
    folder.mkdir()
    path = folder / "endless.py"
    path.write_text(module(params=entries(SLIDER), run="\nCALLS = []\n\n\ndef run(**params):\n"
                                                       "    CALLS.append(params)\n" + body),
                    encoding="utf-8")
    placed: list[demo_embed.Placement] = [
        (tmp_path / "a.md", "```demo endless```\n\n```demo endless n=4```\n", 1, None, None),
        (tmp_path / "b.md", "# B\n\n```demo endless```\n", 1, None, None)]
    for _ in range(2):  # a build, then a rebuild with the module unchanged: the same report
        found = demo_embed.check_placements(demos.discover(folder), placed, tmp_path)
        assert [p.format(tmp_path) for p in demo_embed.merge_placements(found)] == expected
    assert demo_run.load("endless", path)[1].CALLS == [{"n": 4}]  # (n=4 is the default)
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    demo_embed.check_placements(demos.discover(folder), placed, tmp_path)
    assert demo_run.load("endless", path)[1].CALLS == [{"n": 4}]  # the edit's own run, once


def test_a_failure_remembered_keeps_nothing_the_failed_run_made(tmp_path: Path) -> None:
    """The remembered failure was the exception itself, whose traceback held every variable
    of the failed run(): under `mkdocs serve`, each edit of a failing demo kept another."""
    folder = tmp_path / "demos"
    folder.mkdir()
    path = folder / "heavy.py"
    path.write_text(module(run="\nimport weakref\n\nMADE = []\n\n\nclass Big:\n    pass\n\n\n"
                                "def run(**params):\n    big = Big()\n"
                                "    MADE.append(weakref.ref(big))\n    return 1 / 0\n"),
                    encoding="utf-8")
    with pytest.raises(demo_run.DemoFailure, match="ZeroDivisionError"):
        demo_run.run("heavy", path, {})
    with pytest.raises(demo_run.DemoFailure, match="ZeroDivisionError"):  # (remembered)
        demo_run.run("heavy", path, {})
    gc.collect()
    made = demo_run.load("heavy", path)[1].MADE
    assert len(made) == 1 and made[0]() is None


def test_a_failure_remembered_names_the_file_of_its_own_folder(tmp_path: Path) -> None:
    """Two copies of a demos folder (two projects in one process) have the same digest: the
    failure met in one named the other's file."""
    for project in ("one", "two"):
        folder = tmp_path / project / "demos"
        folder.mkdir(parents=True)
        path = folder / "broken.py"
        path.write_text(module(run="\n\ndef run(**params):\n    return 1 / 0\n"), encoding="utf-8")
        with pytest.raises(demo_run.DemoFailure) as info:
            demo_run.run("broken", path, {})
        assert info.value.path == path


def test_every_missing_import_is_found_with_a_file_read_before_them(tmp_path: Path) -> None:
    path = tmp_path / "probe.py"
    path.write_text("HERE = __file__\n\ndef run(**params):\n    for i in range(2):\n"
                    "        if i:\n            import scipy.special\n", encoding="utf-8")
    assert [(p.line, p.message.split(",")[0]) for p in import_problems(path, set())] == [
        (1, "the demo reads files beside it (__file__): the page has the demos folder's modules "
            "only"), (6, "the demo imports 'scipy.special'")]


def test_the_time_limit_leaves_an_alarm_set_by_another_alone(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_run, "RUN_LIMIT", 0.2)
    rang: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda *_: rang.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.6)
        folder = tmp_path / "demos"
        folder.mkdir()
        path = folder / "slowish.py"
        path.write_text(module(run="\n\nimport time\n\ndef run(**params):\n    time.sleep(0.4)\n"
                                   + GOOD_RUN.split("def run(**params):\n", 1)[1]),
                        encoding="utf-8")
        demo_run.run("slowish", path, {})  # not stopped at 0.2 s: the alarm is another's
        deadline = time.monotonic() + 5
        while not rang and time.monotonic() < deadline:
            time.sleep(0.05)
        assert rang == [1]  # and that alarm still went off
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_result_too_big_for_a_page_is_refused(tmp_path: Path) -> None:
    """200,000 points made an 8 MB page, with no word said."""
    folder = tmp_path / "demos"
    folder.mkdir()
    path = folder / "heavy.py"
    path.write_text(module(run=GOOD_RUN.replace('"x": [0, 1], "y": [0, 1]',
                                                '"x": list(range(40000)), "y": list(range(40000))')),
                    encoding="utf-8")
    with pytest.raises(demo_run.DemoFailure) as info:
        demo_run.run("heavy", path, {})
    assert info.value.message == ("run() returned 447 KB of data, which the page carries and "
                                  "draws again on every change of a control")
    assert info.value.hint == "make run() return fewer points (at most 256 KB)"


# ---------- what the page's Python has: NumPy, the standard library, the demos folder ----------

@pytest.mark.parametrize(("name", "text", "expected"), [
    ("random.py", module(), "demos/random.py: error: 'random.py' has the name of a module of "
     "Python's standard library (random)"),
    ("_thread.py", "X = 1\n", "demos/_thread.py: error: '_thread.py' has the name of a module "
     "of Python's standard library (_thread)"),
    ("probe.py", "import json\nimport yaml\n" + module(), "demos/probe.py:2: error: the demo "
     "imports 'yaml', which the page does not have: it loads NumPy and Python's standard library"),
    ("probe.py", module(run=GOOD_RUN + "\n\ndef more():\n    from scipy import stats\n"),
     "demos/probe.py:15: error: the demo imports 'scipy', which the page does not have"),
    ("probe.py", "import sqlite3\n" + module(), "demos/probe.py:1: error: the demo imports "
     "'sqlite3', which the page's Python (Pyodide) does not have"),
    ("probe.py", "from multiprocessing import Pool\n" + module(), "demos/probe.py:1: error: the "
     "demo imports 'multiprocessing', which cannot work in the page"),
    ("probe.py", module(run=GOOD_RUN.replace("return", "open(__file__)\n    return", 1)),
     "demos/probe.py:8: error: the demo reads files beside it (__file__)"),
    # (a guarded import has a way on without the module)
    ("probe.py", "try:\n    import numba\nexcept ImportError:\n    numba = None\n" + module(),
     None),
], ids=["stdlib-name", "private-stdlib-name", "third-party", "import-in-a-function",
        "not-in-pyodide", "no-processes", "data-file", "guarded-import"])
def test_what_the_page_lacks_is_found_before_the_page_fails(
        project: Path, capsys: pytest.CaptureFixture[str], name: str, text: str,
        expected: str | None) -> None:
    """`lexigraph check` runs the demos with this machine's Python, which has what the
    page's may not; and a demo named like a standard module made every other demo fail."""
    (project / "demos" / name).write_text(text, encoding="utf-8")
    assert main(["check", str(project / "glossary")]) == (0 if expected is None else 1)
    err = capsys.readouterr().err
    if expected is None:
        return
    assert f"{project}/{expected}" in err, err
    assert err.endswith("1 problem in 1 file.\n"), err  # (and nothing blamed on the others)
    assert "numpy_probe.py" not in err


# ---------- run() gets every parameter at build time, as in the page ----------

UNCHECKED = module(params=entries(
    '{"name": "n", "kind": "slider", "min": 2, "max": 8, "step": 1, "default": 4}',
    '{"name": "x", "kind": "slider", "min": 0.0, "max": 2.0, "step": 0.5, "default": 1}',
    '{"name": "on", "kind": "checkbox", "default": True}'), run='''
SEEN = []


def run(**params):
    SEEN.append(params)
    n, x = params["n"], params["x"]  # no validation: the page always sends every control
    return {"chart": {"title": "t", "x": {"label": "x", "scale": "linear"},
                      "y": {"label": "y", "scale": "linear"},
                      "series": [{"name": "a", "x": list(range(n)), "y": [x] * n}]},
            "summary": f"{n} {x!r} {params['on']}", "metrics": {}}
''')


def test_run_gets_the_defaults_of_parameters_a_fence_leaves_out(tmp_path: Path) -> None:
    """Was: KeyError 'x' at build, though the browser (which sends every control) worked."""
    (tmp_path / "demos").mkdir()
    (tmp_path / "demos" / "unchecked.py").write_text(UNCHECKED, encoding="utf-8")
    e = demo_embed.Embedder(demos.discover(tmp_path / "demos"))
    out = e.replace_fences("```demo unchecked n=3```\n", tmp_path / "page.md")
    assert e.problems == []
    assert "3 1.0 True" in out  # a float slider's default as a float, as the worker sends it
    _, mod = demo_run.load("unchecked", tmp_path / "demos" / "unchecked.py")
    assert mod.SEEN[-1] == {"n": 3, "x": 1.0, "on": True}
    assert type(mod.SEEN[-1]["x"]) is float


def test_a_demo_that_imports_another_sees_its_edits_in_a_long_lived_process(tmp_path: Path) -> None:
    """Under `mkdocs serve` the results are kept by the demo's digest: an edit of a module it
    imports (another demo, not only a `_` helper) must change the result."""
    from lexigraph import demo_run

    folder = tmp_path / "demos"
    folder.mkdir()
    base = folder / "base_demo.py"
    spec = 'TITLE = "{t}"\nPARAMS = []\n'
    chart = ('{"title": T, "x": {"label": "x", "scale": "linear"}, "y": {"label": "y", '
             '"scale": "linear"}, "series": [{"name": "s", "x": [0], "y": [0]}]}')
    base.write_text(spec.format(t="Base") + 'T = "one"\n'
                    f"def run():\n    return {{'chart': {chart}, 'summary': T, 'metrics': {{}}}}\n")
    (folder / "user_demo.py").write_text(spec.format(t="User") + "import base_demo\n\n\n"
                                         "def run():\n    return base_demo.run()\n")
    first = demo_run.run("user-demo", folder / "user_demo.py", {})
    base.write_text(base.read_text().replace('T = "one"', 'T = "two"'))
    again = demo_run.run("user-demo", folder / "user_demo.py", {})
    assert (first["summary"], again["summary"]) == ("one", "two")


def test_editor_files_in_the_demos_folder_are_neither_demos_nor_read(tmp_path: Path) -> None:
    """Emacs' lock file `.#x.py` (a dangling link) made check and build stop with a traceback
    once the digest read every module; a hidden `.scratch.py` was called a misnamed demo."""
    from lexigraph import demo_run

    folder = tmp_path / "demos"
    shutil.copytree(FIXTURES / "mini" / "demos", folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / ".#numpy_probe.py").symlink_to("user@host.1:1")
    (folder / ".scratch.py").write_text("x = 1\n")
    found = demos.discover(folder)
    assert sorted(found) == ["numpy-probe"]
    assert demo_run.check_all(found, {"alpha-unit", "beta-layer", "gamma-net"}) == []
    assert demo_run.digest(found["numpy-probe"])
