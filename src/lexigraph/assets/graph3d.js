/* Lexigraph concept graph, 3D mode: loaded by graph.js only when the reader asks for it.
   3d-force-graph (three.js inside) draws the precomputed 3D positions (no simulation runs);
   orbit with the mouse or a finger, zoom with the wheel or two. The most central terms carry
   their name as a real link laid over the canvas, so "click a word" opens its definition. */
(function () {
  "use strict";
  /* Named terms: at most 150 (more would cost a DOM update each frame). On a touch screen a
     gesture must begin on the canvas to orbit or zoom, not on a name: one name per 6,000 px²
     of the view there, which leaves most of a phone's to the fingers. */
  function wordCount(box) {
    if (!window.matchMedia("(pointer: coarse)").matches) return 150;
    return Math.max(10, Math.min(150, Math.round(box.clientWidth * box.clientHeight / 6000)));
  }

  /* The first view: every shown term (every term, if the filters leave none) inside the view,
     as large as it allows, as 2D's first view is. The camera looks down the z axis at the
     middle of their extent; a term dz nearer the camera than that middle and dx across it,
     its dot of radius r, is just inside the view's edge from the distance
     dz + (|dx| + r) / (tan(fov / 2) · aspect · room), where room is the share of the half-view
     left inside the padding; likewise upwards, without the aspect. The farthest such distance
     takes them all in. (A fixed distance took no account of the view's shape: on a phone held
     upright, a third of the terms were outside it.) */
  var FIT_PADDING = 16;  // px between the outermost dots and the view's edge
  function fit(fg, nodes, shown, box) {
    var w = box.clientWidth, h = box.clientHeight;
    if (!w || !h) return;
    var some = nodes.filter(function (node) { return shown[node.id]; });
    if (!some.length) some = nodes;
    var low = [Infinity, Infinity, Infinity], high = [-Infinity, -Infinity, -Infinity];
    some.forEach(function (node) {
      [node.x, node.y, node.z].forEach(function (v, i) {
        low[i] = Math.min(low[i], v); high[i] = Math.max(high[i], v);
      });
    });
    var mid = { x: (low[0] + high[0]) / 2, y: (low[1] + high[1]) / 2, z: (low[2] + high[2]) / 2 };
    var camera = fg.camera(), size = fg.nodeRelSize(), val = fg.nodeVal();
    var up = Math.tan(camera.fov * Math.PI / 360);  // half the view's height at distance 1
    var across = up * (w / h) * Math.max(0.1, 1 - 2 * FIT_PADDING / w);
    up *= Math.max(0.1, 1 - 2 * FIT_PADDING / h);
    var distance = 0;
    some.forEach(function (node) {
      var r = Math.cbrt(val(node)) * size;  // 3d-force-graph's sphere radius
      distance = Math.max(distance, node.z - mid.z + r + camera.near,
        node.z - mid.z + (Math.abs(node.x - mid.x) + r) / across,
        node.z - mid.z + (Math.abs(node.y - mid.y) + r) / up);
    });
    fg.cameraPosition({ x: mid.x, y: mid.y, z: mid.z + distance }, mid);
  }

  function open(ex, on) {
    var doc = ex.doc;
    var n = doc.nodes.length;
    var spread = 40 * Math.cbrt(Math.max(n, 8));
    var box = document.createElement("div");
    box.className = "lx-graph-stage3d";
    box.tabIndex = 0;
    box.setAttribute("role", "application");
    box.setAttribute("aria-roledescription", "3D graph");
    box.setAttribute("aria-label", "Concept graph in 3D. Arrow keys move to the nearest term in " +
      "that direction, Enter opens it, plus and minus zoom, Escape clears; drag to orbit.");
    box.setAttribute("aria-describedby", "lx-graph-info");
    box.addEventListener("keydown", on.key);
    ex.stage.parentNode.insertBefore(box, ex.stage.nextSibling);

    var nodes = doc.nodes.map(function (d) {
      var x = d.x3 * spread, y = d.y3 * spread, z = d.z3 * spread;
      return { id: d.id, d: d, x: x, y: y, z: z, fx: x, fy: y, fz: z };
    });
    var links = ex.links().map(function (e) { return { source: e.source, target: e.target, kind: e.kind }; });
    function id(end) { return typeof end === "object" ? end.id : end; }
    function colour(node) {
      return ex.colour === "community" ? (ex.communityColour[node.d.community] || "#8c8c8c") : node.d.color;
    }
    var dark = false;
    function background() {
      dark = document.body.getAttribute("data-md-color-scheme") === "slate";
      return dark ? "#1e2129" : "#f7f7fa";
    }
    var fg = new ForceGraph3D(box, { controlType: "orbit" })
      .width(box.clientWidth).height(box.clientHeight)
      .backgroundColor(background())
      .showNavInfo(false)
      .enableNodeDrag(false)
      .warmupTicks(0).cooldownTicks(0)
      .nodeLabel(function () { return ""; })
      .nodeVal(function (node) { return Math.pow(node.d.size / 6, 2); })
      .nodeColor(colour)
      .nodeOpacity(0.9)
      .nodeResolution(n > 1000 ? 6 : 12)
      .nodeVisibility(function (node) { return !!ex.shown[node.id]; })
      .linkVisibility(function (l) {
        return ex.kinds[l.kind] && ex.shown[id(l.source)] && ex.shown[id(l.target)];
      })
      .linkColor(function (l) {
        return l.kind === "prerequisite" ? "#5a6ec8" : l.kind === "related" ? "#e67828" : dark ? "#9a9a9a" : "#777777";
      })
      .linkOpacity(0.35)
      .linkDirectionalArrowLength(function (l) { return l.kind !== "related" && links.length < 4000 ? 3 : 0; })
      .linkDirectionalArrowRelPos(1)
      .onNodeHover(function (node) { box.style.cursor = node ? "pointer" : ""; on.hover(node ? node.id : null); })
      .onNodeClick(function (node) { on.open(node.id); })
      .graphData({ nodes: nodes, links: links });
    fit(fg, nodes, ex.shown, box);
    /* Until the reader moves the camera (a drag, the wheel, a pinch, the keys, a term chosen),
       a new size of the view (a phone turned) fits the terms again. */
    var moved = false;
    fg.controls().addEventListener("start", function () { moved = true; });
    var words = document.createElement("div");  // after the library has filled the box
    words.className = "lx-graph-words";
    box.appendChild(words);

    /* A drag or a pinch that begins on a name orbits or zooms the view as it would on the
       canvas: once the pointer has moved, the name hands it to the canvas's controls (which
       capture it and take every later move). A finger lifted or a button released where it
       went down is a tap or a click, and the name's link opens the term; a pointer handed over
       opens nothing. */
    var canvas = fg.renderer().domElement;
    var landed = {};
    var handed = false;
    function landing(e) {
      if (e.button !== 0) return;
      landed[e.pointerId] = e;
      handed = false;
    }
    function moving(e) {
      var first = landed[e.pointerId];
      if (!first || Math.hypot(e.clientX - first.clientX, e.clientY - first.clientY) <= 10) return;
      delete landed[e.pointerId];
      handed = true;
      canvas.dispatchEvent(new PointerEvent("pointerdown", first));
      canvas.dispatchEvent(new PointerEvent("pointermove", e));
    }
    function lifted(e) { delete landed[e.pointerId]; }
    function clicked(e) {
      if (!handed) return;
      e.preventDefault();
      e.stopPropagation();
    }
    document.addEventListener("pointermove", moving);
    document.addEventListener("pointerup", lifted);
    document.addEventListener("pointercancel", lifted);

    // The named terms: highest PageRank first.
    var named = nodes.slice().sort(function (a, b) { return b.d.pagerank - a.d.pagerank; }).slice(0, wordCount(box));
    function label(node) {
      var a = document.createElement("a");
      a.className = "lx-word";
      a.href = on.url(node.id);
      a.textContent = node.d.title;
      a.tabIndex = -1;  // the view takes the keyboard (arrow keys), not each name
      a.addEventListener("mouseenter", function () { on.hover(node.id); });
      a.addEventListener("mouseleave", function () { on.hover(null); });
      a.draggable = false;  // a drag orbits the view, not carries the link away
      a.addEventListener("pointerdown", landing);
      a.addEventListener("click", clicked);
      words.appendChild(a);
      // Its size, read once: what place() needs to keep names apart.
      return { node: node, el: a, w: a.offsetWidth, h: a.offsetHeight };
    }
    var labels = named.map(label);
    var byId = {};
    nodes.forEach(function (node) { byId[node.id] = node; });
    /* The chosen term (arrow keys, Find) always has its name, marked, placed before the others:
       one not among the named gets a name of its own while it is chosen. */
    var extra = null;
    function chosenFirst() {
      var id = ex.selected;
      if (extra && (!id || extra.node.id !== id)) { extra.el.remove(); extra = null; }
      var chosen = null;
      labels.forEach(function (l) {
        l.el.classList.toggle("lx-word--chosen", l.node.id === id);
        if (l.node.id === id) chosen = l;
      });
      if (!chosen && id && byId[id]) {
        if (!extra) { extra = label(byId[id]); extra.el.classList.add("lx-word--chosen"); }
        chosen = extra;
      }
      return chosen ? [chosen].concat(labels.filter(function (l) { return l !== chosen; })) : labels;
    }
    var camera = fg.camera();
    var Vector = camera.position.constructor;  // three's Vector3, without a second copy of three
    var point = new Vector();
    var last = "";
    var frame = 0;
    function place() {
      frame = requestAnimationFrame(place);
      var w = box.clientWidth, h = box.clientHeight;
      // (The projection too: a new size reaches the camera's aspect a little after the box.)
      var key = camera.matrixWorld.elements.join(",") + camera.projectionMatrix.elements.join(",") +
        w + "x" + h + ex.colour + JSON.stringify(ex.kinds) +
        ex.root.getAttribute("data-shown") + ex.selected;
      if (key === last) return;  // nothing moved: no DOM writes this frame
      last = key;
      var distance = camera.position.length() || 1;
      var seen = [];
      var order = chosenFirst();
      order.forEach(function (l) {
        point.set(l.node.x, l.node.y, l.node.z);
        l.far = camera.position.distanceTo(point);
        point.project(camera);
        l.visible = ex.shown[l.node.id] && point.z < 1 && Math.abs(point.x) < 1.05 && Math.abs(point.y) < 1.05;
        l.x = (point.x + 1) / 2 * w;
        l.y = (1 - point.y) / 2 * h;
        if (l.visible) seen.push(l);
      });
      /* Names never overprint each other ("LResNetmalization"): the chosen term's is placed
         first, then the most central terms' (the order of chosenFirst), and a name that would
         overlap one placed already is left out until the view moves. */
      var boxes = [];
      order.forEach(function (l) { if (!l.visible) l.el.hidden = true; });
      seen.forEach(function (l) {
        var scale = Math.max(0.6, Math.min(1.4, distance / l.far));
        // The name's box: above its dot (translate -50%, -130%), scaled about the middle of
        // its bottom edge (graph.css).
        var cx = l.x, cy = l.y - 0.3 * l.h - scale * l.h / 2;
        var hw = l.w * scale / 2 + 2, hh = l.h * scale / 2 + 1;  // (a pixel apart at least)
        var box = [cx - hw, cy - hh, cx + hw, cy + hh];
        // (A name the view's edge would cut, "He initial", is left out too.)
        var clash = box[0] < 0 || box[2] > w || box[1] < 0 || boxes.some(function (b) {
          return b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3];
        });
        l.el.hidden = clash;
        if (clash) return;
        boxes.push(box);
        l.el.style.transform = "translate(" + l.x.toFixed(1) + "px," + l.y.toFixed(1) +
          "px) translate(-50%,-130%) scale(" + scale.toFixed(2) + ")";
        l.el.style.opacity = String(Math.max(0.35, Math.min(1, scale)));
        l.el.style.zIndex = String(Math.round(1000 - l.far));
      });
    }
    place();
    function resize() {
      fg.width(box.clientWidth).height(box.clientHeight);
      if (!moved) fit(fg, nodes, ex.shown, box);
    }
    window.addEventListener("resize", resize);
    // Material switches light/dark by an attribute on <body>: the view follows it.
    var theme = new MutationObserver(function () {
      fg.backgroundColor(background()).linkColor(fg.linkColor());
    });
    theme.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

    var view = {
      fg: fg,
      box: box,
      refresh: function () {
        fg.nodeColor(colour).nodeVisibility(fg.nodeVisibility()).linkVisibility(fg.linkVisibility());
        last = "";
      },
      /* Where a term is in the view, in CSS pixels from its top left; null when it is behind
         the camera. */
      toScreen: function (nodeId) {
        var node = byId[nodeId];
        if (!node) return null;
        point.set(node.x, node.y, node.z).project(camera);
        if (point.z >= 1) return null;
        return { x: (point.x + 1) / 2 * box.clientWidth, y: (1 - point.y) / 2 * box.clientHeight };
      },
      /* Closer (k < 1) or farther, towards the point the view orbits. */
      zoom: function (k) {
        var target = fg.controls().target, p = camera.position;
        var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
        moved = true;
        fg.cameraPosition({ x: target.x + (p.x - target.x) * k, y: target.y + (p.y - target.y) * k,
                            z: target.z + (p.z - target.z) * k }, target, still ? 0 : 200);
      },
      focus: function (nodeId) {
        var node = byId[nodeId];
        if (!node) return;
        var r = Math.sqrt(node.x * node.x + node.y * node.y + node.z * node.z) || 1;
        var k = 1 + spread * 0.8 / r;
        var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
        moved = true;
        fg.cameraPosition({ x: node.x * k, y: node.y * k, z: node.z * k }, node, still ? 0 : 600);
      },
      close: function () {
        cancelAnimationFrame(frame);
        theme.disconnect();
        window.removeEventListener("resize", resize);
        document.removeEventListener("pointermove", moving);
        document.removeEventListener("pointerup", lifted);
        document.removeEventListener("pointercancel", lifted);
        fg.pauseAnimation();
        var renderer = fg.renderer();
        if (fg._destructor) fg._destructor();
        renderer.dispose();
        renderer.forceContextLoss();
        box.remove();
      }
    };
    box.lexigraph3d = view;  // for tests
    requestAnimationFrame(function () { box.setAttribute("data-state", "ready"); ex.root.setAttribute("data-3d", "ready"); });
    return view;
  }

  window.lexigraphGraph3d = { open: open };
})();
