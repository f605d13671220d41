"""Build the real glossary into a temp dir and read what a reader would get."""

from __future__ import annotations

import html
import json
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from lexigraph.cli import main
from lexigraph.graph import backlinks
from lexigraph.pipeline import Glossary, build_glossary
from lexigraph.render import BACKLINKS_SHOWN, strongest_backlinks

from .conftest import FIXTURES, ROOT, build_site, copy_fixture


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return build_glossary(ROOT / "glossary", ROOT / "demos")


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    return html[html.index('<article class="md-content__inner'): html.index("</article>")]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]


def hrefs(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def test_every_term_has_a_page_with_its_parts(real_site: Path, glossary: Glossary) -> None:
    for slug, term in glossary.terms.items():
        html = page(real_site, f"terms/{slug}")
        body = article(html)
        assert re.search(r"<h1[^>]*>" + re.escape(term.title.replace("&", "&amp;")), body), slug
        assert f'lx-badge--{term.difficulty}' in body
        assert f'<p class="lx-summary">' in body
        assert 'id="why-it-matters"' in body and 'id="definition"' in body
        for domain in term.domains:
            assert f'class="lx-chip" href="../../domains/{domain}/"' in body
        for other in term.related:
            assert f'href="../{other}/"' in body, (slug, other)
        assert f"<title>{term.title.replace('&', '&amp;')} - " in html


def test_backlinks_list_the_terms_that_link_here_strongest_first(real_site: Path,
                                                                  glossary: Glossary) -> None:
    capped = 0
    for slug in glossary.terms:
        body = article(page(real_site, f"terms/{slug}"))
        linked = backlinks(glossary.graph, slug)
        if not linked:
            assert 'id="referenced-by"' not in body
            continue
        section = body[body.index('id="referenced-by"'):]
        section = section[: section.find("<h2", 1) if "<h2" in section[1:] else None]
        listed = section[: section.index("</div>")]
        found = [h.strip("./").removesuffix("/") for h in hrefs(listed) if not h.startswith("#")]
        if len(linked) <= BACKLINKS_SHOWN:
            assert found == linked, slug
            assert "lx-more" not in section
            continue
        # A hub: its strongest links, in the same order, and a link to all of them.
        capped += 1
        assert found == strongest_backlinks(glossary, slug, linked, BACKLINKS_SHOWN), slug
        assert len(found) == BACKLINKS_SHOWN and set(found) <= set(linked)
        edges = glossary.graph.get_edge_data
        weight = {s: sum(d["weight"] for d in [*edges(s, slug, default={}).values(),
                                               *edges(slug, s, default={}).values()])
                  for s in linked}
        assert min(weight[s] for s in found) >= max(weight[s] for s in linked if s not in found)
        assert f'href="../../graph/?focus={slug}"' in section
        assert (f"The {BACKLINKS_SHOWN} most closely linked of the {len(linked)} terms that "
                "refer to it. ") in section and "with all its other links in the concept graph" \
            in section
    assert capped >= 1  # the real glossary has hubs with more than BACKLINKS_SHOWN


@pytest.mark.parametrize(("terms_dir", "directory_urls", "expected"), [
    ("terms", True, "../../graph/?focus="), ("glossary/terms", True, "../../../graph/?focus="),
    ("terms", False, "../graph/index.html?focus="),
    ("glossary/terms", False, "../../graph/index.html?focus="),
])
def test_the_link_to_all_backlinks_finds_the_graph_from_any_terms_dir(
        glossary: Glossary, terms_dir: str, directory_urls: bool, expected: str) -> None:
    from lexigraph.render import _PART, term_parts

    hub = max(glossary.terms, key=lambda s: len(backlinks(glossary.graph, s)))
    assert len(backlinks(glossary.graph, hub)) > BACKLINKS_SHOWN
    html = term_parts(glossary, hub, directory_urls, terms_dir)[_PART.format("backlinks")]
    assert f'href="{expected}{hub}"' in html


def test_related_terms_are_linked_both_ways(real_site: Path, glossary: Glossary) -> None:
    # A declares B as related: A links to B, and B's backlinks list A.
    for slug, term in glossary.terms.items():
        for other in term.related:
            back = article(page(real_site, f"terms/{other}"))
            assert f'href="../{slug}/"' in back, (slug, other)


def test_the_index_offers_the_filters_the_taxonomy_has(glossary: Glossary) -> None:
    """Without industries, the index showed an Industry filter with nothing to choose."""
    from dataclasses import replace

    from lexigraph.render import index_page

    filters = re.compile(r'<select name="(\w+)"')
    assert filters.findall(index_page(glossary, True)) == ["domain", "industry", "difficulty"]
    bare = replace(glossary, taxonomy=replace(glossary.taxonomy, industries={}))
    assert filters.findall(index_page(bare, True)) == ["domain", "difficulty"]


def test_index_lists_every_term_once_with_working_links(real_site: Path,
                                                         glossary: Glossary) -> None:
    html = page(real_site, "terms")
    body = article(html)
    listed = re.findall(r'<li data-slug="([^"]+)"', body)
    assert sorted(listed) == sorted(glossary.terms)
    for href in hrefs(body):
        if href.startswith("#"):
            assert f'id="{href[1:]}"' in body
        else:
            assert (real_site / "terms" / href / "index.html").is_file(), href
    assert 'aria-disabled="true" class="lx-disabled">Q<' in body  # no term starts with Q


def test_nav_never_lists_the_term_pages(real_site: Path, glossary: Glossary) -> None:
    for url in ["", "terms", "terms/relu", "terms/lstm"]:
        html = page(real_site, url)
        nav = html[html.index('<nav class="md-nav md-nav--primary"'):]
        nav = nav[: nav.index("</nav>")]
        term_links = [h for h in hrefs(nav) if re.search(r"terms/[a-z0-9-]+/?$", h)
                      and not h.rstrip("/").endswith("terms")]
        assert term_links == [], url


def test_auto_links_point_to_terms_and_carry_previews(real_site: Path,
                                                      glossary: Glossary) -> None:
    body = article(page(real_site, "terms/vanishing-gradient"))
    links = re.findall(r'<a href="\.\./([a-z0-9-]+)/" data-lx-term>', body)
    slugs = set(links)
    assert {"backpropagation", "chain-rule", "sigmoid", "depth"} <= slugs
    assert "vanishing-gradient" not in slugs  # never to itself
    # Every link to another term is marked: the entry's text, related terms, backlinks, path.
    to_terms = re.findall(r'<a href="\.\./([a-z0-9-]+)/"', body)
    assert len(to_terms) == len(links) > 20 and set(to_terms) <= set(glossary.terms)
    # One preview per linked term, in the page's preview map (not repeated on every link),
    # but for the terms linked only from the lists that print their summaries: a row there
    # is its own preview, with the term's difficulty (a review of the page's weight).
    [data] = re.findall(r'<template class="lx-previews" data-search-exclude>(.*?)</template>',
                        body)
    previews = json.loads(data)
    lists = re.findall(r'<div class="lx-(?:related|backlinks)">(.*?)</div>', body, re.S)
    rows = re.findall(r'<li data-difficulty="(\w+)"><a href="\.\./([a-z0-9-]+)/" '
                      r'data-lx-term>', "".join(lists))
    assert len(lists) == 2 and rows
    assert all(glossary.terms[slug].difficulty == level for level, slug in rows)
    outside = set(re.findall(r'<a href="\.\./([a-z0-9-]+)/" data-lx-term>',
                             re.sub(r'<div class="lx-(?:related|backlinks)">.*?</div>', "",
                                    body, flags=re.S)))
    assert set(previews) == outside
    assert {"backpropagation", "chain-rule", "sigmoid", "depth"} <= outside  # mentions
    assert {slug for _, slug in rows} - outside  # some are left to their rows
    for slug, (title, difficulty, summary) in previews.items():
        term = glossary.terms[slug]
        assert (title, difficulty, summary) == (term.title, term.difficulty, term.summary)
    # The A-Z index shows every summary already: no preview data there.
    assert "lx-previews" not in page(real_site, "terms")


# The lists whose rows print each term's summary, and are their own previews (lexigraph.js).
SUMMARY_LISTS = re.compile(r'<ul class="lx-terms">.*?</ul>|<div class="lx-(?:related|backlinks)">'
                           r'.*?</div>|<div [^>]*data-lx-summaries[^>]*>.*?</div>', re.S)


def test_every_term_link_has_its_preview_on_every_page(real_site: Path) -> None:
    """Outside those lists, each linked term is in the page's preview data, and nothing
    else is: the recent changes on the home page print no summaries (a review found their
    links with none, and held by every tap on a phone)."""
    seen = 0
    for path in real_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        found = re.search(r'<template class="lx-previews" data-search-exclude>(.*?)</template>',
                          html)
        data = set(json.loads(found.group(1))) if found else set()
        own = re.search(r'<link rel="canonical" href="[^"]*/terms/([a-z0-9-]+)/"', html)
        outside = set(re.findall(r'href="(?:[^"]*/)?([a-z0-9-]+)/" data-lx-term[ >]',
                                 SUMMARY_LISTS.sub("", html)))
        outside.discard(own.group(1) if own else None)
        assert data == outside, path
        seen += bool(data)
    assert seen > 50


def test_math_is_mathml_and_no_page_loads_from_other_hosts(real_site: Path,
                                                           glossary: Glossary) -> None:
    # Every entry: nine formulas that wrapped onto a second line of their source were left as
    # TeX on five pages, and none of the tests looked there.
    for slug in glossary.terms:
        body = article(page(real_site, f"terms/{slug}"))
        text = re.sub(r"<(math|code|pre)\b.*?</\1>", "", body, flags=re.S)
        assert "$" not in text, slug
    assert "<math " in article(page(real_site, "terms/sigmoid"))
    for html_file in real_site.rglob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        assert not re.search(r'(?:src|href)="(?:https?:)?//(?!127\.0\.0\.1)[^"]+\.(?:js|css|woff2?)',
                             html), html_file


def test_a_styled_letter_is_its_own_character_and_search_reads_it_plain(real_site: Path) -> None:
    """Browsers drew \\boldsymbol{\\delta} as a plain delta (they ignore mathvariant): it is now
    the bold italic delta itself, and the index holds the letters a reader types (δ, L, z)."""
    assert "<mi>&#x1D739;</mi>" in article(page(real_site, "terms/weights-and-biases"))
    index = json.loads((real_site / "search" / "search_index.json").read_text())
    docs = {d["location"]: d for d in index["docs"]}
    assert "δ=∂L/∂z" in docs["terms/weights-and-biases/#definition"]["text"]
    assert not [d["location"] for d in index["docs"]
                if re.search("[\U0001D400-\U0001D7FFℒℝ]", d["title"] + d["text"])]


def test_search_index_has_term_names_on_the_page_entry_only(real_site: Path) -> None:
    index = json.loads((real_site / "search" / "search_index.json").read_text())
    relu = [d for d in index["docs"] if d["location"].startswith("terms/relu/")]
    assert relu[0]["location"] == "terms/relu/" and relu[0]["tags"].count("ReLU") == 12
    assert "rectifier" in relu[0]["tags"]
    assert all("tags" not in d for d in relu[1:])
    assert not any(d["location"] == "terms/" for d in index["docs"])  # the index page
    # The page's buttons are not words of its entry: "cite" must not find every term.
    assert relu[0]["text"] and not any("Cite this term" in d["text"] for d in index["docs"])
    # What a result shows of a term is its summary, not the line of names (they are its tags),
    # the badge and domain chips run together, or its demo (searched on the Demos page).
    terms = [d for d in index["docs"] if re.fullmatch(r"terms/[a-z0-9-]+/", d["location"])]
    assert len(terms) == 51
    assert not any("Also known as" in d["text"] or "Live demo" in d["text"] for d in terms)
    bn = next(d for d in terms if d["location"] == "terms/batch-normalization/")
    assert bn["text"].startswith("<p>A layer that") and "Intermediate" not in bn["text"]
    # "Recently changed" is a listing too: its titles are not words of the home page.
    html = (real_site / "index.html").read_text()
    listed = html[html.index('id="recently-changed"'):]
    recent = re.findall(r'<li><a href="terms/[^"]+/"[^>]*>([^<]+)</a> · 20', listed)
    home = [d for d in index["docs"] if d["location"].split("#")[0] == ""]
    assert recent and not any(f"<li>{title} · " in d["text"] for d in home for title in recent)


def test_term_names_reach_the_index_of_mkdocs_own_search_too(tmp_path: Path) -> None:
    # With MkDocs' built-in theme and search, the names are added to the written index.
    site = build_site(FIXTURES / "mini", tmp_path / "site", theme={"name": "mkdocs"})
    index = json.loads((site / "search" / "search_index.json").read_text())
    entry = next(d for d in index["docs"] if d["location"] == "terms/alpha-unit/")
    assert entry["tags"].count("Alpha") == 6 and "AU" in entry["tags"]
    sections = [d for d in index["docs"] if d["location"].startswith("terms/alpha-unit/#")]
    assert sections and all("tags" not in d for d in sections)
    # Also when the site lists the search plugin after ours: the names go into the index once
    # it is written (our on_post_build runs after the search plugin's, whatever the order).
    late = build_site(FIXTURES / "mini", tmp_path / "late", theme={"name": "mkdocs"},
                      plugins=["lexigraph", "search"])
    index = json.loads((late / "search" / "search_index.json").read_text())
    entry = next(d for d in index["docs"] if d["location"] == "terms/alpha-unit/")
    assert "AU" in entry.get("tags", [])


def test_two_builds_are_byte_identical(real_site: Path, tmp_path: Path) -> None:
    again = build_site(ROOT, tmp_path / "again")
    for name in ["terms/index.html", "terms/lstm/index.html", "search/search_index.json"]:
        assert (real_site / name).read_bytes() == (again / name).read_bytes(), name


def test_the_build_log_does_not_list_term_pages_missing_from_the_nav(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Term, domain and difficulty pages stay out of the nav on purpose; MkDocs would otherwise
    # print one line per term on every build (10,000 lines for 10,000 terms).
    # A nav of the site's own is what it wants listed: the overview pages made here (A-Z
    # index, graph, domains, difficulty) are not named either, so a strict build that warns of
    # omitted pages passes.
    caplog.set_level(logging.INFO, logger="mkdocs")
    site = build_site(FIXTURES / "mini", tmp_path / "site", nav=[{"Home": "index.md"}],
                      validation={"nav": {"omitted_files": "warn"}})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert (site / "terms" / "index.html").is_file() and (site / "graph" / "index.html").is_file()
    assert "not included in the \"nav\"" not in logged
    # Without a nav, MkDocs' own lists them.
    auto = build_site(FIXTURES / "mini", tmp_path / "auto")
    nav = re.findall(r'<a href="([^"]+)" class="md-nav__link', (auto / "index.html").read_text())
    assert {"terms/", "graph/", "domains/", "difficulty/"} <= set(nav), nav


def test_a_glossary_inside_docs_dir_is_published_once(tmp_path: Path) -> None:
    """Its raw entries and _taxonomy.yml were copied beside the term pages and searched."""
    project = copy_fixture("mini", tmp_path)
    (project / "glossary").rename(project / "docs" / "words")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - lexigraph",
                                                 "  - lexigraph:\n      glossary_dir: docs/words"))
    site = build_site(project, tmp_path / "site")
    assert (site / "terms" / "alpha-unit" / "index.html").is_file()
    assert not (site / "words").exists()
    index = json.loads((site / "search" / "search_index.json").read_text())
    assert [d["location"] for d in index["docs"] if d["location"].startswith("words")] == []


