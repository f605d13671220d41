"""The built site read on a phone: a touch screen in headless Chromium (390 × 844 unless a test
says otherwise), with the ``page`` fixture's guards (other hosts blocked, errors fail the test).

Touch input is real: Playwright's ``tap`` and, for a swipe, Chromium's own touch events sent
through the DevTools protocol, which scroll the page as a finger would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import PageWatch, serve, watched_page
from .test_web_quality import AXE
from .test_browser_core import assert_heading_below_bar, visible_slugs
from .test_demo_browser import assert_same, cpython, drawable, live_result, path_points

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser: object, watch: PageWatch) -> Iterator[object]:
    """A page in a touch context (coarse pointer, no hover) of a 390 × 844 phone."""
    with watched_page(browser, watch, viewport={"width": 390, "height": 844}, has_touch=True,
                      is_mobile=True) as pg:
        yield pg


def swipe(page, x: float, y: float, dy: float, dx: float = 0) -> None:  # type: ignore[no-untyped-def]
    """A finger put down at (x, y) and drawn ``dy`` px up (and ``dx`` right), in ten moves,
    then lifted."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for i in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
            {"x": x + dx * i / 10, "y": y - dy * i / 10}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


#: Whether each element a selector matches is on the screen, below the header, and not covered
#: there: what is drawn at its middle is itself or within it.
SEEN = """(sel) => [...document.querySelectorAll(sel)].map((e) => {
  const r = e.getBoundingClientRect(), top = document.querySelector('.md-header').getBoundingClientRect().bottom;
  const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return r.top >= top - 1 && r.bottom <= innerHeight + 1 && at !== null && e.contains(at);
})"""


def test_a_swipe_that_starts_on_a_slider_scrolls_and_leaves_it_alone(phone, real_site: Path) -> None:
    """A range input takes a touch at once: a finger scrolling the Demos page that landed on one
    of its 23 sliders moved it to where it landed, ran the demo and fetched Python. A sideways
    drag still sets it, and runs the demo once the finger lifts."""
    fetched: list[str] = []
    phone.on("request", lambda request: fetched.append(request.url))
    phone.goto(serve(real_site) + "demos/")
    phone.wait_for_load_state("networkidle")
    demo = phone.locator(".lx-demo").first
    slider = demo.locator("input[type=range]:enabled").first  # (σ waits for a normal init)
    # (low on the screen: above it the chart stays in sight as the reader goes through the
    # controls)
    slider.evaluate("s => scrollBy(0, s.getBoundingClientRect().top - 600)")
    box, before, top = slider.bounding_box(), slider.input_value(), phone.evaluate("scrollY")
    assert phone.evaluate(SEEN, f"#{demo.get_attribute('id')} input[type=range]:enabled")[0]
    swipe(phone, box["x"] + box["width"] * 0.3, box["y"] + box["height"] / 2, 300)
    phone.wait_for_function(f"scrollY > {top} + 150")
    assert slider.input_value() == before
    assert demo.locator(f"output[for={slider.get_attribute('id')}]").text_content() == before
    assert demo.get_attribute("data-lx-state") == "static"
    assert not [url for url in fetched if "/assets/pyodide/" in url]
    # Back in view, once the page has come to rest (a touch on a moving page stops it).
    rest = """s => new Promise(done => { const y = s.getBoundingClientRect().top;
      setTimeout(() => done(s.getBoundingClientRect().top === y), 300); })"""
    slider.evaluate(f"async s => {{ while (!await ({rest})(s)); scrollBy(0, s.getBoundingClientRect().top - 600); "
                    f"while (!await ({rest})(s)); }}")
    box = slider.bounding_box()
    swipe(phone, box["x"] + box["width"] * 0.3, box["y"] + box["height"] / 2, 0, box["width"] / 3)
    assert slider.input_value() != before
    phone.wait_for_function("document.querySelector('.lx-demo').getAttribute('data-lx-state') === 'live'",
                            timeout=90_000)
    assert demo.get_attribute("data-lx-run-params") and slider.input_value() in (
        demo.get_attribute("data-lx-run-params") or "")


