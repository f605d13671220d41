"""The MkDocs plugin: adapts the core pipeline to MkDocs events, nothing more."""

from __future__ import annotations

import ipaddress
import json
import logging
import mimetypes
import posixpath
import re
import urllib.parse
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel, get_files
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler, get_relative_url

from . import browse, demo_embed, demos, export, history, previews, pyodide_assets, render, search
from . import graph_page, local_graph, notfound, render_ahead, site_assets, structured, write_ahead
from .cache_files import CACHE_DIR, TemporaryCache, cannot_write
from .config import LexigraphConfig
from .errors import GlossaryError, Problem, closest_page, format_report
from .graph import graph_hash
from .last_site import LastSite
from .layout import Analysis, GraphLayout, layout_key
from .markup import link_target, protected_spans
from .model import Term, index_url, terms_folder
from .page_cache import PageCache
from .parallel import cpus
from .pipeline import Glossary, Reuse, build_glossary
from .project import option_problems
from .pyodide_fetch import PyodideError
from .search_adapter import (SearchAdapter, entries_key, part_copies, search_copy, search_plugin,
                             splits, unlisted)
from .validate import Site, check_site_links

log = logging.getLogger("mkdocs.plugins.lexigraph")


def _not_counted(record: logging.LogRecord) -> bool:
    return False


def _strict_counters() -> list[CountHandler]:
    """MkDocs' count of a build's warnings, which fails a `strict` build at its end (it is
    attached to MkDocs' logger only then)."""
    return [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, CountHandler)]

#: Generated pages kept out of the nav on purpose (a nav of every term would be repeated in every
#: page): built and linked, without MkDocs listing each one as missing from the nav.
_LISTED_ELSEWHERE = InclusionLevel.NOT_IN_NAV
#: The opening tag of a page's body, where the preview's problem banner goes.
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)

# Pyodide's loader refuses WebAssembly served with another type, and hangs instead of failing.
mimetypes.add_type("application/wasm", ".wasm")


#: Where MkDocs reports the broken links of the pages it renders (see _EntryLinks).
_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")


class _EntryLinks(logging.Filter):
    """MkDocs checks the links of every page it renders and reports a broken one against the
    page's source: for a term page, ``terms/<slug>.md``, which Lexigraph generated and no author
    wrote. (Links to missing files are the entries' problems, found before MkDocs starts: see
    validate.check_site_links; what is left to it are anchors, links to drafts, absolute
    links, and any link when the plugin's check is bypassed.) Its message about a term page is
    rewritten to name the entry's file and the line of the link, with a page of a close name
    as the fix when MkDocs has none (the overview pages' sources, ``domains/<key>.md``, are not
    what their addresses say)."""

    _DOC = re.compile(r"Doc file '(?P<uri>[^']+)' contains (?P<rest>.*)", re.DOTALL)
    _LINK = re.compile(r"'(?P<link>[^']+)'")
    _TARGET = re.compile(r"but the target '(?P<target>[^']+)' is not found")

    def __init__(self) -> None:
        super().__init__()
        self.root = Path.cwd()
        #: Generated term pages' sources -> the entry files they are made from.
        self.entries: dict[str, Path] = {}
        #: Every documentation page's source, for the fix.
        self.pages: list[str] = []
        #: How many reports of each (page, link) were seen this build: MkDocs reports a
        #: broken link at each of its occurrences, in order.
        self.seen: dict[tuple[str, str], int] = {}
        #: The fix for each missing target (one search of every page per target).
        self.fixes: dict[str, str | None] = {}

    def reset(self, entries: dict[str, Path], pages: list[str]) -> None:
        """Start a build: the term pages' entries and the site's pages."""
        self.entries, self.pages, self.seen, self.fixes = entries, pages, {}, {}

    def _line(self, entry: Path, uri: str, link: str, resolved: bool = False) -> int | None:
        """The line of the link's next occurrence in the entry, outside code (1-based); with
        ``resolved``, ``link`` is the page it leads to (``notes/draft.md``), as MkDocs names
        it when the page is left out of the site."""
        try:
            text = entry.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

        def leads_there(target: str | None) -> bool:
            if target is None or not resolved:
                return target == link
            page = urllib.parse.unquote(target.split("#", 1)[0])
            return posixpath.normpath(posixpath.join(posixpath.dirname(uri), page)) == link

        starts = [start for start, end, kind in protected_spans(text)
                  if kind in ("link", "refdef", "image")
                  and leads_there(link_target(text[start:end]))]
        if not starts:
            return None
        nth = self.seen.get((uri, link), 0)
        self.seen[(uri, link)] = nth + 1
        return text.count("\n", 0, starts[min(nth, len(starts) - 1)]) + 1

    def _fix(self, target: str) -> str | None:
        """The page whose name is closest to ``target``'s, compared without suffixes."""
        if target not in self.fixes:
            self.fixes[target] = closest_page(target, self.pages)
        return self.fixes[target]

    def filter(self, record: logging.LogRecord) -> bool:
        found = self._DOC.match(record.getMessage())
        entry = self.entries.get(found["uri"]) if found else None
        if entry is None or found is None:
            return True
        rest, uri = found["rest"], found["uri"]
        quoted = self._LINK.search(rest)
        line = self._line(entry, uri, quoted["link"], "which is excluded from" in rest) \
            if quoted else None
        target = self._TARGET.search(rest)
        rooted = quoted["link"] if quoted and quoted["link"].startswith("/") else None
        if (target or rooted and "is not found" in rest) and "Did you mean" not in rest:
            # (MkDocs names no target for a link from docs_dir: relative_to_docs)
            close = self._fix(target["target"] if target else posixpath.normpath(
                urllib.parse.unquote(rooted.split("#", 1)[0]).lstrip("/")))
            if close:
                link = "/" + close if rooted else posixpath.relpath(close, posixpath.dirname(uri))
                rest += f" Did you mean '{link}'?"
        where = Problem(entry, line, "").location(self.root)
        record.msg, record.args = f"{where}: the entry (its page {uri}) contains {rest}", ()
        return True


