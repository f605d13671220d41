"""Helpers that template and write generated pages beside MkDocs (lexigraph.write_ahead)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from lexigraph import write_ahead
from lexigraph.write_ahead import known_handlers

from .conftest import copy_fixture

# Forks, so it runs in a process of its own (pytest's may have threads). Forty pages; the
# helper writes from the end. argv: out folder, what the helper meets at page 30 ("logs":
# it logs, "fails": render raises, "dies": the process ends mid-write), then MkDocs claims
# every page once the helper has ended.
_WRITERS = """
import json, logging, os, sys
from pathlib import Path
from lexigraph import write_ahead

out, trouble = Path(sys.argv[1]), sys.argv[2]
pages = [(f"p{i:02d}.md", out / f"p{i:02d}" / "index.html") for i in range(40)]

def render(uri):
    if uri == "p30.md":
        if trouble == "logs":
            logging.getLogger("mkdocs.plugins.x").warning("something to report")
        elif trouble == "fails":
            raise ValueError("no template")
        elif trouble == "dies":
            path = dict(pages)[uri]
            path.parent.mkdir(parents=True, exist_ok=True)
            write_ahead._partial(path, os.getpid()).write_bytes(b"<html>half")
            os._exit(3)
    return f"<html>{uri} by a helper</html>"

writers = write_ahead.Writers()
writers.start(pages, render, 1)
os.waitpid(writers.pids[0], 0)
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


class _Plugin:
    def on_page_context(self) -> None: ...
    def on_env(self) -> None: ...


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
    base = {"env": [ours.on_env], "page_context": [ours.on_page_context, search_context]}

    assert known_handlers(base, _Plugin, _Plugin.on_env)
    assert not known_handlers({**base, "post_page": [other.on_post_page]}, _Plugin,
                              _Plugin.on_env)
    assert not known_handlers({**base, "post_page": [_hook]}, _Plugin, _Plugin.on_env)
    # Another plugin changing the theme's environment after the helpers were forked.
    assert not known_handlers({**base, "env": [ours.on_env, other.on_env]}, _Plugin,
                              _Plugin.on_env)


_BUILD = """
import json, os, sys
os.environ["NO_MKDOCS_2_WARNING"] = "1"
import lexigraph.write_ahead as writers
from mkdocs.commands.build import build
from mkdocs.config import load_config

writers.MIN_PAGES, writers.cpus = 1, lambda: 2
config = load_config(sys.argv[1], site_dir=sys.argv[2], strict=False)
config.plugins.on_startup(command="build", dirty=False)
build(config)
print(json.dumps({"written": config.plugins["lexigraph"].writers.written}))
"""


def test_another_plugins_page_handler_keeps_every_page_in_mkdocs(tmp_path: Path) -> None:
    """A `hooks:` module (or any plugin Lexigraph does not know) that changes pages: MkDocs
    writes every page itself, and every page has the change."""
    project = copy_fixture("mini", tmp_path)
    (project / "mark.py").write_text(
        "def on_post_page(output, page, config):\n"
        "    return output.replace('</body>', '<!-- marked --></body>')\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "\nhooks:\n  - mark.py\n")
    site = tmp_path / "site"
    done = subprocess.run([sys.executable, "-c", _BUILD, str(config), str(site)],
                          capture_output=True, text=True, timeout=300, cwd=project)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"written": 0}
    pages = list(site.glob("terms/*/index.html"))
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
