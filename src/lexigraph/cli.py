"""The ``lexigraph`` command: check, new, export; pyodide fetch, frontend fetch."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, demos
from .cache_files import CACHE_DIR, write_atomic
from .browse import block_problems
from .demo_embed import check_placements, merge_placements, page_placements
from .errors import GlossaryError, Problem, format_report
from .load import MARKDOWN_SUFFIXES
from .pipeline import check, check_taxonomy
from .project import Project, find
from .text import terms_count


def _project(args: argparse.Namespace) -> Project | None:
    """The MkDocs project the command works on (``--config-file``, else ``mkdocs.yml`` here),
    with ``args.directory`` and ``args.demos`` filled in from it where not given; ``None``
    (after saying why) if the glossary folder does not exist or the file cannot be read."""
    project = find(Path(args.config_file) if args.config_file else None)
    if isinstance(project, Problem):
        print(project.format(), file=sys.stderr)
        return None
    if project.problems:  # (the build stops on them too)
        print(format_report(list(project.problems), _root(project)), file=sys.stderr)
        return None
    given = args.directory is not None
    from_config = not given and project.config is not None
    if args.directory is None:
        args.directory = str(project.glossary_dir)
        if project.config is not None and getattr(args, "demos", "") is None \
                and project.demos_dir.is_dir():
            args.demos = project.demos_dir
        elif project.config is None and not project.glossary_dir.is_dir() \
                and Path("_taxonomy.yml").is_file():
            args.directory = "."  # run inside the glossary folder itself
    if not Path(args.directory).is_dir():
        where = f" (glossary_dir of {project.config})" if from_config else ""
        fix = ("check the folder's name: the glossary folder is the one holding "
               "_taxonomy.yml" if given else
               f"create it, or set the plugin's glossary_dir in {project.config.name}"
               if from_config and project.config is not None else
               "run it in the project folder (where mkdocs.yml is), or name the glossary "
               f"folder, e.g. `lexigraph {args.command} --dir path/to/glossary`")
        what = "no such folder"
        if Path(args.directory).is_file():  # (`lexigraph check glossary/relu.md`)
            what = "this is a file, not a folder"
            fix = (f"name the folder that holds it: `lexigraph {args.command} "
                   f"{Path(args.directory).parent}` checks every entry there at once")
        print(f"{args.directory}: error: {what}{where}\n    fix: {fix}", file=sys.stderr)
        return None
    return project


def _root(project: Project) -> Path:
    """The folder the paths in a report are relative to (those inside it): the project's,
    beside mkdocs.yml (as `mkdocs build` reports them), else the working folder."""
    return project.config.resolve().parent if project.config is not None else Path.cwd()


def _cache_dir(project: Project, directory: Path) -> Path:
    """Where the command keeps ``.lexigraph-cache``: the project's (the plugin's, beside
    mkdocs.yml) for a glossary inside the project, else beside the glossary folder. (Beside a
    glossary kept in docs_dir, the folder would be watched by `mkdocs serve`.)"""
    if project.config is not None and directory.resolve().is_relative_to(_root(project)):
        return _root(project) / CACHE_DIR
    return directory.resolve().parent / CACHE_DIR


def _cmd_check(args: argparse.Namespace) -> int:
    project = _project(args)
    if project is None:
        return 2
    directory = Path(args.directory)
    demos_dir = _demos_dir(args.demos, directory)
    if demos_dir is None:
        print(f"note: no demos folder beside {directory}: demo names are not checked (give "
              "the folder with --demos)", file=sys.stderr)
    demo_ids = demos.discover(demos_dir) if demos_dir is not None else None
    cache = None if args.no_cache else Path(args.cache_dir) if args.cache_dir else \
        _cache_dir(project, directory)
    own = directory.resolve() == project.glossary_dir.resolve()  # the site's glossary
    # Links with a folder in them, and to other files, lead to the site's files (the build
    # checks those of the site's own glossary the same way).
    if own and project.adds_files:
        print(f"note: links with a folder in them are not checked: {', '.join(project.adds_files)} "
              "may add files to the site (`mkdocs build` checks them)", file=sys.stderr)
    terms, _, problems = check(directory, demo_ids, cache_dir=cache, markup=False,
                               pages=project.pages_beside_terms() if own else (),
                               site=project.site() if own else None)
    if demo_ids is not None and own:
        # The site's own pages may place demos too: the build checks them, so does this.
        placed = page_placements(project.pages())
        problems += [p for p in check_placements(demo_ids, placed, _root(project))
                     if p not in problems]  # (a broken demo module is reported once)
    if own:  # and the blocks they place (<!-- lexigraph:recent -->)
        problems += block_problems(project.pages())
    if problems:  # (a demo failing alike wherever it is placed: once)
        print(format_report(merge_placements(problems), _root(project)), file=sys.stderr)
        return 1
    print(f"{directory}: {terms_count(len(terms))}, no problems.")
    return 0


def _folder(text: str) -> Path:
    """An existing folder named on the command line (argparse reports any other)."""
    if not Path(text).is_dir():
        raise argparse.ArgumentTypeError(f"no such folder: {text!r}")
    return Path(text)


_DIR_HELP = ("the glossary folder (default: the plugin's glossary_dir in mkdocs.yml, else "
             "glossary/, else this folder if it holds _taxonomy.yml)")
_CONFIG_HELP = "the MkDocs configuration to read (default: mkdocs.yml here, if any)"
_DEMOS_HELP = ("folder of demo modules (default: the plugin's demos_dir in mkdocs.yml, else "
               "demos/ beside the glossary folder, else demos/ here; without one, demo names "
               "are not checked)")


def _demos_dir(given: Path | None, glossary: Path) -> Path | None:
    """The demos folder: as given, else ``demos/`` beside the glossary folder (as in a project
    made like this one, wherever the command is run from), else ``demos/`` in the working
    folder; ``None`` if there is none."""
    if given is not None:
        return given
    return next((folder for folder in (glossary.resolve().parent / "demos", Path("demos"))
                 if folder.is_dir()), None)


def _cmd_new(args: argparse.Namespace) -> int:
    from .load import load_entries
    from .scaffold import NameTaken, new_entry

    project = _project(args)
    if project is None:
        return 2
    directory = Path(args.directory)
    taxonomy, problems = check_taxonomy(directory)
    if taxonomy is None or problems:  # the new entry's domains come from it
        print(format_report(problems, _root(project)), file=sys.stderr)
        return 1
    try:  # (the entries that cannot be read name nothing: check reports them)
        entries = load_entries(directory)[0]
    except OSError as exc:  # a folder that cannot be listed
        print(f"{exc.filename or directory}: error: cannot read the glossary folder: "
              f"{exc.strerror or exc}; nothing was written\n    fix: check that you may read "
              "it", file=sys.stderr)
        return 2
    try:
        path = new_entry(directory, args.title, taxonomy, entries)
    except FileExistsError as exc:
        print(f"{exc.filename}: error: the file already exists; nothing was written\n"
              "    fix: edit that file, or choose another name", file=sys.stderr)
        return 1
    except NameTaken as exc:
        print(exc.problem.format(_root(project)), file=sys.stderr)
        return 1
    except OSError as exc:  # a read-only glossary folder, a full disk
        print(f"{exc.filename or directory}: error: cannot write the new entry: "
              f"{exc.strerror or exc}; nothing was written\n    fix: check that you may write "
              "in the glossary folder and that its disk has room", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"error: {exc}; nothing was written", file=sys.stderr)
        return 2
    print(f"wrote {path}: fill in the summary, the sections and the links, then run "
          "`lexigraph check`.")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from .export import FORMATS, export

    from .pipeline import build_glossary

    if args.format not in FORMATS[args.what]:  # said before the glossary is read
        print(f"error: --format {args.format}: a {args.what} export is "
              f"{' or '.join(FORMATS[args.what])}", file=sys.stderr)
        return 2
    project = _project(args)
    if project is None:
        return 2
    directory = Path(args.directory)
    demos_dir = _demos_dir(args.demos, directory)
    try:  # (without a demos folder, demo names are not checked, as by `check`)
        # (with autolink off, the site's graph has no mention links: nor has the export)
        glossary = build_glossary(directory, demos_dir, link_terms=project.autolink)
    except GlossaryError as exc:
        print(format_report(exc.problems, _root(project)), file=sys.stderr)
        return 1
    base_url = project.site_url if args.base_url is None else args.base_url
    if base_url and not base_url.endswith("/"):  # the site's root: term paths follow it
        base_url += "/"
    # Term URLs as the project's site has them; layouts cached where `check` keeps its cache.
    data = export(glossary, args.what, args.format, base_url=base_url,
                  cache_dir=_cache_dir(project, directory),
                  terms_dir=project.terms_dir, use_directory_urls=project.use_directory_urls)
    if args.output and args.output != "-":
        output = Path(args.output)
        # An export written over the glossary's own files (a slip of -o) would lose an entry.
        if output.resolve().parent == directory.resolve() and (
                output.name.lower().endswith((*MARKDOWN_SUFFIXES, ".yml", ".yaml"))):
            print(f"{args.output}: error: this is a file of the glossary folder; nothing was "
                  "written\n    fix: write the export elsewhere, e.g. -o glossary.json",
                  file=sys.stderr)
            return 2
        if not output.is_dir() and (output.is_symlink() or output.exists()
                                    and not output.is_file()):
            # A link's target, a pipe, a device: written in place, through the link as given
            # (/dev/stdout leads to /proc/self/fd/1, which leads to no path for a pipe).
            try:
                with output.open("wb") as handle:
                    handle.write(data)
            except BrokenPipeError:
                raise  # (main: the reader stopped reading, as `| head` does)
            except OSError as exc:
                print(f"{args.output}: error: cannot write: {exc.strerror or exc}",
                      file=sys.stderr)
                return 2
            print(f"wrote {args.output}", file=sys.stderr)
            return 0
        if output.is_dir() or not output.parent.is_dir():
            print(f"{output}: error: " + ("this is a folder" if output.is_dir() else
                                          f"the folder {str(output.parent)!r} does not exist")
                  + "; nothing was written\n    fix: give a file name in an existing folder, "
                  "e.g. -o glossary.json", file=sys.stderr)
            return 2
        if not write_atomic(output, data):  # whole or not at all
            print(f"{output}: error: cannot write the file; nothing was written\n    fix: "
                  "check that its folder is writable", file=sys.stderr)
            return 2
        print(f"wrote {args.output}", file=sys.stderr)
    elif sys.stdout is None:  # (`>&-`)
        print("error: standard output is closed; nothing was written\n    fix: give a file "
              "to write with -o", file=sys.stderr)
        return 2
    else:
        try:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # (main: the reader stopped reading, as `| head` does)
        except OSError as exc:  # a full disk behind a redirection
            print(f"error: cannot write to standard output: {exc.strerror or exc}",
                  file=sys.stderr)
            return 2
    return 0


def _cmd_pyodide_fetch(args: argparse.Namespace) -> int:
    from .pyodide_fetch import PyodideError, cache_dir, describe, ensure

    root = Path(args.cache_dir).expanduser() if args.cache_dir else None
    if root is None:  # the plugin's cache_dir, which the build will look in
        project = find(Path(args.config_file) if args.config_file else None)
        if isinstance(project, Problem):
            print(project.format(), file=sys.stderr)
            return 2
        root = project.pyodide_cache
        if root is not None:
            print(f"into {root} (pyodide.cache_dir of {project.config})")
    source = Path(args.source).expanduser() if args.source else None
    try:
        ensure(root=root, source=source, replace_bad=True, report=print)
    except PyodideError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(describe(cache_dir(root)))
    print("All files match their pinned sha256; `mkdocs build` copies them into the site.")
    return 0


def _cmd_frontend_fetch(args: argparse.Namespace) -> int:
    from .frontend_fetch import FrontEndError, describe, ensure

    root = Path(args.cache_dir).expanduser() if args.cache_dir else None
    try:
        folders = ensure(root=root, registry=args.registry, replace_bad=True, report=print)
    except FrontEndError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(describe(folders))
    print("All files match their pinned sha256; `mkdocs build` copies them into the site when "
          "there is no node_modules/.")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="lexigraph", description="Check, scaffold and export a Lexigraph glossary; fetch the Pyodide runtime and the graph page's libraries.")
    p.add_argument("--version", action="version", version=f"lexigraph {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("check", help="validate every entry and report all problems")
    # Stored apart: sharing one dest, the one not given overwrote the other with None.
    # (argparse refuses both at once.)
    where = c.add_mutually_exclusive_group()
    where.add_argument("directory", nargs="?", help=_DIR_HELP)
    where.add_argument("--dir", dest="dir_option", metavar="DIRECTORY",
                       help="the same as DIRECTORY")
    c.add_argument("--demos", type=_folder, help=_DEMOS_HELP)
    c.add_argument("-f", "--config-file", help=_CONFIG_HELP)
    c.add_argument("--cache-dir", help="where the parsed entries and the formulas known to "
                   "convert are kept between runs (default: .lexigraph-cache beside the "
                   "glossary folder, as the MkDocs plugin's beside mkdocs.yml)")
    c.add_argument("--no-cache", action="store_true",
                   help="parse every entry and convert every formula, keep nothing")
    c.set_defaults(func=_cmd_check)

    n = sub.add_parser("new", help="write a new entry with every field and section in place")
    n.add_argument("title", help='the term\'s name, e.g. "Leaky ReLU"')
    n.add_argument("--dir", dest="directory", help=_DIR_HELP)
    n.add_argument("-f", "--config-file", help=_CONFIG_HELP)
    n.set_defaults(func=_cmd_new)

    e = sub.add_parser("export", help="write the glossary or its graph in a standard format")
    e.add_argument("what", choices=("terms", "graph"))
    e.add_argument("--format", required=True,
                   help="terms: json | csv; graph: json | graphml | gexf")
    e.add_argument("--dir", dest="directory", help=_DIR_HELP)
    e.add_argument("--demos", type=_folder, help=_DEMOS_HELP)
    e.add_argument("-f", "--config-file", help=_CONFIG_HELP)
    e.add_argument("--base-url", help="prefix for term URLs, e.g. https://x.org/ (default: "
                   "site_url of mkdocs.yml; term paths follow its terms_dir and "
                   "use_directory_urls)")
    e.add_argument("-o", "--output", help="file to write (default: standard output)")
    e.set_defaults(func=_cmd_export)

    py = sub.add_parser("pyodide", help="manage the pinned Pyodide runtime the demos run on")
    py_sub = py.add_subparsers(dest="pyodide_command", metavar="COMMAND", required=True)
    f = py_sub.add_parser("fetch", help="download Pyodide 0.27.7 + NumPy into the user cache "
                          "(once), verify every file's sha256 and list them")
    f.add_argument("--cache-dir", help="cache root (default: the plugin's pyodide.cache_dir "
                   "in mkdocs.yml, else $LEXIGRAPH_PYODIDE_CACHE or "
                   "${XDG_CACHE_HOME:-~/.cache}/lexigraph/pyodide); files go in <root>/0.27.7")
    f.add_argument("-f", "--config-file", help=_CONFIG_HELP)
    f.add_argument("--from", dest="source", metavar="DIR",
                   help="copy the files from this folder instead of the package registries "
                   "(default: $LEXIGRAPH_PYODIDE_SOURCE)")
    f.set_defaults(func=_cmd_pyodide_fetch)

    fe = sub.add_parser("frontend", help="manage the concept graph's pinned front-end libraries")
    fe_sub = fe.add_subparsers(dest="frontend_command", metavar="COMMAND", required=True)
    ff = fe_sub.add_parser("fetch", help="download sigma, graphology and 3d-force-graph into the "
                           "user cache (once, for a Lexigraph without node_modules/), verify "
                           "them and list them")
    ff.add_argument("--cache-dir", help="cache root (default: $LEXIGRAPH_FRONTEND_CACHE or "
                    "${XDG_CACHE_HOME:-~/.cache}/lexigraph/frontend); a build reads another "
                    "root only from $LEXIGRAPH_FRONTEND_CACHE")
    ff.add_argument("--registry", metavar="URL", help="npm registry or mirror to download from "
                    "(default: $LEXIGRAPH_NPM_REGISTRY, else https://registry.npmjs.org/)")
    ff.set_defaults(func=_cmd_frontend_fetch)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "dir_option", None) is not None:  # `check --dir X`: as `check X`
        args.directory = args.dir_option
    # A short run that makes many long-lived objects (every entry) and few cycles: the
    # collector's default thresholds make it walk them again and again (10% of `check` at
    # 10,000 terms). Collect less often, as mypy does.
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        return int(args.func(args))
    except BrokenPipeError:
        # The reader of the output stopped reading (`lexigraph export ... | head`): stop
        # quietly, as other commands do, and keep Python from failing to flush at exit.
        with contextlib.suppress(OSError):
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, sys.stdout.fileno())
            finally:
                os.close(null)
        return 1
    finally:  # main() may be called in a longer-lived process (tests, scripts)
        gc.set_threshold(*thresholds)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
