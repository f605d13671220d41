"""Vocabulary of the synthetic glossary (see :mod:`bench.generate`).

Titles are built from :data:`MODIFIERS` and :data:`HEADS`; the filler prose uses only the other
lists, which share no word with them, so the auto-linker links exactly the planned mentions.
Prose does use single modifiers ("a sparse value") as near misses, as real text does, so the
auto-linker's matcher is exercised, not just its fast rejection.
"""

from __future__ import annotations

MODIFIERS: list[str] = """
adaptive sparse stochastic recurrent residual gated orthogonal spectral causal contrastive latent
bayesian hierarchical convolutional variational adversarial quantized pruned distilled federated
dilated grouped depthwise multiscale autoregressive bidirectional masked shifted weighted entropic
robust lipschitz curriculum cyclic elastic fractional geodesic hyperbolic implicit kernelized
lagrangian low-rank momentum nesterov ordinal probabilistic quadratic randomized spiking tempered
unrolled equivariant invariant diffusive siamese episodic relational symbolic generative
discriminative nonparametric semi-supervised self-supervised multitask meta few-shot zero-shot
online offline streaming
""".split()

HEADS: list[str] = """
attention encoder decoder embedding regularization dropout pooling sampler estimator optimizer
scheduler tokenizer projection normalization initialization kernel autoencoder classifier
regressor transformer perceptron memory router gating clipping smoothing augmentation distillation
quantization pruning inference descent backpropagation activation loss objective penalty prior
posterior likelihood divergence probe adapter bottleneck ensemble filter convolution recurrence
policy critic reward buffer sketch hashing retrieval ranking calibration tuning
""".split()

NOUNS: list[str] = """
value step signal batch sample estimate update unit feature vector matrix score budget error trend
scale range rate bound margin shift noise target input output weight layer network gradient
parameter epoch iteration dimension channel token window sequence state label example dataset
curve slope variance mean threshold constant coefficient block stage path
""".split()

ADJECTIVES: list[str] = """
small large stable noisy smooth steep flat bounded narrow wide cheap costly exact approximate
fixed shared local global early late typical rare useful fragile simple compact dense uniform
""".split()

VERBS: list[str] = """
rescaled averaged clipped summed stored updated computed tracked sampled compared
normalized bounded reused discarded checked estimated accumulated moved
""".split()

VERBS_3RD: list[str] = """
rescales averages clips sums shifts stores updates tracks samples compares bounds reuses checks
estimates accumulates
""".split()

SENTENCES: list[str] = [
    "each {n} is {v} from the previous {n2}, so {m} stays {a} across the whole run",
    "when the {n} grows, the {n2} of every {n3} becomes {a}, and {m} has to be {v} again",
    "in practice the {n} is {v} once per {n2}, which keeps {m} {a} without extra work",
    "a {a} {n} makes the {n2} easier to read, because {m} no longer depends on the {n3}",
    "the usual choice is to keep the {n} {a} and let {m} absorb the remaining {n2}",
    "with a {near} {n} the picture changes: {m} is {v} before the {n2} is used",
    "this matters most for a deep {n3}, where a {a} {n} compounds over many steps into {m}",
    "if the {n} is {v} too early, the {n2} drifts and {m} stops being {a}",
    "the {n2} that results is {a}, and in most settings {m} is a good first guess",
    "one way to see it is through the {n}: {m} measures how far the {n2} moves per {n3}",
    "the cost is one more {n} per {n2}, which is {a} next to computing {m}",
    "because {m} is {v} per {n}, the {n2} never sees a {a} {n3}",
    "a {near} {n3} behaves differently, since its {n} is {v} before {m} is known",
    "nothing here needs a {a} {n}; the {n2} alone determines {m}",
    "practitioners often log the {n} and the {n2} together, so that a {a} trend in {m} shows early",
    "the {n} and the {n2} are {v} in the same pass, and {m} follows from both",
]

MENTION_SENTENCES: list[str] = [
    "This is closely tied to {t}.",
    "It builds directly on {t}, which supplies the {n}.",
    "Compared with {t}, the {n} here is {a}.",
    "Most texts introduce it right after {t}.",
    "The same {n} appears in {t}, where it is treated as {a}.",
    "Readers who know {t} will recognise the {n}.",
    "A common pairing is with {t}, which keeps the {n} {a}.",
]

COMMON_SYMBOLS: list[str] = [
    r"\theta", "x", r"\eta", "W", r"\mathbf{x}", "t", "k", r"\epsilon", "z", "T", "b", "L",
    r"\mathbf{h}_t", r"\mathbf{g}_t", r"\sigma", r"\phi", "0.1", "0.01", r"3 \times 3", "x = 0",
    r"n_{\text{in}}", r"\lambda", r"\beta", r"\gamma",
]

