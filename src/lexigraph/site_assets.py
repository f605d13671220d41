"""The plugin's own browser assets, shipped in the package and added to every site.

A glossary project needs no copy of our JavaScript or CSS: the plugin serves them under
``assets/lexigraph/`` and lists the stylesheets and the small entry script in the theme's
``extra_css``/``extra_javascript``. The entry script loads feature scripts (demos, a term
page's concept map, the graph explorer) only on pages that use them, so a term page stays light:
its map is drawn by ``local-graph.js``, never by the explorer's ``graph.js``, and what a reader's
use of the map needs (``local-graph-use.js``: its keys, previews read from other term pages)
loads only once a reader uses it.

Every address of these files in a page ends with ``?v=`` and a digest of them all
(:func:`version`), as scripts' addresses of one another do: a browser that kept a file from
before the site was updated fetches it again rather than run an old script on a new page.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import rcssmin
import rjsmin

from . import frontend_fetch

SOURCE = Path(__file__).parent / "assets"
URI = "assets/lexigraph/"
#: Linked from every page. The feature stylesheets are linked only from the pages that use
#: them (see :func:`feature_styles`), and lexigraph.js adds them after instant navigation.
STYLESHEETS = ("lexigraph.css",)
ENTRY_SCRIPT = "lexigraph.js"
#: Feature stylesheet -> what in a page's HTML says the page needs it in its <head>. A term
#: page's concept map has none of its own: its few rules are in lexigraph.css.
FEATURE_STYLES: tuple[tuple[str, str], ...] = (
    ("demo.css", 'data-lx-demo="'),
    ("graph.css", 'data-lx-graph="'),
    ("index.css", 'class="lx-letterbar"'),
    ("home.css", 'class="lx-home-search"'),
)


def feature_styles(html: str) -> list[str]:
    """The feature stylesheets a page's HTML needs.

    Examples
    --------
    >>> feature_styles('<div class="lx-demo" data-lx-demo="wave">'), feature_styles("<p>")
    (['demo.css'], [])
    """
    return [name for name, sign in FEATURE_STYLES if sign in html]


def asset_files() -> list[Path]:
    """Every file to copy into the site, sorted."""
    return sorted(p for p in SOURCE.iterdir() if p.is_file())


#: How many hex digits of a sha256 an address's ``?v=`` carries.
VERSION_DIGITS = 10


def digest_of(data: bytes) -> str:
    """What the address of a file of ``data`` ends with after ``?v=``: the start of its sha256
    (as :func:`version` is of ours; graph.json and the Pyodide lock carry theirs).

    >>> digest_of(b"{}")
    '44136fa355'
    """
    return hashlib.sha256(data).hexdigest()[:VERSION_DIGITS]


def version() -> str:
    """What the addresses of our files end with (after ``?v=``): a digest of every file as the
    site serves it and of the pinned libraries' versions. It changes when one of them does,
    and only then: a glossary's edits leave every page's script tags as they were.

    >>> len(version()), version() == version()
    (10, True)
    """
    files = [*asset_files(), frontend_fetch.LOCK_FILE]  # (the pinned graph libraries)
    return _version(tuple((str(p), p.stat().st_mtime_ns) for p in files))


@lru_cache(maxsize=8)
def _version(stamps: tuple[tuple[str, int], ...]) -> str:  # (mtimes: an edit while serving)
    digest = hashlib.sha256()
    for name, _ in stamps:
        path = Path(name)
        text = shipped(path)
        digest.update(path.name.encode() + b"\0")
        digest.update(text.encode("utf-8") if text is not None else path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:VERSION_DIGITS]


def address(name: str) -> str:
    """The site-relative address of one of our files, with its :func:`version`.

    >>> address("lexigraph.css").startswith("assets/lexigraph/lexigraph.css?v=")
    True
    """
    return f"{URI}{name}?v={version()}"


def shipped(path: Path) -> str | None:
    """What the site serves for one of our assets: scripts and stylesheets minified (comments
    and spacing out; names and code unchanged), other files as they are (``None``).

    The sources stay readable in the package; a term page loads about a third less of our code.

    Examples
    --------
    >>> shipped(SOURCE / "lexigraph.css").count("\\n") < 5
    True
    """
    if path.suffix not in (".js", ".css"):
        return None
    return _minified(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _minified(path: Path, mtime_ns: int) -> str:  # mtime: a rebuild after an edit re-reads
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".js":
        return rjsmin.jsmin(text, keep_bang_comments=True)
    return rcssmin.cssmin(text, keep_bang_comments=True)
