"""How the backpropagated gradient shrinks or grows layer by layer in a deep network.

Method: a fixed random batch of 64 examples with 48 features goes through ``depth`` dense layers
of width 48 (no biases). A random gradient of unit Frobenius norm is put on the network's output
h_depth and backpropagated; the chart shows the Frobenius norm (over the whole batch) of ∂L/∂h_l
for every layer's output h_l, so the top layer is 1 by construction. Each layer's output is
taken before its nonlinearity, so the last layer is a linear read-out as in real networks:

- Plain:        h_1 = W_1 x,  h_l = W_l φ(h_{l-1}). This is the usual φ(W h) stack, measured
                before each nonlinearity instead of after it.
- Batch norm:   h_l = W_l φ(BN(h_{l-1})), BN normalizing each feature over the batch
                (γ = 1, β = 0, their values at initialization), backpropagated through exactly,
                including the dependence of the batch mean and variance on every example.
- Residual:     h_l = h_{l-1} + W_l φ(h_{l-1}) / √depth for l ≥ 2 (the "pre-activation" block
                of ResNet v2 and pre-norm Transformers; BN goes inside the branch when both are on). The branch is
                scaled by 1/√depth, as in "Stable ResNet" (Hayou et al. 2021) and close to
                Fixup/SkipInit. Without the scaling a He-initialised ReLU branch would double the
                squared gradient norm at every layer, so even a residual network would explode
                (√2 per layer). With it each layer multiplies the squared norm by about 1 + c/depth,
                where c = n·Var(W)·E[φ′²] is the branch's gain (c = 1 for ReLU with He init), so the
                whole stack changes the gradient by about e^(c/2) ≈ 1.6 at any depth.

Each value is what the theory predicts for a random network at initialization: the per-layer
factor is about √(n·Var(W)·E[φ′²]) without skip connections (≈ 0.23 for sigmoid with Xavier init,
≈ 1 for ReLU with He init), with finite-width fluctuations of roughly 10% per layer (so over
30 ReLU layers with He init the ratio lands anywhere from about 0.2 to 3, depending on the seed).
"""
from __future__ import annotations

import numpy as np

from _nn import (ACTIVATIONS, INIT_LABELS, INITS, LABELS, activation, batch_norm,
                 batch_norm_backward, init_std, slope)
from _params import fmt, positive_or_none, validate

TITLE = "Gradient decay through depth"
TERMS = ["vanishing-gradient", "exploding-gradient", "backpropagation", "depth", "activation-function",
         "sigmoid", "tanh", "relu", "leaky-relu", "elu", "gelu", "saturation", "weight-initialization",
         "xavier-initialization", "he-initialization", "residual-connection", "batch-normalization"]

PARAMS = [
    {"name": "activation", "label": "Activation", "kind": "select", "choices": list(ACTIVATIONS),
     "default": "sigmoid",
     "help": "Nonlinearity after every layer. Its slope multiplies the gradient at each layer."},
    {"name": "init", "label": "Weight initialization", "kind": "select", "choices": list(INITS),
     "default": "xavier",
     "help": "Xavier: std √(1/48) for these 48-wide layers; He: std √(2/48); normal: the σ below."},
    {"name": "std", "label": "σ for normal init", "kind": "slider", "min": 0.05, "max": 2.0,
     "step": 0.05, "default": 0.5, "applies_when": {"init": "normal"},
     "help": "Weight standard deviation when the initialization is 'normal' (layers are 48 wide, "
             "so σ ≈ 0.14 matches Xavier and σ ≈ 0.2 matches He)."},
    {"name": "depth", "label": "Depth (layers)", "kind": "slider", "min": 2, "max": 60, "step": 1,
     "default": 30, "help": "Number of stacked layers the gradient flows back through."},
    {"name": "residual", "label": "Residual connections", "kind": "checkbox", "default": False,
     "help": "Add a skip connection around every layer: h ← h + W φ(h)/√depth."},
    {"name": "batch_norm", "label": "Batch normalization", "kind": "checkbox", "default": False,
     "help": "Normalize every pre-activation over the batch before the nonlinearity."},
    {"name": "seed", "label": "Random seed", "kind": "slider", "min": 0, "max": 99, "step": 1,
     "default": 0, "help": "Seed for the weights, the input batch and the top gradient."},
]

