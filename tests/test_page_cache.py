"""Term pages' rendered HTML kept between builds (``lexigraph.page_cache``)."""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort

from lexigraph.cache_files import RecordStore
from lexigraph.page_cache import STORE, stable, unsafe_extension

from .conftest import build_site, copy_fixture


def _store(project: Path) -> RecordStore:
    return RecordStore(project / ".lexigraph-cache" / "pages" / STORE)


def _records(project: Path) -> dict[str, Any]:
    """Every stored record, by key."""
    store = _store(project)
    try:
        return {key: json.loads(zlib.decompress(data)) for key, data in store.items()}
    finally:
        store.close()


def _pages(project: Path) -> list[str]:
    """The keys of the stored pages (the store also keeps what the build derives from them,
    such as concept maps, which have no table of contents)."""
    return [key for key, record in _records(project).items() if "toc" in record]


def _files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file()}


def _rewrite(project: Path, keys: list[str], change: Callable[[dict], None]) -> None:
    """Apply ``change`` to each stored record named."""
    records, store = _records(project), _store(project)
    for key in keys:
        change(records[key])
        assert store.put(key, zlib.compress(json.dumps(records[key]).encode()))
    store.close()


def _edit_alpha(project: Path) -> None:
    entry = project / "glossary" / "alpha-unit.md"
    entry.write_text(entry.read_text().replace("squashing of its input",
                                               "squashing of its edited input"))


def test_a_build_from_the_cache_is_the_build_without_it(tmp_path: Path) -> None:
    project = copy_fixture("mini", tmp_path)
    uncached = build_site(project, tmp_path / "uncached",
                          plugins=["search", {"lexigraph": {"page_cache": False}}])
    assert _pages(project) == []
    first = build_site(project, tmp_path / "first")
    # One per page Lexigraph writes (terms, A-Z index, domains, difficulties, graph), no more.
    generated = [*first.glob("terms/*/index.html"), *first.glob("domains/**/index.html"),
                 *first.glob("difficulty/**/index.html"), first / "graph" / "index.html",
                 first / "terms" / "index.html"]
    assert len(_pages(project)) == len(generated) > 3
    cached = _files(build_site(project, tmp_path / "cached"))
    # Byte for byte: the HTML, the sidebar's table of contents, the search index, the sitemap.
    assert cached == _files(uncached)


def test_a_stored_page_is_served_and_an_edited_entry_is_rendered_again(tmp_path: Path) -> None:
    project = copy_fixture("mini", tmp_path)
    build_site(project, tmp_path / "first")
    stored = len(_pages(project))
    # Mark every stored page: whatever comes from the cache shows the mark. (Marks of links
    # kept with a page are offsets: the mark goes in at the very end, after all of them.)
    def mark(record: dict) -> None:
        record["content"] += "<p>FROM-CACHE</p>"

    _rewrite(project, _pages(project), mark)
    _edit_alpha(project)
    site = build_site(project, tmp_path / "second")
    alpha = (site / "terms" / "alpha-unit" / "index.html").read_text()
    beta = (site / "terms" / "beta-layer" / "index.html").read_text()
    assert "squashing of its edited input" in alpha and "FROM-CACHE" not in alpha
    assert "FROM-CACHE" in beta
    # The folder keeps the last build's pages only: the old alpha page is gone.
    assert len(_pages(project)) == stored


def test_a_cache_restored_into_another_checkout_is_used(tmp_path: Path) -> None:
    # A CI runner restores .lexigraph-cache/ into a fresh checkout, at another path.
    first = copy_fixture("mini", tmp_path / "a")
    build_site(first, tmp_path / "site-a")
    second = tmp_path / "b" / "mini"
    shutil.copytree(first, second)

    def mark(record: dict) -> None:
        record["content"] += "<p>FROM-CACHE</p>"

    _rewrite(second, _pages(second), mark)
    site = build_site(second, tmp_path / "site-b")
    pages = sorted(site.glob("terms/*/index.html"))
    assert pages and all("FROM-CACHE" in page.read_text() for page in pages)


