"""In-process timings: the core pipeline's stages, and the plugin's MkDocs events in a build.

Run inside a fresh child process (``python -m bench._runner``) so that caches, imports and
memory of one measurement never leak into another.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class Timer:
    """Accumulates ``perf_counter`` seconds and call counts by name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        #: The process's peak RSS (MiB) when each name last returned: where memory grows.
        self.rss_mib: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds
        self.calls[name] = self.calls.get(name, 0) + 1

    def wrap(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)  # keeps MkDocs' event priority attribute
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.add(name, time.perf_counter() - start)
                self.rss_mib[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        return timed

    def report(self) -> dict[str, dict[str, float]]:
        return {k: {"seconds": round(v, 4), "calls": self.calls[k],
                    "peak_rss_mib_after": round(self.rss_mib.get(k, 0.0), 1)}
                for k, v in sorted(self.seconds.items())}


def clear_caches() -> None:
    """Empty every ``functools`` cache of the lexigraph modules (e.g. the MathML cache)."""
    for name, module in list(sys.modules.items()):
        if name == "lexigraph" or name.startswith("lexigraph."):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def time_stages(glossary_dir: Path) -> dict[str, Any]:
    """Time each core stage on ``glossary_dir``, as :func:`lexigraph.pipeline.build_glossary`
    chains them, then the whole chain and :func:`lexigraph.pipeline.check` on their own.

    ``unaccounted_s`` is ``build_glossary`` minus the stages timed here: if it grows, the
    pipeline gained a stage this benchmark does not know yet.
    """
    import networkx as nx
    from lexigraph import pipeline, render
    from lexigraph.autolink import NameIndex, autolink
    from lexigraph.graph import build_graph, pagerank, prerequisite_dag
    from lexigraph.load import load_entries, load_taxonomy_data
    from lexigraph.validate import check_glossary, validate_taxonomy

    t = Timer()
    nx.pagerank(nx.path_graph(2))  # warm up: the first PageRank imports SciPy (~0.2 s, once)
    clear_caches()
    with t("1 load"):
        data, lines, _ = load_taxonomy_data(glossary_dir)
        assert data is not None, f"{glossary_dir}: no taxonomy"
        taxonomy, _ = validate_taxonomy(data, glossary_dir / "_taxonomy.yml", lines)
        entries, problems = load_entries(glossary_dir)
    with t("2 validate"):
        terms, found = check_glossary(entries, taxonomy, {})
    if problems or found:
        raise SystemExit(f"the glossary has {len(problems) + len(found)} problems")
    bodies, mentions = {}, {}
    with t("3 autolink"):
        index = NameIndex.build(terms.values())
        for slug, term in terms.items():
            bodies[slug], mentions[slug] = autolink(term.body, index, slug)
    with t("4 graph build"):
        graph = build_graph(terms.values(), mentions)
    with t("4 prerequisite DAG"):
        dag = prerequisite_dag(graph)
    with t("4 pagerank"):
        ranks = pagerank(graph)
    g = pipeline.Glossary(root=glossary_dir, terms=terms, taxonomy=taxonomy, bodies=bodies,
                          graph=graph, dag=dag, ranks=ranks)
    with t("5 render term pages"):  # the Markdown and the generated parts' HTML
        for slug in sorted(terms):
            render.term_page(g, slug)
            render.term_parts(g, slug)
    with t("5 render A-Z index"):
        render.index_page(g)
    stages = t.report()
    clear_caches()
    start = time.perf_counter()
    pipeline.check(glossary_dir, {})
    check_s = time.perf_counter() - start
    clear_caches()
    start = time.perf_counter()
    pipeline.build_glossary(glossary_dir, None)
    total = time.perf_counter() - start
    core = sum(v["seconds"] for k, v in stages.items() if not k.startswith("5"))
    return {"stages": stages, "check_s": round(check_s, 4),
            "build_glossary_s": round(total, 4), "unaccounted_s": round(total - core, 4)}


#: Functions timed inside a real build besides the plugin's events: ``(module, attribute path)``.
HOOKS: tuple[tuple[str, str], ...] = (
    ("lexigraph.mathml", "_MathProcessor.handleMatch"),
    ("lexigraph.pipeline", "build_glossary"),
    ("lexigraph.render", "term_page"),
    ("lexigraph.render", "term_parts"),
    ("lexigraph.render", "index_page"),
    ("lexigraph.local_graph", "local_graph_section"),
    ("lexigraph.layout", "analyse"),
)


def instrument(t: Timer) -> list[str]:
    """Time every ``on_*`` event of the Lexigraph plugin and the :data:`HOOKS`.

    Must run before MkDocs loads the config: MkDocs keeps bound methods from then on. Returns
    what was instrumented (hooks that no longer exist are skipped, not failed).
    """
    done = []
    try:
        from lexigraph.plugin import LexigraphPlugin
    except ImportError:
        return done
    from mkdocs.plugins import CombinedEvent

    for name in dir(LexigraphPlugin):
        if not name.startswith("on_"):
            continue
        event = inspect.getattr_static(LexigraphPlugin, name)
        if isinstance(event, CombinedEvent):  # several handlers: their times add up
            setattr(LexigraphPlugin, name, CombinedEvent(
                *(t.wrap(f"event {name}", method) for method in event.methods)))
            done.append(name)
        elif callable(getattr(LexigraphPlugin, name)):
            setattr(LexigraphPlugin, name, t.wrap(f"event {name}", getattr(LexigraphPlugin, name)))
            done.append(name)
    for module_name, path in HOOKS:
        owner: Any = importlib.import_module(module_name)
        *parents, attr = path.split(".")
        for part in parents:
            owner = getattr(owner, part, None)
        original = getattr(owner, attr, None)
        if not callable(original):
            continue
        label = "markdown math (page render)" if attr == "handleMatch" else path
        timed = t.wrap(label, original)
        if parents:
            setattr(owner, attr, timed)
        else:  # modules that imported the function by name hold it too
            for name, module in list(sys.modules.items()):
                if name.startswith("lexigraph") and getattr(module, attr, None) is original:
                    setattr(module, attr, timed)
        done.append(path)
    return done
