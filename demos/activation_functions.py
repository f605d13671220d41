"""Activation functions and their slopes: how much gradient each one lets through.

Method: every ticked activation φ and its derivative φ′ are evaluated on 241 evenly spaced
points of [−x_max, x_max] (the grid always contains x = 0 exactly). Backpropagation multiplies
the gradient by φ′ at every layer, so the derivative curve is the one that matters for
vanishing gradients: the sigmoid's slope is at most 1/4, and sigmoid and tanh flatten out
(saturate) for large |x|. "Flat" below means a slope under 0.01 in size, where a gradient passing
through is cut at least 100-fold. GELU uses its tanh approximation (NumPy has no erf); leaky
ReLU has slope 0.01 for negative inputs and ELU uses α = 1.
"""
from __future__ import annotations

import numpy as np

from _nn import ACTIVATIONS, LABELS, activation, slope
from _params import floats, fmt, validate

TITLE = "Activation functions and their slopes"
TERMS = ["activation-function", "sigmoid", "tanh", "relu", "leaky-relu", "elu", "gelu",
         "saturation", "dying-relu", "vanishing-gradient", "backpropagation"]

_DEFAULT_ON = {"sigmoid", "tanh"}
PARAMS = [
    {"name": name, "label": LABELS[name][0].upper() + LABELS[name][1:], "kind": "checkbox",
     "default": name in _DEFAULT_ON, "help": f"Show the {LABELS[name]} function."}
    for name in ACTIVATIONS
] + [
    {"name": "curve", "label": "Curves", "kind": "select", "choices": ["both", "slope", "function"],
     "default": "both",
     "help": "Plot the functions φ(x), their slopes φ′(x) (what backpropagation multiplies by), "
             "or both."},
    {"name": "x_max", "label": "x range (±)", "kind": "slider", "min": 1.0, "max": 10.0, "step": 0.5,
     "default": 6.0, "help": "The curves are drawn for x from −x_max to x_max."},
]

POINTS = 241
FLAT = 0.01   # a slope below this cuts a gradient at least 100-fold


