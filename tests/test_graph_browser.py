"""The concept graph in headless Chromium: the explorer (2D and 3D) and term pages' maps.

Every request to another host is aborted and fails the test (the ``page`` fixture); WebGL runs
on SwiftShader, so what the tests read back from WebGL canvases was really drawn.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from lexigraph.graph import learning_path
from lexigraph.pipeline import Glossary, build_glossary

from bench.browser import loopback_context

from .conftest import ROOT, instant_navigation, instant_ready, serve, watched_page

pytestmark = pytest.mark.browser

READY = "document.querySelector('.lx-graph[data-state=ready]') !== null"
EX = "document.querySelector('.lx-graph-stage').lexigraph"
DRAWN = f"""() => {{
  const ex = {EX}, r = ex.renderer;
  let nodes = 0, edges = 0;
  ex.graph.forEachNode((n) => {{ const d = r.getNodeDisplayData(n); if (d && !d.hidden) nodes++; }});
  ex.graph.forEachEdge((e) => {{ const d = r.getEdgeDisplayData(e); if (d && !d.hidden) edges++; }});
  return {{nodes, edges, shown: Number(ex.root.getAttribute('data-shown'))}};
}}"""
#: Pixels a WebGL canvas really holds: render now and read back in the same task.
WEBGL_INK = f"""() => {{
  const r = {EX}.renderer;
  r.render();
  const canvas = r.getCanvases().nodes;
  const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
  const px = new Uint8Array(gl.drawingBufferWidth * gl.drawingBufferHeight * 4);
  gl.readPixels(0, 0, gl.drawingBufferWidth, gl.drawingBufferHeight, gl.RGBA, gl.UNSIGNED_BYTE, px);
  let ink = 0;
  for (let i = 3; i < px.length; i += 4) if (px[i]) ink++;
  return ink;
}}"""
#: The shown term farthest from any other on screen (a click there cannot hit a neighbour).
LONELY = f"""() => {{
  const ex = {EX}, r = ex.root.querySelector('.lx-graph-stage').getBoundingClientRect();
  const pts = ex.ids.filter((id) => ex.shown[id]).map((id) => {{
    const p = ex.renderer.graphToViewport(ex.nodes[id]);
    return [id, p.x, p.y];
  }}).filter((p) => p[1] > 40 && p[2] > 40 && p[1] < r.width - 40 && p[2] < r.height - 40);
  let best = null, gap = -1;
  pts.forEach((a) => {{
    let near = Infinity;
    pts.forEach((b) => {{ if (a !== b) near = Math.min(near, Math.hypot(a[1] - b[1], a[2] - b[2])); }});
    if (near > gap) {{ gap = near; best = a; }}
  }});
  return [best[0], r.left + best[1], r.top + best[2]];
}}"""


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return build_glossary(ROOT / "glossary", ROOT / "demos")


def open_graph(page, site: Path, query: str = "") -> str:  # type: ignore[no-untyped-def]
    base = serve(site)
    page.goto(base + "graph/" + query)
    page.wait_for_function(READY)
    return base


def test_graph_page_draws_every_term_and_link(page, real_site: Path, glossary: Glossary) -> None:
    open_graph(page, real_site)
    assert page.evaluate(DRAWN) == {"nodes": len(glossary.terms), "shown": len(glossary.terms),
                                    "edges": glossary.graph.number_of_edges()}
    assert page.evaluate(f"{EX}.graph.order") == len(glossary.terms)
    assert page.evaluate(WEBGL_INK) > 2000  # the nodes are on the WebGL canvas
    legend = page.locator(".lx-graph-legend li").all_text_contents()
    assert [c.title for c in glossary.taxonomy.domains.values()] == legend[:-1]


def test_graph_page_keeps_the_site_navigation(page, real_site: Path) -> None:
    open_graph(page, real_site)
    nav = page.locator(".md-sidebar--primary .md-nav__link", has_text="A–Z index")
    assert nav.is_visible()  # at 1280 px, as on every other page


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_labels_stay_legible_over_links_in_both_schemes(browser, watch, real_site: Path,
                                                         scheme: str) -> None:
    """In the dark scheme links were about as light as the labels and ran across them: links
    are darker there, and every label has a halo of the page's background."""
    context = loopback_context(browser, watch.external, viewport={"width": 1280, "height": 900},
                               color_scheme=scheme)
    page = context.new_page()
    try:
        open_graph(page, real_site)
        colours = page.evaluate(f"""() => {{
          const ex = {EX}, r = ex.renderer, out = {{}};
          ex.graph.forEachEdge((e, a) => {{ out[a.kind] = r.getEdgeDisplayData(e).color; }});
          return out;
        }}""")
        light = {"prerequisite": "#8c9ad6", "related": "#f0b27e", "mentions": "#c4c4c4"}
        if scheme == "light":
            assert colours == light
        else:
            assert all(colours[k] != light[k] for k in light), colours
        # Halo pixels: opaque, the colour of the page's background, on the labels' canvas.
        halo = page.evaluate(f"""() => {{
          const r = {EX}.renderer;
          r.refresh();
          const c = r.getCanvases().labels, px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          const bg = getComputedStyle(document.body).getPropertyValue('--md-default-bg-color').trim();
          const probe = document.createElement('canvas').getContext('2d');
          probe.fillStyle = bg; probe.fillRect(0, 0, 1, 1);
          const [R, G, B] = probe.getImageData(0, 0, 1, 1).data;
          let n = 0;
          for (let i = 0; i < px.length; i += 4)
            if (px[i + 3] === 255 && Math.abs(px[i] - R) + Math.abs(px[i + 1] - G) + Math.abs(px[i + 2] - B) < 12) n++;
          return n;
        }}""")
        assert halo > 500, halo
    finally:
        context.close()


def test_clicking_a_node_opens_its_term(page, real_site: Path) -> None:
    base = open_graph(page, real_site)
    slug, x, y = page.evaluate(LONELY)
    page.mouse.move(x, y)
    assert page.evaluate(f"{EX}.hovered") == slug
    with page.expect_navigation():
        page.mouse.click(x, y)
    assert page.url == f"{base}terms/{slug}/"


def test_a_drag_that_ends_on_a_node_pans_and_stays(page, real_site: Path) -> None:
    open_graph(page, real_site)
    slug, x, y = page.evaluate(LONELY)
    before = page.evaluate(f"{EX}.renderer.getCamera().getState()")
    address = page.url
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + 8 * step, y)
    page.mouse.up()  # the node moved with the camera: the pointer is on it again
    page.wait_for_timeout(300)
    assert page.url == address
    assert page.evaluate(f"{EX}.renderer.getCamera().getState()")["x"] != before["x"]


def test_hover_highlights_neighbours_and_shows_the_summary(page, real_site: Path,
                                                           glossary: Glossary) -> None:
    open_graph(page, real_site)
    slug, x, y = page.evaluate(LONELY)
    page.mouse.move(x, y)
    info = page.locator(".lx-graph-info")
    assert glossary.terms[slug].summary in info.text_content()
    # Its domains in words, not only as the dot's colour.
    domains = ", ".join(glossary.taxonomy.domains[d].title for d in glossary.terms[slug].domains)
    assert page.locator(".lx-graph-info__meta").text_content().startswith(domains + " · ")
    faded = page.evaluate(f"""(slug) => {{
      const ex = {EX};
      const near = new Set(ex.graph.neighbors(slug));
      return ex.ids.filter((id) => id !== slug && !near.has(id))
        .every((id) => ex.renderer.getNodeDisplayData(id).label === '');
    }}""", slug)
    assert faded
    page.mouse.move(5, 5)
    assert "Point at a term" in info.text_content()


