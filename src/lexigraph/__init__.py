"""Lexigraph: a folder of Markdown term entries in, a glossary site with a concept graph out.

The core is a pipeline with one module per stage and no MkDocs import::

    load  ->  validate  ->  (auto-link)  ->  graph  ->  render

:func:`lexigraph.pipeline.build_glossary` runs the stages up to the graph (and checks the demo
modules); the MkDocs plugin and the CLI consume its result. Only the adapters import MkDocs:
``plugin`` (the events), ``config`` (the options) and ``page_cache`` (MkDocs' page objects).
"""

from __future__ import annotations

__version__ = "0.1.0"
