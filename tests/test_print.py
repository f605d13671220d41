"""The built site on paper: Chromium's print media (``page.emulate_media(media="print")``),
with the ``page`` fixture's guards (other hosts blocked, errors fail the test). What is printed
is read from the laid-out page: a box is printed if it has an area.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import serve

pytestmark = pytest.mark.browser

#: The printed area of each element a selector matches, in document order (0: not printed).
AREAS = """(sel) => [...document.querySelectorAll(sel)].map(e => {
  const r = e.getBoundingClientRect();
  return getComputedStyle(e).visibility === 'hidden' ? 0 : Math.round(r.width * r.height);
})"""


def printed(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """Open ``url`` as a reader would, once its scripts have drawn it, and switch to print."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")


@pytest.mark.parametrize("path", ["demos/", "terms/vanishing-gradient/"])
def test_a_printed_demo_is_its_chart_and_its_reading(page, real_site: Path, path: str) -> None:
    """The term pages' stylesheet hid every demo on paper, over demo.css's rule that keeps the
    chart: the Demos page printed its text about charts and none of them."""
    printed(page, serve(real_site) + path)
    demos = page.locator(".lx-demo").count()
    assert demos >= 1
    for shown in (".lx-demo .lx-chart", ".lx-demo .lx-demo__legend", ".lx-demo__summary"):
        areas = page.evaluate(AREAS, shown)
        assert len(areas) == demos and all(areas), (shown, areas)
    for hidden in (".lx-demo__controls", ".lx-demo__actions", ".lx-demo__statusrow",
                   ".lx-demo__kicker"):
        assert not any(page.evaluate(AREAS, hidden)), hidden


def test_a_printed_term_leaves_out_the_note_under_its_backlinks(page, real_site: Path) -> None:
    """"The 30 most closely linked of the 38 terms that refer to it. See them … in the concept
    graph." was printed under a Referenced-by list that is not."""
    printed(page, serve(real_site) + "terms/vanishing-gradient/")
    assert page.locator(".lx-more").count() == 1
    assert page.evaluate(AREAS, ".lx-more, .lx-backlinks, #referenced-by, .lx-graph-open") == [0] * 4
    assert all(page.evaluate(AREAS, "#references, .lx-related"))


def test_the_printed_graph_page_is_its_text_version(page, real_site: Path) -> None:
    """graph/ printed the pointer and arrow-key notes and the colour legend of a graph that is
    not printed, and its text version as a closed <details>: none of it. The text version is
    printed open in the graph's place (opened for the print, closed again after it)."""
    printed(page, serve(real_site) + "graph/")
    page.wait_for_function("document.querySelector('.lx-graph[data-state=ready]') !== null")
    assert page.evaluate(AREAS, ".lx-graph-tools, .lx-graph-stage, .lx-graph-info, .lx-graph-legend") \
        == [0] * 4
    # What the page is when Chromium prints it: read in a "beforeprint" listener of its own,
    # which runs after the page's.
    page.evaluate("""() => addEventListener('beforeprint', () => {
        const text = document.querySelector('.lx-graph-text');
        window.atPrint = [text.open, text.querySelectorAll('.lx-graph-list li').length,
                          text.querySelector('.lx-graph-list').getBoundingClientRect().height];
      })""")
    terms = int(page.get_attribute(".lx-graph", "data-lx-terms"))
    page.pdf(format="A4")
    is_open, rows, height = page.evaluate("atPrint")
    assert is_open and rows == terms and height > 40 * terms, (is_open, rows, height)
    assert page.evaluate("document.querySelector('.lx-graph-text').open") is False


def test_the_printed_home_page_leaves_out_its_search_box(page, real_site: Path) -> None:
    printed(page, serve(real_site))
    assert page.locator("form.lx-home-search").count() == 1
    assert page.evaluate(AREAS, ".lx-home-search") == [0]
    assert all(page.evaluate(AREAS, "article h1, article h2"))


#: The A–Z index's entries whose name and last line of summary fall on different pages, with
#: the article laid out as A4 pages are (186 × 273 mm, the printable area within the @page
#: margins): as a row of columns of that size, which break as pages do (Chromium lays out
#: pages only to print; a column is a fragment as a page is).
SPLIT_ENTRIES = """() => {
  const article = document.querySelector('article');
  article.style.cssText = 'column-width: 703px; column-gap: 0; column-fill: auto; height: 1032px';
  const column = (r) => Math.floor((r.left - article.getBoundingClientRect().left) / 703);
  const split = [...document.querySelectorAll('.lx-terms li')].filter((li) => {
    const name = li.querySelector('a').getBoundingClientRect(), lines = li.querySelector('p').getClientRects();
    return column(name) !== column(lines[lines.length - 1]);
  }).map((li) => li.dataset.slug);
  return [split, column(article.lastElementChild.getBoundingClientRect())];
}"""


def test_an_a_to_z_entry_is_printed_on_one_page(page, real_site: Path) -> None:
    """An entry's name was printed at the foot of a page, and its summary at the top of the
    next."""
    printed(page, serve(real_site) + "terms/")
    split, last = page.evaluate(SPLIT_ENTRIES)
    assert last >= 2, "the index is laid out on one page: the test would see no break"
    assert split == []