def test_domain_and_difficulty_filters_hide_nodes(page, real_site: Path,
                                                  glossary: Glossary) -> None:
    open_graph(page, real_site)
    page.select_option(".lx-graph-tools select[name=domain]", "sequence-models")
    inside = [t for t in glossary.terms.values() if "sequence-models" in t.domains]
    drawn = page.evaluate(DRAWN)
    assert drawn["nodes"] == drawn["shown"] == len(inside) < len(glossary.terms)
    both_ends = sum(1 for u, v in glossary.graph.edges() if {u, v} <= {t.slug for t in inside})
    assert drawn["edges"] == both_ends
    assert "domain=sequence-models" in page.url  # a filtered view can be shared
    page.select_option(".lx-graph-tools select[name=difficulty]", "advanced")
    assert page.evaluate(DRAWN)["nodes"] == sum(t.difficulty == "advanced" for t in inside)
    page.reload()
    page.wait_for_function(READY)
    assert page.evaluate(DRAWN)["nodes"] == sum(t.difficulty == "advanced" for t in inside)


def test_filters_say_how_many_terms_they_leave(page, real_site: Path, glossary: Glossary) -> None:
    """WCAG 4.1.3: a filter's effect is a status message (a polite live region), as in the
    A–Z index, not only a redrawn canvas."""
    open_graph(page, real_site)
    count = page.locator(".lx-graph-tools output.lx-count[aria-live=polite]")
    total = len(glossary.terms)
    assert count.text_content() == f"{total} terms"
    page.select_option(".lx-graph-tools select[name=domain]", "sequence-models")
    inside = sum("sequence-models" in t.domains for t in glossary.terms.values())
    assert count.text_content() == f"{inside} of {total} terms"


def test_every_graph_tool_shows_its_keyboard_focus(page, real_site: Path) -> None:
    """WCAG 2.4.7: the search box and the link-type boxes had no focus indicator at all."""
    open_graph(page, real_site)
    page.locator(".lx-graph-tools input[name=find]").focus()
    missing = []
    for _ in range(12):
        style = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
            return e.closest('.lx-graph-tools') ? [e.name || e.textContent, s.outlineStyle,
                   parseFloat(s.outlineWidth)] : null; }""")
        if style is None:
            break
        if style[1] == "none" or style[2] < 2:
            missing.append(style)
        page.keyboard.press("Tab")
    assert missing == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_terms_away_from_the_chosen_one_recede_in_both_schemes(browser, watch, real_site: Path,
                                                                scheme: str) -> None:
    """In the dark scheme the dimmed terms were drawn near-white, brighter than the chosen
    term's neighbours: they are near the background in both."""
    context = loopback_context(browser, watch.external, color_scheme=scheme,
                               viewport={"width": 1280, "height": 900})
    page = context.new_page()
    open_graph(page, real_site)
    page.fill(".lx-graph-tools input[name=find]", "adam")
    page.keyboard.press("Enter")
    contrast = page.evaluate(f"""() => {{
      const ex = {EX}, r = ex.renderer;
      const rgb = (colour) => {{
        const c = document.createElement('canvas').getContext('2d');
        c.fillStyle = colour; c.fillRect(0, 0, 1, 1); return c.getImageData(0, 0, 1, 1).data;
      }};
      const lum = (c) => {{
        const f = (v) => {{ v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }};
        const [R, G, B] = rgb(c); return 0.2126 * f(R) + 0.7152 * f(G) + 0.0722 * f(B);
      }};
      const bg = lum(getComputedStyle(document.body).getPropertyValue('--md-default-bg-color').trim());
      const ratio = (c) => {{ const l = lum(c); return (Math.max(l, bg) + 0.05) / (Math.min(l, bg) + 0.05); }};
      const away = ex.graph.nodes().filter((n) => n !== ex.selected && !ex.near[n]);
      const near = ex.graph.nodes().filter((n) => n !== ex.selected && ex.near[n]);
      return {{away: Math.max(...away.map((n) => ratio(r.getNodeDisplayData(n).color))),
               near: Math.min(...near.map((n) => ratio(r.getNodeDisplayData(n).color)))}};
    }}""")
    assert contrast["away"] < 1.6 < contrast["near"], contrast
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_view_not_shown_never_looks_pressed(browser, watch, real_site: Path,
                                                scheme: str) -> None:
    """Focused or pointed at, the 3D button took the pressed 2D button's fill: both solid."""
    context = loopback_context(browser, watch.external, color_scheme=scheme, reduced_motion="reduce")
    page = context.new_page()
    open_graph(page, real_site)
    pressed = page.locator(".lx-graph-modes [aria-pressed=true]")
    other = page.locator(".lx-graph-modes [aria-pressed=false]")
    fill = "e => getComputedStyle(e).backgroundColor"
    for touch in (other.focus, other.hover):
        touch()
        page.wait_for_timeout(300)  # Material's colour transitions
        assert other.evaluate(fill) != pressed.evaluate(fill)
    context.close()


def test_with_reduced_motion_the_camera_moves_without_a_flight(browser, watch,
                                                               real_site: Path) -> None:
    context = loopback_context(browser, watch.external, reduced_motion="reduce",
                               viewport={"width": 1280, "height": 900})
    page = context.new_page()
    open_graph(page, real_site)
    page.fill(".lx-graph-tools input[name=find]", "lstm")
    page.keyboard.press("Enter")
    assert page.evaluate(f"[{EX}.renderer.getCamera().isAnimated(), {EX}.renderer.getCamera().ratio]") \
        == [False, pytest.approx(0.4)]
    page.keyboard.press("+")
    assert page.evaluate(f"{EX}.renderer.getCamera().isAnimated()") is False
    context.close()


def test_filters_that_leave_no_term_say_so(page, real_site: Path, glossary: Glossary) -> None:
    open_graph(page, real_site)
    page.fill(".lx-graph-tools input[name=find]", "no such term")
    page.keyboard.press("Enter")
    info = page.locator(".lx-graph-info")
    assert "No term matches" in info.text_content()
    assert not any("initialization" in t.domains and t.difficulty == "advanced"
                   for t in glossary.terms.values())
    page.select_option(".lx-graph-tools select[name=domain]", "initialization")
    page.select_option(".lx-graph-tools select[name=difficulty]", "advanced")
    assert page.evaluate(DRAWN)["nodes"] == 0
    assert info.text_content() == ("No term has this domain and difficulty: choose “All” in "
                                   "one of them.")
    page.select_option(".lx-graph-tools select[name=difficulty]", "")
    assert info.text_content().startswith("Point at a term")


def test_edge_kinds_can_be_switched_off(page, real_site: Path, glossary: Glossary) -> None:
    open_graph(page, real_site)
    page.uncheck("input[name=kind][value=mentions]")
    kept = sum(1 for _, _, k in glossary.graph.edges(keys=True) if k != "mentions")
    assert page.evaluate(DRAWN)["edges"] == kept


