"""Training a deep narrow network: plain sigmoid layers stall, ReLU and skip connections learn.

Method: 256 points in the plane, drawn from N(0, I), labelled by whether they lie outside the
circle that holds half of them. Four networks with ``depth`` weight layers of width 16 and a
logistic read-out are trained side by side on the same mini-batches (32 points, so one epoch is
8 steps) by plain stochastic gradient descent with the same learning rate, a 2 × 2 design:

- "sigmoid":             z_1 = W_1 x, z_l = W_l σ(z_{l−1}), Xavier init
- "ReLU":                the same with ReLU and He init
- "… + residual":        z_l = z_{l−1} + W_l φ(z_{l−1}), an identity path around every layer
                         after the first, with the branch weights scaled by 1/√depth at
                         initialization (as Fixup does) so that each block starts near the identity

The first layer gets a constant input (a bias); the read-out is p = σ(v·φ(z_depth) + b) with the
cross-entropy loss, whose chance level (always answering 50%) is ln 2 ≈ 0.693. The loss curve is
the mean mini-batch loss of each epoch. The update size of layer l is how far its weights moved
during training relative to where they started, ‖W_l(end) − W_l(start)‖ / ‖W_l(start)‖; layer
depth + 1 is the read-out. All four networks run as one stacked NumPy computation (the gradients
are checked against finite differences in the tests), so a step costs about one network's worth
of NumPy calls.
"""
from __future__ import annotations

import numpy as np

from _params import fmt, floats, positive_or_none, validate

TITLE = "Why deep sigmoid networks stall in training"
TERMS = ["vanishing-gradient", "sigmoid", "relu", "residual-connection", "depth",
         "backpropagation", "saturation", "xavier-initialization", "he-initialization",
         "activation-function"]

PARAMS = [
    {"name": "depth", "label": "Depth (weight layers)", "kind": "slider", "min": 4, "max": 20,
     "step": 1, "default": 10, "help": "Number of weight layers below the read-out in each network."},
    {"name": "steps", "label": "Training steps", "kind": "slider", "min": 50, "max": 600,
     "step": 50, "default": 100, "help": "Mini-batch gradient-descent steps (8 steps = 1 epoch)."},
    {"name": "learning_rate", "label": "Learning rate", "kind": "slider", "min": 0.01, "max": 1.0,
     "step": 0.01, "default": 0.3, "help": "The same for all four networks."},
    {"name": "show", "label": "Show", "kind": "select", "choices": ["loss", "layer updates"],
     "default": "loss",
     "help": "The training loss per epoch, or how far each layer's weights moved during training."},
    {"name": "seed", "label": "Random seed", "kind": "slider", "min": 0, "max": 99, "step": 1,
     "default": 0, "help": "Seed for the data, the initial weights and the mini-batch order."},
]

MODELS = ["ReLU", "ReLU + residual", "sigmoid", "sigmoid + residual"]   # compute order
KEYS = ["relu", "relu_residual", "sigmoid", "sigmoid_residual"]
SHOWN = [2, 0, 3, 1]                      # chart order: sigmoid, ReLU, then the residual ones
RELU, SIGMOID, RESIDUAL = slice(0, 2), slice(2, 4), slice(1, 4, 2)
WIDTH = 16
POINTS = 256
BATCH = 32


