"""Tests of the live-demo modules in ``demos/``: the module contract, parameter validation
(exact messages), and the theory each demo illustrates.

The demos are plain top-level modules (the page puts the demos directory on ``sys.path``), so
the directory is put on ``sys.path`` here too.
"""
from __future__ import annotations

import ast
import importlib
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

DEMOS_DIR = Path(__file__).resolve().parents[1] / "demos"
if str(DEMOS_DIR) not in sys.path:
    sys.path.insert(0, str(DEMOS_DIR))

import _nn  # noqa: E402
from _params import fmt as _fmt  # noqa: E402
from _params import validate  # noqa: E402

DEMO_IDS = ["activation-functions", "batch-norm-stats", "gradient-clipping", "gradient-decay",
            "rnn-vs-lstm", "training-stall"]
# A demo's TERMS are entries of this glossary (a list here had to be kept by hand).
ALLOWED_TERMS = {p.stem for p in (DEMOS_DIR.parent / "glossary").glob("*.md")}
KIND_KEYS = {"slider": {"min", "max", "step"}, "select": {"choices"}, "checkbox": set()}
COMMON_KEYS = {"name", "label", "kind", "default", "help"}
OPTIONAL_KEYS = {"applies_when"}


def load(demo_id: str):
    return importlib.import_module(demo_id.replace("-", "_"))


def is_int_slider(spec) -> bool:
    return all(type(spec[k]) is int for k in ("min", "max", "step"))


def demo_params():
    return [pytest.param(d, id=d) for d in DEMO_IDS]


# --------------------------------------------------------------------------------------------
# The contract
# --------------------------------------------------------------------------------------------

def test_demo_files_are_exactly_the_known_demos():
    """Each module of demos/ is in DEMO_IDS, which its tests here run for, in any order (the
    list was compared as written with the sorted files: an id added at the end failed)."""
    found = sorted(p.stem.replace("_", "-") for p in DEMOS_DIR.glob("*.py")
                   if not p.name.startswith("_"))
    assert found == sorted(DEMO_IDS), (
        f"modules not in DEMO_IDS: {sorted(set(found) - set(DEMO_IDS))}; ids without a "
        f"module: {sorted(set(DEMO_IDS) - set(found))}; ids listed twice: "
        f"{sorted({d for d in DEMO_IDS if DEMO_IDS.count(d) > 1})}")


@pytest.mark.parametrize("demo_id", demo_params())
def test_module_constants_are_well_formed(demo_id):
    mod = load(demo_id)
    assert mod.__doc__ and mod.__doc__.splitlines()[0].strip().endswith("."), \
        "the module's docstring: a first line ending with a full stop"
    assert isinstance(mod.TITLE, str) and mod.TITLE.strip()
    assert mod.TERMS and len(set(mod.TERMS)) == len(mod.TERMS), "TERMS: the entries it explains"
    assert set(mod.TERMS) <= ALLOWED_TERMS, f"not entries: {set(mod.TERMS) - ALLOWED_TERMS}"
    assert json.loads(json.dumps(mod.PARAMS, allow_nan=False)) == mod.PARAMS
    names = [spec["name"] for spec in mod.PARAMS]
    assert len(set(names)) == len(names)
    for spec in mod.PARAMS:
        wanted = COMMON_KEYS | KIND_KEYS[spec["kind"]]
        assert set(spec) - OPTIONAL_KEYS == wanted, \
            f"{spec['name']}: keys {sorted(wanted)} (label, help too)"
        assert spec["name"].isidentifier() and spec["label"] and spec["help"]
        if spec["kind"] == "slider":
            lo, hi, step, default = spec["min"], spec["max"], spec["step"], spec["default"]
            assert lo < hi and step > 0 and lo <= default <= hi
            if is_int_slider(spec):
                assert type(default) is int and (default - lo) % step == 0 and (hi - lo) % step == 0
            else:
                assert all(isinstance(spec[k], float) for k in ("min", "max", "step", "default")), \
                    f"{spec['name']}: a float slider's min, max, step and default are floats"
                n = (hi - lo) / step
                assert abs(n - round(n)) < 1e-9, "float slider range is not a whole number of steps"
        elif spec["kind"] == "select":
            choices = spec["choices"]
            assert choices and all(isinstance(c, str) for c in choices)
            assert len(set(choices)) == len(choices) and spec["default"] in choices
        else:
            assert isinstance(spec["default"], bool)
    assert validate(mod.PARAMS, {}) == {spec["name"]: spec["default"] for spec in mod.PARAMS}
    assert mod.run.__doc__ and "Examples" in mod.run.__doc__, \
        "run()'s docstring has an Examples section (a doctest)"


