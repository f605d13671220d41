"""The built site in headless Chromium: index filters, letter bar, search, previews.

Every non-loopback request is aborted and asserted absent by the ``page`` fixture, which also
fails a test on any console error.
"""

from __future__ import annotations

from pathlib import Path
import contextlib
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from lexigraph.pipeline import build_glossary

from .conftest import (ROOT, instant_navigation, instant_ready, our_file, search_for, serve,
                       watched_page)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def terms() -> dict:
    return build_glossary(ROOT / "glossary", ROOT / "demos").terms


def visible_slugs(page) -> list[str]:
    return page.eval_on_selector_all(
        ".lx-terms li", "els => els.filter(e => !e.hidden && e.offsetParent !== null)"
        ".map(e => e.dataset.slug)")


def test_filters_change_visible_terms_and_url_and_survive_reload(page, real_site: Path,
                                                                 terms: dict) -> None:
    base = serve(real_site)
    page.goto(base + "terms/")
    assert len(visible_slugs(page)) == len(terms)

    page.select_option("select[name=domain]", "normalization")
    expected = sorted(s for s, t in terms.items() if "normalization" in t.domains)
    assert sorted(visible_slugs(page)) == expected
    assert parse_qs(urlsplit(page.url).query) == {"domain": ["normalization"]}

    page.select_option("select[name=difficulty]", "advanced")
    both = sorted(s for s in expected if terms[s].difficulty == "advanced")
    assert sorted(visible_slugs(page)) == both
    assert page.inner_text(".lx-count") == f"{len(both)} term{'s' if len(both) != 1 else ''}"

    page.reload()
    assert page.input_value("select[name=domain]") == "normalization"
    assert page.input_value("select[name=difficulty]") == "advanced"
    assert sorted(visible_slugs(page)) == both

    page.click("form.lx-filters button[type=reset]")
    page.wait_for_function("document.querySelectorAll('.lx-terms li[hidden]').length === 0")
    assert urlsplit(page.url).query == ""


#: The terms of the A–Z index a reader can see (visibility too: the list waits, hidden).
SEEN = ("() => [...document.querySelectorAll('.lx-terms li')]"
        ".filter(e => e.checkVisibility({visibilityProperty: true})).map(e => e.dataset.slug)")


def hidden_until_filtered(page, held: list, scripts: int, terms: dict) -> None:
    """While the index's ``scripts`` files are held, no term shows; once they come, the
    normalization terms do."""
    page.wait_for_function("document.querySelector('.lx-letter') !== null")
    assert page.evaluate(SEEN) == []  # waiting for the filters, not showing every term
    for _ in range(200):  # until the page has asked for them
        if len(held) == scripts:
            break
        page.wait_for_timeout(50)
    for route in held:
        route.continue_()
    page.wait_for_selector("form.lx-filters[data-lx-ready]", state="attached")
    assert sorted(page.evaluate(SEEN)) == sorted(
        s for s, t in terms.items() if "normalization" in t.domains)


def test_an_address_with_filters_never_shows_the_unfiltered_list(page, real_site: Path,
                                                                  terms: dict) -> None:
    """index.js loads after the page: on a slow connection the whole list showed for a
    second, then shrank to the filtered terms."""
    held: list = []
    page.route(our_file("index.js"), lambda route: held.append(route))
    page.goto(serve(real_site) + "terms/?domain=normalization", wait_until="domcontentloaded")
    hidden_until_filtered(page, held, 1, terms)


def test_a_domains_link_to_the_index_under_instant_navigation_never_shows_the_unfiltered_list(
        page, real_site: Path, terms: dict) -> None:
    """The hiding rule was in index.css, which instant navigation adds after the new page:
    the whole list showed until it came."""
    base = serve(real_site)
    instant_navigation(page, base)
    page.goto(base + "domains/normalization/")
    instant_ready(page)
    held: list = []
    for name in ("index.js", "index.css"):
        page.route(our_file(name), lambda route: held.append(route))
    page.click("article a[href$='?domain=normalization']")
    page.wait_for_url("**/terms/?domain=normalization")
    hidden_until_filtered(page, held, 2, terms)


def test_a_filter_the_index_does_not_have_is_said_and_dropped(page, real_site: Path,
                                                               terms: dict) -> None:
    """?domain=bogus showed every term with no word said, and stayed in the address."""
    page.goto(serve(real_site) + "terms/?domain=bogus&difficulty=advanced")
    page.wait_for_selector("form.lx-filters[data-lx-ready]", state="attached")
    advanced = sum(t.difficulty == "advanced" for t in terms.values())
    assert page.inner_text(".lx-count") == f"No domain \u201cbogus\u201d here: {advanced} terms."
    assert urlsplit(page.url).query == "difficulty=advanced"
    assert len(visible_slugs(page)) == advanced


def test_shared_filtered_url_and_domain_chip(page, real_site: Path, terms: dict) -> None:
    """A domain chip leads to the domain's page, which works without scripts (the A–Z
    index's filters do not); that page leads to the filtered index."""
    base = serve(real_site)
    page.goto(base + "terms/batch-normalization/")
    page.click(".lx-term-head a.lx-chip >> nth=0")
    page.wait_for_url("**/domains/normalization/")
    page.click("article a[href$='?domain=normalization']")
    page.wait_for_url("**/terms/?domain=normalization")
    page.wait_for_function("document.querySelector('select[name=domain]').value === 'normalization'")
    assert sorted(visible_slugs(page)) == sorted(
        s for s, t in terms.items() if "normalization" in t.domains)