def settled(page) -> None:  # type: ignore[no-untyped-def]
    """Return once the page has handled the input so far and drawn a frame."""
    page.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")


# --- Link previews ----------------------------------------------------------------------------

def test_a_swipe_that_starts_on_a_term_link_is_a_scroll_not_a_tap(phone, real_site: Path) -> None:
    """Reading with a thumb, a swipe often starts on a link: it opened the preview."""
    phone.goto(serve(real_site) + "terms/chain-rule/")
    phone.wait_for_load_state("networkidle")
    link = phone.locator("article p a[data-lx-term]").first
    box = link.bounding_box()
    swipe(phone, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, 150)
    phone.wait_for_function("scrollY > 50")
    settled(phone)
    assert phone.locator(".lx-preview").count() == 0
    assert phone.evaluate("location.pathname").endswith("/terms/chain-rule/")


def test_a_tapped_preview_keeps_a_margin_and_goes_when_the_page_scrolls(phone,
                                                                        real_site: Path) -> None:
    phone.goto(serve(real_site) + "terms/chain-rule/")
    phone.wait_for_load_state("networkidle")
    link = phone.locator("article p a[data-lx-term][href$='/backpropagation/']").first
    link.scroll_into_view_if_needed()
    link.tap()
    preview = phone.locator(".lx-preview")
    preview.wait_for()
    box = preview.bounding_box()
    # Its summary is longer than the screen is wide: the preview is as wide as it may be,
    # with 8 px left on each side (it was flush with the right edge).
    assert box["x"] >= 8 and box["x"] + box["width"] <= 390 - 8, box
    phone.evaluate("scrollBy(0, 60)")  # nothing else would take a tapped preview away
    preview.wait_for(state="detached")


def test_a_recently_changed_link_previews_at_the_first_tap_and_opens_at_the_second(
        phone, real_site: Path) -> None:
    """The home page's list of recent changes prints no summaries: its links preview as the
    text's do (a review found them with no preview, held by every tap)."""
    phone.goto(serve(real_site))
    phone.wait_for_load_state("networkidle")
    link = phone.locator(".lx-listing:not([data-lx-summaries]) a[data-lx-term]").first
    slug = link.evaluate("a => lexigraphPreviews.slugOf(a)")
    link.scroll_into_view_if_needed()
    link.tap()
    phone.locator(".lx-preview").wait_for()
    link.tap()
    phone.wait_for_url(f"**/terms/{slug}/")


def test_a_term_link_without_preview_data_opens_at_the_first_tap(phone, real_site: Path) -> None:
    phone.goto(serve(real_site) + "terms/chain-rule/")
    phone.wait_for_load_state("networkidle")
    phone.evaluate("document.querySelector('template.lx-previews').remove()")
    link = phone.locator("article p a[data-lx-term][href$='/backpropagation/']").first
    link.scroll_into_view_if_needed()
    link.tap()
    phone.wait_for_url("**/terms/backpropagation/")


@pytest.mark.parametrize("at", [0.1, 0.97])
def test_a_preview_opens_where_the_window_has_room_for_it(page, real_site: Path,
                                                          at: float) -> None:
    """Below the link; above it when the link is near the bottom of the window (the preview
    opened below the window's edge, its text out of sight)."""
    page.goto(serve(real_site) + "terms/vanishing-gradient/")
    link = page.locator("article p a[data-lx-term]").first
    link.scroll_into_view_if_needed()
    box = link.bounding_box()
    height = page.evaluate("innerHeight")
    page.evaluate("dy => scrollBy(0, dy)", box["y"] - height * at)
    link.hover()
    preview = page.locator(".lx-preview")
    preview.wait_for()
    tip, box = preview.bounding_box(), link.bounding_box()
    assert 0 <= tip["y"] and tip["y"] + tip["height"] <= height
    assert (tip["y"] > box["y"]) == (at < 0.5)  # below the link, or above it