WIDTH = 48
BATCH = 64


def _forward(x, weights, act, residual, bn):
    """Run the network; return the layer outputs h_1..h_depth and what backprop needs."""
    alpha = 1.0 / np.sqrt(len(weights))
    h = x @ weights[0].T
    hs, caches = [h], []
    for w in weights[1:]:
        u, inv_std = batch_norm(h) if bn else (h, None)
        a = activation(act, u)
        branch = a @ w.T
        h = h + alpha * branch if residual else branch
        hs.append(h)
        caches.append((u, inv_std, a))
    return hs, caches


def _backward(weights, caches, grad_top, act, residual, bn):
    """Backpropagate ``grad_top`` = ∂L/∂h_depth; return [∂L/∂h_1, ..., ∂L/∂h_depth], ∂L/∂x and
    the slopes φ′ the gradient met at each layer."""
    alpha = 1.0 / np.sqrt(len(weights))
    grads, slopes = [grad_top], []
    g = grad_top
    for w, (u, inv_std, a) in zip(weights[:0:-1], caches[::-1]):
        d = slope(act, u, a)
        slopes.append(d)
        du = ((alpha * g if residual else g) @ w) * d
        dh = batch_norm_backward(du, u, inv_std) if bn else du
        g = g + dh if residual else dh
        grads.append(g)
    return grads[::-1], g @ weights[0], slopes[::-1]


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
        grads, _, slopes = _backward(weights, caches, g_top, act, p["residual"], p["batch_norm"])
        norms = np.array([np.linalg.norm(gl) for gl in grads])
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
        "summary": _summary(ratio, factor, depth, mean_slope, ys, p),
        "metrics": {"ratio_first_last": ratio, "first_norm": first, "last_norm": last,
                    "per_layer_factor": factor,
                    "mean_slope": mean_slope if np.isfinite(mean_slope) else None},
    }


def _summary(ratio, factor, depth, mean_slope, ys, p) -> str:
    n_missing = ys.count(None)
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
        # The largest over the smallest norm of any layers, not only of the two ends: the
        # norm can swing in between and come back.
        valid = [y for y in ys if y is not None]
        spread = max(valid) / min(valid) if len(valid) == depth else None
        text = f"The gradient at layer 1 is {fmt(ratio)} times the one at layer {depth}"
        if spread is not None and spread <= 1e2:
            text += (f", and no two layers differ by more than a factor of {fmt(spread)}, so "
                     f"every layer receives a usable learning signal.")
        else:
            text += (", but in between it swings by a factor of "
                     + (f"{fmt(spread)}" if spread is not None else "more than the floating-point "
                        "range holds")
                     + ", so some layers get a far weaker learning signal than others.")
    text += f" The activation slopes the gradient passed through averaged {fmt(mean_slope)}"
    if p["activation"] == "sigmoid":
        text += " (the sigmoid's slope is never above 0.25)"
    text += "."
    if p["residual"]:
        text += (" The skip connections give the gradient an identity path around every layer, "
                 "so it is not only multiplied by the layers' Jacobians.")
    if p["batch_norm"]:
        text += (" Batch normalization rescales every layer's inputs to unit variance over the "
                 "batch, which cancels the scale of the weights")
        if ratio is not None and ratio > 1e2 and not p["residual"]:
            text += ("; but its backward pass also amplifies the gradient a little at every layer, "
                     "because each example's gradient depends on the whole batch, and in a deep "
                     "plain stack that compounds (Yang et al. 2019)")
        text += "."
    if n_missing:
        text += f" {n_missing} layers over- or underflowed and are left off the chart."
    return text
