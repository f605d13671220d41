/* Lexigraph's A–Z index: filters whose state lives in the URL query, and the letter bar.
   Loaded by lexigraph.js on the page that has the index (styled by index.css), so that the
   script every term page loads does not carry it. */
(function () {
  "use strict";

  var letterBar = null;  /* this page's letter bar, if it has one (see setupIndex) */
  window.addEventListener("resize", function () { if (letterBar) letterBar.fit(); });
  /* In the capture phase, before Material's instant navigation sees the click. */
  document.addEventListener("click", function (e) {
    var link = e.target instanceof Element ? e.target.closest(".lx-letterbar a[data-letter]") : null;
    if (!link || !letterBar || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    e.stopPropagation();
    letterBar.jump(link);
  }, true);
  function setupIndex(root) {
    letterBar = null;
    var form = root.querySelector("form.lx-filters");
    if (!form) return;
    var items = Array.prototype.slice.call(root.querySelectorAll(".lx-terms li"));
    var sections = Array.prototype.slice.call(root.querySelectorAll("section.lx-letter"));
    var count = form.querySelector(".lx-count");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var fields = { domain: "domains", industry: "industries", difficulty: "difficulty" };

    /* The URL's filters; a filter it does not name keeps what the reader may have chosen
       before this script ran (it loads after the page: the choice had no effect yet).
       Returns whether there was such a choice. */
    var unknown = [];  /* filters of the address the index does not have ("?domain=bogus") */
    function readUrl() {
      var params = new URLSearchParams(window.location.search), chosen = false;
      unknown = [];
      selects.forEach(function (s) {
        if (!params.has(s.name)) { chosen = chosen || s.value !== ""; return; }
        var v = params.get(s.name) || "";
        var known = Array.prototype.some.call(s.options, function (o) { return o.value === v; });
        s.value = known ? v : "";
        if (!known && v) { unknown.push(s.name + " \u201c" + v + "\u201d"); chosen = true; }
      });
      return chosen;
    }
    function apply(push) {
      var wanted = {};
      selects.forEach(function (s) { if (s.value) wanted[s.name] = s.value; });
      var shown = 0;
      items.forEach(function (li) {
        var ok = Object.keys(wanted).every(function (name) {
          var values = (li.getAttribute("data-" + fields[name]) || "").split(" ");
          return values.indexOf(wanted[name]) !== -1;
        });
        li.hidden = !ok;
        if (ok) shown += 1;
      });
      sections.forEach(function (sec) {
        var any = sec.querySelector("li:not([hidden])") !== null;
        sec.hidden = !any;
        var link = root.querySelector('.lx-letterbar a[data-letter="' + sec.getAttribute("data-letter") + '"]');
        if (link) {
          /* A letter the filters empty is greyed and out of the tab order (no dead stops). */
          if (any) {
            link.removeAttribute("aria-disabled"); link.removeAttribute("tabindex");
            link.classList.remove("lx-disabled");
          } else {
            link.setAttribute("aria-disabled", "true"); link.setAttribute("tabindex", "-1");
            link.classList.add("lx-disabled");
          }
        }
      });
      /* The count is beside "Clear filters" and speaks (aria-live): it says so when the list
         is empty, rather than "0 terms" over nothing. */
      if (count) count.textContent = shown ? shown + (shown === 1 ? " term" : " terms")
                                           : "No term matches these filters.";
      /* A filter of the address that names nothing here is said, once, and dropped from it. */
      if (count && unknown.length) {
        count.textContent = "No " + unknown.join(" nor ") + " here: " + count.textContent + ".";
        unknown = [];
      }
      if (push) {
        var params = new URLSearchParams(window.location.search);
        selects.forEach(function (s) { if (s.value) params.set(s.name, s.value); else params.delete(s.name); });
        var query = params.toString();
        history.replaceState(history.state, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      }
    }
    /* The letter bar jumps within the page, keeping the filters in the URL (instant
       navigation would take "#letter-s" for a new page and drop the query), and leaves each
       letter's heading below the sticky bar, however many rows the bar wraps to. */
    var bar = root.querySelector(".lx-letterbar");
    function fitBar() {
      if (bar) document.documentElement.style.setProperty("--lx-letterbar-height", bar.offsetHeight + "px");
    }
    function jump(section) {
      fitBar();
      section.scrollIntoView({ block: "start" });
      var heading = section.querySelector("h2");
      if (heading) {
        heading.setAttribute("tabindex", "-1");  /* keyboard focus follows the jump */
        heading.focus({ preventScroll: true });
      }
    }
    if (bar) {
      letterBar = {
        fit: fitBar,
        jump: function (link) {
          var section = link.getAttribute("aria-disabled") ? null
            : document.getElementById(decodeURIComponent(link.hash.slice(1)));
          if (!section) return;
          history.replaceState(history.state, "", window.location.pathname + window.location.search
                               + "#" + section.id);
          jump(section);
        }
      };
      fitBar();
      var first = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
      if (first && first.matches("section.lx-letter")) jump(first);
    }
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    apply(readUrl());
    document.documentElement.classList.remove("lx-index-pending");  /* (see index.css) */
    form.setAttribute("data-lx-ready", "");  /* the filters are live (as the graph's data-3d) */
  }

  // Loaded once the page is parsed; Material's document$ replays the current page at once
  // and brings every page reached by instant navigation (setupIndex forgets a letter bar
  // that is gone).
  if (window.document$ && typeof window.document$.subscribe === "function" && location.protocol !== "file:") {
    window.document$.subscribe(function () { setupIndex(document); });
  } else {
    setupIndex(document);
  }
})();
