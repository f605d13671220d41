"""What the command line reads of a MkDocs project: the Lexigraph plugin's folders and the
site's URL layout, from ``mkdocs.yml``, so ``lexigraph check`` and ``export`` see the glossary
and the addresses ``mkdocs build`` does. Read with PyYAML, without MkDocs: this is the CLI's
view of the file, and MkDocs reports what is wrong with it when it builds."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import yaml

from .demos import discover
from .errors import Problem, did_you_mean
from .load import MARKDOWN_SUFFIXES
from .model import terms_folder
from .validate import Site

#: The names MkDocs looks for in the working folder.
CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


@dataclass(frozen=True)
class Project:
    """Where the glossary is and how the site addresses its pages. ``config`` is the
    ``mkdocs.yml`` read, or ``None`` (then the defaults apply, relative to the working folder)."""

    config: Path | None = None
    glossary_dir: Path = Path("glossary")
    demos_dir: Path = Path("demos")
    terms_dir: str = "terms"
    #: The plugin's ``autolink``: whether mentions of terms are links (and graph edges).
    autolink: bool = True
    use_directory_urls: bool = True
    site_url: str = ""
    #: The site's own pages (``None`` without a ``mkdocs.yml``), and the ``exclude_docs``
    #: patterns that leave some of them out.
    docs_dir: Path | None = None
    exclude_docs: str = ""
    #: The ``draft_docs`` patterns: pages ``mkdocs build`` leaves out and ``mkdocs serve`` builds.
    draft_docs: str = ""
    #: Whether a link starting with ``/`` names a page from ``docs_dir`` (``validation:``
    #: ``absolute_links: relative_to_docs``); else MkDocs leaves it as written.
    links_from_docs: bool = False
    #: Whether MkDocs warns of a link to a file the site does not have (``validation:``
    #: ``not_found``, ``warn`` unless set otherwise), which then fails a strict build.
    links_checked: bool = True
    #: The theme's ``custom_dir``: its files are the site's too.
    theme_dir: Path | None = None
    #: The hooks and plugins (other than search and Lexigraph) that may add files to the site
    #: as it is built, which `check` cannot know.
    adds_files: tuple[str, ...] = ()
    #: The plugin's ``pyodide: cache_dir:`` (relative to mkdocs.yml), if set.
    pyodide_cache: Path | None = None
    #: What is wrong with the plugin's options (:func:`option_problems`).
    problems: tuple[Problem, ...] = ()

    def pages(self) -> list[Path]:
        """The Markdown pages of ``docs_dir``, found as MkDocs finds them (its file suffixes,
        folders followed through links, its default and the ``exclude_docs`` patterns), but
        without those in the glossary or demos folder (which the plugin leaves out of the
        site). Drafts are kept: ``mkdocs serve`` builds them."""
        return [path for path in self._files(excluded=False) if path.name.endswith(MARKDOWN_SUFFIXES)]

    def _files(self, excluded: bool) -> list[Path]:
        """Every file of ``docs_dir`` (folders followed through links) but those in the
        glossary or demos folder and those MkDocs leaves out by default, and either without
        or (``excluded``) only with those the ``exclude_docs`` patterns leave out."""
        return self._walk[excluded]

    @functools.cached_property
    def _walk(self) -> tuple[list[Path], list[Path]]:
        """:meth:`_files`, both ways, from one walk of ``docs_dir`` (a command asks for the
        pages, the files and those left out)."""
        if self.docs_dir is None or not self.docs_dir.is_dir():
            return [], []
        # MkDocs matches these gitignore patterns with pathspec, which it depends on.
        import pathspec

        # As MkDocs does: its defaults and the patterns as one list (a "!" pattern may take a
        # file back from the defaults).
        default = [".*", "/templates/"]
        spec = pathspec.GitIgnoreSpec.from_lines([*default, *self.exclude_docs.splitlines()])
        defaults = pathspec.GitIgnoreSpec.from_lines(default)
        own = [folder.resolve() for folder in (self.glossary_dir, self.demos_dir)]
        kept: list[Path] = []
        left_out: list[Path] = []
        for folder, _, names in os.walk(self.docs_dir, followlinks=True):
            for name in names:
                path = Path(folder) / name
                relative = path.relative_to(self.docs_dir).as_posix()
                if not spec.match_file(relative):
                    into = kept
                elif not defaults.match_file(relative):
                    into = left_out
                else:
                    continue
                if not any(path.resolve().is_relative_to(f) for f in own):
                    into.append(path)
        return sorted(kept), sorted(left_out)

    def built_pages(self) -> list[str]:
        """The paths in ``docs_dir`` (``a/b.md``) of the pages ``mkdocs build`` makes of
        :meth:`pages` (not the drafts)."""
        if self.docs_dir is None:
            return []
        import pathspec

        draft = pathspec.GitIgnoreSpec.from_lines(self.draft_docs.splitlines())
        paths = (path.relative_to(self.docs_dir).as_posix() for path in self.pages())
        return [path for path in paths if not draft.match_file(path)]

    def site(self) -> Site | None:
        """The files an entry's links with a folder in them must lead to, as ``mkdocs build``
        makes the site (:class:`~lexigraph.validate.Site`); ``None`` when MkDocs is told not to
        warn of links to missing files, when hooks or other plugins may add files (see
        :attr:`adds_files`), or there is no ``docs_dir``."""
        if self.docs_dir is None or not self.links_checked or self.adds_files:
            return None
        import pathspec

        docs = self.docs_dir
        draft = pathspec.GitIgnoreSpec.from_lines(self.draft_docs.splitlines())
        files = [path.relative_to(docs).as_posix() for path in self._files(excluded=False)]
        drafts = {path for path in files if draft.match_file(path)}
        left_out = {path.relative_to(docs).as_posix(): "excluded (exclude_docs in mkdocs.yml)"
                    for path in self._files(excluded=True)}
        left_out.update(dict.fromkeys(drafts, "a draft (draft_docs in mkdocs.yml)"))
        if self.theme_dir is not None and self.theme_dir.is_dir():  # (docs_dir's files win)
            files += [path.relative_to(self.theme_dir).as_posix()
                      for path in self.theme_dir.rglob("*") if path.is_file()
                      and not path.name.startswith(".") and path.suffix not in (".html", ".py")]
        return Site(frozenset(files) - drafts, self.terms_dir, left_out, self.links_from_docs,
                    docs)

    def pages_beside_terms(self) -> set[str]:
        """The names (without suffix) of the hand-written pages in the terms folder, which an
        entry may link to as ``name.md``, like another entry (see validate._check_links)."""
        return {PurePosixPath(path).stem for path in self.built_pages()
                if PurePosixPath(path).parent == PurePosixPath(self.terms_dir)}


class _Loader(yaml.SafeLoader):
    """Safe loading of a MkDocs configuration: ``!ENV`` as MkDocs reads it, other tags
    (``!!python/name:...``, ``!relative``) as nothing: none of those is an option read here."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``: the first variable set, typed as a
    YAML scalar (``false``, ``8000``; any other text stays text), else the default (the last
    item of a list of two or more), else None."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    for name in names:
        value = os.environ.get(str(name))
        if value is not None:
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def find(config_file: Path | None = None) -> Project | Problem:
    """The project of ``config_file``, else of ``mkdocs.yml`` in the working folder, else the
    defaults; a problem if the file (or one it inherits from) cannot be read."""
    if config_file is None:
        config_file = next((Path(n) for n in CONFIG_NAMES if Path(n).is_file()), None)
        if config_file is None:
            return Project()
    data = _read(config_file, set())
    if isinstance(data, Problem):
        return data
    options = _plugin_options(data.get("plugins"))
    # As the plugin takes it: a linked mkdocs.yml's folder is its target's.
    root = config_file.resolve().parent if config_file.is_symlink() else config_file.parent
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    site_url = data.get("site_url")
    site_url = site_url if isinstance(site_url, str) else ""  # (MkDocs reports another type)
    exclude, drafts = data.get("exclude_docs"), data.get("draft_docs")
    return Project(config=config_file,
                   docs_dir=root / str(data.get("docs_dir") or "docs"),
                   exclude_docs=exclude if isinstance(exclude, str) else "",
                   draft_docs=drafts if isinstance(drafts, str) else "",
                   glossary_dir=root / str(options.get("glossary_dir", "glossary")),
                   demos_dir=root / str(options.get("demos_dir", "demos")),
                   terms_dir=terms_folder(str(options.get("terms_dir", "terms"))),
                   autolink=options.get("autolink", True) is not False,
                   use_directory_urls=data.get("use_directory_urls", True) is not False,
                   site_url=site_url,
                   links_from_docs=_link_validation(data, "absolute_links") == "relative_to_docs",
                   links_checked=_link_validation(data, "not_found") in (None, "warn"),
                   theme_dir=root / str(theme["custom_dir"]) if theme.get("custom_dir") else None,
                   adds_files=_adding_files(data),
                   pyodide_cache=_pyodide_cache(root, options),
                   problems=tuple(unknown_options(config_file, options)
                                  + type_problems(config_file, options, site_url,
                                                  root / str(options.get("demos_dir", "demos")))
                                  + option_problems(config_file, root, options)))