#: The terms the chosen one lights up in 2D (the others lose their names), and the count in
#: its summary.
LIT = f"""() => {{
  const ex = {EX};
  return [ex.ids.filter((id) => id !== ex.selected && ex.renderer.getNodeDisplayData(id).label !== '')
            .sort(), document.querySelector('.lx-graph-info__meta').textContent.split(' · ').pop()];
}}"""


def test_a_term_lights_up_only_the_neighbours_of_the_links_shown(page, real_site: Path,
                                                                 glossary: Glossary) -> None:
    """With only prerequisites shown, Dropout drew its 2 prerequisite links but left all 13 of
    its linked terms lit, and its summary said "13 linked terms"."""
    open_graph(page, real_site)
    page.uncheck("input[name=kind][value=related]")
    page.uncheck("input[name=kind][value=mentions]")
    page.fill(".lx-graph-tools input[name=find]", "Dropout")
    page.keyboard.press("Enter")
    page.wait_for_function(f"{EX}.selected === 'dropout'")
    edges = glossary.graph.edges(keys=True)
    every = {v if u == "dropout" else u for u, v, _ in edges if "dropout" in (u, v)}
    needs = sorted({v if u == "dropout" else u for u, v, kind in edges
                    if kind == "prerequisite" and "dropout" in (u, v)})
    assert 0 < len(needs) < len(every)
    assert page.evaluate(LIT) == [needs, f"{len(needs)} of {len(every)} linked terms shown"]
    # A kind ticked again lights its terms again, at once.
    page.check("input[name=kind][value=related]")
    page.check("input[name=kind][value=mentions]")
    assert page.evaluate(LIT) == [sorted(every), f"{len(every)} linked terms"]
    # In 3D the summary counts the same (the view does not dim terms).
    page.uncheck("input[name=kind][value=related]")
    page.uncheck("input[name=kind][value=mentions]")
    page.click(".lx-graph-modes button[data-mode='3d']")
    page.wait_for_function("document.querySelector('.lx-graph[data-3d=ready]') !== null")
    assert page.locator(".lx-graph-info__meta").text_content().endswith(
        f" · {len(needs)} of {len(every)} linked terms shown")
    assert sorted(page.evaluate(f"Object.keys({EX}.near)")) == needs


def test_an_address_with_filters_says_what_they_leave(page, real_site: Path,
                                                      glossary: Glossary) -> None:
    """Filters in the address that leave no term drew an empty graph with the pointing hint;
    a term to focus on that they hide was shown in the panel but not in the graph."""
    domains = {d for t in glossary.terms.values() for d in t.domains}
    empty = next((d, level) for d in sorted(domains) for level in ("beginner", "advanced")
                 if not any(d in t.domains and t.difficulty == level
                            for t in glossary.terms.values()))
    open_graph(page, real_site, f"?domain={empty[0]}&difficulty={empty[1]}")
    assert page.locator(".lx-graph-info").text_content() == (
        "No term has this domain and difficulty: choose “All” in one of them.")
    # Said in the view too: on a phone the panel is below the first screen.
    assert page.evaluate("getComputedStyle(document.querySelector('.lx-graph-stage'), '::after')"
                         ".content") == '"No term has this domain and difficulty."'
    outside = next(s for s, t in sorted(glossary.terms.items()) if empty[0] not in t.domains)
    open_graph(page, real_site, f"?domain={empty[0]}&focus={outside}")
    page.wait_for_function(f"{EX}.selected === '{outside}'")
    assert page.locator(".lx-graph-info__title a").text_content() == glossary.terms[outside].title
    assert page.evaluate(f"{EX}.shown['{outside}']") is True
    assert page.input_value(".lx-graph-tools select[name=domain]") == ""
    assert "domain=" not in page.url


def test_an_address_value_the_graph_does_not_have_is_said_and_dropped(
        page, real_site: Path, glossary: Glossary) -> None:
    """?domain=bogus or a renamed term in ?focus= showed the whole graph with no word said,
    and stayed in the address to be shared again."""
    advanced = sum(t.difficulty == "advanced" for t in glossary.terms.values())
    open_graph(page, real_site, "?domain=bogus&difficulty=advanced&focus=old-name&colour=x")
    assert page.text_content(".lx-graph-tools output[name=count]") == (
        "No domain \u201cbogus\u201d nor colour \u201cx\u201d nor term \u201cold-name\u201d here: "
        f"{advanced} of {len(glossary.terms)} terms.")
    assert page.evaluate(f"{EX}.selected") is None
    assert page.url.endswith("/graph/?difficulty=advanced")
    page.select_option(".lx-graph-tools select[name=difficulty]", "")
    assert page.text_content(".lx-graph-tools output[name=count]") == f"{len(glossary.terms)} terms"


def test_search_focuses_a_term_and_keyboard_opens_it(page, real_site: Path) -> None:
    base = open_graph(page, real_site)
    page.fill(".lx-graph-tools input[name=find]", "lstm")
    page.keyboard.press("Enter")
    assert page.evaluate(f"{EX}.selected") == "lstm"
    assert page.locator(".lx-graph-info__title a").text_content() == "LSTM"
    page.wait_for_function(f"{EX}.renderer.getCamera().ratio < 0.5")  # zoomed in on it
    assert page.evaluate("document.activeElement.classList.contains('lx-graph-stage')")
    page.keyboard.press("ArrowRight")
    moved = page.evaluate(f"{EX}.selected")
    assert moved and moved != "lstm"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{base}terms/{moved}/"


@pytest.mark.parametrize(("query", "slug"), [("BN", "batch-normalization"),
                                             ("rectifier", "relu")])
def test_find_knows_a_term_by_its_other_names(page, real_site: Path, query: str,
                                              slug: str) -> None:
    open_graph(page, real_site)
    page.fill(".lx-graph-tools input[name=find]", query)  # (the suggestions fill on focus)
    assert page.locator(f"#lx-graph-titles option[value='{query}']").count() == 1
    page.keyboard.press("Enter")
    assert page.evaluate(f"{EX}.selected") == slug


@pytest.mark.parametrize(("query", "slug"), [
    ("Layer normalisation", "layer-normalization"), ("LSTMs", "lstm"),
    ("bias variance tradeoff", "bias-variance-tradeoff")])
def test_find_reads_names_as_the_site_search_does(page, real_site: Path, query: str,
                                                  slug: str) -> None:
    """British spellings, plurals and hyphens found nothing though the site's search finds
    them (a reader's test); and a search that found nothing left the last term found
    selected, as if it were the answer."""
    open_graph(page, real_site)
    find = page.locator(".lx-graph-tools input[name=find]")
    find.fill(query)
    find.press("Enter")
    assert page.evaluate(f"{EX}.selected") == slug
    find.fill("no such thing")
    find.press("Enter")
    assert page.evaluate(f"{EX}.selected") is None
    assert page.locator(".lx-graph-info").text_content() == "No term matches “no such thing”."
    # Said at the box too (on a phone the panel is a screen below it), until it is changed.
    assert find.evaluate("e => e.validationMessage") == "No term matches “no such thing”."
    assert page.evaluate("document.activeElement.name") == "find"
    find.press("Backspace")
    assert find.evaluate("e => e.validationMessage") == ""
    # A misspelling is offered the term it is nearest to, as the site search offers it.
    find.fill("vanshing")
    find.press("Enter")
    said = "No term matches “vanshing”. Did you mean Vanishing gradient?"
    assert page.locator(".lx-graph-info").text_content() == said
    assert find.evaluate("e => e.validationMessage") == said
    page.click(".lx-graph-info__offer")
    assert page.evaluate(f"{EX}.selected") == "vanishing-gradient"
    assert find.input_value() == "Vanishing gradient"