def test_a_preview_goes_under_the_sticky_header(phone, real_site: Path) -> None:
    """A preview opened from the keyboard stays while the page scrolls (WCAG 1.4.13); scrolled
    up to the header, it passes under it, as the page does."""
    phone.goto(serve(real_site) + "terms/chain-rule/")
    phone.wait_for_load_state("networkidle")
    link = phone.locator("article p a[data-lx-term][href$='/backpropagation/']").first
    link.focus()
    preview = phone.locator(".lx-preview")
    preview.wait_for()
    top = preview.bounding_box()["y"]
    phone.evaluate("dy => scrollBy(0, dy)", top - 20)
    settled(phone)
    box = preview.bounding_box()
    assert box["y"] < 24 < box["y"] + box["height"]  # the preview reaches under the header
    on_top = phone.evaluate("([x, y]) => !!document.elementFromPoint(x, y).closest('.md-header')",
                            [box["x"] + box["width"] / 2, 24])
    assert on_top


@pytest.mark.parametrize(("path", "section"), [
    ("terms/chain-rule/", ".lx-related"), ("terms/chain-rule/", ".lx-backlinks"),
    ("", ".lx-listing"), ("domains/optimization/", ".lx-listing"),
    ("difficulty/beginner/", ".lx-listing")])
def test_links_printed_beside_their_summary_open_with_one_tap(phone, real_site: Path,
                                                              path: str, section: str) -> None:
    phone.goto(serve(real_site) + path)
    phone.wait_for_load_state("networkidle")
    link = phone.locator(f"{section} a[data-lx-term]").first
    slug = link.evaluate("a => lexigraphPreviews.slugOf(a)")
    link.scroll_into_view_if_needed()
    link.tap()
    phone.wait_for_url(f"**/terms/{slug}/")


# --- Nothing wider than the screen ------------------------------------------------------------

def assert_fits(page, width: int) -> None:  # type: ignore[no-untyped-def]
    wide = page.evaluate("""w => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.md-sidebar, .md-search'))
        .map(e => e.tagName + '.' + e.className).slice(0, 5)""", width)
    # A phone zooms a page that is too wide out to fit it, widening innerWidth with it.
    assert page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]") == [width, width], wide


@pytest.mark.parametrize("path", [
    "terms/backpropagation-through-time/",  # the citation's address
    "terms/lstm/",                          # a 322 px formula in a list, and a demo
    "terms/activation-function/",           # a formula in running text
    "terms/", "demos/"])
def test_pages_fit_a_360_px_screen(phone, real_site: Path, path: str) -> None:
    phone.set_viewport_size({"width": 360, "height": 740})
    phone.goto(serve(real_site) + path)
    phone.wait_for_load_state("networkidle")
    if phone.locator(".lx-cite").count():
        phone.locator(".lx-cite").tap()
        phone.locator(".lx-citation").wait_for()
    assert_fits(phone, 360)


def test_inline_formulas_are_not_clipped(page, real_site: Path) -> None:
    """Formulas scroll sideways within their column (above), and a scrolling box clips: an
    inline formula lost the bottom of its brackets and the tails of its letters."""
    page.goto(serve(real_site) + "terms/backpropagation/")
    clipped = page.evaluate("""() => [...document.querySelectorAll('article math')]
      .filter(m => m.getAttribute('display') !== 'block' && m.scrollHeight > m.clientHeight)
      .map(m => m.getAttribute('alttext'))""")
    assert page.locator("article p math").count() > 3 and clipped == []


def test_a_prime_sits_beside_its_letter_not_above_it(page, real_site: Path) -> None:
    """latex2mathml writes f' as a superscript of the prime, a glyph drawn raised already:
    Chromium raised it again, a speck above the letters, and "ELU'(x)" read as "ELU(x)"."""
    base_url = serve(real_site)
    primes = []
    for slug in ("elu", "sigmoid", "tanh"):
        page.goto(base_url + f"terms/{slug}/")
        primes += page.evaluate("""() => [...document.querySelectorAll('article math *')]
          .filter(e => e.children.length === 0 && e.textContent === '\u2032')
          .map(p => {
            const mark = p.getBoundingClientRect(), base = p.previousElementSibling.getBoundingClientRect();
            return [p.closest('math').getAttribute('alttext'),
                    (mark.bottom - base.top) / (base.bottom - base.top), mark.left - base.right];
          })""")
    assert len(primes) >= 10
    for tex, reach, gap in primes:
        # The prime's box reaches the letter's (it ended half a letter above it), and it
        # follows the letter closely.
        assert reach > -0.1 and -1 < gap < 4, tex