def test_the_code_is_named_by_its_contents_not_its_file_times(tmp_path: Path) -> None:
    # A fresh clone or install of the same code gives its files new times.
    import os

    from lexigraph.cache_files import source_digests  # what code_digest() is made of

    (tmp_path / "plugin.py").write_text("x = 1\n")
    before = source_digests(tmp_path)
    os.utime(tmp_path / "plugin.py", (1, 1))
    assert source_digests(tmp_path) == before
    (tmp_path / "plugin.py").write_text("x = 2\n")
    assert source_digests(tmp_path) != before


def test_a_damaged_cache_file_is_rendered_again(tmp_path: Path) -> None:
    project = copy_fixture("mini", tmp_path)
    build_site(project, tmp_path / "first")
    store = _store(project)
    for number, (key, _) in enumerate(store.items()):
        # Not zlib, not JSON, or JSON that lacks what a page or its derived data needs.
        damage = [b"not zlib", zlib.compress(b"{not json"), zlib.compress(b'{"content": 1}'),
                  zlib.compress(b'{"content": "x", "toc": 3}'), zlib.compress(b'[1]')]
        assert store.put(key, damage[number % len(damage)])
    store.close()
    site = build_site(project, tmp_path / "second")
    assert "squashing of its input" in (site / "terms/alpha-unit/index.html").read_text()
    assert _files(site) == _files(tmp_path / "first")


def _with_page(project: Path, text: str) -> None:
    (project / "docs" / "links.md").write_text(text)


#: A link MkDocs warns of as it renders the page, when told to (a link to a missing file would
#: stop the build before any page is rendered: it is an entry problem).
RENDER_WARNS = "../missing-page/"


