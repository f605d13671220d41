"""Helpers that template and write generated pages beside MkDocs (lexigraph.write_ahead)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from lexigraph import parallel, write_ahead
from lexigraph.write_ahead import known_handlers

from .conftest import copy_fixture

# Forks, so it runs in a process of its own (pytest's may have threads). Forty pages; the
# helper writes from the end. argv: out folder, what the helper meets at page 30 ("logs":
# it logs, "fails": render raises, "dies": the process ends mid-write), then MkDocs claims
# every page once the helper has ended (left unreaped: MkDocs finds out itself).
_WRITERS = """
import json, logging, os, sys, time
from pathlib import Path
from lexigraph import write_ahead
from lexigraph.cache_files import partial_path

out, trouble = Path(sys.argv[1]), sys.argv[2]
pages = [(f"p{i:02d}.md", out / f"p{i:02d}" / "index.html") for i in range(40)]

def render(uri):
    if uri == "p39.md" and trouble == "slow" or trouble == "orphan":
        time.sleep(0.3)
    if uri == "p30.md":
        if trouble == "logs":
            logging.getLogger("mkdocs.plugins.x").warning("something to report")
        elif trouble == "fails":
            raise ValueError("no template")
        elif trouble == "dies":
            path = dict(pages)[uri]
            path.parent.mkdir(parents=True, exist_ok=True)
            partial_path(path).write_bytes(b"<html>half")
            os._exit(3)
    return f"<html>{uri} by a helper</html>"

if trouble == "no fork":  # out of memory, or a process limit
    def fork():
        raise OSError(12, "Cannot allocate memory")
    os.fork = fork
writers = write_ahead.Writers()
writers.start(pages, render, 1)
if trouble == "no fork":
    print(json.dumps({"claimed": [writers.claim(uri) for uri, _ in pages],
                      "files": [str(p) for p in out.rglob("*")], "written": writers.written}))
    sys.exit(0)
if trouble == "orphan":  # MkDocs is killed while the helper writes
    print(writers.pids[0], flush=True)
    os._exit(0)
if trouble == "slow":  # MkDocs reaches the page the helper is writing: it waits
    while writers._state[39] != write_ahead._HELPER:
        time.sleep(0.001)
    first = writers.claim("p39.md")
    claimed = [first if uri == "p39.md" else writers.claim(uri) for uri, _ in pages]
else:
    os.waitid(os.P_PID, writers.pids[0], os.WEXITED | os.WNOWAIT)
    claimed = [writers.claim(uri) for uri, _ in pages]
