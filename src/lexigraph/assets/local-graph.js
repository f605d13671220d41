/* Lexigraph concept map: the term of a term page and its neighbours within two links, drawn
   as SVG (no library) from the positions the build put in the figure's data-lx-local-graph
   attribute (see lexigraph.local_graph). Every other term is a real link, previewed as
   every link to a term is (lexigraph.js), and the map is one stop of the Tab key, within
   which the arrow keys move: local-graph-use.js, loaded once a reader uses a map. Loaded by
   lexigraph.js on pages that have a map; the explorer of graph/ is graph.js. Styles are in
   lexigraph.css. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var DIRECTED = { prerequisite: true, mentions: true, related: false };
  var RADIUS = { 0: 0.17, 1: 0.1, 2: 0.07 };  // by ring: the term, its neighbours, theirs

  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function shorten(text, n) { return text.length > n ? text.slice(0, n - 1) + "…" : text; }

  function draw(figure) {
    if (figure.querySelector("svg")) return;
    /* {url: "../{}/", colors: [...], kinds: [...], nodes: [[slug, title, ring, x, y, colour]],
        edges: [[from, to, kind]]} */
    var data = JSON.parse(figure.getAttribute("data-lx-local-graph"));
    var nodes = data.nodes.map(function (n) {
      return { slug: n[0], title: n[1], d: n[2], x: n[3], y: n[4], color: data.colors[n[5]] };
    });
    var narrow = phone.matches, crowded = !narrow && nodes.filter(function (n) { return n.d === 2; }).length > 20;
    if (narrow) columns(nodes);
    var root = svg("svg", { viewBox: "-3.6 -2.55 7.2 5.1", "class": "lx-map" + (crowded ? " lx-map--crowded" : "") });
    /* Named for what it is and how the keyboard moves in it (as the explorer is); the
       figure's caption says what its lines are. */
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", "Concept map of " + byRing(nodes)[0].title +
      ": arrow keys move between its terms, Enter opens one.");
    var defs = svg("defs");
    var marker = svg("marker", { id: "lx-arrow", viewBox: "0 0 10 10", refX: "10", refY: "5",
      markerUnits: "userSpaceOnUse", markerWidth: "0.12", markerHeight: "0.12", orient: "auto-start-reverse" });
    marker.appendChild(svg("path", { d: "M0,0 L10,5 L0,10 z", "class": "lx-map-arrow" }));
    defs.appendChild(marker);
    root.appendChild(defs);
    var edges = svg("g", { "class": "lx-map-edges" });
    data.edges.forEach(function (e) {
      var a = nodes[e[0]], b = nodes[e[1]], kind = data.kinds[e[2]];
      var dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
      var ra = RADIUS[a.d] + 0.02, rb = RADIUS[b.d] + 0.04;
      var line = svg("line", { x1: a.x + dx * ra / len, y1: -(a.y + dy * ra / len),
        x2: b.x - dx * rb / len, y2: -(b.y - dy * rb / len), "class": "lx-map-edge lx-map-edge--" + kind });
      if (DIRECTED[kind]) line.setAttribute("marker-end", "url(#lx-arrow)");
      edges.appendChild(line);
    });
    root.appendChild(edges);
    // Dots, outer ring first: the nearer terms are drawn on top.
    var dots = svg("g", { "class": "lx-map-dots", "aria-hidden": "true" });
    byRing(nodes).reverse().forEach(function (n) {
      dots.appendChild(svg("circle", { cx: n.x, cy: -n.y, r: RADIUS[n.d], fill: n.color,
                                       "class": "lx-map-dot lx-map-dot--d" + n.d }));
    });
    root.appendChild(dots);
    /* Terms in the order a screen reader reads them: the term, its neighbours, then theirs,
       each ring in the build's order (by slug; the arrow keys move by place: see keys). Each
       link is the dot's hit area (made at least 24 CSS px across once the map's scale is
       known, see hitAreas) and its label; its name is the term's whole title (a label may be
       cut short, or shown only on hover or focus). It is marked as lexigraph.js marks links
       to terms, for its preview (from the page's data, else from the term's page). */
    var labels = [];
    byRing(nodes).forEach(function (n) {
      var g = n.d ? svg("a", { href: data.url.replace("{}", n.slug), "data-lx-term": "",
                               "aria-label": n.title, tabindex: "-1" })
                  : svg("g", { "aria-current": "page" });
      g.setAttribute("class", "lx-map-node lx-map-node--d" + n.d);
      if (n.d) g.appendChild(svg("circle", { cx: n.x, cy: -n.y, r: RADIUS[n.d], "class": "lx-map-hit" }));
      var anchor = n.x > 0.15 ? "start" : n.x < -0.15 ? "end" : "middle";
      var off = RADIUS[n.d] + 0.06;
      var label = svg("text", { x: n.x + (anchor === "start" ? off : anchor === "end" ? -off : 0),
        y: -n.y + (anchor === "middle" ? (n.y > 0 ? -off : off + 0.1) : 0.05), "text-anchor": anchor });
      label.textContent = n.d === 0 ? n.title : shorten(n.title, n.d === 1 && !narrow ? 26 : 20);
      g.appendChild(label);
      root.appendChild(g);
      labels.push({ node: n, el: label });
    });
    figure.insertBefore(root, figure.firstChild);
    root.querySelector("a").setAttribute("tabindex", "0");  // the map's stop (see use)
    declutter(labels);
    fit(root, narrow ? 3 : 3.6);
    hitAreas(root);
    /* A touch screen has no hover: the first tap on a term whose name is hidden focuses it,
       which shows the name; a second tap follows the link. A finger that moved is scrolling
       the page (as for the previews in lexigraph.js). */
    var down = null;
    root.addEventListener("touchstart", function (e) { down = e.touches[0]; }, { passive: true });
    root.addEventListener("touchend", function (e) {
      var a = e.target.closest("a"), t = e.changedTouches[0];
      if (!a || !down || Math.hypot(t.clientX - down.clientX, t.clientY - down.clientY) > 10) return;
      if (getComputedStyle(a.lastChild).display === "none") {  /* (its label) */
        e.preventDefault();
        a.focus({ preventScroll: true });
      }
    });
  }

  /* On a phone (~360 px) a ring of up to 29 terms with names beside it is too small to read
     or to tap. There the terms hang in two columns under the term: the ring's right half,
     clockwise from the top, down the right; its left half down the left; a term two links
     away indented. One term a row (.55 units, ~27 px) per side: every name is shown, every
     target is 24 px. The view is then taller than wide: lexigraph.css caps its height, which
     on a wider phone leaves it that of a narrow one (see hitAreas for the scale). */
  function columns(nodes) {
    var around = nodes.filter(function (n) { return n.d; }).sort(function (a, b) {
      return Math.atan2(-a.x, -a.y) - Math.atan2(-b.x, -b.y);  // clockwise from the top
    }), k = around.length, half = Math.ceil(k / 2);
    around.forEach(function (n, i) {
      n.x = (i < half ? .3 : -.3) * n.d;
      n.y = -.55 * (i < half ? i : k - 1 - i);
    });
    byRing(nodes)[0].y = .55;  // the term above them, named above
  }

  function byRing(nodes) {  // a stable sort: within a ring, the build's order
    return nodes.slice().sort(function (a, b) { return a.d - b.d; });
  }

  /* A dot is 6 to 10 px across on screen; the link around it is a transparent circle of
     12 CSS px radius (WCAG 2.5.8), in the units of the fitted view, or less where another
     term is nearer: never more than half the way to the nearest dot, so no term's target
     covers another's (the spacing the criterion allows instead of the size). */
  var MIN_TARGET_PX = 12;
  function hitAreas(root) {
    // CSS px per unit: the view is scaled to fit the element's width, or its height if capped.
    var view = root.viewBox.baseVal, box = root.getBoundingClientRect();
    var scale = Math.min(box.width / view.width, box.height / view.height);
    if (!scale) return;  // not rendered (a hidden figure)
    var want = MIN_TARGET_PX / scale;
    var dots = [].map.call(root.querySelectorAll(".lx-map-dot"), function (d) {
      return [parseFloat(d.getAttribute("cx")), parseFloat(d.getAttribute("cy"))];
    });
    [].forEach.call(root.querySelectorAll(".lx-map-hit"), function (c) {
      var x = parseFloat(c.getAttribute("cx")), y = parseFloat(c.getAttribute("cy"));
      var room = Infinity;
      dots.forEach(function (d) {
        var gap = Math.sqrt((d[0] - x) * (d[0] - x) + (d[1] - y) * (d[1] - y));
        if (gap > 1e-9) room = Math.min(room, gap / 2);
      });
      var r = Math.max(parseFloat(c.getAttribute("r")), Math.min(want, room));
      c.setAttribute("r", r.toFixed(3));
    });
  }

  function overlap(a, b) {
    return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  }
  /* Labels that would overlap one already placed (the term's first, then its neighbours',
     then theirs) move a line away from the centre, once; a neighbour's label that still
     overlaps, or a farther term's, shows only when its term is pointed at or focused (the
     term keeps its link and its name). */
  function declutter(labels) {
    var placed = [];
    // Another term's dot is in the way too: a label over it would take its pointer.
    var dots = labels.map(function (l) {
      var r = RADIUS[l.node.d];
      return { node: l.node, x: l.node.x - r, y: -l.node.y - r, width: 2 * r, height: 2 * r };
    });
    labels.sort(function (a, b) { return a.node.d - b.node.d; }).forEach(function (l) {
      var box = l.el.getBBox();
      if (!box.width) return;  // not rendered (a hidden figure): nothing to measure
      function clashes() {
        return placed.some(function (o) { return overlap(box, o); }) ||
          dots.some(function (d) { return d.node !== l.node && overlap(box, d); });
      }
      if (l.node.d === 1 && clashes()) {
        var y = parseFloat(l.el.getAttribute("y"));
        l.el.setAttribute("y", y + (l.node.y >= 0 ? -1 : 1) * box.height * 0.8);
        box = l.el.getBBox();
        if (clashes()) l.el.setAttribute("y", y);
      }
      if (l.node.d > 0 && clashes()) {
        l.el.parentNode.classList.add("lx-map-node--quiet");
        return;
      }
      placed.push(box);
    });
  }
  /* The picture's own extent (labels included) as the view: no label cut off at an edge, no
     empty band where the outer ring is empty. Centred on the term, never narrower than the
     space labels beside a full ring need (on a phone, its columns: larger type). */
  function fit(root, least) {
    var box = root.getBBox();
    if (!box.width) return;
    var half = Math.max(least, -box.x, box.x + box.width) + 0.2;  // (the halo, font metrics)
    root.setAttribute("viewBox", [-half, box.y - 0.08, 2 * half, box.height + 0.16].join(" "));
  }

  /* What a reader's use of a map needs, local-graph-use.js, loads once the reader focuses a
     term of it (its keys) or wants the preview of a term the page has no data for (read from
     the term's page: see lexigraph.js; the preview waits for it): a term page loads only
     what draws its map. Until then the map's one Tab stop is its first term. */
  var HERE = document.currentScript.src, previews = window.lexigraphPreviews, using = null;
  function use() {
    return using = using || new Promise(function (done) {
      var script = document.createElement("script");
      script.src = new URL("local-graph-use.js" + new URL(HERE).search, HERE).href;  /* (?v=: see lexigraph.js) */
      script.onload = script.onerror = done;
      document.head.appendChild(script);
    });
  }
  function later(link, wanted) {
    if (!link.closest(".lx-map") || !/^https?:$/.test(location.protocol)) return null;
    return use().then(function () { return previews.later !== later && previews.later(link, wanted); });
  }
  if (previews && !previews.later) previews.later = later;

  function start() {
    [].forEach.call(document.querySelectorAll("[data-lx-local-graph]"), function (figure) {
      try { draw(figure); } catch (err) { console.error("lexigraph concept map:", err); }
      figure.addEventListener("focusin", use);
    });
  }
  /* Labels are placed for the type size of the screen they were drawn on: across the phone
     breakpoint of lexigraph.css (larger type) the maps are drawn again. */
  var phone = window.matchMedia("screen and (max-width: 44.9375em)");
  var redraw = function () {
    var a = document.activeElement;
    var href = a.closest && a.closest(".lx-map") && a.getAttribute("href");
    [].forEach.call(document.querySelectorAll("[data-lx-local-graph] > svg.lx-map"),
                                 function (map) { map.remove(); });
    start();
    // A reader in a map stays on its term (zooming in may cross the breakpoint).
    a = href && document.querySelector('svg.lx-map a[href="' + CSS.escape(href) + '"]');
    if (a) a.focus();
  };
  if (phone.addEventListener) phone.addEventListener("change", redraw);
  // Loaded once the page is parsed; Material's document$ replays the current page at once
  // and brings every page reached by instant navigation.
  if (window.document$ && typeof window.document$.subscribe === "function" && location.protocol !== "file:") {
    window.document$.subscribe(start);
  } else {
    start();
  }
})();
