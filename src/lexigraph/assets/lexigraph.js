/* Lexigraph reader features on every page: link previews, a term page's tools, and the
   loading of what only some pages use (demos, maps, the graph, the A–Z index, the home page's
   search box) or some readers (search suggestions). Started from Material's document$ so
   they re-run after instant navigation. */
(function () {
  "use strict";

  /* ---------- Feature styles and scripts load only on the pages that use them ----------
     The build links a page's stylesheets in its <head> when it has a demo or the explorer
     (no unstyled first paint); after instant navigation they are added here. A term page's
     concept map needs only its small renderer (styled in lexigraph.css), never the explorer. */
  var HERE = document.currentScript ? document.currentScript.src : window.location.href;
  /* This script's address ends with the version of our files (?v=...: see
     lexigraph.site_assets): what it loads carries it too, so no file kept from before an
     update of the site runs with the new ones. */
  var VERSION = document.currentScript ? new URL(HERE).search : "";
  var FEATURES = [
    { selector: ".lx-demo[data-lx-demo]", styles: ["demo.css"],
      scripts: ["demo-chart.js", "demo-runtime.js", "demo.js"] },
    { selector: "[data-lx-local-graph]", styles: [], scripts: ["local-graph.js"] },
    { selector: ".lx-graph[data-lx-graph]", styles: ["graph.css"], scripts: ["graph.js"] },
    { selector: ".lx-letterbar", styles: ["index.css"], scripts: ["index.js"] },
    { selector: "form.lx-home-search", styles: ["home.css"], scripts: ["home.js"] },
    { selector: "[data-lx-notfound]", styles: [], scripts: ["suggest.js"] }
  ];
  var loading = {};
  function load(name, make) {
    var url = new URL(name + VERSION, HERE).href;
    if (!loading[url]) {
      loading[url] = new Promise(function (resolve, reject) {
        var el = make(url);
        el.onload = resolve;
        el.onerror = function () { reject(new Error("could not load " + url)); };
        document.head.appendChild(el);
      });
    }
    return loading[url];
  }
  function loadScript(name) {
    return load(name, function (url) {
      var script = document.createElement("script");
      script.src = url;
      return script;
    });
  }
  function loadStyle(name) {
    var url = new URL(name + VERSION, HERE).href;
    var present = Array.prototype.some.call(document.querySelectorAll('link[rel="stylesheet"]'),
      function (link) { return link.href === url; });
    if (present) return Promise.resolve();
    return load(name, function () {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = url;
      return link;
    });
  }
  function loadFeatures(root) {
    FEATURES.forEach(function (feature) {
      if (!root.querySelector(feature.selector)) return;
      /* Styles first, so nothing is drawn unstyled; then the scripts in order: each may use
         what the one before defined. Once loaded, a script subscribes to Material's document$
         (a replaying subject) and sets up this page. */
      var styled = Promise.all(feature.styles.map(loadStyle));
      feature.scripts.reduce(function (chain, name) {
        return chain.then(function () { return loadScript(name); });
      }, styled).catch(function (error) { console.error("lexigraph: " + error.message); });
    });
  }

  /* ---------- Hover / focus / tap previews of links to terms ---------- */
  var tip = null;
  var tipFor = null;  /* the link previewed, or whose preview is to come */
  var tapped = false;  /* the preview was opened by a tap */
  var hideTimer = 0;
  function hide() {
    clearTimeout(hideTimer);
    tapped = false;
    if (tip) { tip.remove(); tip = null; }
    if (tipFor) { tipFor.removeAttribute("aria-describedby"); tipFor = null; }
  }
  /* Preview data: one JSON map per page, {slug: [title, difficulty, summary]}, at the end
     of the content (replaced with it on instant navigation). */
  var previews = { source: null, data: {} };
  function preview(link) {
    var source = document.querySelector("template.lx-previews");
    if (source !== previews.source) {
      previews.source = source;
      try { previews.data = source ? JSON.parse(source.content.textContent) : {}; }
      catch (error) { previews.data = {}; console.error("lexigraph: bad preview data: " + error.message); }
    }
    return previews.data[slugOf(link)] || fromRow(link);
  }
  /* The term a marked link leads to: the last part of its address, ../relu/ or relu.html (the
     mark has no value: see lexigraph.previews). */
  function slugOf(link) {
    var path = (link.getAttribute("href") || "").split(/[?#]/)[0].replace(/\/$/, "").replace(/\.html$/, "");
    return path.slice(path.lastIndexOf("/") + 1);
  }
  /* A row of a list that prints each term's summary (LISTED) holds all a preview says, and
     the map leaves its terms out: <li>link, a badge or the row's data-difficulty, then the
     summary (after ": " in the related and backlink lists). */
  function fromRow(link) {
    var row = link.parentNode;
    if (row.tagName !== "LI" || !row.closest(LISTED)) return null;
    var badge = row.querySelector(".lx-badge"), summary = "";
    var level = row.getAttribute("data-difficulty") || (badge ? badge.className.replace(/.*lx-badge--/, "") : "");
    for (var node = link.nextSibling; node; node = node.nextSibling) {
      if (node !== badge) summary += node.textContent;
    }
    return [link.textContent, level, summary.replace(/^[\s:]+/, "").trim()];
  }
  /* Where the page has no data for a term (most terms of the concept map), a preview may
     come later: lexigraphPreviews.later (local-graph.js, local-graph-use.js) gives a promise
     of one, asking whether it is still wanted before it reads the term's page. show() shows
     the link's preview or waits for it: whether there is (or will be) one. */
  var shared = window.lexigraphPreviews = { fromRow: fromRow, slugOf: slugOf, later: null };
  function show(link) {
    if (tipFor === link) return true;
    var data = preview(link);
    var later = !data && shared.later && shared.later(link, function () {
      return tipFor === link && !tip;
    });
    hide();
    if (data) {
      place(link, data);
    } else if (later) {
      tipFor = link;
      later.then(function (found) { if (found && tipFor === link && !tip) place(link, found); });
    }
    return tipFor === link;
  }
  function place(link, data) {
    tip = document.createElement("div");
    tip.className = "lx-preview";
    tip.id = "lx-preview";
    tip.setAttribute("role", "tooltip");
    var title = document.createElement("strong");
    title.textContent = data[0];
    var badge = document.createElement("span");
    var level = data[1] || "";
    badge.className = "lx-badge lx-badge--" + level;
    badge.textContent = level.charAt(0).toUpperCase() + level.slice(1);
    title.appendChild(badge);
    var text = document.createElement("span");
    text.textContent = data[2];
    tip.appendChild(title);
    tip.appendChild(text);
    document.body.appendChild(tip);
    var r = link.getBoundingClientRect();
    var left = Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8);
    tip.style.left = Math.max(window.scrollX + 8, left) + "px";
    /* Below the link, or above it when the window has no room below but has some above. */
    var below = r.bottom + 6 + tip.offsetHeight <= window.innerHeight - 8;
    var above = r.top - 6 - tip.offsetHeight >= 8;
    tip.style.top = (window.scrollY + (below || !above ? r.bottom + 6 : r.top - 6 - tip.offsetHeight)) + "px";
    link.setAttribute("aria-describedby", "lx-preview");
    tipFor = link;
  }
  function termLink(target) {
    return target && target.closest ? target.closest("a[data-lx-term]") : null;
  }
  /* The preview stays while the pointer is on the link or on the preview itself (WCAG 1.4.13:
     a reader may move onto it, to select its text or to magnify it); leaving either hides it
     after a moment, long enough to cross the gap between them. */
  function onTip(node) { return tip !== null && node instanceof Node && tip.contains(node); }
  document.addEventListener("mouseover", function (e) {
    var a = termLink(e.target);
    if (a) { clearTimeout(hideTimer); show(a); } else if (onTip(e.target)) clearTimeout(hideTimer);
  });
  document.addEventListener("mouseout", function (e) {
    var a = termLink(e.target);
    var left = a ? !a.contains(e.relatedTarget) : onTip(e.target) && !onTip(e.relatedTarget);
    if (left && !onTip(e.relatedTarget)) {
      clearTimeout(hideTimer);
      hideTimer = setTimeout(hide, 300);
    }
  });
  /* Where a term's summary is printed beside its link (the A-Z index, related terms,
     backlinks, the lists of the home, domain and difficulty pages), a preview says it again
     and covers the next row: the keyboard and a tap pass it by there. */
  var LISTED = ".lx-terms,.lx-related,.lx-backlinks,[data-lx-summaries]";
  document.addEventListener("focusin", function (e) {
    var a = termLink(e.target);
    if (a && !a.closest(LISTED)) show(a); else hide();
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  /* Touch: the first tap shows the preview, a second tap on the same link follows it; where
     the term's summary is printed beside the link (LISTED), the first tap follows. A finger
     that moved is scrolling, not tapping a link; and a tapped preview goes once the page
     scrolls, as nothing else would take it away. */
  var down = null;  /* where the finger went down (document touch listeners are passive) */
  document.addEventListener("touchstart", function (e) { down = e.touches[0]; });
  document.addEventListener("touchend", function (e) {
    var a = termLink(e.target), t = e.changedTouches[0];
    if (!down || Math.hypot(t.clientX - down.clientX, t.clientY - down.clientY) > 10) return;
    if (!a) { hide(); return; }
    /* (a link with no preview, here or to come, is followed at once, not held for one) */
    if (tipFor !== a && !a.closest(LISTED) && show(a)) {
      e.preventDefault();
      tapped = true;
    }
  }, { passive: false });
  window.addEventListener("scroll", function () { if (tapped) hide(); });

  /* ---------- Term pages: copy link, cite ---------- */
  function canonicalUrl() {
    var link = document.querySelector('link[rel="canonical"]');
    return link ? link.href : window.location.href.split("#")[0].split("?")[0];
  }
  function citation() {
    var h1 = document.querySelector("article h1");
    var site = document.querySelector('meta[property="og:site_name"]');
    var today = new Date().toISOString().slice(0, 10);
    var title = h1 ? h1.textContent.replace(/\u00b6$/, "").trim() : document.title;
    return "\u201c" + title + ".\u201d In " + (site ? site.content : document.title) +
      ". Retrieved " + today + ", from " + canonicalUrl();
  }
  /* The status is a live region: the same words written again are not said again, so it is
     emptied first, and what it says comes a moment later (a second Copy link says so too). */
  function copyText(text, status, done) {
    status.textContent = "";
    function say(words) {
      clearTimeout(status.lxSay);
      status.lxSay = setTimeout(function () { status.textContent = words; }, 100);
    }
    function ok() { say(done); }
    function fail() { say("Copy this: " + text); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(ok, fail);
    } else {
      fail();
    }
  }
  function setupTools(root) {
    var tools = root.querySelector(".lx-tools");
    if (!tools) return;
    var status = tools.querySelector(".lx-tool-status");
    var quote = tools.querySelector(".lx-citation");
    var cite = tools.querySelector(".lx-cite");
    tools.setAttribute("data-lx-ready", "");  /* shown (lexigraph.css): they work now */
    tools.querySelector(".lx-copy-link").addEventListener("click", function () {
      copyText(canonicalUrl(), status, "Link copied.");
    });
    cite.addEventListener("click", function () {
      var open = quote.hidden;
      quote.hidden = !open;
      cite.setAttribute("aria-expanded", String(open));
      if (open) {
        quote.textContent = citation();
        copyText(quote.textContent, status, "Citation copied.");
      } else {  // (not "copied" beside a citation no longer shown, nor a moment later)
        clearTimeout(status.lxSay);
        status.textContent = "";
      }
    });
  }

  /* The skip link is a jump within the page, yet a fragment navigation fires "popstate",
     on which Material's instant navigation fetches the page again and swaps it in: a keyboard
     user's next Tab, if it comes before the swap, focuses an element that is then removed, and
     focus falls back to the top of the page. Here the jump is made in place: the address
     shows the fragment and focus moves to the target, so the next Tab starts from the content. */
  document.addEventListener("click", function (e) {
    var link = e.target instanceof Element ? e.target.closest("a.md-skip") : null;
    if (!link || e.metaKey || e.ctrlKey || e.shiftKey || !link.hash) return;
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) return;
    e.preventDefault();
    e.stopPropagation();
    history.pushState(history.state, "", link.hash);
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }, true);

  /* "Did you mean" for a misspelt search (suggest.js) loads once the search box is used. */
  function setupSuggestions() {
    var input = document.querySelector("input.md-search__input");
    if (!input || input.lxSuggest) return;
    input.lxSuggest = true;
    function suggest() {
      loadScript("suggest.js").catch(function (error) { console.error("lexigraph: " + error.message); });
    }
    if (document.activeElement === input) suggest();
    else input.addEventListener("focus", suggest, { once: true });
  }

  /* Material's search posts each query to its worker ({type: 2, data: the query as typed});
     suggest.js says what the worker is to search instead (its LexigraphSearch.query: a question
     without its stop words, a possessive without its 's). A query waits for that script, which
     the search box's first use has mostly loaded already; the queries go in the order typed,
     and as typed if the script cannot load. (The worker lives on through instant navigation,
     as this does.) */
  if (window.Worker) {
    var post = Worker.prototype.postMessage, posted = Promise.resolve();
    Worker.prototype.postMessage = function (message) {
      if (!message || message.type !== 2 || typeof message.data !== "string") {
        return post.apply(this, arguments);
      }
      var worker = this, query = message.data;
      if (!/\S/.test(query)) {  /* (Material's empty query as a page opens: nothing to load) */
        posted = posted.then(function () { post.call(worker, message); });
        return;
      }
      posted = posted.then(function () {
        return loadScript("suggest.js");
      }).then(function () {
        return window.LexigraphSearch.query(query);
      }).catch(function () { return query; }).then(function (searched) {
        post.call(worker, { type: message.type, data: searched });
      });
    };
  }

  /* A formula wider than the column (on a phone, most long display formulas and a few in
     running text) scrolls sideways: it is made focusable, so that the keyboard can scroll it
     too, and marked, so that the stylesheet shades the side where more of it is. Checked
     again when the window changes size. */
  function wideFormulas(root) {
    Array.prototype.forEach.call(root.querySelectorAll("math"), function (m) {
      var wide = m.scrollWidth > m.clientWidth + 1;
      if (wide && !m.hasAttribute("tabindex")) {
        m.setAttribute("tabindex", "0");
        m.setAttribute("data-lx-wide", "");
      } else if (!wide && m.hasAttribute("data-lx-wide")) {
        m.removeAttribute("tabindex");
        m.removeAttribute("data-lx-wide");
      }
    });
  }
  var resized = 0;
  window.addEventListener("resize", function () {
    clearTimeout(resized);
    resized = setTimeout(function () { wideFormulas(document); }, 200);
  });

  function start() {
    /* Material's search is a dialog without a name; screen readers announce this one. */
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
    setupSuggestions();
    hide();
    setupTools(document);
    wideFormulas(document);
    loadFeatures(document);
  }
  /* Every script of ours starts on Material's document$, which replays the page and brings
     each page instant navigation swaps in; opened from a file, Material's document$ never
     emits (instant navigation is off there), so they start once the page is parsed. */
  if (window.document$ && typeof window.document$.subscribe === "function" && location.protocol !== "file:") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