def _pyodide_cache(root: Path, options: Mapping[str, Any]) -> Path | None:
    """``pyodide: cache_dir:`` as the plugin reads it: relative to ``root``, ``~`` expanded."""
    pyodide = options.get("pyodide")
    folder = pyodide.get("cache_dir") if isinstance(pyodide, Mapping) else None
    return (root / Path(folder).expanduser()).resolve() if isinstance(folder, str) else None


#: The plugin's options and those of its ``pyodide:`` (lexigraph.config holds their types).
OPTIONS = ("glossary_dir", "demos_dir", "terms_dir", "autolink", "page_cache", "pyodide")
PYODIDE_OPTIONS = ("mode", "cdn_url", "cache_dir")


def unknown_options(config_file: Path, options: Mapping[str, Any]) -> list[Problem]:
    """Options the plugin does not have, as written (MkDocs' check, which the plugin's
    adapter leaves them to, stops a strict build on them; `check` said "no problems").

    >>> [(p.message, p.hint) for p in unknown_options(Path("mkdocs.yml"), {"autolnk": False})]
    [("the plugin has no option 'autolnk'", "did you mean 'autolink'?")]
    """
    groups: list[tuple[Mapping[str, Any], tuple[str, ...], str, tuple[str, ...]]] = [
        (options, OPTIONS, "the plugin has no option {!r}", ())]
    pyodide = options.get("pyodide")
    if isinstance(pyodide, Mapping):
        groups.append((pyodide, PYODIDE_OPTIONS, "the plugin's pyodide option has no {!r}",
                       ("pyodide",)))
    return [Problem(config_file, _line_of(config_file, str(key), within), message.format(key),
                    did_you_mean(str(key), known) or f"its options are {', '.join(known)}")
            for given, known, message, within in groups for key in given if key not in known]