def _site_files(config: MkDocsConfig, serving: bool, *sources: Path) -> list[File]:
    """The files of ``docs_dir`` and of the theme that MkDocs will read, with their inclusion
    (drafts and those ``exclude_docs`` names too), without those in ``sources`` (Lexigraph's
    own folders, which ``on_files`` leaves out of the site)."""
    quiet = logging.getLogger("mkdocs.structure.files")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # what it warns of (README.md beside index.md), MkDocs says
    try:                           # when it reads the files itself, right after this
        found = get_files(config)
        found.add_files_from_theme(config.theme.get_env(), config)  # (custom_dir's too)
    finally:
        quiet.setLevel(level)
    return [file for file in found if file.abs_src_path is None
            or not _inside(Path(file.abs_src_path), sources)]


def _built(file: File, serving: bool) -> bool:
    return file.inclusion.is_in_serve() if serving else file.inclusion.is_included()


def _site(files: Iterable[File], config: MkDocsConfig, serving: bool, terms_dir: str) -> Site:
    """What an entry's links with a folder in them must lead to (see validate.Site)."""
    files = list(files)
    built = {file.src_uri for file in files if _built(file, serving)}
    left_out = {file.src_uri: "a draft (draft_docs in mkdocs.yml)"
                if file.inclusion == InclusionLevel.DRAFT else
                "excluded (exclude_docs in mkdocs.yml)"
                for file in files if file.src_uri not in built}
    # (MkDocs' value for relative_to_docs is a member of a private enum, named so)
    from_docs = getattr(config.validation.links.absolute_links, "name", None) == "RELATIVE_TO_DOCS"
    return Site(frozenset(built), terms_dir, left_out, from_docs, Path(config.docs_dir))


def _inside(path: Path, folders: Iterable[Path]) -> bool:
    """Whether ``path`` is in one of ``folders`` (resolved paths)."""
    return any(path.resolve().is_relative_to(folder) for folder in folders)


def _this_machine(host: str | None) -> bool:
    """Whether ``host`` names the machine itself: a site_url there is a preview's, not the
    address a site is published at.

    >>> _this_machine("127.0.1.1"), _this_machine("localhost"), _this_machine("example.org")
    (True, True, False)
    """
    if host is None:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _list_versioned(listed: list[Any], name: str) -> None:
    """Put one of our files in ``extra_css``/``extra_javascript`` with its version: in the
    place of an entry for it (its first, keeping a script's other settings), else last."""
    path = site_assets.URI + name
    at = [i for i, entry in enumerate(listed) if str(entry).split("?")[0] == path]
    if not at:
        listed.append(site_assets.address(name))
        return
    entry = listed[at[0]]
    if hasattr(entry, "path"):  # MkDocs' ExtraScriptValue (type, defer, async)
        entry.path = site_assets.address(name)
    else:
        listed[at[0]] = site_assets.address(name)
    for i in reversed(at[1:]):
        del listed[i]


