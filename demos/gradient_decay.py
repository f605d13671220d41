"""How the backpropagated gradient shrinks or grows layer by layer in a deep network.

Method: a fixed random batch of 64 examples, 32 features each, goes forward through ``depth``
dense layers of width 32 (no biases). A random gradient of unit norm is put on the top layer's
output and backpropagated; the chart shows the Frobenius norm of ∂L/∂h_l over the batch for every
layer's output h_l, so the top layer is 1 by construction.

- Plain layer:     h_l = φ(W_l h_{l-1})
- Batch norm:      the pre-activation W_l h_{l-1} is normalized per feature over the batch
                   (γ = 1, β = 0, as at initialization) and backpropagated through exactly,
                   including the batch mean and variance.
- Residual:        h_l = h_{l-1} + φ(W_l h_{l-1}) / √depth. The branch is scaled by 1/√depth
                   (as in "Stable ResNet", Hayou et al. 2021, and similar to Fixup/SkipInit):
                   without it a He-initialised ReLU branch doubles the squared gradient norm at
                   every layer, so even a residual network explodes (√2 per layer). With it the
                   total growth over any depth stays around e^(c/2), where c = n·Var(W)·E[φ′²] is
                   the branch's own gain (c = 1 for ReLU with He init).
"""
from __future__ import annotations

import numpy as np

from _nn import ACTIVATIONS, INIT_LABELS, INITS, LABELS, activation, batch_norm, batch_norm_backward, init_std, slope
from _params import fmt, positive_or_none, validate

TITLE = "Gradient decay through depth"
TERMS = ["vanishing-gradient", "exploding-gradient", "backpropagation", "depth", "activation-function",
         "sigmoid", "tanh", "relu", "leaky-relu", "elu", "gelu", "saturation", "weight-initialization",
         "xavier-initialization", "he-initialization", "residual-connection", "batch-normalization"]

PARAMS = [
    {"name": "activation", "label": "Activation", "kind": "select", "choices": ACTIVATIONS,
     "default": "sigmoid",
     "help": "Nonlinearity after every layer. Its slope multiplies the gradient at each layer."},
    {"name": "init", "label": "Weight initialization", "kind": "select", "choices": INITS,
     "default": "xavier",
     "help": "Xavier: std √(1/32) for these 32-wide layers; He: std √(2/32); normal: the σ below."},
    {"name": "std", "label": "σ for normal init", "kind": "slider", "min": 0.05, "max": 2.0,
     "step": 0.05, "default": 0.2,
     "help": "Weight standard deviation when the initialization is 'normal' (layers are 32 wide, "
             "so σ ≈ 0.18 matches Xavier and σ = 0.25 matches He)."},
    {"name": "depth", "label": "Depth (layers)", "kind": "slider", "min": 2, "max": 60, "step": 1,
     "default": 30, "help": "Number of stacked layers the gradient flows back through."},
    {"name": "residual", "label": "Residual connections", "kind": "checkbox", "default": False,
     "help": "Add a skip connection around every layer: h ← h + φ(W h)/√depth."},
    {"name": "batch_norm", "label": "Batch normalization", "kind": "checkbox", "default": False,
     "help": "Normalize every pre-activation over the batch before the nonlinearity."},
    {"name": "seed", "label": "Random seed", "kind": "slider", "min": 0, "max": 99, "step": 1,
     "default": 0, "help": "Seed for the weights, the input batch and the top gradient."},
]

WIDTH = 32
BATCH = 64


def _forward(x, weights, act, residual, bn):
    """Run the network; return the layer outputs and what backprop needs."""
    alpha = 1.0 / np.sqrt(len(weights))
    hs, caches = [x], []
    h = x
    for w in weights:
        z = h @ w.T
        zhat, inv_std = batch_norm(z) if bn else (z, None)
        a = activation(act, zhat)
        h = h + alpha * a if residual else a
        hs.append(h)
        caches.append((zhat, inv_std, a))
    return hs, caches


def _backward(weights, caches, grad_top, act, residual, bn):
    """Backpropagate ``grad_top`` = ∂L/∂h_depth; return [∂L/∂h_0, ..., ∂L/∂h_depth] and the
    slopes φ′ the gradient met at each layer."""
    alpha = 1.0 / np.sqrt(len(weights))
    grads, slopes = [grad_top], []
    g = grad_top
    for w, (zhat, inv_std, a) in zip(weights[::-1], caches[::-1]):
        d = slope(act, zhat, a)
        slopes.append(d)
        du = (alpha * g if residual else g) * d
        dz = batch_norm_backward(du, zhat, inv_std) if bn else du
        g = dz @ w + g if residual else dz @ w
        grads.append(g)
    return grads[::-1], slopes[::-1]


def _setup(init, std, depth, seed):
    rng = np.random.default_rng(seed)
    s = init_std(init, WIDTH, WIDTH, std)
    weights = [rng.standard_normal((WIDTH, WIDTH)) * s for _ in range(depth)]
    x = rng.standard_normal((BATCH, WIDTH))
    g = rng.standard_normal((BATCH, WIDTH))
    return weights, x, g / np.linalg.norm(g)