def test_a_sign_is_set_against_its_number(page, real_site: Path) -> None:
    """A minus after "=" was spaced as a subtraction: "x = − 1", "≈ − 0.632"."""
    page.goto(serve(real_site) + "terms/elu/")
    gaps = page.evaluate("""() => {
      const m = document.querySelector("article math[alttext='x = -1']");
      const [, eq, minus, one] = [...m.querySelectorAll('mi, mo, mn')].map(e => e.getBoundingClientRect());
      return [minus.left - eq.right, one.left - minus.right];
    }""")
    assert gaps[0] > 2 and gaps[1] < 1


def test_limits_are_below_a_displayed_operator_and_beside_one_in_the_text(page,
                                                                         real_site: Path) -> None:
    """\\lim_{z \\to \\pm\\infty} and \\max_i had their limits beside them in displayed formulas
    too, where TeX sets them below."""
    base_url = serve(real_site)
    limits = []
    for slug, operator in (("saturation", "lim"), ("backpropagation", "max"),
                           ("backpropagation-through-time", "\u2211")):
        page.goto(base_url + f"terms/{slug}/")
        limits += page.evaluate("""operator => [...document.querySelectorAll('article math mo')]
          .filter(o => o.textContent === operator && !o.previousElementSibling
                       && /^m(sub|under)/.test(o.parentElement.localName)).map(o => {
            const op = o.getBoundingClientRect(), limit = o.nextElementSibling.getBoundingClientRect();
            return [o.closest('math').getAttribute('display') === 'block', operator,
                    limit.top - op.bottom, (limit.left + limit.right - op.left - op.right) / 2,
                    limit.left - op.right];
          })""", operator)
    assert sorted(op for block, op, *_ in limits if block) == ["lim", "lim", "max", "\u2211", "\u2211"]
    assert any(not block for block, *_ in limits)  # \sum_t in the text
    for block, operator, drop, shift, after in limits:
        if block:  # under the operator, centred on it
            assert drop > -1 and abs(shift) < 1, operator
        else:
            assert after > -1, operator


def test_the_columns_of_cases_are_aligned_left(page, real_site: Path) -> None:
    """MathML Core ignores columnalign: ELU's cases were centred in their columns."""
    page.goto(serve(real_site) + "terms/elu/")
    columns = page.evaluate("""() => [...document.querySelectorAll('article mtable')].flatMap(t =>
      [0, 1].map(i => [...t.querySelectorAll('mtr')].map(r =>
        r.children[i].firstElementChild.getBoundingClientRect().left)))""")
    assert len(columns) == 4
    for lefts in columns:
        assert max(lefts) - min(lefts) < 0.5, lefts


def test_a_formula_wider_than_the_screen_is_reached_and_scrolled_from_the_keyboard(
        phone, real_site: Path) -> None:
    """LSTM's gate equations are 520-560 px wide in a 358 px column: they scrolled sideways
    with nothing to show it and could not be reached from the keyboard (axe: serious,
    scrollable-region-focusable). Each is focusable, the arrow keys scroll it, and it is shaded
    at the side where it goes on; a formula that fits is no tab stop."""
    phone.goto(serve(real_site) + "terms/lstm/")
    phone.wait_for_load_state("networkidle")
    formulas = phone.evaluate("""[...document.querySelectorAll('math[display=block]')].map(
        m => [m.scrollWidth > m.clientWidth + 1, m.getAttribute('tabindex')])""")
    assert [wide for wide, _ in formulas].count(True) >= 2
    assert all((tab == "0") == wide for wide, tab in formulas), formulas
    wide = phone.locator("math[data-lx-wide]").first
    wide.focus()
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function("document.activeElement.scrollLeft > 0")
    assert "radial-gradient" in wide.evaluate("m => getComputedStyle(m).backgroundImage")
    phone.add_script_tag(path=str(AXE))
    found = phone.evaluate("""axe.run(document, {runOnly: ['scrollable-region-focusable']})
        .then(r => r.violations.map(v => v.nodes.length))""")
    assert found == []


