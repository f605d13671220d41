"""Reader-facing web quality: escaping, structured data, exports, links, accessibility."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from lexigraph import search
from lexigraph.cli import main
from lexigraph.pipeline import build_glossary

from .conftest import FIXTURES, ROOT, build_site, copy_fixture, search_for, serve

HOSTILE_TITLE = '<script>alert("title")</script> & "Quotes"'
HOSTILE_SUMMARY = 'A "quoted" summary with </script><script>alert(3)</script> & <b>tags</b>.'
HOSTILE_ALIAS = "</script><img src=x onerror=alert(2)>"


class Page(HTMLParser):
    """The parts of a built page these tests read."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.templates: list[tuple[dict[str, str | None], str]] = []  # JSON data blocks
        self.meta: dict[str, str] = {}
        self.links: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.title = ""
        self._in: str | None = None
        self._attrs: dict[str, str | None] = {}
        self._text: list[str] = []
        self.tags: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if "id" in a and a["id"]:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a and a["name"]:
            self.ids.add(a["name"])
        if tag == "meta":
            key = a.get("name") or a.get("property")
            if key:
                self.meta[key] = a.get("content") or ""
        for attr in ("href", "src"):
            if a.get(attr) and tag in ("a", "link", "script", "img", "source", "iframe"):
                self.links.append((a[attr] or "", a))
        if tag in ("script", "template", "title"):
            self._in, self._attrs, self._text = tag, a, []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in == "script":
            self.scripts.append((self._attrs, "".join(self._text)))
        elif tag == self._in == "template":
            self.templates.append((self._attrs, "".join(self._text)))
        elif tag == self._in == "title":
            self.title = "".join(self._text)
        if tag == self._in:
            self._in = None


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(FIXTURES / "hostile", tmp_path_factory.mktemp("hostile") / "site")


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_hostile_text_never_becomes_markup(hostile_site: Path) -> None:
    for path in html_pages(hostile_site):
        html = path.read_text(encoding="utf-8")
        page = Page(html)
        assert "img" not in page.tags, path
        assert html.count("<script") == html.count("</script>"), path
        for attrs, body in page.scripts:
            if attrs.get("type") in ("application/ld+json", "application/json"):
                assert "<" not in body and ">" not in body, path  # data, escaped
                json.loads(body)
            else:
                assert "alert(" not in body, path
        for attrs, body in page.templates:
            assert "<" not in body and ">" not in body, path  # data, escaped
            json.loads(body)
    hostile = Page((hostile_site / "terms/hostile/index.html").read_text())
    assert hostile.title == f"{HOSTILE_TITLE} - Hostile fixture"
    assert hostile.meta["description"] == HOSTILE_SUMMARY
    assert hostile.meta["og:title"] == HOSTILE_TITLE
    ld = [json.loads(b) for a, b in hostile.scripts if a.get("type") == "application/ld+json"]
    assert ld[0]["name"] == HOSTILE_TITLE and ld[0]["description"] == HOSTILE_SUMMARY
    assert HOSTILE_ALIAS in ld[0]["alternateName"]
    plain = Page((hostile_site / "terms/plain/index.html").read_text())
    assert [a for _, a in plain.links if "data-lx-term" in a
            and a.get("href", "").rstrip("/").rsplit("/", 1)[-1] == "hostile"]
    # Markdown written by the plugin keeps the author's characters: a summary's "~" was
    # shown as "\~" in the lists of the domain and difficulty pages.
    listing = (hostile_site / "domains/fundamentals/index.html").read_text()
    assert "the hostile one (~1 | 2)." in unescape(listing)
    # (linked from the learning path: the related list's row is its own preview)
    [data] = [json.loads(b) for a, b in plain.templates if a.get("class") == "lx-previews"]
    assert data["hostile"] == [HOSTILE_TITLE, "beginner", HOSTILE_SUMMARY]


def test_hostile_text_survives_exports_and_search_index(hostile_site: Path) -> None:
    data = json.loads((hostile_site / "glossary.json").read_text())
    term = next(t for t in data["terms"] if t["slug"] == "hostile")
    assert (term["title"], term["summary"]) == (HOSTILE_TITLE, HOSTILE_SUMMARY)
    rows = list(csv.DictReader(io.StringIO((hostile_site / "glossary.csv").read_text())))
    assert next(r for r in rows if r["slug"] == "hostile")["title"] == HOSTILE_TITLE
    assert set(rows[0]) == set(term)  # the JSON document's fields
    index = json.loads((hostile_site / "search/search_index.json").read_text())
    assert any(d["location"] == "terms/hostile/" for d in index["docs"])