def test_letter_bar_jumps_and_marks_empty_letters(page, real_site: Path) -> None:
    base = serve(real_site)
    page.goto(base + "terms/")
    assert page.locator(".lx-letterbar span.lx-disabled", has_text="Q").count() == 1
    page.click(".lx-letterbar a[data-letter=L]")
    page.wait_for_function("location.hash === '#letter-l'")
    assert_heading_below_bar(page, "#letter-l")
    # Filtering can empty a letter: its link is then disabled too, and Tab passes it by (a
    # reader's test met 17 such dead stops in a row).
    page.select_option("select[name=domain]", "sequence-models")
    assert page.get_attribute(".lx-letterbar a[data-letter=A]", "aria-disabled") == "true"
    page.focus(".lx-letterbar a[data-letter=L]")  # (Long-term dependencies, LSTM)
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-disabled')") != "true"
    page.select_option("select[name=domain]", "")
    assert page.get_attribute(".lx-letterbar a[data-letter=A]", "tabindex") is None


def assert_heading_below_bar(page, section: str) -> None:
    """The letter's heading is in view, below the sticky letter bar (not hidden under it)."""
    # Scrolled as far as the section's scroll margin asks, or to the end of the page.
    page.wait_for_function(
        "s => { const e = document.querySelector(s), top = e.getBoundingClientRect().top;"
        " return Math.abs(top - parseFloat(getComputedStyle(e).scrollMarginTop)) < 2"
        " || (top > 0 && Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight); }",
        arg=section)
    bar = page.eval_on_selector(".lx-letterbar", "e => e.getBoundingClientRect().bottom")
    heading = page.eval_on_selector(section + " h2", "e => e.getBoundingClientRect().top")
    assert bar <= heading < page.viewport_size["height"] - 40, (bar, heading)


@pytest.mark.parametrize("width", [1280, 390])
def test_letter_jump_keeps_the_filters_under_instant_navigation(page, real_site: Path,
                                                                 terms: dict, width: int) -> None:
    """On a phone the bar wraps to several rows; with Material's instant navigation a click on
    "#letter-s" was taken for a new page, which dropped the filters from the URL."""
    page.set_viewport_size({"width": width, "height": 844})
    base = serve(real_site)
    instant_navigation(page, base)
    page.goto(base + "terms/?domain=optimization")
    instant_ready(page)
    page.wait_for_function("document.querySelector('.lx-count').textContent.startsWith('"
                           + str(sum("optimization" in t.domains for t in terms.values())) + " ')")
    shown = sorted(visible_slugs(page))
    page.click(".lx-letterbar a[data-letter=S]")
    page.wait_for_function("location.hash === '#letter-s'")
    assert page.evaluate("location.search") == "?domain=optimization"
    assert page.input_value("select[name=domain]") == "optimization"
    assert sorted(visible_slugs(page)) == shown
    assert_heading_below_bar(page, "#letter-s")
    assert page.evaluate("document.activeElement.textContent") == "S"
    page.reload()  # the address holds both: the filter and the letter
    page.wait_for_function("document.querySelector('select[name=domain]').value === 'optimization'")
    assert_heading_below_bar(page, "#letter-s")


#: The title of the search's best result (null: none yet), and the suggestion's text.
FIRST = "document.querySelector('li.md-search-result__item > a article h1')?.textContent ?? null"
OFFER = "document.querySelector('.lx-suggest')?.textContent ?? null"


def settle(page, script: str, expected: object) -> None:
    """Wait a while for ``script`` to give ``expected``; the assertion that follows tells.
    While the query is typed, Material's list (and a suggestion) answer each part of it
    ("constant e") in turn: the full query is answered last."""
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(f"x => ({script}) === x", arg=expected, timeout=5000)


def first_result(page):
    return page.locator("li.md-search-result__item > a article h1").first


#: The words Material marks as missing from its best result (None: no result).
MISSING = ("(() => { const a = document.querySelector('li.md-search-result__item > a');"
           " return a && [...a.querySelectorAll('.md-search-result__terms del')]"
           ".map(d => d.textContent); })()")


#: The query words the listed results matched (their links' ?h=, for Material's highlighting).
MATCHED = ("[...document.querySelectorAll('.md-search-result__list a[href]')]"
           ".flatMap(a => (new URL(a.href).searchParams.get('h') || '').split(' ')).filter(Boolean)")


@pytest.mark.parametrize(("query", "first"), [
    ("relu", "ReLU"), ("rectifier", "ReLU"), ("BN", "Batch normalization"),
    ("vanishing", "Vanishing gradient"), ("skip connection", "Residual connection"),
    ("gradient", "Gradient"),
    # A one-word name over a word of another's alias, a stop word, plurals, British
    # spellings, a keyword (found by a review of the search).
    ("Neuron", "Neuron"), ("He", "He initialization"), ("ReLUs", "ReLU"),
    ("transformers", "Transformer"), ("layer normalisation", "Layer normalization"),
    ("weight initialisation", "Weight initialization"),
    ("constant error carousel", "LSTM"),
    # A name spelt out whole before longer names holding its words, an alias before a title
    # that shares a word with it (a reader's test: 3 of the 98 titles and aliases failed).
    ("Neural network", "Neural network"), ("Deep neural network", "Deep neural network"),
    ("residual network", "ResNet"), ("mini-batch gradient descent", "Stochastic gradient descent"),
    # A keyword in British spelling: search-words.json offered it, no entry held it.
    ("memorisation", "Overfitting"), ("linearisation", "Jacobian matrix"),
])
def test_search_finds_the_named_term_first(page, real_site: Path, query: str, first: str) -> None:
    page.goto(serve(real_site))
    search_for(page, query)
    result = first_result(page)
    result.wait_for()
    settle(page, FIRST, first)
    assert result.inner_text() == first
    # The names' words that rank it (its "tags") are not shown as a row of chips.
    assert page.locator(".md-search-result .md-tag").count() > 0
    assert page.locator(".md-search-result .md-tags").evaluate_all(
        "tags => tags.filter(t => t.getBoundingClientRect().height > 0).length") == 0


