"""Shared building blocks for the demos: activations and their slopes, initial weight scales,
and batch normalization forward/backward. Not a demo itself (leading underscore).

Everything here is elementwise NumPy on small arrays so it stays fast without BLAS (Pyodide).
"""
from __future__ import annotations

import math

import numpy as np

__all__ = ["ACTIVATIONS", "LABELS", "INITS", "INIT_LABELS", "activation", "slope",
           "init_std", "batch_norm", "batch_norm_backward"]

ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu"]
LABELS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU",
          "elu": "ELU", "gelu": "GELU"}
INITS = ["xavier", "he", "normal"]
INIT_LABELS = {"xavier": "Xavier init", "he": "He init", "normal": "N(0, σ²) init"}

LEAKY_SLOPE = 0.01   # PyTorch's default negative slope
ELU_ALPHA = 1.0
_GELU_C = math.sqrt(2.0 / math.pi)   # GELU uses the tanh approximation: NumPy has no erf
_GELU_K = 0.044715


def activation(name: str, z: np.ndarray) -> np.ndarray:
    """Apply the activation ``name`` elementwise.

    GELU is the tanh approximation ``0.5 z (1 + tanh(√(2/π)(z + 0.044715 z³)))`` (as in BERT
    and GPT-2); it differs from the exact erf form by less than 1e-3.

    Examples
    --------
    >>> activation("sigmoid", np.array([0.0])).tolist()
    [0.5]
    >>> activation("relu", np.array([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    """
    with np.errstate(over="ignore"):
        if name == "sigmoid":
            return 1.0 / (1.0 + np.exp(-z))
        if name == "tanh":
            return np.tanh(z)
        if name == "relu":
            return np.maximum(z, 0.0)
        if name == "leaky_relu":
            return np.where(z > 0, z, LEAKY_SLOPE * z)
        if name == "elu":
            return np.where(z > 0, z, ELU_ALPHA * np.expm1(np.minimum(z, 0.0)))
        if name == "gelu":
            return 0.5 * z * (1.0 + np.tanh(_GELU_C * z * (1.0 + _GELU_K * z * z)))
    raise ValueError(f"unknown activation {name!r}")


def slope(name: str, z: np.ndarray, a: np.ndarray | None = None) -> np.ndarray:
    """The derivative of activation ``name`` at ``z`` (``a`` = activation(z) if already known).

    At the kink of ReLU-like functions the left derivative is used (ReLU'(0) = 0, as PyTorch).

    Examples
    --------
    >>> float(slope("sigmoid", np.array(0.0))), float(slope("tanh", np.array(0.0)))
    (0.25, 1.0)
    """
    with np.errstate(over="ignore"):
        if name == "sigmoid":
            a = activation(name, z) if a is None else a
            return a * (1.0 - a)
        if name == "tanh":
            a = np.tanh(z) if a is None else a
            return 1.0 - a * a
        if name == "relu":
            return (z > 0).astype(float)
        if name == "leaky_relu":
            return np.where(z > 0, 1.0, LEAKY_SLOPE)
        if name == "elu":
            return np.where(z > 0, 1.0, ELU_ALPHA * np.exp(np.minimum(z, 0.0)))
        if name == "gelu":
            t = np.tanh(_GELU_C * z * (1.0 + _GELU_K * z * z))
            return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * _GELU_C * (1.0 + 3 * _GELU_K * z * z)
    raise ValueError(f"unknown activation {name!r}")


def init_std(init: str, fan_in: int, fan_out: int, std: float = 1.0) -> float:
    """Standard deviation of normally distributed initial weights.

    ``xavier``: √(2 / (fan_in + fan_out)) (Glorot & Bengio 2010); ``he``: √(2 / fan_in)
    (He et al. 2015, derived for ReLU); ``normal``: the given ``std``, whatever the width.

    Examples
    --------
    >>> round(init_std("xavier", 32, 32), 4), init_std("he", 32, 32), init_std("normal", 32, 32, 0.5)
    (0.1768, 0.25, 0.5)
    """
    if init == "xavier":
        return math.sqrt(2.0 / (fan_in + fan_out))
    if init == "he":
        return math.sqrt(2.0 / fan_in)
    if init == "normal":
        return float(std)
    raise ValueError(f"unknown init {init!r}")


BN_EPS = 1e-5


def batch_norm(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Normalize each feature (column) of ``z`` over the batch (rows): returns ``(ẑ, 1/σ)``.

    Scale γ = 1 and shift β = 0 (their values at initialization); ε = 1e-5 as in PyTorch.
    """
    centred = z - z.mean(axis=0)
    inv_std = 1.0 / np.sqrt((centred * centred).mean(axis=0) + BN_EPS)
    return centred * inv_std, inv_std


def batch_norm_backward(grad_zhat: np.ndarray, zhat: np.ndarray, inv_std: np.ndarray) -> np.ndarray:
    """Gradient with respect to the batch-norm input, given the gradient at its output.

    The batch mean and variance depend on every example, so the gradient is projected:
    ``∂L/∂z = (g − mean(g) − ẑ·mean(g ẑ)) / σ`` per feature.
    """
    return inv_std * (grad_zhat - grad_zhat.mean(axis=0) - zhat * (grad_zhat * zhat).mean(axis=0))
