"""Training a deep narrow network: plain sigmoid layers stall, ReLU and skip connections learn.

Method: 160 points in the plane, drawn from N(0, I), labelled by whether they lie outside the
circle centred at (2, 0) that holds half of them. Four networks with ``depth`` weight layers of
width 8 and a logistic read-out are trained side by side on the same mini-batches (16 points,
so one epoch is 10 steps) by plain stochastic gradient descent with the same learning rate, a
2 × 2 design:

- "sigmoid":             z_1 = W_1 x, z_l = W_l σ(z_{l−1}), Xavier init
- "ReLU":                the same with ReLU and He init
- "… + residual":        z_l = z_{l−1} + W_l φ(z_{l−1}), an identity path around every layer
                         after the first, with the branch weights scaled by 1/√depth at
                         initialization (as Fixup does) so that each block starts near the identity

The first layer gets a constant input (a bias); the read-out is p = σ(v·φ(z_depth) + b) with the
cross-entropy loss, whose chance level (always answering 50%) is ln 2 ≈ 0.693. The loss curve is
the mean mini-batch loss of each epoch. The update size of layer l is how far its weights moved
during training relative to where they started, ‖W_l(end) − W_l(start)‖ / ‖W_l(start)‖; layer
depth + 1 is the read-out.

Why the circle is off centre: a circle centred on the data is symmetric, so a network that is
still nearly linear (a sigmoid network near initialization, whose units sit where σ is almost a
straight line) cannot beat chance on it and waits on a plateau whatever its depth: with that
circle the plain sigmoid network stayed at chance even at depth 2 (0.69 after 200 steps, seeds
0 to 4). Off centre, the labels have a linear trend to start from, so what stops the plain
sigmoid network is its depth. At the other defaults, over the seeds 0 to 9, it learned at depth
2 (last-epoch loss 0.24 to 0.52) and stayed at or near chance from depth 3 on (0.65 to 0.72),
while the sigmoid + residual network learned at every depth from 2 to 20 (0.13 to 0.29).

Narrow deep *plain* ReLU networks are seed-dependent: now and then one stays near chance, or
ends worse than it, even though its first layer moves (try a few seeds); past about 15 layers
the residual ReLU network sometimes fails too (seed 0 at depth 16). At the defaults, over the
seeds 0 to 99, the plain sigmoid network's first layer stalled every time (it moved by at most
2.1e-5 of its size), both residual networks learned every time, and the plain ReLU network
learned 86 times and ended worse than chance 3 times (seed 60: 0.97), in CPython; see below
for the browser.

Gradient descent on ReLU networks amplifies rounding: NumPy builds that round the last bit
differently (OpenBLAS and SIMD ``exp`` in CPython, plain loops in the browser) agree to about
1e-10 at the defaults (5e-11), but for some settings (more often deep, long or fast runs) their
curves part late in training (4e-5 at depth 20). Every run is still deterministic on a given
machine.

Cost: the four networks run as one stacked NumPy computation (the gradients are checked
against finite differences in the tests), so a step costs one network's worth of NumPy calls,
about 100 at the default depth. In the browser's NumPy (no BLAS) a step takes about 0.2 ms,
about half of it call overhead, so the sizes are kept small: 200 steps take about 45 ms.
"""
from __future__ import annotations

import numpy as np

from _params import fmt, floats, positive_or_none, validate

TITLE = "Why deep sigmoid networks stall in training"
TERMS = ["vanishing-gradient", "sigmoid", "relu", "residual-connection", "depth",
         "backpropagation", "saturation", "xavier-initialization", "he-initialization",
         "activation-function"]