@pytest.mark.browser
def test_hostile_pages_run_no_injected_script(page, hostile_site: Path) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    base = serve(hostile_site)
    for path in ["terms/hostile/", "terms/plain/", "terms/", ""]:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    page.goto(base + "terms/plain/")
    preview = page.locator(".lx-preview")
    for links in (".lx-path", ".lx-related"):  # from the page's preview data, from the row
        page.locator(f"{links} a[data-lx-term][href$='/hostile/']").hover()
        preview.wait_for()
        assert preview.locator("strong").text_content() == HOSTILE_TITLE + "Beginner"
        assert preview.locator("span").last.text_content() == HOSTILE_SUMMARY
        page.mouse.move(0, 0)
        preview.wait_for(state="detached")
    search_for(page, "summary")  # a word of the hostile summary
    page.locator("li.md-search-result__item").first.wait_for()
    assert dialogs == []


# --- Structured data, exports, browse pages (real glossary) ----------------------------------

@pytest.fixture(scope="module")
def terms() -> dict:
    return build_glossary(ROOT / "glossary", ROOT / "demos").terms


def test_term_pages_carry_defined_term_json_ld_and_open_graph(real_site: Path,
                                                              terms: dict) -> None:
    for slug, term in terms.items():
        page = Page((real_site / f"terms/{slug}/index.html").read_text())
        ld = [json.loads(b) for a, b in page.scripts if a.get("type") == "application/ld+json"]
        assert len(ld) == 1, slug
        data = ld[0]
        url = f"http://127.0.0.1:8000/terms/{slug}/"
        assert data["@type"] == "DefinedTerm" and data["name"] == term.title
        assert data["url"] == url and data["description"] == term.summary
        assert data.get("alternateName", []) == list(term.aliases)
        assert data["inDefinedTermSet"]["@type"] == "DefinedTermSet"
        assert page.meta["description"] == term.summary
        assert page.meta["og:url"] == url and page.meta["og:title"] == term.title
    index = Page((real_site / "terms/index.html").read_text())
    assert any('"DefinedTermSet"' in b for _, b in index.scripts)


def test_sitemap_lists_every_term(real_site: Path, terms: dict) -> None:
    sitemap = (real_site / "sitemap.xml").read_text()
    for slug in terms:
        assert f"<loc>http://127.0.0.1:8000/terms/{slug}/</loc>" in sitemap


def test_a_term_pages_sitemap_date_is_when_its_entry_last_changed(real_site: Path) -> None:
    """Every page said it changed on the day of the build, so a search engine was told that
    the whole glossary changes with every build."""
    sitemap = (real_site / "sitemap.xml").read_text()
    dated = dict(re.findall(r"<loc>http://127\.0\.0\.1:8000/terms/([^/<]+)/</loc>\s*"
                            r"<lastmod>([^<]+)</lastmod>", sitemap))
    for slug in ("adam", "relu", "lstm"):
        committed = subprocess.run(["git", "log", "-1", "--format=%cs", "--",
                                    f"glossary/{slug}.md"], cwd=ROOT, capture_output=True,
                                   text=True, check=True).stdout.strip()
        assert dated[slug] == committed, slug


def test_exports_match_the_cli(real_site: Path, terms: dict, tmp_path: Path) -> None:
    data = json.loads((real_site / "glossary.json").read_text())
    assert (data["schema"], data["version"], data["count"]) == ("lexigraph/glossary", 1, len(terms))
    assert [t["slug"] for t in data["terms"]] == sorted(terms)
    relu = next(t for t in data["terms"] if t["slug"] == "relu")
    assert relu["url"] == "http://127.0.0.1:8000/terms/relu/"
    assert relu["aliases"] == list(terms["relu"].aliases)
    for fmt, name in (("json", "glossary.json"), ("csv", "glossary.csv")):
        out = tmp_path / name
        assert main(["export", "terms", "--format", fmt, "--dir", str(ROOT / "glossary"),
                     "--demos", str(ROOT / "demos"), "--base-url", "http://127.0.0.1:8000/",
                     "-o", str(out)]) == 0
        assert out.read_bytes() == (real_site / name).read_bytes(), name


