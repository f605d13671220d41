"""Live demos in pages: ```` ```demo <id> name=value ``` ```` fences and the term ``demo:`` field.

Each placement becomes a block of HTML holding the demo's title, its first-paint result
(computed with CPython at build time, see :mod:`lexigraph.demo_run`) and the reading of it;
``assets/lexigraph/demo.js`` draws the chart from that data at once and adds the controls from
``assets/lexigraph/demos.json`` (one copy of every demo's parameters for the whole site, so each
page carries only what is particular to it). No MkDocs import: :class:`Embedder` keeps the
problems found while it places demos, for the caller to report.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import demo_run
from .demo_contract import integer_slider, off_steps, written
from .demos import module_files
from .errors import Problem, did_you_mean, resolved
from .load import read_text
from .text import attr, listed, script_json

#: Where the site keeps what the demo script fetches (relative to the site root).
SPECS_URI = "assets/lexigraph/demos.json"
SOURCE_DIR = "assets/lexigraph/demo-src"

_OPEN = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$")
_ONE_LINE = re.compile(r"^ {0,3}(?P<fence>`{3,})[ \t]*demo\b(?P<args>[^`\n]*)(?P=fence)[ \t]*$")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


@dataclass(frozen=True)
class Fence:
    """One demo fence: its line span in the text (0-based, end exclusive) and its arguments."""

    start: int
    end: int
    words: str

    @property
    def line(self) -> int:
        return self.start + 1


def find_fences(markdown: str) -> tuple[list[Fence], list[int]]:
    """Demo fences outside other code blocks, and the lines of demo fences never closed.

    Examples
    --------
    >>> text = "```demo a n=1\\n```\\n````md\\n```demo b\\n```\\n````\\n```demo c```"
    >>> fences, unclosed = find_fences(text)
    >>> [(f.line, f.words) for f in fences], unclosed
    ([(1, 'a n=1'), (7, 'c')], [])
    """
    lines = markdown.split("\n")
    fences: list[Fence] = []
    unclosed: list[int] = []
    i = 0
    while i < len(lines):
        one = _ONE_LINE.match(lines[i])
        if one:
            fences.append(Fence(i, i + 1, one.group("args").strip()))
            i += 1
            continue
        m = _OPEN.match(lines[i])
        if not m or (m.group("fence")[0] == "`" and "`" in m.group("info")):
            i += 1
            continue
        mark = m.group("fence")
        closing = re.compile(rf"^ {{0,3}}{re.escape(mark[0])}{{{len(mark)},}}[ \t]*$")
        end = next((j for j in range(i + 1, len(lines)) if closing.match(lines[j])), None)
        info = m.group("info").strip()
        is_demo = info.split(maxsplit=1)[:1] == ["demo"]
        if is_demo and end is None:
            unclosed.append(i + 1)
        elif is_demo:
            body = " ".join(ln.strip() for ln in lines[i + 1:end] if not ln.strip().startswith("#"))
            fences.append(Fence(i, end + 1, (info[4:].strip() + " " + body).strip()))
        # An unclosed fence runs to the end of the document (CommonMark).
        i = len(lines) if end is None else end + 1
    return fences, unclosed


def describe(param: Mapping[str, Any]) -> str:
    """A parameter's allowed values, as the build error's fix names them.

    Examples
    --------
    >>> describe({"name": "depth", "kind": "slider", "min": 2, "max": 60, "step": 1})
    'depth: an integer from 2 to 60'
    >>> describe({"name": "gain", "kind": "slider", "min": 0.25, "max": 3.0, "step": 0.25})
    'gain: a number from 0.25 to 3.0 in steps of 0.25'
    >>> describe({"name": "act", "kind": "select", "choices": ["relu", "tanh"]})
    'act: one of "relu", "tanh"'
    """
    name, kind = param["name"], param.get("kind")
    if kind is None:  # (see demo_contract.placeable)
        return f"{name}: a value its PARAMS entry allows, once that entry is fixed"
    if kind == "slider":
        if integer_slider(param):
            step = "" if param["step"] == 1 else f" in steps of {param['step']}"
            return f"{name}: an integer from {param['min']} to {param['max']}{step}"
        # (always the step: 0.3 is from 0.25 to 3.0, and no position of a 0.25-step slider)
        return f"{name}: a number from {param['min']} to {param['max']} in steps of {param['step']}"
    if kind == "select":
        return f"{name}: one of {written(param['choices'])}"
    return f"{name}: true or false"


def fix_hint(named: list[Mapping[str, Any]], params: list[Mapping[str, Any]]) -> str:
    """How to write the parameters a problem is about (or all of them, if it names none).

    Examples
    --------
    >>> depth = {"name": "depth", "kind": "slider", "min": 2, "max": 60, "step": 1}
    >>> fix_hint([depth], [depth])
    'set depth to an integer from 2 to 60'
    >>> fix_hint([], [depth])
    'write name=value with: depth (an integer from 2 to 60)'
    >>> fix_hint([], [])
    'this demo takes no parameters: write only ```demo <id>```'
    """
    if named:
        return "; ".join("set " + describe(p).replace(": ", " to ", 1) for p in named)
    if not params:
        return "this demo takes no parameters: write only ```demo <id>```"
    return "write name=value with: " + ", ".join(
        "{} ({})".format(*describe(p).split(": ", 1)) for p in params)


#: The end of :func:`parse_params`' message for a parameter a fence sets twice.
GIVEN_TWICE = " is given twice"


def parse_params(declared: list[dict[str, Any]],
                 words: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Turn ``name=value`` words into typed parameters of ``declared`` (a demo's ``PARAMS``);
    the second item lists what is wrong.

    Values are typed by the parameter's kind, and must be what the page's control can show:
    a slider's value one of its steps, within its range, a select's one of its choices (else
    the control would show another value than the chart drawn for it). The parameters of a
    module with problems are checked too: one of ``"kind": None`` takes any value (see
    :func:`~lexigraph.demo_contract.placeable`).
    """
    by_name = {p["name"]: p for p in declared}
    params: dict[str, Any] = {}
    problems: list[str] = []
    for word in words:
        name, sep, raw = word.partition("=")
        if not sep or not name:
            problems.append(f"expected name=value but received: {word!r}")
            continue
        param = by_name.get(name)
        if param is None:
            hint = did_you_mean(name, by_name)
            problems.append(f"no parameter {name!r}" + (f" ({hint})" if hint else ""))
            continue
        if name in params:
            problems.append(f"parameter {name!r}{GIVEN_TWICE}")
            continue
        value = _typed(param, raw)
        slider = param.get("kind") == "slider"
        near = off_steps(param, value) if slider and value is not None \
            and param["step"] > 0 else None
        if value is None:
            problems.append(f"{name}: expected {describe(param).split(': ', 1)[1]} "
                            f"but received: {raw!r}")
        elif slider and not param["min"] <= value <= param["max"]:
            problems.append(f"{name}: {raw} is outside the slider's range, {param['min']!r} to "
                            f"{param['max']!r}: the slider would show another value than the "
                            "chart")
        elif param.get("kind") == "select" and value not in param["choices"]:
            problems.append(f"{name}: {raw!r} is not one of its choices, "
                            f"{written(param['choices'])}")
        elif near is not None:
            second = round(param["min"] + param["step"], 10)  # (0.1 + 0.2 shown as 0.3)
            problems.append(f"{name}: {raw} is not one of the slider's steps ({param['min']!r}, "
                            f"{second!r}, ...): the slider would show another value than the "
                            f"chart; use {near[0]:g} or {near[1]:g}")
        else:
            params[name] = value
    return params, problems