PARAMS = [
    {"name": "depth", "label": "Depth (weight layers)", "kind": "slider", "min": 2, "max": 20,
     "step": 1, "default": 10, "help": "Number of weight layers below the read-out in each network."},
    {"name": "steps", "label": "Training steps", "kind": "slider", "min": 50, "max": 600,
     "step": 50, "default": 200, "help": "Mini-batch gradient-descent steps (10 steps = 1 epoch)."},
    {"name": "learning_rate", "label": "Learning rate", "kind": "slider", "min": 0.01, "max": 1.0,
     "step": 0.01, "default": 0.3, "help": "The same for all four networks."},
    {"name": "show", "label": "Show", "kind": "select", "choices": ["loss", "layer updates"],
     "default": "loss",
     "help": "The training loss per epoch, or how far each layer's weights moved during training."},
    {"name": "seed", "label": "Random seed", "kind": "slider", "min": 0, "max": 99, "step": 1,
     "default": 0, "help": "Seed for the data, the initial weights and the mini-batch order."},
]

MODELS = ["ReLU", "ReLU + residual", "sigmoid + residual", "sigmoid"]   # compute order
KEYS = ["relu", "relu_residual", "sigmoid_residual", "sigmoid"]
SHOWN = [3, 0, 2, 1]                      # chart order: sigmoid, ReLU, then the residual ones
RELU, SIGMOID, RESIDUAL = slice(0, 2), slice(2, 4), slice(1, 3)
WIDTH = 8
POINTS = 160
BATCH = 16
CENTRE = (2.0, 0.0)   # off the data's centre: see the module docstring