def type_problems(config_file: Path, options: Mapping[str, Any], site_url: str = "",
                  demos_dir: Path | None = None) -> list[Problem]:
    """Option values the build refuses (``autolink: 'yes'``, ``pyodide: cdn``), found by the
    plugin's own schema (:mod:`lexigraph.config`, read here only, as it needs MkDocs), and the
    CDN mode without ``site_url`` for a site with demos (in ``demos_dir``); what `check` would
    otherwise call "no problems".

    >>> [(p.message, p.hint) for p in type_problems(Path("mkdocs.yml"), {"autolink": "yes"})]
    [("the plugin option autolink is 'yes': Expected type: <class 'bool'> but received: \
<class 'str'>", 'write autolink: true or autolink: false')]
    """
    from .config import LexigraphConfig  # (MkDocs' config machinery: the build's own rules)

    known = {key: value for key, value in options.items() if key in OPTIONS}
    pyodide = known.get("pyodide")
    if isinstance(pyodide, Mapping):  # (unknown ones are unknown_options' to report)
        known["pyodide"] = {k: v for k, v in pyodide.items() if k in PYODIDE_OPTIONS}
    schema = LexigraphConfig(config_file_path=str(config_file))
    schema.load_dict(known)
    errors, _ = schema.validate()
    problems = []
    for key, error in errors:
        value = known.get(key)
        fix = (f"write {key}: true or {key}: false" if key in _FLAGS else
               f"write a folder (relative to mkdocs.yml), e.g. {key}: {key[:-4]}"
               if key in ("glossary_dir", "demos_dir") else
               "write the term pages' folder in the site, e.g. terms_dir: terms"
               if key == "terms_dir" else
               "indent under 'pyodide:' mode: self-host (or cdn), and for the CDN cdn_url: "
               "its address; cache_dir: a folder")
        problems.append(Problem(config_file, _line_of(config_file, key),
                                f"the plugin option {key} is {value!r}: {error}", fix))
    if isinstance(pyodide, Mapping) and pyodide.get("mode") == "cdn" and not site_url \
            and discover(demos_dir):
        problems.append(Problem(
            config_file, _line_of(config_file, "mode", ("pyodide",)),
            "the plugin option pyodide.mode is 'cdn', which needs site_url in mkdocs.yml "
            "(the demos' own package is listed by its address on the site)",
            "set site_url (e.g. https://example.org/glossary/), or use pyodide.mode: "
            "self-host"))
    return problems