def test_text_version_lists_every_term_with_its_neighbours(page, real_site: Path,
                                                           glossary: Glossary) -> None:
    open_graph(page, real_site)
    page.click(".lx-graph-text summary")
    page.wait_for_selector(".lx-graph-list__terms > li")  # built on the toggle event
    items = page.locator(".lx-graph-list__terms > li")
    assert items.count() == len(glossary.terms)
    lstm = items.filter(has=page.locator("> a", has_text="LSTM")).first
    needs = lstm.locator("dt", has_text="Needs").locator("xpath=following-sibling::dd[1]/a")
    expected = sorted(glossary.terms[s].title for s in glossary.terms["lstm"].prerequisites)
    assert sorted(needs.all_text_contents()) == expected


def test_3d_mode_renders_and_a_word_opens_its_term(page, real_site: Path,
                                                   glossary: Glossary) -> None:
    base = open_graph(page, real_site)
    page.click(".lx-graph-modes button[data-mode='3d']")
    page.wait_for_function("document.querySelector('.lx-graph[data-3d=ready]') !== null")
    assert page.locator(".lx-graph-stage").is_hidden() and "mode=3d" in page.url
    # Polled: the camera's first fit is animated, and on a loaded machine it takes a while
    # before the graph fills the view.
    page.wait_for_function("""() => {
      const view = document.querySelector('.lx-graph-stage3d').lexigraph3d;
      const r = view.fg.renderer();
      r.render(view.fg.scene(), view.fg.camera());
      const gl = r.getContext(), w = gl.drawingBufferWidth, h = gl.drawingBufferHeight;
      const px = new Uint8Array(w * h * 4);
      gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
      let ink = 0;
      for (let i = 0; i < px.length; i += 4) {
        if (Math.abs(px[i] - px[0]) + Math.abs(px[i + 1] - px[1]) + Math.abs(px[i + 2] - px[2]) > 60) ink++;
      }
      return ink > 2000;  // spheres and links, drawn by WebGL
    }""")
    page.select_option(".lx-graph-tools select[name=domain]", "sequence-models")
    expected = sorted(s for s, t in glossary.terms.items() if "sequence-models" in t.domains)
    # The filter reaches the 3D objects on the view's next frame.
    page.wait_for_function("""(expected) => JSON.stringify(document.querySelector(
      '.lx-graph-stage3d').lexigraph3d.fg.graphData().nodes
      .filter((n) => n.__threeObj && n.__threeObj.visible).map((n) => n.id).sort())
      === JSON.stringify(expected)""", arg=expected)
    words = page.locator(".lx-graph-stage3d .lx-word:not([hidden])")
    assert 0 < words.count() <= len(glossary.terms)
    x, y, href = page.evaluate("""() => [...document.querySelectorAll(
        '.lx-graph-stage3d .lx-word:not([hidden])')].map((w) => {
          const r = w.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2, w];
        }).filter(([x, y, w]) => document.elementFromPoint(x, y) === w)  // (not under another)
        .map(([x, y, w]) => [x, y, w.href])[0]""")
    with page.expect_navigation():
        page.mouse.click(x, y)
    assert page.url == href and href.startswith(base + "terms/")


def test_a_focused_term_is_centred_in_3d_too_and_leaves_the_address_once_left(
        page, real_site: Path) -> None:
    """?focus=lstm&mode=3d chose LSTM before the 3D view existed, and the camera never went to
    it (off screen on a phone); the address kept focus=lstm after other terms were chosen."""
    open_graph(page, real_site, "?focus=lstm&mode=3d")
    page.wait_for_function("document.querySelector('.lx-graph[data-3d=ready]') !== null")
    where = """() => {
      const view = document.querySelector('.lx-graph-stage3d').lexigraph3d, camera = view.fg.camera();
      const node = view.fg.graphData().nodes.find((n) => n.id === 'lstm');
      const p = new camera.position.constructor(node.x, node.y, node.z).project(camera);
      return Math.max(Math.abs(p.x), Math.abs(p.y));
    }"""
    page.wait_for_function(f"({where})() < 0.2")  # (after the camera's flight)
    page.fill(".lx-graph-tools input[name=find]", "gru")
    page.keyboard.press("Enter")
    page.wait_for_function(f"{EX}.selected === 'gru'")
    assert "focus=" not in page.url and "mode=3d" in page.url


def test_the_3d_view_works_from_the_keyboard(page, real_site: Path, glossary: Glossary) -> None:
    """The 3D view took no key: its names were out of the tab order and the view itself could
    not be focused, so a keyboard reader could only leave it."""
    base = open_graph(page, real_site)
    page.click(".lx-graph-modes button[data-mode='3d']")
    page.wait_for_function("document.querySelector('.lx-graph[data-3d=ready]') !== null")
    page.keyboard.press("Tab")  # from the 3D button, the next stop is the view
    assert page.evaluate("document.activeElement.classList.contains('lx-graph-stage3d')")
    view = "document.querySelector('.lx-graph-stage3d').lexigraph3d"
    centred = f"""(id) => {{ const p = {view}.toScreen(id), box = {view}.box;
      return p !== null && Math.abs(p.x / box.clientWidth - 0.5) < 0.1
                        && Math.abs(p.y / box.clientHeight - 0.5) < 0.1; }}"""
    page.keyboard.press("ArrowRight")  # nothing chosen yet: the most central term
    first = page.evaluate(f"{EX}.ids.reduce((a, b) => {EX}.nodes[b].pagerank > {EX}.nodes[a].pagerank ? b : a)")
    assert page.evaluate(f"{EX}.selected") == first
    page.wait_for_function(centred, arg=first)  # the view turned to it
    chosen = page.locator(".lx-graph-stage3d .lx-word--chosen")
    assert chosen.text_content() == glossary.terms[first].title and chosen.is_visible()
    assert page.locator(".lx-graph-info__title a").text_content() == glossary.terms[first].title
    # The next term to the right of it, as the view shows them at the moment of the key (in
    # one turn of the page's script: the view may still be settling, and with two terms
    # nearly as near, one moment's nearest was not the next's).
    right, selected = page.evaluate(f"""(first) => {{
      const from = {view}.toScreen(first); let best = null, score = Infinity;
      for (const id of {EX}.ids) {{
        const q = {view}.toScreen(id);
        if (id === first || !q) continue;
        const along = q.x - from.x, across = Math.abs(q.y - from.y);
        if (along > 0 && across <= along * 1.5 && along + 2 * across < score) {{
          score = along + 2 * across; best = id; }}
      }}
      document.activeElement.dispatchEvent(new KeyboardEvent("keydown",
        {{ key: "ArrowRight", bubbles: true, cancelable: true }}));
      return [best, {EX}.selected]; }}""", first)
    assert right is not None and selected == right
    page.wait_for_function(centred, arg=right)
    distance = f"{view}.fg.camera().position.distanceTo({view}.fg.controls().target)"
    before = page.evaluate(distance)
    page.keyboard.press("+")
    page.wait_for_function(f"{distance} < {before} * 0.8")
    page.keyboard.press("Escape")
    assert page.evaluate(f"{EX}.selected") is None
    assert page.locator(".lx-graph-stage3d .lx-word--chosen").count() == 0
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_url(base + f"terms/{first}/")


