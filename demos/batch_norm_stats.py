"""Activation statistics layer by layer, with and without batch normalization.

Method: a fixed random batch (64 examples, 48 features, N(0, 1)) goes forward through ``depth``
dense layers of width 48 without biases, twice with the same weights: plain, h_l = φ(W_l h_{l−1}),
and with batch normalization, h_l = φ(BN(W_l h_{l−1})), where BN standardizes every feature over
the batch (γ = 1, β = 0, their values at initialization). The chart shows the mean or the standard
deviation of each layer's activations h_l over all examples and units.

Without normalization the scale of h_l is the product of every layer's gain below it, so it drifts
geometrically with depth unless the initialization matches the activation (ReLU with Xavier init
halves the variance at every layer; He init was derived to keep it). With batch normalization
every nonlinearity sees inputs of mean 0 and variance 1 whatever the weights, so the statistics
are the same at every layer.
"""
from __future__ import annotations

import numpy as np

from _nn import ACTIVATIONS, INIT_LABELS, INITS, LABELS, activation, batch_norm, init_std, slope
from _params import fmt, floats, positive_or_none, validate

TITLE = "Activation statistics with and without batch normalization"
TERMS = ["batch-normalization", "internal-covariate-shift", "weight-initialization",
         "xavier-initialization", "he-initialization", "activation-function", "depth",
         "vanishing-gradient", "exploding-gradient", "saturation"]

PARAMS = [
    {"name": "activation", "label": "Activation", "kind": "select", "choices": list(ACTIVATIONS),
     "default": "relu", "help": "Nonlinearity after every layer."},
    {"name": "init", "label": "Weight initialization", "kind": "select", "choices": list(INITS),
     "default": "xavier",
     "help": "Xavier: std √(1/48) for these 48-wide layers; He: std √(2/48); normal: the σ below."},
    {"name": "std", "label": "σ for normal init", "kind": "slider", "min": 0.05, "max": 2.0,
     "step": 0.05, "default": 0.5, "applies_when": {"init": "normal"},
     "help": "Weight standard deviation when the initialization is 'normal'."},
    {"name": "depth", "label": "Depth (layers)", "kind": "slider", "min": 2, "max": 60, "step": 1,
     "default": 20, "help": "Number of stacked layers."},
    {"name": "stat", "label": "Statistic", "kind": "select", "choices": ["std", "mean"],
     "default": "std", "help": "Plot the standard deviation (log scale) or the mean of each "
                               "layer's activations."},
    {"name": "seed", "label": "Random seed", "kind": "slider", "min": 0, "max": 99, "step": 1,
     "default": 0, "help": "Seed for the weights and the input batch."},
]

WIDTH = 48
BATCH = 64
#: Squashing activations, whose slope all but vanishes for large inputs: a stable scale can hide
#: units pinned at their limits. A unit counts as saturated where its slope is under a tenth of
#: the peak slope (|z| > 3.6 for sigmoid, |z| > 1.8 for tanh).
SQUASHING = ("sigmoid", "tanh")
SATURATED = 0.1
#: The share of saturated units a reading mentions.
SATURATED_SHARE = 0.25


def _layer_stats(x, weights, act, bn):
    """Mean and std of every layer's activations, and the saturated share of the last layer."""
    means, stds = [], []
    h = x
    for w in weights:
        z = h @ w.T
        z = batch_norm(z)[0] if bn else z
        h = activation(act, z)
        means.append(h.mean())
        stds.append(h.std())
    peak = slope(act, np.array(0.0))
    saturated = float(np.mean(slope(act, z, h) < SATURATED * peak))
    return np.array(means), np.array(stds), saturated


