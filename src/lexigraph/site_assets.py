"""The plugin's own browser assets, shipped in the package and added to every site.

A glossary project needs no copy of our JavaScript or CSS: the plugin serves them under
``assets/lexigraph/`` and lists the stylesheets and the small entry script in the theme's
``extra_css``/``extra_javascript``. The entry script loads feature scripts (demos, graph)
only on pages that use them, so a plain term page stays light.
"""

from __future__ import annotations

from pathlib import Path

SOURCE = Path(__file__).parent / "assets"
URI = "assets/lexigraph/"
STYLESHEETS = ("lexigraph.css", "demo.css", "graph.css")
ENTRY_SCRIPT = "lexigraph.js"


def asset_files() -> list[Path]:
    """Every file to copy into the site, sorted."""
    return sorted(p for p in SOURCE.iterdir() if p.is_file())