def test_find_in_3d_hands_the_keys_to_the_3d_view(page, real_site: Path) -> None:
    """Find focused the 2D view, hidden in 3D: the keys stayed in the find box, and → then
    Enter did nothing there. They go to the 3D view, which moves on and opens, as in 2D."""
    base = open_graph(page, real_site, "?mode=3d")
    page.wait_for_function("document.querySelector('.lx-graph[data-3d=ready]') !== null")
    page.fill(".lx-graph-tools input[name=find]", "Forget gate")
    page.keyboard.press("Enter")
    assert page.evaluate(f"{EX}.selected") == "forget-gate"
    assert page.evaluate("document.activeElement.classList.contains('lx-graph-stage3d')")
    for key in ("ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown"):  # (one leads somewhere)
        page.keyboard.press(key)
        moved = page.evaluate(f"{EX}.selected")
        if moved != "forget-gate":
            break
    assert moved and moved != "forget-gate"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{base}terms/{moved}/"


@pytest.mark.parametrize("width", [1280, 390])
def test_3d_names_never_overprint_each_other(page, real_site: Path, width: int) -> None:
    """Every name of the 51 was placed, and "Layer normalization" and "ResNet" printed over
    each other ("LResNetmalization"), as did five others; on a phone names ran past the
    view's edge ("He initial")."""
    page.set_viewport_size({"width": width, "height": 844})
    open_graph(page, real_site, "?mode=3d")
    page.wait_for_function("document.querySelector('.lx-graph[data-3d=ready]') !== null")
    overlaps = """() => {
      const boxes = [...document.querySelectorAll('.lx-graph-stage3d .lx-word:not([hidden])')]
        .map((w) => [w.textContent, w.getBoundingClientRect()]);
      const view = document.querySelector('.lx-graph-stage3d').getBoundingClientRect();
      const out = boxes.filter(([a, p]) => p.left < view.left - 1 || p.right > view.right + 1)
        .map(([a]) => a + ' (cut by the edge)');
      boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
        if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) out.push(a + ' / ' + b);
      }));
      return [boxes.length, out];
    }"""
    for turn in range(3):  # the first view, then turned twice
        page.wait_for_timeout(400)  # (the camera's first fit is animated)
        shown, clashes = page.evaluate(overlaps)
        assert shown >= (10 if width > 400 else 5) and clashes == [], clashes
        stage = page.locator(".lx-graph-stage3d canvas").bounding_box()
        page.mouse.move(stage["x"] + 40, stage["y"] + stage["height"] - 40)
        page.mouse.down()
        page.mouse.move(stage["x"] + 200, stage["y"] + stage["height"] - 60, steps=8)
        page.mouse.up()
    # Zoomed in, names near the edge would run past it.
    page.evaluate("""() => { const view = document.querySelector('.lx-graph-stage3d').lexigraph3d;
      const p = view.fg.camera().position;
      view.fg.cameraPosition({x: p.x * 0.35, y: p.y * 0.35, z: p.z * 0.35}); }""")
    page.wait_for_timeout(800)
    shown, clashes = page.evaluate(overlaps)
    assert shown >= 1 and clashes == [], clashes


def test_a_mouse_drag_from_a_3d_name_orbits_the_view(page, real_site: Path) -> None:
    """A drag that began on a name carried the link off (the browser's link drag) and left
    the view where it was; it orbits the view, and opens nothing."""
    open_graph(page, real_site, "?mode=3d")
    page.wait_for_function("document.querySelector('.lx-graph[data-3d=ready]') !== null")
    camera = ("(() => { const p = document.querySelector('.lx-graph-stage3d').lexigraph3d.fg"
              ".camera().position; return [p.x, p.y, p.z]; })()")
    page.wait_for_function("document.querySelector('.lx-graph-stage3d .lx-word:not([hidden])')")
    x, y = page.evaluate("""() => [...document.querySelectorAll(
        '.lx-graph-stage3d .lx-word:not([hidden])')].map((w) => {
          const r = w.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2, w];
        }).filter(([x, y, w]) => document.elementFromPoint(x, y) === w).map(([x, y]) => [x, y])[0]""")
    before, url = page.evaluate(camera), page.url
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 13):
        page.mouse.move(x + 8 * step, y + 3 * step)
    page.mouse.up()
    page.wait_for_timeout(300)  # time for a navigation, were one started
    assert page.evaluate(camera) != before and page.url == url


def test_the_3d_view_follows_the_light_and_dark_switch(page, real_site: Path) -> None:
    """Its background was chosen once, when it opened: switched to dark, the page went dark
    around a light view."""
    open_graph(page, real_site, "?mode=3d")
    page.wait_for_function("document.querySelector('.lx-graph[data-3d=ready]') !== null")
    background = ("document.querySelector('.lx-graph-stage3d').lexigraph3d.fg"
                  ".backgroundColor()")
    for scheme, colour in (("slate", "#1e2129"), ("default", "#f7f7fa")):
        page.locator("form[data-md-component=palette] label:visible").click()  # Material's switch
        page.wait_for_function(f"document.body.dataset.mdColorScheme === '{scheme}'")
        page.wait_for_function(f"{background} === '{colour}'")


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)], ids=["1280x800", "390x844"])
def test_names_never_overprint_each_other_and_the_summary_is_in_the_first_screen(
        browser, watch, real_site: Path, size: tuple[int, int]) -> None:
    """Sigma shows a name per cell of a grid, and names in neighbouring cells overprinted each
    other ("Learning rate" over "Regularization"); at 1280x800 the view pushed the summary of
    the term pointed at below the window (a reader's test)."""
    with watched_page(browser, watch, viewport={"width": size[0], "height": size[1]}) as page:
        open_graph(page, real_site)
        page.wait_for_function(f"{EX}.drawnLabels && {EX}.drawnLabels.length >= 8")
        boxes = page.evaluate(f"{EX}.drawnLabels")
        overlaps = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                    if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
        assert overlaps == []
        if size[0] > 1000:
            assert page.evaluate("document.querySelector('.lx-graph-info')"
                                 ".getBoundingClientRect().top") < size[1] - 40


def test_back_to_2d_removes_the_3d_view(page, real_site: Path) -> None:
    open_graph(page, real_site, "?mode=3d")
    page.wait_for_function("document.querySelector('.lx-graph[data-3d=ready]') !== null")
    page.click(".lx-graph-modes button[data-mode='2d']")
    assert page.locator(".lx-graph-stage3d").count() == 0
    assert page.locator(".lx-graph-stage").is_visible() and "mode=3d" not in page.url