@pytest.mark.parametrize("path", ["terms/resnet/", "terms/lstm/"])
def test_an_inline_formula_wider_than_the_screen_is_shaded_and_scrolled_to_its_end(
        phone, real_site: Path, path: str) -> None:
    """At 360 px ResNet's weight count (576 px in a 298 px column) showed "… + 64·256 = 16"
    and LSTM's worked example "= 2." for 2.2, cut at the column's edge with nothing to say
    they went on: only displayed formulas were shaded and focusable. Running text's are too,
    and the keyboard scrolls one to its last character."""
    phone.set_viewport_size({"width": 360, "height": 740})
    phone.goto(serve(real_site) + path)
    phone.wait_for_load_state("networkidle")
    wide = phone.evaluate("""[...document.querySelectorAll('article math:not([display=block])')]
        .filter(m => m.scrollWidth > m.clientWidth + 1).map(m => [m.getAttribute('alttext'),
          m.getAttribute('tabindex'), getComputedStyle(m).backgroundImage.includes('radial-gradient')])""")
    assert wide and all(tab == "0" and shaded for _, tab, shaded in wide), wide
    formula = phone.locator("article math[data-lx-wide]:not([display=block])").last
    formula.focus()
    for _ in range(20):
        phone.keyboard.press("ArrowRight")
    phone.wait_for_function("(m => m.scrollLeft + m.clientWidth >= m.scrollWidth - 1)"
                            "(document.activeElement)")
    # Its end is in the column, on the screen.
    end = formula.evaluate("m => m.lastElementChild.getBoundingClientRect().right")
    assert end <= 360 - 16 + 1