def test_search_suggestions_know_every_name_word_weightiest_first(real_site: Path,
                                                                  terms: dict) -> None:
    """search-words.json: what a misspelt search is corrected to (suggest.js)."""
    data = json.loads((real_site / "assets" / "lexigraph" / "search-words.json").read_text())
    assert (data["schema"], data["version"]) == ("lexigraph/search-words", 1)
    words = data["words"]
    assert len(words) == len(set(words)) and all(w == w.lower() for w in words)
    for term in terms.values():
        for word in re.findall(r"\w+", " ".join((term.title, *term.aliases, *term.keywords))):
            assert (word.lower() in words or len(word) < 3 or word.isdigit()
                    or word.lower() in search.STOP_WORDS), word
    # Only what the glossary writes (and its British spelling): no made-up plural to offer.
    assert "convolutionals" not in words and "ands" not in words and "matrixes" not in words
    # A word of many names before a word of one; the glossary's spelling before its forms.
    assert words.index("gradient") < words.index("xavier")
    assert words.index("initialization") < words.index("initialisation")


def test_the_query_rewrite_knows_the_stop_words_of_materials_lunr(real_site: Path) -> None:
    """suggest.js drops from a query the words lunr's stop-word filter would (Material's
    worker sends them past it, as prefixes): the same list as the lunr the site serves."""
    worker = next((real_site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    served = re.search(r"generateStopWordFilter\(\[([^\]]*)\]", worker.read_text())
    assert served is not None
    lunr_words = set(re.findall(r'"([^"]*)"', served.group(1)))
    script = (ROOT / "src" / "lexigraph" / "assets" / "suggest.js").read_text()
    listed = re.search(r"var STOP_WORDS = (.*?);", script, re.DOTALL)
    assert listed is not None
    ours = "".join(re.findall(r'"([^"]*)"', listed.group(1))).split()
    assert len(ours) == len(set(ours)) and set(ours) == lunr_words
    assert search.STOP_WORDS <= lunr_words  # (the short ones a name may hold: see its tags)


def test_search_entries_of_a_term_page_carry_its_centrality(real_site: Path,
                                                            terms: dict) -> None:
    """Material's score is multiplied by an entry's boost: term pages' 3 (front matter),
    raised by at most a hundred-thousandth for the most central term (search.rank_entry)."""
    index = json.loads((real_site / "search" / "search_index.json").read_text())
    boosts: dict[str, set] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        if page.startswith("terms/") and page != "terms/":
            boosts.setdefault(page.split("/")[1], set()).add(doc.get("boost"))
    assert boosts.keys() == terms.keys()
    assert all(len(b) == 1 for b in boosts.values())  # every entry of a page alike
    boost = {slug: b.pop() for slug, b in boosts.items()}
    assert max(boost, key=boost.get) == "vanishing-gradient"
    assert boost["vanishing-gradient"] == pytest.approx(3 * (1 + 1e-5), abs=1e-12)
    assert all(3 < b < boost["vanishing-gradient"] for s, b in boost.items()
               if s != "vanishing-gradient")


def test_domain_and_difficulty_pages_list_their_terms(real_site: Path, terms: dict) -> None:
    for key in ("normalization", "sequence-models"):
        html = (real_site / f"domains/{key}/index.html").read_text()
        linked = set(re.findall(r'href="\.\./\.\./terms/([a-z0-9-]+)/"', html))
        assert linked == {s for s, t in terms.items() if key in t.domains}
        assert f'href="../../terms/?domain={key}"' in html
    html = (real_site / "difficulty/advanced/index.html").read_text()
    linked = set(re.findall(r'href="\.\./\.\./terms/([a-z0-9-]+)/"', html))
    assert linked == {s for s, t in terms.items() if t.difficulty == "advanced"}
    home = (real_site / "index.html").read_text()
    assert 'href="terms/vanishing-gradient/"' in home  # core concepts
    assert 'href="domains/normalization/"' in home and 'href="difficulty/beginner/"' in home


def broken_links(site: Path, root_path: str = "/") -> list[str]:
    """Every link of every built page that leads to no file (or no anchor) of ``site``;
    ``root_path`` is the path of ``site_url``, which links from the site root begin with."""
    pages = {p: Page(p.read_text(encoding="utf-8")) for p in html_pages(site)}
    broken = []
    for path, page in pages.items():
        for href, _ in page.links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("//", "mailto:", "data:", "javascript:")):
                continue
            if parts.path.startswith("/"):  # Material's 404 page links from the site root
                target = (site / unquote(parts.path).removeprefix(root_path).lstrip("/")).resolve()
            else:
                target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(site)}: {href}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set()
                if parts.fragment not in ids:
                    broken.append(f"{path.relative_to(site)}: {href} (no anchor)")
    return broken


