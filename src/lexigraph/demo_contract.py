"""The demo module contract, checked: ``TITLE``, ``TERMS``, ``PARAMS`` and ``run``.

A demo that breaks the contract must be a problem with its file, line and a fix, never a
traceback in the build or in the reader's browser. The values are those of the imported
module (``PARAMS`` may be computed); the lines come from its source, read with :mod:`ast`:
the line of the offending ``PARAMS`` entry (or of its key), else of the assignment.
"""

from __future__ import annotations

import ast
import difflib
import inspect
import json
import keyword
import math
import sys
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from .errors import Problem, did_you_mean

KINDS = ("slider", "select", "checkbox")
#: The keys each kind of parameter takes, the required ones first.
REQUIRED = {"slider": ("name", "kind", "min", "max", "step", "default"),
            "select": ("name", "kind", "choices", "default"),
            "checkbox": ("name", "kind", "default")}
OPTIONAL = ("label", "help", "applies_when")
#: The optional keys whose value is text.
TEXT = ("label", "help")
#: The kinds a parameter's ``applies_when`` may name: those with a few values to name.
DECIDING = ("select", "checkbox")
#: Names authors reach for, and the kind that does what they mean.
_KIND_SYNONYMS = {"dropdown": "select", "menu": "select", "choice": "select", "radio": "select",
                  "range": "slider", "number": "slider", "int": "slider", "float": "slider",
                  "toggle": "checkbox", "switch": "checkbox", "bool": "checkbox",
                  "boolean": "checkbox"}
_EXAMPLE = {"slider": '"min": 1, "max": 10, "step": 1, "default": 5',
            "select": '"choices": ["a", "b"], "default": "a"',
            "checkbox": '"default": False'}


#: What the page's Python has besides the standard library: the modules it loads, and those
#: Pyodide itself provides.
PAGE_PACKAGES = frozenset({"numpy", "pyodide", "js", "micropip", "pyodide_js"})
#: Modules of CPython's standard library the page's Python (Pyodide 0.27, Python 3.12) does not
#: have: removed from Pyodide, kept out of its runtime (loaded only on request, which the page
#: does not make), or gone from Python 3.12.
NOT_IN_PAGE = frozenset({
    "curses", "dbm", "ensurepip", "idlelib", "lib2to3", "tkinter", "turtle", "turtledemo",
    "venv", "ssl", "_ssl", "lzma", "_lzma", "sqlite3", "_sqlite3", "_hashlib", "test",
    "distutils", "imp", "asynchat", "asyncore", "smtpd"})
#: Modules the page's Python imports but cannot use: it has no processes, threads or network.
NOT_WORKING = frozenset({"multiprocessing", "subprocess", "socket", "asyncio.subprocess"})


def shadows(stem: str) -> bool:
    """Whether a module named ``stem`` has the name of one the page's Python has already
    (its standard library, NumPy, Pyodide's own), which an import would find in its place.

    >>> shadows("random"), shadows("load_factor")
    (True, False)
    """
    return stem in sys.stdlib_module_names or stem in PAGE_PACKAGES