def test_a_hand_written_page_at_a_generated_pages_address_is_named_not_lost(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """docs/terms.md is written to terms/index.html, as the A-Z index is: it vanished, the
    nav listed the address twice, and neither the build nor check said a word."""
    project = copy_fixture("mini", tmp_path)
    (project / "docs" / "terms.md").write_text("# My own list\n")
    (project / "docs" / "Graph.md").write_text("# My own graph\n")  # (case-blind file systems)
    with pytest.raises(Abort):  # strict
        build_site(project, tmp_path / "strict")
    warned = sorted(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert warned == [
        "'Graph.md' would be written to 'Graph/index.html', where lexigraph writes "
        "'graph/index.md'; the file in docs_dir is ignored: rename or move it (or choose "
        "another terms_dir)",
        "'terms.md' would be written to 'terms/index.html', where lexigraph writes "
        "'terms/index.md'; the file in docs_dir is ignored: rename or move it (or choose "
        "another terms_dir)"]
    for record in caplog.records:
        record.expected = True
    site = build_site(project, tmp_path / "site", strict=False)
    assert "My own" not in (site / "terms" / "index.html").read_text()
    nav = re.findall(r'<a href="([^"]+)" class="md-nav__link', (site / "index.html").read_text())
    assert nav.count("terms/") == 1 and nav.count("graph/") == 1, nav
    for record in caplog.records:
        record.expected = True


def test_the_log_says_when_the_theme_loads_fonts_from_another_host(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    build_site(FIXTURES / "mini", tmp_path / "site", theme={"name": "material"})
    assert "loads its fonts from Google Fonts, so the site is not offline: set 'font: false'" \
        in caplog.text
    caplog.clear()
    build_site(FIXTURES / "mini", tmp_path / "quiet")  # the fixture has font: false
    assert "Google Fonts" not in caplog.text


def test_the_log_says_when_the_theme_is_not_material_or_search_is_missing(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """MkDocs' own theme built silently, loading highlight.js from a CDN on every page; a
    plugins list without search built a site with no search."""
    caplog.set_level(logging.INFO, logger="mkdocs")
    build_site(FIXTURES / "mini", tmp_path / "site", theme={"name": "mkdocs"})
    assert "Lexigraph's pages are made for the Material theme (mkdocs-material), not 'mkdocs', " \
        "and it loads highlight.js from a CDN unless 'highlightjs: false' is set" in caplog.text
    assert "no search" not in caplog.text  # (MkDocs' own search: it was said to be missing)
    caplog.clear()
    build_site(FIXTURES / "mini", tmp_path / "bare", plugins=["lexigraph"])
    assert "the site has no search: add '- search' under 'plugins:'" in caplog.text
    caplog.clear()
    build_site(FIXTURES / "mini", tmp_path / "after", plugins=["lexigraph", "search"])
    assert "no search" not in caplog.text  # (listed after: it was said to be missing)
    caplog.clear()
    build_site(FIXTURES / "mini", tmp_path / "quiet")
    assert "Material theme" not in caplog.text and "no search" not in caplog.text


def test_a_name_an_entry_uses_in_another_sense_is_not_linked(real_site: Path) -> None:
    """Neuron's alias *unit* linked "unit vector" (gradient.md) and "units of loss per unit
    parameter" (learning-rate.md) to Neuron, which then listed both as referring to it."""
    for slug, words in (("gradient", "For any unit\nvector"), ("learning-rate", "units of")):
        page = (real_site / "terms" / slug / "index.html").read_text()
        assert words in page and not re.search(r'href="../neuron/"[^>]*>units?</a>', page), slug
    neuron = (real_site / "terms" / "neuron" / "index.html").read_text()
    backlinks = neuron[neuron.index('id="referenced-by"'):]
    assert "../gradient/" not in backlinks and "../learning-rate/" not in backlinks


def test_our_scripts_and_styles_are_served_minified(real_site: Path) -> None:
    from lexigraph.site_assets import SOURCE

    for name in ("lexigraph.js", "lexigraph.css", "local-graph.js", "local-graph-use.js",
                 "graph.js", "demo.js"):
        served = (real_site / "assets" / "lexigraph" / name).read_text(encoding="utf-8")
        source = (SOURCE / name).read_text(encoding="utf-8")
        assert len(served) < 0.85 * len(source), name
        assert "/* " not in served, name  # comments stripped (the code's own tests run it)


def test_a_terms_own_demo_is_not_its_search_snippet(real_site: Path,
                                                    glossary: Glossary) -> None:
    """Material's search parser tells elements apart by their tag alone: in the demo's
    excluded <div>, the first inner </div> ended the exclusion, and a result for "sigmoid"
    showed the demo's reading ("On [-6, 6]: ...") under the term's summary, on all six
    terms with a demo. The Demos page still has the readings searched."""
    index = json.loads((real_site / "search" / "search_index.json").read_text())
    docs = {d["location"]: d["text"] for d in index["docs"]}
    with_demo = [s for s, t in glossary.terms.items() if t.demo]
    assert len(with_demo) >= 5
    for slug in with_demo:
        assert docs[f"terms/{slug}/"] == f"<p>{html.escape(glossary.terms[slug].summary, quote=False)}</p>", slug
    assert "On [−6, 6]: Sigmoid's slope peaks at 0.25" in docs["demos/"] + "".join(
        text for location, text in docs.items() if location.startswith("demos/#"))


def test_search_index_is_what_material_makes_of_the_full_pages(
        real_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The search plugin reads a lighter copy of each term page (search_adapter): the index
    # must be the one it makes of the pages themselves.
    import lexigraph.search_adapter as adapter

    original = adapter.SearchAdapter.before
    monkeypatch.setattr(adapter.SearchAdapter, "before",
                        lambda self, page, config, **reduced: original(self, page, config))
    full = build_site(ROOT, tmp_path / "site")
    index = json.loads((real_site / "search" / "search_index.json").read_text())
    assert index == json.loads((full / "search" / "search_index.json").read_text())


def test_a_strict_build_that_fails_at_its_end_leaves_the_last_good_site(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """MkDocs empties the site first and a strict build fails only once every page is written:
    a broken link in a hand-written page (which `check` cannot see as MkDocs does) left a site
    built with it, the last good one gone. The last site is now put back; a build that succeeds
    replaces it and leaves nothing beside it."""
    project = copy_fixture("mini", tmp_path)
    site = build_site(project, tmp_path / "site")
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    about = project / "docs" / "about.md"
    about.write_text("# About\n\nSee [the missing one](terms/swishy.md). New words.\n")
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.lexigraph")
    with pytest.raises(Abort):
        build_site(project, site)
    for record in caplog.records:
        record.expected = True
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir() if "site" in p.name) == ["site"]
    assert f"the last good site in {site} is left as it was" in caplog.text
    about.write_text("# About\n\nNew words.\n")
    build_site(project, site)
    assert "New words." in (site / "about" / "index.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir() if "site" in p.name) == ["site"]
    assert not (site / ".lexigraph-last").exists()


def test_the_last_site_is_kept_as_mkdocs_keeps_a_site_folder(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Setting the last site aside renamed the folder: a successful build then deleted what
    MkDocs leaves in it (a deploy checkout's .git, .nojekyll), a site folder that is a link
    became a real folder, and a warning another plugin or hook logged before Lexigraph's
    on_config went uncounted, so the last site was dropped before the strict build failed."""
    project = copy_fixture("mini", tmp_path)
    www = tmp_path / "www"
    www.mkdir()
    site = tmp_path / "site"
    site.symlink_to(www, target_is_directory=True)
    build_site(project, site)
    (www / ".git").mkdir()
    (www / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (www / ".nojekyll").touch()
    build_site(project, site)
    assert site.is_symlink() and (www / "index.html").is_file()
    assert (www / ".git" / "HEAD").is_file() and (www / ".nojekyll").is_file()
    before = sorted(p.relative_to(www) for p in www.rglob("*"))
    (project / "hooks.py").write_text(
        "import logging\nfrom mkdocs.plugins import event_priority\n\n\n"
        "@event_priority(100)\ndef on_config(config):\n"
        "    logging.getLogger('mkdocs.hooks').warning('a warning before Lexigraph starts')\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "hooks:\n  - hooks.py\n")
    with pytest.raises(Abort):
        build_site(project, site)
    for record in caplog.records:
        record.expected = True
    assert sorted(p.relative_to(www) for p in www.rglob("*")) == before


def test_a_broken_link_with_a_folder_stops_the_build_before_the_site_is_touched(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """MkDocs checked such links while it rendered the pages, after it had emptied site/ (a
    failed build lost the last good site), and named the generated page, terms/alpha-unit.md,
    which the author never wrote. They are checked with the entries, before MkDocs starts:
    pages, images and other files, each at its own line (code skipped), with the closest
    page (a domain page's source is domains/<key>.md, not what its address says)."""
    project = copy_fixture("mini", tmp_path)
    (project / "docs" / "about.md").write_text("# About\n\n## Scope\n\nText.\n")
    (project / "docs" / "img").mkdir()
    (project / "docs" / "img" / "figure.png").write_bytes(b"\x89PNG")
    entry = project / "glossary" / "alpha-unit.md"
    text = entry.read_text()
    links = ("See [the about page](../abut.md), [the domain](../domains/fundamentals/index.md),\n"
             "`[x](../abut.md)` ![a figure](../img/figure.png) ![another](../img/figur.png)\n\n"
             "```\n[y](../gone.md)\n```\n\n"
             "then [b](../abut.md \"T\"), [c](../about.md#scope), [r][1].\n\n[1]: <../refd.md>\n\n")
    entry.write_text(text.replace("## Definition\n", links + "## Definition\n"))
    lines = entry.read_text().splitlines()

    def line(start: str) -> int:
        return next(n for n, s in enumerate(lines, 1) if s.startswith(start))

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the last good site")
    with pytest.raises(Abort):
        build_site(project, site)
    assert [p.name for p in site.iterdir()] == ["index.html"]  # untouched
    (error,) = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    path = "glossary/alpha-unit.md"
    assert error == (
        "the glossary has problems:\n"
        f"{path}:{line('See')}: error: link to '../abut.md': the site has no page 'abut.md'\n"
        "    fix: did you mean '../about.md'?\n"
        f"{path}:{line('See')}: error: link to '../domains/fundamentals/index.md': the site has "
        "no page 'domains/fundamentals/index.md'\n"
        "    fix: did you mean '../domains/fundamentals.md'?\n"
        f"{path}:{line('`[x]')}: error: link to '../img/figur.png': the site has no file "
        "'img/figur.png'\n"
        "    fix: did you mean '../img/figure.png'?\n"
        f"{path}:{line('then')}: error: link to '../abut.md': the site has no page 'abut.md'\n"
        "    fix: did you mean '../about.md'?\n"
        f"{path}:{line('[1]:')}: error: link to '../refd.md': the site has no page 'refd.md'\n"
        "    fix: give the page's path from the term pages' folder, e.g. "
        "[Domains](../domains/index.md)\n"
        "5 problems in 1 file.")
    for record in caplog.records:
        record.expected = True


def test_links_to_files_of_the_theme_and_of_other_plugins_are_fine(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The entries' links were checked against docs_dir alone before MkDocs started, so a link
    to a file of the theme's custom_dir or one a hook (or another plugin) adds stopped a build
    that MkDocs passed (a review found it). The theme's files are known up front; with a hook
    or plugin that adds files the check waits until they have. A link still broken stops the
    build; without `strict`, MkDocs only warns of it, as before."""
    project = copy_fixture("mini", tmp_path)
    (project / "overrides" / "assets").mkdir(parents=True)
    (project / "overrides" / "assets" / "logo.png").write_bytes(b"\x89PNG")
    (project / "hooks.py").write_text(
        "from mkdocs.structure.files import File\n\n"
        "def on_files(files, config):\n"
        "    files.append(File.generated(config, 'api/index.md', content='# API\\n'))\n"
        "    files.append(File.generated(config, 'img/chart.svg', content='<svg/>'))\n"
        "    return files\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("theme:\n  name: material\n",
                                                 "theme:\n  name: material\n  custom_dir: overrides\n")
                      + "hooks:\n  - hooks.py\n")
    assert "custom_dir" in config.read_text()
    entry = project / "glossary" / "alpha-unit.md"
    text = entry.read_text()
    entry.write_text(text.replace("## Definition\n", "See the [API](../api/index.md), "
                                  "![logo](../assets/logo.png), ![chart](../img/chart.svg).\n\n"
                                  "## Definition\n"))
    site = build_site(project, tmp_path / "site")  # strict
    html = (site / "terms" / "alpha-unit" / "index.html").read_text()
    assert 'href="../../api/"' in html and 'src="../../assets/logo.png"' in html
    # `lexigraph check` cannot know what the hook adds: it says so, and reports nothing.
    monkeypatch.chdir(project)
    assert main(["check"]) == 0
    assert "note: links with a folder in them are not checked: hooks.py may add files to the " \
        "site (`mkdocs build` checks them)" in capsys.readouterr().err
    entry.write_text(entry.read_text().replace("../img/chart.svg", "../img/chrt.svg"))
    with pytest.raises(Abort):
        build_site(project, tmp_path / "site")
    assert [r.getMessage().splitlines()[1] for r in caplog.records if r.levelno == logging.ERROR] \
        == [f"glossary/alpha-unit.md:{text[:text.index('## Definition')].count(chr(10)) + 1}: "
            "error: link to '../img/chrt.svg': the site has no file 'img/chrt.svg'"]
    caplog.clear()
    build_site(project, tmp_path / "site", strict=False)  # MkDocs warns, as without Lexigraph
    assert [r.getMessage().split(": the entry")[0] for r in caplog.records
            if r.levelno == logging.WARNING] == [
        f"glossary/alpha-unit.md:{text[:text.index('## Definition')].count(chr(10)) + 1}"]
    for record in caplog.records:
        record.expected = True


def test_a_broken_anchor_is_reported_at_the_entry_line_of_its_link(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """What MkDocs alone checks (anchors, when told to warn of them) it reports against the
    generated page, once per link: the report names the entry's file and the line of the
    link, not of the same link in code."""
    project = copy_fixture("mini", tmp_path)
    (project / "docs" / "about.md").write_text("# About\n\n## Scope\n\nText.\n")
    entry = project / "glossary" / "alpha-unit.md"
    links = ("Write `[x](../about.md#scop)` and [this](../about.md#scope).\n\n"
             "See [a](../about.md#scop) once,\nthen [b](../about.md#scop \"T\").\n\n")
    text = entry.read_text().replace("## Definition\n", links + "## Definition\n")
    entry.write_text(text)
    lines = text.splitlines()

    def line(start: str) -> int:
        return next(n for n, s in enumerate(lines, 1) if s.startswith(start))

    caplog.set_level(logging.INFO, logger="mkdocs")
    with pytest.raises(Abort):  # strict: broken anchors are warnings when told so
        build_site(project, tmp_path / "site", validation={"anchors": "warn"})
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    page = "the entry (its page terms/alpha-unit.md) contains a link"
    assert warned == [
        f"glossary/alpha-unit.md:{line('See [a]')}: {page} '../about.md#scop', but the doc "
        "'about.md' does not contain an anchor '#scop'."]
    for record in caplog.records:
        record.expected = True


def test_a_site_without_a_home_page_gets_one_and_unknown_blocks_are_reported(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project = copy_fixture("mini", tmp_path)
    (project / "docs" / "index.md").unlink()  # docs/ is empty: the logo led to a missing page
    site = build_site(project, tmp_path / "site")
    home = (site / "index.html").read_text()
    assert "<h1" in home and "Mini glossary" in home
    assert 'href="terms/alpha-unit/"' in home and "Core concepts" in home
    # A README.md is a home page too (MkDocs makes it index.html): it is kept.
    (project / "docs" / "README.md").write_text("# Readme marker\n")
    assert "Readme marker" in (build_site(project, tmp_path / "readme") / "index.html").read_text()
    (project / "docs" / "README.md").unlink()
    # A home page the author keeps as a draft (or excludes) is theirs: not replaced, no warning.
    (project / "docs" / "index.md").write_text("# Draft home\n")
    build_site(project, tmp_path / "draft", draft_docs="index.md")
    (project / "docs" / "index.md").unlink()
    # A block name mistyped stops the build before MkDocs touches the site (it was a warning
    # while the page rendered: a strict build failed after rewriting the site, at the line of
    # the page's text after its front matter, with no folder); check reports it too.
    about = project / "docs" / "about.md"
    about.write_text("---\ntitle: About\n---\n\n# About\n\n<!-- lexigraph:core-concept -->\n")
    (tmp_path / "again").mkdir()
    (tmp_path / "again" / "index.html").write_text("the last good site")
    with pytest.raises(Abort):
        build_site(project, tmp_path / "again", strict=False)
    assert [p.name for p in (tmp_path / "again").iterdir()] == ["index.html"]
    said = ("docs/about.md:7: error: unknown block <!-- lexigraph:core-concept -->\n"
            "    fix: write <!-- lexigraph:core-concepts -->; the blocks are browse, "
            "core-concepts, recent")
    assert said in caplog.text
    for record in caplog.records:
        record.expected = True


def test_a_build_without_site_url_says_what_it_costs(tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    """Without site_url the sitemap is empty and the not-found page's addresses start at the
    host's root (unstyled and linking out on a project site), and nothing said so."""
    project = copy_fixture("mini", tmp_path)
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.lexigraph")
    site = build_site(project, tmp_path / "site")
    assert "<url>" not in (site / "sitemap.xml").read_text()
    assert "site_url is not set: sitemap.xml lists no page" in caplog.text
    caplog.clear()
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "site_url: https://example.org/glossary/\n")
    build_site(project, tmp_path / "site2")
    assert "site_url is not set" not in caplog.text
    assert "this machine's own address" not in caplog.text


def test_a_build_for_this_machines_address_says_it_is_not_a_published_one(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """`make build` without SITE_URL built canonical addresses, a sitemap and citations on
    http://127.0.0.1:8000/, with no word said: a site published so points readers and search
    engines at their own machine."""
    project = copy_fixture("mini", tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "site_url: http://127.0.0.1:8000/\n")
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.lexigraph")
    site = build_site(project, tmp_path / "site")
    assert "<loc>http://127.0.0.1:8000/terms/alpha-unit/</loc>" in (site / "sitemap.xml").read_text()
    assert ("site_url is http://127.0.0.1:8000/, this machine's own address: the canonical "
            "addresses, sitemap.xml, Copy link and Cite point there") in caplog.text


def test_the_block_names_check_knows_are_the_blocks_made(glossary: Glossary) -> None:
    from lexigraph.browse import BLOCKS, home_blocks

    assert sorted(home_blocks(glossary, {})) == sorted(BLOCKS)


@pytest.mark.parametrize("home", [True, False])
def test_check_knows_every_page_the_plugin_makes(tmp_path: Path, home: bool) -> None:
    """`lexigraph check` resolves entries' links with browse.generated_pages: the pages the
    plugin makes, with or without a home page of the site's own (then the plugin makes one)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from lexigraph.browse import generated_pages

    project = copy_fixture("mini", tmp_path / "project")
    if not home:
        (project / "docs" / "index.md").unlink()
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    build(config)
    plugin = config.plugins["lexigraph"]
    g = plugin.glossary
    made = {uri for uri in plugin.generated if uri.endswith(".md")}
    assert made == generated_pages(g.taxonomy.domains, g.terms, plugin.config.terms_dir,
                                   home=not home)


def test_the_sites_address_comes_from_site_url_in_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader found instant navigation off on a copy served elsewhere: the address is set
    where the site is published, without editing mkdocs.yml."""
    from mkdocs.config import load_config

    from lexigraph.project import find

    monkeypatch.setenv("SITE_URL", "https://example.org/glossary/")
    assert load_config(str(ROOT / "mkdocs.yml"))["site_url"] == "https://example.org/glossary/"
    assert find(ROOT / "mkdocs.yml").site_url == "https://example.org/glossary/"  # (the CLI's)
    monkeypatch.delenv("SITE_URL")
    assert load_config(str(ROOT / "mkdocs.yml"))["site_url"] == "http://127.0.0.1:8000/"