@pytest.mark.parametrize(("query", "first", "searched"), [
    # Questions: Material searches each word as a prefix, stop words too, which matched the
    # starts of other terms' names ("a": Adam; "do": double descent, dot product).
    ("what is a gradient", "Gradient", "gradient"),
    ("what is a vanishing gradient", "Vanishing gradient", "vanishing gradient"),
    ("what is a gradient?", "Gradient", "gradient"), ("what does ReLU do?", "ReLU", "relu"),
    ("what is He initialization", "He initialization", "initialization"),
    # ... and a verb: "explode" is no start of "exploding".
    ("why do gradients explode", "Exploding gradient", "gradients explod"),
    # Possessives, as the text writes them and as typed.
    ("ReLU's", "ReLU", "relu"), ("LSTM's", "LSTM", "lstm"), ("LSTM\u2019s", "LSTM", "lstm"),
    # What must still work: a stop word alone, a name's start, a word being typed.
    ("he", "He initialization", "he"), ("batch norm", "Batch normalization", "batch norm"),
    ("vanish", "Vanishing gradient", "vanish"), ("relu", "ReLU", "relu"),
    # Another form of a verb ("exploded" is no start of "exploding" either).
    ("exploded gradients", "Exploding gradient", "explod gradients"),
    # Words joined by a hyphen that a name writes as one ("back" was matched whole, not as a
    # start: Backpropagation came fourth); by a dot, apart.
    ("back-propagation", "Backpropagation", "backpropagation"),
    ("multi-layer perceptron", "Multilayer perceptron", "multilayer perceptron"),
    ("non-linearity", "Activation function", "nonlinearity"),
    ("torch.nn.LSTM", "LSTM", "torch nn lstm"),
    # A word a name or keyword holds as it is keeps its -ed.
    ("weighted sum", "Neuron", "weighted sum"),
    # A derivative's prime typed as an apostrophe (the pages write ′): the term was missing.
    ("tanh'", "Tanh", "tanh"), ("relu'(x)", "ReLU", "relu"),
])
def test_a_question_or_possessive_finds_its_term_first(page, real_site: Path, query: str,
                                                       first: str, searched: str) -> None:
    """The query goes in whole (pasted), so that the first list shown answers it: typed, each
    part of it is answered in turn, and a part ("ReLU" of "ReLU's") may list the same."""
    page.goto(serve(real_site))
    page.keyboard.press("/")
    page.fill("input.md-search__input", query)
    page.keyboard.press("End")  # (Material reads the query on a key going up)
    first_result(page).wait_for()
    assert first_result(page).inner_text() == first
    # The words every result matched (Material's ?h=): only those searched, no stop word.
    assert set(page.evaluate(MATCHED)) <= set(searched.split())
    assert page.input_value("input.md-search__input") == query  # (as the reader typed it)


def test_a_question_in_the_address_is_searched_without_its_stop_words(page,
                                                                      real_site: Path) -> None:
    """?q= opens the search at once: the query goes to the worker as soon as the index is
    ready, maybe before the script that rewrites it has loaded (the query waits for it)."""
    page.goto(serve(real_site) + "?q=what+is+a+vanishing+gradient")
    first_result(page).wait_for()
    assert first_result(page).inner_text() == "Vanishing gradient"
    assert set(page.evaluate(MATCHED)) <= {"vanishing", "gradient"}


def test_queries_wait_for_the_script_that_rewrites_them_or_go_as_typed(page, real_site: Path,
                                                                        watch) -> None:
    """suggest.js loads once the search box is used: a query typed meanwhile waits for it, and
    each goes in its turn (the last typed is answered last); one it cannot load does not hold
    the search up."""
    slow = {"seconds": 1.5}

    def late(route) -> None:
        time.sleep(slow["seconds"])
        route.continue_()

    suggest = our_file("suggest.js")
    page.route(suggest, late)
    page.goto(serve(real_site))
    search_for(page, "what is a gradient")  # typed while suggest.js is on its way
    first_result(page).wait_for()
    settle(page, FIRST, "Gradient")
    assert first_result(page).inner_text() == "Gradient"
    assert set(page.evaluate(MATCHED)) <= {"gradient"}

    watch.allowed_console += ["suggest.js", "net::ERR_FAILED"]
    page.unroute(suggest)
    page.route(suggest, lambda route: route.abort())
    page.goto(serve(real_site) + "about/")  # (a full load: the script is asked for again)
    search_for(page, "vanishing")
    first_result(page).wait_for()
    settle(page, FIRST, "Vanishing gradient")
    assert first_result(page).inner_text() == "Vanishing gradient"


def test_terms_whose_names_match_alike_come_most_central_first(page, real_site: Path) -> None:
    """Every "... gradient" title matches "gradient" alike; PageRank orders them (their pages'
    texts did, by a few millionths of the score: Gradient clipping came second)."""
    page.goto(serve(real_site))
    search_for(page, "gradient")
    titles = ("[...document.querySelectorAll('li.md-search-result__item > a article h1')]"
              ".slice(0, 2).map(h => h.textContent).join(' / ')")
    settle(page, titles, "Gradient / Vanishing gradient")
    assert page.evaluate(titles) == "Gradient / Vanishing gradient"


def test_home_page_search_box_opens_the_search_with_the_query(page, real_site: Path) -> None:
    page.goto(serve(real_site))
    box = page.locator("form.lx-home-search input[type=search]")
    assert box.is_visible()
    box.click()
    page.keyboard.type("rectifier")
    result = page.locator("li.md-search-result__item > a article h1").first
    result.wait_for()
    assert result.inner_text() == "ReLU"
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")