def test_term_page_has_a_clickable_local_graph_and_learning_path(page, real_site: Path,
                                                                 glossary: Glossary) -> None:
    base = serve(real_site)
    page.goto(base + "terms/lstm/")
    figure = page.locator("figure.lx-local-graph")
    data = json.loads(figure.get_attribute("data-lx-local-graph"))
    svg = figure.locator("svg.lx-map")
    assert svg.locator("circle.lx-map-dot").count() == len(data["nodes"])
    links = svg.locator("a")
    assert links.count() == len(data["nodes"]) - 1
    assert svg.locator("[aria-current=page] text").text_content() == "LSTM"
    steps = page.locator(".lx-path ol li").all_text_contents()
    assert steps == [glossary.terms[s].title for s in learning_path(glossary.graph, "lstm",
                                                                     glossary.dag)]
    target = links.nth(0)
    href = target.get_attribute("href")
    target.click()
    # (Waiting for this address, not for the first navigation event: under instant
    # navigation one came while the address was still this page's, once in a full run.)
    page.wait_for_url(base + "terms/" + href.removeprefix("../"))
    page.wait_for_selector("figure.lx-local-graph svg")  # drawn again on the next page
    # The whole graph opens centred on the term whose map it was.
    term = page.locator("article h1").first.text_content().rstrip("¶")
    with page.expect_navigation():
        page.click("a.lx-graph-open")
    # (The stage first: its page may still be coming in, and a test of its explorer on no
    # element threw, once in a full run.)
    page.wait_for_selector(".lx-graph-stage", state="attached")
    page.wait_for_function(f"{EX} && {EX}.selected")
    assert page.locator(".lx-graph-info__title a").text_content() == term


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("slug", ["adam", "vanishing-gradient", "relu", "lstm"])
def test_concept_map_is_reached_nearest_first_with_targets_of_24_px(page, real_site: Path,
                                                                    slug: str, width: int) -> None:
    """WCAG 2.4.3 and 2.5.8: the term's neighbours come before theirs (to a screen reader);
    every term's link is at least 24 CSS px across (a dot alone is 6 to 10), with a visible
    ring on focus."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(serve(real_site) + f"terms/{slug}/")
    page.locator("svg.lx-map a").first.wait_for()
    rings = page.eval_on_selector_all(
        "svg.lx-map a", "links => links.map(a => a.classList.contains('lx-map-node--d1') ? 1 : 2)")
    assert rings == sorted(rings) and rings.count(1) >= 5
    # 24 px across, or as far as half the way to the nearest other term allows; pointing at
    # any term's dot reaches that term, not a neighbour's target drawn over it.
    found = page.evaluate("""() => {
      const map = document.querySelector('svg.lx-map'), out = [];
      for (const a of map.querySelectorAll('a')) {
        a.querySelector('.lx-map-hit').scrollIntoView({block: 'center', inline: 'center'});
        const dots = [...map.querySelectorAll('.lx-map-dot')].map(d => d.getBoundingClientRect());
        const hit = a.querySelector('.lx-map-hit').getBoundingClientRect();
        const x = hit.left + hit.width / 2, y = hit.top + hit.height / 2;
        const room = Math.min(...dots.map(d => Math.hypot(d.left + d.width / 2 - x,
                                                          d.top + d.height / 2 - y))
                                   .filter(g => g > 0.5));
        const under = document.elementFromPoint(x, y);
        out.push([a.getAttribute('href'), hit.width, room, under && under.closest('a') === a]);
      }
      return out; }""")
    assert len(found) == len(rings)
    assert [f for f in found if f[1] < min(24, f[2]) - 0.5] == []   # big enough, or spaced
    assert [f[0] for f in found if not f[3]] == []
    first = page.locator("svg.lx-map a").first
    first.focus()
    ring = first.locator(".lx-map-hit").evaluate(
        "c => [getComputedStyle(c).stroke, parseFloat(getComputedStyle(c).strokeWidth)]")
    assert ring[0] not in ("none", "") and ring[1] >= 2


#: The concept map's shown labels: their boxes on screen, and the SVG's.
MAP_LABELS = """() => {
  const svg = document.querySelector('svg.lx-map'), r = svg.getBoundingClientRect();
  const shown = [...svg.querySelectorAll('text')].filter((t) => getComputedStyle(t).display !== 'none');
  return {svg: [r.left, r.top, r.right, r.bottom], hidden: svg.querySelectorAll('text').length - shown.length,
          labels: shown.map((t) => { const b = t.getBoundingClientRect();
                                     return [t.textContent, b.left, b.top, b.right, b.bottom]; })};
}"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("slug", ["vanishing-gradient", "relu", "backpropagation"])
def test_concept_map_labels_neither_overlap_nor_leave_the_picture(page, real_site: Path,
                                                                  slug: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(serve(real_site) + f"terms/{slug}/")
    page.locator("svg.lx-map").wait_for()
    found = page.evaluate(MAP_LABELS)
    left, top, right, bottom = found["svg"]
    labels = found["labels"]
    assert len(labels) >= 10
    for text, x0, y0, x1, y1 in labels:
        assert left - 1 <= x0 and x1 <= right + 1 and top - 1 <= y0 and y1 <= bottom + 1, text
    clashes = [(a[0], b[0]) for i, a in enumerate(labels) for b in labels[i + 1:]
               if a[1] < b[3] - 1 and b[1] < a[3] - 1 and a[2] < b[4] - 1 and b[2] < a[4] - 1]
    assert clashes == []
    # Across the phone breakpoint (other type sizes) the labels are placed again.
    def resize(to: int) -> None:  # and wait for the map drawn anew (the old one is marked)
        page.evaluate("document.querySelector('svg.lx-map').dataset.old = '1'")
        page.set_viewport_size({"width": to, "height": 900})
        page.wait_for_function("n => { const m = document.querySelector('svg.lx-map');"
                               " return m && !m.dataset.old && m.querySelectorAll('text').length"
                               " === n && m.getBoundingClientRect().width > 0; }",
                               arg=len(labels) + found["hidden"])

    resize(390 if width > 390 else 1280)
    again = page.evaluate(MAP_LABELS)["labels"]
    assert [(a[0], b[0]) for i, a in enumerate(again) for b in again[i + 1:]
            if a[1] < b[3] - 1 and b[1] < a[3] - 1 and a[2] < b[4] - 1 and b[2] < a[4] - 1] == []
    resize(width)
    if found["hidden"]:  # a quiet label shows when its term is focused
        quiet = page.locator("svg.lx-map .lx-map-node--quiet").first
        quiet.focus()
        assert quiet.locator("text").is_visible()


#: The elements the Tab key stops at just before a term page's concept map and just after it.
NEIGHBOURS_OF_MAP = """() => {
  const figure = document.querySelector('figure.lx-local-graph');
  const stops = [...document.querySelectorAll('a[href], button, input, [tabindex]')].filter((e) =>
    e.tabIndex >= 0 && !e.closest('.md-sidebar, .md-header, figure.lx-local-graph, [hidden]')
    && e.getClientRects().length);
  const before = stops.filter((e) => figure.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_PRECEDING);
  const after = stops.filter((e) => figure.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING);
  before.at(-1).dataset.lxTest = 'before';
  after[0].dataset.lxTest = 'after';
}"""
#: The map's keys work once a term of it has been focused (local-graph-use.js has loaded).
MAP_IN_USE = "window.lexigraphMapUse === true"
SLUGS = "links => links.map(a => lexigraphPreviews.slugOf(a))"
#: The focused element: in the map (its term's slug and its target's centre on screen), or not.
FOCUSED = """() => {
  const a = document.activeElement, hit = a.closest('svg.lx-map') && a.querySelector('.lx-map-hit');
  if (!hit) return {inMap: false, test: a.dataset.lxTest || null};
  const r = hit.getBoundingClientRect();
  return {inMap: true, test: null, slug: lexigraphPreviews.slugOf(a), href: a.getAttribute('href'),
          x: r.left + r.width / 2, y: r.top + r.height / 2,
          stops: [...document.querySelectorAll('svg.lx-map a')].filter((b) => b.tabIndex === 0).length};
}"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("slug", ["relu", "lstm"])
def test_the_concept_map_is_one_tab_stop(page, real_site: Path, slug: str, width: int) -> None:
    """Each of the map's ~29 terms was a stop of the Tab key (29 presses between the learning
    path and the keywords on ReLU's page). The map is one stop: Tab enters it and the next
    Tab leaves it; back with Shift+Tab, it comes back to the term focused last."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(serve(real_site) + f"terms/{slug}/")
    page.locator("svg.lx-map a").first.wait_for()
    page.evaluate(NEIGHBOURS_OF_MAP)
    page.focus("[data-lx-test=before]")
    inside, presses = [], 0
    while page.evaluate(FOCUSED)["test"] != "after" and presses < 40:
        page.keyboard.press("Tab")
        presses += 1
        focused = page.evaluate(FOCUSED)
        if focused["inMap"]:
            inside.append(focused["slug"])
    assert presses == 2 and len(inside) == 1, (presses, inside)
    first = page.eval_on_selector("svg.lx-map a", "a => lexigraphPreviews.slugOf(a)")
    assert inside == [first]
    page.keyboard.press("Shift+Tab")
    page.wait_for_function(MAP_IN_USE)
    page.keyboard.press("End")  # another term than the first
    last = page.evaluate(FOCUSED)
    assert last["inMap"] and last["slug"] != first and last["stops"] == 1
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["test"] == "after"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED)["slug"] == last["slug"]
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED)["test"] == "before"