def _typed(param: Mapping[str, Any], raw: str) -> Any:
    kind = param.get("kind")
    if kind == "checkbox":
        folded = raw.casefold()
        return True if folded in _TRUE else False if folded in _FALSE else None
    if kind == "slider":
        try:
            return int(raw) if integer_slider(param) else float(raw)
        except ValueError:
            return None
    return raw


def pack(chart: Mapping[str, Any]) -> dict[str, Any]:
    """The chart as embedded: an x list shared by every series is written once, as ``x_all``
    (page weight: a demo may plot several curves over hundreds of the same x values).

    Examples
    --------
    >>> pack({"title": "t", "series": [{"name": "a", "x": [1, 2], "y": [3, 4]},
    ...                                {"name": "b", "x": [1, 2], "y": [5, 6]}]})
    {'title': 't', 'series': [{'name': 'a', 'y': [3, 4]}, {'name': 'b', 'y': [5, 6]}], 'x_all': [1, 2]}
    """
    series = list(chart["series"])
    if len(series) < 2 or any(s["x"] != series[0]["x"] for s in series):
        return dict(chart)
    return {**chart, "series": [{k: v for k, v in s.items() if k != "x"} for s in series],
            "x_all": series[0]["x"]}


def demo_html(spec: demo_run.DemoSpec, params: Mapping[str, Any], result: Mapping[str, Any],
              element_id: str, searched: bool = True) -> str:
    """The block a page embeds: one line of raw HTML, so Markdown leaves it alone.

    The reading (``summary``) is page text; the chart data and metrics ride along as JSON in a
    ``<template>``, escaped by :func:`~lexigraph.text.script_json`. Not in a
    ``<script type="application/json">``: Material's instant navigation re-creates every inline
    script of the new page without its ``type``, so the data would run as JavaScript.
    """
    data = {"chart": pack(result["chart"]), "metrics": result["metrics"]}
    # (not searched: a term's own demo, which the search finds on the page that lists demos).
    # A <section>, not a <div>: Material's search parser tells elements apart by tag alone,
    # so the first inner <div> to close ended the exclusion, and the reading became the
    # term's search snippet.
    excluded = "" if searched else "data-search-exclude "
    return (
        f'<section class="lx-demo" id="{attr(element_id)}" data-lx-demo="{attr(spec.id)}" {excluded}'
        f'data-lx-params="{attr(demo_run.canonical(params))}" data-lx-state="static" '
        f'role="group" aria-labelledby="{attr(element_id)}-title">'
        f'<p class="lx-demo__title" id="{attr(element_id)}-title">'
        f'<span class="lx-demo__kicker">Live demo</span> {attr(spec.title)}</p>'
        f'<p class="lx-demo__desc">{attr(spec.description)}</p>'
        '<figure class="lx-demo__figure"><div class="lx-demo__chart"></div></figure>'
        f'<p class="lx-demo__summary">{attr(result["summary"])}</p>'
        '<div class="lx-demo__controls"></div>'
        f'<template class="lx-demo__data" data-search-exclude>{script_json(data)}</template>'
        "</section>"
    )