def test_the_home_search_box_is_the_home_pages_alone(page, real_site: Path) -> None:
    """Its rules and script were in lexigraph.css and lexigraph.js, which every term page
    loads (1.7 KB of a term page's 60 KB budget): the home page links its own, and instant
    navigation to it loads them (the box is styled and hands its query over)."""
    home = (real_site / "index.html").read_text(encoding="utf-8")
    term = (real_site / "terms" / "lstm" / "index.html").read_text(encoding="utf-8")
    assert "assets/lexigraph/home.css" in home and "home.css" not in term
    ours = real_site / "assets" / "lexigraph"
    assert "lx-home-search" not in (ours / "lexigraph.css").read_text(encoding="utf-8")
    assert "homeSearch" not in (ours / "lexigraph.js").read_text(encoding="utf-8")
    base = serve(real_site)
    instant_navigation(page, base)
    page.goto(base + "terms/lstm/")
    instant_ready(page)
    page.evaluate("window.lxStayed = true")
    page.click(".md-header__title a, a.md-logo")
    box = page.locator("form.lx-home-search input[type=search]")
    box.wait_for()
    assert page.evaluate("window.lxStayed === true")  # (instant navigation: no page load)
    page.wait_for_function("getComputedStyle(document.querySelector('.lx-home-search')).display === 'flex'")
    box.click()
    page.keyboard.type("rectifier")
    result = page.locator("li.md-search-result__item > a article h1").first
    result.wait_for()
    assert result.inner_text() == "ReLU"


@pytest.mark.parametrize(("query", "fix", "first"), [
    # Nothing found: every word is checked (a swap, a missing letter, one wrong letter).
    ("vanshing", "vanishing", "Vanishing gradient"), ("lstn", "lstm", "LSTM"),
    ("resdual conection", "residual connection", "Residual connection"),
    # Pages found for the other word: the word the best result misses is corrected.
    ("exploding gradeint", "exploding gradient", "Exploding gradient"),
    # Words the query spells right stay as typed, British spellings too; a word it has
    # already is not offered twice.
    ("He initalisation", "He initialisation", "He initialization"),
    ("relu relux", "relu", "ReLU"),
    # A whole word beats the start of a weightier word as near ("bach": back-propagation).
    ("bach normalization", "batch normalization", "Batch normalization"),
    ("laer normalization", "layer normalization", "Layer normalization"),
    # Two names' words written as one, as code does: nothing found, and nothing offered.
    ("LeakyReLU", "leaky relu", "Leaky ReLU"),
    ("batchnormalization", "batch normalization", "Batch normalization"),
    ("leakyrelu relu", "leaky relu", "Leaky ReLU"),  # (not "leaky relu relu")
])
def test_a_misspelt_search_offers_the_nearest_name_and_runs_it(page, real_site: Path, query: str,
                                                               fix: str, first: str) -> None:
    page.goto(serve(real_site))
    search_for(page, query)
    offer = page.locator(".lx-suggest[role=status]")
    settle(page, OFFER, f"Did you mean {fix}?")
    assert offer.inner_text() == f"Did you mean {fix}?"
    # Material found nothing, or marks a word as missing from its best result.
    before = page.evaluate(MISSING)
    assert before is None or before and set(before) <= set(query.lower().split())
    offer.locator("button").click()
    assert page.input_value("input.md-search__input") == fix
    settle(page, FIRST, first)
    assert first_result(page).inner_text() == first
    # (The best result may be the same before Material has answered the fixed query.)
    settle(page, f"JSON.stringify({MISSING})", "[]")
    assert page.evaluate(MISSING) == []
    page.wait_for_selector(f".lx-suggest[data-lx-query='{fix}']", state="attached")
    assert offer.inner_text() == ""
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")


@pytest.mark.parametrize("query", ["exploding gradient matrices", "cnn convolutions",
                                   "relu models", "batch normalization ends"])
def test_a_word_other_results_match_is_not_corrected(page, real_site: Path, query: str) -> None:
    """The best result misses it, but it is a word of the site's text: no typo."""
    page.goto(serve(real_site))
    search_for(page, query)
    # The list answers the full query once a result matches its last word.
    page.wait_for_function(f"w => ({MATCHED}).includes(w)", arg=query.split()[-1])
    page.wait_for_selector(f".lx-suggest[data-lx-query='{query}']", state="attached")
    assert page.evaluate(MISSING)  # the best result misses a word...
    assert page.locator(".lx-suggest").inner_text() == ""  # ...which is no typo


def test_the_offer_waits_for_a_pause_in_typing(page, real_site: Path) -> None:
    """A screen reader reads the live region at each change: while the reader types on after a
    typo, every key would change the offer ("... p?", "... pr?")."""
    page.goto(serve(real_site))
    search_for(page, "vanshing")
    settle(page, OFFER, "Did you mean vanishing?")
    page.evaluate("window.lxOffers = []; new MutationObserver(() => lxOffers.push("
                  "document.querySelector('.lx-suggest').textContent)).observe("
                  "document.querySelector('.lx-suggest'), {childList: true, subtree: true})")
    page.keyboard.type(" gradient descent", delay=100)  # 17 keys, a reader's pace
    settle(page, OFFER, "Did you mean vanishing gradient descent?")
    offers = [o for o in page.evaluate("lxOffers") if o]
    assert offers[-1] == "Did you mean vanishing gradient descent?"
    assert len(offers) <= 3, offers


def test_the_offer_and_the_demo_sliders_are_targets_of_24_px(page, real_site: Path) -> None:
    """WCAG 2.5.8: the offered word was 22 px tall and a slider 16 px (a phone review)."""
    page.goto(serve(real_site))
    search_for(page, "vanshing")
    settle(page, OFFER, "Did you mean vanishing?")
    assert page.locator(".lx-suggest__query").bounding_box()["height"] >= 24
    page.keyboard.press("Escape")
    page.goto(serve(real_site) + "demos/")
    page.wait_for_selector(".lx-demo form.lx-demo__form input[type=range]")
    heights = page.eval_on_selector_all(".lx-demo input[type=range]",
                                        "els => els.map(e => e.getBoundingClientRect().height)")
    assert len(heights) > 20 and min(heights) >= 24


