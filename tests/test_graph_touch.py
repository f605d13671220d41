"""The concept graph and the term pages' concept maps as a phone reader meets them: touch
screens of 390×844 and 360×740, and 844×390 held sideways, in headless Chromium.

Touch gestures are real input: taps through Playwright's touchscreen, swipes and pinches as
touch points sent over the DevTools protocol, so the browser itself decides between scrolling
the page and giving the gesture to the page's scripts (``touch-action``, cancelled events).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lexigraph.pipeline import Glossary, build_glossary

from .conftest import ROOT, PageWatch, serve, watched_page
from .test_graph_browser import LONELY

pytestmark = pytest.mark.browser

READY = "document.querySelector('.lx-graph[data-state=ready]') !== null"
EX = "document.querySelector('.lx-graph-stage').lexigraph"
PORTRAIT, SMALL, SIDEWAYS = (390, 844), (360, 740), (844, 390)


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return build_glossary(ROOT / "glossary", ROOT / "demos")


@pytest.fixture
def phone(browser, watch: PageWatch, request: pytest.FixtureRequest) -> Iterator[object]:
    """A page in a touch context of the size the test is parametrized with (``size``)."""
    width, height = getattr(request, "param", PORTRAIT)
    with watched_page(browser, watch, viewport={"width": width, "height": height},
                      has_touch=True, is_mobile=True) as page:
        yield page


def open_graph(page, site: Path) -> str:  # type: ignore[no-untyped-def]
    base = serve(site)
    page.goto(base + "graph/")
    page.wait_for_function(READY)
    return base


class Fingers:
    """Touch points sent to the browser as a touch screen would: the browser, not the page,
    turns them into scrolling, pinch zoom or touch events for scripts."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.cdp = page.context.new_cdp_session(page)

    def _send(self, kind: str, points: list[tuple[float, float]]) -> None:
        self.cdp.send("Input.dispatchTouchEvent", {
            "type": kind, "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]})

    def move(self, start: list[tuple[float, float]], end: list[tuple[float, float]],
             steps: int = 12) -> None:
        """Fingers down at ``start``, moved in steps to ``end``, lifted."""
        self._send("touchStart", start)
        for k in range(1, steps + 1):
            self._send("touchMove", [(x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps)
                                     for (x0, y0), (x1, y1) in zip(start, end, strict=True)])
        self._send("touchEnd", [])


PHONES = pytest.mark.parametrize("phone", [PORTRAIT, SMALL, SIDEWAYS], indirect=True,
                                 ids=["390x844", "360x740", "844x390"])


@PHONES
def test_legend_has_no_list_bullets(phone, real_site: Path) -> None:
    """Material's ``.md-typeset ul`` (disc bullets) outranked ``.lx-graph-legend``: each swatch
    had a stray bullet at the left edge of the page."""
    open_graph(phone, real_site)
    styles = phone.eval_on_selector_all(".lx-graph-legend li",
                                        "items => items.map(li => getComputedStyle(li).listStyleType)")
    assert styles and set(styles) == {"none"}


@PHONES
def test_link_kind_boxes_stay_beside_their_names(phone, real_site: Path) -> None:
    """At phone width each "Links" name wrapped under its checkbox."""
    open_graph(phone, real_site)
    rows = phone.eval_on_selector_all(".lx-graph-kinds label", """labels => labels.map(l => {
      const box = l.querySelector('input').getBoundingClientRect(), range = document.createRange();
      range.selectNodeContents(l.lastChild);
      const text = [...range.getClientRects()];
      return [l.textContent.trim(), text.length, box.top + box.height / 2,
              text[0].top + text[0].height / 2, box.right <= text[0].left + 1];
    })""")
    assert len(rows) == 3
    for name, lines, box_mid, text_mid, left_of in rows:
        assert lines == 1 and left_of and abs(box_mid - text_mid) < 8, (name, rows)


STAGE = "JSON.parse(JSON.stringify(document.querySelector('.lx-graph-stage').getBoundingClientRect()))"
CAMERA = f"{EX}.renderer.getCamera().getState()"


#: Resolves once the graph's box is where it was one frame before (a scroll has settled).
SETTLED = """() => new Promise((done) => {
  let last = null;
  const tick = () => {
    const top = document.querySelector('.lx-graph-stage').getBoundingClientRect().top;
    if (top === last) done(); else { last = top; requestAnimationFrame(tick); }
  };
  requestAnimationFrame(tick);
})"""


def stage_in_view(page) -> dict:  # type: ignore[no-untyped-def]
    page.evaluate("document.querySelector('.lx-graph-stage').scrollIntoView({block: 'center'})")
    page.evaluate(SETTLED)
    return page.evaluate(STAGE)


@PHONES
def test_one_finger_scrolls_the_page_over_the_graph(phone, real_site: Path) -> None:
    """The graph's box took every touch: a swipe over it panned the graph and the page stayed
    put, and held sideways the box was taller than the screen. One finger scrolls the page
    (as everywhere else on a touch screen) and the box leaves room above and below it."""
    open_graph(phone, real_site)
    screen = phone.evaluate("innerHeight")
    box = stage_in_view(phone)
    assert box["height"] <= screen - 100
    before, camera = phone.evaluate("scrollY"), phone.evaluate(CAMERA)
    x, y = box["left"] + box["width"] / 2, box["top"] + box["height"] * 0.6
    Fingers(phone).move([(x, y)], [(x, y - 120)])
    phone.wait_for_function(f"Math.abs(scrollY - {before}) > 60", timeout=5000)
    assert phone.evaluate(CAMERA) == camera


@PHONES
def test_two_fingers_pinch_and_pan_the_graph_not_the_page(phone, real_site: Path) -> None:
    open_graph(phone, real_site)
    box = stage_in_view(phone)
    x, y = box["left"] + box["width"] / 2, box["top"] + box["height"] / 2
    before, camera = phone.evaluate("scrollY"), phone.evaluate(CAMERA)
    fingers = Fingers(phone)
    fingers.move([(x - 20, y), (x + 20, y)], [(x - 90, y), (x + 90, y)])  # spread: zoom in
    zoomed = phone.evaluate(CAMERA)
    assert zoomed["ratio"] < camera["ratio"] * 0.6
    fingers.move([(x - 40, y), (x + 40, y)], [(x - 40, y - 60), (x + 40, y - 60)])  # both up
    panned = phone.evaluate(CAMERA)
    assert abs(panned["x"] - zoomed["x"]) + abs(panned["y"] - zoomed["y"]) > 1e-3
    assert phone.evaluate("[scrollY, visualViewport.scale]") == [before, 1]


IN_VIEW = """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
  return r.top >= -1 && r.bottom <= innerHeight + 1; }"""  # (sub-pixel layout)


#: Where a term is on the screen now: [x, y].
NODE_AT = f"""(slug) => {{ const ex = {EX}, box = ex.stage.getBoundingClientRect(),
  p = ex.renderer.graphToViewport(ex.nodes[slug]); return [box.left + p.x, box.top + p.y]; }}"""


@pytest.mark.parametrize("phone", [PORTRAIT, SMALL, SIDEWAYS, (768, 1024)], indirect=True,
                         ids=["390x844", "360x740", "844x390", "tablet-768x1024"])
def test_first_tap_shows_a_term_and_a_second_at_the_same_place_opens_it(
        phone, real_site: Path, glossary: Glossary) -> None:
    """A tap opened the term at once: a touch screen has no hover, so its name and summary
    were never seen. The first tap selects the term and brings its summary into view; a
    second opens it. Scrolling the page to the summary took the term from under the finger
    (420 px on a 360 × 740 phone, 90 px on a tablet), and the second tap, where the page's
    help says, missed it: the graph now moves down in its box as the page goes up."""
    base = open_graph(phone, real_site)
    assert phone.locator(".lx-graph-info").text_content().startswith("Tap a term")
    if phone.evaluate(STAGE)["bottom"] > phone.viewport_size["height"]:  # (a tablet shows it all)
        stage_in_view(phone)
    slug, x, y = phone.evaluate(LONELY)
    address, before = phone.url, phone.evaluate("scrollY")
    phone.touchscreen.tap(x, y)
    phone.wait_for_function(f"{EX}.selected === {slug!r}", timeout=5000)
    assert phone.url == address
    assert glossary.terms[slug].summary in phone.locator(".lx-graph-info").text_content()
    phone.evaluate(SETTLED)
    # The summary's first lines are on the screen, below the header (the page went up to
    # them: on a phone held upright, all of it) ...
    info = phone.locator(".lx-graph-info").bounding_box()
    header = phone.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    assert header <= info["y"] and info["y"] + 40 <= phone.evaluate("innerHeight"), info
    if phone.viewport_size["height"] > 700:
        phone.wait_for_function(IN_VIEW, arg=".lx-graph-info", timeout=5000)
    # ... and the term is still under the finger, in the graph's box.
    at = phone.evaluate(NODE_AT, slug)
    assert abs(at[0] - x) < 2 and abs(at[1] - y) < 2, (at, x, y, before, phone.evaluate("scrollY"))
    stage = phone.evaluate(STAGE)
    assert stage["top"] < at[1] < stage["bottom"]
    # (waiting for the address: Material rewrites the page's own as the reader scrolls)
    phone.touchscreen.tap(x, y)
    phone.wait_for_url(f"{base}terms/{slug}/")


@PHONES
def test_find_brings_the_summary_into_view(phone, real_site: Path, glossary: Glossary) -> None:
    open_graph(phone, real_site)
    phone.fill(".lx-graph-tools input[name=find]", "lstm")
    phone.keyboard.press("Enter")
    assert phone.evaluate(f"{EX}.selected") == "lstm"
    phone.wait_for_function(IN_VIEW, arg=".lx-graph-info", timeout=5000)
    assert glossary.terms["lstm"].summary in phone.locator(".lx-graph-info").text_content()


def test_find_with_a_mouse_leaves_the_page_where_it_is(page, real_site: Path) -> None:
    """Scrolling to the summary, as on a phone, put the find box under the sticky header."""
    page.set_viewport_size({"width": 1440, "height": 800})
    open_graph(page, real_site)
    before = page.evaluate("scrollY")
    page.fill(".lx-graph-tools input[name=find]", "lstm")
    page.keyboard.press("Enter")
    page.wait_for_function(f"{EX}.selected === 'lstm'")
    assert page.evaluate("scrollY") == before


#: The 3D view's camera: where it is and how far from the point it turns about (the middle of
#: the terms, in the first view).
CAMERA_3D = """(() => { const fg = document.querySelector('.lx-graph-stage3d').lexigraph3d.fg;
  const p = fg.camera().position; return [p.x, p.y, p.z, p.distanceTo(fg.controls().target)]; })()"""


@PHONES
def test_gestures_on_3d_names_move_the_view_not_the_page(phone, real_site: Path) -> None:
    """In 3D the terms' names are links laid over the canvas, and a swipe or a pinch that began
    on one scrolled or zoomed the page, then (kept off the page) did nothing at all. It orbits
    and zooms the view, as on the canvas. Fewer names on a touch screen leave more of the
    canvas to the fingers anyway."""
    open_graph(phone, real_site)
    phone.click(".lx-graph-modes button[data-mode='3d']")
    phone.wait_for_function("document.querySelector('.lx-graph[data-3d=ready]') !== null")
    phone.evaluate("document.querySelector('.lx-graph-stage3d').scrollIntoView({block: 'center'})")
    assert phone.locator(".lx-graph-stage3d .lx-word").count() <= 40  # of the 51 terms
    phone.wait_for_function("document.querySelectorAll('.lx-graph-stage3d .lx-word:not([hidden])').length >= 2")
    words = phone.evaluate("""() => {
      const box = document.querySelector('.lx-graph-stage3d').getBoundingClientRect();
      return [...document.querySelectorAll('.lx-graph-stage3d .lx-word:not([hidden])')]
        .map((w) => w.getBoundingClientRect())
        .filter((r) => r.top > box.top + 10 && r.bottom < box.bottom - 70 && r.bottom < innerHeight - 70)
        .map((r) => [r.left + r.width / 2, r.top + r.height / 2]); }""")
    assert len(words) >= 2
    before = phone.evaluate("[scrollY, visualViewport.scale]")
    phone.evaluate("""() => { window.lxTouchEnds = 0;
      addEventListener('touchend', () => { window.lxTouchEnds += 1; }, {capture: true, passive: true}); }""")
    fingers = Fingers(phone)
    (x, y), (x2, y2) = words[0], words[1]
    start = phone.evaluate(CAMERA_3D)
    fingers.move([(x, y)], [(x + 60, y + 60)])
    orbited = phone.evaluate(CAMERA_3D)
    assert orbited[:3] != start[:3] and orbited[3] == pytest.approx(start[3], rel=0.01)
    spread = [(x - (x2 - x) / 2, y - (y2 - y) / 2), (x2 + (x2 - x) / 2, y2 + (y2 - y) / 2)]
    fingers.move([(x, y), (x2, y2)], spread)
    assert phone.evaluate(CAMERA_3D)[3] < orbited[3] * 0.9  # closer: zoomed in
    # The page has seen both gestures end, and drawn two frames since: a scroll or zoom of
    # the page would have begun while the fingers moved.
    phone.wait_for_function("window.lxTouchEnds >= 2")
    phone.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert phone.evaluate("[scrollY, visualViewport.scale]") == before
    assert "/graph/" in phone.url  # no name opened by a gesture that began on it


#: The terms the 3D view projects outside itself (3d-force-graph's own projection), and how
#: many it has.
OUTSIDE_3D = """() => { const view = document.querySelector('.lx-graph-stage3d').lexigraph3d;
  const w = view.box.clientWidth, h = view.box.clientHeight, nodes = view.fg.graphData().nodes;
  return [nodes.filter((n) => { const p = view.fg.graph2ScreenCoords(n.x, n.y, n.z);
    return !(p.x >= 0 && p.x <= w && p.y >= 0 && p.y <= h); }).map((n) => n.id), nodes.length]; }"""
#: Whether the 3D view is no longer ``width`` px wide and its camera has had the view's new
#: shape for two frames (polled once a frame), so it has been drawn with it: the camera takes
#: it a little after the box does (3d-force-graph applies a size on its next update).
RESHAPED_3D = """(width) => { const view = document.querySelector('.lx-graph-stage3d').lexigraph3d;
  const w = view.box.clientWidth, h = view.box.clientHeight, camera = view.fg.camera();
  const now = w !== width && Math.abs(camera.aspect - w / h) < 1e-6 ? w + 'x' + h : '';
  const seen = window.lxReshaped || (window.lxReshaped = {key: '', frames: 0});
  seen.frames = now && now === seen.key ? seen.frames + 1 : 0;
  seen.key = now;
  return seen.frames >= 2; }"""
#: How far the 3D camera is off the line a fit looks along (parallel to z, through the point
#: it looks at), and how far from that point.
ASIDE_3D = """() => { const fg = document.querySelector('.lx-graph-stage3d').lexigraph3d.fg;
  const p = fg.camera().position, t = fg.controls().target;
  return [Math.hypot(p.x - t.x, p.y - t.y), p.distanceTo(t)]; }"""


@PHONES
def test_the_3d_view_opens_with_every_term_on_screen(phone, real_site: Path) -> None:
    """The 3D camera stood at a fixed distance whatever the view's shape: at 360×740, 18 of the
    51 terms were outside the view. It fits the terms to the view, as the 2D view does, and
    again when the phone is turned, until the reader moves the camera."""
    phone.goto(serve(real_site) + "graph/?mode=3d")
    phone.wait_for_function("document.querySelector('.lx-graph[data-3d=ready]') !== null")
    outside, count = phone.evaluate(OUTSIDE_3D)
    assert outside == [] and count == 51
    width, height = phone.viewport_size["width"], phone.viewport_size["height"]
    wide = phone.evaluate("document.querySelector('.lx-graph-stage3d').clientWidth")
    phone.set_viewport_size({"width": height, "height": width})  # turned
    phone.wait_for_function(RESHAPED_3D, arg=wide)
    assert phone.evaluate(OUTSIDE_3D)[0] == []
    turned = phone.evaluate("document.querySelector('.lx-graph-stage3d').clientWidth")
    # Moved by the reader, the camera stays where they left it when the phone turns back.
    phone.evaluate("document.querySelector('.lx-graph-stage3d').scrollIntoView({block: 'center'})")
    box = phone.locator(".lx-graph-stage3d canvas").bounding_box()
    x, y = box["x"] + 10, box["y"] + box["height"] / 2  # (beside the names)
    Fingers(phone).move([(x, y)], [(x + 80, y + 30)])
    orbited = phone.evaluate(ASIDE_3D)
    assert orbited[0] > 1  # turned away from the axis a fit looks along
    phone.set_viewport_size({"width": width, "height": height})
    phone.wait_for_function(RESHAPED_3D, arg=turned)
    now = phone.evaluate(ASIDE_3D)
    assert now[0] > 1 and now[1] == pytest.approx(orbited[1], rel=0.01)


@pytest.mark.parametrize("phone", [PORTRAIT], indirect=True, ids=["390x844"])
def test_the_hint_tells_the_gestures_of_each_view(phone, real_site: Path) -> None:
    """The 2D view's hint said nothing of the two fingers it takes to move it (one scrolls
    the page), and the 3D view kept the 2D hint, though a tap there opens the term at once."""
    open_graph(phone, real_site)
    info = phone.locator(".lx-graph-info")
    assert "Two fingers move and zoom the graph; one scrolls the page." in info.text_content()
    phone.click(".lx-graph-modes button[data-mode='3d']")
    phone.wait_for_function("document.querySelector('.lx-graph[data-3d=ready]') !== null")
    assert info.text_content() == "Tap a term to open it. Drag to turn the view; pinch to zoom."
    phone.click(".lx-graph-modes button[data-mode='2d']")
    assert info.text_content().startswith("Tap a term to see its summary, and tap it again")


@pytest.mark.parametrize("phone", [PORTRAIT], indirect=True, ids=["390x844"])
def test_a_tap_on_a_3d_name_opens_that_term(phone, real_site: Path) -> None:
    """The name's own term: not the node the canvas has under the same spot."""
    open_graph(phone, real_site)
    phone.click(".lx-graph-modes button[data-mode='3d']")
    phone.wait_for_function("document.querySelector('.lx-graph[data-3d=ready]') !== null")
    phone.evaluate("document.querySelector('.lx-graph-stage3d').scrollIntoView({block: 'center'})")
    Fingers(phone).move([(195, 500)], [(255, 540)])  # orbit a little first: names move
    x, y, href = phone.evaluate("""() => [...document.querySelectorAll(
        '.lx-graph-stage3d .lx-word:not([hidden])')].map((w) => {
          const r = w.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2, w];
        }).filter(([x, y, w]) => y > 80 && y < innerHeight - 80 && document.elementFromPoint(x, y) === w)
        .map(([x, y, w]) => [x, y, w.href])[0]""")
    phone.touchscreen.tap(x, y)
    phone.wait_for_url(href)
    phone.wait_for_timeout(500)  # time for a second navigation (a node behind the name)
    assert phone.url == href


#: A concept map as a reader sees it: per term, its label's font size and box on screen, its
#: target's width and its dot's centre.
MAP = """() => {
  const svg = document.querySelector('svg.lx-map'), r = svg.getBoundingClientRect();
  const scale = r.width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('.lx-map-node')].map((g) => {
    const text = g.querySelector('text'), box = text.getBoundingClientRect();
    const hit = g.querySelector('.lx-map-hit');
    const dot = (hit || svg.querySelector('.lx-map-dot--d0')).getBoundingClientRect();
    return {name: text.textContent, ring: g.classList.contains('lx-map-node--d0') ? 0 :
              g.classList.contains('lx-map-node--d1') ? 1 : 2,
            shown: getComputedStyle(text).display !== 'none',
            font: parseFloat(getComputedStyle(text).fontSize) * scale,
            label: [box.left, box.top, box.right, box.bottom],
            target: hit ? dot.width : null, dot: [dot.left + dot.width / 2, dot.top + dot.height / 2]};
  });
}"""


@pytest.mark.parametrize("phone", [PORTRAIT, SMALL], indirect=True, ids=["390x844", "360x740"])
@pytest.mark.parametrize("slug", ["vanishing-gradient", "sigmoid", "lstm"])
def test_concept_map_on_a_phone_names_every_term_with_24_px_targets(phone, real_site: Path,
                                                                    slug: str) -> None:
    """On a phone the map drew a ring of up to 29 terms in ~360 px: names 8 to 10 px tall,
    half of them hidden until hover or focus (which touch has not), targets of 11 to 13 px,
    the term's own name over its neighbours' dots. Every name is now shown in legible type,
    every target is 24 px, and no name covers another term's dot."""
    phone.goto(serve(real_site) + f"terms/{slug}/")
    phone.locator("svg.lx-map a").first.wait_for()
    terms = phone.evaluate(MAP)
    assert len(terms) >= 26
    assert [t["name"] for t in terms if not t["shown"]] == []
    assert [(t["name"], t["target"]) for t in terms if t["ring"] and t["target"] < 23.5] == []
    assert [(t["name"], t["font"]) for t in terms if t["font"] < (11 if t["ring"] < 2 else 9)] == []
    dot = 4  # px: the smallest dot's radius, about
    covered = [(t["name"], o["name"]) for t in terms for o in terms if o is not t
               and t["label"][0] < o["dot"][0] + dot and o["dot"][0] - dot < t["label"][2]
               and t["label"][1] < o["dot"][1] + dot and o["dot"][1] - dot < t["label"][3]]
    assert covered == []


@pytest.mark.parametrize("phone", [SIDEWAYS], indirect=True, ids=["844x390"])
def test_first_tap_on_an_unnamed_map_term_names_it(phone, real_site: Path) -> None:
    """Where the map keeps some names quiet (wider screens: shown on hover or focus), a tap on
    such a term left the page at once, its name never seen. The first tap names it, the
    second opens it."""
    base = serve(real_site)
    phone.goto(base + "terms/vanishing-gradient/")
    quiet = phone.locator("svg.lx-map .lx-map-node--quiet").first
    quiet.wait_for(state="attached")
    name = quiet.locator("text")
    assert not name.is_visible()
    hit = quiet.locator(".lx-map-hit")
    hit.scroll_into_view_if_needed()
    box = hit.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    href = quiet.get_attribute("href")
    phone.touchscreen.tap(x, y)
    name.wait_for(state="visible", timeout=5000)
    assert phone.url.startswith(base + "terms/vanishing-gradient/")  # (Material may add a #)
    phone.touchscreen.tap(x, y)
    phone.wait_for_url(base + "terms/" + href.removeprefix("../"))


def test_first_tap_on_a_map_term_previews_it_and_the_second_opens_it(phone, real_site: Path,
                                                                     glossary: Glossary) -> None:
    """Map terms had no preview: a tap opened the term at once, unseen. As every link to a
    term outside lists of summaries, the first tap shows its preview (here of a term the
    page's data does not hold: read from its own page), the second opens it."""
    base = serve(real_site)
    phone.goto(base + "terms/relu/")
    phone.locator("svg.lx-map a").first.wait_for()
    data = phone.evaluate("""() => Object.keys(JSON.parse(
        document.querySelector('template.lx-previews').content.textContent))""")
    link = phone.locator("svg.lx-map a.lx-map-node--d2").first
    slug = link.evaluate("a => lexigraphPreviews.slugOf(a)")
    assert slug not in data
    hit = link.locator(".lx-map-hit")
    hit.scroll_into_view_if_needed()
    box = hit.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    phone.touchscreen.tap(x, y)
    preview = phone.locator(".lx-preview")
    preview.wait_for()
    assert glossary.terms[slug].summary in preview.inner_text()
    assert phone.url.startswith(base + "terms/relu/")
    phone.touchscreen.tap(x, y)
    phone.wait_for_url(base + "terms/" + slug + "/")


@pytest.mark.parametrize("phone", [SIDEWAYS], indirect=True, ids=["844x390"])
def test_a_swipe_from_an_unnamed_map_term_only_scrolls(phone, real_site: Path) -> None:
    """A swipe that began on a quiet term was taken for the first tap: it focused the term
    (then off screen) and showed its name."""
    phone.goto(serve(real_site) + "terms/vanishing-gradient/")
    quiet = phone.locator("svg.lx-map .lx-map-node--quiet").first
    quiet.wait_for(state="attached")
    hit = quiet.locator(".lx-map-hit")
    hit.scroll_into_view_if_needed()
    box = hit.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    before = phone.evaluate("scrollY")
    Fingers(phone).move([(x, y)], [(x, y - 150)])
    phone.wait_for_function(f"Math.abs(scrollY - {before}) > 60", timeout=5000)
    # (the touchend that follows the swipe has been handled once the page has scrolled)
    phone.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert phone.evaluate("document.activeElement.closest('svg.lx-map') === null")
    assert not quiet.locator("text").is_visible()


#: The first view as drawn: the shown terms' dots on screen, the box, and the columns of the
#: names' canvas that hold ink (a name cut off at an edge leaves ink in the edge's column).
FIRST_VIEW = f"""() => {{
  const ex = {EX}, r = ex.renderer, box = ex.stage.getBoundingClientRect();
  r.render();
  const canvas = r.getCanvases().labels, px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const inked = new Set();
  for (let i = 3; i < px.length; i += 4) if (px[i]) inked.add(((i - 3) / 4) % canvas.width);
  const dots = ex.ids.filter((id) => ex.shown[id]).map((id) => {{
    const p = r.graphToViewport(ex.nodes[id]); return [ex.nodes[id].title, p.x, p.y]; }});
  return {{width: box.width, height: box.height, columns: canvas.width, dots,
          edges: [inked.has(0), inked.has(canvas.width - 1)], names: r.getNodeDisplayedLabels().size}};
}}"""


@pytest.mark.parametrize("phone", [PORTRAIT, SMALL, SIDEWAYS, (1280, 900)], indirect=True,
                         ids=["390x844", "360x740", "844x390", "1280x900"])
def test_first_view_fills_the_box_and_cuts_off_no_name(phone, real_site: Path) -> None:
    """The first 2D view fitted the dots alone: names of the terms at the right edge were cut
    off ("Dropou", "Regula"), and on a phone held upright a graph wider than tall filled 40%
    of the box's height. Names now fit, the terms span most of the box one way, and on a
    box taller than wide, most of its height."""
    open_graph(phone, real_site)
    view = phone.evaluate(FIRST_VIEW)
    width, height, dots = view["width"], view["height"], view["dots"]
    assert view["names"] >= 5 and view["edges"] == [False, False]
    assert [d[0] for d in dots if not (0 < d[1] < width and 0 < d[2] < height)] == []
    across = (max(d[1] for d in dots) - min(d[1] for d in dots)) / width
    down = (max(d[2] for d in dots) - min(d[2] for d in dots)) / height
    assert max(across, down) > 0.8, (across, down)
    if height > width:
        assert down > 0.6, (across, down)
