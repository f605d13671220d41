/* Lexigraph concept map in use: what a term page's map needs once a reader focuses a term of
   it, or wants the preview of a term the page holds no data for (local-graph.js, which draws
   the map, loads this then). The map is one stop of the Tab key; the arrow keys move within
   it. Such terms are previewed from their rows on the page or from their own pages
   (lexigraph.js shows the previews: see lexigraphPreviews there). */
(function () {
  "use strict";
  if (window.lexigraphMapUse) return;  // (its listeners are the document's: once a page)
  window.lexigraphMapUse = true;
  var TERM = "svg.lx-map a";

  /* A roving tabindex: the map's 29 or so terms are one stop of the Tab key, not 29 between
     the learning path and the keywords. Tab enters the map on the term focused last (at
     first its first term, as local-graph.js draws it) and the next Tab leaves it; focus by
     pointer or tap moves the stop too. Within the map the arrow keys move to the nearest
     term roughly in that direction on screen, as in the explorer (graph.js); Home and End go
     to the first and last term, Enter follows the link and Escape takes the preview away
     (lexigraph.js). Listened to on the document: the maps of pages reached by instant
     navigation, and maps drawn again, need nothing more. */
  var DIRS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  function term(target) { return target && target.closest ? target.closest(TERM) : null; }
  function terms(a) { return [].slice.call(a.closest("svg").querySelectorAll("a")); }
  function stop(a) {
    terms(a).forEach(function (b) { b.setAttribute("tabindex", b === a ? "0" : "-1"); });
  }
  document.addEventListener("focusin", function (e) {
    var a = term(e.target);
    if (a) stop(a);
  });
  document.addEventListener("keydown", function (e) {
    var from = term(e.target), to = null;
    if (!from || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var all = terms(from);
    if (DIRS[e.key]) to = toward(all, from, DIRS[e.key]);
    else if (e.key === "Home") to = all[0];
    else if (e.key === "End") to = all[all.length - 1];
    else return;
    e.preventDefault();  // (the page does not scroll)
    if (to) to.focus();
  });
  /* The term nearest to ``from`` roughly in direction ``dir``: ahead of it, no more than
     1.5 times as far across as along, the distance along plus twice that across least. */
  function toward(all, from, dir) {
    function centre(a) {
      var r = a.querySelector(".lx-map-hit").getBoundingClientRect();
      return [r.left + r.width / 2, r.top + r.height / 2];
    }
    var p = centre(from), best = null, least = Infinity;
    all.forEach(function (a) {
      var q = centre(a), dx = q[0] - p[0], dy = q[1] - p[1];
      var along = dx * dir[0] + dy * dir[1], across = Math.abs(dx * dir[1] - dy * dir[0]);
      if (a === from || along <= 0 || across > along * 1.5) return;
      if (along + 2 * across < least) { least = along + 2 * across; best = a; }
    });
    return best;
  }

  /* The page's preview data holds the terms linked in its text and learning path; of the
     map's terms, those in the related and backlink lists are previewed from their rows, and
     the rest (most terms two links away) from their own pages: read once the pointer or the
     focus has rested on the term a moment (a sweep of the pointer or of the arrow keys
     across the map reads nothing), and kept across instant navigation; the browser keeps a
     page read for when the reader opens it. Their data on every term page would add 2 KB
     to it. Opened from a file, the pages cannot be read. */
  var READ_AFTER = 150;  // ms
  var read = {};  // address: a promise of [title, difficulty, summary], or of null
  function fromPage(url) {
    read[url] = read[url] || fetch(url).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    }).then(function (text) {
      var page = new DOMParser().parseFromString(text, "text/html");
      var h1 = page.querySelector("article h1"), summary = page.querySelector('meta[name="description"]');
      var badge = page.querySelector(".lx-term-head .lx-badge");
      if (!h1 || !summary) return null;
      [].forEach.call(h1.querySelectorAll(".headerlink"), function (a) { a.remove(); });
      return [h1.textContent.trim(), badge ? badge.className.replace(/.*lx-badge--/, "") : "",
              summary.getAttribute("content")];
    }).catch(function () {
      delete read[url];  // (offline a moment, say: tried again next time)
      return null;
    });
    return read[url];
  }
  var previews = window.lexigraphPreviews;
  if (previews) previews.later = function (link, wanted) {
    if (!link.closest(".lx-map")) return null;
    var slug = previews.slugOf(link);
    var rows = [].filter.call(document.querySelectorAll("a[data-lx-term]"), function (a) {
      return previews.slugOf(a) === slug;
    }).map(previews.fromRow).filter(Boolean);
    if (rows.length) return Promise.resolve(rows[0]);
    if (!/^https?:$/.test(location.protocol)) return null;
    var url = new URL(link.getAttribute("href"), document.baseURI);
    return new Promise(function (done) { setTimeout(done, READ_AFTER); }).then(function () {
      return wanted() ? fromPage(url.origin + url.pathname) : null;
    });
  };

  // Focus may have come to a term before this was loaded: that term is the stop.
  var at = term(document.activeElement);
  if (at) stop(at);
})();