def module_name_problem(path: Path, taken: Collection[str] = ()) -> Problem | None:
    """A problem if the file's name cannot be imported as a module (the browser imports it),
    or is the name of a module the page's Python has already, which an import would find
    instead (in ``lexigraph check`` too: every import of that name, in every demo, would find
    this file). ``taken``: the names of the folder's other modules, which a new name must not
    be.

    Examples
    --------
    >>> module_name_problem(Path("demos/load_factor.py")) is None
    True
    >>> module_name_problem(Path("demos/load-factor.py")).hint
    "rename it to load_factor.py; its id stays 'load-factor'"
    >>> module_name_problem(Path("demos/random.py")).hint
    "rename it, e.g. to random_demo.py (its id becomes 'random-demo')"
    """
    stem = path.stem
    if shadows(stem):
        what = "NumPy" if stem == "numpy" else "Pyodide's" if stem in PAGE_PACKAGES else \
            "Python's standard library"
        return Problem(path, None, f"{path.name!r} has the name of a module of {what} "
                       f"({stem}): `import {stem}`, in the page and in every demo here, would "
                       "find one of the two in the other's place",
                       f"rename it, e.g. to {stem}_demo.py"
                       + ("" if stem.startswith("_") else
                          f" (its id becomes {stem.replace('_', '-') + '-demo'!r})"))
    if stem.isidentifier() and not keyword.iskeyword(stem):
        return None
    fixed = "".join(c if c.isalnum() or c == "_" else "_" for c in stem)
    if not fixed.isidentifier() or keyword.iskeyword(fixed):
        fixed = "demo_" + fixed
    message = (f"{path.name!r} is not a Python module name: the page imports the demo as a "
               "module, so it would fail in the browser with ModuleNotFoundError")
    if fixed in taken:  # (load-factor.py beside load_factor.py)
        return Problem(path, None, message + f", and {fixed}.py has its id already",
                       f"keep one of the two: merge it into {fixed}.py, or give it another "
                       "name with _ between words")
    return Problem(path, None, message,
                   f"rename it to {fixed}.py; its id stays {fixed.replace('_', '-')!r}")


def import_problems(path: Path, local: Collection[str]) -> list[Problem]:
    """What the module imports that the page's Python lacks (it has NumPy, the standard
    library and the modules of the demos folder, ``local``), and the files it reads beside
    itself (``__file__``), which the page does not have: each at its line. ``lexigraph check``
    runs the demos with this machine's Python, which may well have them."""
    try:
        tree = ast.parse(path.read_bytes(), str(path))
    except (SyntaxError, ValueError, OSError):  # (the import reports it)
        return []
    problems = []
    # An import guarded by `except ImportError` (or a broader except) has a way on without it.
    guarded = {id(inner) for node in ast.walk(tree) if isinstance(node, ast.Try)
               and any(_catches_import_error(h.type) for h in node.handlers)
               for stmt in node.body for inner in ast.walk(stmt)}
    read_file = False
    for node in ast.walk(tree):
        if id(node) in guarded:
            continue
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 \
            and node.module else []
        for name in names:
            top = name.split(".")[0]
            if top in local or top in PAGE_PACKAGES:
                continue
            if top in NOT_IN_PAGE or top in NOT_WORKING or name in NOT_WORKING:
                why = ("which the page's Python (Pyodide) does not have" if top in NOT_IN_PAGE
                       else "which cannot work in the page: it has no processes, threads or "
                            "network")
            elif top not in sys.stdlib_module_names:
                why = "which the page does not have: it loads NumPy and Python's standard library"
            else:
                continue
            problems.append(Problem(path, node.lineno, f"the demo imports {name!r}, {why}",
                                    "compute it with NumPy and the standard library, in run()"))
        if isinstance(node, ast.Name) and node.id == "__file__" and not read_file:
            read_file = True  # (said once)
            problems.append(Problem(
                path, node.lineno, "the demo reads files beside it (__file__): the page has "
                "the demos folder's modules only", "put the data in the module, as a Python "
                "literal, or compute it in run()"))
    return sorted(problems, key=lambda p: p.line or 0)


def _catches_import_error(caught: ast.expr | None) -> bool:
    """Whether an ``except`` clause catches a failed import (a bare ``except`` does)."""
    if caught is None:
        return True
    names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
    return any(isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError",
                                                     "Exception", "BaseException")
               for n in names)