def test_every_internal_link_and_anchor_resolves(real_site: Path) -> None:
    assert broken_links(real_site) == []


@pytest.mark.parametrize("settings", [
    {"use_directory_urls": False},
    {"terms_dir": "reference/glossary", "site_url": "https://example.org/docs/glossary/"},
    {"terms_dir": "words", "use_directory_urls": False, "site_url": "https://example.org/"},
    # MkDocs percent-encodes a page's url (my%20terms/...): the term pages, looked up by the
    # plain name, lost their previews, structured data and search names, with no warning.
    {"terms_dir": "my términos", "site_url": "https://example.org/"},
], ids=["file-urls", "sub-path", "both", "spaced-folder"])
def test_every_address_of_the_site_resolves_whatever_its_url_layout(
        tmp_path: Path, settings: dict) -> None:
    """Pages, sitemap and the exports (glossary.json/.csv, graph.json) all name files of the
    site: glossary.json once said terms/<slug>/ whatever terms_dir and use_directory_urls."""
    project = copy_fixture("mini", tmp_path)
    config = (project / "mkdocs.yml").read_text()
    if "terms_dir" in settings:
        config = config.replace("  - lexigraph", f"  - lexigraph:\n      terms_dir: {settings['terms_dir']}")
    config += "".join(f"{k}: {str(v).lower() if isinstance(v, bool) else v}\n"
                      for k, v in settings.items() if k != "terms_dir")
    (project / "mkdocs.yml").write_text(config)
    site = build_site(project, tmp_path / "site")
    site_url = settings.get("site_url", "")
    root_path = urlsplit(site_url).path or "/"
    assert broken_links(site, root_path) == []

    def file_of(url: str) -> Path:  # an address of the exports: absolute, or from the root
        path = unquote(urlsplit(url).path).removeprefix(root_path if site_url else "")
        target = site / path.lstrip("/")
        return target / "index.html" if url.endswith("/") else target

    data = json.loads((site / "glossary.json").read_text())
    rows = list(csv.DictReader(io.StringIO((site / "glossary.csv").read_text())))
    graph = json.loads((site / "graph.json").read_text())
    urls = [t["url"] for t in data["terms"]] + [r["url"] for r in rows]
    assert len(urls) == 6 and all(u.startswith(site_url) for u in urls), urls
    assert [u for u in urls if not file_of(u).is_file()] == []
    # From the site root: the graph's nodes, and the names the not-found page offers.
    names = json.loads((site / "assets/lexigraph/names.json").read_text())
    assert sorted(n[0] for n in names["terms"]) == sorted(n["id"] for n in graph["nodes"])
    nodes = [unquote(pattern.replace("{}", n["id"])) for n in graph["nodes"]
             for pattern in (graph["url"], names["url"])]
    assert len(nodes) == 6 and [u for u in nodes if not (site / u).is_file()
                                and not (site / u / "index.html").is_file()] == []
    if site_url:
        locs = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text())
        assert locs and [u for u in locs if not file_of(u).is_file()] == []
    # Each term page is known as one: its links to terms marked for previews, its structured
    # data, its names in the search index.
    folder = site / settings.get("terms_dir", "terms")
    pages = [folder / slug / "index.html" if settings.get("use_directory_urls", True)
             else folder / f"{slug}.html" for slug in sorted(n["id"] for n in graph["nodes"])]
    html = [page.read_text(encoding="utf-8") for page in pages]
    assert all('"@type":"DefinedTerm"' in text for text in html)
    assert sum(text.count("data-lx-term") for text in html) > 3
    index = json.loads((site / "search" / "search_index.json").read_text())
    tagged = [doc["location"] for doc in index["docs"] if doc.get("tags")]
    assert len(tagged) == len(pages), tagged


# --- In the browser ----------------------------------------------------------------------------