def test_the_reset_button_takes_the_suggestion_away(page, real_site: Path) -> None:
    page.goto(serve(real_site))
    search_for(page, "vanshing")
    settle(page, OFFER, "Did you mean vanishing?")
    page.click("button.md-search__icon[type=reset]")
    page.wait_for_selector(".lx-suggest[data-lx-query='']", state="attached")
    assert page.locator(".lx-suggest").inner_text() == ""


def test_a_suggestion_is_reached_with_the_keyboard_and_goes_as_the_query_is_fixed(
        page, real_site: Path) -> None:
    page.goto(serve(real_site) + "terms/")
    search_for(page, "sigmiod")
    settle(page, OFFER, "Did you mean sigmoid?")
    # Tab reaches the offer in the open dialog (Material's Tab would close it); Shift+Tab and
    # the up arrow go back to the query; Space presses the offer, as Enter does.
    open_ = "document.getElementById('__search').checked"
    on_offer = "document.activeElement.matches('.lx-suggest button')"
    on_query = "document.activeElement.classList.contains('md-search__input')"
    for back in ("Shift+Tab", "ArrowUp"):
        page.keyboard.press("Tab")
        assert page.evaluate(on_offer) and page.evaluate(open_)
        page.keyboard.press(back)
        assert page.evaluate(on_query) and page.evaluate(open_), back
    page.keyboard.press("Tab")
    page.keyboard.press(" ")
    assert page.input_value("input.md-search__input") == "sigmoid"
    settle(page, FIRST, "Sigmoid")
    assert first_result(page).inner_text() == "Sigmoid"
    # A query that finds nothing near any name, and a right one, get no suggestion (once
    # the suggestions have answered the query in full, the list too).
    for query, first in (("qqqqzz", None), ("relu", "ReLU")):
        page.fill("input.md-search__input", "")
        page.keyboard.type(query)
        page.wait_for_selector(f".lx-suggest[data-lx-query='{query}']", state="attached")
        settle(page, FIRST, first)
        assert page.evaluate(FIRST) == first
        assert page.locator(".lx-suggest").inner_text() == ""


@pytest.mark.parametrize("width", [1280, 390])
def test_shift_tab_in_the_a_to_z_index_never_hides_the_focus_under_the_bar(page, real_site: Path,
                                                                           width: int) -> None:
    """WCAG 2.4.11: going back up the list, the browser scrolls each link just into view,
    which without a scroll margin is under the sticky header and letter bar; and on up, past
    the bar, the filters (an accessibility review found them wholly under it)."""
    page.set_viewport_size({"width": width, "height": 650})
    page.goto(serve(real_site) + "terms/")
    links = page.locator(".lx-terms a[data-lx-term]")
    links.last.focus()
    hidden, filters = [], 0
    for _ in range(links.count() + 60):
        page.keyboard.press("Shift+Tab")
        # (covered: its top is under the letter bar while the bar sticks below the header)
        seen = page.evaluate("""() => { const a = document.activeElement, r = a.getBoundingClientRect();
            const bar = document.querySelector('.lx-letterbar').getBoundingClientRect();
            const stuck = bar.top <= document.querySelector('.md-header').getBoundingClientRect().bottom + 1;
            const covered = stuck && !a.closest('.lx-letterbar') && r.top < bar.bottom - 1;
            return [a.closest('.md-content') !== null, a.closest('.lx-filters') !== null,
                    covered, (a.textContent || a.name).trim(), r.top]; }""")
        if not seen[0]:  # up in the header: done
            break
        filters += seen[1]
        if seen[2]:
            hidden.append(seen[3:])
    assert filters >= 4 and hidden == []


@pytest.mark.parametrize("path", ["terms/lstm/", "demos/"])
def test_shift_tab_never_hides_the_focus_under_the_header(page, real_site: Path, path: str) -> None:
    """The same on every page (an accessibility review): on LSTM's page nine stops going back
    up (related terms, concept map labels, a permalink) and on the Demos page seven controls
    ended wholly under the sticky header."""
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(serve(real_site) + path)
    page.locator(".md-footer a").last.focus()
    hidden = []
    for _ in range(160):
        page.keyboard.press("Shift+Tab")
        seen = page.evaluate("""() => { const a = document.activeElement, r = a.getBoundingClientRect();
            const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
            return [a.closest('.md-content') !== null, (a.textContent || a.name || '').trim().slice(0, 30),
                    r.top, header]; }""")
        if seen[0] and seen[2] < seen[3]:
            hidden.append(seen[1:])
    assert hidden == []


def test_on_a_short_screen_the_letter_bar_scrolls_away(page, real_site: Path) -> None:
    """At 320 × 256 (a page zoomed to 400 %) a sticky header and wrapped bar took 76 % of it."""
    page.set_viewport_size({"width": 320, "height": 256})
    page.goto(serve(real_site) + "terms/")
    page.mouse.wheel(0, 1500)
    page.wait_for_function("scrollY > 1000")
    assert page.locator(".lx-letterbar").evaluate("e => e.getBoundingClientRect().bottom") < 0


def test_tab_passes_through_the_home_page_search_box(page, real_site: Path) -> None:
    """Focus alone must not open the search dialog: Tab goes on to Core concepts and beyond."""
    page.goto(serve(real_site))
    box = page.locator("form.lx-home-search input[type=search]")
    box.focus()
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(
            "(() => { const e = document.activeElement; return e.closest('footer') ? 'footer'"
            " : e.closest('.md-search') ? 'search' : e.closest('article') ? 'content' : '' })()"))
        if seen[-1] == "footer":
            break
    assert "search" not in seen[:2], seen       # the dialog did not take the focus
    assert seen.count("content") > 5 and seen[-1] == "footer", seen
    assert not page.evaluate("document.querySelector('[data-md-toggle=search]').checked")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_home_search_box_shows_its_focus_and_escape_comes_back_to_it(
        browser, watch, real_site: Path, scheme: str) -> None:
    """It had no focus mark (Material removes inputs' outline), and Escape in the search it
    hands over to left the focus at the top of the page (its edge: test_web_quality)."""
    with watched_page(browser, watch, color_scheme=scheme) as page:
        page.goto(serve(real_site))
        box = page.locator("form.lx-home-search input[type=search]")
        assert box.evaluate("e => getComputedStyle(e).outlineStyle") == "none"
        box.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # (the keyboard's focus, :focus-visible)
        assert box.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
        page.keyboard.type("relu")
        page.wait_for_function("document.activeElement.classList.contains('md-search__input')"
                               " && document.querySelector('[data-md-toggle=search]').checked")
        page.keyboard.press("Escape")
        page.wait_for_function("document.activeElement.matches('form.lx-home-search input')")
        assert not page.evaluate("document.querySelector('[data-md-toggle=search]').checked")