def check_output(out: dict) -> None:
    """The result shape of the contract, JSON-safe and drawable."""
    assert set(out) == {"chart", "summary", "metrics"}, f"result keys: {sorted(out)}"
    assert json.loads(json.dumps(out, allow_nan=False)) == out   # only JSON types, no NaN/inf
    chart = out["chart"]
    assert set(chart) == {"title", "x", "y", "series"} and chart["title"]
    for axis in ("x", "y"):
        assert set(chart[axis]) == {"label", "scale"} and chart[axis]["label"]
        assert chart[axis]["scale"] in ("linear", "log")
    assert chart["series"]
    for series in chart["series"]:
        assert set(series) == {"name", "x", "y"} and series["name"]
        assert len(series["x"]) == len(series["y"]) > 0
        assert all(isinstance(v, (int, float)) for v in series["x"])
        assert all(v is None or isinstance(v, float) for v in series["y"])
        if chart["y"]["scale"] == "log":
            assert all(v is None or v > 0 for v in series["y"])
        assert any(v is not None for v in series["y"])
    summary = out["summary"]
    assert isinstance(summary, str) and len(summary) > 40 and any(ch.isdigit() for ch in summary), \
        f"summary: a sentence of the result, with a number in it: {summary!r}"
    assert "nan" not in summary.split() and "inf" not in summary.split()
    assert out["metrics"] and all(isinstance(k, str) for k in out["metrics"])
    assert all(v is None or isinstance(v, (int, float)) for v in out["metrics"].values())


@pytest.mark.parametrize("demo_id", demo_params())
def test_default_run_is_json_safe_and_deterministic(demo_id):
    mod = load(demo_id)
    first = mod.run()
    check_output(first)
    assert mod.run() == first
    assert json.dumps(mod.run(), sort_keys=True) == json.dumps(first, sort_keys=True)


def extreme_settings(params_spec):
    """One parameter at a time at each end of its range (or each choice / both booleans)."""
    for spec in params_spec:
        if spec["kind"] == "slider":
            values = [spec["min"], spec["max"]]
        elif spec["kind"] == "select":
            values = list(spec["choices"])
        else:
            values = [True, False]
        for value in values:
            if value != spec["default"]:
                yield spec["name"], value


@pytest.mark.parametrize("demo_id", demo_params())
def test_every_parameter_extreme_gives_valid_output(demo_id):
    mod = load(demo_id)
    for name, value in extreme_settings(mod.PARAMS):
        if demo_id == "activation-functions" and value is False:
            continue   # unticking one of the two default curves is covered below
        check_output(mod.run(**{name: value}))


def test_stress_settings_stay_json_safe():
    """Settings that overflow or underflow must give None (and say so), never NaN/inf."""
    gd = load("gradient-decay")
    for act in _nn.ACTIVATIONS:
        check_output(gd.run(activation=act, init="normal", std=2.0, depth=60))
        check_output(gd.run(activation=act, init="normal", std=0.05, depth=60, batch_norm=True))
        check_output(gd.run(activation=act, init="he", depth=60, residual=True, batch_norm=True))
    bn = load("batch-norm-stats")
    check_output(bn.run(activation="relu", init="normal", std=2.0, depth=60, stat="mean"))
    check_output(bn.run(activation="tanh", init="normal", std=0.05, depth=60))
    clip = load("gradient-clipping")
    check_output(clip.run(w_init=1.3, seq_len=40, learning_rate=0.005, threshold=50.0, steps=200))
    check_output(clip.run(w_init=0.8, seq_len=5, show="loss"))
    af = load("activation-functions")
    check_output(af.run(**{name: True for name in _nn.ACTIVATIONS}, x_max=10.0))
    ts = load("training-stall")
    check_output(ts.run(learning_rate=1.0, depth=20, steps=50, show="layer updates"))


IMPORT_ALLOWED = set(sys.stdlib_module_names) | {"numpy"}