@pytest.mark.browser
def test_copy_link_and_cite(page, real_site: Path) -> None:
    base = serve(real_site)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(base + "terms/lstm/")
    page.click(".lx-copy-link")
    page.wait_for_function("document.querySelector('.lx-tool-status').textContent !== ''")
    assert page.inner_text(".lx-tool-status") == "Link copied."
    assert page.evaluate("navigator.clipboard.readText()") == "http://127.0.0.1:8000/terms/lstm/"
    page.click(".lx-cite")
    citation = page.inner_text(".lx-citation")
    assert citation.startswith("\u201cLSTM.\u201d In Vanishing Gradient Glossary. Retrieved ")
    assert citation.endswith("from http://127.0.0.1:8000/terms/lstm/")
    assert page.get_attribute(".lx-cite", "aria-expanded") == "true"
    # Each press is said, a second one too (a live region says nothing for the same words
    # written again), and "copied" goes with the citation it spoke of.
    page.wait_for_function("document.querySelector('.lx-tool-status').textContent === 'Citation copied.'")
    page.evaluate("""() => { window.said = []; const s = document.querySelector('.lx-tool-status');
      new MutationObserver(() => said.push(s.textContent))
        .observe(s, {childList: true, characterData: true, subtree: true}); }""")
    page.click(".lx-copy-link")
    page.wait_for_function("window.said.at(-1) === 'Link copied.'")
    page.click(".lx-copy-link")
    page.wait_for_function("window.said.length === 4")
    assert page.evaluate("window.said") == ["", "Link copied.", "", "Link copied."]
    page.click(".lx-cite")  # (closed)
    assert page.get_attribute(".lx-cite", "aria-expanded") == "false"
    page.wait_for_timeout(300)
    assert page.inner_text(".lx-tool-status") == ""


@pytest.mark.browser
def test_touch_first_tap_previews_second_tap_follows(browser, real_site: Path) -> None:
    context = browser.new_context(has_touch=True, is_mobile=True,
                                  viewport={"width": 400, "height": 800})
    outside: list[str] = []
    context.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).hostname
                  == "127.0.0.1" else (outside.append(r.request.url), r.abort()))
    page = context.new_page()
    page.goto(serve(real_site) + "terms/vanishing-gradient/")
    link = page.locator("article a[data-lx-term][href$='/backpropagation/']").first
    link.scroll_into_view_if_needed()
    link.tap()
    page.locator(".lx-preview").wait_for()
    assert urlsplit(page.url).path.endswith("/terms/vanishing-gradient/")  # no navigation
    link.tap()
    page.wait_for_url("**/terms/backpropagation/")
    # In the A-Z index each row shows its summary already: one tap opens the term.
    page.goto(serve(real_site) + "terms/")
    row_link = page.locator(".lx-terms li[data-slug=lstm] a")
    row_link.scroll_into_view_if_needed()
    row_link.tap()
    page.wait_for_url("**/terms/lstm/")
    context.close()
    assert outside == []


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGE_TYPES = ["", "terms/", "terms/batch-normalization/", "domains/normalization/", "graph/",
              "difficulty/advanced/", "demos/", "about/"]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(browser, real_site: Path, scheme: str) -> None:
    assert AXE.is_file(), "axe-core is missing: `make setup` runs `npm ci`"
    context = browser.new_context(color_scheme=scheme)
    context.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).hostname
                  == "127.0.0.1" else r.abort())
    page = context.new_page()
    base = serve(real_site)
    found = []

    def audit(label: str) -> None:
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})")
        for v in result["violations"]:
            if v["impact"] in ("serious", "critical"):
                nodes = [n["target"] for n in v["nodes"][:3]]
                found.append(f"{scheme} {label}: {v['id']} {nodes}")

    for path in PAGE_TYPES:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        audit(path or "/")
    # The search dialog: result count, results with highlights and "missing", a suggestion.
    search_for(page, "sigmiod saturation")
    page.wait_for_selector(".lx-suggest button")
    page.wait_for_function(  # the dialog's fade-in (.4 s) is over
        "getComputedStyle(document.querySelector('.md-search__output')).opacity === '1'")
    audit("search")
    context.close()
    assert found == []


@pytest.mark.browser
@pytest.mark.parametrize("path", [*PAGE_TYPES, "domains/", "difficulty/", "404.html"])
def test_every_page_type_is_complete_offline(page, real_site: Path, path: str) -> None:
    missing: list[str] = []
    page.on("response", lambda r: missing.append(f"{r.status} {r.url}") if r.status >= 400
            and not r.url.endswith("404.html") else None)
    page.goto(serve(real_site) + path)
    page.wait_for_load_state("networkidle")
    assert missing == []
    # Icons are inline SVG and math is MathML: nothing to fetch from elsewhere.
    assert page.evaluate("document.fonts.status") == "loaded"


