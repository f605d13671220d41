"""`mkdocs serve` while an author writes: the preview stays usable when entries have problems."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from lexigraph.cli import main

from .conftest import copy_fixture
from .test_pyodide_assets import free_port

GAMMA_UNIT = """---
title: Gamma unit
summary: A unit that feeds gamma nets.
difficulty: beginner
domains: [architectures]
---

## Why it matters

It is what a gamma net is made of.

## Definition

A gamma unit passes its input on.
"""


def _get(url: str) -> tuple[int, str]:
    """Status and text of ``url``. The timeout is short: a server holding requests until a
    build succeeds (MkDocs' behaviour after a failed rebuild) fails the caller's wait."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def _until(what: str, check: Callable[[], bool], log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if check():
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s\n{log.read_text()}"
        time.sleep(0.5)


@contextlib.contextmanager
def _serving(project: Path, log: Path) -> Iterator[str]:
    """``project`` under `mkdocs serve` once its first build is served: its address."""
    port = free_port()
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                                cwd=project, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _until("first build", lambda: _get(url + "terms/alpha-unit/")[0] == 200, log)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _placed_demo(tmp_path: Path) -> tuple[Path, Path]:
    """The mini project with its demo placed in an entry: the project and the demo's module."""
    project = copy_fixture("mini", tmp_path)
    alpha = project / "glossary" / "alpha-unit.md"
    alpha.write_text(alpha.read_text().replace("## Definition\n",
                                               "```demo numpy-probe n=2\n```\n\n## Definition\n"))
    return project, project / "demos" / "numpy_probe.py"


def _banner_gone(url: str, log: Path, path: str = "terms/beta-layer/") -> None:
    _until("the problems fixed", lambda: "lx-problems" not in _get(url + path)[1], log)


def _banner_shown(url: str, log: Path, path: str = "terms/beta-layer/") -> str:
    """The page at ``path`` once it opens with the preview's list of problems."""
    shown = {}

    def banner() -> bool:
        status, shown["html"] = _get(url + path)
        return status == 200 and "lx-problems" in shown["html"]

    _until("problems shown in the preview", banner, log)
    return shown["html"]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, Path]]:
    """The mini project (strict) under `mkdocs serve`: its folder, address and log."""
    project = copy_fixture("mini", tmp_path)
    log = tmp_path / "serve.log"
    with _serving(project, log) as url:
        yield project, url, log


def test_the_preview_shows_problems_on_its_pages_and_recovers(served: tuple[Path, str, Path]) -> None:
    """A new entry from `lexigraph new` fails validation until it is written (on purpose).
    MkDocs holds every request of the preview after a failed build, so the whole preview was
    dead while an author wrote a term. Now the last good glossary is served, every page says
    what is wrong, and the fixed entry appears at the next save."""
    project, url, log = served
    glossary = project / "glossary"
    assert main(["new", "Gamma unit", "--dir", str(glossary)]) == 0
    broken = {}

    def banner_shown() -> bool:
        status, html = _get(url + "terms/alpha-unit/")
        broken["html"] = html
        return status == 200 and "The glossary has problems." in html

    _until("problems shown in the preview", banner_shown, log)
    html = broken["html"]
    assert 'role="alert"' in html and "glossary/gamma-unit.md:4: error:" in html
    assert "<h1" in html and "Alpha unit" in html  # the page itself is still there
    # The unfinished entry is not published: its address says why.
    status, missing = _get(url + "terms/gamma-unit/")
    assert status == 404 and "glossary/gamma-unit.md:4: error:" in missing
    assert "the glossary has problems; until they are fixed" in log.read_text()

    # An edit to another entry while the problems last shows once they are fixed.
    beta = glossary / "beta-layer.md"
    beta.write_text(beta.read_text().replace("side by side", "next to each other"))
    (glossary / "gamma-unit.md").write_text(GAMMA_UNIT)
    _until("the fixed entry published",
           lambda: "A gamma unit passes its input on." in _get(url + "terms/gamma-unit/")[1], log)
    assert "The glossary has problems." not in _get(url + "terms/alpha-unit/")[1]
    assert "next to each other" in _get(url + "terms/beta-layer/")[1]
    assert "Traceback" not in log.read_text()