writers.stop()
files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
print(json.dumps({"claimed": claimed, "files": files, "written": writers.written}))
"""


@pytest.mark.parametrize("trouble", ["logs", "fails", "dies"])
def test_a_page_a_helper_cannot_write_cleanly_is_left_to_mkdocs(tmp_path: Path,
                                                                 trouble: str) -> None:
    done = subprocess.run([sys.executable, "-c", _WRITERS, str(tmp_path), trouble],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    # Pages 31-39 written by the helper; page 30 and everything before it are MkDocs'.
    assert result["claimed"] == [False] * 31 + [True] * 9
    assert result["written"] == 9
    assert result["files"] == [f"p{i}/index.html" for i in range(31, 40)], (
        "a page given back was written, or a partial file was left")
    assert (tmp_path / "p39" / "index.html").read_text() == "<html>p39.md by a helper</html>"


def test_mkdocs_waits_for_a_page_a_helper_is_writing_then_they_meet(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", _WRITERS, str(tmp_path), "slow"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    claimed = result["claimed"]
    assert claimed[39], "MkDocs did not wait for the page the helper was writing"
    # Claimed from the front by MkDocs, from the end by the helper: one meeting point.
    mkdocs = claimed.index(True)
    assert claimed == [False] * mkdocs + [True] * (40 - mkdocs)
    assert result["written"] == 40 - mkdocs
    assert result["files"] == [f"p{i:02d}/index.html" for i in range(mkdocs, 40)]


def test_a_helper_ends_with_mkdocs(tmp_path: Path) -> None:
    """MkDocs killed mid-build (a stop button, an out-of-memory kill): its helpers end too,
    instead of writing into a site folder that the next build may be using."""
    import time

    done = subprocess.run([sys.executable, "-c", _WRITERS, str(tmp_path), "orphan"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    status = Path(f"/proc/{int(done.stdout)}/status")
    deadline = time.monotonic() + 10  # (forty pages take the helper 12 s)
    while status.is_file() and "\tZ" not in status.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not status.is_file() or "\tZ" in status.read_text(), "the helper goes on"
    written = len(list(tmp_path.rglob("index.html")))
    time.sleep(0.5)
    assert len(list(tmp_path.rglob("index.html"))) == written < 40


def test_without_a_fork_mkdocs_writes_every_page(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", _WRITERS, str(tmp_path), "no fork"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"claimed": [False] * 40, "files": [], "written": 0}


class _Plugin:
    def on_page_context(self) -> None: ...
    def on_env(self) -> None: ...
    def on_nav(self) -> None: ...


class _Other:
    def on_post_page(self) -> None: ...
    def on_env(self) -> None: ...


def _hook(output: str) -> str:  # a `hooks:` module's function has no plugin
    return output


def test_helpers_start_only_when_every_page_handler_is_known() -> None:
    from material.plugins.search.plugin import SearchPlugin

    ours, other = _Plugin(), _Other()
    search = SearchPlugin.__new__(SearchPlugin)
    search_context = SimpleNamespace(__self__=search)  # a bound method, as MkDocs keeps it
    base = {"env": [ours.on_env], "nav": [ours.on_nav],
            "page_context": [ours.on_page_context, search_context]}
    last = {"env": _Plugin.on_env, "nav": _Plugin.on_nav}

    assert known_handlers(base, _Plugin, last)
    assert not known_handlers({**base, "post_page": [other.on_post_page]}, _Plugin, last)
    assert not known_handlers({**base, "post_page": [_hook]}, _Plugin, last)
    # Another plugin changing the theme's environment or the nav after Lexigraph saw them.
    assert not known_handlers({**base, "env": [ours.on_env, other.on_env]}, _Plugin, last)
    assert not known_handlers({**base, "nav": [ours.on_nav, _hook]}, _Plugin, last)


_BUILD = """
import json, os, sys, time
os.environ["NO_MKDOCS_2_WARNING"] = "1"
import lexigraph.parallel as parallel
import lexigraph.plugin as plugin_module
import lexigraph.write_ahead as writers
import mkdocs.commands.build as mkdocs_build
from mkdocs.config import load_config

config_file, site_dir, helpers = sys.argv[1], sys.argv[2], int(sys.argv[3])
slow = sys.argv[4]  # who puts pages together slowly: "helpers" (MkDocs meets them), "mkdocs"
writers.MIN_PAGES = 1 if helpers else 10**9
parallel.cpus = lambda: helpers + 1  # (how many writers: spare_cpus)
parent, context = os.getpid(), mkdocs_build.get_context
def slow_context(*args, **kwargs):
    if (os.getpid() != parent) == (slow == "helpers"):
        time.sleep(0.1)
    return context(*args, **kwargs)