@pytest.mark.parametrize("path", sorted(DEMOS_DIR.glob("*.py")), ids=lambda p: p.name)
def test_modules_import_only_numpy_stdlib_and_local_helpers(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots = [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            roots = [(node.module or "").split(".")[0]]
        else:
            continue
        for root in roots:
            local = root.startswith("_") and (DEMOS_DIR / f"{root}.py").exists()
            assert root in IMPORT_ALLOWED or local, f"{path.name} imports {root}"


@pytest.mark.parametrize("path", sorted(DEMOS_DIR.glob("*.py")), ids=lambda p: p.name)
def test_module_level_does_no_work(path):
    """Only docstring, imports, constant assignments and definitions at module level."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Expr):
            assert isinstance(node.value, ast.Constant) and node is tree.body[0], "statement at import"
        else:
            assert isinstance(node, (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign,
                                     ast.FunctionDef, ast.ClassDef)), ast.dump(node)[:80]


IMPORT_PROBE = """
import json, sys, time
demos = sys.argv[1]
sys.path.insert(0, demos)
import numpy
called = []

def probe(frame, event, arg):
    code = frame.f_code
    if event == "call" and code.co_filename.startswith(demos) and not code.co_name.startswith("<"):
        called.append(code.co_name)

start = time.perf_counter()
sys.setprofile(probe)
import {module}
sys.setprofile(None)
sys.stderr.write(json.dumps({{"called": called, "seconds": time.perf_counter() - start}}))
"""


@pytest.mark.parametrize("demo_id", demo_params())
def test_import_runs_no_demo_code_and_prints_nothing(demo_id):
    """Importing defines names only: no function of the demo (or its helpers) runs."""
    code = IMPORT_PROBE.format(module=demo_id.replace("-", "_"))
    proc = subprocess.run([sys.executable, "-c", code, str(DEMOS_DIR)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    report = json.loads(proc.stderr)
    assert report["called"] == []
    assert report["seconds"] < 1.0   # generous: compiling the module on a busy machine


# --------------------------------------------------------------------------------------------
# Parameter validation: exact messages
# --------------------------------------------------------------------------------------------

ACTS = "['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'gelu']"
GD_NAMES = "['activation', 'init', 'std', 'depth', 'residual', 'batch_norm', 'seed']"
BAD_PARAMS = [
    ("gradient-decay", {"depth": 100}, "depth: expected an integer in [2, 60] but received: 100"),
    ("gradient-decay", {"depth": 1}, "depth: expected an integer in [2, 60] but received: 1"),
    ("gradient-decay", {"depth": 30.0}, "depth: expected an integer in [2, 60] but received: 30.0"),
    ("gradient-decay", {"depth": "30"}, "depth: expected an integer in [2, 60] but received: '30'"),
    ("gradient-decay", {"depth": True}, "depth: expected an integer in [2, 60] but received: True"),
    ("gradient-decay", {"activation": "foo"},
     f"activation: expected one of {ACTS} but received: 'foo'"),
    ("gradient-decay", {"activation": "sigmod"},
     f"activation: expected one of {ACTS} but received: 'sigmod' (did you mean 'sigmoid'?)"),
    ("gradient-decay", {"activation": None}, f"activation: expected one of {ACTS} but received: None"),
    ("gradient-decay", {"dpth": 3}, "unknown parameter 'dpth' (did you mean 'depth'?)"),
    ("gradient-decay", {"xyz": 3}, f"unknown parameter 'xyz' (expected one of {GD_NAMES})"),
    ("gradient-decay", {"residual": 1}, "residual: expected True or False but received: 1"),
    ("gradient-decay", {"residual": "yes"}, "residual: expected True or False but received: 'yes'"),
    ("gradient-decay", {"std": 5}, "std: expected a number in [0.05, 2.0] but received: 5"),
    ("gradient-decay", {"std": float("nan")}, "std: expected a number in [0.05, 2.0] but received: nan"),
    ("gradient-decay", {"std": float("inf")}, "std: expected a number in [0.05, 2.0] but received: inf"),
    ("gradient-decay", {"std": "0.5"}, "std: expected a number in [0.05, 2.0] but received: '0.5'"),
    ("gradient-decay", {"depth": 100, "activation": "foo", "dpth": 1},
     "unknown parameter 'dpth' (did you mean 'depth'?)\n"
     f"activation: expected one of {ACTS} but received: 'foo'\n"
     "depth: expected an integer in [2, 60] but received: 100"),
    ("rnn-vs-lstm", {"steps": 52},
     "steps: expected an integer in [10, 100] in steps of 5 from 10 but received: 52"),
    ("rnn-vs-lstm", {"hidden": 12},
     "hidden: expected an integer in [8, 32] in steps of 8 from 8 but received: 12"),
    ("rnn-vs-lstm", {"forget_bias": 6}, "forget_bias: expected a number in [-2.0, 5.0] but received: 6"),
    ("training-stall", {"steps": 1000},
     "steps: expected an integer in [50, 600] in steps of 50 from 50 but received: 1000"),
    ("training-stall", {"show": "losses"},
     "show: expected one of ['loss', 'layer updates'] but received: 'losses' (did you mean 'loss'?)"),
    ("gradient-clipping", {"threshold": 0},
     "threshold: expected a number in [0.5, 50.0] but received: 0"),
    ("batch-norm-stats", {"stat": "variance"},
     "stat: expected one of ['std', 'mean'] but received: 'variance'"),
    ("activation-functions", {"sigmoid": False, "tanh": False},
     f"expected at least one of {ACTS} to be ticked but received none"),
]


@pytest.mark.parametrize("demo_id, params, message", BAD_PARAMS,
                         ids=[f"{d}-{'-'.join(p)}" for d, p, _ in BAD_PARAMS])
def test_bad_parameters_raise_exact_messages(demo_id, params, message):
    with pytest.raises(ValueError) as err:
        load(demo_id).run(**params)
    assert str(err.value) == message


@pytest.mark.parametrize("params, expected", [
    ({"std": 1}, 1.0),                 # a float slider accepts an int and returns a float
    ({"std": np.float64(0.25)}, 0.25),
    ({"depth": np.int64(12)}, 12),     # NumPy integers are fine for integer sliders
    ({"residual": np.bool_(True)}, True),
])
def test_validate_accepts_and_normalizes_values(params, expected):
    clean = validate(load("gradient-decay").PARAMS, params)
    (name, value), = params.items()
    assert clean[name] == expected and type(clean[name]) is type(expected)


# --------------------------------------------------------------------------------------------
# Theory: gradient-decay
# --------------------------------------------------------------------------------------------

SEEDS = range(100)   # the whole seed slider: the claims hold for every setting a reader can pick


def ratios(**params):
    gd = load("gradient-decay")
    return np.array([gd.run(seed=s, **params)["metrics"]["ratio_first_last"] for s in SEEDS])


def test_deep_sigmoid_with_xavier_init_vanishes():
    assert ratios(activation="sigmoid", init="xavier", depth=30).max() < 1e-6


def test_relu_with_he_init_keeps_the_gradient_within_10x():
    r = ratios(activation="relu", init="he", depth=30)
    assert r.min() >= 0.1 and r.max() <= 10


@pytest.mark.parametrize("params", [
    dict(activation="sigmoid", init="xavier"),
    dict(activation="tanh", init="xavier"),
    dict(activation="relu", init="he"),
    dict(activation="relu", init="he", batch_norm=True),
], ids=lambda p: "-".join(str(v) for v in p.values()))
def test_residual_connections_keep_the_gradient_within_2x(params):
    r = ratios(depth=30, residual=True, **params)
    assert r.min() >= 0.5 and r.max() <= 2


def test_last_layer_is_one_and_ratio_matches_series():
    out = load("gradient-decay").run()
    y = out["chart"]["series"][0]["y"]
    assert len(y) == 30 and y[-1] == pytest.approx(1.0, rel=1e-12)
    assert out["metrics"]["ratio_first_last"] == pytest.approx(y[0] / y[-1], rel=1e-12)


@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("bn", [False, True])
@pytest.mark.parametrize("act", _nn.ACTIVATIONS)
def test_gradient_decay_backprop_matches_finite_differences(act, bn, residual):
    gd = load("gradient-decay")
    rng = np.random.default_rng(1)
    weights = [rng.standard_normal((6, 6)) * 0.5 for _ in range(4)]
    x = rng.standard_normal((5, 6))
    g_top = rng.standard_normal((5, 6))

    def loss(x_):
        hs, _ = gd._forward(x_, weights, act, residual, bn)
        return float((hs[-1] * g_top).sum())

    hs, caches = gd._forward(x, weights, act, residual, bn)
    _, grad_x, _ = gd._backward(weights, caches, g_top, act, residual, bn)
    eps = 1e-6
    numeric = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[idx] = eps
        numeric[idx] = (loss(x + step) - loss(x - step)) / (2 * eps)
    np.testing.assert_allclose(grad_x, numeric, rtol=1e-5, atol=1e-7)


# --------------------------------------------------------------------------------------------
# Theory: activation functions
# --------------------------------------------------------------------------------------------

def test_sigmoid_slope_peaks_at_one_quarter_and_tanh_at_one():
    af = load("activation-functions")
    for x_max in (1.0, 3.5, 6.0, 10.0):
        assert 0.0 in af._grid(x_max)
        m = af.run(x_max=x_max)["metrics"]
        assert abs(m["max_slope_sigmoid"] - 0.25) < 1e-6 and m["max_slope_at_sigmoid"] == 0.0
        assert abs(m["max_slope_tanh"] - 1.0) < 1e-6


def test_tanh_saturates_before_sigmoid_and_relu_is_flat_on_the_left():
    m = load("activation-functions").run(**{name: True for name in _nn.ACTIVATIONS})["metrics"]
    # slope < 0.01 where 4·e^{-|x|} < 0.01 (tanh: |x| > 2.99) and e^{-|x|} < 0.01 (sigmoid: |x| > 4.6)
    assert 2.9 <= m["saturates_beyond_tanh"] <= 3.0 < 4.5 <= m["saturates_beyond_sigmoid"] <= 4.6
    assert m["saturates_beyond_relu"] is None and m["min_slope_relu"] == 0.0
    assert m["flat_fraction_relu"] == pytest.approx(0.5, abs=0.01)
    # Where the slope reaches 0.01 exactly, whatever the grid (it moved with x_max):
    # σ(1 − σ) = 0.01 at |x| = logit((1 + √0.96) / 2); 1 − tanh² = 0.01 at artanh √0.99.
    sigmoid = math.log((1 + math.sqrt(0.96)) / (1 - math.sqrt(0.96)))
    for x_max in (6.0, 6.5, 8.5, 10.0):
        ranged = load("activation-functions").run(x_max=x_max)["metrics"]
        assert ranged["saturates_beyond_sigmoid"] == pytest.approx(sigmoid, abs=1e-9)
        assert ranged["saturates_beyond_tanh"] == pytest.approx(math.atanh(math.sqrt(0.99)),
                                                                abs=1e-9)
    assert m["flat_fraction_leaky_relu"] == 0.0
    assert m["max_slope_gelu"] == pytest.approx(1.129, abs=1e-3) and m["min_slope_gelu"] < 0


@pytest.mark.parametrize("act", _nn.ACTIVATIONS)
def test_slopes_match_finite_differences(act):
    x = np.linspace(-6, 6, 1201)
    x = x[np.abs(x) > 1e-3]   # away from the ReLU-family kink
    numeric = (_nn.activation(act, x + 1e-6) - _nn.activation(act, x - 1e-6)) / 2e-6
    np.testing.assert_allclose(_nn.slope(act, x), numeric, rtol=1e-6, atol=1e-8)


# --------------------------------------------------------------------------------------------
# Theory: RNN vs LSTM
# --------------------------------------------------------------------------------------------

def test_lstm_with_forget_bias_at_least_one_keeps_100x_more_gradient_after_50_steps():
    rl = load("rnn-vs-lstm")
    for bias in np.arange(1.0, 5.01, 0.5):
        for hidden in (8, 16, 24, 32):
            for seed in range(10):
                out = rl.run(forget_bias=float(bias), hidden=hidden, seed=seed, steps=60)
                rnn, lstm = (s["y"] for s in out["chart"]["series"])
                assert out["chart"]["series"][0]["x"][50] == 50
                assert rnn[0] == pytest.approx(1.0) and lstm[0] == pytest.approx(1.0)
                assert lstm[50] >= 100 * rnn[50], (bias, hidden, seed)


def test_lstm_memory_grows_with_the_forget_bias():
    rl = load("rnn-vs-lstm")
    kept = [rl.run(forget_bias=b)["metrics"]["lstm_final"] for b in (-2.0, 0.0, 1.0, 3.0, 5.0)]
    assert kept == sorted(kept)
    assert rl.run(forget_bias=5.0)["metrics"]["mean_forget_gate"] > 0.99


def numeric_gradient(f, x0, eps=1e-6):
    return np.array([(f(x0 + eps * e) - f(x0 - eps * e)) / (2 * eps) for e in np.eye(len(x0))])


def test_bptt_matches_finite_differences():
    rl = load("rnn-vs-lstm")
    xs, rnn, lstm, u = rl._setup(6, 8, 1.0, 3)
    n = 8

    def rnn_loss(h0):
        h = h0
        for x in xs:
            h = np.tanh(rnn[0] @ x + rnn[1] @ h + rnn[2])
        return u @ h

    def lstm_loss(c0):
        h, c = np.zeros(n), c0
        sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
        for x in xs:
            z = lstm[0] @ x + lstm[1] @ h + lstm[2]
            c = sig(z[n:2 * n]) * c + sig(z[:n]) * np.tanh(z[3 * n:])
            h = sig(z[2 * n:3 * n]) * np.tanh(c)
        return u @ c

    start = np.random.default_rng(0).standard_normal(n) * 0.3
    norms, grad_h0 = rl._rnn_grads(xs, *rnn, u, h0=start)
    np.testing.assert_allclose(grad_h0, numeric_gradient(rnn_loss, start), rtol=1e-6, atol=1e-9)
    assert norms[-1] == pytest.approx(np.linalg.norm(grad_h0))
    norms, _, _, grad_c0 = rl._lstm_grads(xs, *lstm, u, c0=start)
    np.testing.assert_allclose(grad_c0, numeric_gradient(lstm_loss, start), rtol=1e-6, atol=1e-9)
    assert norms[-1] == pytest.approx(np.linalg.norm(grad_c0))


# --------------------------------------------------------------------------------------------
# Theory: gradient clipping
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("params", [
    {}, {"threshold": 0.5}, {"threshold": 50.0}, {"w_init": 0.9}, {"w_init": 1.3, "seq_len": 40},
    {"learning_rate": 0.0002, "threshold": 25.0, "steps": 200},
], ids=lambda p: "-".join(f"{k}={v}" for k, v in p.items()) or "default")
def test_clipping_caps_the_norm_exactly(params):
    clip = load("gradient-clipping")
    out = clip.run(**params)
    c = out["metrics"]["threshold"]
    _, raw, applied = (s["y"] for s in out["chart"]["series"])
    for r, a in zip(raw, applied):
        if r is None:
            continue
        assert abs(a - min(r, c)) <= 1e-12 * min(r, c)
    assert out["metrics"]["max_clip_error"] <= 1e-12


def test_clip_by_norm_on_vectors_of_every_size():
    clip = load("gradient-clipping")
    rng = np.random.default_rng(0)
    for scale in (1e-3, 0.5, 1.0, 3.0, 1e6, 1e150):
        for c in (0.5, 1.0, 7.5):
            g = rng.standard_normal(17) * scale
            clipped = clip.clip_by_norm(g, c)
            norm = np.linalg.norm(g)
            assert abs(np.linalg.norm(clipped) - min(norm, c)) <= 1e-12 * min(norm, c)
            cos = clipped @ g / (np.linalg.norm(clipped) * norm)
            assert cos == pytest.approx(1.0, abs=1e-12)     # direction unchanged


def test_without_clipping_the_default_run_diverges_and_with_clipping_it_converges():
    m = load("gradient-clipping").run()["metrics"]
    assert m["first_raw_norm"] > 50 * m["threshold"]
    assert m["diverged_at"] is not None and m["final_loss_unclipped"] is None
    assert m["final_loss_clipped"] < 0.1


def test_clipping_every_step_is_said_to_act_as_a_smaller_learning_rate():
    """The entry's misconceptions call clipping on every step a threshold far too low; the
    demo's old default (c = 5) did just that, and its summary said nothing."""
    clip = load("gradient-clipping")
    for params, every in (({"threshold": 5.0}, True), ({}, False), ({"threshold": 50}, False),
                          ({"w_init": 0.9}, False)):
        out = clip.run(**params)
        assert (out["metrics"]["steps_clipped"] == out_steps(clip, params)) == every
        assert ("Every step was clipped" in out["summary"]) == every, params


def test_the_default_threshold_catches_only_the_spikes():
    """A threshold should sit above the typical gradient norm and clip only outliers (the
    entry says so); the default does, and ends lower than clipping every step."""
    clip = load("gradient-clipping")
    out = clip.run()
    m, steps = out["metrics"], out_steps(clip, {})
    raw = out["chart"]["series"][1]["y"]
    assert m["median_norm_clipped_run"] == pytest.approx(float(np.median(raw)), rel=1e-12)
    assert m["median_norm_clipped_run"] < m["threshold"] / 2
    assert 0 < m["steps_clipped"] <= steps // 10
    assert "so clipping caught only the spikes" in out["summary"]
    every = clip.run(threshold=5.0)["metrics"]
    assert m["final_loss_clipped"] < every["final_loss_clipped"] / 5
    # No gradient above c, nothing clipped: nothing is said about spikes.
    assert "spikes" not in clip.run(w_init=0.9)["summary"]


def out_steps(module, params) -> int:
    return params.get("steps", next(p["default"] for p in module.PARAMS if p["name"] == "steps"))


def test_clipping_gradient_matches_finite_differences():
    clip = load("gradient-clipping")
    for w, b, t in [(1.15, 0.0, 20), (0.9, 0.3, 7), (1.02, -0.2, 40)]:
        _, g = clip._loss_and_grad(w, b, t)
        numeric = numeric_gradient(lambda p: clip._loss_and_grad(p[0], p[1], t)[0], np.array([w, b]))
        np.testing.assert_allclose(g, numeric, rtol=1e-5)


# --------------------------------------------------------------------------------------------
# Theory: batch-norm statistics
# --------------------------------------------------------------------------------------------

def test_batch_norm_keeps_relu_statistics_fixed_and_xavier_relu_halves_the_variance():
    bn = load("batch-norm-stats")
    out = bn.run(activation="relu", init="xavier", depth=20)
    m = out["metrics"]
    # ReLU of a standard normal: mean 1/√(2π) ≈ 0.399, std √(1/2 − 1/(2π)) ≈ 0.584
    for series in bn.run(activation="relu", stat="std")["chart"]["series"][1:]:
        assert all(0.5 < v < 0.7 for v in series["y"])
    assert m["mean_last_bn"] == pytest.approx(0.399, abs=0.05)
    # variance halves per layer: std × 2^(-19/2) ≈ 1.4e-3 over 19 layers (finite width: within 3x)
    assert 2 ** -9.5 / 3 < m["std_change_plain"] < 2 ** -9.5 * 3
    he = bn.run(activation="relu", init="he", depth=20)["metrics"]
    assert 1 / 3 < he["std_change_plain"] < 3


def test_a_stable_scale_with_saturated_units_is_not_called_a_good_initialization():
    """tanh and sigmoid with σ = 2 weights keep the activations' std flat while almost every unit
    sits at its limit, where no gradient passes: the summary must say saturated, not fine."""
    bn = load("batch-norm-stats")
    for act in ("tanh", "sigmoid"):
        out = bn.run(activation=act, init="normal", std=2.0)
        m = out["metrics"]
        assert 0.5 < m["std_change_plain"] < 2                      # the scale alone looks fine
        assert m["saturated_last_plain"] > 0.5
        assert "saturated" in out["summary"] and "stable, but" in out["summary"]
    fine = bn.run(activation="sigmoid", init="xavier")
    assert fine["metrics"]["saturated_last_plain"] < 0.05
    assert "keeps the scale stable" in fine["summary"] and "saturated" not in fine["summary"]
    assert bn.run(activation="relu")["metrics"]["saturated_last_plain"] is None


def test_batch_norm_summary_reads_the_statistic_the_chart_shows():
    """With the mean on the chart, the summary spoke of the standard deviation alone."""
    bn = load("batch-norm-stats")
    out = bn.run(activation="relu", init="he", stat="mean")
    plain, normed = (s["y"] for s in out["chart"]["series"])
    assert out["summary"].startswith(
        f"Without batch normalization the activations' mean goes from {_fmt(plain[0])} at layer 1 "
        f"to {_fmt(plain[-1])} at layer 20.")
    assert f"it stays between {_fmt(min(normed))} and {_fmt(max(normed))} at every" in out["summary"]
    assert "standard deviation" not in out["summary"]
    saturated = bn.run(activation="tanh", init="normal", std=2.0, stat="mean")["summary"]
    assert "mean goes from" in saturated and "saturated" in saturated
    assert "standard deviation goes from" in bn.run(activation="relu", init="he")["summary"]


# --------------------------------------------------------------------------------------------
# Summaries say what the numbers say
# --------------------------------------------------------------------------------------------

def test_gradient_decay_spread_is_over_every_layer_not_only_the_ends():
    """GELU with He init at depth 60: the ends are within 1.2× of each other, the layers between
    them are not (the norm swings and comes back)."""
    gd = load("gradient-decay")
    out = gd.run(activation="gelu", init="he", depth=60, seed=0)
    ys = out["chart"]["series"][0]["y"]
    spread = max(ys) / min(ys)
    assert spread > 3 * max(out["metrics"]["ratio_first_last"], 1 / out["metrics"]["ratio_first_last"])
    assert f"more than a factor of {_fmt(spread)}," in out["summary"]


def test_lstm_summary_reports_the_forget_gate_path_exactly_and_says_when_the_gradient_grows():
    rl = load("rnn-vs-lstm")
    xs, _, lstm, u = rl._setup(60, 16, 5.0, 0)
    gates = []
    h, c = np.zeros(16), np.zeros(16)
    w_ih, w_hh, b = lstm
    for x in xs:                                  # the forward pass, written out once more
        z = w_ih @ x + w_hh @ h + b
        i, f, o = (1 / (1 + np.exp(-z[k * 16:(k + 1) * 16])) for k in range(3))
        c = f * c + i * np.tanh(z[48:])
        h = o * np.tanh(c)
        gates.append(f)
    path = np.linalg.norm(u * np.prod(gates, axis=0))
    out = rl.run(forget_bias=5.0, steps=60, hidden=16, seed=0)
    assert out["metrics"]["lstm_forget_path"] == pytest.approx(path, rel=1e-12)
    assert f"alone keeps {_fmt(path)} of it" in out["summary"]
    assert out["metrics"]["lstm_final"] > 1 and "gradient grows" in out["summary"]
    assert "grows" not in rl.run(forget_bias=1.0)["summary"]


def test_clipping_summary_does_not_call_the_starting_loss_a_climb():
    """At w = 1.3 and 40 steps the second loss already overflows: the only finite loss is the
    first, which must not be reported as where the step threw the weights."""
    clip = load("gradient-clipping")
    out = clip.run(w_init=1.3, seq_len=40)
    assert out["metrics"]["diverged_at"] == 2
    assert "climbs" not in out["summary"] and "at step 2 the loss overflows" in out["summary"]
    assert "the loss climbs to" in clip.run()["summary"]


# --------------------------------------------------------------------------------------------
# Theory: training stall
# --------------------------------------------------------------------------------------------

def test_deep_sigmoid_network_stalls_while_relu_and_residual_learn():
    runs = [load("training-stall").run(seed=seed)["metrics"] for seed in range(10)]
    chance = runs[0]["chance_loss"]
    for m in runs:
        # Plain sigmoid: the read-out moves, layer 1 does not (10 slopes of at most 1/4 apart),
        # and the loss stays at chance.
        assert m["final_loss_sigmoid"] > 0.98 * chance
        assert m["first_layer_update_sigmoid"] < 1e-5 and m["last_layer_update_sigmoid"] > 1e-2
        # With a skip path the gradient reaches layer 1, and it moves.
        for key in ("sigmoid_residual", "relu_residual"):
            assert m[f"first_layer_update_{key}"] > 0.05, key
        assert m["final_loss_relu_residual"] < 0.8 * chance
        assert m["final_loss_sigmoid_residual"] < m["final_loss_sigmoid"]
    # Narrow deep plain ReLU networks are seed-dependent (the module docstring says so: seed 7's
    # dies, its layer 1 moving by 0.5%), but in most of them layer 1 moves and they learn.
    assert sum(m["first_layer_update_relu"] > 0.05 for m in runs) >= 8
    assert sum(m["final_loss_relu"] < 0.8 * chance for m in runs) >= 8
    default = runs[0]
    assert default["final_loss_relu"] < default["final_loss_sigmoid"] - 0.1
    assert default["final_loss_relu_residual"] < 0.3


def test_depth_alone_stalls_the_plain_sigmoid_network():
    """The same sigmoid network learns when shallow and stalls when deep, while its residual
    twin learns at every depth: the stall comes from depth, not from the task or the rate."""
    ts = load("training-stall")
    chance = math.log(2.0)
    for seed in range(3):
        shallow = ts.run(depth=2, seed=seed)["metrics"]
        assert shallow["final_loss_sigmoid"] < 0.8 * chance, seed
        for depth in (4, 10, 20):
            deep = ts.run(depth=depth, seed=seed)["metrics"]
            assert deep["final_loss_sigmoid"] > 0.98 * chance, (seed, depth)
            assert deep["final_loss_sigmoid_residual"] < 0.5 * chance, (seed, depth)


def test_a_loss_worse_than_chance_is_not_called_chance_level():
    """Seed 60's plain ReLU network ends at 0.97; the summary called any loss above 97% of
    ln 2 "chance level"."""
    out = load("training-stall").run(seed=60)
    assert out["metrics"]["final_loss_relu"] > 0.9
    assert "ReLU 0.973 (worse than chance)" in out["summary"]
    assert "sigmoid 0.7 (chance level)" in out["summary"]


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def test_training_stall_stacked_forward_is_four_plain_networks():
    """The stacked forward pass, with the sigmoid networks' opposite-sign storage, computes
    what four separately written networks compute."""
    ts = load("training-stall")
    depth = 5
    rng = np.random.default_rng(3)
    w1, ws, v, b = ts._init(rng, depth)
    x = np.vstack([rng.standard_normal((2, ts.BATCH)), np.ones((1, ts.BATCH))])
    buf = ts._buffers(ws, v, ts.BATCH)
    ts._forward(x, w1, buf)
    for m, key in enumerate(ts.KEYS):
        sigmoid, residual = key.startswith("sigmoid"), key.endswith("residual")
        sign = -1.0 if sigmoid else 1.0              # stored weights act on u = −z
        phi = _sigmoid if sigmoid else (lambda z: np.maximum(z, 0.0))
        z = sign * w1[m] @ x
        for l in range(depth - 1):
            z = (z if residual else 0.0) + sign * ws[l, m] @ phi(z)
        np.testing.assert_allclose(buf["a"][-1][m], phi(z), rtol=1e-12, atol=1e-15)
        slope = _sigmoid(z) * (1 - _sigmoid(z)) if sigmoid else (z > 0).astype(float)
        np.testing.assert_allclose(buf["s"][-1][m], sign * slope, rtol=1e-12, atol=1e-15)


def test_training_stall_gradients_match_finite_differences():
    ts = load("training-stall")
    depth = 4
    rng = np.random.default_rng(1)
    w1, ws, v, b = ts._init(rng, depth)
    b += 0.1
    x = np.vstack([rng.standard_normal((2, ts.BATCH)), np.ones((1, ts.BATCH))])
    y = (rng.random(ts.BATCH) > 0.5).astype(float)
    buf = ts._buffers(ws, v, ts.BATCH)

    def forward():
        ts._forward(x, w1, buf)
        logit = np.matmul(v, buf["a"][-1]) + b
        return (np.logaddexp(0.0, logit) - y * logit).mean(axis=(1, 2)), logit

    _, logit = forward()
    grads = [np.empty_like(p) for p in (w1, ws, v, b)]
    ts._backward(np.ascontiguousarray(x.T), (_sigmoid(logit) - y) / ts.BATCH, buf, grads)
    eps = 1e-6
    for arr, grad, model_axis in ((w1, grads[0], 0), (ws, grads[1], 1), (v, grads[2], 0), (b, grads[3], 0)):
        for idx in np.ndindex(arr.shape):   # every parameter of every model
            old = arr[idx]
            arr[idx] = old + eps
            up = forward()[0][idx[model_axis]]
            arr[idx] = old - eps
            down = forward()[0][idx[model_axis]]
            arr[idx] = old
            assert grad[idx] == pytest.approx((up - down) / (2 * eps), rel=1e-4, abs=1e-9), idx


def test_training_stall_parameters_are_packed_into_one_array():
    ts = load("training-stall")
    w1, ws, v, b = ts._init(np.random.default_rng(0), 6)
    flat, views = ts._pack(w1, ws, v, b)
    for original, view in zip((w1, ws, v, b), views):
        assert np.shares_memory(flat, view) and np.array_equal(original, view)
    flat += 1.0
    assert np.array_equal(views[1], ws + 1.0)
