"""How far back a gradient reaches in a vanilla tanh RNN compared with an LSTM.

Method: both networks read the same random sequence (8 inputs per step, N(0, 1)) from a zero
state, for ``steps`` steps. Their weights and biases are drawn from U(−1/√n, 1/√n), PyTorch's
default for ``nn.RNN`` and ``nn.LSTM`` (n = hidden size), except the LSTM's forget-gate bias,
which is set to ``forget_bias``. A loss L = u·s_T with a random unit vector u reads the final
state s_T (the hidden state h_T of the RNN, the cell state c_T of the LSTM) and is backpropagated
through time along every path; the chart shows ‖∂L/∂h_t‖ (RNN) and ‖∂L/∂c_t‖ (LSTM) for
t = T, T−1, …, T−steps, both 1 at t = T.

Why: the RNN's gradient is multiplied at every step by W_hhᵀ diag(1 − h_t²). With these weights
the typical gain of that product is below 1 (√(n·Var W)·E|tanh′| ≈ 0.58·E|tanh′|), so the
gradient shrinks geometrically; the largest singular value of W_hh (≈ 2/√3) is above 1, so this
is typical behaviour, not a bound that holds for every direction. The LSTM's cell state
has an additive path c_t = f_t ⊙ c_{t−1} + …, on which the gradient is multiplied only by the
forget gate f_t ≈ σ(forget_bias): a bias of 1 (the usual recommendation) keeps 73% per step,
a bias of 5 keeps 99%. (The paths from c_t through h_t and the gates add to this, so the LSTM's
curve can lie above the forget-gate product.)
"""
from __future__ import annotations

import numpy as np

from _params import fmt, positive_or_none, validate

TITLE = "Gradient through time: vanilla RNN vs LSTM"
TERMS = ["lstm", "recurrent-neural-network", "forget-gate", "vanishing-gradient",
         "long-term-dependencies", "backpropagation-through-time", "tanh", "sigmoid"]

PARAMS = [
    {"name": "forget_bias", "label": "LSTM forget-gate bias", "kind": "slider", "min": -2.0,
     "max": 5.0, "step": 0.5, "default": 1.0,
     "help": "Bias of the LSTM's forget gate: σ(bias) is roughly the share of the cell state, and "
             "of its gradient, kept at each step."},
    {"name": "steps", "label": "Steps back in time", "kind": "slider", "min": 10, "max": 100,
     "step": 5, "default": 60, "help": "How many time steps the gradient is followed back."},
    {"name": "hidden", "label": "Hidden size", "kind": "slider", "min": 8, "max": 32, "step": 8,
     "default": 32, "help": "Number of hidden units (and cell-state units) of both networks."},
    {"name": "seed", "label": "Random seed", "kind": "slider", "min": 0, "max": 99, "step": 1,
     "default": 0, "help": "Seed for the weights, the input sequence and the loss direction."},
]

INPUTS = 8


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _rnn_grads(xs, w_ih, w_hh, b, u, h0=None):
    """‖∂(u·h_T)/∂h_t‖ for t = T, T−1, …, 0, and ∂(u·h_T)/∂h_0 itself."""
    h = np.zeros(w_hh.shape[0]) if h0 is None else h0
    hs = [h]
    for x in xs:
        h = np.tanh(w_ih @ x + w_hh @ h + b)
        hs.append(h)
    g, norms = u, [np.linalg.norm(u)]
    for h in hs[:0:-1]:
        g = w_hh.T @ ((1.0 - h * h) * g)
        norms.append(np.linalg.norm(g))
    return np.array(norms), g


def _lstm_grads(xs, w_ih, w_hh, b, u, c0=None):
    """‖∂(u·c_T)/∂c_t‖ for t = T, …, 0 (all paths, through h too), the mean forget gate, the
    norm of the gradient on the additive path alone, ‖u ⊙ f_T ⊙ … ⊙ f_1‖, and ∂(u·c_T)/∂c_0
    itself (h_0 = 0 is held fixed)."""
    n = w_hh.shape[1]
    h, c = np.zeros(n), (np.zeros(n) if c0 is None else c0)
    cache = []
    for x in xs:
        z = w_ih @ x + w_hh @ h + b
        i, f, o = _sigmoid(z[:n]), _sigmoid(z[n:2 * n]), _sigmoid(z[2 * n:3 * n])
        g = np.tanh(z[3 * n:])
        c_prev, c = c, f * c + i * g
        tc = np.tanh(c)
        h = o * tc
        cache.append((i, f, o, g, c_prev, tc))
    dc, dh = u, np.zeros(n)
    norms = []
    for i, f, o, g, c_prev, tc in cache[::-1]:
        dc = dc + dh * o * (1.0 - tc * tc)          # total gradient at c_t
        norms.append(np.linalg.norm(dc))
        dz = np.concatenate([dc * g * i * (1.0 - i), dc * c_prev * f * (1.0 - f),
                             dh * tc * o * (1.0 - o), dc * i * (1.0 - g * g)])
        dc, dh = dc * f, w_hh.T @ dz
    norms.append(np.linalg.norm(dc))               # c_0: h_0 is a fixed zero state
    gates = np.array([entry[1] for entry in cache])
    direct = float(np.linalg.norm(u * np.prod(gates, axis=0)))
    return np.array(norms), float(gates.mean()), direct, dc