plugin_module.get_context = mkdocs_build.get_context = slow_context
config = load_config(config_file, site_dir=site_dir, strict=False)
config.plugins.on_startup(command="build", dirty=False)
mkdocs_build.build(config)
plugin = config.plugins["lexigraph"]
print(json.dumps({"written": plugin.writers.written, "generated": len(plugin.generated)}))
"""


def _build(project: Path, site: Path, helpers: int, slow: str = "helpers") -> dict[str, int]:
    done = subprocess.run([sys.executable, "-c", _BUILD, str(project / "mkdocs.yml"),
                           str(site), str(helpers), slow],
                          capture_output=True, text=True, timeout=300, cwd=project)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file()}


def test_mkdocs_and_slow_helpers_meet_and_write_the_site_mkdocs_writes_alone(
        tmp_path: Path) -> None:
    """MkDocs renders some generated pages through the dispatch template with their own
    layout, waits for one a helper is writing, and the site is the same, byte for byte."""
    project = copy_fixture("mini", tmp_path)
    alone = _build(project, tmp_path / "alone", 0)
    shared = _build(project, tmp_path / "shared", 1)
    assert alone["written"] == 0
    assert 0 < shared["written"] < shared["generated"], shared
    assert _files(tmp_path / "shared") == _files(tmp_path / "alone")


def test_a_generated_page_sharing_its_file_with_an_authors_page_is_left_to_mkdocs(
        tmp_path: Path) -> None:
    """An author's graph.md and the generated graph/index.md are both written to
    graph/index.html: MkDocs alone decides which one stays, as it would without helpers."""
    project = copy_fixture("mini", tmp_path)
    (project / "docs" / "graph.md").write_text("# My own graph page\n")
    alone = _build(project, tmp_path / "alone", 0)
    shared = _build(project, tmp_path / "shared", 1, slow="mkdocs")  # helpers get there first
    assert alone["written"] == 0 and shared["written"] > 0
    assert _files(tmp_path / "shared") == _files(tmp_path / "alone")


_HOOKS = {
    "post_page": "def on_post_page(output, page, config):\n"
                 "    return output.replace('</body>', '<!-- marked --></body>')\n",
    # After Lexigraph's own on_nav (priority -100): a nav the helpers would not have seen.
    "late nav": "from mkdocs.plugins import event_priority\n\n"
                "@event_priority(-200)\n"
                "def on_nav(nav, config, files):\n"
                "    nav.items[0].title = 'Start here <!-- marked -->'\n"
                "    return nav\n",
}


@pytest.mark.parametrize("hook", sorted(_HOOKS))
def test_another_plugins_handler_keeps_every_page_in_mkdocs(tmp_path: Path, hook: str) -> None:
    """A `hooks:` module (or any plugin Lexigraph does not know) that changes pages, or the nav
    after Lexigraph has seen it: MkDocs writes every page itself, and every page has the
    change."""
    project = copy_fixture("mini", tmp_path)
    (project / "mark.py").write_text(_HOOKS[hook])
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "\nhooks:\n  - mark.py\n")
    assert _build(project, tmp_path / "site", 1)["written"] == 0
    pages = list((tmp_path / "site").glob("terms/*/index.html"))
    assert pages and all("<!-- marked -->" in p.read_text() for p in pages)


def test_the_dispatch_template_only_extends_the_layout_it_is_given() -> None:
    import jinja2

    env = jinja2.Environment(loader=jinja2.ChoiceLoader([
        jinja2.DictLoader(write_ahead.TEMPLATES),
        jinja2.DictLoader({"main.html": "<p>{% block body %}{{ text }}{% endblock %}</p>\n"})]))
    page = env.get_template(write_ahead.DISPATCH)
    assert page.render({write_ahead.LAYOUT: "main.html", "text": "x"}) == (
        env.get_template("main.html").render({"text": "x"}))
    assert page.render({write_ahead.LAYOUT: write_ahead.BLANK, "text": "x"}) == ""


@pytest.mark.parametrize(("command", "dirty", "hooked", "forks", "wanted"), [
    ("build", False, False, True, 1),
    ("serve", False, False, True, 1),   # its first build, before the server's threads start
    ("serve", False, False, False, 0),  # a rebuild: beside them, forking is unsafe
    ("build", True, False, True, 0),    # --dirty: MkDocs writes only some pages
    ("build", False, True, True, 0),    # another handler on the pages
])
def test_when_pages_are_written_ahead(monkeypatch: pytest.MonkeyPatch, command: str,
                                      dirty: bool, hooked: bool, forks: bool,
                                      wanted: int) -> None:
    from lexigraph.plugin import LexigraphPlugin

    monkeypatch.setattr(parallel, "can_fork", lambda: forks)
    monkeypatch.setattr(parallel, "cpus", lambda: 2)
    plugin = LexigraphPlugin()
    plugin.on_startup(command=command, dirty=dirty)
    events = {"nav": [plugin.on_nav], "env": list(plugin.on_env.methods),
              "page_context": list(plugin.on_page_context.methods),
              "post_page": list(plugin.on_post_page.methods) + ([_hook] if hooked else [])}
    config = SimpleNamespace(plugins=SimpleNamespace(events=events))
    assert plugin._writers_wanted(config, write_ahead.MIN_PAGES) == wanted
    assert plugin._writers_wanted(config, write_ahead.MIN_PAGES - 1) == 0