def hover_a_term_link(page, site: Path) -> tuple[object, object]:  # type: ignore[no-untyped-def]
    """Point at the link to Backpropagation on a term page; the link and its preview.

    A page without a demo: a demo going live under load re-lays out the page, and the link
    would move from under the pointer."""
    page.goto(serve(site) + "terms/chain-rule/")
    page.wait_for_load_state("networkidle")
    link = page.locator("article a[data-lx-term][href$='/backpropagation/']").first
    link.hover()
    preview = page.locator(".lx-preview[role=tooltip]")
    preview.wait_for()
    return link, preview


def test_hover_and_focus_on_an_auto_link_show_the_summary(page, real_site: Path,
                                                           terms: dict) -> None:
    link, preview = hover_a_term_link(page, real_site)
    assert terms["backpropagation"].summary in preview.inner_text()
    assert "Backpropagation" in preview.inner_text()
    assert link.get_attribute("aria-describedby") == "lx-preview"
    page.keyboard.press("Escape")
    assert preview.count() == 0
    link.focus()
    preview.wait_for()
    assert terms["backpropagation"].summary in preview.inner_text()


def test_a_preview_stays_while_the_pointer_is_on_it(page, real_site: Path) -> None:
    """WCAG 1.4.13: a reader may move the pointer onto the preview (to select or magnify its
    text) without it vanishing; leaving both hides it."""
    _, preview = hover_a_term_link(page, real_site)
    box = preview.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=8)
    page.wait_for_timeout(600)
    assert preview.is_visible()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] + 200, steps=4)
    preview.wait_for(state="detached")


@pytest.mark.parametrize(("path", "rows"), [
    ("terms/", ".lx-terms"), ("terms/lstm/", ".lx-related"),
    ("terms/chain-rule/", ".lx-backlinks"), ("domains/optimization/", ".lx-listing")])
def test_links_in_lists_of_summaries_preview_from_their_own_row(page, real_site: Path,
                                                                terms: dict, path: str,
                                                                rows: str) -> None:
    """These lists' terms are not in the page's preview data (a term page's weight): the
    preview is made of the row, title, difficulty and summary, as the data would have it."""
    page.goto(serve(real_site) + path)
    data = page.evaluate("""() => { const t = document.querySelector('template.lx-previews');
        return t ? Object.keys(JSON.parse(t.content.textContent)) : []; }""")
    slugs = page.locator(f"{rows} li > a[data-lx-term]").evaluate_all(
        "links => links.map(a => lexigraphPreviews.slugOf(a))")
    slug = next(s for s in slugs if s not in data)
    page.locator(f"{rows} a[data-lx-term][href$='/{slug}/']").hover()
    preview = page.locator(".lx-preview[role=tooltip]")
    preview.wait_for()
    term = terms[slug]
    assert preview.locator("strong").text_content() == term.title + term.difficulty.capitalize()
    assert preview.locator("span").last.text_content() == term.summary
    page.keyboard.press("Escape")


def test_the_a_to_z_index_keyboard_passes_by_its_previews(page, real_site: Path,
                                                          terms: dict) -> None:
    page.goto(serve(real_site) + "terms/")
    preview = page.locator(".lx-preview[role=tooltip]")
    # The keyboard passes by: the row prints the summary already, and a preview covered the
    # next row (an accessibility review).
    page.mouse.move(0, 0)
    page.locator(".lx-terms li[data-slug=gru] a").focus()
    page.wait_for_timeout(200)
    assert preview.count() == 0
    assert page.locator(".lx-terms li[data-slug=gru] a").get_attribute("aria-describedby") is None
    page.locator(".lx-terms li[data-slug=gru] a").hover()
    preview.wait_for()
    assert terms["gru"].summary in preview.inner_text()


def test_a_term_pages_badge_and_chips_say_what_they_are(page, real_site: Path, terms: dict) -> None:
    """Heard, the head of a term page was "Intermediate, link Sequence models": neither said
    it was the difficulty, nor that the links are the term's domains."""
    page.goto(serve(real_site) + "terms/lstm/")
    head = page.locator(".lx-term-head")
    assert head.locator(".lx-sr").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)") \
        == [1]  # (not seen)
    assert head.locator(".lx-badge").inner_text() == "Intermediate"  # (nor its "Difficulty: ")
    said = " ".join(head.aria_snapshot().split())
    assert "Difficulty: Intermediate" in said and "Domains:" in said, said