def warns_as_it_renders(project: Path, entry: Path) -> None:
    """Make ``entry``'s page one whose render warns (see RENDER_WARNS)."""
    entry.write_text(entry.read_text() + f"\nSee [the manual]({RENDER_WARNS}).\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "validation:\n  links:\n    unrecognized_links: warn\n")


def _warned(caplog: pytest.LogCaptureFixture, text: str) -> int:
    """How many warnings mention ``text`` (each marked as expected by this test)."""
    found = [r for r in caplog.records if r.levelno >= logging.WARNING and text in r.getMessage()]
    for record in found:
        record.expected = True  # type: ignore[attr-defined]
    caplog.clear()
    return len(found)


def test_anchors_of_cached_pages_are_still_checked(tmp_path: Path,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    project = copy_fixture("mini", tmp_path)
    _with_page(project, "# Links\n\n[Definition](terms/alpha-unit.md#definition)\n")
    strict = {"validation": {"anchors": "warn"}}
    build_site(project, tmp_path / "first", **strict)
    build_site(project, tmp_path / "second", **strict)  # the anchor is found on a cached page
    _with_page(project, "# Links\n\n[Nowhere](terms/alpha-unit.md#nowhere)\n")
    for run in ("third", "fourth"):
        with pytest.raises(Abort):
            build_site(project, tmp_path / run, **strict)
        assert _warned(caplog, "'links.md' contains a link 'terms/alpha-unit.md#nowhere'") == 1
    # A cached page's own links to anchors are checked too.
    entry = project / "glossary" / "beta-layer.md"
    entry.write_text(entry.read_text() + "\nSee [nowhere](alpha-unit.md#nowhere).\n")
    _with_page(project, "# Links\n")
    for run in ("fifth", "sixth"):
        with pytest.raises(Abort):
            build_site(project, tmp_path / run, **strict)
        line = entry.read_text().splitlines().index("See [nowhere](alpha-unit.md#nowhere).") + 1
        assert _warned(caplog, f"glossary/beta-layer.md:{line}: the entry (its page "
                               "terms/beta-layer.md) contains a link 'alpha-unit.md#nowhere'") == 1


def test_a_page_whose_render_warned_is_not_stored(tmp_path: Path,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    project = copy_fixture("mini", tmp_path)
    entry = project / "glossary" / "beta-layer.md"
    warns_as_it_renders(project, entry)
    for run in ("first", "second"):
        build_site(project, tmp_path / run, strict=False)
        assert _warned(caplog, RENDER_WARNS) == 1, f"the {run} build did not report it"
    stored = [json.dumps(record) for record in _records(project).values() if "toc" in record]
    assert stored and not any("the manual" in record for record in stored)


def test_a_quiet_build_stores_no_page_that_may_have_warned(tmp_path: Path,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    # `mkdocs build -q` sets MkDocs' logger to ERROR: the broken link's warning is dropped
    # before anything sees it, so the page must not be kept as one that rendered cleanly.
    project = copy_fixture("mini", tmp_path)
    entry = project / "glossary" / "beta-layer.md"
    warns_as_it_renders(project, entry)
    mkdocs_log = logging.getLogger("mkdocs")
    level = mkdocs_log.level
    mkdocs_log.setLevel(logging.ERROR)
    try:
        build_site(project, tmp_path / "quiet", strict=False)
    finally:
        mkdocs_log.setLevel(level)
    with pytest.raises(Abort):
        build_site(project, tmp_path / "strict")
    assert _warned(caplog, RENDER_WARNS) == 1


def test_nothing_is_cached_with_an_extension_that_reads_other_files(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project = copy_fixture("mini", tmp_path)
    caplog.set_level(logging.INFO, logger="mkdocs")
    build_site(project, tmp_path / "site", markdown_extensions=["pymdownx.snippets"])
    assert _pages(project) == []
    assert any("pymdownx.snippets" in r.getMessage() for r in caplog.records)


def test_extension_objects_and_unknown_extensions_turn_the_cache_off() -> None:
    assert unsafe_extension(["toc", "markdown.extensions.attr_list", "pymdownx.arithmatex",
                             "lexigraph.mathml"]) is None
    assert unsafe_extension(["toc", "someone.elses_extension"]) == "someone.elses_extension"

    class Extension:
        pass

    assert unsafe_extension([Extension()]).endswith("Extension")  # type: ignore[union-attr]


def test_options_are_told_apart_without_memory_addresses() -> None:
    def slug(text: str, sep: str) -> str:
        return text

    options = {"toc": {"slugify": slug, "permalink": True},
               "x": {"f": functools.partial(slug, sep="_")}}
    first = json.dumps(stable(options), sort_keys=True)
    assert "0x" not in first and first == json.dumps(stable(dict(options)), sort_keys=True)
    other = {**options, "x": {"f": functools.partial(slug, sep="-")}}
    assert json.dumps(stable(other), sort_keys=True) != first


def _stored_entries(project: Path) -> list[str]:
    """The keys of stored search entries (lists of Material's index entries) of pages."""
    return [key for key, record in _records(project).items()
            if isinstance(record["content"], list) and record["content"]
            and "location" in record["content"][0]]


def test_search_entries_of_an_unchanged_page_are_not_made_again(tmp_path: Path) -> None:
    # Material's search parses every page's HTML on every build; the entries it made of a
    # generated page are kept with the page and put back while it is told to skip the page.
    project = copy_fixture("mini", tmp_path)
    build_site(project, tmp_path / "first")
    stored = _stored_entries(project)
    assert stored
    def mark(record: dict) -> None:  # whatever comes from the cache shows the mark
        for entry in record["content"]:
            entry["text"] += " FROM-CACHE"

    _rewrite(project, stored, mark)
    _edit_alpha(project)
    site = build_site(project, tmp_path / "second")
    docs = json.loads((site / "search" / "search_index.json").read_text())["docs"]
    by_page: dict[str, list[dict[str, str]]] = {}
    for doc in docs:
        by_page.setdefault(doc["location"].split("#")[0], []).append(doc)
    alpha, beta = by_page["terms/alpha-unit/"], by_page["terms/beta-layer/"]
    assert any("squashing of its edited input" in d["text"] for d in alpha)
    assert not any("FROM-CACHE" in d["text"] for d in alpha)
    assert all(d["text"].endswith("FROM-CACHE") for d in beta)
    # Put back as made: the term page's first entry is tagged with its names once, as always.
    first = json.loads((tmp_path / "first" / "search" / "search_index.json").read_text())
    first_beta = next(d for d in first["docs"] if d["location"] == "terms/beta-layer/")
    assert beta[0]["location"] == "terms/beta-layer/"
    assert beta[0]["tags"] == first_beta["tags"] and first_beta["tags"]
    # The pages' own HTML (which search was given a copy of) is untouched.
    assert "FROM-CACHE" not in (site / "terms" / "beta-layer" / "index.html").read_text()


_BUILD_WITH_HELPERS = """
import json, logging, os, sys, time
os.environ["NO_MKDOCS_2_WARNING"] = "1"
import lexigraph.layout as layout
import lexigraph.parallel as parallel
import lexigraph.render_ahead as ahead
import lexigraph.write_ahead as writers
import mkdocs.commands.build as mkdocs_build
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.pages import Page

config_file, site_dir, helpers, level, command = sys.argv[1:3] + [int(sys.argv[3])] + sys.argv[4:6]
ahead.MIN_PAGES = writers.MIN_PAGES = 1 if helpers else 10**9
layout.BACKGROUND_FROM = 1 if helpers else 10**9  # the layout computed meanwhile, or not
parallel.cpus = lambda: helpers + 1  # (how many helpers each kind gets: spare_cpus)
# MkDocs itself renders and writes slowly here, so that helpers surely get to pages first.
parent, render, context = os.getpid(), Page.render, mkdocs_build.get_context
def slow_render(page, config, files):
    if os.getpid() == parent:
        time.sleep(0.05)
    return render(page, config, files)
def slow_context(*args, **kwargs):
    if os.getpid() == parent:
        time.sleep(0.05)
    return context(*args, **kwargs)
Page.render = slow_render
mkdocs_build.get_context = slow_context
logging.getLogger("mkdocs").addHandler(logging.StreamHandler(sys.stdout))
logging.getLogger("mkdocs").setLevel(level)  # ERROR: what `mkdocs build -q` sets
config = load_config(config_file, site_dir=site_dir, strict=False)
config.plugins.on_startup(command=command, dirty=False)
serve_url = "http://127.0.0.1:8000/" if command == "serve" else None
build(config, serve_url=serve_url)
plugin = config.plugins["lexigraph"]
counts = {"hits": plugin.pages.hits, "misses": plugin.pages.misses,
          "indexed ahead": plugin.search.replayed, "written": plugin.writers.written,
          "background layout": plugin.analysis.background}
if command == "serve":  # a rebuild, as MkDocs' server runs it: beside the server's threads
    import threading
    forks, fork = [], os.fork  # (every kind of helper, the layout's copy, a pool's workers)
    os.fork = lambda: forks.append(1) or fork()
    running = threading.Event()
    threading.Thread(target=running.wait).start()
    try:
        build(config, serve_url=serve_url)
    finally:
        running.set()
    counts["forked on rebuild"] = len(forks)
config.plugins.on_shutdown()
print(json.dumps(counts))
"""


def _fresh_build(project: Path, site: Path, helpers: int, level: str = "INFO",
                 command: str = "build",
                 env: dict[str, str] | None = None) -> tuple[dict[str, int], str]:
    """Build ``project`` without its cache, in a process of its own (helpers are forked only
    from a process without threads) with ``helpers`` helpers of each kind and MkDocs' logger
    at ``level``, as ``mkdocs <command>`` does: what the plugin counted, and the log."""
    if (project / ".lexigraph-cache").is_dir():
        shutil.rmtree(project / ".lexigraph-cache")
    done = subprocess.run([sys.executable, "-c", _BUILD_WITH_HELPERS, str(project / "mkdocs.yml"),
                           str(site), str(helpers), level, command],
                          capture_output=True, text=True, timeout=300, cwd=project,
                          env=None if env is None else {**os.environ, **env})
    assert done.returncode == 0, done.stderr
    *log, last = done.stdout.strip().splitlines()
    return json.loads(last), "\n".join(log)


@pytest.mark.parametrize("helpers", [1, 2])
def test_pages_rendered_ahead_by_helper_processes_change_nothing(tmp_path: Path,
                                                                 helpers: int) -> None:
    """A build without a cache forks helpers that render generated pages into it from the end
    of the list (lexigraph.render_ahead), a copy that computes the graph's layout
    (lexigraph.layout.Analysis), and helpers that write pages (lexigraph.write_ahead): the
    site is the one a single process builds, byte for byte, and a page whose render warns is
    still reported, once."""
    project = copy_fixture("mini", tmp_path)
    entry = project / "glossary" / "beta-layer.md"
    warns_as_it_renders(project, entry)
    alone, alone_log = _fresh_build(project, tmp_path / "alone", 0)
    shared, shared_log = _fresh_build(project, tmp_path / "shared", helpers)
    assert alone["hits"] == alone["indexed ahead"] == alone["written"] == 0
    assert not alone["background layout"] and shared["background layout"]
    assert shared["hits"] > 0, "no page came from a helper"
    assert shared["indexed ahead"] > 0, "no search entries came from a helper"
    assert shared["written"] > 0, "no page was written by a helper"
    assert _files(tmp_path / "shared") == _files(tmp_path / "alone")
    for log in (alone_log, shared_log):
        line = entry.read_text().splitlines().index(f"See [the manual]({RENDER_WARNS}).") + 1
        assert [line for line in log.splitlines() if RENDER_WARNS in line] == [
            f"glossary/beta-layer.md:{line}: the entry (its page terms/beta-layer.md) contains an "
            f"unrecognized relative link '{RENDER_WARNS}', it was left as is."], log
        # A page a helper wrote is not reported as skipped by MkDocs, which wrote nothing.
        assert "Page skipped" not in log and "Generated empty output" not in log
    assert sorted(p.name for p in (project / ".lexigraph-cache" / "pages").iterdir()) == [
        STORE, STORE + ".lock"]


def test_the_first_build_of_mkdocs_serve_has_helpers_and_a_rebuild_none(tmp_path: Path) -> None:
    # `mkdocs serve` builds once before its server starts threads: that build, the slow one
    # (every page, no cache yet), may fork; a rebuild, beside the server's threads, may not.
    project = copy_fixture("mini", tmp_path)
    alone, _ = _fresh_build(project, tmp_path / "alone", 0, command="serve")
    shared, _ = _fresh_build(project, tmp_path / "shared", 1, command="serve")
    assert shared["hits"] > 0 and shared["indexed ahead"] > 0 and shared["background layout"]
    assert shared["written"] > 0
    assert _files(tmp_path / "shared") == _files(tmp_path / "alone")
    assert shared["forked on rebuild"] == 0


def test_a_project_whose_cache_cannot_be_written_still_shares_work_among_helpers(
        tmp_path: Path) -> None:
    # A read-only checkout (a container's read-only mount, another user's project): simulated
    # with a file where the cache folder would be, which no user, root included, can write in.
    project = copy_fixture("mini", tmp_path / "read-only")
    (project / ".lexigraph-cache").write_text("not a folder")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    shared, log = _fresh_build(project, tmp_path / "shared", 1, env={"TMPDIR": str(temporary)})
    assert shared["hits"] > 0 and shared["indexed ahead"] > 0 and shared["background layout"]
    assert (f"the cache folder {project / '.lexigraph-cache'} cannot be written (File exists): "
            f"this build keeps its cache in {temporary}/lexigraph-cache-") in log
    assert list(temporary.iterdir()) == []  # removed when the build ended
    assert (project / ".lexigraph-cache").read_text() == "not a folder"
    writable = copy_fixture("mini", tmp_path / "writable")
    _fresh_build(writable, tmp_path / "alone", 0)
    assert _files(tmp_path / "shared") == _files(tmp_path / "alone")


def test_a_read_only_project_builds_from_a_copy_of_its_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    # A CI job that restores .lexigraph-cache into a checkout it then mounts read-only.
    import tempfile

    import lexigraph.layout as layout
    import lexigraph.plugin as plugin

    built = copy_fixture("mini", tmp_path / "built")
    build_site(built, tmp_path / "one")
    project = tmp_path / "read-only"  # (a project of its own: nothing of it in memory)
    shutil.copytree(built, project)
    cache = project / ".lexigraph-cache"
    held = {path: path.read_bytes() for path in cache.rglob("*") if path.is_file()}
    monkeypatch.setattr(plugin, "cannot_write",
                        lambda folder: "Permission denied" if folder == cache else "")

    def not_again(*args: object) -> None:
        raise AssertionError("the layout was computed again")

    monkeypatch.setattr(layout, "_compute", not_again)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    caplog.set_level(logging.DEBUG, logger="mkdocs.plugins.lexigraph")
    build_site(project, tmp_path / "two")
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith(f"the cache folder {cache} cannot be written (Permission denied): "
                            f"this build keeps its cache in {temporary}/lexigraph-cache-")
               and m.endswith(", starting from what the folder holds, removed when the build "
                              "ends: the next build renders every page again")
               for m in messages), messages
    [counts] = [m for m in messages if m.startswith("generated pages from the cache")]
    assert counts.endswith(", rendered: 0") and not counts.endswith("cache: 0, rendered: 0")
    assert list(temporary.iterdir()) == []  # removed at the end of the build
    assert {path: path.read_bytes() for path in cache.rglob("*") if path.is_file()} == held
    assert _files(tmp_path / "two") == _files(tmp_path / "one")


def test_helpers_fill_the_cache_in_a_quiet_build_with_pages_that_did_not_warn(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # `mkdocs build -q` drops warnings before anything sees them, so MkDocs stores no page it
    # renders itself (test above); a helper, which shows nothing, still listens for them.
    project = copy_fixture("mini", tmp_path)
    entry = project / "glossary" / "beta-layer.md"
    warns_as_it_renders(project, entry)
    quiet, log = _fresh_build(project, tmp_path / "quiet", 1, level="ERROR")
    assert quiet["hits"] > 0, "no page came from a helper"
    assert RENDER_WARNS not in log
    stored = [json.dumps(record) for record in _records(project).values() if "toc" in record]
    assert stored and not any("the manual" in record for record in stored)
    with pytest.raises(Abort):  # and the next strict build still hears the warning
        build_site(project, tmp_path / "strict")
    assert _warned(caplog, RENDER_WARNS) == 1


_HELPER_ORDER = """
import os, sys
from pathlib import Path
from lexigraph import render_ahead

out, done_already = Path(sys.argv[1]), sys.argv[2] == "warm"

def work(item):  # runs in a helper: leaves one file per item, numbered in order of work
    out.joinpath(f"{len(list(out.iterdir())):03d}-{item}").touch()
    return done_already

helpers = render_ahead.Helpers()
helpers.start(list(range(60)), work, 1, lambda: None)
for pid in helpers.pids:
    assert os.waitpid(pid, 0)[1] == 0
"""


@pytest.mark.parametrize("cache", ["cold", "warm"])
def test_a_helper_works_from_the_end_and_stops_early_on_a_warm_cache(tmp_path: Path,
                                                                     cache: str) -> None:
    from lexigraph.render_ahead import WARM

    done = subprocess.run([sys.executable, "-c", _HELPER_ORDER, str(tmp_path), cache],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    order = [int(p.name.split("-")[1]) for p in sorted(tmp_path.iterdir())]
    assert order == list(range(59, -1 if cache == "cold" else 59 - WARM, -1))


def test_a_damaged_store_is_started_over(tmp_path: Path) -> None:
    project = copy_fixture("mini", tmp_path)
    build_site(project, tmp_path / "first")
    folder = project / ".lexigraph-cache" / "pages"
    for name in [p.name for p in folder.iterdir()]:
        (folder / name).unlink()
    (folder / STORE).write_bytes(b"not a database, not even close" * 100)
    site = build_site(project, tmp_path / "second")
    assert _files(site) == _files(tmp_path / "first")
    assert _pages(project), "the new store holds no pages"


def test_what_an_earlier_version_kept_is_removed(tmp_path: Path) -> None:
    # Lexigraph 0.x kept a file per record, and a helper stopped mid-write left a .tmp file.
    project = copy_fixture("mini", tmp_path)
    folder = project / ".lexigraph-cache" / "pages"
    folder.mkdir(parents=True)
    (folder / "0a1b.json.z").write_bytes(zlib.compress(b'{"content": "old"}'))
    (folder / "0a1c.json.z.123.tmp").write_bytes(b"half")
    build_site(project, tmp_path / "site")
    assert sorted(p.name for p in folder.iterdir()) == [STORE, STORE + ".lock"]
    assert _pages(project)


def test_a_cache_folder_that_cannot_be_used_is_no_error(tmp_path: Path) -> None:
    project = copy_fixture("mini", tmp_path)
    uncached = build_site(project, tmp_path / "uncached",
                          plugins=["search", {"lexigraph": {"page_cache": False}}])
    shutil.rmtree(project / ".lexigraph-cache" / "pages", ignore_errors=True)
    (project / ".lexigraph-cache").mkdir(exist_ok=True)
    (project / ".lexigraph-cache" / "pages").write_text("a file where the folder goes")
    for run in ("first", "second"):
        assert _files(build_site(project, tmp_path / run)) == _files(uncached)