@pytest.mark.parametrize("width", [1280, 390])
def test_arrow_keys_move_to_the_nearest_term_in_their_direction(page, real_site: Path,
                                                                width: int) -> None:
    """Within the map the arrow keys move the focus (and the map's one Tab stop) to a term on
    that side of the focused one, without scrolling the page; Home and End go to the first
    and last term, and Enter opens the focused one."""
    page.set_viewport_size({"width": width, "height": 900})
    base = serve(real_site)
    page.goto(base + "terms/relu/")
    page.locator("svg.lx-map a").first.wait_for()
    page.locator("svg.lx-map a").first.scroll_into_view_if_needed()
    page.focus("svg.lx-map a[tabindex='0']")
    page.wait_for_function(MAP_IN_USE)
    scrolled = page.evaluate("scrollY")
    at = page.evaluate(FOCUSED)
    seen = {at["slug"]}
    for key in ["ArrowDown", "ArrowRight", "ArrowDown", "ArrowLeft", "ArrowLeft", "ArrowUp",
                "ArrowDown", "ArrowRight"]:
        page.keyboard.press(key)
        now = page.evaluate(FOCUSED)
        assert now["inMap"] and now["stops"] == 1
        if now["slug"] == at["slug"]:  # nothing that way: the focus stays
            continue
        ahead = {"ArrowDown": now["y"] - at["y"], "ArrowUp": at["y"] - now["y"],
                 "ArrowRight": now["x"] - at["x"], "ArrowLeft": at["x"] - now["x"]}[key]
        across = abs(now["x"] - at["x"] if key in ("ArrowDown", "ArrowUp") else now["y"] - at["y"])
        assert ahead > 0 and across <= 1.5 * ahead, (key, at, now)
        at = now
        seen.add(at["slug"])
    assert len(seen) >= 5
    assert page.evaluate("scrollY") == scrolled
    slugs = page.eval_on_selector_all("svg.lx-map a", SLUGS)
    page.keyboard.press("End")
    assert page.evaluate(FOCUSED)["slug"] == slugs[-1]
    page.keyboard.press("Home")
    assert page.evaluate(FOCUSED)["slug"] == slugs[0]
    page.keyboard.press("ArrowDown")
    # The keyboard's focus: a ring thicker than the pointer's.
    assert page.evaluate("parseFloat(getComputedStyle("
                         "document.activeElement.querySelector('.lx-map-hit')).strokeWidth)") >= 3
    target = page.evaluate(FOCUSED)["href"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == base + "terms/" + target.removeprefix("../")


def test_a_term_focused_in_the_map_keeps_the_focus_when_the_map_is_drawn_again(
        page, real_site: Path) -> None:
    """Across the phone breakpoint (a window narrowed, a page zoomed in) the map is drawn
    anew: the focus fell to the top of the page. It stays on the same term, the map's stop."""
    page.goto(serve(real_site) + "terms/relu/")
    page.locator("svg.lx-map a").first.wait_for()
    page.focus("svg.lx-map a[tabindex='0']")
    page.wait_for_function(MAP_IN_USE)
    page.keyboard.press("End")
    slug = page.evaluate(FOCUSED)["slug"]
    page.evaluate("document.querySelector('svg.lx-map').dataset.old = '1'")
    page.set_viewport_size({"width": 390, "height": 900})
    page.wait_for_function("() => { const m = document.querySelector('svg.lx-map');"
                           " return m && !m.dataset.old; }")
    focused = page.evaluate(FOCUSED)
    assert focused["inMap"] and focused["slug"] == slug and focused["stops"] == 1
    assert page.get_attribute(f"svg.lx-map a[data-lx-term][href$='/{slug}/']", "tabindex") == "0"


def test_a_map_term_is_named_and_previewed_as_every_term_link(page, real_site: Path,
                                                              glossary: Glossary) -> None:
    """Map terms showed only the browser's tooltip (their title); the other links to terms
    show the term's summary on hover and focus. Focused or pointed at, a map term shows the
    same preview, whether the page's preview data holds the term (ReLU's prerequisites) or
    not (terms two links away: the term's own page is read, the page is not made heavier,
    and the code that reads it loads once a reader uses the map). The map says how the
    keyboard moves in it; each term is named by its whole title."""
    requested: list[str] = []
    page.on("request", lambda r: requested.append(urlsplit(r.url).path.rsplit("/", 1)[-1]))
    page.goto(serve(real_site) + "terms/relu/")
    page.locator("svg.lx-map a").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert "local-graph.js" in requested and "local-graph-use.js" not in requested
    assert "arrow keys" in page.get_attribute("svg.lx-map", "aria-label").lower()
    names = page.eval_on_selector_all("svg.lx-map a", """ls => ls.map(a => [
        lexigraphPreviews.slugOf(a), a.getAttribute('aria-label'), a.querySelectorAll('title').length])""")
    assert [(s, glossary.terms[s].title, 0) for s, _, _ in names] == [tuple(n) for n in names]
    data = page.evaluate("""() => Object.keys(JSON.parse(
        document.querySelector('template.lx-previews').content.textContent))""")
    rows = set(page.eval_on_selector_all(".lx-related a[data-lx-term], .lx-backlinks a[data-lx-term]",
                                         SLUGS))
    held = next(s for s, _, _ in names if s in data)
    listed = next(s for s, _, _ in names if s not in data and s in rows)
    fetched = [s for s, _, _ in names if s not in data and s not in rows]
    assert len(fetched) >= 2
    read: list[str] = []
    page.on("request", lambda r: read.append(r.url.rstrip("/").rsplit("/", 1)[-1])
            if r.resource_type == "fetch" and "/terms/" in r.url else None)
    preview = page.locator(".lx-preview[role=tooltip]")

    def shown(slug: str) -> None:
        link = page.locator(f"svg.lx-map a[data-lx-term][href$='/{slug}/']")
        preview.wait_for()
        term = glossary.terms[slug]
        title = term.title + term.difficulty.capitalize()  # (and the difficulty's badge)
        assert preview.locator("strong").text_content() == title
        assert preview.locator("span").last.text_content() == term.summary
        assert link.get_attribute("aria-describedby") == "lx-preview"

    for slug in (held, listed, fetched[0]):
        page.focus(f"svg.lx-map a[data-lx-term][href$='/{slug}/']")
        shown(slug)
        page.keyboard.press("Escape")
        assert preview.count() == 0
    page.mouse.move(0, 0)
    page.locator(f"svg.lx-map a[data-lx-term][href$='/{fetched[-1]}/'] .lx-map-hit").hover()
    shown(fetched[-1])
    assert read == [fetched[0], fetched[-1]]  # only what the page does not hold
    # Focus moved by the arrow keys brings the preview of each term it reaches (the pointer
    # away first: its term's preview is not the one asked for).
    page.mouse.move(0, 0)
    preview.wait_for(state="detached")
    page.focus("svg.lx-map a[tabindex='0']")
    page.wait_for_function(MAP_IN_USE)
    active = "lexigraphPreviews.slugOf(document.activeElement)"
    before = page.evaluate(active)
    for key in ("ArrowDown", "ArrowUp", "ArrowRight", "ArrowLeft"):  # (one leads somewhere)
        page.keyboard.press(key)
        if page.evaluate(active) != before:
            break
    assert page.evaluate(active) != before
    shown(page.evaluate(active))


def test_graph_survives_instant_navigation(page, real_site: Path) -> None:
    base = serve(real_site)
    instant_navigation(page, base)
    page.goto(base)
    instant_ready(page)
    page.evaluate("window.lxSamePage = true")  # gone if a click loads the whole page
    page.locator("a.md-nav__link:visible", has_text="Concept graph").first.click()
    page.wait_for_function(READY)  # Material swapped the content in; graph.js ran again
    page.go_back()
    page.wait_for_function("!document.querySelector('.lx-graph')")
    page.go_forward()
    page.wait_for_function(READY)
    assert page.evaluate(f"{EX}.graph.order") > 0
    assert page.locator(".lx-graph-stage canvas").count() == page.evaluate(
        f"Object.keys({EX}.renderer.getCanvases()).length")
    assert page.evaluate("window.lxSamePage") is True


def test_term_pages_load_the_small_map_renderer_never_the_explorer(page, real_site: Path,
                                                                   glossary: Glossary) -> None:
    """Issue 7: a term page's own weight. The explorer's code comes with graph/ only."""
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(urlsplit(r.url).path.rsplit("/", 1)[-1]))
    base = serve(real_site)
    instant_navigation(page, base)
    page.goto(base + "terms/")
    instant_ready(page)
    page.evaluate("window.lxSamePage = true")  # gone if a click loads the whole page
    assert "local-graph.js" not in fetched  # the A–Z index has no concept map

    def map_of(title: str) -> None:  # the URL changes before Material swaps the content
        page.wait_for_function("(title) => { const t = document.querySelector("
                               "'figure.lx-local-graph svg.lx-map [aria-current=page] text');"
                               " return t !== null && t.textContent === title; }", arg=title)

    page.click(".lx-terms li[data-slug=lstm] a")  # instant navigation: the loader fetches the map
    page.wait_for_url("**/terms/lstm/")
    map_of("LSTM")
    page.click(".lx-related a[data-lx-term][href$='/gru/']")  # and draws the next page's map with it
    page.wait_for_url("**/terms/gru/")
    map_of(glossary.terms["gru"].title)
    assert page.locator("svg.lx-map a").count() > 0
    assert page.evaluate("window.lxSamePage") is True
    page.wait_for_load_state("networkidle")
    assert fetched.count("local-graph.js") == 1
    assert "graph.js" not in fetched and "graph.css" not in fetched

    page.locator("a.md-nav__link:visible", has_text="Concept graph").first.click()
    page.wait_for_function(READY)
    assert "graph.js" in fetched and "graph.css" in fetched
    page.go_back()  # the explorer is stopped, the map drawn again
    page.wait_for_url("**/terms/gru/")
    map_of(glossary.terms["gru"].title)
    assert page.evaluate("window.lxSamePage") is True