def test_a_badge_in_a_list_says_what_it_is(page, real_site: Path) -> None:
    """In the A-Z index (and every list with badges) a row was heard as "LSTM, link,
    Intermediate, ...": the word alone, its title attribute unread in reading mode."""
    page.goto(serve(real_site) + "terms/")
    row = page.locator(".lx-terms li[data-slug=lstm]")
    assert row.locator(".lx-badge").inner_text() == "Intermediate"
    assert "Difficulty: Intermediate" in " ".join(row.aria_snapshot().split())


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_the_concept_maps_lines_stand_out_from_the_page(page, real_site: Path, scheme: str) -> None:
    """WCAG 1.4.11: the lines carry meaning (the caption names each kind) and were 2.2:1
    (mentions) and 3.0:1 (related) against the page; 3:1 is the least."""
    page.goto(serve(real_site) + "terms/lstm/")
    page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    page.wait_for_selector(".lx-map .lx-map-edge")
    ratios = page.evaluate("""() => {
        const rgb = s => { const c = document.createElement('canvas').getContext('2d');
            c.fillStyle = s; c.fillRect(0, 0, 1, 1); return c.getImageData(0, 0, 1, 1).data; };
        const lum = d => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
            return 0.2126 * f(d[0]) + 0.7152 * f(d[1]) + 0.0722 * f(d[2]); };
        const bg = rgb(getComputedStyle(document.body).backgroundColor);
        const over = (s) => { const c = document.createElement('canvas').getContext('2d');
            c.fillStyle = getComputedStyle(document.body).backgroundColor; c.fillRect(0, 0, 1, 1);
            c.fillStyle = s; c.fillRect(0, 0, 1, 1); return c.getImageData(0, 0, 1, 1).data; };
        const out = {};
        for (const e of document.querySelectorAll('.lx-map .lx-map-edge')) {
            const fg = over(getComputedStyle(e).stroke), a = lum(fg), b = lum(bg);
            out[e.getAttribute('class')] = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }
        return out; }""")
    assert len(ratios) == 3 and min(ratios.values()) >= 3, ratios  # (the three kinds)


def test_a_filter_chosen_before_the_index_script_runs_is_kept(page, real_site: Path,
                                                              terms: dict) -> None:
    """The index's script loads after the page (after instant navigation, a moment later): it
    set the filters from the URL, wiping a choice the reader had made meanwhile."""
    script = (real_site / "assets" / "lexigraph" / "index.js").read_text(encoding="utf-8")
    held = "(function go() { if (!window.lxGo) { setTimeout(go, 20); return; }\n" + script + "\n})();"
    page.route(our_file("index.js"), lambda route: route.fulfill(
        body=held, content_type="text/javascript"))
    page.goto(serve(real_site) + "terms/")
    page.select_option("select[name=difficulty]", "advanced")
    assert len(visible_slugs(page)) == len(terms)  # (no script yet: nothing filtered)
    page.evaluate("window.lxGo = true")
    page.wait_for_selector("form.lx-filters[data-lx-ready]")
    assert page.input_value("select[name=difficulty]") == "advanced"
    assert sorted(visible_slugs(page)) == sorted(
        s for s, t in terms.items() if t.difficulty == "advanced")
    assert parse_qs(urlsplit(page.url).query) == {"difficulty": ["advanced"]}


def test_scripts_survive_instant_navigation(page, real_site: Path, terms: dict) -> None:
    base = serve(real_site)
    instant_navigation(page, base)
    page.goto(base)
    instant_ready(page)
    page.evaluate("window.lxSamePage = true")  # gone if a click loads the whole page
    page.click("nav.md-nav--primary a[href$='terms/']")
    page.wait_for_url("**/terms/")
    # Instant navigation swaps the page in; the index's script (index.js) is fetched then.
    page.wait_for_selector("form.lx-filters[data-lx-ready]")
    page.select_option("select[name=difficulty]", "beginner")
    assert sorted(visible_slugs(page)) == sorted(
        s for s, t in terms.items() if t.difficulty == "beginner")
    # A term page reached the same way gets its previews from its own page's data.
    page.select_option("select[name=difficulty]", "")
    page.click(".lx-terms li[data-slug=vanishing-gradient] a")
    page.wait_for_url("**/terms/vanishing-gradient/")
    # The page's scripts have run once its concept map is drawn (they clear the last page's
    # preview when they start, so hovering earlier could race with them).
    page.wait_for_selector("figure.lx-local-graph svg.lx-map")
    # Focus, not hover: the page's demo draws its controls above the text as it loads, which can
    # move the link from under a resting mouse pointer (and so end a hover preview).
    link = page.locator("article a[data-lx-term][href$='/backpropagation/']").first
    link.focus()
    preview = page.locator(".lx-preview")
    preview.wait_for()
    assert terms["backpropagation"].summary in preview.inner_text()
    assert page.evaluate("window.lxSamePage") is True


@pytest.mark.parametrize("path", ["", "terms/", "terms/vanishing-gradient/", "graph/", "demos/",
                                  "domains/", "about/"])
def test_pages_fit_a_phone_screen(page, real_site: Path, path: str) -> None:
    """Nothing makes the page wider than a 390 px phone screen (no sideways scrolling)."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(serve(real_site) + path)
    page.wait_for_load_state("networkidle")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > innerWidth + 1
                     && !e.closest('.md-sidebar, .md-search, .md-typeset__scrollwrap, math, pre'))
        .map(e => e.tagName + '.' + e.className).slice(0, 5)""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide


@pytest.mark.parametrize("path", ["", "terms/", "terms/lstm/", "about/", "404.html"])
def test_page_types_load_without_errors_or_outside_requests(page, real_site: Path,
                                                            path: str) -> None:
    response = page.goto(serve(real_site) + path)
    assert response is not None
    page.wait_for_load_state("networkidle")
    assert page.title()


# --- The not-found page ------------------------------------------------------------------------

def not_found(page, address: str):
    """Open a missing address as a reader would; the not-found page's offer once answered."""
    response = page.goto(address)
    assert response is not None and response.status == 404
    offer = page.locator(".lx-notfound__offer")
    page.wait_for_selector(".lx-notfound__offer[data-lx-answered]", state="attached")
    return offer