def test_a_demo_whose_python_failed_to_load_fits_a_360_px_screen(page, real_site: Path) -> None:
    """The status then quotes the browser's message, with the runtime's address in it."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.context.route("**/assets/pyodide/**", lambda route: route.abort())
    page.goto(serve(real_site) + "terms/lstm/")
    page.wait_for_function("window.LexigraphRuntime && window.LexigraphRuntime.stage() === 'failed'",
                           timeout=60_000)
    assert "/assets/pyodide/" in page.locator(".lx-demo__status").text_content()
    assert_fits(page, 360)


# --- Demos --------------------------------------------------------------------------------------

def idle(page) -> None:  # type: ignore[no-untyped-def]
    """Return once the page's idle callbacks and observers queued so far have run (a desktop
    boots Python from an idle callback after the load, once a demo is seen on screen)."""
    page.evaluate("new Promise(r => requestIdleCallback(() => requestAnimationFrame("
                  "() => requestAnimationFrame(() => setTimeout(r)))))")


def test_on_a_phone_python_loads_when_the_reader_uses_a_demo(phone, real_site: Path) -> None:
    """The demo is on the first screen of its term page: Python (~17 MB) loaded on its own."""
    fetched: list[str] = []
    phone.on("request", lambda r: fetched.append(r.url) if "/assets/pyodide/" in r.url else None)
    phone.goto(serve(real_site) + "terms/vanishing-gradient/")
    demo = "#lx-demo-0"
    phone.wait_for_selector(demo + " form.lx-demo__form")
    phone.wait_for_load_state("networkidle")
    idle(phone)
    phone.locator(demo).scroll_into_view_if_needed()  # seen on screen, scrolled past the chart
    phone.locator(demo + " .lx-demo__actions").scroll_into_view_if_needed()
    idle(phone)
    assert fetched == []
    assert phone.evaluate("window.LexigraphRuntime.stage()") == "idle"
    assert phone.locator(demo).get_attribute("data-lx-state") == "static"
    assert phone.locator(demo + " .lx-demo__status").text_content() == (
        "Result computed when the site was built. Change a control to re-run it in your browser.")

    # Every status the reader is shown from now on, however quickly Python loads.
    phone.evaluate("""(demo) => { const status = document.querySelector(demo + ' .lx-demo__status');
      window.lxStatuses = [];
      new MutationObserver(() => window.lxStatuses.push(status.textContent))
        .observe(status, {childList: true, characterData: true, subtree: true}); }""", demo)
    slider = phone.locator(demo + " input[name=depth]")
    before = slider.input_value()
    box = slider.bounding_box()
    slider.tap(position={"x": box["width"] * 0.2, "y": box["height"] / 2})
    depth = int(slider.input_value())
    assert str(depth) != before
    data, params = live_result(phone, demo, {"depth": depth})
    assert "Loading the Python runtime… (1 of 3)" in phone.evaluate("window.lxStatuses")
    expected = cpython("gradient-decay", params)
    assert_same(data, expected)
    assert path_points(phone, demo) == drawable(expected["chart"])
    assert fetched != []
    assert phone.locator(demo + " .lx-demo__status").text_content() == "Ran in your browser."
    assert phone.locator(demo + " .lx-demo__timing").text_content().endswith(
        " s with loading Python)")


def test_running_edited_code_shows_its_status_and_stop_beside_the_run_button(
        phone, real_site: Path) -> None:
    """On a phone the status row under the chart was 1,275 px above "Run edited code": a reader
    who ran a slow edit saw neither "Running…" nor Stop."""
    phone.goto(serve(real_site) + "terms/vanishing-gradient/")
    demo = "#lx-demo-0"
    phone.locator(f"{demo} button:has-text('Edit & run')").tap()
    area = phone.locator(demo + " textarea")
    area.wait_for()
    area.fill(area.input_value().replace("    p = validate(PARAMS, params)\n",
                                         "    while True:\n        pass\n", 1))
    run = phone.locator(f"{demo} button:has-text('Run edited code')")
    run.scroll_into_view_if_needed()
    run.tap()
    stop = phone.locator(demo + " .lx-demo__stop")
    stop.wait_for(state="visible", timeout=90_000)  # shown once the run has gone on a while
    status = phone.locator(demo + " .lx-demo__status")
    assert status.text_content() == "Running… (3 of 3)"
    ran_from = run.bounding_box()
    for element in (stop, status):
        box = element.bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= 844, box  # on screen
        assert abs(box["y"] - ran_from["y"]) < 120, (box, ran_from)
    assert phone.locator(demo + " [role=status]").count() == 1  # one live region, not two
    stop.tap()
    phone.wait_for_selector(demo + "[data-lx-state=stopped]")
    assert status.text_content().startswith("Stopped after ")
    # Closed, the editor takes the status back under the chart (on a phone, under its legend,
    # where it stays in sight with the chart).
    phone.locator(f"{demo} button:has-text('Edit & run')").tap()
    assert phone.evaluate("s => document.querySelector(s + ' .lx-demo__legend')"
                          ".nextElementSibling.classList.contains('lx-demo__statusrow')", demo)


@pytest.mark.parametrize("path, demo, control", [
    ("terms/vanishing-gradient/", "#lx-demo-0", "input[name=depth]"),
    ("demos/", "#lx-demo-3", ".lx-demo__control:last-child input")])
def test_on_a_phone_a_changed_control_is_seen_with_its_chart_and_status(
        phone, real_site: Path, path: str, demo: str, control: str) -> None:
    """On a 360 × 740 phone the chart was at 687-987 px of the page, the status at 1262-1329
    and the Depth slider at 1725: a reader dragging it saw neither the new chart nor "Loading
    the Python runtime…". The chart, its legend and the status stay in sight under the
    header while the reader goes through the controls below them; not while the code is open,
    which needs the room."""
    phone.set_viewport_size({"width": 360, "height": 740})
    phone.goto(serve(real_site) + path)
    slider = phone.locator(f"{demo} {control}")
    slider.wait_for()
    slider.evaluate("s => s.scrollIntoView({block: 'end'})")  # as a reader scrolls down to it
    phone.evaluate("scrollBy(0, 40)")
    parts = f"{demo} .lx-chart, {demo} .lx-demo__legend, {demo} .lx-demo__status, {demo} {control}"
    assert phone.evaluate(SEEN, parts) == [True] * 4
    status = phone.locator(f"{demo} .lx-demo__status")
    before = status.text_content()
    box = slider.bounding_box()
    slider.tap(position={"x": box["width"] * 0.2, "y": box["height"] / 2})
    phone.wait_for_function("([s, t]) => document.querySelector(s).textContent !== t",
                            arg=[f"{demo} .lx-demo__status", before])
    assert phone.evaluate(SEEN, parts) == [True] * 4, status.text_content()
    # The code open, the chart goes up with the page: the editor is not under it.
    phone.locator(f"{demo} button:has-text('Edit & run')").tap()
    editor = phone.locator(f"{demo} textarea")
    editor.wait_for()
    editor.evaluate("e => e.scrollIntoView({block: 'start'})")
    phone.evaluate("scrollBy(0, -60)")
    assert phone.evaluate(SEEN, f"{demo} textarea") == [True]


def test_a_demo_control_taking_the_focus_is_never_under_the_chart(phone, real_site: Path) -> None:
    """A review found the chart kept in sight covering the controls: held sideways (667 × 375)
    the chart and legend are taller than the screen and all 57 controls stayed under them;
    upright (360 × 740), Shift+Tab left controls of five demos under it."""
    for width, height in ((360, 740), (667, 375)):
        phone.set_viewport_size({"width": width, "height": height})
        phone.goto(serve(real_site) + "demos/")
        controls = phone.locator(".lx-demo__controls :is(input, select):enabled")
        controls.last.wait_for()
        phone.locator(".md-footer a, .md-footer button").last.focus()
        hidden = []
        for _ in range(controls.count() + 40):  # back up through every demo
            phone.keyboard.press("Shift+Tab")
            if phone.evaluate(SEEN, ".lx-demo__controls :is(input, select):focus") == [False]:
                hidden.append(phone.evaluate("document.activeElement.name"))
        assert hidden == [], (width, height)
        # Held sideways the figure is not kept in sight at all: it would leave no room.
        sticky = phone.evaluate("getComputedStyle(document.querySelector('.lx-demo__figure')).position")
        assert sticky == ("sticky" if height > 720 else "static"), (width, height)


# --- The A-Z index ------------------------------------------------------------------------------

def test_the_letter_bar_is_one_row_each_letter_in_reach(phone, real_site: Path) -> None:
    """Wrapped to three rows (113 px), the sticky bar and the header took 22 % of a 740 px
    screen; a tapped letter stayed highlighted (touch leaves :hover on it) after the jump."""
    phone.set_viewport_size({"width": 360, "height": 740})
    phone.goto(serve(real_site) + "terms/")
    bar = phone.locator(".lx-letterbar")
    rows = bar.evaluate("b => new Set([...b.children].map(c => c.offsetTop)).size")
    assert rows == 1
    assert bar.bounding_box()["height"] < 60
    # A shade says the bar goes on (it showed A to I, and nothing said it scrolled).
    assert "radial-gradient" in bar.evaluate("b => getComputedStyle(b).backgroundImage")
    # The keyboard reaches every letter, and each is scrolled into the bar's view in turn.
    links = phone.locator(".lx-letterbar a")
    links.first.focus()
    for i in range(links.count()):
        if i:
            phone.keyboard.press("Tab")
        seen = phone.evaluate("""() => { const a = document.activeElement.getBoundingClientRect(),
            b = document.querySelector('.lx-letterbar').getBoundingClientRect();
            return [document.activeElement.textContent, a.left >= b.left - 1 && a.right <= b.right + 1]; }""")
        assert seen == [links.nth(i).text_content(), True]
    # A tap on a letter past the screen's edge (the bar scrolls to it) jumps below the bar.
    letter = phone.locator(".lx-letterbar a[data-letter=W]")
    letter.scroll_into_view_if_needed()
    letter.tap()
    phone.wait_for_function("location.hash === '#letter-w'")
    assert_heading_below_bar(phone, "#letter-w")
    assert letter.evaluate("a => getComputedStyle(a).backgroundColor") == "rgba(0, 0, 0, 0)"


#: A letter's colours as the reader sees them: [text, background].
LOOK = "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"


def test_a_letter_a_filter_empties_looks_disabled_whatever_touched_it(phone, browser, watch,
                                                                      real_site: Path) -> None:
    """A tapped letter keeps :hover on a touch screen: once a filter had emptied it, Material's
    `a:hover` (the accent colour) outranked the greyed letter, which looked live. With a mouse,
    a greyed letter pointed at or focused was filled as a live one."""
    still = "* { transition: none !important; }"  # (Material's colour transitions: no mid-way reads)
    phone.goto(serve(real_site) + "terms/")
    phone.add_style_tag(content=still)
    greyed = phone.locator(".lx-letterbar span.lx-disabled").first.evaluate(LOOK)
    letter = phone.locator(".lx-letterbar a[data-letter=A]")
    letter.tap()
    phone.wait_for_function("location.hash === '#letter-a'")
    phone.select_option("select[name=domain]", "sequence-models")  # none begins with A
    assert letter.get_attribute("aria-disabled") == "true"
    assert letter.evaluate(LOOK) == greyed
    with watched_page(browser, watch, viewport={"width": 1280, "height": 900}) as page:
        page.goto(serve(real_site) + "terms/?domain=sequence-models")
        page.add_style_tag(content=still)
        letter = page.locator(".lx-letterbar a[data-letter=A][aria-disabled=true]")
        letter.hover()
        assert letter.evaluate(LOOK) == greyed
        letter.focus()
        assert letter.evaluate(LOOK) == greyed


def test_filters_that_match_nothing_say_so(phone, real_site: Path) -> None:
    phone.goto(serve(real_site) + "terms/")
    phone.select_option("select[name=domain]", "normalization")
    phone.select_option("select[name=difficulty]", "beginner")  # no such term
    assert visible_slugs(phone) == []
    count = phone.locator(".lx-count")
    assert count.text_content() == "No term matches these filters."
    assert count.get_attribute("aria-live") == "polite" and count.is_visible()
    clear = phone.locator("form.lx-filters button[type=reset]")
    assert clear.is_visible()
    clear.tap()
    phone.wait_for_function("document.querySelectorAll('.lx-terms li[hidden]').length === 0")
    assert count.text_content().endswith(" terms")


def test_a_tapped_demo_button_does_not_stay_filled(phone, real_site: Path) -> None:
    """A touch screen leaves :hover on what was tapped: "Show code" looked pressed (filled,
    as the primary button) until the next tap elsewhere."""
    phone.goto(serve(real_site) + "terms/vanishing-gradient/")
    show = phone.locator("#lx-demo-0 button:has-text('Show code')")
    show.tap()
    phone.locator("#lx-demo-0 .lx-demo__source").wait_for()
    assert show.evaluate("b => getComputedStyle(b).backgroundColor") == "rgba(0, 0, 0, 0)"
    # Open, it is marked by its underline (aria-expanded), as with a mouse.
    assert show.evaluate("b => getComputedStyle(b).boxShadow") != "none"


def test_demo_fields_are_16_px_on_a_phone(phone, real_site: Path) -> None:
    """iOS Safari zooms into a field whose text is under 16 px when it is focused."""
    phone.goto(serve(real_site) + "terms/vanishing-gradient/")
    phone.locator("#lx-demo-0 button:has-text('Edit & run')").tap()
    phone.locator("#lx-demo-0 textarea").wait_for()
    sizes = phone.eval_on_selector_all(
        "#lx-demo-0 :is(select, textarea, input:not([type=range]):not([type=checkbox]))",
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert len(sizes) >= 3 and min(sizes) >= 16, sizes


def test_a_demo_axis_of_whole_numbers_has_whole_ticks(phone, real_site: Path) -> None:
    """At depth 2 the "Layer" axis was labelled 1.0, 1.2, 1.4 … 2.0."""
    chart = cpython("gradient-decay", {"depth": 2})["chart"]
    assert chart["series"][0]["x"] == [1, 2]
    phone.goto(serve(real_site) + "terms/vanishing-gradient/")
    box = "#lx-demo-0 .lx-demo__chart"
    phone.wait_for_selector(box + " svg")
    x_ticks = phone.locator(box).evaluate(
        """(box, chart) => { window.LexigraphChart.draw(box, chart, 'lx-test');
             return [...box.querySelectorAll('.lx-chart__axes text[text-anchor=middle]:not(.lx-chart__label)')]
               .map(t => t.textContent); }""", chart)
    assert x_ticks == ["1", "2"]