def _data(rng):
    """``POINTS`` inputs as the columns of a (3, POINTS) array (x₁, x₂, a constant 1 for the
    bias) and their labels: 1 outside the circle centred at ``CENTRE`` that holds half of the
    points."""
    x = rng.standard_normal((2, POINTS))
    offset = x - np.array(CENTRE)[:, None]
    r2 = (offset * offset).sum(axis=0)
    y = (r2 > np.sort(r2)[POINTS // 2 - 1]).astype(float)   # half outside (np.median pulls in numpy.ma)
    return np.vstack([x, np.ones((1, POINTS))]), y


def _init(rng, depth):
    """Weights as (model, out, in) matrices acting on column vectors: ``w1`` (4, WIDTH, 3),
    ``ws`` (depth − 1, 4, WIDTH, WIDTH), read-out ``v`` (4, 1, WIDTH) and bias ``b`` (4, 1, 1).

    He init for the ReLU networks, Xavier for the sigmoid ones (whose weights act on u = −z,
    see ``_forward``); residual branches are scaled by 1/√depth at initialization (as Fixup
    does), so they start close to the identity."""
    m = len(MODELS)
    gain = np.array([np.sqrt(2.0), np.sqrt(2.0), 1.0, 1.0])
    fan_w1 = np.array([3.0, 3.0, (3 + WIDTH) / 2, (3 + WIDTH) / 2])
    w1 = rng.standard_normal((m, WIDTH, 3)) * (gain / np.sqrt(fan_w1))[:, None, None]
    branch = np.array([1.0, 1.0 / np.sqrt(depth), 1.0 / np.sqrt(depth), 1.0])
    ws = rng.standard_normal((depth - 1, m, WIDTH, WIDTH))
    ws *= (gain * branch / np.sqrt(WIDTH))[None, :, None, None]
    v = rng.standard_normal((m, 1, WIDTH)) * np.sqrt(2.0 / (WIDTH + 1))
    return w1, ws, v, np.zeros((m, 1, 1))


def _buffers(ws, v, batch):
    """Work arrays for one mini-batch and the views a training step uses, built once per run so
    that a step costs only NumPy calls: no allocations, no slicing, no scalar conversions.

    Every layer's pre-activations ``z``, activations ``a``, slopes ``s`` = ∂a/∂z and gradients
    ``dz`` = ∂L/∂z (u = −z in place of z for the sigmoid networks) are stacked as (depth, model, WIDTH, batch): the examples are the columns,
    so a layer is one stacked (WIDTH × WIDTH) @ (WIDTH × batch) product, and the weight gradients
    of all hidden layers are a single stacked product after the backward pass."""
    depth = len(ws) + 1
    shape = (depth, len(MODELS), WIDTH, batch)
    z, a, s, dz = (np.empty(shape) for _ in range(4))
    a_T, ws_T = a.transpose(0, 1, 3, 2), ws.transpose(0, 1, 3, 2)
    return {
        "z": z, "a": a, "s": s, "dz": dz,
        "first": (z[0], z[0][RELU], a[0][RELU], z[0][SIGMOID], a[0][SIGMOID]),
        "layers": [(w, a[l - 1], z[l], z[l][RELU], a[l][RELU], z[l][SIGMOID], a[l][SIGMOID],
                    z[l][RESIDUAL], z[l - 1][RESIDUAL]) for l, w in enumerate(ws, start=1)],
        "slopes": (a[:, RELU], s[:, RELU], a[:, SIGMOID], s[:, SIGMOID]),
        "top": (a_T[-1], v.transpose(0, 2, 1), dz[-1], s[-1]),
        "back": [(ws_T[l - 1], dz[l], s[l - 1], dz[l - 1], dz[l - 1][RESIDUAL], dz[l][RESIDUAL])
                 for l in range(depth - 1, 0, -1)],
        "hidden": (dz[1:], a_T[:-1], dz[0]),
        "zero": np.zeros(()), "one": np.ones(()),
    }


def _pack(w1, ws, v, b):
    """One flat array holding every parameter, and views shaped like each: one update per step."""
    flat = np.concatenate([w1.ravel(), ws.ravel(), v.ravel(), b.ravel()])
    return flat, _views(flat, w1.shape, ws.shape, v.shape, b.shape)


def _views(flat, *shapes):
    out, start = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        out.append(flat[start:start + size].reshape(shape))
        start += size
    return out


def _forward(x, w1, buf):
    """Fill the pre-activations, activations and slopes of every layer, all models at once, for
    the mini-batch ``x`` (3, batch); the weights ``ws`` are read through the views in ``buf``.

    The sigmoid networks hold their pre-activations with the opposite sign, u = −z (so their
    stored weights are −W, drawn from the same symmetric distribution): then σ(z) = 1 / (1 + eᵘ)
    needs no negation, one NumPy call less per layer. Plain gradient descent on −W moves the
    network exactly as it would on W; only ∂a/∂u = −σ′(z) changes sign."""
    zero, one = buf["zero"], buf["one"]
    z, z_relu, a_relu, u_sig, a_sig = buf["first"]
    np.matmul(w1, x, out=z)
    np.maximum(z_relu, zero, out=a_relu)
    np.exp(u_sig, out=a_sig)
    np.add(a_sig, one, out=a_sig)
    np.reciprocal(a_sig, out=a_sig)
    for w, a_below, z, z_relu, a_relu, u_sig, a_sig, z_res, z_res_below in buf["layers"]:
        np.matmul(w, a_below, out=z)
        np.add(z_res, z_res_below, out=z_res)          # the skip connection
        np.maximum(z_relu, zero, out=a_relu)
        np.exp(u_sig, out=a_sig)
        np.add(a_sig, one, out=a_sig)
        np.reciprocal(a_sig, out=a_sig)
    # The slopes are only needed going backwards: every layer at once, one call per step each.
    a_relu, s_relu, a_sig, s_sig = buf["slopes"]
    np.sign(a_relu, out=s_relu)                        # ReLU′ = 1 where z > 0, else 0
    np.multiply(a_sig, a_sig, out=s_sig)               # ∂a/∂u = −σ′(z) = σ² − σ
    np.subtract(s_sig, a_sig, out=s_sig)


def _backward(x_T, d_out, buf, grads):
    """Backpropagate ``d_out`` = ∂L/∂logit (model, 1, batch) through the layers ``_forward``
    filled; write ∂L/∂(w1, ws, v, b) into the arrays ``grads``."""
    g_w1, g_ws, g_v, g_b = grads
    a_top_T, v_T, dz, s = buf["top"]
    np.matmul(d_out, a_top_T, out=g_v)
    np.add.reduce(d_out, axis=2, keepdims=True, out=g_b)
    np.multiply(v_T, d_out, out=dz)
    np.multiply(dz, s, out=dz)
    for w_T, dz, s_below, dz_below, dz_res_below, dz_res in buf["back"]:
        np.matmul(w_T, dz, out=dz_below)               # z_l = W_l a_(l−1)
        np.multiply(dz_below, s_below, out=dz_below)
        np.add(dz_res_below, dz_res, out=dz_res_below)   # the skip connection's identity path
    dz_hidden, a_hidden_T, dz_first = buf["hidden"]
    np.matmul(dz_hidden, a_hidden_T, out=g_ws)         # every hidden layer in one stacked product
    np.matmul(dz_first, x_T, out=g_w1)


def _train(depth, steps, lr, seed):
    rng = np.random.default_rng(seed)
    x_all, y_all = _data(rng)
    params, (w1, ws, v, b) = _pack(*_init(rng, depth))
    start = params.copy()
    grad = np.empty_like(params)
    grads = _views(grad, w1.shape, ws.shape, v.shape, b.shape)
    buf = _buffers(ws, v, BATCH)
    order = np.concatenate([rng.permutation(POINTS) for _ in range(-(-steps * BATCH // POINTS))])
    order = order[:steps * BATCH].reshape(steps, BATCH)
    xs = np.ascontiguousarray(x_all[:, order].transpose(1, 0, 2))     # (steps, 3, batch)
    xs_T = np.ascontiguousarray(xs.transpose(0, 2, 1))
    ys = y_all[order][:, None, None, :]                                # (steps, 1, 1, batch)
    # The learning rate is folded into ∂L/∂logit = (σ(logit) − y) / batch, so the gradients
    # come out already scaled: lr (σ − y) / batch = k tanh(logit / 2) + c.
    half, k = np.full((), 0.5), np.full((), 0.5 * lr / BATCH)
    cs = (lr / BATCH) * (0.5 - ys)
    logits = np.empty((steps, len(MODELS), 1, BATCH))
    d_out = np.empty((len(MODELS), 1, BATCH))
    a_top = buf["a"][-1]
    for x, x_T, c, logit in zip(xs, xs_T, cs, logits):
        _forward(x, w1, buf)
        np.matmul(v, a_top, out=logit)
        np.add(logit, b, out=logit)
        np.multiply(logit, half, out=d_out)
        np.tanh(d_out, out=d_out)
        np.multiply(d_out, k, out=d_out)
        np.add(d_out, c, out=d_out)
        _backward(x_T, d_out, buf, grads)
        np.subtract(params, grad, out=params)
    losses = (np.logaddexp(0.0, logits) - ys * logits).mean(axis=(2, 3))   # cross-entropy
    return losses, _views(start, w1.shape, ws.shape, v.shape), (w1, ws, v)


def _relative_moves(start, end):
    """‖W_l(end) − W_l(start)‖ / ‖W_l(start)‖ per model and layer (input layer, hidden, read-out)."""
    (w1_0, ws_0, v_0), (w1, ws, v) = start, end

    def rel(a, b, axes):
        return np.sqrt(((b - a) ** 2).sum(axis=axes) / (a * a).sum(axis=axes))
    return np.concatenate([rel(w1_0, w1, (1, 2))[:, None], rel(ws_0, ws, (2, 3)).T,
                           rel(v_0, v, (1, 2))[:, None]], axis=1)


def run(**params) -> dict:
    """Train deep sigmoid and ReLU networks, with and without skip connections, side by side.

    Parameters
    ----------
    depth : int
        Weight layers below the read-out, 2 to 20.
    steps : int
        Training steps, 50 to 600 (10 steps per epoch).
    learning_rate : float
        0.01 to 1.
    show : {'loss', 'layer updates'}
    seed : int

    Returns
    -------
    dict
        ``chart``, ``summary`` and ``metrics`` holding, for each network (``sigmoid``, ``relu``,
        ``sigmoid_residual``, ``relu_residual``): ``final_loss_*`` (mean loss of the last epoch),
        ``first_layer_update_*`` and ``last_layer_update_*`` (relative weight change of layer 1
        and of the read-out), and ``chance_loss`` (ln 2, the loss of always answering 50%).

    Examples
    --------
    >>> m = run()["metrics"]
    >>> m["final_loss_relu"] < m["final_loss_sigmoid"], m["first_layer_update_sigmoid"] < 1e-3
    (True, True)
    """
    p = validate(PARAMS, params)
    depth, steps = p["depth"], p["steps"]
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        losses, start, end = _train(depth, steps, p["learning_rate"], p["seed"])
        moves = _relative_moves(start, end)
    per_epoch = POINTS // BATCH
    n_epochs = steps // per_epoch
    epoch_loss = losses[:n_epochs * per_epoch].reshape(n_epochs, per_epoch, -1).mean(axis=1)
    metrics = {"chance_loss": float(np.log(2.0))}
    for k in SHOWN:
        metrics[f"final_loss_{KEYS[k]}"] = floats(epoch_loss[-1:, k])[0]
        metrics[f"first_layer_update_{KEYS[k]}"] = floats(moves[k, :1])[0]
        metrics[f"last_layer_update_{KEYS[k]}"] = floats(moves[k, -1:])[0]
    if p["show"] == "loss":
        xs = [(e + 1) * per_epoch for e in range(n_epochs)]
        series = [{"name": MODELS[k], "x": xs, "y": floats(epoch_loss[:, k])} for k in SHOWN]
        chart = {"title": "Training loss (mean over each epoch)",
                 "x": {"label": "Training step", "scale": "linear"},
                 "y": {"label": "Cross-entropy loss", "scale": "linear"}, "series": series}
    else:
        xs = list(range(1, depth + 2))
        series = [{"name": MODELS[k], "x": xs, "y": positive_or_none(moves[k])} for k in SHOWN]
        chart = {"title": "How far each layer's weights moved during training",
                 "x": {"label": f"Layer (1 = input side, {depth + 1} = read-out)", "scale": "linear"},
                 "y": {"label": "‖ΔW‖ / ‖W‖", "scale": "log"}, "series": series}
    return {"chart": chart, "summary": _summary(metrics, steps, depth), "metrics": metrics}


def _summary(m, steps, depth) -> str:
    chance = m["chance_loss"]
    parts = []
    for k in SHOWN:
        loss = m[f"final_loss_{KEYS[k]}"]
        if loss is None:
            parts.append(f"{MODELS[k]} diverged (its loss overflowed and is left off the chart)")
        else:
            label = (" (worse than chance)" if loss > 1.03 * chance
                     else " (chance level)" if loss > 0.97 * chance else "")
            parts.append(f"{MODELS[k]} {fmt(loss)}{label}")
    text = (f"After {steps} steps the last epoch's loss is: " + ", ".join(parts)
            + f" (chance level is ln 2 = {chance:.3f}).")
    first, last = m["first_layer_update_sigmoid"], m["last_layer_update_sigmoid"]
    if first and last:
        text += (f" In the plain sigmoid network layer 1 moved by {fmt(first)} of its size and the "
                 f"read-out by {fmt(last)}")
        if last > 100 * first:
            text += (f", a {fmt(last / first)}-fold gap: the gradient reaching layer 1 has been "
                     f"multiplied by {depth} sigmoid slopes of at most 0.25, so the early layers "
                     "stall")
        text += "."
    others = [(k, m[f"first_layer_update_{KEYS[k]}"]) for k in SHOWN[1:]]
    text += (" Layer 1 moved by "
             + ", ".join(f"{fmt(v)} in the {MODELS[k]} network" for k, v in others) + ".")
    return text