@pytest.mark.parametrize(("path", "offered"), [
    ("terms/vanishing-gradients/", ["Vanishing gradient"]),  # a plural
    ("terms/relux/", ["ReLU"]),  # a typo
    ("terms/batchnorm.html", ["Batch normalization"]),  # an alias, another URL style
    ("terms/weight-init/", ["Weight initialization"]),  # cut short
    ("terms/BN", ["Batch normalization"]),  # an abbreviation, in capitals
    ("terms/tanh-saturation/", ["Saturation", "Tanh"]),  # two names, the longer first
    ("glossary/Gradient_Clipping", ["Gradient clipping"]),  # another folder, other separators
    ("terms/normalization/", ["Batch normalization", "Layer normalization"]),  # a word of names
    ("terms/normalisation/", ["Batch normalization", "Layer normalization"]),  # ...British
    ("terms/gradient-vanishing/", ["Vanishing gradient", "Gradient"]),  # words in another order
    ("terms/activations/", ["Activation function", "Saturation"]),  # a title before an alias
    ("terms/xyzzy-quux/", []),
])
def test_a_missing_address_offers_the_nearest_terms(page, watch, real_site: Path, path: str,
                                                     offered: list[str]) -> None:
    watch.allowed_console.append("status of 404")  # Chromium logs the page's own status
    base = serve(real_site)
    offer = not_found(page, base + path)
    assert page.title().startswith("Page not found - ")
    assert page.get_attribute(".lx-notfound a >> text=A–Z index", "href") in ("/terms/",
                                                                              base + "terms/")
    links = offer.locator("a")
    assert links.all_inner_texts()[:-1] == offered
    words = urlsplit(base + path).path.strip("/").split("/")[-1].removesuffix(".html")
    search = links.last
    assert search.inner_text().lower() == f"search the glossary for \u201c{words.lower()}\u201d" \
        .replace("-", " ").replace("_", " ")
    if offered:  # the offer leads to the term's page
        links.first.click()
        page.wait_for_load_state()
        assert page.title().split(" - ")[0] == offered[0]


def test_the_not_found_page_starts_with_a_skip_link_and_the_home_page_names_the_site_once(
        page, watch, real_site: Path) -> None:
    """The first Tab on the not-found page went to the logo, then eleven header and navigation
    stops before the offer; the home page's title said the site's name twice."""
    watch.allowed_console.append("status of 404")
    base = serve(real_site)
    not_found(page, base + "terms/vanishing-gradiant/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "H1"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.lx-notfound__offer') !== null")
    page.goto(base)
    assert page.title() == "Vanishing Gradient Glossary"


def test_a_site_opened_from_a_file_shows_what_it_can_and_says_what_it_cannot(
        browser, real_site: Path) -> None:
    """Opened from disk (a downloaded site), Material's document$ never emits: none of our
    scripts started (no concept map, no demo chart, dead filters, Copy link and Cite), with no
    word said. What the browser lets a file load works; what it does not says how to serve it."""
    outside: list[str] = []
    context = browser.new_context()
    # (Files here; every request to a host is one this test must not see.)
    context.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).scheme in
                  ("file", "data", "blob") else (outside.append(r.request.url), r.abort()))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((real_site / "terms" / "lstm" / "index.html").as_uri())
    page.wait_for_selector("figure.lx-local-graph svg.lx-map")
    page.wait_for_selector("#lx-demo-0 .lx-demo__chart svg")
    assert page.locator("#lx-demo-0 .lx-demo__status").text_content().startswith(
        "This page was opened from a file")
    page.goto((real_site / "terms" / "index.html").as_uri())
    page.wait_for_selector("form.lx-filters[data-lx-ready]", state="attached")
    page.select_option("form.lx-filters select[name=domain]", "normalization")
    assert 0 < len(visible_slugs(page)) < 20
    page.goto((real_site / "index.html").as_uri())  # (no search box that cannot search)
    page.wait_for_selector("form.lx-home-search", state="hidden")
    assert "to search" not in page.inner_text("article")  # ("Press / on any page to search")
    page.goto((real_site / "graph" / "index.html").as_uri())
    page.wait_for_selector(".lx-graph[data-state=error]")
    assert page.locator(".lx-graph-status").text_content().startswith(
        "This page was opened from a file")
    context.close()
    assert outside == [] and errors == []


def test_the_not_found_page_searches_for_the_missing_words(page, watch, real_site: Path) -> None:
    """With instant navigation (as on a real site) the links fetched the home page in the
    background, where Material does not read ?q=: the search stayed closed."""
    watch.allowed_console.append("status of 404")
    base = serve(real_site)
    instant_navigation(page, base)
    offer = not_found(page, base + "terms/exploding-gradiants/")
    instant_ready(page)
    assert offer.inner_text() == ("Did you mean Exploding gradient? Search the glossary for "
                                  "\u201cexploding gradiants\u201d.")
    page.click('.lx-notfound a >> text="search the glossary"')  # the search, opened empty
    assert page.locator("input.md-search__input").evaluate("e => e === document.activeElement")
    assert page.input_value("input.md-search__input") == ""
    page.keyboard.press("Escape")
    offer.locator("a").last.click()
    assert page.input_value("input.md-search__input") == "exploding gradiants"
    assert page.locator("input.md-search__input").evaluate("e => e === document.activeElement")
    first = page.locator("li.md-search-result__item > a article h1").first
    first.wait_for()
    assert first.inner_text() == "Exploding gradient"


def test_without_scripts_no_button_is_left_dead(browser, watch, real_site: Path) -> None:
    """With JavaScript off, term pages showed Copy link and Cite buttons that did nothing, and
    a domain chip led to the unfiltered A-Z index."""
    base = serve(real_site)
    with watched_page(browser, watch, java_script_enabled=False) as page:
        page.goto(base + "terms/batch-normalization/")
        assert not page.is_visible(".lx-tools") and page.is_visible("p.lx-summary")
        page.click(".lx-term-head a.lx-chip >> nth=0")
        page.wait_for_url("**/domains/normalization/")
        assert page.is_visible("article a[href$='/batch-normalization/']")
    with watched_page(browser, watch) as page:  # with scripts, they are there
        page.goto(base + "terms/batch-normalization/")
        page.locator(".lx-tools button.lx-cite").wait_for()
