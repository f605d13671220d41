"""The showcase glossary itself: checks on its content, not on the tool.

These hold the real entries in ``glossary/`` to the editorial rules of the content issue, so a
new or edited entry that breaks one fails the suite with the slug to fix.
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest

from lexigraph.pipeline import Glossary, build_glossary, check

from .conftest import ROOT

REQUIRED_TERMS = {
    "vanishing-gradient", "exploding-gradient", "backpropagation", "chain-rule",
    "gradient-descent", "stochastic-gradient-descent", "learning-rate", "loss-function",
    "activation-function", "sigmoid", "tanh", "relu", "leaky-relu", "elu", "gelu", "dying-relu",
    "saturation", "weight-initialization", "xavier-initialization", "he-initialization",
    "residual-connection", "resnet", "highway-network", "batch-normalization",
    "layer-normalization", "internal-covariate-shift", "recurrent-neural-network",
    "backpropagation-through-time", "lstm", "forget-gate", "gru", "gradient-clipping",
    "deep-neural-network", "multilayer-perceptron", "neuron", "weights-and-biases", "optimizer",
    "adam", "jacobian-matrix", "bias-variance-tradeoff", "overfitting", "deep-learning",
    "neural-network", "hyperparameter-tuning", "depth",
}


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return build_glossary(ROOT / "glossary", ROOT / "demos")


def test_every_entry_passes_validation() -> None:
    from lexigraph.demos import discover

    terms, _, problems = check(ROOT / "glossary", discover(ROOT / "demos"))
    assert problems == []
    assert len(terms) >= 45


def test_the_glossary_covers_the_required_terms(glossary: Glossary) -> None:
    assert REQUIRED_TERMS - set(glossary.terms) == set()


def test_skip_connection_is_an_alias_of_residual_connection(glossary: Glossary) -> None:
    aliases = {a.casefold() for a in glossary.terms["residual-connection"].aliases}
    assert "skip connection" in aliases


def test_every_term_is_reachable_from_the_index(real_site: Path, glossary: Glossary) -> None:
    index = (real_site / "terms" / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="(?:\./)?([a-z0-9-]+)/"', index))
    assert set(glossary.terms) - linked == set()


def test_prerequisites_form_a_dag_rooted_in_the_fundamentals(glossary: Glossary) -> None:
    dag = glossary.dag
    assert nx.is_directed_acyclic_graph(dag)
    # Edges run prerequisite -> term, so the roots are the terms that need nothing first.
    roots = [slug for slug in glossary.terms if not glossary.terms[slug].prerequisites]
    assert roots, "some entries must need no prerequisite"
    not_fundamental = [s for s in roots if "fundamentals" not in glossary.terms[s].domains]
    assert not_fundamental == [], "entries with no prerequisite should be fundamentals"


def test_every_fundamental_root_leads_somewhere(glossary: Glossary) -> None:
    for slug, term in glossary.terms.items():
        if not term.prerequisites:
            assert nx.descendants(glossary.dag, slug), f"{slug} is a prerequisite of nothing"


def test_no_entry_is_an_orphan(glossary: Glossary) -> None:
    graph = glossary.graph
    for slug in glossary.terms:
        neighbours = set(graph.successors(slug)) | set(graph.predecessors(slug))
        neighbours.discard(slug)
        assert len(neighbours) >= 2, f"{slug} links to or from only {sorted(neighbours)}"


def test_every_advanced_entry_has_a_prerequisite(glossary: Glossary) -> None:
    lacking = [s for s, t in glossary.terms.items()
               if t.difficulty == "advanced" and not t.prerequisites]
    assert lacking == []


def test_every_demo_is_attached_to_a_term(glossary: Glossary) -> None:
    attached = {t.demo for t in glossary.terms.values() if t.demo}
    assert set(glossary.demos) - attached == set()
