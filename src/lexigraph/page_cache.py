"""The rendered HTML of the pages Lexigraph writes, kept between builds in
``.lexigraph-cache/pages/records.sqlite3`` (see :class:`~lexigraph.cache_files.RecordStore`).

Converting Markdown is most of what a term page costs to build, and between two builds (or two
rebuilds of ``mkdocs serve``) almost every generated page's Markdown is unchanged. (What the
plugin adds after Markdown, such as the concept maps, is not part of it: :meth:`PageCache.memo`
keeps such pieces by what they depend on.) A page's HTML is a
function of what MkDocs' ``Page.render`` is given, so that is what the key hashes:

- the page's final Markdown (after every plugin's ``on_page_markdown``);
- where the page sits (its source path and URL: relative links are rewritten from there) and the
  ``src_uri``/URL of every file of the site (what a link may resolve to);
- the Markdown extensions, their options, and the versions of every installed distribution and
  of Lexigraph's own source (the code that converts).

On a hit the plugin hands MkDocs an empty Markdown text and, as the page's content is reported,
puts back everything ``render`` would have set: the HTML, the table of contents and the anchors
the page defines and links to (MkDocs checks those after every page is rendered).

What is not stored: a page whose conversion logged anything (a broken link, in strict mode an
error, must be reported on every build until it is fixed), no page at all while MkDocs' logger
drops what it would log (``mkdocs build -q``: a warning never emitted cannot be counted), and
any page when an extension is in
use that may read other files or record state outside the page (``pymdownx.snippets``, or an
extension object a plugin registered, as mkdocs-autorefs does): then nothing is cached at all.
The store holds the pages of the last build only, so it does not grow with edits.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import zlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

from .cache_files import RecordStore, code_digest
from .parallel import LogCount, only_count_logs

T = TypeVar("T")

#: The file in the cache folder that holds its records.
STORE = "records.sqlite3"

#: Markdown's own extensions: each depends on the text and its options only.
_MARKDOWN_BUILTIN = frozenset(
    "abbr admonition attr_list codehilite def_list extra fenced_code footnotes legacy_attrs "
    "legacy_em md_in_html meta nl2br sane_lists smarty tables toc wikilinks".split())
#: PyMdown extensions that read files or the network while converting.
_READS_OUTSIDE = frozenset({"pymdownx.snippets", "pymdownx.b64"})
#: Ours, which the plugin adds: they depend on the text only.
_OURS = frozenset({"lexigraph.mathml", "lexigraph.autolink"})
#: Where a page's conversion may log: MkDocs (links, anchors) and everything else.
_LOGGERS = ("mkdocs", "")


def unsafe_extension(extensions: Iterable[object]) -> str | None:
    """The first extension a cached page could disagree with, or ``None`` if all are known.

    >>> unsafe_extension(["toc", "markdown.extensions.tables", "pymdownx.superfences"])
    >>> unsafe_extension(["toc", "pymdownx.snippets"])
    'pymdownx.snippets'
    """
    for ext in extensions:
        if not isinstance(ext, str):
            return f"{type(ext).__module__}.{type(ext).__qualname__}"
        name = ext.removeprefix("markdown.extensions.")
        known = (name in _MARKDOWN_BUILTIN or name in _OURS
                 or (name.startswith("pymdownx.") and name not in _READS_OUTSIDE))
        if not known:
            return ext
    return None


def stable(value: object, depth: int = 0) -> object:
    """``value`` as JSON-able data that is the same in every run (no memory addresses).

    Options of Markdown extensions may hold functions (a ``slugify``, an emoji index).

    >>> stable({"b": (1, 2), "a": len})
    {'a': 'builtins.len', 'b': [1, 2]}
    """
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if depth > 4:  # deep enough to tell two configurations apart; never a cycle
        return type(value).__qualname__
    if isinstance(value, Mapping):
        return {str(k): stable(v, depth + 1)
                for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [stable(v, depth + 1) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    kind = f"{type(value).__module__}.{type(value).__qualname__}"
    if callable(value):
        name = getattr(value, "__qualname__", None)
        if name is not None:
            return f"{getattr(value, '__module__', '')}.{name}"
        func = getattr(value, "func", None)  # functools.partial
        if func is not None:
            return [kind, stable(func, depth + 1), stable(getattr(value, "args", ()), depth + 1),
                    stable(getattr(value, "keywords", {}), depth + 1)]
    return [kind, stable(vars(value), depth + 1) if hasattr(value, "__dict__") else None]


def _code_versions() -> list[str]:
    """Every installed distribution's version, and Lexigraph's :func:`code_digest` (an
    editable install keeps its version number while its code changes).

    The digest is of the files' contents, not their times: a fresh clone or a new install
    of the same code (a CI runner restoring ``.lexigraph-cache/``) finds its pages.
    """
    from importlib.metadata import distributions

    found = sorted(f"{d.metadata['Name']}=={d.version}" for d in distributions())
    return [*found, code_digest()]


def _toc_tokens(items: Iterable[AnchorLink]) -> list[dict[str, Any]]:
    return [{"name": a.title, "id": a.id, "level": a.level, "children": _toc_tokens(a.children)}
            for a in items]


def _is_page(record: Mapping[str, Any]) -> bool:
    """Whether a stored record holds all that :meth:`PageCache.finish` puts back."""
    links = record.get("links_to_anchors")
    return (isinstance(record.get("content"), str) and isinstance(record.get("toc"), list)
            and isinstance(record.get("anchors"), list)
            and (links is None or isinstance(links, dict)))


class PageCache:
    """Rendered pages by key, in ``folder`` (``None``: a cache that never hits).

    The plugin calls :meth:`start` once per build, :meth:`lookup` as the last step of a page's
    ``on_page_markdown``, :meth:`finish` as the first step of its ``on_page_content``, and
    :meth:`end` after the build.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        #: The records: pages, and what :meth:`memo` keeps.
        self._store = RecordStore(folder / STORE) if folder is not None else None
        self.enabled = False
        self.reason = ""
        self._salt = ""
        self._versions: list[str] | None = None
        self._pending: dict[str, tuple[str, str, dict[str, Any] | None]] = {}
        self._used: set[str] = set()
        #: This build's key of each page looked up, by src_uri (for :meth:`derived`).
        self._keys: dict[str, str] = {}
        #: What a page's conversion logs (such a page is not stored).
        self._logged = LogCount()
        #: Whether a page's conversion would be heard logging (see :meth:`start`).
        self._hears_logs = True
        self.hits = 0
        self.misses = 0

    def start(self, config: Mapping[str, Any], files: Files) -> None:
        """Work out this build's salt, or why nothing may be cached."""
        self._pending, self._used, self._keys, self.hits, self.misses = {}, set(), {}, 0, 0
        unsafe = unsafe_extension(config["markdown_extensions"])
        self.reason = (f"the Markdown extension {unsafe} may depend on more than the page"
                       if unsafe else "" if self.folder is not None else "no cache folder")
        self.enabled = not self.reason
        if not self.enabled:
            return
        if self._versions is None:  # installed code does not change while `serve` runs
            self._versions = _code_versions()
        site = sorted(f"{f.src_uri}\0{f.url}" for f in files)
        salt = json.dumps([self._versions, stable(config["markdown_extensions"]),
                           stable(config["mdx_configs"]), config["use_directory_urls"], site],
                          sort_keys=True)
        self._salt = hashlib.sha256(salt.encode("utf-8", "surrogatepass")).hexdigest()
        for logger in _LOGGERS:  # MkDocs' logger does not pass its records on to the root
            logging.getLogger(logger).addHandler(self._logged)
        # `-q` raises MkDocs' level: a warning is then dropped before any handler sees it, and
        # a page stored as clean would hide it from every later (strict) build.
        self._hears_logs = logging.getLogger("mkdocs").isEnabledFor(logging.WARNING)

    def only_count_logs(self) -> None:
        """In a helper process (:mod:`lexigraph.render_ahead`): what is logged reaches
        nothing but the count that keeps a page that logged out of the cache."""
        only_count_logs(self._logged, _LOGGERS)
        # Nothing a helper logs is shown, so it listens at MkDocs' usual level even in a build
        # that cannot hear warnings (`-q`): what it stores is known to have rendered cleanly.
        mkdocs_log = logging.getLogger("mkdocs")
        if not mkdocs_log.isEnabledFor(logging.INFO):
            mkdocs_log.setLevel(logging.INFO)
        self._hears_logs = True

    def lookup(self, markdown: str, page: Page) -> str:
        """The Markdown MkDocs should convert: ``""`` when the page's HTML is known."""
        if not self.enabled:
            return markdown
        text = "\0".join((self._salt, page.file.src_uri, page.url, markdown))
        key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        record = self._read(key)
        if record is not None and not _is_page(record):  # damaged: render again
            record = None
        self._pending[page.file.src_uri] = (key, markdown, record)
        self._keys[page.file.src_uri] = key
        self._logged.count = 0
        return "" if record is not None else markdown

    def cached(self, page: Page) -> bool:
        """Whether :meth:`lookup` found the page's HTML (before :meth:`finish`)."""
        pending = self._pending.get(page.file.src_uri)
        return pending is not None and pending[2] is not None

    def finish(self, html: str, page: Page, files: Files) -> str:
        """The page's HTML: from the cache on a hit, as rendered (and stored) on a miss."""
        pending = self._pending.pop(page.file.src_uri, None)
        if pending is None:
            return html
        key, markdown, record = pending
        self._used.add(key)
        if record is not None:
            self.hits += 1
            page.markdown = markdown
            page.toc = get_toc(record["toc"])
            page.present_anchor_ids = set(record["anchors"])
            links = record["links_to_anchors"]
            if links is not None:
                found = {uri: files.get_file_from_path(uri) for uri in links}
                page.links_to_anchors = {f: links[uri] for uri, f in found.items() if f}
            return str(record["content"])
        self.misses += 1
        if self._logged.count == 0 and self._hears_logs:
            links_to = page.links_to_anchors
            self._write(key, {
                "content": html, "toc": _toc_tokens(page.toc),
                "anchors": sorted(page.present_anchor_ids or ()),
                "links_to_anchors": None if links_to is None else
                {f.src_uri: dict(anchors) for f, anchors in links_to.items()}})
        return html

    def memo(self, text: str, make: Callable[[], T]) -> T:
        """Something the build makes besides rendering a page (link marks, a search copy, a
        concept map), by a ``text`` naming everything it depends on: stored beside the pages
        (as JSON), made once."""
        if not self.enabled:
            return make()
        found = self.recall(text)
        if found is not None:
            return cast(T, found)
        value = make()
        self.keep(text, value)
        return value

    def recall(self, text: str) -> Any:
        """What :meth:`keep` stored under ``text`` in this build or the last, or ``None``."""
        if not self.enabled:
            return None
        key = self._memo_key(text)
        record = self._read(key)
        if record is None:
            return None
        self._used.add(key)
        return record["content"]

    def keep(self, text: str, value: Any) -> None:
        """Store ``value`` (JSON) under ``text``, for :meth:`recall` (see :meth:`memo`)."""
        if self.enabled:
            key = self._memo_key(text)
            self._used.add(key)
            self._write(key, {"content": value})

    def _memo_key(self, text: str) -> str:
        return hashlib.sha256("\0".join((self._salt, "memo", text)).encode(
            "utf-8", "surrogatepass")).hexdigest()

    def derived(self, page: Page, make: Callable[[], T], also: str = "") -> T:
        """What ``make`` derives from the page's rendered HTML (``page.content`` before any
        other change) and from what ``also`` names: stored with the page, made once."""
        key = self._keys.get(page.file.src_uri)
        return make() if key is None else self.memo(f"derived {key} {also}", make)

    def end(self, keep: bool = False) -> None:
        """Forget the records this build did not use (the store holds one build's pages),
        unless ``keep`` (a failed build has not seen them all)."""
        for logger in _LOGGERS:
            logging.getLogger(logger).removeHandler(self._logged)
        if self._store is None:
            return
        if not keep and self.enabled:
            self._store.keep_only(self._used)
        self._store.close()  # the last connection folds the write-ahead log into the file
        if keep or not self.enabled:
            return
        assert self.folder is not None
        kept, leftovers = set(self._store.files()), []
        with contextlib.suppress(OSError):  # what earlier versions stored: a file per record
            leftovers = [path for path in self.folder.iterdir() if path.name not in kept]
        for path in leftovers:
            with contextlib.suppress(OSError):
                path.unlink()

    def _read(self, key: str) -> dict[str, Any] | None:
        assert self._store is not None
        data = self._store.get(key)
        try:
            record = json.loads(zlib.decompress(data)) if data is not None else None
        except (zlib.error, ValueError):  # damaged: render again
            return None
        return record if isinstance(record, dict) and "content" in record else None

    def _write(self, key: str, record: dict[str, Any]) -> None:
        assert self._store is not None
        data = zlib.compress(json.dumps(record, ensure_ascii=False).encode("utf-8"), 1)
        self._store.put(key, data)