def test_a_broken_link_in_an_entry_keeps_the_preview_serving(
        served: tuple[Path, str, Path]) -> None:
    """A link to a page or an image the site does not have was MkDocs' to report, as it
    rendered the page: under `strict` the rebuild failed and MkDocs held every request until
    the entry was fixed. It is an entry problem like any other: the entry is shown as it was,
    with the problem on every page."""
    project, url, log = served
    alpha = project / "glossary" / "alpha-unit.md"
    text = alpha.read_text()
    alpha.write_text(text.replace("## Definition\n", "See [the notes](../notes.md) and "
                                  "![a figure](../img/fig.png), new text.\n\n## Definition\n"))
    shown = {}

    def banner_shown() -> bool:
        status, shown["html"] = _get(url + "terms/alpha-unit/")
        return status == 200 and "The glossary has problems." in shown["html"]

    _until("problems shown in the preview", banner_shown, log)
    line = text[:text.index("## Definition")].count("\n") + 1
    assert (f"glossary/alpha-unit.md:{line}: error: link to &#x27;../notes.md&#x27;"
            in shown["html"]), shown["html"]
    assert "../img/fig.png" in shown["html"] and "new text" not in shown["html"]
    assert _get(url + "terms/beta-layer/")[0] == 200
    alpha.write_text(text.replace("## Definition\n", "New text.\n\n## Definition\n"))
    _until("the fixed entry published", lambda: "New text." in _get(url + "terms/alpha-unit/")[1],
           log)
    assert "The glossary has problems." not in _get(url + "terms/alpha-unit/")[1]
    assert "Aborted" not in log.read_text() and "Traceback" not in log.read_text()


def test_a_preview_started_with_a_broken_entry_shows_the_others(tmp_path: Path) -> None:
    """With no last good glossary to show, the first build failed and MkDocs' server held
    every request until the entry was written: `lexigraph new`, then `mkdocs serve`, gave
    no preview at all. The entries without problems are shown meanwhile."""
    project = copy_fixture("mini", tmp_path)
    glossary = project / "glossary"
    assert main(["new", "Gamma unit", "--dir", str(glossary)]) == 0
    beta = glossary / "beta-layer.md"
    beta.write_text(beta.read_text().replace("related: [gamma-net]",
                                             "related: [gamma-net, gamma-unit]"))
    # A link written by hand reaches a page in its place (else: 404, and strict aborts).
    alpha = glossary / "alpha-unit.md"
    alpha.write_text(alpha.read_text() + "\nIt feeds [the gamma unit](gamma-unit.md).\n")
    log = tmp_path / "serve.log"
    with _serving(project, log) as url:
        status, html = _get(url + "terms/beta-layer/")
        assert status == 200 and "The glossary has problems." in html
        assert "leaves out the entries that have them" in html
        assert "glossary/gamma-unit.md:4: error:" in html
        status, left_out = _get(url + "terms/gamma-unit/")
        assert status == 200 and "leaves out the entry <code>glossary/gamma-unit.md</code>" \
            in left_out and "The glossary has problems." in left_out
        assert 'href="../gamma-unit/"' in _get(url + "terms/alpha-unit/")[1]
        assert "gamma-unit/" not in html.replace("glossary/gamma-unit.md", "")  # no link to it
        assert "the glossary has problems; until they are fixed the preview shows the " \
            "entries without any" in log.read_text()
        # An edit to another entry shows at once; the written entry joins them.
        beta.write_text(beta.read_text().replace("side by side", "next to each other"))
        _until("the edit shown", lambda: "next to each other" in _get(url + "terms/beta-layer/")[1],
               log)
        # An entry shown so far that breaks while edited stays as it was (it was left out).
        shown = beta.read_text()
        beta.write_text(shown.replace("difficulty: intermediate", "difficulty: expert")
                        .replace("next to each other", "in a half-written sentence"))
        _until("the new problem listed", lambda: "glossary/beta-layer.md:" in _get(
            url + "terms/alpha-unit/")[1], log)
        status, html = _get(url + "terms/beta-layer/")
        assert status == 200 and "next to each other" in html and "half-written" not in html
        assert "leaves out the entry" not in html and "stays as it was" in html
        beta.write_text(shown)
        (glossary / "gamma-unit.md").write_text(GAMMA_UNIT)
        _until("the fixed entry published", lambda: "A gamma unit passes its input on."
               in _get(url + "terms/gamma-unit/")[1], log)
        html = _get(url + "terms/beta-layer/")[1]
        assert "The glossary has problems." not in html and "gamma-unit/" in html
    assert "Traceback" not in log.read_text()


def test_a_placed_demo_module_renamed_while_serving_keeps_the_preview_serving(
        tmp_path: Path) -> None:
    """The preview kept the last good glossary, whose demo sources were still to be copied:
    with the module renamed or deleted, MkDocs failed on the missing file, said the server
    would appear stuck, and held every request until the file came back."""
    project, module = _placed_demo(tmp_path)
    log = tmp_path / "serve.log"
    with _serving(project, log) as url:
        assert "lx-demo" in _get(url + "terms/alpha-unit/")[1]
        module.rename(module.with_name("numpy-probe.py"))
        assert "numpy-probe.py" in _banner_shown(url, log)
        module.with_name("numpy-probe.py").rename(module)
        _banner_gone(url, log)
        assert "lx-demo" in _get(url + "terms/alpha-unit/")[1]
    assert "Traceback" not in log.read_text() and "appear stuck" not in log.read_text()