def run(**params) -> dict:
    """Forward a batch through a deep network with and without batch normalization.

    Parameters
    ----------
    activation : {'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'gelu'}
    init : {'xavier', 'he', 'normal'}
    std : float
        Weight standard deviation for ``init='normal'``.
    depth : int
        Number of layers, 2 to 60.
    stat : {'std', 'mean'}
        Which statistic the chart shows (the metrics always hold both).
    seed : int

    Returns
    -------
    dict
        ``chart`` (one series without and one with batch norm), ``summary`` (the reading of
        the statistic shown) and ``metrics``:
        ``std_first_plain``, ``std_last_plain``, ``std_first_bn``, ``std_last_bn``,
        ``mean_last_plain``, ``mean_last_bn``, ``std_change_plain`` (last / first) and
        ``saturated_last_plain`` (for sigmoid and tanh, the share of the last layer's units whose
        slope is under a tenth of its peak, without normalization; ``None`` for the others).

    Examples
    --------
    >>> out = run(activation="relu", init="xavier", depth=20)
    >>> m = out["metrics"]
    >>> m["std_last_plain"] < 0.01 < 0.5 < m["std_last_bn"] < 0.7
    True
    """
    p = validate(PARAMS, params)
    rng = np.random.default_rng(p["seed"])
    s = init_std(p["init"], WIDTH, WIDTH, p["std"])
    weights = [rng.standard_normal((WIDTH, WIDTH)) * s for _ in range(p["depth"])]
    x = rng.standard_normal((BATCH, WIDTH))
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        mean_plain, std_plain, saturated = _layer_stats(x, weights, p["activation"], bn=False)
        mean_bn, std_bn, _ = _layer_stats(x, weights, p["activation"], bn=True)
    if p["activation"] not in SQUASHING:
        saturated = None   # a ReLU's zero slope for negative inputs is its nature, not saturation
    layers = list(range(1, p["depth"] + 1))
    if p["stat"] == "std":
        plain_y, bn_y, scale = positive_or_none(std_plain), positive_or_none(std_bn), "log"
    else:
        plain_y, bn_y, scale = floats(mean_plain), floats(mean_bn), "linear"
    sp, sb = floats(std_plain), floats(std_bn)
    change = sp[-1] / sp[0] if sp[0] and sp[-1] is not None else None
    init = (f"N(0, {p['std']:g}²) init" if p["init"] == "normal" else INIT_LABELS[p["init"]])
    label = f"{LABELS[p['activation']]}, {init}"
    metrics = {"std_first_plain": sp[0], "std_last_plain": sp[-1], "std_first_bn": sb[0],
               "std_last_bn": sb[-1], "mean_last_plain": floats(mean_plain)[-1],
               "mean_last_bn": floats(mean_bn)[-1], "std_change_plain": change,
               "saturated_last_plain": saturated}
    missing = plain_y.count(None) + bn_y.count(None)
    return {
        "chart": {
            "title": ("Standard deviation" if p["stat"] == "std" else "Mean")
                     + " of the activations per layer",
            "x": {"label": "Layer (1 = closest to the input)", "scale": "linear"},
            "y": {"label": f"{p['stat']} of φ(·) over batch and units", "scale": scale},
            "series": [{"name": f"{label}, no normalization", "x": layers, "y": plain_y},
                       {"name": f"{label}, batch norm", "x": layers, "y": bn_y}],
        },
        "summary": (_summary(p["depth"], sp, sb, change, missing, saturated) if p["stat"] == "std"
                    else _mean_summary(p["depth"], floats(mean_plain), floats(mean_bn), missing,
                                       saturated)),
        "metrics": metrics,
    }


def _summary(depth, sp, sb, change, missing, saturated) -> str:
    if change is None:
        text = (f"Without batch normalization the activations leave the floating-point range "
                f"(or collapse to exactly 0) before layer {depth}.")
    else:
        verb = "shrinks" if change < 1 else "grows"
        size = 1 / change if change < 1 else change
        text = (f"Without batch normalization the activations' standard deviation goes from "
                f"{fmt(sp[0])} at layer 1 to {fmt(sp[-1])} at layer {depth}: ")
        if size <= 2 and saturated is not None and saturated >= SATURATED_SHARE:
            text += (f"its scale is stable, but {saturated:.0%} of the units at layer {depth} are "
                     f"saturated (their slope is under a tenth of its peak), so these weights are "
                     f"too large for the activation and little gradient gets through.")
        elif size <= 2:
            text += (f"it only {verb} {fmt(size)}-fold, so this initialization keeps the scale "
                     f"stable.")
        else:
            text += (f"it {verb} {fmt(size)}-fold, so each layer sees inputs whose scale depends "
                     f"on all the weights below it.")
    text += _with_batch_norm(sb, ", because every nonlinearity receives inputs standardized "
                             "to mean 0 and variance 1 over the batch.")
    return text + _missing(missing)


def _mean_summary(depth, mp, mb, missing, saturated) -> str:
    """The reading of the chart of means: what the chart shows, not the standard deviation
    (the other statistic), whose own reading is :func:`_summary`."""
    if mp[-1] is None:
        text = (f"Without batch normalization the activations' mean leaves the floating-point "
                f"range before layer {depth}.")
    else:
        text = (f"Without batch normalization the activations' mean goes from {fmt(mp[0])} at "
                f"layer 1 to {fmt(mp[-1])} at layer {depth}.")
    if saturated is not None and saturated >= SATURATED_SHARE:
        text += (f" {saturated:.0%} of the units at layer {depth} are saturated (their slope is "
                 f"under a tenth of its peak), so little gradient gets through.")
    text += _with_batch_norm(mb, ": every nonlinearity receives inputs standardized to mean 0 "
                             "and variance 1 over the batch, so its outputs have about the same "
                             "mean whatever the weights.")
    return text + _missing(missing)


def _with_batch_norm(values, why: str) -> str:
    """The range the statistic keeps with batch normalization, and ``why`` (nothing if no
    layer has a value)."""
    valid = [v for v in values if v is not None]
    if not valid:
        return ""
    return (f" With batch normalization it stays between {fmt(min(valid))} and "
            f"{fmt(max(valid))} at every layer{why}")


def _missing(missing) -> str:
    if not missing:
        return ""
    return f" {missing} values fell outside the floating-point range and are left off the chart."