#: The options that are true or false.
_FLAGS = ("autolink", "page_cache")


#: The site's folders that Lexigraph (and the search) fill themselves, and with what: a
#: terms_dir there would put the term pages and the A–Z index in their place.
RESERVED_FOLDERS = {"graph": "the site's concept graph", "domains": "the domain pages",
                    "difficulty": "the pages by difficulty",
                    "assets": "the site's scripts and styles", "search": "the search index"}
#: Those of them holding a page per taxonomy key or difficulty: no terms_dir inside.
_KEYED_FOLDERS = ("domains", "difficulty")
#: Files the build writes at the top of the site, which no folder may be named.
RESERVED_FILES = {"sitemap.xml": "MkDocs' sitemap", "sitemap.xml.gz": "MkDocs' sitemap",
                  "404.html": "the not-found page", "glossary.json": "the terms' export",
                  "glossary.csv": "the terms' export"}


def option_problems(config_file: Path, root: Path, options: Mapping[str, Any]) -> list[Problem]:
    """What is wrong with the plugin's ``options`` (as written in ``config_file``; folders
    relative to ``root``) that MkDocs' own check of their types lets through: a ``demos_dir``
    named but missing (the default, ``demos``, may be missing: no demos), a ``terms_dir``
    outside the site or on a folder the plugin fills itself, a CDN address that is none.

    >>> [p.message for p in option_problems(Path("mkdocs.yml"), Path("."),
    ...                                     {"terms_dir": "graph", "demos_dir": "demo"})]
    ["the plugin option demos_dir is 'demo', which is not a folder", \
"the plugin option terms_dir is 'graph', the folder of the site's concept graph"]
    """
    problems = []

    def add(key: str, message: str, fix: str, within: tuple[str, ...] = ()) -> None:
        problems.append(Problem(config_file, _line_of(config_file, key, within),
                                f"the plugin option {key} is {message}", fix))

    demos = options.get("demos_dir")
    if isinstance(demos, str) and terms_folder(demos) != "demos" and not (root / demos).is_dir():
        add("demos_dir", f"{demos!r}, which is not a folder",
            "name the folder of the demo modules, relative to mkdocs.yml (leave the option out "
            "for demos/), or create it")
    terms = options.get("terms_dir")
    if isinstance(terms, str):
        folder = terms_folder(terms)
        top = folder.split("/")[0]
        if "\\" in terms or any(part != part.strip() for part in folder.split("/")):
            # (MkDocs took it as written, and its checks warned of every generated link.)
            add("terms_dir", f"{terms!r}: a folder is written with '/' between its parts and "
                "no spaces at their ends", "e.g. terms_dir: reference/terms")
        elif folder == "." or top == "..":
            add("terms_dir", f"{terms!r}, which is not a folder inside the site",
                "name a folder for the term pages and the A–Z index, e.g. terms_dir: terms")
        elif folder.lower() in RESERVED_FOLDERS or top.lower() in _KEYED_FOLDERS:
            # (A case-blind file system: Graph too. domains/<x> is a domain's page.)
            within = "the folder" if folder == top else "inside the folder"
            add("terms_dir", f"{terms!r}, {within} of {RESERVED_FOLDERS[top.lower()]}",
                "choose another folder, e.g. terms_dir: terms or terms_dir: glossary")
        elif top.lower() in RESERVED_FILES:
            add("terms_dir", f"{terms!r}, the name of {RESERVED_FILES[top.lower()]}",
                "choose another folder, e.g. terms_dir: terms or terms_dir: glossary")
    pyodide = options.get("pyodide")
    if isinstance(pyodide, Mapping) and pyodide.get("mode") == "cdn":
        url = pyodide.get("cdn_url")
        # (Resolved by the page from the site's root: an absolute, protocol- or root-relative
        # address works.)
        if isinstance(url, str) and not url.startswith("/") \
                and urlsplit(url).scheme.lower() not in ("http", "https"):
            add("cdn_url", f"{url!r}, which is not a web address",
                "give the address of Pyodide 0.27.7's files, e.g. "
                "cdn_url: https://cdn.jsdelivr.net/pyodide/v0.27.7/full/", ("pyodide",))
    return problems