INLINE_MATH: list[str] = [
    "x_{{{k}}}", r"\frac{{{a}}}{{{b}}}", r"w_{{{k}}} \le {c}", r"\eta = {lr}",
    r"\sum_{{i=1}}^{{{b}}} x_i", r"\mathbf{{h}}_{{t-{k}}}", r"\exp(-{a} t)",
    r"\sqrt{{{b}}} \approx {c}", r"\sigma'(z) \le {c}", r"\tanh(z_{{{k}}})", r"{a}^{{-{k}}}",
    r"\lambda = {c}", r"d = {b}", r"\mathbf{{W}} \in \mathbb{{R}}^{{{b} \times {b}}}",
    r"\left({c}\right)^{{{k}}}", r"\log {b} \approx {c}", r"\max(0, z_{{{k}}})",
]

DISPLAY_MATH: list[str] = [
    r"\mathbf{{y}} = \sigma\left(W_{{{k}}} \mathbf{{x}} + \mathbf{{b}}\right), \qquad "
    r"W_{{{k}}} \in \mathbb{{R}}^{{{b} \times {a}}}",
    r"\frac{{\partial L}}{{\partial w_{{{k}}}}} = \sum_{{t=1}}^{{{b}}} "
    r"\frac{{\partial L}}{{\partial h_t}} \cdot \frac{{\partial h_t}}{{\partial w_{{{k}}}}}",
    r"h_t = \tanh\left(W h_{{t-1}} + U x_t + b\right) \odot g_{{{k}}}",
    r"\theta_{{t+1}} = \theta_t - {lr} \, \frac{{\mathbf{{m}}_t}}{{\sqrt{{\mathbf{{v}}_t}} + "
    r"\epsilon}}",
    r"p(y \mid x) = \frac{{\exp(z_y / {c})}}{{\sum_{{j=1}}^{{{b}}} \exp(z_j / {c})}}",
    r"\prod_{{l=1}}^{{{b}}} \sigma'(z_l) \le \left(\tfrac14\right)^{{{b}}}",
    r"\mathrm{{Var}}(y) = {a} \, n_{{\text{{in}}}} \, \mathrm{{Var}}(w) \, \mathrm{{Var}}(x)",
    r"L = -\frac{{1}}{{{b}}} \sum_{{i=1}}^{{{b}}} \log p_i + {c} \, \lVert \theta \rVert^2",
]

CODE = '''```python
def step(w, grad, lr={lr}):
    # one update, repeated {k} times per batch
    for _ in range({k}):
        w = w - lr * grad(w)
    return w
```'''

PAPER_TITLES: list[str] = [
    "a study of the {n}", "theory and practice", "why the {n} matters", "revisited",
    "an empirical analysis", "scaling laws for the {n}", "a unified view",
]

FIRST_NAMES: list[str] = """
Ada Alan Bo Chen Dana Eli Fatima Grace Hiro Ines Jon Kai Lena Mei Nia Omar Priya Quinn Ravi Sara
Tomas Uma Vera Wei Yara Zoe
""".split()

LAST_NAMES: list[str] = """
Abbott Bianchi Costa Dubois Eriksson Fischer Garcia Hansen Ito Jensen Kowalski Larsen Moreau
Novak Okafor Petrov Quispe Rossi Silva Tanaka Ueda Virtanen Weber Xu Yilmaz Zhang
""".split()

DOMAINS: dict[str, tuple[str, str]] = {
    "fundamentals": ("Fundamentals", "The building blocks every other idea rests on."),
    "optimization": ("Optimization", "How parameters are updated to make the loss smaller."),
    "architectures": ("Architectures", "Network designs and the structural tricks behind them."),
    "regularization-methods": ("Regularization methods", "Keeping models from overfitting."),
    "probabilistic-models": ("Probabilistic models", "Models that describe uncertainty."),
    "sequence-models": ("Sequence models", "Networks that carry state across time steps."),
    "representation-learning": ("Representation learning", "Learning useful features."),
    "generative-models": ("Generative models", "Models that produce new samples."),
    "reinforcement-learning": ("Reinforcement learning", "Learning from rewards."),
    "efficiency": ("Efficiency", "Making models smaller and faster."),
    "evaluation": ("Evaluation", "Measuring how well a model works."),
    "training-dynamics": ("Training dynamics", "How losses and gradients behave while learning."),
}

INDUSTRIES: dict[str, str] = {
    "healthcare": "Healthcare", "finance": "Finance", "automotive": "Automotive",
    "speech-and-audio": "Speech and audio", "language-technology": "Language technology",
    "computer-vision": "Computer vision", "robotics": "Robotics",
    "scientific-computing": "Scientific computing",
}

_TITLE_WORDS = {x.casefold() for x in MODIFIERS + HEADS}
_PROSE_WORDS = {x.casefold() for x in NOUNS + ADJECTIVES + VERBS + VERBS_3RD}
assert not _TITLE_WORDS & _PROSE_WORDS, _TITLE_WORDS & _PROSE_WORDS