def _setup(steps, hidden, forget_bias, seed):
    rng = np.random.default_rng(seed)
    k = 1.0 / np.sqrt(hidden)
    uni = lambda *shape: rng.uniform(-k, k, shape)  # noqa: E731
    xs = rng.standard_normal((steps, INPUTS))
    rnn = (uni(hidden, INPUTS), uni(hidden, hidden), uni(hidden))
    lstm_b = uni(4 * hidden)
    lstm_b[hidden:2 * hidden] = forget_bias
    lstm = (uni(4 * hidden, INPUTS), uni(4 * hidden, hidden), lstm_b)
    u = rng.standard_normal(hidden)
    return xs, rnn, lstm, u / np.linalg.norm(u)


def run(**params) -> dict:
    """Backpropagate through time in a tanh RNN and an LSTM and compare what survives.

    Parameters
    ----------
    forget_bias : float
        The LSTM's forget-gate bias, −2 to 5.
    steps : int
        Time steps to follow the gradient back, 10 to 100.
    hidden : int
        Hidden size, 8 to 32.
    seed : int

    Returns
    -------
    dict
        ``chart`` (gradient norm against steps back, log scale), ``summary`` and ``metrics``:
        ``rnn_final`` and ``lstm_final`` (norm ``steps`` steps back), ``lstm_over_rnn`` (their
        ratio), ``rnn_per_step`` and ``lstm_per_step`` (geometric-mean factor per step) and
        ``mean_forget_gate``.

    Examples
    --------
    >>> out = run(forget_bias=1.0, steps=50)
    >>> out["metrics"]["lstm_over_rnn"] > 100
    True
    >>> round(out["metrics"]["mean_forget_gate"], 1)
    0.7
    """
    p = validate(PARAMS, params)
    steps = p["steps"]
    xs, rnn, lstm, u = _setup(steps, p["hidden"], p["forget_bias"], p["seed"])
    with np.errstate(under="ignore"):
        rnn_norms, _ = _rnn_grads(xs, *rnn, u)
        lstm_norms, mean_f, direct, _ = _lstm_grads(xs, *lstm, u)
    rnn_y, lstm_y = positive_or_none(rnn_norms), positive_or_none(lstm_norms)
    rnn_end, lstm_end = rnn_y[-1], lstm_y[-1]
    ratio = lstm_end / rnn_end if rnn_end and lstm_end else None
    per_step = lambda end: end ** (1.0 / steps) if end else None  # noqa: E731
    xs_back = list(range(steps + 1))
    return {
        "chart": {
            "title": "Gradient reaching earlier time steps",
            "x": {"label": "Steps back in time (T − t)", "scale": "linear"},
            "y": {"label": "Gradient norm (1 at the last step)", "scale": "log"},
            "series": [
                {"name": "vanilla tanh RNN, ‖∂L/∂h_t‖", "x": xs_back, "y": rnn_y},
                {"name": f"LSTM, forget bias {p['forget_bias']:g}, ‖∂L/∂c_t‖", "x": xs_back,
                 "y": lstm_y},
            ],
        },
        "summary": _summary(steps, rnn_end, lstm_end, ratio, mean_f, direct, p["forget_bias"]),
        "metrics": {"rnn_final": rnn_end, "lstm_final": lstm_end, "lstm_over_rnn": ratio,
                    "rnn_per_step": per_step(rnn_end), "lstm_per_step": per_step(lstm_end),
                    "mean_forget_gate": mean_f, "lstm_forget_path": direct},
    }


def _summary(steps, rnn_end, lstm_end, ratio, mean_f, direct, bias) -> str:
    text = (f"Followed {steps} steps back, the RNN's gradient is {fmt(rnn_end)} × its size at the "
            f"last step and the LSTM's cell-state gradient is {fmt(lstm_end)} ×.")
    if ratio is not None and ratio >= 1:
        text += f" The LSTM's path carries {fmt(ratio)} times more."
    elif ratio is not None:
        text += f" Here the RNN carries {fmt(1 / ratio)} times more: the LSTM forgets faster."
    text += (f" With a forget-gate bias of {bias:g} the forget gate averaged {mean_f:.2f}; on the "
             f"cell state's additive path the gradient is multiplied by the gate at every step, "
             f"which alone keeps {fmt(direct)} of it after {steps} steps")
    if lstm_end is not None and lstm_end > 1:
        text += (f". The other paths, through h_t and the gates, add to it until the gradient "
                 f"grows ({fmt(lstm_end ** (1.0 / steps))} per step): the forget gate does not stop an LSTM's "
                 f"gradient from exploding")
    elif lstm_end is not None and lstm_end > 2 * direct:
        text += " (the paths through h_t and the gates carry the rest)"
    if mean_f > 0.9:
        text += (". A gate this close to 1 lets information from many steps ago still change the "
                 "weights (long-term dependencies).")
    else:
        text += ". A larger bias keeps the gate closer to 1 and the memory longer."
    return text