class Embedder:
    """Replaces demo fences in pages and renders term demos for one build.

    Parameters
    ----------
    demos : mapping of demo id to module path
        As found by :func:`lexigraph.demos.discover`.
    root : Path, optional
        The project folder; paths in fix hints are shown relative to it.
    withheld : collection of str, optional
        Demos a preview leaves out for problems of their modules, reported already: a page
        placing one goes without it, with no problem of its own ("unknown demo" misled).
    """

    def __init__(self, demos: Mapping[str, Path], root: Path | None = None,
                 withheld: Collection[str] = ()) -> None:
        self.demos = dict(demos)
        self.root = root
        self.withheld = frozenset(withheld)
        self.problems: list[Problem] = []

    def _available(self) -> str:
        return ", ".join(sorted(self.demos)) or "none (no modules in the demos folder)"

    def _add(self, problem: Problem) -> None:
        if problem not in self.problems:
            self.problems.append(problem)

    def render(self, demo_id: str, words: list[str], where: Path, line: int | None,
               element_id: str, searched: bool = True) -> str | None:
        """HTML for one placement, or ``None`` after recording a problem at ``where:line``."""
        path = self.demos.get(demo_id)
        if path is None and demo_id in self.withheld:
            return None
        if path is None:
            hint = did_you_mean(demo_id, self.demos)
            self.problems.append(Problem(
                where, line, f"unknown demo {demo_id!r}",
                (hint + "; " if hint else "") + f"available demos: {self._available()}"))
            return None
        bad: list[str] = []
        try:
            spec, _ = demo_run.load(demo_id, path)
            params, bad = parse_params(spec.params, words)
            # Also when some words are bad: the demo's own checks of the values that could be
            # read report the rest, so the author sees every problem at once.
            result = demo_run.run(demo_id, path, params)
        except demo_run.BrokenDemo as exc:  # every demo module is checked: said once
            for problem in exc.problems:
                self._add(problem)
            if exc.params is not None:  # what the placement gets wrong, in the same report
                self._report(demo_id, exc.params, parse_params(exc.params, words)[1], where,
                             line)
            return None
        except demo_run.DemoFailure as exc:
            if exc.path is not None:  # run() itself failed: the fix is in the demo's code
                used = Problem(resolved(where), line, "").location(self.root)
                self._add(Problem(exc.path, exc.line, exc.message,
                                  f"{exc.hint}{_PLACED.format(used)}"))
                self._report(demo_id, spec.params, bad, where, line)  # (the fence's own, too)
                return None
            bad = [*bad, *exc.message.split("\n")]
        if bad:
            self._report(demo_id, spec.params, bad, where, line)
            return None
        return demo_html(spec, params, result, element_id, searched)

    def _report(self, demo_id: str, params: list[dict[str, Any]], bad: list[str], where: Path,
                line: int | None) -> None:
        """The problems ``bad`` of one placement, each with a fix naming what it is about."""
        for message in bad:
            named = [p for p in params  # "depth: ..." or "... 'depth' ..."
                     if message.startswith(p["name"] + ":") or repr(p["name"]) in message]
            # (twice: each value may be right, and setting either in range does not help)
            hint = (f"remove one of the two {named[0]['name']}=... (a fence sets each "
                    "parameter once)" if named and message.endswith(GIVEN_TWICE)
                    else fix_hint(named, params))
            self.problems.append(Problem(where, line, f"demo {demo_id!r}: {message}", hint))

    def replace_fences(self, markdown: str, where: Path, line_offset: int = 0) -> str:
        """``markdown`` with every demo fence replaced by the demo's HTML.

        ``line_offset`` is added to line numbers in problems (for text that starts inside a
        larger file, such as a term body after its front matter).
        """
        if "demo" not in markdown:
            return markdown
        fences, unclosed = find_fences(markdown)
        for line in unclosed:
            self.problems.append(Problem(where, line + line_offset, "this demo fence is never closed",
                                         "end it with a line of three backticks"))
        lines = markdown.split("\n")
        for n, fence in reversed(list(enumerate(fences, start=1))):
            html = None
            try:
                words = shlex.split(fence.words)
            except ValueError as exc:
                self.problems.append(Problem(where, fence.line + line_offset,
                                             f"cannot read the demo fence: {exc}",
                                             "quote values with spaces as name=\"a b\""))
                words = []
            if not words:
                if fence.words.strip() == "":
                    self.problems.append(Problem(
                        where, fence.line + line_offset, "this demo fence names no demo",
                        f"write ```demo <id> name=value ...```; available demos: "
                        f"{self._available()}"))
            else:
                html = self.render(words[0], words[1:], where, fence.line + line_offset,
                                   f"lx-demo-{n}")
            lines[fence.start:fence.end] = ["", html or "", ""]
        return "\n".join(lines)

    def specs_json(self) -> str:
        """``demos.json``: every demo's title, description and parameters, keyed by id."""
        specs = {}
        for demo_id, path in sorted(self.demos.items()):
            try:
                specs[demo_id] = demo_run.load(demo_id, path)[0].public()
            except demo_run.BrokenDemo as exc:
                for problem in exc.problems:
                    self._add(problem)
        return json.dumps(specs, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def check_placements(demos: Mapping[str, Path], placements: Iterable[Placement],
                     root: Path | None = None) -> list[Problem]:
    """Every problem of these demo placements, found as a build would (each demo runs once for
    its parameters, with CPython): the build reports them at once, before it writes anything.

    A placement is ``(file, Markdown text, line of the text's first line in the file, the
    id of a demo attached to the whole text or None, the line naming that id)``.
    """
    embedder = Embedder(demos, root)
    for where, text, first_line, attached, attached_line in placements:
        if attached is not None and attached in demos:  # an unknown id is reported elsewhere
            embedder.render(attached, [], where, attached_line, "lx-demo-0")
        embedder.replace_fences(text, where, first_line - 1)
    return embedder.problems


_PLACED = " (as the demo placed at {} calls it)"
_PLACED_END = re.compile(r" \(as the demo placed at (.+) calls it\)$")


def merge_placements(problems: list[Problem]) -> list[Problem]:
    """``problems`` with those of one failure of ``run()`` met at several placements (the
    same call fails alike) as one, naming every placement, where the first stood.

    >>> p = [Problem(Path("d.py"), 9, "run() failed", f"fix it{_PLACED.format(w)}")
    ...      for w in ("a.md:3", "b.md:7")]
    >>> [x.hint for x in merge_placements(p)]
    ['fix it (as the demos placed at a.md:3 and b.md:7 call it)']
    """
    # Each problem, or each failure with the placements met at: in the order first met.
    merged: dict[object, tuple[Problem, list[str]]] = {}
    for index, problem in enumerate(problems):
        found = _PLACED_END.search(problem.hint)
        if found is None:
            merged[index] = (problem, [])
            continue
        key = (problem.path, problem.line, problem.message, problem.hint[:found.start()])
        merged.setdefault(key, (problem, []))[1].append(found.group(1))
    return [problem if len(placed) < 2 else replace(
                problem, hint=f"{_PLACED_END.sub('', problem.hint)} (as the demos placed at "
                              f"{listed(placed)} call it)")
            for problem, placed in merged.values()]


#: See :func:`check_placements`.
Placement = tuple[Path, str, int, "str | None", "int | None"]


def page_placements(pages: Iterable[Path]) -> Iterator[Placement]:
    """Those of the site's own ``pages`` that place a demo, as they are on disk (line 1 is the
    file's first line, front matter included). A file that cannot be read is left out: the
    build reports it when MkDocs reads the page."""
    for path in pages:
        text, _ = read_text(path)
        if text is not None and "demo" in text:
            yield path, text, 1, None, None


def source_files(demos: Mapping[str, Path]) -> list[Path]:
    """The demo modules and their helpers (``_*.py`` beside them) that "Show code" fetches.

    Only those on disk: the preview keeps the last good glossary while a demo has problems,
    and one of its modules may just have been renamed or deleted (copying it failed the
    rebuild, and MkDocs then held every request)."""
    found = {p for path in demos.values()
             for p in (path, *(m for m in module_files(path.parent) if m.name.startswith("_")))}
    return sorted((p for p in found if p.is_file()), key=lambda p: p.name)


def body_offset(markdown: str, body: str, body_line: int) -> int:
    """Line offset that maps a line of ``markdown`` back to the term file ``body`` came from.

    Examples
    --------
    >>> body_offset("# T\\n\\nbody\\n", "body", body_line=7)
    4
    """
    start = markdown.find(body.strip())
    if not body.strip() or start < 0:  # cannot happen for a generated term page
        return 0
    first = markdown.count("\n", 0, start) + 1
    return body_line + (len(body) - len(body.lstrip("\n"))) - first
