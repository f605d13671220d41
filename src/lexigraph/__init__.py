"""Lexigraph: a folder of Markdown term entries in, a glossary site with a concept graph out.

The core is a pipeline with one module per stage and no MkDocs import::

    load  ->  validate  ->  graph  ->  render

:func:`lexigraph.pipeline.build_glossary` runs the first three; the MkDocs plugin and the CLI
consume its result.
"""

from __future__ import annotations

__version__ = "0.1.0"
