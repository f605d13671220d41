"""Run demo modules with CPython at build time: the result a page shows before Python loads.

A demo is a plain module in the demos folder (see ``demos/``); it imports its helpers as
top-level modules (``from _params import validate``), so the folder is put on ``sys.path`` while
a demo is imported or run, and the helpers are dropped from ``sys.modules`` afterwards so that
an edit is seen by the next build of ``mkdocs serve``.

Results, and failures, are cached by (source digest, parameters) for the life of the process:
within one build and across the rebuilds of ``mkdocs serve``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import re
import signal
import sys
import threading
import traceback
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from . import demo_contract
from .demos import module_files
from .errors import Problem

#: ``(demo id, digest, canonical params) -> result``; shared by every build in the process.
_RESULTS: dict[tuple[str, str, str], dict[str, Any]] = {}
#: ``(module path, digest, canonical params) -> (message, path, line, hint)`` of a failure:
#: the same until the source changes. (Its words, not the exception, whose traceback would
#: keep everything the failed run made.)
_FAILURES: dict[tuple[str, str, str], tuple[str, Path | None, int | None, str]] = {}
_MODULES: dict[tuple[str, str], ModuleType] = {}
_CACHE_LIMIT = 2048
#: The most JSON a demo's result may be: the page carries the first result, and draws a new
#: one on every change of a control (the demos here return 2 to 17 KB).
RESULT_LIMIT = 256 * 1024
#: Seconds a demo's run() may take at build time: the page runs it again on every change of a
#: control, in Pyodide, which is slower still (its NumPy has no BLAS).
RUN_LIMIT = 10.0


class _TooSlow(BaseException):
    """Raised inside a run() that goes on past :data:`RUN_LIMIT` (not an ``Exception``: a
    demo's ``except Exception`` must not catch it and run on)."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the code run in the block after ``seconds`` with :class:`_TooSlow` (where
    the process may: in its main thread, with SIGALRM, when nothing else has set the alarm;
    elsewhere, as under `mkdocs serve`'s rebuilds, the block runs unlimited)."""
    if not hasattr(signal, "setitimer") \
            or threading.current_thread() is not threading.main_thread() \
            or signal.getitimer(signal.ITIMER_REAL)[0] > 0:  # (another's alarm: left alone)
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:  # (even if the alarm went off just now)
            signal.signal(signal.SIGALRM, previous)


class DemoFailure(Exception):
    """A demo could not be run; ``line`` points into the demo's file if known."""

    def __init__(self, message: str, path: Path | None = None, line: int | None = None,
                 hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint


class BrokenDemo(DemoFailure):
    """The demo module cannot be imported or breaks the contract: every problem of it."""

    def __init__(self, problems: list[Problem], terms: list[str] | None = None,
                 params: list[dict[str, Any]] | None = None) -> None:
        super().__init__("\n".join(p.message for p in problems), problems[0].path,
                         problems[0].line)
        self.problems = problems
        #: Its ``TERMS`` when it could be imported (checked against the glossary even so).
        self.terms = terms or []
        #: Its parameters when it could be imported, for its placements' values to be checked
        #: even so (see :func:`demo_contract.placeable`); ``None`` when none is known.
        self.params = params


@dataclass(frozen=True)
class DemoSpec:
    """What a page needs to know about a demo besides its result."""

    id: str
    module: str
    path: Path
    title: str
    description: str
    params: list[dict[str, Any]]
    terms: list[str]
    digest: str

    def defaults(self) -> dict[str, Any]:
        return {p["name"]: p["default"] for p in self.params}

    def public(self) -> dict[str, Any]:
        """The JSON the browser builds the controls from (``terms`` is for the authors: no
        page reads it)."""
        return {"id": self.id, "module": self.module, "title": self.title,
                "description": self.description, "params": self.params}


def canonical(params: Mapping[str, Any]) -> str:
    """Parameters as a stable cache key.

    Examples
    --------
    >>> canonical({"b": 1, "a": True})
    '{"a":true,"b":1}'
    """
    return json.dumps(dict(params), sort_keys=True, separators=(",", ":"))


def digest(path: Path) -> str:
    """Hash of a demo module and every module beside it: a demo may import its helpers
    (``_*.py``) and other demos too, and a result cached under ``mkdocs serve`` must not
    outlive an edit of any of them."""
    return hashlib.sha256(path.name.encode() + b"\0" + _folder_digest(path.parent)).hexdigest()[:16]


_FOLDERS: dict[Path, tuple[tuple[tuple[str, int, int, int, int], ...], bytes]] = {}


def _folder_digest(folder: Path) -> bytes:
    """Hash of the modules of ``folder``, read again only when one changes (name, size,
    modification or change time, inode): every placement of every demo asks for it."""
    modules = module_files(folder)
    stamp = tuple((p.name, *_size_and_time(p)) for p in modules)
    known = _FOLDERS.get(folder)
    if known is not None and known[0] == stamp:
        return known[1]
    h = hashlib.sha256()
    for p in modules:
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    _FOLDERS[folder] = (stamp, h.digest())
    return h.digest()


def _size_and_time(path: Path) -> tuple[int, int, int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


@contextmanager
def _demos_importable(directory: Path) -> Iterator[None]:
    folder = str(directory.resolve())

    def ours() -> list[str]:
        return [name for name, mod in list(sys.modules.items())
                if str(getattr(mod, "__file__", "") or "").startswith(folder + "/")]

    # A helper imported by an earlier build (or by pytest's doctests) may be stale.
    for name in ours():
        del sys.modules[name]
    sys.path.insert(0, folder)
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path.remove(folder)
        for name in ours():
            del sys.modules[name]


def _where(exc: BaseException, directory: Path) -> tuple[Path | None, int | None]:
    """The innermost frame of ``exc`` inside the demos folder."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return Path(exc.filename), exc.lineno
    found: tuple[Path | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve().parent == directory.resolve():
            found = (Path(frame.filename), frame.lineno)
    return found


def load(demo_id: str, path: Path) -> tuple[DemoSpec, ModuleType]:
    """Import the demo at ``path`` (cached by digest) and read its module-level contract.

    Raises
    ------
    BrokenDemo
        When it cannot be imported or breaks the contract (see :mod:`demo_contract`).
    """
    key = (str(path), digest(path))
    module = _MODULES.get(key)
    if module is None:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        with _demos_importable(path.parent):
            sys.modules[path.stem] = module  # as an import would (dataclasses look it up)
            try:
                spec.loader.exec_module(module)
            except Exception as exc:
                where, line = _where(exc, path.parent)
                text = exc.msg if isinstance(exc, SyntaxError) else exc  # (no file, line)
                raise BrokenDemo([Problem(
                    where or path, line, f"the demo cannot be imported: {type(exc).__name__}: "
                    f"{text}", "correct the module until `python -c 'import "
                    f"{path.stem}'` run in {path.parent.name}/ succeeds; work belongs in run(), "
                    "not at import time")]) from None
        problems = demo_contract.check_module(path, module)
        if problems:
            terms = getattr(module, "TERMS", [])
            raise BrokenDemo(problems, [t for t in terms if isinstance(t, str)]
                             if isinstance(terms, (list, tuple)) else [],
                             demo_contract.placeable(getattr(module, "PARAMS", None)))
        for old in [k for k in _MODULES if k[0] == key[0]]:  # an earlier version of it
            del _MODULES[old]
        _MODULES[key] = module
    doc = (module.__doc__ or "").strip().splitlines()
    return DemoSpec(id=demo_id, module=path.stem, path=path, title=module.TITLE,
                    description=doc[0] if doc else "", params=list(module.PARAMS),
                    terms=list(getattr(module, "TERMS", [])), digest=key[1]), module


def run(demo_id: str, path: Path, params: Mapping[str, Any]) -> dict[str, Any]:
    """The demo's result for ``params``, computed once; a failure too is met once, and
    raised again for every other placement that asks (a run stopped after :data:`RUN_LIMIT`,
    placed twice, cost the build twice as long, and every rebuild of `mkdocs serve` as much).

    ``run()`` receives every parameter, those not in ``params`` at their default, as the page
    sends them (see :func:`demo_contract.filled`), so the first paint and a re-run in the
    browser call it alike.

    Raises
    ------
    BrokenDemo
        The module cannot be imported or breaks the contract.
    DemoFailure
        With the demo's own message for a ``ValueError`` (a bad parameter), and with the
        exception and the demo's file and line for anything else.
    """
    spec, module = load(demo_id, path)
    full = demo_contract.filled(spec.params, params)
    key = (demo_id, spec.digest, canonical(full))
    if key in _RESULTS:
        return _RESULTS[key]
    # (and by file: a failure names it, and a copy of the folder elsewhere has the same digest)
    failed_key = (str(path), spec.digest, key[2])
    failed = _FAILURES.get(failed_key)
    if failed is not None:  # (a new one each time: raising one again would grow its traceback)
        raise DemoFailure(*failed)
    try:
        result = _computed(module, path, full)
    except DemoFailure as exc:
        _keep(_FAILURES, failed_key, (exc.message, exc.path, exc.line, exc.hint))
        raise
    _keep(_RESULTS, key, result)
    return result


def _keep(cache: dict[tuple[str, str, str], Any], key: tuple[str, str, str], value: Any) -> None:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value


def _computed(module: ModuleType, path: Path, full: dict[str, Any]) -> dict[str, Any]:
    """``module.run(**full)``, checked against the contract (see :func:`run`)."""
    called = ", ".join(f"{k}={v!r}" for k, v in full.items())
    with _demos_importable(path.parent):
        try:
            with _time_limit(RUN_LIMIT):
                result = module.run(**full)
        except _TooSlow as exc:
            where, line = _where(exc, path.parent)
            raise DemoFailure(f"run() did not finish within {RUN_LIMIT:g} s", where or path, line,
                              f"make run({called}) faster (fewer points or steps): the page "
                              "runs it on every change of a control, more slowly") from None
        except ValueError as exc:
            raise DemoFailure(str(exc)) from None
        except Exception as exc:
            where, line = _where(exc, path.parent)
            raise DemoFailure(f"run() failed: {type(exc).__name__}: {exc}", where or path, line,
                              f"make run({called}) work") from None
    problems = check_result(result)
    # (where the result is made is not known: at least run() itself, for an editor's jump)
    line = getattr(getattr(module.run, "__code__", None), "co_firstlineno", None)
    if problems:
        raise DemoFailure("run() returned a result that breaks the contract: "
                          + "; ".join(problems), path, line,
                          f"make run({called}) return {{\"chart\": ..., \"summary\": ..., "
                          "\"metrics\": ...}, the dict described in Lexigraph's README, "
                          "'Adding a demo'")
    size = len(json.dumps(result, separators=(",", ":")))
    if size > RESULT_LIMIT:
        raise DemoFailure(f"run() returned {size / 1024:,.0f} KB of data, which the page "
                          "carries and draws again on every change of a control", path, line,
                          f"make run({called}) return fewer points (at most "
                          f"{RESULT_LIMIT // 1024} KB)")
    return result


def check_result(result: Any) -> list[str]:
    """What is wrong with a demo's return value (empty when it follows the contract).

    Examples
    --------
    >>> ok = {"chart": {"title": "t", "x": {"label": "x", "scale": "linear"},
    ...       "y": {"label": "y", "scale": "log"},
    ...       "series": [{"name": "a", "x": [1, 2], "y": [0.5, None]}]},
    ...       "summary": "s", "metrics": {"m": 1.0}}
    >>> check_result(ok)
    []
    >>> check_result({"chart": ok["chart"], "summary": 3, "metrics": {"m": float("nan")}})[0]
    "'summary' must be a string"
    >>> check_result({**ok, "metrics": {"m": float("nan")}})[0]
    "'metrics.m' is nan, not a finite number: replace it with a number, or None"
    >>> check_result({**ok, "chart": {**ok["chart"], "series": [{"name": "a", "x": [1], "y": 2}]}})
    ["'chart.series[0].y' must be a list but is an int"]
    >>> text = [{"name": "a", "x": ["a0"], "y": [1]}]
    >>> check_result({**ok, "chart": {**ok["chart"], "series": text}})[0]
    "'chart.series[0]' must hold numbers (or None for a gap) in 'x' and 'y' but holds 'a0'; ..."
    """
    if not isinstance(result, dict):
        return [f"run() must return a dict but returned {type(result).__name__}"]
    problems = []
    if not isinstance(result.get("summary"), str):
        problems.append("'summary' must be a string")
    if not isinstance(result.get("metrics"), dict):
        problems.append("'metrics' must be a mapping")
    chart = result.get("chart")
    if not isinstance(chart, dict):
        return [*problems, "'chart' must be a mapping"]
    if not isinstance(chart.get("title"), str):
        problems.append("'chart.title' must be a string")
    for axis in ("x", "y"):
        spec = chart.get(axis)
        if not isinstance(spec, dict) or spec.get("scale") not in ("linear", "log") \
                or not isinstance(spec.get("label"), str):
            problems.append(f"'chart.{axis}' must be {{'label': ..., 'scale': 'linear' | 'log'}}")
    series = chart.get("series")
    if not isinstance(series, list) or not series:
        problems.append("'chart.series' must be a non-empty list")
        series = []
    for i, s in enumerate(series):
        where = f"chart.series[{i}]"
        if not isinstance(s, dict):
            problems.append(f"'{where}' must be a mapping {{'name': ..., 'x': [...], 'y': [...]}} "
                            f"but is {_what(s)}")
            continue
        wrong = [(axis, s.get(axis)) for axis in ("x", "y") if not isinstance(s.get(axis), list)]
        for axis, value in wrong:
            if axis not in s:
                problems.append(f"'{where}' has no list {axis!r}")
            elif value is None or isinstance(value, (str, int, float, dict, tuple)):
                problems.append(f"'{where}.{axis}' must be a list but is {_what(value)}")
            # (else a NumPy array or the like: the check for JSON names it, and the fix)
        if wrong:
            continue
        if len(s["x"]) != len(s["y"]):
            problems.append(f"'{where}' must have lists 'x' and 'y' of equal length but they "
                            f"hold {len(s['x'])} and {len(s['y'])} values")
        elif not isinstance(s.get("name"), str):  # the legend and the chart's description
            problems.append(f"'chart.series[{i}].name' must be a string")
        else:  # numbers (None: a gap), which the chart can place on its axes
            bad = next((v for axis in ("x", "y") for v in s[axis]
                        if v is not None and (isinstance(v, bool)
                                              or not isinstance(v, (int, float)))), None)
            if bad is not None:
                problems.append(f"'chart.series[{i}]' must hold numbers (or None for a gap) in "
                                f"'x' and 'y' but holds {bad!r}; the chart would draw nothing")
    try:
        json.dumps(result, allow_nan=False)
    except (TypeError, ValueError) as exc:
        found = list(not_json(result))
        if not found:  # (a case the walk does not know: JSON's own words)
            return [*problems, f"it is not plain JSON ({exc}); convert NumPy values and NaN/inf"]
        more = "" if len(found) == 1 else " (and 1 more value JSON cannot hold)" \
            if len(found) == 2 else f" (and {len(found) - 1} more values JSON cannot hold)"
        problems.append(f"'{found[0][0]}' {found[0][1]}{more}")
    return problems


def _what(value: Any) -> str:
    """A value's kind as a message names it (``demo.js``' ``pythonWhat`` says it alike).

    >>> _what(None), _what(3), _what({})
    ('None', 'an int', 'a dict')
    """
    if value is None:
        return "None"
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def not_json(value: Any, path: str = "", _within: tuple[int, ...] = ()
             ) -> Iterator[tuple[str, str]]:
    """Each value in ``value`` that JSON cannot hold, depth first, as (its path, what it is and
    what to do): JSON's own error names neither the value nor where it is, and a NaN may be one
    point of one line among thousands. ``demo-worker.js`` says the same of edited code.
    (``_within``: the lists and dicts around ``value``, so that one holding itself is named,
    not walked for ever.)

    >>> [path for path, _ in not_json({"m": {"a": 1.5, "b": float("nan")}, "y": [[1, -1e999]]})]
    ['m.b', 'y[0][1]']
    >>> next(not_json({"chart": {"series": [{"y": [0.5, float("nan")]}]}}))[1]
    'is nan, not a finite number: replace it, or leave the point out (None: a gap in the line)'
    >>> loop = {"m": {}}; loop["m"]["me"] = loop["m"]
    >>> list(not_json(loop))
    [('m.me', 'holds what holds it, which JSON cannot write: put a copy there, or leave it out')]
    """
    if value is None or isinstance(value, (str, int)):  # (bool is an int)
        return
    if isinstance(value, (list, tuple, dict)):
        if id(value) in _within:
            yield path, ("holds what holds it, which JSON cannot write: put a copy there, or "
                         "leave it out")
            return
        _within = (*_within, id(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            in_line = re.fullmatch(r"chart\.series\[\d+\]\.[xy]\[\d+\]", path)
            yield path, (f"is {float(value)!r}, not a finite number: replace it"
                         + (", or leave the point out (None: a gap in the line)" if in_line
                            else " with a number, or None"))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from not_json(item, f"{path}[{i}]", _within)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, (str, int, float)) and key is not None:
                yield f"{path}[{key!r}]", "is a key JSON cannot hold: use strings as keys"
            elif isinstance(key, str) and key.isidentifier():
                yield from not_json(item, f"{path}.{key}" if path else key, _within)
            else:
                yield from not_json(item, f"{path}[{key!r}]", _within)
    else:
        kind = type(value)
        numpy = kind.__module__.split(".")[0] == "numpy"
        name = f"a NumPy {kind.__name__}" if numpy else _what(value) \
            if kind.__module__ == "builtins" else f"a {kind.__module__}.{kind.__qualname__}"
        how = "convert it with .tolist()" if hasattr(value, "tolist") else \
            "make it a list" if isinstance(value, (set, frozenset, range)) else \
            "convert it to numbers, strings, lists and dicts"
        yield path, f"is {name}, which JSON cannot hold: {how}"


def check_all(demos: Mapping[str, Path], slugs: Collection[str],
              names: Mapping[str, tuple[str, str]] | None = None) -> list[Problem]:
    """Every problem of every demo module, placed in a page or not: the build stops on them
    before it writes anything, rather than at ``demos.json`` after the site folder is cleaned.

    ``demos``: as found by :func:`lexigraph.demos.discover`; ``slugs``: the glossary's entries,
    which ``TERMS`` must name (``names``: see :func:`demo_contract.check_terms`). A module
    whose file name cannot be imported in the browser is a problem too, also when another file
    of the same id shadows it.
    """
    problems: list[Problem] = []
    folders = {path.parent for path in demos.values()}
    unusable: set[Path] = set()  # (folders where a module takes a standard module's name)
    for folder in sorted(folders):
        modules = module_files(folder)
        local = {p.stem for p in modules}
        for path in modules:
            bad_name = demo_contract.module_name_problem(path, local - {path.stem})
            if bad_name is not None:
                problems.append(bad_name)
                if not demo_contract.shadows(path.stem):
                    continue  # (not importable: the page never runs it)
                unusable.add(folder)
            problems += demo_contract.import_problems(path, local)
    for demo_id, path in sorted(demos.items()):
        if path.parent in unusable:
            continue  # every import of the standard module would find the demo instead
        try:
            spec, _ = load(demo_id, path)
        except BrokenDemo as exc:
            problems += exc.problems + demo_contract.check_terms(path, exc.terms, slugs, names)
            continue
        problems += demo_contract.check_terms(path, spec.terms, slugs, names)
    return problems
