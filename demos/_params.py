"""Shared helpers for the demo modules: parameter validation and JSON-safe output.

Not a demo itself (the leading underscore keeps it out of the demo list). Every demo imports it
as ``from _params import validate`` because the demos directory is put on ``sys.path`` both in
CPython and in Pyodide.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["validate", "jsonable", "floats", "positive_or_none", "fmt"]


def _describe(spec: dict[str, Any]) -> str:
    """What a parameter accepts, in the words of the error messages."""
    kind = spec["kind"]
    if kind == "slider":
        lo, hi, step = spec["min"], spec["max"], spec["step"]
        if _is_int_slider(spec):
            extra = "" if step == 1 else f" in steps of {step} from {lo}"
            return f"an integer in [{lo}, {hi}]{extra}"
        return f"a number in [{lo}, {hi}]"
    if kind == "select":
        return f"one of {list(spec['choices'])!r}"
    if kind == "checkbox":
        return "True or False"
    raise ValueError(f"{spec['name']}: unknown parameter kind {kind!r}")


def _is_int_slider(spec: dict[str, Any]) -> bool:
    return all(isinstance(spec[k], int) and not isinstance(spec[k], bool)
               for k in ("min", "max", "step"))


def _did_you_mean(value: Any, options: list[str]) -> str:
    if not isinstance(value, str):
        return ""
    import difflib   # only needed on the error path; keeps the import of every demo light

    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check(spec: dict[str, Any], value: Any) -> tuple[Any, str | None]:
    """Return ``(clean_value, None)`` or ``(None, error message)`` for one parameter."""
    name, kind = spec["name"], spec["kind"]
    problem = f"{name}: expected {_describe(spec)} but received: {value!r}"
    if kind == "checkbox":
        if isinstance(value, (bool, np.bool_)):
            return bool(value), None
        return None, problem
    if kind == "select":
        choices = list(spec["choices"])
        if isinstance(value, str) and value in choices:
            return value, None
        return None, problem + _did_you_mean(value, [str(c) for c in choices])
    # slider
    if isinstance(value, (bool, np.bool_)):
        return None, problem
    if _is_int_slider(spec):
        if not isinstance(value, (int, np.integer)):
            return None, problem
        value = int(value)
        if not spec["min"] <= value <= spec["max"] or (value - spec["min"]) % spec["step"]:
            return None, problem
        return value, None
    if not isinstance(value, (int, float, np.integer, np.floating)):
        return None, problem
    value = float(value)
    if not (math.isfinite(value) and spec["min"] <= value <= spec["max"]):
        return None, problem
    return value, None


def validate(params_spec: list[dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
    """Check ``params`` against a demo's ``PARAMS`` and fill in the defaults.

    Parameters
    ----------
    params_spec : list of dict
        The demo's ``PARAMS`` list (``name``, ``kind``, ``default`` and the kind's fields).
    params : dict
        The values a caller passed to ``run``; any subset of the declared names.

    Returns
    -------
    dict
        Every declared parameter, in ``PARAMS`` order, with a clean Python value (``int`` for
        integer sliders, ``float`` for float sliders, ``bool``, ``str``).

    Raises
    ------
    ValueError
        Naming every bad parameter at once (one problem per line): unknown names with a
        did-you-mean, wrong types, values out of range or off the slider's step, unknown choices.

    Examples
    --------
    >>> spec = [{"name": "depth", "label": "Depth", "kind": "slider", "min": 2, "max": 60,
    ...          "step": 1, "default": 30, "help": ""}]
    >>> validate(spec, {})
    {'depth': 30}
    >>> validate(spec, {"depth": 100})
    Traceback (most recent call last):
    ...
    ValueError: depth: expected an integer in [2, 60] but received: 100
    >>> validate(spec, {"dpth": 3})
    Traceback (most recent call last):
    ...
    ValueError: unknown parameter 'dpth' (did you mean 'depth'?)
    """
    by_name = {spec["name"]: spec for spec in params_spec}
    problems = []
    for name in params:
        if name not in by_name:
            hint = _did_you_mean(name, list(by_name))
            if not hint:
                hint = f" (expected one of {list(by_name)!r})"
            problems.append(f"unknown parameter {name!r}{hint}")
    clean = {}
    for name, spec in by_name.items():
        if name not in params:
            clean[name] = spec["default"]
            continue
        value, problem = _check(spec, params[name])
        if problem:
            problems.append(problem)
        clean[name] = value
    if problems:
        raise ValueError("\n".join(problems))
    return clean


def jsonable(obj: Any) -> Any:
    """Convert ``obj`` to plain JSON types; NumPy scalars and arrays become Python numbers
    and lists, and non-finite floats (NaN, ±inf) become ``None``.

    Examples
    --------
    >>> jsonable({"a": np.float64(0.5), "b": [np.int64(2), float("nan")], "c": np.array([1.0, np.inf])})
    {'a': 0.5, 'b': [2, None], 'c': [1.0, None]}
    """
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        obj = float(obj)
        return obj if math.isfinite(obj) else None
    return obj


def floats(values: Any) -> list[float | None]:
    """A 1-D sequence as a list of Python floats, non-finite values as ``None``.

    Examples
    --------
    >>> floats(np.array([1.0, np.nan, 2.5]))
    [1.0, None, 2.5]
    """
    return [v if math.isfinite(v) else None for v in np.asarray(values, dtype=float).tolist()]


def positive_or_none(values: Any) -> list[float | None]:
    """Like :func:`floats`, but also drops values a log axis cannot draw (<= 0) to ``None``.

    Examples
    --------
    >>> positive_or_none([1e-3, 0.0, -1.0, np.inf])
    [0.001, None, None, None]
    """
    return [v if (v is not None and v > 0) else None for v in floats(values)]


def fmt(x: float | None) -> str:
    """A number for a sentence: three significant digits for moderate sizes, scientific
    notation with two otherwise.

    Examples
    --------
    >>> fmt(0.25), fmt(0.23263), fmt(1.9525), fmt(270.6), fmt(3.2e-9), fmt(1234.5), fmt(None)
    ('0.25', '0.233', '1.95', '271', '3.2e-09', '1.2e+03', 'n/a')
    """
    if x is None or not math.isfinite(x):
        return "n/a"
    if x != 0 and not 1e-2 <= abs(x) < 1e3:
        return f"{x:.1e}"
    return f"{x:.3g}"