def _line_of(config_file: Path, key: str, within: tuple[str, ...] = ()) -> int | None:
    """The line of ``config_file`` where the plugin's option ``key:`` is written, if it is:
    the first after the line of ``lexigraph:`` and then of each of ``within`` (``pyodide``),
    or else anywhere (``site_dir:`` at the top is not the plugin's).

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "mkdocs.yml"
    >>> _ = f.write_text("site_dir: site\\nplugins:\\n  - lexigraph:\\n      site_dir: x\\n")
    >>> _line_of(f, "site_dir")
    4
    """
    try:
        lines = config_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None

    def first(key: str, start: int) -> int | None:
        return next((n for n, line in enumerate(lines[start:], start + 1)
                     if line.lstrip(" -").startswith(f"{key}:")), None)

    start = 0
    for parent in ("lexigraph", *within):
        found = first(parent, start)
        if found is None:
            return first(key, 0)
        start = found
    return first(key, start) or start  # (or the line of its mapping, written on one line)


def _link_validation(data: dict[str, Any], key: str) -> object:
    """``validation: links: <key>``, or its short form ``validation: <key>`` (which MkDocs
    applies to the nav and the links); ``None`` if not set."""
    validation = data.get("validation")
    if not isinstance(validation, dict):
        return None
    links = validation.get("links")
    if isinstance(links, dict) and key in links:
        return links[key]
    return validation.get(key)


def _read(path: Path, seen: set[Path]) -> dict[str, Any] | Problem:
    """The configuration in ``path``, merged over the one its ``INHERIT`` names (mappings key
    by key, as MkDocs merges them; anything else replaced)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    except (OSError, UnicodeDecodeError) as exc:
        return Problem(path, None, f"cannot read the MkDocs configuration: "
                       f"{exc.strerror if isinstance(exc, OSError) else exc}",
                       "correct the INHERIT that names it" if seen else
                       "give another one with --config-file")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return Problem(path, mark.line + 1 if mark else None,
                       f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                       "correct the file (mkdocs build reports the same)")
    data = data if isinstance(data, dict) else {}
    parent = data.pop("INHERIT", None)
    if not parent:
        return data
    # As MkDocs joins it: from the folder of the file that names it, links not followed.
    base_path = Path(os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(path)),
                                                   str(parent))))
    if base_path in seen:
        return Problem(path, None, f"INHERIT: {parent} inherits from this file again",
                       "remove the loop of INHERIT")
    base = _read(base_path, seen | {Path(os.path.abspath(path))})
    return base if isinstance(base, Problem) else _merge(base, data)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) \
            and isinstance(merged.get(key), dict) else value
    return merged


#: Plugins known to add no page or file an entry could link to.
_ADD_NO_FILES = frozenset({"search", "material/search", "lexigraph", "tags", "material/tags",
                           "privacy", "material/privacy", "offline", "material/offline"})


def _adding_files(data: dict[str, Any]) -> tuple[str, ...]:
    """The hooks, and the plugins not known to add no files, of a MkDocs configuration."""
    plugins = data.get("plugins")
    names = list(plugins) if isinstance(plugins, dict) else [
        next(iter(entry)) if isinstance(entry, dict) and entry else entry
        for entry in (plugins if isinstance(plugins, list) else [])]
    hooks = data.get("hooks") if isinstance(data.get("hooks"), list) else []
    return (*(str(h) for h in hooks), *(str(n) for n in names if str(n) not in _ADD_NO_FILES))


def _plugin_options(plugins: Any) -> dict[str, Any]:
    """The lexigraph plugin's options from ``plugins:``, a list (``- lexigraph`` or
    ``- lexigraph: {...}``) or a mapping; empty when it is not listed or has none."""
    if isinstance(plugins, dict):
        plugins = [{k: v} for k, v in plugins.items()]
    for entry in plugins if isinstance(plugins, list) else []:
        if isinstance(entry, dict) and "lexigraph" in entry:
            return entry["lexigraph"] if isinstance(entry["lexigraph"], dict) else {}
    return {}