class Source:
    """Where each top-level name of a module is set, and the items of list literals."""

    def __init__(self, path: Path) -> None:
        self.nodes: dict[str, ast.stmt] = {}
        try:
            tree = ast.parse(path.read_bytes(), str(path))
        except (SyntaxError, ValueError, OSError):  # then the import reports it
            return
        for stmt in tree.body:
            targets: list[ast.expr] = []
            if isinstance(stmt, ast.Assign):
                targets = stmt.targets
            elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
                targets = [stmt.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names = [stmt.name]
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                names = [(a.asname or a.name).split(".")[0] for a in stmt.names]
            for name in names:  # the last one wins, as when the module runs
                self.nodes[name] = stmt

    def line(self, name: str) -> int | None:
        stmt = self.nodes.get(name)
        return stmt.lineno if stmt is not None else None

    def item_line(self, name: str, index: int, count: int, key: str | None = None) -> int | None:
        """The line of item ``index`` of the list ``name`` (of ``count`` items), or of its
        ``key`` when the item is a dict literal; else the line of the assignment."""
        stmt = self.nodes.get(name)
        items = _literal_items(stmt.value) if isinstance(stmt, (ast.Assign, ast.AnnAssign)) \
            and stmt.value is not None else None
        if items is None or len(items) != count:
            return self.line(name)
        item = items[index]
        if key is not None and isinstance(item, ast.Dict):
            for k in item.keys:
                if isinstance(k, ast.Constant) and k.value == key:
                    return k.lineno
        return item.lineno


def _literal_items(node: ast.expr) -> list[ast.expr] | None:
    """The items of a list written out (``[a, b] + [c]``); ``None`` if they cannot be counted."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return None if any(isinstance(e, ast.Starred) for e in node.elts) else list(node.elts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal_items(node.left), _literal_items(node.right)
        return None if left is None or right is None else left + right
    return None


def _kind_of(value: Any) -> str:
    return "None" if value is None else type(value).__name__


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def check_module(path: Path, module: ModuleType) -> list[Problem]:
    """Every way the imported demo ``module`` (from ``path``) breaks the contract, but for
    ``TERMS`` naming unknown terms (see :func:`check_terms`, which needs the glossary)."""
    src = Source(path)
    problems: list[Problem] = []

    def add(line: int | None, message: str, hint: str) -> None:
        problems.append(Problem(path, line, message, hint))

    title = getattr(module, "TITLE", None)
    if title is None:
        add(None, "the demo has no TITLE",
            'add TITLE = "What the chart shows" (the heading of the demo)')
    elif not isinstance(title, str) or not title.strip():
        add(src.line("TITLE"), f"TITLE must be a non-empty string but is {title!r}",
            'write TITLE = "What the chart shows"')
    terms = getattr(module, "TERMS", [])
    if not isinstance(terms, (list, tuple)) or not all(isinstance(t, str) for t in terms):
        add(src.line("TERMS"), f"TERMS must be a list of term slugs but is {terms!r}",
            'write TERMS = ["vanishing-gradient"] (file names of entries, without .md)')
    params = getattr(module, "PARAMS", None)
    if params is None:
        add(None, "the demo has no PARAMS",
            "add PARAMS = [] (no controls) or a list of parameter dicts (see Lexigraph's README, "
            "'Adding a demo')")
    elif not isinstance(params, (list, tuple)):
        add(src.line("PARAMS"), f"PARAMS must be a list of parameter dicts but is a "
            f"{_kind_of(params)}", "write PARAMS = [{\"name\": ..., \"kind\": ..., ...}, ...]")
    else:
        problems += _check_params(path, src, list(params))
    problems += _check_run(path, src, getattr(module, "run", None),
                           params if isinstance(params, (list, tuple)) else [])
    return problems


def _check_run(path: Path, src: Source, run: Any, params: list[Any]) -> list[Problem]:
    define = "define def run(**params) -> dict returning {\"chart\": ..., \"summary\": ..., " \
             "\"metrics\": ...}"
    if run is None:
        return [Problem(path, None, "the demo has no run() function", define)]
    if not callable(run):
        return [Problem(path, src.line("run"), f"'run' must be a function but is {run!r}", define)]
    try:
        signature = inspect.signature(run)
    except (TypeError, ValueError):
        return []
    line = src.line("run")
    args = signature.parameters
    if any(a.kind is a.VAR_KEYWORD for a in args.values()):
        return []
    names = [p["name"] for p in params if isinstance(p, dict) and isinstance(p.get("name"), str)]
    problems = []
    for name in names:
        if not name.isidentifier() or keyword.iskeyword(name):
            continue  # (reported with PARAMS: no argument can have that name)
        arg = args.get(name)
        if arg is None or arg.kind not in (arg.POSITIONAL_OR_KEYWORD, arg.KEYWORD_ONLY):
            problems.append(Problem(path, line, f"run() does not take the parameter {name!r}, "
                                    "and the build passes every parameter",
                                    f"add {name} to run's arguments, or take run(**params)"))
    for name, arg in args.items():
        if name not in names and arg.default is arg.empty and arg.kind not in (
                arg.VAR_POSITIONAL, arg.VAR_KEYWORD):
            problems.append(Problem(path, line, f"run() requires {name!r}, which is not in PARAMS",
                                    f"give {name} a default, or declare it in PARAMS"))
    return problems


def _check_params(path: Path, src: Source, params: list[Any]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, param in enumerate(params):
        def add(message: str, hint: str, key: str | None = None, i: int = i) -> None:
            problems.append(Problem(path, src.item_line("PARAMS", i, len(params), key),
                                    message, hint))

        if not isinstance(param, dict):
            add(f"PARAMS item {i + 1} must be a dict but is a {_kind_of(param)}",
                '{"name": "depth", "kind": "slider", ' + _EXAMPLE["slider"] + "}")
            continue
        name = param.get("name")
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            fixed = "".join(c if c.isalnum() else "_" for c in name) if isinstance(name, str) \
                else ""
            if keyword.iskeyword(fixed):  # (class, lambda: no argument can be named so)
                fixed += "_"
            add(f"PARAMS item {i + 1}: 'name' must be a Python identifier but is {name!r}"
                + (" (a Python keyword)" if isinstance(name, str) and keyword.iskeyword(name)
                   else ""),
                "run() receives it as a keyword argument and a fence writes it as name=value: "
                + (f"write \"name\": {fixed!r}" if fixed.isidentifier() else
                   'write "name": "depth" (letters, digits, underscores)'), "name")
            label = f"PARAMS item {i + 1}"
        else:
            label = f"parameter {name!r}"
            if name in seen:
                add(f"{label} is declared twice (PARAMS items {seen[name] + 1} and {i + 1})",
                    "rename or remove one of them", "name")
            seen.setdefault(name, i)
        kind = param.get("kind")
        if kind not in KINDS:
            hint = (f"use \"kind\": \"{_KIND_SYNONYMS[kind.casefold()]}\""
                    if isinstance(kind, str) and kind.casefold() in _KIND_SYNONYMS
                    else did_you_mean(kind, KINDS) if isinstance(kind, str) else "")
            add(f"{label}: 'kind' must be one of {list(KINDS)} but is {kind!r}",
                (hint + "; " if hint else "") + "a slider takes min, max, step; a select "
                "takes choices; a checkbox is on or off", "kind" if "kind" in param else None)
            continue
        meant = set()  # keys an unknown key is a misspelling of: said once, there
        for key in param:
            if key not in REQUIRED[kind] and key not in OPTIONAL:
                allowed = [*REQUIRED[kind], *OPTIONAL]
                close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.75)
                meant.update(close)
                add(f"{label}: a {kind} has no key {key!r}",
                    (f"did you mean {close[0]!r}? " if close else "remove it; ")
                    + f"a {kind} takes " + ", ".join(allowed), str(key))
        missing = [k for k in REQUIRED[kind] if k not in param and k not in meant
                   and k != "name"]  # (a missing name is said above)
        if missing:
            add(f"{label}: a {kind} needs {', '.join(repr(k) for k in missing)}",
                f"add {', '.join(repr(k) + ': ...' for k in missing)} (for example "
                f"{_EXAMPLE[kind]})")
        for key in TEXT:
            if key in param and not isinstance(param[key], str):
                add(f"{label}: {key!r} must be a string but is {param[key]!r}",
                    f"write \"{key}\": \"...\" or leave it out", key)
        if not missing and not meant:
            check = {"slider": _slider, "select": _select, "checkbox": _checkbox}[kind]
            for message, hint, key in check(param):
                add(f"{label}: {message}", hint, key)
    return problems + _check_conditions(path, src, params)


def _check_conditions(path: Path, src: Source, params: list[Any]) -> list[Problem]:
    """Every ``applies_when`` that the page could not follow: it must map other parameters,
    selects or checkboxes, to the value (or the list of values) under which this one is used,
    as ``{"init": "normal"}``. The page disables the control while it does not apply; a
    condition naming a parameter or a value that does not exist would leave it disabled for
    good, or never."""
    by_name = {p["name"]: p for p in params
               if isinstance(p, dict) and isinstance(p.get("name"), str)}
    problems: list[Problem] = []
    for i, param in enumerate(params):
        if not isinstance(param, dict) or "applies_when" not in param:
            continue
        line = src.item_line("PARAMS", i, len(params), "applies_when")
        name, when = param.get("name"), param["applies_when"]
        label = f"parameter {name!r}" if isinstance(name, str) else f"PARAMS item {i + 1}"
        if not isinstance(when, dict) or not when:
            problems.append(Problem(
                path, line, f"{label}: 'applies_when' must be a mapping of another parameter's "
                f"name to a value but is {when!r}", 'write "applies_when": {"init": "normal"} '
                "(the control is used only while the parameter init is \"normal\")"))
            continue
        for other, wanted in when.items():
            problem = _condition_problem(name, other, wanted, by_name)
            if problem is not None:
                problems.append(Problem(path, line, f"{label}: 'applies_when' {problem[0]}",
                                        problem[1]))
    return problems


def _condition_problem(name: Any, other: Any, wanted: Any,
                       by_name: Mapping[str, dict[str, Any]]) -> tuple[str, str] | None:
    """What is wrong with one condition ``other: wanted`` of parameter ``name``, as (message,
    hint), or ``None``."""
    if other == name:
        return (f"names the parameter itself ({other!r})",
                "name the select or checkbox that decides whether this parameter is used")
    target = by_name.get(other) if isinstance(other, str) else None
    if target is None:
        others = [n for n in by_name if n != name]
        return (f"names {other!r}, which is not a parameter of PARAMS",
                (did_you_mean(other, others) if isinstance(other, str) else "")
                or f"name one of {', '.join(others) or 'the other parameters'}")
    kind = target.get("kind")
    if kind not in DECIDING:
        return (f"names {other!r}, a {kind}: a parameter can depend on a select or a checkbox",
                "make the condition a select or a checkbox, or leave 'applies_when' out")
    values = list(wanted) if isinstance(wanted, (list, tuple)) else [wanted]
    if kind == "checkbox":
        allowed: list[Any] = [True, False]
        bad = [v for v in values if not isinstance(v, bool)]
    else:
        allowed = list(target.get("choices") or [])
        if not all(isinstance(c, str) for c in allowed):
            return None  # (its choices are reported with it)
        bad = [v for v in values if not isinstance(v, str) or v not in allowed]
    if not values:
        return (f"gives {other!r} no value", f"give one of {', '.join(map(repr, allowed))}")
    if bad:
        close = did_you_mean(bad[0], allowed) if kind == "select" and isinstance(bad[0], str) \
            else ""
        return (f"gives {other!r} the value {bad[0]!r}, which is not one of its "
                f"{'choices' if kind == 'select' else 'values'} {allowed}",
                (close + " " if close else "") + f"write one of {', '.join(map(repr, allowed))}"
                + (", or a list of them" if kind == "select" else ""))
    return None


_Found = list[tuple[str, str, "str | None"]]


def _slider(p: dict[str, Any]) -> _Found:
    found: _Found = []
    bad = [k for k in ("min", "max", "step", "default") if not _number(p[k])]
    for key in bad:
        found.append((f"{key!r} must be a number but is {p[key]!r}",
                      f"write \"{key}\": a number, such as {_EXAMPLE['slider']}", key))
    if bad:
        return found
    lo, hi, step, default = p["min"], p["max"], p["step"], p["default"]
    if step <= 0:
        found.append((f"'step' must be greater than 0 but is {step!r}",
                      "write the increment between two slider positions, such as \"step\": 1",
                      "step"))
    if lo >= hi:
        found.append((f"'min' ({lo!r}) must be less than 'max' ({hi!r})",
                      "swap them, or widen the range", "min"))
        return found
    if step > hi - lo:
        found.append((f"'step' {step!r} is more than the range from 'min' to 'max' "
                      f"({lo!r} to {hi!r}): the slider has one position",
                      f"make the step at most {hi - lo:g}, e.g. \"step\": "
                      + (f"{max(1, (hi - lo) // 10)}" if isinstance(lo, int) and isinstance(hi, int)
                         else f"{(hi - lo) / 10:g}"),
                      "step"))
        return found
    if integer_slider(p) and not isinstance(default, int):
        found.append((f"'default' must be an integer, as min, max and step are, but is "
                      f"{default!r}", f"write \"default\": {round(default)}", "default"))
    elif not lo <= default <= hi:
        found.append((f"'default' {default!r} is outside [{lo!r}, {hi!r}]",
                      f"set \"default\" to a value from {lo!r} to {hi!r}", "default"))
    elif step > 0 and (near := off_steps(p, default)) is not None:
        found.append((f"'default' {default!r} is not on the slider's steps "
                      f"({lo!r}, {round(lo + step, 10)!r}, ...): the slider would show "
                      "another value than the chart",
                      "set \"default\" to " + " or ".join(f"{v:g}" for v in near if lo <= v <= hi)
                      + ", or change 'min' or 'step'",
                      "default"))
    return found


def off_steps(param: Mapping[str, Any], value: float) -> tuple[float, float] | None:
    """The two slider positions around ``value`` if it is not one of them, else ``None``: a
    browser's range input moves such a value to a step, so its slider and the chart drawn
    for the value would disagree.

    >>> off_steps({"min": 1, "step": 0.5}, 3.3)
    (3.0, 3.5)
    >>> off_steps({"min": 1, "step": 0.5}, 3.5) is None
    True
    """
    lo, step = param["min"], param["step"]
    if abs((value - lo) / step - round((value - lo) / step)) <= 1e-9:
        return None
    below = lo + math.floor((value - lo) / step) * step
    return below, below + step


def _select(p: dict[str, Any]) -> _Found:
    choices = p["choices"]
    if not isinstance(choices, (list, tuple)) or not choices \
            or not all(isinstance(c, str) for c in choices):
        return [(f"'choices' must be a non-empty list of strings but is {choices!r}",
                 "write \"choices\": [\"a\", \"b\"] (the page sends the chosen string)",
                 "choices")]
    found: _Found = []
    twice = sorted({c for c in choices if list(choices).count(c) > 1})
    if twice:
        found.append((f"'choices' lists {', '.join(map(repr, twice))} more than once",
                      "list each choice once", "choices"))
    default = p["default"]
    if default not in choices:
        close = did_you_mean(default, choices) if isinstance(default, str) else ""
        hint = (close + " " if close else "") + f"set \"default\" to one of {written(choices)}"
        if not isinstance(default, str) and str(default) in choices:  # 0 for "0"
            hint = f"write \"default\": {written([str(default)])} (in quotes: the choices are " \
                   "strings)"
        found.append((f"'default' {default!r} is not one of its choices {list(choices)}", hint,
                      "default"))
    return found


def written(choices: Iterable[str]) -> str:
    """A select's choices as a fix names them: in quotes, as they are written (``"0"``, not
    ``0``, which is another value), in a module and in a fence alike.

    >>> written(["0", "two words"])
    '"0", "two words"'
    """
    return ", ".join(json.dumps(c, ensure_ascii=False) for c in choices)


def _checkbox(p: dict[str, Any]) -> _Found:
    if isinstance(p["default"], bool):
        return []
    return [(f"'default' must be True or False but is {p['default']!r}",
             "write \"default\": True or \"default\": False", "default")]


def check_terms(path: Path, terms: list[str], slugs: Collection[str],
                names: Mapping[str, tuple[str, str]] | None = None) -> list[Problem]:
    """``TERMS`` naming entries that do not exist (``slugs``: the glossary's file names;
    ``names``: each title and alias, case-folded, with its entry's slug and which it is, for
    a term named by its title, or by its old slug that is now an alias).

    >>> [p.hint for p in check_terms(Path("d.py"), ["silu"], {"swish"}, {"silu": ("swish", "alias")})]
    ["'silu' is the alias of 'swish.md': write 'swish'"]
    """
    src = Source(path)
    problems = []
    for i, slug in enumerate(terms):
        if slug not in slugs:
            owner = (names or {}).get(slug.strip().casefold())
            hint = (f"{slug!r} is the {owner[1]} of '{owner[0]}.md': write {owner[0]!r}"
                    if owner is not None else did_you_mean(slug, slugs)
                    or "name entries by their file name without .md (glossary/relu.md is "
                    "'relu'), or remove it")
            problems.append(Problem(path, src.item_line("TERMS", i, len(terms)),
                                    f"TERMS: no entry has the slug {slug!r}", hint))
    return problems


def placeable(params: Any) -> list[dict[str, Any]] | None:
    """What a fence's values can be checked against while the module has problems (the
    author sees those of its placements in the same report): each named parameter of
    ``PARAMS`` as it is, when its kind and its range or choices are sound, else by its name
    alone (``"kind": None``, which takes any value); ``None`` when ``PARAMS`` is no list.

    >>> placeable([{"name": "n", "kind": "slider", "min": 2, "max": 8, "step": 0, "default": 9},
    ...            {"name": "on", "kind": "checkbox", "default": "yes"}, "junk"])
    [{'name': 'n', 'kind': None}, {'name': 'on', 'kind': 'checkbox', 'default': 'yes'}]
    """
    if not isinstance(params, (list, tuple)):
        return None
    found = []
    for p in params:
        if not isinstance(p, dict) or not isinstance(p.get("name"), str):
            continue
        kind = p.get("kind")
        if kind == "slider":
            sound = all(_number(p.get(k)) for k in ("min", "max", "step")) \
                and p["step"] > 0 and p["min"] < p["max"]
        elif kind == "select":
            choices = p.get("choices")
            sound = isinstance(choices, (list, tuple)) and bool(choices) \
                and all(isinstance(c, str) for c in choices)
        else:
            sound = kind == "checkbox"
        found.append(p if sound else {"name": p["name"], "kind": None})
    return found


def integer_slider(param: Mapping[str, Any]) -> bool:
    """Whether a slider's values are integers: its ``min``, ``max`` and ``step`` all are.

    >>> integer_slider({"min": 2, "max": 60, "step": 1})
    True
    >>> integer_slider({"min": 0, "max": 1, "step": 0.5})
    False
    """
    return all(isinstance(param[k], int) for k in ("min", "max", "step"))


def filled(params: list[dict[str, Any]], given: Mapping[str, Any]) -> dict[str, Any]:
    """``given`` with every other parameter at its default, as the page sends them: a float
    slider's value as a float (the browser's worker does the same with JSON's numbers).

    Examples
    --------
    >>> spec = [{"name": "x", "kind": "slider", "min": 0.0, "max": 2.0, "step": 0.5,
    ...          "default": 1}, {"name": "on", "kind": "checkbox", "default": False}]
    >>> filled(spec, {"on": True})
    {'x': 1.0, 'on': True}
    """
    out = {p["name"]: given.get(p["name"], p["default"]) for p in params}
    for p in params:
        value = out[p["name"]]
        if p["kind"] == "slider" and isinstance(value, int) and not isinstance(value, bool) \
                and not integer_slider(p):
            out[p["name"]] = float(value)
    out.update({k: v for k, v in given.items() if k not in out})
    return out