def _data(rng):
    x = rng.standard_normal((POINTS, 2))
    r2 = (x * x).sum(axis=1)
    y = (r2 > np.sort(r2)[POINTS // 2 - 1]).astype(float)   # half outside (np.median pulls in numpy.ma)
    return np.hstack([x, np.ones((POINTS, 1))]), y


def _init(rng, depth):
    """He init for the ReLU networks, Xavier for the sigmoid ones; residual branches are scaled
    by 1/√depth at initialization (as Fixup does), so they start close to the identity."""
    m = len(MODELS)
    gain = np.array([np.sqrt(2.0), np.sqrt(2.0), 1.0, 1.0])
    fan_w1 = np.array([3.0, 3.0, (3 + WIDTH) / 2, (3 + WIDTH) / 2])
    w1 = rng.standard_normal((m, 3, WIDTH)) * (gain / np.sqrt(fan_w1))[:, None, None]
    branch = np.array([1.0, 1.0 / np.sqrt(depth), 1.0, 1.0 / np.sqrt(depth)])
    ws = rng.standard_normal((depth - 1, m, WIDTH, WIDTH))
    ws *= (gain * branch / np.sqrt(WIDTH))[None, :, None, None]
    v = rng.standard_normal((m, WIDTH)) * np.sqrt(2.0 / (WIDTH + 1))
    return w1, ws, v, np.zeros(m)


def _buffers(depth, batch):
    """Preallocated work arrays and their per-model slices, built once per run: a training step
    then costs only NumPy calls, no allocations or slicing."""
    shape = (len(MODELS), batch, WIDTH)
    z, a, s, da = ([np.empty(shape) for _ in range(depth)] for _ in range(4))
    return {
        "z": z, "a": a, "s": s, "da": da,
        "layers": [(z[l], z[l][RELU], a[l][RELU], s[l][RELU], z[l][SIGMOID], a[l][SIGMOID],
                    s[l][SIGMOID], z[l][RESIDUAL], z[l - 1][RESIDUAL] if l else None)
                   for l in range(depth)],
        "a_T": [x.transpose(0, 2, 1) for x in a],
        "skips": [(d[RESIDUAL], d_up[RESIDUAL]) for d, d_up in zip(da, da[1:])],
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


def _forward(x, w1, ws, buf):
    """Fill pre-activations, activations and slopes layer by layer; all models at once."""
    for l, layer in enumerate(buf["layers"]):
        z, z_relu, a_relu, s_relu, z_sig, a_sig, s_sig, z_res, z_res_prev = layer
        if l == 0:
            np.matmul(x, w1, out=z)
        else:
            np.matmul(buf["a"][l - 1], ws[l - 1], out=z)
            z_res += z_res_prev                        # the skip connection
        np.maximum(z_relu, 0.0, out=a_relu)
        np.greater(z_relu, 0.0, out=s_relu)
        np.negative(z_sig, out=a_sig)                  # σ(z) = 1 / (1 + e^(−z))
        np.exp(a_sig, out=a_sig)
        a_sig += 1.0
        np.reciprocal(a_sig, out=a_sig)
        np.multiply(a_sig, a_sig, out=s_sig)           # σ′ = σ − σ²
        np.subtract(a_sig, s_sig, out=s_sig)


def _backward(x, ws, v, d_out, buf, grads):
    """Backpropagate d_out = ∂L/∂logit; write ∂L/∂(w1, ws, v, b) into the views ``grads``."""
    g_w1, g_ws, g_v, g_b = grads
    a_T, slopes, da, skips = buf["a_T"], buf["s"], buf["da"], buf["skips"]
    np.matmul(a_T[-1], d_out[:, :, None], out=g_v[:, :, None])
    d_out.sum(axis=1, out=g_b)
    dz = da[-1]
    np.multiply(d_out[:, :, None], v[:, None, :], out=dz)
    dz *= slopes[-1]
    for l in range(len(da) - 1, 0, -1):       # dz = ∂L/∂z_l, and z_l = a[l-1] @ ws[l-1]
        np.matmul(a_T[l - 1], dz, out=g_ws[l - 1])
        np.matmul(dz, ws[l - 1].transpose(0, 2, 1), out=da[l - 1])
        dz = da[l - 1]
        dz *= slopes[l - 1]
        dz_res, dz_res_up = skips[l - 1]
        dz_res += dz_res_up                      # the skip connection's identity path
    np.matmul(x.T, dz, out=g_w1)


def _train(depth, steps, lr, seed):
    rng = np.random.default_rng(seed)
    x_all, y_all = _data(rng)
    params, (w1, ws, v, b) = _pack(*_init(rng, depth))
    start = params.copy()
    grad = np.empty_like(params)
    grads = _views(grad, w1.shape, ws.shape, v.shape, b.shape)
    buf = _buffers(depth, BATCH)
    last_a, v_col = buf["a"][-1], v[:, :, None]
    order = np.concatenate([rng.permutation(POINTS) for _ in range(-(-steps * BATCH // POINTS))])
    losses = np.empty((steps, len(MODELS)))
    for step in range(steps):
        idx = order[step * BATCH:(step + 1) * BATCH]
        x, y = x_all[idx], y_all[idx]
        _forward(x, w1, ws, buf)
        logit = np.matmul(last_a, v_col)[:, :, 0]
        logit += b[:, None]
        losses[step] = (np.logaddexp(0.0, logit) - y * logit).mean(axis=1)   # cross-entropy
        d_out = (0.5 * np.tanh(0.5 * logit) + 0.5 - y) / BATCH                 # (p − y) / batch
        _backward(x, ws, v, d_out, buf, grads)
        grad *= lr
        params -= grad
    return losses, _views(start, w1.shape, ws.shape, v.shape), (w1, ws, v)


def _relative_moves(start, end):
    """‖W_l(end) − W_l(start)‖ / ‖W_l(start)‖ per model and layer (input layer, hidden, read-out)."""
    (w1_0, ws_0, v_0), (w1, ws, v) = start, end

    def rel(a, b, axes):
        return np.sqrt(((b - a) ** 2).sum(axis=axes) / (a * a).sum(axis=axes))
    return np.concatenate([rel(w1_0, w1, (1, 2))[:, None], rel(ws_0, ws, (2, 3)).T,
                           rel(v_0, v, 1)[:, None]], axis=1)


def run(**params) -> dict:
    """Train deep sigmoid and ReLU networks, with and without skip connections, side by side.

    Parameters
    ----------
    depth : int
        Weight layers below the read-out, 4 to 20.
    steps : int
        Training steps, 50 to 600 (8 steps per epoch).
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
            parts.append(f"{MODELS[k]} {fmt(loss)}{' (chance level)' if loss > 0.97 * chance else ''}")
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