def run(**params) -> dict:
    """Backpropagate a unit gradient through a deep network and measure it at every layer.

    Parameters
    ----------
    activation : {'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'gelu'}
    init : {'xavier', 'he', 'normal'}
    std : float
        Weight standard deviation for ``init='normal'`` (0.05 to 2).
    depth : int
        Number of layers, 2 to 60.
    residual : bool
        Wrap every layer in a skip connection (branch scaled by 1/√depth).
    batch_norm : bool
        Batch-normalize every pre-activation.
    seed : int

    Returns
    -------
    dict
        ``chart`` (gradient norm per layer, log scale), ``summary`` and ``metrics`` with
        ``ratio_first_last`` (norm at layer 1 / norm at the top layer), ``first_norm``,
        ``last_norm``, ``per_layer_factor`` (geometric mean change per layer) and
        ``mean_slope`` (mean φ′ over all layers and units).

    Examples
    --------
    >>> out = run(activation="sigmoid", init="xavier", depth=30)
    >>> sorted(out)
    ['chart', 'metrics', 'summary']
    >>> out["metrics"]["ratio_first_last"] < 1e-6
    True
    >>> 0.5 < run(activation="relu", init="he", residual=True)["metrics"]["ratio_first_last"] < 2
    True
    """
    p = validate(PARAMS, params)
    act, depth = p["activation"], p["depth"]
    weights, x, g_top = _setup(p["init"], p["std"], depth, p["seed"])
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        _, caches = _forward(x, weights, act, p["residual"], p["batch_norm"])
        grads, slopes = _backward(weights, caches, g_top, act, p["residual"], p["batch_norm"])
        norms = np.array([np.linalg.norm(gl) for gl in grads[1:]])   # layers 1 .. depth
        mean_slope = float(np.mean([np.abs(d).mean() for d in slopes]))
    ys = positive_or_none(norms)
    first, last = ys[0], ys[-1]
    ratio = first / last if first is not None and last is not None else None
    factor = ratio ** (1.0 / (depth - 1)) if ratio is not None else None

    name = f"{LABELS[act]}, {INIT_LABELS[p['init']]}"
    if p["init"] == "normal":
        name = f"{LABELS[act]}, N(0, {p['std']:g}²) init"
    if p["residual"]:
        name += ", residual"
    if p["batch_norm"]:
        name += ", batch norm"
    return {
        "chart": {
            "title": "Gradient norm per layer",
            "x": {"label": "Layer (1 = closest to the input)", "scale": "linear"},
            "y": {"label": "‖∂L/∂h‖ (top layer = 1)", "scale": "log"},
            "series": [{"name": name, "x": list(range(1, depth + 1)), "y": ys}],
        },
        "summary": _summary(ratio, factor, depth, mean_slope, ys.count(None), p),
        "metrics": {"ratio_first_last": ratio, "first_norm": first, "last_norm": last,
                    "per_layer_factor": factor,
                    "mean_slope": mean_slope if np.isfinite(mean_slope) else None},
    }


def _summary(ratio, factor, depth, mean_slope, n_missing, p) -> str:
    if ratio is None:
        text = (f"The gradient overflowed or underflowed the floating-point range, so {n_missing} "
                f"of {depth} layers have no value on the chart: the network is far outside a "
                f"trainable regime.")
        return text
    if ratio < 1e-2:
        text = (f"The gradient reaching layer 1 is {fmt(ratio)} times the one at layer {depth}: "
                f"on average each layer multiplies it by {fmt(factor)}, so the earliest layers get "
                f"almost no learning signal (a vanishing gradient).")
    elif ratio > 1e2:
        text = (f"The gradient at layer 1 is {fmt(ratio)} times the one at layer {depth}: each "
                f"layer multiplies it by about {fmt(factor)}, so the earliest layers would take huge, "
                f"unstable steps (an exploding gradient).")
    else:
        spread = max(ratio, 1.0 / ratio)
        text = (f"The gradient at layer 1 is {fmt(ratio)} times the one at layer {depth}: it stays "
                f"within a factor of {fmt(spread)} across all {depth} layers, so every layer receives "
                f"a usable learning signal.")
    text += f" The activation slopes the gradient passed through averaged {fmt(mean_slope)}"
    if p["activation"] == "sigmoid":
        text += " (the sigmoid's slope is never above 0.25)"
    text += "."
    if p["residual"]:
        text += (" The skip connections give the gradient an identity path around every layer, "
                 "so it is not only multiplied by the layers' Jacobians.")
    if p["batch_norm"]:
        text += (" Batch normalization rescales each layer's pre-activations to unit variance, "
                 "which undoes too-small or too-large weights.")
    if n_missing:
        text += f" {n_missing} layers over- or underflowed and are left off the chart."
    return text