def test_in_forced_colours_the_legend_and_the_pressed_view_still_show(browser, watch,
                                                                      real_site: Path) -> None:
    """Windows high contrast painted the legend's dots in the page's colour (gone), and the
    pressed 2D button looked as the 3D one."""
    with watched_page(browser, watch, forced_colors="active") as page:
        open_graph(page, real_site)
        dot = page.locator(".lx-graph-legend .lx-swatch").first
        assert dot.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(78, 121, 167)"  # #4e79a7
        pressed, other = (page.locator(f".lx-graph-modes [data-mode='{m}']") for m in ("2d", "3d"))
        line = "e => getComputedStyle(e).textDecorationLine"
        assert pressed.evaluate(line) == "underline" and other.evaluate(line) == "none"


def test_graph_page_has_no_serious_accessibility_violations(page, real_site: Path) -> None:
    axe = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    assert axe.is_file(), "axe-core is missing: `make setup` runs `npm ci`"
    open_graph(page, real_site)
    page.click(".lx-graph-text summary")
    page.add_script_tag(path=str(axe))

    def serious() -> list:
        result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})")
        return [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]
                if v["impact"] in ("serious", "critical")]

    assert serious() == []
    # The 3D view, a term chosen: its names were links inside a focusable application
    # (nested-interactive).
    page.click(".lx-graph-modes button[data-mode='3d']")
    page.wait_for_function("document.querySelector('.lx-graph[data-3d=ready]') !== null")
    page.focus(".lx-graph-stage3d")
    page.keyboard.press("ArrowRight")
    page.wait_for_selector(".lx-word--chosen")
    assert serious() == []


def test_any_project_gets_the_graph_without_configuration(page, mini_site: Path) -> None:
    """The fixture's mkdocs.yml names no script: the plugin ships and loads everything."""
    base = serve(mini_site)
    page.goto(base + "terms/beta-layer/")
    page.wait_for_selector("figure.lx-local-graph svg.lx-map")
    assert page.locator("svg.lx-map circle.lx-map-dot").count() == 3
    page.goto(base + "graph/")
    page.wait_for_function(READY)
    assert page.evaluate(f"{EX}.graph.order") == 3