class LexigraphPlugin(BasePlugin[LexigraphConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.glossary: Glossary | None = None
        self.term_urls: dict[str, Term] = {}
        #: Each term's PageRank over the highest: orders search results whose names tie.
        self.central: dict[str, float] = {}
        self.blocks: dict[str, str] = {}
        #: When each term's entry last changed (git), by slug: its page's sitemap lastmod.
        self.entry_dates: dict[str, str] = {}
        self.root = Path.cwd()
        self.demos = demo_embed.Embedder({})
        self.runtime_files: list[pyodide_assets.SiteFile] = []
        #: Communities and layouts of the concept graph (computed meanwhile, see Analysis).
        self.analysis: Analysis | None = None
        #: graph.json, whose content is the layout: filled in at on_env.
        self._graph_json: File | None = None
        self.graph_vendor: list[graph_page.VendorFile] = []
        #: Unchanged entries' parsing and auto-links, across `mkdocs serve` rebuilds.
        self.reuse = Reuse()
        self.serving = False
        #: Concept map sections by slug, valid for one graph and layout (``graph_key``).
        self.local_maps: dict[str, str] = {}
        self.graph_key = ""
        self.search = SearchAdapter()
        #: Generated pages' rendered HTML between builds (see page_cache).
        self.pages = PageCache(None)
        #: The pages Lexigraph writes (terms, the A-Z index, domains...), by src_uri: cached.
        self.generated: set[str] = set()
        #: docs_dir's own files by the address they are written to (casefolded), in on_files.
        self.written: dict[str, File] = {}
        #: Processes rendering generated pages into the page cache ahead of MkDocs.
        self.helpers = render_ahead.Helpers()
        #: The page being indexed by search, and what its search entries are stored under.
        self._entries_key: tuple[Page, str] | None = None
        #: Processes writing generated pages beside MkDocs, and the nav they are written with.
        self.writers = write_ahead.Writers()
        self._nav: Any = None
        #: The template of each page the writers may write (rendered through DISPATCH).
        self._layouts: dict[str, str | None] = {}
        self.dirty = False
        #: The demo modules of the demos folder, as this build found them (on_pre_build).
        self.found_demos: dict[str, Path] = {}
        #: The last good site, set aside while a build replaces it (see lexigraph.last_site).
        self.last_site: LastSite | None = None
        self._told_strict = False
        #: Under `mkdocs serve`: the report of the glossary's problems while the preview shows
        #: the glossary of the last build that had none (see :meth:`on_pre_build`).
        self.preview_problems = ""
        #: Whether ``preview_problems`` include the glossary's, and demos' in pages (which
        #: the preview leaves out); the problems themselves.
        self.preview_glossary, self.preview_pages = True, False
        self._preview_list: list[Problem] = []
        #: Whether the preview shows only the entries without problems (its first build had
        #: some, so there was no last good glossary to show).
        self.partial = False
        #: Rewrites MkDocs' reports of broken links in term pages to name the entries.
        self.entry_links = _EntryLinks()
        #: Whether the entries' links with a folder in them are checked once every plugin
        #: has added its files (see _links_checked), not before the build starts.
        self._late_site = False
        #: Where this build keeps its caches (see :meth:`_cache_folder`).
        self.cache_dir = self.root / CACHE_DIR
        #: The cache of a project whose own folder cannot be written (see _cache_folder).
        self._temporary: TemporaryCache | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining this makes MkDocs keep one plugin instance for all the rebuilds of
        # `mkdocs serve`, so what the caches hold (layouts, concept maps) survives an edit.
        # A single build keeps nothing it will not use again (memory at 10,000 terms).
        self.serving = command == "serve"
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.serving and config.strict:
            # Under `strict`, a rebuild with a warning (a broken link in a hand-written page)
            # fails, and MkDocs' server then holds every request until it is fixed: the
            # preview shows the warnings and goes on. (`mkdocs build` still fails on them.)
            for counter in _strict_counters():
                counter.addFilter(_not_counted)
            if not self._told_strict:
                self._told_strict = True
                log.info("the preview goes on after a warning, which `strict` makes a failed "
                         "`mkdocs build`")
        config_file = Path(config.config_file_path or "mkdocs.yml")
        root = config_file.resolve().parent
        problems = option_problems(config_file, root, self.config)
        if problems:
            raise PluginError("the plugin's options have problems:\n"
                              + format_report(problems, root))
        self.config["terms_dir"] = terms_folder(self.config.terms_dir)
        if not config.site_url and not self.serving:
            # (Said, not warned: MkDocs builds such a site, and `strict` would fail it.)
            log.info("site_url is not set: sitemap.xml lists no page, term pages have no "
                     "canonical address, and the not-found page works only at the host's root "
                     "(a project site at /glossary/ gets it unstyled); set site_url to the "
                     "address the site is published at")
        elif not self.serving and _this_machine(urllib.parse.urlsplit(config.site_url).hostname):
            log.info("site_url is %s, this machine's own address: the canonical addresses, "
                     "sitemap.xml, Copy link and Cite point there; set site_url to the address "
                     "the site is published at before publishing it", config.site_url)
        if root != self.root:  # MkDocs keeps this instance for a build of another project
            if self.analysis is not None:
                self.analysis.stop()
            self.analysis, self.reuse, self.local_maps, self.graph_key = None, Reuse(), {}, ""
        self.root = root
        self.entry_links.root = root
        for stale in [f for f in _PAGES_LOG.filters if isinstance(f, _EntryLinks)]:
            _PAGES_LOG.removeFilter(stale)  # another instance's, from a build that failed
        _PAGES_LOG.addFilter(self.entry_links)
        self.cache_dir = self._cache_folder()
        pages = self.cache_dir / "pages" if self.config.page_cache else None
        if pages != self.pages.folder:
            self.pages.end(keep=True)  # (closes its store)
            self.pages = PageCache(pages)
        # The Markdown entries are written in, which `lexigraph check` reads too: fences may
        # sit in list items and admonitions (superfences; see markup.indented_code).
        # (lexigraph.autolink reads the auto-links: see autolink.marked_link.)
        for ext in ("attr_list", "md_in_html", "pymdownx.superfences", "lexigraph.mathml",
                    "lexigraph.autolink"):
            if ext not in config.markdown_extensions:
                config.markdown_extensions.append(ext)
        # Our files' addresses carry their version (see site_assets): one listed already (by
        # the project, or by a build before an edit of them) gets it where it stands.
        for listed, names in ((config.extra_css, site_assets.STYLESHEETS),
                              (config.extra_javascript, (site_assets.ENTRY_SCRIPT,))):
            for name in names:
                _list_versioned(listed, name)
        if config.theme.name != "material":  # (Said, not warned: such a site builds.)
            cdn = (", and it loads highlight.js from a CDN unless 'highlightjs: false' is set "
                   "under 'theme:'" if config.theme.name == "mkdocs"
                   and config.theme.get("highlightjs", True) else "")
            log.info("Lexigraph's pages are made for the Material theme (mkdocs-material), not "
                     "'%s'%s: set 'name: material' under 'theme:'", config.theme.name, cdn)
        # (By name: a search plugin listed after this one has not made its index yet, and
        # MkDocs' own, with its theme, keeps its index otherwise. Both are weighed.)
        if not any(name.split("/")[-1] == "search" for name in config.plugins):
            log.info("the site has no search: add '- search' under 'plugins:' (Material's "
                     "search, which Lexigraph weighs by term names)")
        privacy = any(name.split("/")[-1] == "privacy" for name in config.plugins)
        if config.theme.name == "material" and config.theme.get("font") is not False \
                and not privacy:  # (Material's privacy plugin serves them from the site)
            log.info("the theme loads its fonts from Google Fonts, so the site is not offline: "
                     "set 'font: false' under 'theme:' (system fonts), or self-host them with "
                     "Material's privacy plugin")
        return config

    def _path(self, option: str) -> Path:
        return (self.root / self.config[option]).resolve()

    def _cache_folder(self) -> Path:
        """The project's ``.lexigraph-cache``; if it cannot be written, a temporary one
        (:class:`TemporaryCache`) for this build, or for this `mkdocs serve` session, so that
        the helpers still share their work through it (see render_ahead) and the layout
        computed meanwhile still reaches MkDocs (see layout.Analysis)."""
        folder = self.root / CACHE_DIR
        why = cannot_write(folder)
        if not why:
            self._drop_temporary_cache()
            return folder
        if self._temporary is None or self._temporary.source != folder:
            self._drop_temporary_cache()
            try:
                self._temporary = TemporaryCache(folder)
            except OSError:  # nowhere to write: every cache write fails quietly, as before
                return folder
            until = ("until `mkdocs serve` stops" if self.serving else
                     "removed when the build ends: the next build renders every page again")
            log.info("the cache folder %s cannot be written (%s): this build keeps its cache "
                     "in %s, starting from what the folder holds, %s", folder, why,
                     self._temporary.folder, until)
        return self._temporary.folder

    def _drop_temporary_cache(self) -> None:
        temporary, self._temporary = self._temporary, None
        if temporary is None:
            return
        self._end_helpers()  # (nothing may be writing in it while it is removed)
        if self.analysis is not None:
            self.analysis.stop()
        if self.pages.folder is not None and self.pages.folder.is_relative_to(temporary.folder):
            self.pages.end(keep=True)  # (closes its store; on_config makes the next one)
        temporary.remove()

    def on_shutdown(self) -> None:
        self._drop_temporary_cache()

    def on_pre_build(self, config: MkDocsConfig) -> None:
        # Validate before MkDocs cleans site_dir: a bad entry leaves the last good site intact.
        # Demo fences in the hand-written pages too (build_glossary checks those in entries).
        found = _site_files(config, self.serving, self._path("glossary_dir"))
        pages = [file for file in found
                 if _built(file, self.serving) and file.is_documentation_page()]
        site = self._links_checked(config, found)
        on_disk = [Path(str(f.abs_src_path)) for f in pages if f.abs_src_path]
        self.found_demos = demos.discover(self._path("demos_dir"))
        in_pages = demo_embed.check_placements(self.found_demos,
                                               demo_embed.page_placements(on_disk), self.root)
        in_pages += browse.block_problems(on_disk)
        # Hand-written pages beside the term pages, which an entry may link to as "x.md".
        beside = {PurePosixPath(f.src_uri).stem for f in pages
                  if str(PurePosixPath(f.src_uri).parent) == self.config.terms_dir}
        self.preview_problems, self.preview_glossary, self.preview_pages = "", True, False
        try:
            self.glossary = build_glossary(self._path("glossary_dir"), self._path("demos_dir"),
                                           link_terms=self.config.autolink,
                                           reuse=self.reuse if self.serving else None,
                                           cache_dir=self.cache_dir, pages=beside,
                                           partial=self.serving and (self.glossary is None
                                                                     or self.partial),
                                           previous=self.glossary if self.partial else None,
                                           site=site)
            self.partial = False
        except GlossaryError as exc:  # every problem at once, the pages' too
            # A broken demo module is in both lists (it is checked whether placed or not).
            in_pages = [p for p in in_pages if p not in exc.problems]
            # (a demo failing alike in an entry and in a page: once, naming both)
            merged = demo_embed.merge_placements([*exc.problems, *in_pages])
            report = format_report(merged, self.root)
            # The preview's first build has no last good glossary: the entries without
            # problems stand in for it (their links to the others left out; a page in place
            # of each of the others, which hand-written links may reach), and go on standing
            # in, as they change, until a build has no problem.
            if self.serving and (self.glossary is None or self.partial) \
                    and exc.partial is not None:
                self.glossary, self.partial = exc.partial, True
            if not (self.serving and self.glossary is not None):
                raise PluginError(("the glossary and the site's pages have problems:\n"
                                   if in_pages else "the glossary has problems:\n")
                                  + report) from None
            # A failed build would make `mkdocs serve` hold every request until the entries
            # are fixed, and an entry being written (`lexigraph new`) is unfinished on
            # purpose: the preview goes on with the last good glossary and shows the problems
            # on every page. Logged below warning level, which `strict` would turn into a
            # failed build again; `mkdocs build` and `lexigraph check` still fail.
            self._preview(merged, report, glossary=True, pages=bool(in_pages))
            log.info("the glossary has problems; until they are fixed the preview shows %s:\n%s",
                     "the entries without any" if self.partial
                     else "it as it was at the last build without any", report)
        if in_pages and not self.preview_problems:  # (else they are in its report)
            self._pages_problems(in_pages)
        # Fetched once into the user cache, verified on every build (before site_dir is cleaned).
        opts = self.config.pyodide
        cache = None
        if opts.cache_dir:  # relative to mkdocs.yml, like the other folders
            cache = (self.root / Path(opts.cache_dir).expanduser()).resolve()
        try:
            self.runtime_files = pyodide_assets.site_files(
                self._path("demos_dir"), mode=opts.mode, cdn_url=opts.cdn_url,
                cache_root=cache, site_url=config.site_url or "", report=log.info)
        except PyodideError as exc:
            raise PluginError(f"Pyodide runtime: {exc}") from None
        try:
            self.graph_vendor = graph_page.vendor_files(self.root, report=log.info,
                                                        warn=log.warning)
        except graph_page.MissingFrontEnd as exc:
            raise PluginError(f"concept graph: {exc}") from None
        # Communities and layouts: cached by graph hash, so only changed links cost time.
        # When they must be computed, a copy of this process does it while pages are read
        # and converted (which needs none of it), if there is a spare CPU.
        structure = self.glossary.structure or graph_hash(self.glossary.graph)
        if self.analysis is None or self.analysis.key != layout_key(structure):
            if self.analysis is not None:
                self.analysis.stop()
            self.analysis = Analysis(self.glossary.graph, self.cache_dir,
                                     structure, background=cpus() > 1)
        # Concept maps show the structure, the layout, titles and domain colours.
        maps_key = f"{self.analysis.key} {local_graph.texts_key(self.glossary)}"
        if maps_key != self.graph_key:
            self.graph_key, self.local_maps = maps_key, {}
        # Last: MkDocs empties the site next. (A preview builds elsewhere; a dirty build
        # needs the site it updates.)
        self.last_site = None
        if not (self.serving or self.dirty):
            last = LastSite(Path(config.site_dir))
            self.last_site = last if last.keep() else None

    def _links_checked(self, config: MkDocsConfig, found: list[File]) -> Site | None:
        """The site the entries' links with a folder in them are checked against before
        MkDocs starts (a failed build then leaves site/ as it was), or ``None``: when a broken
        one would not fail the build (no `strict`, or validation's not_found below warn), or
        when another plugin or a hook adds files (checked once they have, see
        _late_links)."""
        self._late_site = False
        if not config.strict or config.validation.links.not_found < logging.WARNING:
            return None
        if any(getattr(handler, "__self__", None) is not self
               for handler in config.plugins.events["files"]):
            self._late_site = not self.serving  # (a preview leaves them to MkDocs)
            return None
        return _site(found, config, self.serving, self.config.terms_dir)

    @event_priority(-100)  # after every other plugin and hook has added its files
    def _late_links(self, files: Files, config: MkDocsConfig) -> Files:
        if self._late_site and self.glossary is not None:
            site = _site(files, config, self.serving, self.config.terms_dir)
            problems = check_site_links(self.glossary.terms.values(), site, ())
            if problems:
                raise PluginError("the glossary has problems:\n"
                                  + format_report(problems, self.root))
        return files

    def _files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.glossary is not None
        g = self.glossary
        folder = self.config.terms_dir
        self.generated = set()
        # A glossary kept inside docs_dir would be published twice, its raw entries (and
        # _taxonomy.yml) beside the term pages made from them, and searched twice.
        glossary_dir = self._path("glossary_dir")
        for file in [f for f in files if f.abs_src_path and _inside(Path(f.abs_src_path),
                                                                    [glossary_dir])]:
            files.remove(file)
        # With a nav of its own, the site lists what it wants: the overview pages made here
        # (A-Z index, graph, domains, difficulty) are not "omitted from the nav" if it leaves
        # them out. Without one, MkDocs' nav lists them.
        overview = _LISTED_ELSEWHERE if config.nav else InclusionLevel.UNDEFINED
        # Hand-written files by the address they are written to: one a generated page would
        # overwrite there is left out, and said so (see _replace).
        self.written = {f.dest_uri.casefold(): f for f in files if f.abs_src_path}
        # (a preview leaves out the demos whose modules have problems: they are reported)
        withheld = set(self.found_demos) - set(g.demos)
        self.demos = demo_embed.Embedder(g.demos, self.root, withheld)
        for path in site_assets.asset_files():
            content = site_assets.shipped(path)
            self._replace(files, File.generated(config, site_assets.URI + path.name,
                                                content=content) if content is not None else
                          File.generated(config, site_assets.URI + path.name,
                                         abs_src_path=str(path)))
        for slug in sorted(g.terms):
            path = render.term_path(slug, folder)
            term = g.terms[slug]
            known = len(self.demos.problems)
            demo = (self.demos.render(term.demo, [], term.path, None, "lx-demo-0",
                                      searched=False) or "" if term.demo else "")
            self._entries_reported(known)
            self._replace(files, File.generated(config, path, inclusion=_LISTED_ELSEWHERE,
                                                content=render.term_page(g, slug, demo_html=demo)))
        if search_plugin(config) is not None:  # what suggest.js corrects a misspelt search to
            self._replace(files, File.generated(config, search.WORDS_URI,
                                                content=search.suggestion_json(g.terms.values())))
        # What suggest.js offers on the not-found page for a missing address.
        names = notfound.names_json(g.terms, g.ranks, folder, config.use_directory_urls)
        self._replace(files, File.generated(config, notfound.NAMES_URI, content=names))
        # What demo.js fetches: the demos' controls, and their sources for "Show code".
        self._replace(files, File.generated(config, demo_embed.SPECS_URI,
                                            content=self.demos.specs_json()))
        for module in demo_embed.source_files(g.demos):
            self._replace(files, File.generated(config, f"{demo_embed.SOURCE_DIR}/{module.name}",
                                                abs_src_path=str(module)))
        for asset in self.runtime_files:  # assets/pyodide/ and runtime.json
            self._replace(files, File.generated(config, asset.uri, content=asset.content)
                          if asset.content is not None else
                          File.generated(config, asset.uri, abs_src_path=str(asset.source)))
        self.term_urls = previews.term_urls(g.terms, folder, config.use_directory_urls)
        self.central = search.centrality(g.ranks)
        index = render.index_page(g, config.use_directory_urls)
        self._replace(files, File.generated(config, f"{folder}/index.md", content=index,
                                            inclusion=overview))
        for path, text in {**browse.domain_pages(g, folder),
                           **browse.difficulty_pages(g, folder)}.items():
            # Each domain and difficulty page is reached from its overview (index.md).
            inclusion = overview if path.endswith("/index.md") else _LISTED_ELSEWHERE
            self._replace(files, File.generated(config, path, content=text, inclusion=inclusion))
        changed = history.last_changed(g.root, [t.path for t in g.terms.values()])
        dates = {t.slug: changed.get(t.path.resolve(), "") for t in g.terms.values()}
        self.entry_dates = dates
        self.blocks = browse.home_blocks(g, dates, folder)
        if not any(f.dest_uri == "index.html" for f in files if f.is_documentation_page()):
            # (index.md or README.md would be the home page) else the logo leads nowhere
            self._replace(files, File.generated(config, "index.md", inclusion=overview,
                                                content=browse.home_page(config.site_name)))
        self._replace(files, File.generated(config, graph_page.GRAPH_PAGE,
                                            content=graph_page.graph_page(g, site_assets.version()),
                                            inclusion=overview))
        # Its content (the layout, computed meanwhile) is set at on_env, before files are copied.
        self._graph_json = File.generated(config, graph_page.GRAPH_JSON, content=b"")
        self._replace(files, self._graph_json)
        for vendor in self.graph_vendor:  # sigma, graphology, 3d-force-graph (node_modules/cache)
            self._replace(files, File.generated(config, vendor.uri,
                                                abs_src_path=str(vendor.source)))
        for slug, entry in g.left_out.items():  # (a partial preview: see on_pre_build)
            path = render.term_path(slug, folder)
            if files.get_file_from_path(path) is None:  # (not "index", nor a page of the site)
                where = entry.relative_to(self.root) if entry.is_relative_to(self.root) else entry
                self._replace(files, File.generated(config, path, inclusion=_LISTED_ELSEWHERE,
                                                    content=render.left_out_page(
                                                        slug, where.as_posix())))
        self.entry_links.reset({render.term_path(slug, folder): term.path
                                for slug, term in g.terms.items()},
                               sorted(f.src_uri for f in files.documentation_pages()))
        return files

    on_files = CombinedEvent(_files, _late_links)

    @event_priority(-100)  # after other plugins have added or removed files
    def on_nav(self, nav: Any, config: MkDocsConfig, files: Files) -> Any:
        self._nav = nav  # for the writers (see write_ahead)
        self.pages.start(config, files)
        if self.pages.reason and self.config.page_cache:
            log.info("generated pages are not cached: %s", self.pages.reason)
        # The last event before MkDocs renders the pages: helpers start on them from the end
        # (under `mkdocs serve`, in its first build only: its server's threads start after it,
        # and no process with other threads forks; see parallel.can_fork).
        self.helpers.stop()
        if self.pages.enabled:
            ahead = [f for f in files.documentation_pages() if f.src_uri in self.generated]
            count = render_ahead.helpers_wanted(len(ahead))
            writers = self._writers_wanted(config, len(ahead)) > 0
            if count:
                self.helpers.start(
                    ahead, lambda file: self._render_ahead(file, config, files, writers),
                    count, self.pages.only_count_logs)
        return nav

    def _writers_wanted(self, config: MkDocsConfig, pages: int) -> int:
        """How many write-ahead helpers this build gets (see write_ahead): none for
        ``--dirty`` (MkDocs writes only some pages), when another plugin's handlers run on
        pages, or in a process with other threads (a rebuild of ``mkdocs serve``, beside its
        server's: see parallel.can_fork)."""
        if self.dirty or not write_ahead.known_handlers(
                config.plugins.events, LexigraphPlugin,
                {"nav": LexigraphPlugin.on_nav, "env": LexigraphPlugin._start_writers}):
            return 0
        return write_ahead.helpers_wanted(pages)

    def _render_ahead(self, file: File, config: MkDocsConfig, files: Files,
                      writers: bool) -> bool:
        """In a helper (see render_ahead): what MkDocs does to render a page, then, unless
        ``writers`` will, what _before_search derives from it; both end up in the page cache.
        Returns whether the page was in the cache already."""
        page = file.page if file.page is not None else Page(None, file, config)
        config._current_page = page
        try:
            page = config.plugins.on_pre_page(page, config=config, files=files)
            page.read_source(config)
            page.markdown = config.plugins.on_page_markdown(
                page.markdown or "", page=page, config=config, files=files)
            cached = self.pages.cached(page)
            page.render(config, files)
            page.content = config.plugins.on_page_content(
                page.content or "", page=page, config=config, files=files)
            # What is derived from it (and search entries) the writers make with the rest.
            if not writers and not self._index_ahead(page, config):  # (derives it too)
                self._derived(page, config)
            return cached
        except Exception:  # MkDocs reports it when it renders the page itself
            return False
        finally:
            config._current_page = None

    def _index_ahead(self, page: Page, config: MkDocsConfig) -> bool:
        """In a helper: what :meth:`_before_search` derives from the page and the entries
        Material's search makes of it, stored for MkDocs (see :class:`SearchAdapter`). Only
        Lexigraph's handlers and the search plugin's run: any other plugin's
        ``on_page_context`` runs in MkDocs only. Returns ``False`` without that plugin."""
        plugin = search_plugin(config)
        if plugin is None:
            return False
        context: dict[str, Any] = {}
        self._before_search(context, page, config, None)
        plugin.on_page_context(context, page=page, config=config, nav=None)
        self._after_search(context, page, config, None)
        return True

    def _replace(self, files: Files, file: File) -> None:
        existing = files.get_file_from_path(file.src_uri)
        if existing is not None:
            log.warning("'%s' is generated by lexigraph; the file in docs_dir is ignored",
                        file.src_uri)
            files.remove(existing)
        other = self.written.pop(file.dest_uri.casefold(), None)
        if other is not None and other is not existing \
                and files.get_file_from_path(other.src_uri) is other:
            # (docs/terms.md beside the A-Z index at terms/index.md: one address, two pages;
            # case-blind, as a Windows or macOS file system would be)
            log.warning("'%s' would be written to '%s', where lexigraph writes '%s'; the file "
                        "in docs_dir is ignored: rename or move it (or choose another "
                        "terms_dir)", other.src_uri, other.dest_uri, file.src_uri)
            files.remove(other)
        files.append(file)
        if file.is_documentation_page():
            self.generated.add(file.src_uri)

    def _page_markdown(self, markdown: str, page: Page, config: MkDocsConfig,
                       files: Files) -> str:
        g = self.glossary
        term = g.terms.get(page.meta.get("lexigraph_term", "")) if g else None
        if g is not None and term is not None:  # report lines of the glossary file
            offset = demo_embed.body_offset(markdown, g.bodies.get(term.slug, term.body),
                                            term.body_line)
            known = len(self.demos.problems)
            markdown = self.demos.replace_fences(markdown, term.path, offset)
            self._entries_reported(known)
            return markdown
        if not page.file.abs_src_path:  # (a page on disk was checked before the build)
            # (line 1: the page's first line after its front matter)
            for line, name in browse.fill_blocks(markdown, self.blocks)[1]:
                log.warning("%s: line %d of its text: unknown block <!-- lexigraph:%s -->; "
                            "known: %s", page.file.src_uri, line, name, ", ".join(browse.BLOCKS))
        # Demo fences before the blocks (whose Markdown would move them), at the lines of the
        # file, front matter included, as they were checked before the build.
        try:
            source = page.file.content_string
        except (OSError, UnicodeDecodeError):  # (MkDocs has read it: cannot happen)
            source = ""
        at = source.find(markdown) if markdown else -1
        offset = source.count("\n", 0, at) if at > 0 else 0
        markdown = self.demos.replace_fences(
            markdown, Path(page.file.abs_src_path or page.file.src_uri), offset)
        return browse.fill_blocks(markdown, self.blocks)[0]

    @event_priority(-100)  # the Markdown every plugin has finished with is what renders
    def _cached_markdown(self, markdown: str, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        if page.file.src_uri in self.generated:
            return self.pages.lookup(markdown, page)
        return markdown

    on_page_markdown = CombinedEvent(_page_markdown, _cached_markdown)

    @event_priority(100)  # the HTML as rendered, before any plugin changes it
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self.pages.finish(html, page, files)

    def _preview(self, problems: list[Problem], report: str, glossary: bool,
                 pages: bool) -> None:
        """Open every page of the preview with ``problems`` (``report``: their report), which
        are the glossary's and, or only (not ``glossary``), demos' in pages (see
        render.problems_banner)."""
        self._preview_list, self.preview_problems = list(problems), report
        self.preview_glossary, self.preview_pages = glossary, pages

    def _pages_problems(self, problems: list[Problem]) -> None:
        """Demo fences with problems in hand-written pages: a failed build, except in a
        preview, which leaves those demos out and shows the problems on every page (as it
        does the glossary's; a failed build would make `mkdocs serve` hold every request)."""
        report = format_report(problems, self.root)
        if not self.serving:
            raise PluginError("the site's pages have problems:\n" + report)
        self._preview(problems, report, glossary=False, pages=True)
        log.info("the site's pages have problems; until they are fixed the preview leaves them "
                 "out:\n%s", report)

    def _entries_reported(self, known: int) -> None:
        """Forget the demo problems found since there were ``known`` in an entry's page of a
        preview that shows the last good glossary: the glossary's report has them already
        (a demo module broken since), and they were listed again, without their lines, under
        a heading that blamed the site's pages."""
        if self.preview_problems and self.preview_glossary:
            del self.demos.problems[known:]

    def _sitemap_dates(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        # A term page's sitemap lastmod is when its entry last changed, not this build's date
        # (MkDocs' default: every page "changed" on every build, for a search engine).
        for file in files.documentation_pages():
            term = self.term_urls.get(file.page.url) if file.page is not None else None
            date = self.entry_dates.get(term.slug, "") if term is not None else ""
            if date:
                file.page.update_date = date[:10]
        return env

    def _graph_data(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        # Every page's Markdown has been read by now: report all demo problems at once.
        if self.demos.problems:
            problems, self.demos.problems = self.demos.problems, []
            if not self.preview_problems:
                self._pages_problems(problems)
            else:  # a preview: what its report lacks (a fence found only while rendering)
                new = [p for p in problems if p not in self._preview_list]
                if new:
                    listed = [*self._preview_list, *new]
                    self._preview(listed, format_report(listed, self.root),
                                  glossary=self.preview_glossary, pages=True)
        if self._graph_json is not None and self.glossary is not None:
            self._graph_json.content_bytes = graph_page.site_graph_json(
                self.glossary, self._view(), self.config.terms_dir, config.use_directory_urls)
        return env

    @event_priority(-100)  # last: the helpers are copies of MkDocs as it starts writing pages
    def _start_writers(self, env: jinja2.Environment, config: MkDocsConfig,
                       files: Files) -> jinja2.Environment:
        self.writers.stop()
        self._layouts = {}
        pages = write_ahead.generated_pages(files, self.generated)
        count = self._writers_wanted(config, len(pages))
        if not count:
            return env
        self.helpers.stop()  # every page is converted: what they derive the writers do
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader(write_ahead.TEMPLATES),
                                          env.loader])
        for uri, _ in pages:
            page = files.get_file_from_path(uri).page
            self._layouts[uri] = page.meta.get("template")
            page.meta["template"] = write_ahead.DISPATCH
        # The pages MkDocs gives every page's context (under `mkdocs serve`, drafts too).
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve
                                              if self.serving else InclusionLevel.is_included)
        self.writers.start(pages, lambda uri: self._write_ahead(
            files.get_file_from_path(uri).page, config, doc_files, env), count)
        return env

    on_env = CombinedEvent(_sitemap_dates, _graph_data, _start_writers)

    def _write_ahead(self, page: Page, config: MkDocsConfig, doc_files: Any,
                     env: jinja2.Environment) -> str | None:
        """In a helper (see write_ahead): what MkDocs does to write a page, up to the output."""
        config._current_page = page
        page.active = True
        try:
            context = get_context(self._nav, doc_files, config, page)
            template = env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config,
                                                     nav=self._nav)
            output = template.render(context)
            return config.plugins.on_post_page(output, page=page, config=config)
        except Exception:  # given back: MkDocs renders the page and reports the error
            return None
        finally:
            page.active = False
            config._current_page = None

    def _view(self) -> GraphLayout:
        assert self.analysis is not None
        return self.analysis.result()

    # Nothing is added to a page's HTML in on_page_content: MkDocs holds every page's HTML from
    # its rendering until the end of the build, so the generated parts and previews are added
    # in on_page_context, one page at a time, and dropped once the page is written (memory at
    # 10,000 terms).
    @event_priority(10)  # before Material's search (0) reads page.content: see search_adapter
    def _before_search(self, context: Any, page: Page, config: MkDocsConfig,
                       nav: Any) -> Any:
        g = self.glossary
        uri = page.file.src_uri
        if uri in self._layouts:  # rendered through DISPATCH: the page's layout, or none
            context[write_ahead.LAYOUT] = (write_ahead.BLANK if self.writers.claim(uri)
                                           else self._layouts[uri] or "main.html")
        slug = page.meta.get("lexigraph_term")
        previewed, term = self._page_kind(page)
        rendered = self._derived(page, config)
        html = previews.apply_marks(page.content or "", rendered["marks"])
        linked = set(rendered["linked"])
        reduced = None if term else rendered["copy"]
        if g is not None and term:
            parts = render.term_parts(g, slug, config.use_directory_urls, self.config.terms_dir)
            parts[render.MAP_PART] = rendered["map"]
            copies = part_copies(render.unsearched_parts(parts))
            if rendered["copy"] is not None and copies is not None:
                reduced = render.fill_parts(rendered["copy"], copies)
            else:  # reduce the page as a whole
                reduced = search_copy(render.fill_parts(page.content or "",
                                                        render.unsearched_parts(parts)))
            if previewed:  # the parts mark their links to terms themselves
                linked.update(s for marker, part in parts.items()
                              if marker not in render.LISTED_PARTS
                              for s in previews.marked(part))
            html = render.fill_parts(html, parts)
        if previewed and g is not None:
            html += previews.previews_template({s: g.terms[s] for s in linked if s in g.terms})
        page.content = html
        # What Material's search made of this page last time, if it reads the same again.
        self._entries_key = None
        recorded = None
        if (self.pages.enabled and page.file.src_uri in self.generated
                and search_plugin(config) is not None):
            self._entries_key = (page, entries_key(page, html if reduced is None else reduced))
            recorded = self.pages.recall(self._entries_key[1])
        self.search.before(page, config, reduced=reduced,
                           recorded=recorded if isinstance(recorded, list) else None)
        return context

    def _derived(self, page: Page, config: MkDocsConfig) -> dict[str, Any]:
        """What :meth:`_derive` makes of the page, from the cache when it is there: link
        marks, the search copy and the concept map are kept with the cached page (one read
        per page); the generated parts, which depend on other terms, are made each time."""
        previewed, term = self._page_kind(page)

        def derive() -> dict[str, Any]:
            return self._derive(page, previewed, term, config.use_directory_urls)

        rendered = self.pages.derived(page, derive, also=self.graph_key if term else "")
        if not isinstance(rendered, dict) or rendered.get("length") != len(page.content or ""):
            rendered = derive()  # damaged, or not made from this HTML
        return rendered

    def _page_kind(self, page: Page) -> tuple[bool, bool]:
        """Whether the page gets hover previews (every page but the A-Z index, which shows
        every summary), and whether it is a term page."""
        g = self.glossary
        return (page.url not in self._index_urls(),
                g is not None and page.meta.get("lexigraph_term") in g.terms)

    def _derive(self, page: Page, previewed: bool, term: bool,
                use_directory_urls: bool) -> dict[str, Any]:
        """What :meth:`_before_search` needs of the rendered HTML (JSON: it is cached): where
        links to terms are marked, the search copy of a term page or of a page with lists of terms, and
        a term page's concept map (which depends on the graph: see ``graph_key``)."""
        rendered = page.content or ""
        if term:
            copy = search_copy(rendered) if splits(rendered) else None
        else:  # a page with lists of terms: search skips them
            copy = unlisted(rendered)
        marks: list[int] = []
        linked: dict[str, Term] = {}
        if previewed:
            marks, linked = previews.link_marks(rendered, page.url, self.term_urls)
            if not term and "data-lx-summaries" in rendered:  # rows that are previews
                linked = previews.link_marks(previews.without_summary_lists(rendered),
                                             page.url, self.term_urls)[1]
        concept_map = (self._concept_map(page.meta["lexigraph_term"], use_directory_urls)
                       if term else "")
        return {"marks": marks, "linked": sorted(linked), "copy": copy, "map": concept_map,
                "length": len(rendered)}

    def _concept_map(self, slug: str, use_directory_urls: bool) -> str:
        g, view = self.glossary, self._view()
        assert g is not None
        # A term's map depends on the graph, the layout and the titles it shows (graph_key).
        key = f"{slug} {use_directory_urls} {self.config.terms_dir}"
        html = self.local_maps.get(key)
        if html is None:
            html = local_graph.concept_map_html(g, view, slug, use_directory_urls,
                                                self.config.terms_dir)
            if self.serving:
                self.local_maps[key] = html
        return html

    @event_priority(-10)  # after Material's search (0)
    def _after_search(self, context: Any, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        term = self.term_urls.get(page.url)
        made = self.search.after(page, config, term,
                                 self.central.get(term.slug, 0.0) if term else 0.0)
        if made is not None and self._entries_key is not None and self._entries_key[0] is page:
            self.pages.keep(self._entries_key[1], made)
        self._entries_key = None
        return context

    on_page_context = CombinedEvent(_before_search, _after_search)

    def _index_urls(self) -> tuple[str, str]:
        return (index_url("", self.config.terms_dir, True),  # (as MkDocs writes a page's url)
                index_url("", self.config.terms_dir, False))

    def _add_head(self, output: str, page: Page, config: MkDocsConfig) -> str:
        # Inserted into the finished page so that any theme gets it, no template override.
        term = self.term_urls.get(page.url)
        site_url = config.site_url or ""
        head = "".join(f'<link rel="stylesheet" href="{get_relative_url(site_assets.address(name), page.url)}">'
                       for name in site_assets.feature_styles(page.content or ""))
        if term is not None:
            head += structured.term_head(term, page.canonical_url or "", config.site_name,
                                         site_url)
        elif page.url in self._index_urls():
            head += structured.glossary_head(config.site_name, site_url,
                                             config.site_description or "")
        if page.file.src_uri == graph_page.GRAPH_PAGE and self._graph_json is not None:
            output = graph_page.versioned_data(output, self._graph_json.content_bytes)
        if not head:
            return output
        return output.replace("</head>", head + "</head>", 1)

    @event_priority(-100)  # after every other plugin has seen the finished page
    def _release(self, output: str, page: Page, config: MkDocsConfig) -> str:
        # A generated term page is written now and nothing reads its HTML again, yet MkDocs
        # would hold it to the end of the build. None is what a page not rebuilt by
        # `--dirty` has too.
        if page.url in self.term_urls:
            page.content = None
        if page.file.src_uri in self._layouts:
            layout = self._layouts.pop(page.file.src_uri)
            if layout is None:
                del page.meta["template"]
            else:
                page.meta["template"] = layout
        return output

    def _show_problems(self, output: str, page: Page, config: MkDocsConfig) -> str:
        return self._with_banner(output)

    def _with_banner(self, output: str) -> str:
        """The page with the preview's problems at its start, if there are any."""
        if not self.preview_problems:
            return output
        body = _BODY.search(output)
        if body is None:
            return output
        banner = render.problems_banner(self.preview_problems, partial=self.partial,
                                        glossary=self.preview_glossary,
                                        pages=self.preview_pages)
        return output[:body.end()] + banner + output[body.end():]

    on_post_page = CombinedEvent(_add_head, _show_problems, _release)

    def on_post_template(self, output_content: str, template_name: str,
                         config: MkDocsConfig) -> str:
        if template_name != notfound.TEMPLATE:
            return output_content
        # In the preview, an entry with problems has no page yet: its address gets this one,
        # which says why, as every page does.
        page = notfound.add_help(notfound.skippable(notfound.titled(output_content)),
                                 notfound.help_html(config.site_url, self.config.terms_dir,
                                                    config.use_directory_urls))
        return self._with_banner(page)

    def _end_helpers(self) -> None:
        """Stop every helper process and drop what the writers were given."""
        self.helpers.stop()
        self.writers.stop()
        self._layouts, self._nav = {}, None

    # After the search plugin (priority 0) has written its index.
    @event_priority(-50)
    def _post_build(self, config: MkDocsConfig) -> None:
        self._end_helpers()  # every page is written: what is left of their work is not needed
        index_path = Path(config.site_dir) / "search" / "search_index.json"
        untagged = self.search.untagged(self.term_urls)
        if untagged and index_path.is_file():
            # Another search plugin, whose entries were not reachable while it indexed.
            index = json.loads(index_path.read_text(encoding="utf-8"))
            search.add_term_names(index, untagged, self.central)
            index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")),
                                  encoding="utf-8")
        assert self.glossary is not None
        site = Path(config.site_dir)
        base = config.site_url or ""
        for name, fmt in (("glossary.json", "json"), ("glossary.csv", "csv")):
            (site / name).write_bytes(export.export(
                self.glossary, "terms", fmt, base_url=base, terms_dir=self.config.terms_dir,
                use_directory_urls=config.use_directory_urls))
        self.pages.end()
        log.debug("generated pages from the cache: %d, rendered: %d", self.pages.hits,
                  self.pages.misses)
        _PAGES_LOG.removeFilter(self.entry_links)
        if not self.serving:  # (a build run from Python may never send on_shutdown)
            self._drop_temporary_cache()

    @event_priority(-1000)  # after every plugin has written what it writes
    def _publish(self, config: MkDocsConfig) -> None:
        # A strict build with warnings fails next (on_build_error puts the last site back).
        if self.last_site is not None and not any(c.get_counts() for c in _strict_counters()):
            self.last_site.drop()
            self.last_site = None

    on_post_build = CombinedEvent(_post_build, _publish)

    def on_build_error(self, error: Exception) -> None:
        if self.last_site is not None:
            said = self.last_site.restore()
            self.last_site = None
            if said:
                log.info(said)
        _PAGES_LOG.removeFilter(self.entry_links)
        self._end_helpers()
        if self.analysis is not None:
            self.analysis.stop()
        self.pages.end(keep=True)
        if not self.serving:
            self._drop_temporary_cache()

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> None:
        for option in ("glossary_dir", "demos_dir"):
            path = self._path(option)
            if path.is_dir():
                server.watch(str(path))

