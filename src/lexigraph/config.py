"""The plugin's options (``plugins: - lexigraph: {...}`` in ``mkdocs.yml``)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class PyodideConfig(base.Config):
    #: ``self-host`` copies the pinned, hash-checked runtime into the site (works offline);
    #: ``cdn`` loads it from ``cdn_url`` instead.
    mode = c.Choice(("self-host", "cdn"), default="self-host")
    cdn_url = c.Type(str, default="https://cdn.jsdelivr.net/pyodide/v0.27.7/full/")
    cache_dir = c.Optional(c.Type(str))


class LexigraphConfig(base.Config):
    glossary_dir = c.Type(str, default="glossary")
    demos_dir = c.Type(str, default="demos")
    #: URL folder of the generated term pages and the A-Z index.
    terms_dir = c.Type(str, default="terms")
    autolink = c.Type(bool, default=True)
    #: Keep term pages' rendered HTML in ``.lexigraph-cache/pages/`` between builds.
    page_cache = c.Type(bool, default=True)
    pyodide = c.SubConfig(PyodideConfig)