def _printed_pages(page, url: str) -> int:
    page.goto(url)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.browser
def test_print_gives_a_clean_page_with_only_the_term(page, real_site: Path) -> None:
    base = serve(real_site)
    page.goto(base + "terms/relu/")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-footer',
        '.lx-tools', '.lx-local-graph', '.lx-path', '.lx-backlinks', '#referenced-by',
        '#learning-path', '#concept-map'].map(sel => {
          const el = document.querySelector(sel);
          return [sel, el === null ? 'absent' : getComputedStyle(el).display];
        })""")
    assert all(display in ("none", "absent") for _, display in hidden), hidden
    for shown in ("article h1", ".lx-summary", "#definition", "#references", ".lx-related a"):
        assert page.is_visible(shown), shown
    # A short entry fits one sheet; the longest entry of the glossary needs no more than two.
    assert _printed_pages(page, base + "terms/gradient/") == 1
    assert _printed_pages(page, base + "terms/vanishing-gradient/") <= 2


@pytest.mark.browser
def test_skip_link_comes_first_and_lands_on_the_content(page, real_site: Path) -> None:
    # A page without a demo: one going live under load replaces its controls, and focus
    # navigation would start again from the top of the page.
    url = serve(real_site) + "terms/chain-rule/"
    page.goto(url)
    page.wait_for_load_state("networkidle")  # the concept map has been drawn
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.keyboard.press("Tab")
    first = page.evaluate("[document.activeElement.textContent.trim(), "
                          "document.activeElement.getAttribute('href')]")
    assert first[0].lower().startswith("skip to content"), first
    target = first[1].split("#", 1)[1]
    assert page.locator(f"[id='{target}']").count() == 1
    # Following the skip link moves the keyboard past the header and navigation: the next Tab
    # lands inside the page's content, and no element reorders focus with a positive tabindex.
    # It is a jump within the page: focus moves to the target and the page is not fetched again
    # (Material's instant navigation reloads a page on a fragment navigation, and a Tab pressed
    # before the new page is swapped in lost focus to the top of the page).
    page.keyboard.press("Enter")
    page.wait_for_function("(id) => location.hash === '#' + id", arg=target)
    assert page.evaluate("document.activeElement.id") == target
    page.keyboard.press("Tab")
    focused = page.evaluate("[!!document.activeElement.closest('.md-content'), "
                            "document.activeElement.outerHTML.slice(0, 160), location.hash]")
    assert focused[0], focused
    assert url not in fetched, fetched
    assert page.evaluate("[...document.querySelectorAll('[tabindex]')]"
                         ".filter(e => e.tabIndex > 0).length") == 0


#: WCAG contrast of an element's text against what is painted behind it (its own and its
#: ancestors' backgrounds, composited), from computed styles: [ratio, text, background].
CONTRAST = """(e) => {
  const rgba = (c) => { const v = c.match(/[\\d.]+/g).map(Number); return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1]; };
  const over = (top, under) => top.map((c, i) => i < 3 ? c * top[3] + under[i] * (1 - top[3]) : 1);
  const layers = [];
  for (let n = e; n; n = n.parentElement) layers.push(rgba(getComputedStyle(n).backgroundColor));
  const back = layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]);
  const text = over(rgba(getComputedStyle(e).color), back);
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                       return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const [a, b] = [lum(text), lum(back)].sort((x, y) => y - x);
  return [(a + 0.05) / (b + 0.05), getComputedStyle(e).color, back.slice(0, 3).map(Math.round).join(",")];
}"""

#: The contrast of a field's edge with the page (WCAG 1.4.11 asks 3:1): its border colour laid
#: over the page's background.
EDGE_CONTRAST = """(e) => {
  const rgba = (c) => { const v = c.match(/[\\d.]+/g).map(Number); return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1]; };
  const back = rgba(getComputedStyle(document.body).backgroundColor), top = rgba(getComputedStyle(e).borderTopColor);
  const line = top.slice(0, 3).map((c, i) => c * top[3] + back[i] * (1 - top[3]));
  const lum = (c) => c.map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
                      .reduce((s, v, i) => s + [0.2126, 0.7152, 0.0722][i] * v, 0);
  const [a, b] = [lum(line), lum(back.slice(0, 3))].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""