def test_a_demo_that_breaks_in_an_entry_is_listed_once_as_the_glossarys(tmp_path: Path) -> None:
    """The preview re-rendered the last good entry with the module as it is now: its problem
    was listed again without its line ("as glossary/... calls it"), 4 problems where check
    said 2, under a heading that blamed the site's pages, which place no demo."""
    project, module = _placed_demo(tmp_path)
    log = tmp_path / "serve.log"
    with _serving(project, log) as url:
        text = module.read_text()
        module.write_text(text.replace('    """Sum of |A^k|', '    {}["broken"]\n    """Sum of |A^k|', 1))
        html = _banner_shown(url, log)
        assert "The glossary has problems." in html and "own pages" not in html
        assert html.count("error: run() failed") == 1, html
        module.write_text(text)
        _banner_gone(url, log)
    assert "Traceback" not in log.read_text()


def test_a_demo_that_breaks_in_a_hand_written_page_is_not_called_unknown(tmp_path: Path) -> None:
    """The preview leaves out a demo whose module has problems: a page placing it had its
    fence reported as an "unknown demo", beside the module's real problem (a review)."""
    project = copy_fixture("mini", tmp_path)
    (project / "docs" / "notes.md").write_text("# Notes\n\n```demo numpy-probe n=2\n```\n")
    module = project / "demos" / "numpy_probe.py"
    text = module.read_text()
    module.write_text(text + "\nTITLE = \n")  # it no longer imports, from the first build
    log = tmp_path / "serve.log"
    with _serving(project, log) as url:
        html = _banner_shown(url, log, "notes/")
        assert "demos/numpy_probe.py:" in html and "unknown demo" not in html, html
        module.write_text(text)
        _banner_gone(url, log, "notes/")
        assert "lx-demo" in _get(url + "notes/")[1]
    assert "Traceback" not in log.read_text()


def test_a_warning_under_strict_does_not_stop_the_preview(served: tuple[Path, str, Path]) -> None:
    """A broken link in a hand-written page is MkDocs' warning, which `strict` turns into a
    failed rebuild: MkDocs said the server would appear stuck and held every request until the
    link was fixed. The preview shows the warning and goes on; a build still fails."""
    project, url, log = served
    (project / "docs" / "about.md").write_text("# About\n\nSee [the missing one](terms/swishy.md). "
                                               "First words.\n")
    _until("the page with the broken link served",
           lambda: "First words." in _get(url + "about/")[1], log)
    assert "contains a link 'terms/swishy.md'" in log.read_text()
    assert "appear stuck" not in log.read_text() and "Aborted" not in log.read_text()
    assert "the preview goes on after a warning" in log.read_text()


def test_a_preview_shows_demo_problems_of_a_hand_written_page_instead_of_stopping(
        tmp_path: Path) -> None:
    """A demo fence with a problem in a hand-written page failed the preview's build, and
    MkDocs' server then held every request: one typo in a page stopped the whole preview. The
    preview now leaves that demo out and says why on every page, as it does for entries."""
    project = copy_fixture("mini", tmp_path)
    notes = project / "docs" / "notes.md"
    notes.write_text("---\ntitle: Notes\n---\n\n# Notes\n\nA probe:\n\n```demo numpy-probe n=2\n```\n")
    notes.write_text(notes.read_text().replace("n=2", "n=two"))  # the typo
    log = tmp_path / "serve.log"
    with _serving(project, log) as url:
        status, html = _get(url + "notes/")
        assert status == 200 and "<h1" in html and "Notes" in html
        assert "The site's own pages have problems." in html
        # Once, at its line in the file (the render, which found it again at the line of the
        # text after the front matter, listed it a second time).
        assert html.count("docs/notes.md:") == 1 and "docs/notes.md:9: error:" in html, html
        assert "lx-demo" not in html.split("</pre></div>", 1)[1]  # the demo is left out
        status, term = _get(url + "terms/alpha-unit/")
        assert status == 200 and "pages have problems." in term
        assert "the site's pages have problems; until they are fixed the preview leaves them " \
            "out" in log.read_text()
        notes.write_text(notes.read_text().replace("n=two", "n=2"))
        _until("the demo shown once the page is fixed",
               lambda: "pages have problems." not in _get(url + "notes/")[1], log)
        assert "lx-demo" in _get(url + "notes/")[1]
    assert "Traceback" not in log.read_text()