def _grid(x_max: float) -> np.ndarray:
    x = np.linspace(-x_max, x_max, POINTS)
    x[POINTS // 2] = 0.0   # exactly, whatever the rounding of linspace
    return x


def run(**params) -> dict:
    """Evaluate the ticked activation functions and their derivatives on a grid.

    Parameters
    ----------
    sigmoid, tanh, relu, leaky_relu, elu, gelu : bool
        Which functions to show (at least one).
    curve : {'both', 'slope', 'function'}
    x_max : float
        Half-width of the x range, 1 to 10.

    Returns
    -------
    dict
        ``chart``, ``summary`` and ``metrics`` with, for every ticked function ``f``:
        ``max_slope_f`` (largest φ′ on the grid), ``max_slope_at_f`` (where it is first
        reached), ``min_slope_f``, ``flat_fraction_f`` (share of the range with |φ′| < 0.01)
        and ``saturates_beyond_f``
        (the |x| beyond which φ′ < 0.01 on both sides, whatever the grid; ``None`` if it stays
        steep on a side).

    Examples
    --------
    >>> out = run()
    >>> round(out["metrics"]["max_slope_sigmoid"], 6), round(out["metrics"]["max_slope_tanh"], 6)
    (0.25, 1.0)
    >>> [s["name"] for s in out["chart"]["series"]]
    ['sigmoid', 'sigmoid′', 'tanh', 'tanh′']
    """
    p = validate(PARAMS, params)
    chosen = [name for name in ACTIVATIONS if p[name]]
    if not chosen:
        raise ValueError(f"expected at least one of {ACTIVATIONS!r} to be ticked but received none")
    x = _grid(p["x_max"])
    xs = np.round(x, 6).tolist()
    series, metrics, sentences = [], {}, []
    for name in chosen:
        y = activation(name, x)
        d = slope(name, x, y)
        label = LABELS[name]
        if p["curve"] in ("both", "function"):
            series.append({"name": label, "x": xs, "y": floats(np.round(y, 6))})
        if p["curve"] in ("both", "slope"):
            series.append({"name": f"{label}′", "x": xs, "y": floats(np.round(d, 6))})
        peak = int(np.argmax(d))
        flat = np.abs(d) < FLAT
        # |x| beyond which the slope stays flat on both sides (only if both ends are flat):
        # where it crosses FLAT, found between the grid's points (else the figure would move
        # with the grid, that is with x_max).
        beyond = None
        if flat[0] and flat[-1]:
            steep = np.flatnonzero(~flat)
            beyond = max(_crossing(name, x[steep[-1]], x[steep[-1] + 1]),
                         -_crossing(name, x[steep[0]], x[steep[0] - 1])) if steep.size else 0.0
        metrics[f"max_slope_{name}"] = float(d[peak])
        metrics[f"max_slope_at_{name}"] = round(float(x[peak]), 6)
        metrics[f"min_slope_{name}"] = float(d.min())
        metrics[f"flat_fraction_{name}"] = float(flat.mean())
        metrics[f"saturates_beyond_{name}"] = beyond
        sentences.append(_describe(name, d, x, float(flat.mean()), beyond))
    what = {"both": "Functions and slopes", "slope": "Slopes", "function": "Functions"}[p["curve"]]
    summary = f"On [−{p['x_max']:g}, {p['x_max']:g}]: " + " ".join(sentences)
    if p["sigmoid"]:
        summary += (" Backpropagation multiplies the gradient by φ′ once per layer, so even at its "
                    f"best the sigmoid shrinks it 4-fold per layer (0.25^10 = {fmt(0.25 ** 10)}).")
    return {
        "chart": {
            "title": f"{what} of activation functions",
            "x": {"label": "Pre-activation x", "scale": "linear"},
            "y": {"label": "φ(x) and slope φ′(x)" if p["curve"] == "both" else
                  ("slope φ′(x)" if p["curve"] == "slope" else "φ(x)"), "scale": "linear"},
            "series": series,
        },
        "summary": summary,
        "metrics": metrics,
    }


def _crossing(name: str, steep: float, flat: float) -> float:
    """The x between ``steep`` (|φ′| at least FLAT) and ``flat`` (below it) where |φ′| falls
    to FLAT, by bisection: to about 1e-12, whatever the grid.

    >>> round(_crossing("tanh", 2.9, 3.0), 4)  # 1 − tanh² x = 0.01: x = artanh √0.99
    2.9932
    """
    for _ in range(45):
        middle = (steep + flat) / 2
        if abs(float(slope(name, np.array(middle)))) >= FLAT:
            steep = middle
        else:
            flat = middle
    return float(steep)


def _describe(name, d, x, flat_share, beyond) -> str:
    label = LABELS[name]
    label = label[0].upper() + label[1:]
    peak = float(d.max())
    if np.count_nonzero(d >= peak - 1e-12) > 1:
        text = f"{label} keeps its full slope {fmt(peak)} for every positive input"
    else:
        text = f"{label}'s slope peaks at {fmt(peak)} (at x = {float(x[np.argmax(d)]):.3g})"
    if beyond is not None:
        text += (f" and falls below {FLAT:g} beyond |x| = {beyond:.3g}: it saturates on both sides, "
                 f"so {flat_share:.0%} of this range is flat.")
    elif np.all(d[x < 0] == 0.0):
        text += (f"; its slope is exactly 0 for every negative input ({flat_share:.0%} of this "
                 "range), so a unit stuck there passes no gradient at all.")
    elif flat_share > 0:
        text += (f"; only the negative side flattens ({flat_share:.0%} of this range has a slope "
                 f"under {FLAT:g} in size).")
    else:
        text += f"; its slope never drops below {FLAT:g} here, so no input blocks the gradient."
    if d.min() < 0:
        text += f" Its slope dips below zero, to {fmt(float(d.min()))}, for some negative inputs."
    return text