#: Fields whose edge is all that marks them, on pages that have them.
FIELDS = [("", "form.lx-home-search input"), ("graph/", ".lx-graph-tools input[name=find]"),
          ("graph/", ".lx-graph-tools select[name=domain]"), ("terms/", ".lx-filters select"),
          ("terms/vanishing-gradient/", ".lx-demo__control select")]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_fields_have_an_edge_of_3_to_1(browser, real_site: Path, scheme: str) -> None:
    """The Find box and the dropdowns had a border of 2.2:1, the home box's was 2.4:1 in the
    dark scheme: an empty field was hard to see as one (an accessibility review)."""
    context = browser.new_context(color_scheme=scheme)
    context.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).hostname
                  == "127.0.0.1" else r.abort())
    page = context.new_page()
    base, low = serve(real_site), []
    for path, selector in FIELDS:
        page.goto(base + path)
        field = page.locator(selector).first
        field.wait_for(state="attached")
        ratio = field.evaluate(EDGE_CONTRAST)
        if ratio < 3:
            low.append(f"{path} {selector}: {ratio:.2f}")
    context.close()
    assert low == []


#: Our own controls, on the pages that have them, and a link in running text (its hover colour
#: is the site's accent, chosen in mkdocs.yml).
CONTROLS = [("terms/vanishing-gradient/", "article p a[data-lx-term]"), ("terms/", ".lx-letterbar a"), ("terms/", ".lx-filters button[type=reset]"),
            ("terms/vanishing-gradient/", ".lx-copy-link"), ("terms/vanishing-gradient/", ".lx-cite"),
            ("terms/vanishing-gradient/", ".lx-chip"), ("graph/", ".lx-graph-modes [data-mode='3d']")]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_our_controls_keep_their_contrast_when_focused_or_hovered(browser, real_site: Path,
                                                                   scheme: str) -> None:
    """axe checks colours at rest; focus and hover put the theme's light accent (2.8:1 behind
    white) under our letters, chips and buttons, and in the dark scheme light text on it."""
    context = browser.new_context(color_scheme=scheme, reduced_motion="reduce")
    context.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).hostname
                  == "127.0.0.1" else r.abort())
    page = context.new_page()
    base = serve(real_site)
    low = []
    for path, selector in CONTROLS:
        page.goto(base + path)
        control = page.locator(selector).first
        for state in ("focus", "hover"):
            page.mouse.move(0, 0)
            page.evaluate("document.activeElement && document.activeElement.blur()")
            control.focus() if state == "focus" else control.hover()
            page.wait_for_timeout(300)  # Material's colour transitions (.25 s)
            ratio, text, back = control.evaluate(CONTRAST)
            if ratio < 4.5:
                low.append(f"{selector} {state}: {ratio:.2f} ({text} on rgb({back}))")
    context.close()
    assert low == []


UNDERLINED = "(sel) => [...document.querySelectorAll(sel)].map(a => [a.textContent.trim(), " \
             "getComputedStyle(a).textDecorationLine.includes('underline')])"


@pytest.mark.browser
def test_a_link_in_running_text_is_underlined_in_emphasis_too(page, real_site: Path) -> None:
    """Only a link that was a paragraph's or item's own child was underlined: the dozen in an
    <em> or <strong> (LSTM's misconception "LSTMs cannot have exploding gradients", Adam's
    "L2 regularization") were told from the text by colour alone, which paper loses too. What
    is not underlined stays so: buttons, chips, permalinks, the letter bar, the map's names."""
    base = serve(real_site)
    pages = sorted(p.parent.relative_to(real_site).as_posix() + "/"
                   for p in real_site.glob("terms/*/index.html")
                   if re.search(r"<(em|strong)>[^<]*<a ", p.read_text(encoding="utf-8")))
    assert len(pages) >= 5
    plain = []
    for path in pages:
        page.goto(base + path)
        links = page.evaluate(UNDERLINED, "article :is(em, strong) > a")
        assert links, path
        plain += [f"{path}: {text}" for text, underlined in links if not underlined]
    assert plain == []
    page.goto(base + "terms/vanishing-gradient/")
    page.wait_for_selector(".lx-map a")
    for kept in (".lx-chip", ".headerlink", ".lx-map a", ".lx-local-graph text"):
        assert not any(u for _, u in page.evaluate(UNDERLINED, kept)), kept
    page.goto(base + "terms/")
    assert not any(u for _, u in page.evaluate(UNDERLINED, ".lx-letterbar a, .lx-filters .md-button"))
