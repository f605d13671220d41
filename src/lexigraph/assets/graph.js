/* Lexigraph concept graph: the explorer of graph/. graph.json is drawn by sigma.js (WebGL) at
   the precomputed 2D positions; 3D mode (graph3d.js + 3d-force-graph) is loaded only when
   asked for. (A term page's concept map is local-graph.js.)
   Started from Material's document$ so it re-runs after instant navigation. Author text is
   only ever written with textContent. */
(function () {
  "use strict";
  // graph/ lists this script itself and the loader (lexigraph.js) may add it again; Material's
  // instant navigation re-runs it too: one copy runs, and document$ restarts it on every page.
  if (window.lexigraphGraph) return;
  window.lexigraphGraph = true;
  var SELF = document.currentScript ? document.currentScript.src : "";
  var VERSION = SELF ? new URL(SELF).search : "";  // of our files (see lexigraph.js)
  var DIRECTED = { prerequisite: true, mentions: true, related: false };
  var loading = {};
  var live = [];  // explorers of the current page, killed on the next navigation

  function loadScript(url) {
    if (!loading[url]) {
      loading[url] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = url;
        s.onload = function () { resolve(); };
        s.onerror = function () { delete loading[url]; reject(new Error("could not load " + url)); };
        document.head.appendChild(s);
      });
    }
    return loading[url];
  }
  function make(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function themeColour(name, fallback) {
    var v = getComputedStyle(document.body).getPropertyValue(name).trim();
    return v || fallback;
  }

  /* ---------- The explorer on graph/ ----------
     Startup, in the order a reader sees it (what is measured by bench/graph_page.py):
     1. graph/ preloads graph.json and lists this script (small, parser-blocking, so it runs
        before Material's bundle) and the libraries (async: only needed from step 3);
     2. the terms are painted on a plain 2D canvas where sigma's first view puts them (a few ms,
        no WebGL shaders to compile): the first frame;
     3. sigma takes over that picture with the terms only (interactive);
     4. after that frame is on screen, the links (most of the data and of the drawing work)
        are added with their programs: data-state="ready". */
  function setupExplorer(root) {
    if (root.lexigraph && root.lexigraph.alive) return;  // started before document$ existed
    var stage = root.querySelector(".lx-graph-stage");
    var ex = {
      root: root, stage: stage, form: root.querySelector(".lx-graph-tools"),
      info: root.querySelector(".lx-graph-info"), legend: root.querySelector(".lx-graph-legend"),
      jsonUrl: new URL(root.getAttribute("data-lx-graph"), location.href).href,
      vendor: new URL(root.getAttribute("data-lx-vendor"), location.href).href,
      shown: {}, kinds: { prerequisite: true, related: true, mentions: true },
      colour: "domain", hovered: null, selected: null, near: {}, mode: "2d", view3d: null,
      alive: true, edges: null
    };
    ex.links = function () { return links(ex); };
    root.lexigraph = ex;
    live.push(ex);
    root.setAttribute("data-state", "loading");
    performance.mark("lx-graph-start");
    // A plain request, as the page's preload link makes it (any other option, even a
    // priority, and Chromium fetches the file a second time).
    var data = fetch(ex.jsonUrl).then(function (r) {
      if (!r.ok) throw new Error(ex.jsonUrl + ": HTTP " + r.status);
      return r.json();
    });
    // The hint has done its work; Material's instant navigation rewrites every relative
    // address in the page once its bundle runs, which would download graph.json again.
    Array.prototype.forEach.call(root.querySelectorAll('link[rel="preload"]'), function (hint) { hint.remove(); });
    var libs = Promise.all([loadLibrary(ex.vendor + "graphology.umd.min.js" + VERSION, "graphology"),
      loadLibrary(ex.vendor + "sigma.min.js" + VERSION, "Sigma")]);
    libs.catch(function () {});  // reported below, once
    data.then(function (doc) {
      if (!ex.alive) return null;
      performance.mark("lx-graph-data");
      prepare(ex, doc);
      preview(ex);
      return afterPaint().then(function () {
        performance.mark("lx-graph-first-frame");
        return libs;
      });
    }).then(function () {
      if (ex.alive && ex.doc) build(ex);
    }).catch(function (err) {
      if (!ex.alive) return;
      root.setAttribute("data-state", "error");
      stage.textContent = "";
      stage.appendChild(make("p", "lx-graph-status", location.protocol === "file:"
        ? "This page was opened from a file, where the browser does not let it load the graph. " +
          "The A–Z index lists every term; to explore the graph, serve the site's folder " +
          "(e.g. python3 -m http.server) and open it from there."
        : "The graph could not be loaded (" + err.message + "). The A–Z index lists every term."));
      console.error("lexigraph graph:", err);
    });
  }

  /* A library graph/ already lists as an async script: wait for it rather than load it twice. */
  function loadLibrary(url, global) {
    if (window[global]) return Promise.resolve();
    var tag = Array.prototype.filter.call(document.scripts, function (s) { return s.src === url; })[0];
    if (!tag || loading[url]) return loadScript(url);
    loading[url] = new Promise(function (resolve, reject) {
      tag.addEventListener("load", function () { resolve(); });
      tag.addEventListener("error", function () { delete loading[url]; reject(new Error("could not load " + url)); });
    }).then(function () { return window[global] ? null : loadScript(url); });
    return loading[url];
  }

  /* Resolves once the frame drawn so far has been handed to the screen: a task queued from
     requestAnimationFrame runs after that frame's paint. */
  function afterPaint() {
    return new Promise(function (resolve) {
      requestAnimationFrame(function () { setTimeout(resolve, 0); });
    });
  }

  /* graph.json ("lexigraph/site-graph", see lexigraph.export): edges are index triples. */
  function prepare(ex, doc) {
    ex.doc = doc;
    ex.nodes = {};
    ex.ids = doc.nodes.map(function (n) {
      n.url = doc.url.replace("{}", n.id);
      ex.nodes[n.id] = n;
      return n.id;
    });
    ex.big = doc.nodes.length > 1000;
    ex.communityColour = {};
    (doc.communities || []).forEach(function (c) { ex.communityColour[c.id] = c.color; });
    readUrl(ex);
    computeShown(ex);
    if (ex.unknownInUrl.length) {
      var count = ex.form.elements.count;
      count.value = "No " + ex.unknownInUrl.join(" nor ") + " here: " + count.value + ".";
      writeUrl(ex);
    }
    // Filters from the address that leave nothing: say so, as when they are chosen here (a
    // term to focus on is shown whatever the filters: see addLinks).
    var focus = ex.focusOnLoad && ex.nodes[ex.focusOnLoad] ? ex.focusOnLoad : null;
    if (!focus && ex.root.getAttribute("data-shown") === "0") showInfo(ex, null);
  }
  function nodeColour(ex, n) {
    return ex.colour === "community" ? ex.communityColour[n.community] || "#8c8c8c" : n.color;
  }
  function nodeSize(ex, n) { return n.size * (ex.big ? 0.6 : 1); }

  /* The first frame: the shown terms on a 2D canvas, placed exactly where sigma draws them in
     the first view (see firstView), so the hand-over does not move a dot. */
  function preview(ex) {
    var w = ex.stage.offsetWidth, h = ex.stage.offsetHeight;  // the size sigma takes
    if (!w || !h) return;
    var view = ex.view = firstView(ex, w, h);
    var ratio = window.devicePixelRatio || 1;
    var canvas = make("canvas", "lx-graph-preview");
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
    canvas.style.width = w + "px";
    canvas.style.height = h + "px";
    var ctx = canvas.getContext("2d");
    ctx.scale(ratio, ratio);
    // sigma's camera matrix: framed position p, d = p - camera turned by -angle, scaled by k.
    var k = view.scale / view.state.ratio, cos = Math.cos(view.state.angle), sin = Math.sin(view.state.angle);
    var byColour = {};
    ex.ids.forEach(function (id) {
      if (!ex.shown[id]) return;
      var n = ex.nodes[id], c = nodeColour(ex, n);
      (byColour[c] = byColour[c] || []).push(n);
    });
    Object.keys(byColour).forEach(function (c) {
      ctx.beginPath();
      byColour[c].forEach(function (n) {
        var p = view.framed(n), dx = p.x - view.state.x, dy = p.y - view.state.y;
        var x = w / 2 + k * (cos * dx + sin * dy), y = h / 2 - k * (cos * dy - sin * dx), r = nodeSize(ex, n);
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, 2 * Math.PI);
      });
      ctx.fillStyle = c;
      ctx.fill();
    });
    ex.stage.textContent = "";
    ex.stage.appendChild(canvas);
    ex.preview = canvas;
  }

  /* The first view: the shown terms as large as the box allows (sigma's own fit takes
     filtered-out terms too). On a box taller than wide (a phone held upright) a graph wider
     than tall would fill a band of it: the view is then turned a quarter when that draws
     the graph larger (north points right). Names never run off the right edge (drawLabel).
     Returns sigma's camera state, with what the preview needs to draw as sigma does:
     sigma's scale of the framed graph at ratio 1 (its stage padding and correction ratio)
     and its framing of a term. */
  var VIEW_PADDING = 24;  // px around the dots' centres: room for the largest dot
  function firstView(ex, w, h) {
    var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    ex.doc.nodes.forEach(function (n) {  // sigma's extent includes filtered-out terms
      if (n.x < minX) minX = n.x;
      if (n.x > maxX) maxX = n.x;
      if (n.y < minY) minY = n.y;
      if (n.y > maxY) maxY = n.y;
    });
    var gw = maxX - minX || 1, gh = maxY - minY || 1, size = Math.max(gw, gh);
    var framed = function (n) {  // sigma's normalization: the extent into [0, 1], centred
      return { x: 0.5 + (n.x - (minX + maxX) / 2) / size, y: 0.5 + (n.y - (minY + maxY) / 2) / size };
    };
    var scale = (Math.min(w, h) - 2 * STAGE_PADDING) * correctionRatio(w, h, gw, gh);
    var shown = ex.ids.filter(function (id) { return ex.shown[id]; }).map(function (id) {
      return framed(ex.nodes[id]);
    });
    /* u: rightwards on screen, v: downwards, in framed units; k: pixels per framed unit. */
    function fit(turned) {
      var u0 = Infinity, u1 = -Infinity, v0 = Infinity, v1 = -Infinity;
      shown.forEach(function (p) {
        var u = turned ? p.y : p.x, v = turned ? p.x : -p.y;
        u0 = Math.min(u0, u); u1 = Math.max(u1, u); v0 = Math.min(v0, v); v1 = Math.max(v1, v);
      });
      var k = Math.min((w - 2 * VIEW_PADDING) / (u1 - u0 || 1e-9), (h - 2 * VIEW_PADDING) / (v1 - v0 || 1e-9));
      var cu = (u0 + u1) / 2, cv = (v0 + v1) / 2, ratio = Math.min(3, Math.max(0.02, scale / k));
      return { k: k, state: turned ? { x: cv, y: cu, angle: Math.PI / 2, ratio: ratio }
                                   : { x: cu, y: -cv, angle: 0, ratio: ratio } };
    }
    var best = { state: { x: 0.5, y: 0.5, angle: 0, ratio: 1 } };  // sigma's own, if nothing is shown
    if (shown.length > 1) {
      best = fit(false);
      var turned = h > w ? fit(true) : null;
      if (turned && turned.k > best.k * 1.15) best = turned;
    }
    return { state: best.state, scale: scale, framed: framed };
  }
  var STAGE_PADDING = 30;  // sigma's default stagePadding
  /* sigma's fit of the graph's extent into the stage (its getCorrectionRatio). */
  function correctionRatio(w, h, gw, gh) {
    var stage = h / w, graph = gh / gw;
    if ((stage < 1 && graph > 1) || (stage > 1 && graph < 1)) return 1;
    return Math.min(Math.max(graph, 1 / graph), Math.max(1 / stage, stage));
  }

  function build(ex) {
    readTheme(ex);
    var graph = new graphology.MultiDirectedGraph();
    ex.ids.forEach(function (id) {
      var n = ex.nodes[id];
      graph.addNode(id, { x: n.x, y: n.y, size: nodeSize(ex, n), label: n.title, color: n.color });
    });
    ex.graph = graph;
    performance.mark("lx-graph-built");
    var big = ex.big;
    ex.labelQueue = [];  // (see drawLabel)
    ex.renderer = new Sigma(graph, ex.stage, {
      // Measured on software WebGL (SwiftShader, what a machine without a GPU gets): sigma's
      // point program draws 5,000 terms ~8x faster than its circle program, looking the same.
      nodeProgramClasses: { circle: Sigma.rendering.NodePointProgram },
      // No link programs yet: compiling shaders is most of sigma's start-up; see addLinks.
      edgeProgramClasses: {},
      labelColor: { color: ex.theme.text },
      labelFont: "Roboto, system-ui, sans-serif", labelSize: 13, labelWeight: "500",
      labelRenderedSizeThreshold: big ? 10 : 7, labelDensity: big ? 0.5 : 1,
      defaultDrawNodeHover: drawHover, defaultDrawNodeLabel: function (context, data, settings) {
        drawLabel(ex, context, data, settings);
      }, zIndex: true, renderEdgeLabels: false,
      // Links are most of the drawing work (all of it without a GPU), labels the rest: while
      // the view moves, the terms carry the picture.
      hideEdgesOnMove: ex.doc.edges.length > 2000, hideLabelsOnMove: big,
      minCameraRatio: 0.02, maxCameraRatio: 3,
      // The stage is hidden while the 3D view is open; sigma would throw on its zero width.
      allowInvalidContainer: true,
      nodeReducer: function (node, data) { return reduceNode(ex, node, data); },
      edgeReducer: function (edge, data) { return reduceEdge(ex, edge, data); }
    });
    // Its names, in every frame: the first was drawn by the constructor.
    ex.renderer.on("beforeRender", function () { ex.labelQueue = []; });
    ex.renderer.on("afterRender", function () { drawLabels(ex); });
    drawLabels(ex);
    if (ex.view) ex.renderer.getCamera().setState(ex.view.state);  // drawn on the next frame
    if (ex.preview) { ex.preview.remove(); ex.preview = null; }  // where sigma draws the same
    performance.mark("lx-graph-drawn");
    ex.stage.lexigraph = ex;  // for tests and the benchmark
    wire(ex);
    legend(ex);
    afterPaint().then(function () {
      performance.mark("lx-graph-interactive");
      if (ex.alive) addLinks(ex);
      return afterPaint();
    }).then(function () {
      if (!ex.alive) return;
      performance.mark("lx-graph-complete");
      ex.root.setAttribute("data-state", "ready");
    });
  }

  /* Every link as {source, target, kind}: for the text version, the 3D view and addLinks. */
  function links(ex) {
    if (!ex.edges) {
      ex.edges = ex.doc.edges.map(function (e) {
        return { source: ex.ids[e[0]], target: ex.ids[e[1]], kind: ex.doc.kinds[e[2]] };
      });
    }
    return ex.edges;
  }

  /* The links go into a copy of the graph handed over at once: added one by one to the graph
     sigma watches, each would trigger its own update. */
  function addLinks(ex) {
    var all = links(ex);
    // Above a few thousand links, 1-pixel lines instead of arrows (direction stays in the info
    // panel and the text version), and one program for every kind.
    var fast = all.length > 5000;
    var graph = new graphology.MultiDirectedGraph();
    ex.graph.forEachNode(function (id, attributes) { graph.addNode(id, attributes); });
    all.forEach(function (e) {
      graph.addEdge(e.source, e.target, { kind: e.kind, s: e.source, t: e.target,
        size: e.kind === "mentions" ? 0.6 : 1, type: !fast && DIRECTED[e.kind] ? "arrow" : "line",
        color: edgeColour(e.kind) });
    });
    ex.renderer.setSetting("edgeProgramClasses", fast ? { line: Sigma.rendering.EdgeLineProgram }
      : { arrow: Sigma.rendering.EdgeArrowProgram, line: Sigma.rendering.EdgeRectangleProgram });
    ex.graph = graph;
    ex.renderer.setGraph(graph);
    focusOn(ex, ex.hovered || ex.selected);
    if (ex.focusOnLoad && ex.nodes[ex.focusOnLoad]) {
      if (!ex.shown[ex.focusOnLoad]) clearFilters(ex);  // (as Find does)
      select(ex, ex.focusOnLoad, true);
    }
    else if (ex.hovered || ex.selected) refresh(ex);
    if (ex.mode === "3d") setMode(ex, "3d");
  }

  function edgeColour(kind) {
    return kind === "prerequisite" ? "#8c9ad6" : kind === "related" ? "#f0b27e" : "#c4c4c4";
  }
  /* On the dark background the same hues, darker: links stay behind the terms and labels. */
  var DARK_EDGE = { prerequisite: "#56609a", related: "#8a6446", mentions: "#55585f" };

  /* A label with a halo of the page's background: legible where it crosses links (in the
     dark scheme links are about as light as the text). */
  /* Sigma picks the names to show in cells of a grid, and names in neighbouring cells
     overprinted each other ("Learning rate" over "Regularization"). They are kept until the
     frame is drawn, then drawn the largest terms' first (a selected term's and its
     neighbours' before all), each only where it overlaps none drawn already. */
  function drawLabel(ex, context, data, settings) {
    if (data.label) ex.labelQueue.push([context, data, settings]);
  }
  function drawLabels(ex) {
    var queue = ex.labelQueue, boxes = [];
    ex.labelQueue = [];
    queue.sort(function (a, b) {
      return (b[1].forceLabel ? 1 : 0) - (a[1].forceLabel ? 1 : 0) || b[1].size - a[1].size;
    });
    queue.forEach(function (item) {
      var context = item[0], data = item[1], settings = item[2], size = settings.labelSize;
      context.font = settings.labelWeight + " " + size + "px " + settings.labelFont;
      var width = context.measureText(data.label).width;
      var x = besideDot(context, data, width, 3), y = data.y + size / 3;
      var box = [x - 2, y - size, x + width + 2, y + 4];
      if (boxes.some(function (b) { return b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3]; })) return;
      boxes.push(box);
      context.lineJoin = "round";
      context.lineWidth = 3;
      context.strokeStyle = ex.theme.background;
      context.strokeText(data.label, x, y);
      context.fillStyle = ex.theme.text;
      context.fillText(data.label, x, y);
    });
    ex.drawnLabels = boxes;  // (for tests)
  }
  function readTheme(ex) {
    ex.theme = { background: themeColour("--md-default-bg-color", "#fff"),
                 text: themeColour("--md-default-fg-color", "#222"),
                 dark: document.body.getAttribute("data-md-color-scheme") === "slate" };
  }

  function drawHover(context, data, settings) {
    var size = settings.labelSize, label = data.label || "";
    context.font = settings.labelWeight + " " + size + "px " + settings.labelFont;
    var w = context.measureText(label).width + 10, h = size + 8, x = besideDot(context, data, w, 2);
    context.fillStyle = themeColour("--md-default-bg-color", "#fff");
    context.strokeStyle = themeColour("--md-default-fg-color--lighter", "#999");
    context.beginPath();
    context.rect(x, data.y - h / 2, w, h);
    context.fill();
    context.stroke();
    context.beginPath();
    context.arc(data.x, data.y, data.size + 2, 0, Math.PI * 2);
    context.fillStyle = data.color;
    context.fill();
    context.fillStyle = themeColour("--md-default-fg-color", "#222");
    context.fillText(label, x + 5, data.y + size / 3);
  }
  /* Where a name starts: right of its dot, or left of it where it would run past the right
     edge of the view (on a phone, most names near the edge would be cut off). */
  function besideDot(context, data, width, gap) {
    var right = data.x + data.size + gap;
    var edge = context.canvas.width / (window.devicePixelRatio || 1) - 4;  // (the halo)
    return right + width > edge ? data.x - data.size - gap - width : right;
  }

  /* The terms away from the one pointed at or chosen: near the page's background, in either
     scheme, so that its neighbours stand out (a light grey was the brightest colour on the
     dark background). */
  var DIM = "#d0d0d0", DARK_DIM = "#3b3f4a";

  /* Reducers restyle sigma's own copy of the attributes in place: with thousands of terms and
     tens of thousands of links, a full refresh runs them for every item. */
  function reduceNode(ex, node, data) {
    if (!ex.shown[node]) { data.hidden = true; return data; }
    if (ex.colour === "community") data.color = nodeColour(ex, ex.nodes[node]);
    var focus = ex.hovered || ex.selected;
    if (focus) {
      if (node === focus) { data.highlighted = true; data.zIndex = 2; }
      else if (ex.near[node]) { data.zIndex = 1; }
      else { data.color = ex.theme.dark ? DARK_DIM : DIM; data.label = ""; data.zIndex = 0; }
    }
    return data;
  }
  function reduceEdge(ex, edge, data) {
    if (!ex.kinds[data.kind] || !ex.shown[data.s] || !ex.shown[data.t]) { data.hidden = true; return data; }
    if (ex.theme.dark && DARK_EDGE[data.kind]) data.color = DARK_EDGE[data.kind];
    var focus = ex.hovered || ex.selected;
    if (focus) {
      if (data.s !== focus && data.t !== focus) data.hidden = true;
      else data.size *= 2;
    }
    return data;
  }

  /* Moves the camera in a short flight, or at once for a reader who asked the system for less
     motion (sigma's animate cannot take a duration of 0). */
  var ZOOM = 1.5;  // sigma's own step for animatedZoom
  function fly(camera, state, ms) {
    if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) camera.setState(state);
    else camera.animate(state, { duration: ms });
  }

  function computeShown(ex) {
    var domain = ex.form.elements.domain.value, level = ex.form.elements.difficulty.value;
    var count = 0;
    ex.ids.forEach(function (id) {
      var n = ex.nodes[id];
      var ok = (!domain || n.domains.indexOf(domain) !== -1) && (!level || n.difficulty === level);
      ex.shown[id] = ok;
      if (ok) count += 1;
    });
    ex.root.setAttribute("data-shown", String(count));
    /* Said to screen readers too (a polite live region), as the A–Z index does. */
    var total = ex.ids.length;
    var noun = total === 1 ? " term" : " terms";
    ex.form.elements.count.value = count === total ? total + noun : count + " of " + total + noun;
    if (ex.selected && !ex.shown[ex.selected]) ex.selected = null;
  }
  /* Hover and selection only restyle the 2D view; filters, links and colours change both. */
  function refresh(ex, both) {
    if (ex.renderer && ex.mode === "2d") ex.renderer.refresh();
    if (both && ex.view3d) ex.view3d.refresh();
  }
  /* The terms a term is linked with by the kinds of link shown, among the terms shown: those
     its focus lights up and its summary counts. (The graph sigma draws holds every kind, and
     no link at all until addLinks: its neighbours stayed lit with their links switched off.) */
  function neighbours(ex, node) {
    if (!ex.adjacent) {
      ex.adjacent = {};
      links(ex).forEach(function (e) {
        (ex.adjacent[e.source] = ex.adjacent[e.source] || []).push([e.target, e.kind]);
        (ex.adjacent[e.target] = ex.adjacent[e.target] || []).push([e.source, e.kind]);
      });
    }
    var near = {};
    (ex.adjacent[node] || []).forEach(function (link) {
      if (link[0] !== node && ex.kinds[link[1]] && ex.shown[link[0]]) near[link[0]] = true;
    });
    return near;
  }
  function focusOn(ex, node) {
    ex.near = node ? neighbours(ex, node) : {};
  }

  /* The info panel: what is under the pointer, or else what is selected. */
  function showInfo(ex, node) {
    var box = ex.info;
    box.textContent = "";
    if (!node && ex.root.getAttribute("data-shown") === "0") {
      box.appendChild(make("p", "", "No term has this domain and difficulty: choose “All” in one of them."));
      return;
    }
    if (!node) {  /* how to use the view at hand, with the pointer at hand */
      box.appendChild(make("p", "", ex.mode === "3d"
        ? (COARSE.matches ? "Tap a term to open it. Drag to turn the view; pinch to zoom."
          : "Point at a term, or select one with the arrow keys, to see its summary; click it or press Enter to open it. Drag to turn the view; scroll to zoom.")
        : (COARSE.matches ? "Tap a term to see its summary, and tap it again to open it. Two fingers move and zoom the graph; one scrolls the page."
          : "Point at a term, or select one with the arrow keys, to see its summary.")));
      return;
    }
    var n = ex.nodes[node];
    var head = make("p", "lx-graph-info__title");
    var link = make("a", "", n.title);
    link.href = termUrl(ex, node);
    head.appendChild(link);
    head.appendChild(document.createTextNode(" "));
    head.appendChild(make("span", "lx-badge lx-badge--" + n.difficulty,
      n.difficulty.charAt(0).toUpperCase() + n.difficulty.slice(1)));
    box.appendChild(head);
    box.appendChild(make("p", "", n.summary));
    /* Its domains in words: in the graph they are a dot's colour, which not every reader
       can tell apart (four of the eight are under 3:1 on white). */
    var titles = {};
    (ex.doc.domains || []).forEach(function (d) { titles[d.key] = d.title; });
    var domains = (n.domains || []).map(function (key) { return titles[key] || key; });
    /* As many as its focus lights up: "2 of 13" when link kinds or filters hide some. */
    var linked = n.degree, lit = Object.keys(neighbours(ex, node)).length;
    box.appendChild(make("p", "lx-graph-info__meta",
      (domains.length ? domains.join(", ") + " · " : "") + (lit === linked ? "" : lit + " of ") +
      linked + (linked === 1 ? " linked term" : " linked terms") + (lit === linked ? "" : " shown")));
  }
  var COARSE = window.matchMedia("(pointer: coarse)");  // a touch screen, mainly
  /* The summary below the graph is off screen on a phone: scrolled into view when the reader
     picked a term (at once: the camera may be flying to it). A term picked by a tap stays
     under the finger, for the tap that opens it: the graph moves down in its box as much as
     the page went up, and the page goes no further up than keeps the term in the box. */
  function reveal(ex, tapped) {
    var top = ex.stage.getBoundingClientRect().top;
    ex.info.scrollIntoView({ block: "nearest" });
    if (!tapped) return;
    var r = ex.renderer, height = r.getDimensions().height, p = r.graphToViewport(ex.nodes[tapped]);
    var went = top - ex.stage.getBoundingClientRect().top;
    var shift = Math.max(0, Math.min(went, height - 24 - p.y));
    window.scrollBy(0, shift - went);
    var a = r.viewportToFramedGraph({ x: 0, y: 0 }), b = r.viewportToFramedGraph({ x: 0, y: -shift });
    var camera = r.getCamera();
    camera.setState({ x: camera.x + b.x - a.x, y: camera.y + b.y - a.y });
  }
  function termUrl(ex, node) { return new URL(ex.nodes[node].url, ex.jsonUrl).href; }
  function open(ex, node) { window.location.assign(termUrl(ex, node)); }

  function hover(ex, node) {
    ex.hovered = node;
    focusOn(ex, node || ex.selected);
    showInfo(ex, node || ex.selected);
    refresh(ex);
  }
  function select(ex, node, move) {
    ex.selected = node;
    focusOn(ex, node);
    showInfo(ex, node);
    refresh(ex);
    if (node && move && ex.renderer && ex.mode === "2d") {
      var d = ex.renderer.getNodeDisplayData(node);
      var camera = ex.renderer.getCamera();
      if (d) fly(camera, { x: d.x, y: d.y, ratio: Math.min(camera.ratio, 0.4) }, 400);
    }
    if (node && ex.view3d) ex.view3d.focus(node);
    // The address's focus is the term the page opened on: once another is chosen, a reload or
    // a shared link would bring that one back.
    var params = new URLSearchParams(window.location.search);
    if (node !== ex.focusOnLoad && params.has("focus")) {
      ex.focusOnLoad = null;
      params.delete("focus");
      replaceQuery(params);
    }
  }

  /* The view at hand, which takes the keys: the 2D stage is hidden while the 3D view is open. */
  function activeStage(ex) {
    return ex.mode === "3d" && ex.view3d ? ex.view3d.box : ex.stage;
  }
  /* Where a term is on the screen, in the view at hand (null: behind the 3D camera). */
  function toScreen(ex, id) {
    return ex.mode === "3d" && ex.view3d ? ex.view3d.toScreen(id) : ex.renderer.graphToViewport(ex.nodes[id]);
  }
  /* Arrow keys: the nearest shown term roughly in that direction on screen. */
  function step(ex, dx, dy) {
    var from = ex.selected, p = from && toScreen(ex, from);
    if (!p) {
      var best = null;
      ex.ids.forEach(function (id) {
        if (ex.shown[id] && (!best || ex.nodes[id].pagerank > ex.nodes[best].pagerank)) best = id;
      });
      return best;
    }
    var found = null, score = Infinity;
    ex.ids.forEach(function (id) {
      if (id === from || !ex.shown[id]) return;
      var q = toScreen(ex, id);
      if (!q) return;
      var vx = q.x - p.x, vy = q.y - p.y;
      var along = vx * dx + vy * dy;
      if (along <= 0) return;
      var across = Math.abs(vx * dy - vy * dx);
      if (across > along * 1.5) return;
      var s = along + 2 * across;
      if (s < score) { score = s; found = id; }
    });
    return found || from;
  }

  /* The keys of either view (its aria-label says them). */
  function keys(ex, e) {
    var dirs = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (dirs[e.key]) {
      e.preventDefault();
      var next = step(ex, dirs[e.key][0], dirs[e.key][1]);
      if (next) select(ex, next, true);
    } else if (e.key === "Enter" && ex.selected) {
      e.preventDefault();
      open(ex, ex.selected);
    } else if (e.key === "Escape") {
      select(ex, null);
    } else if (e.key === "+" || e.key === "=" || e.key === "-") {
      var k = e.key === "-" ? ZOOM : 1 / ZOOM;
      if (ex.mode === "3d" && ex.view3d) {
        ex.view3d.zoom(k);
      } else {
        var camera = ex.renderer.getCamera();
        fly(camera, { ratio: camera.ratio * k }, 200);
      }
    }
  }

  function wire(ex) {
    var r = ex.renderer, form = ex.form;
    // sigma looks for the term under the pointer on every mouse move, dragging or not: a
    // synchronous read of the GPU's picking buffer, and a hover restyles the whole graph.
    // While the view moves, whatever was under the pointer stays so.
    var pick = r.getNodeAtPosition;
    r.getNodeAtPosition = function (position) {
      return moving(r) ? r.hoveredNode || null : pick.call(r, position);
    };
    lightenMovingFrames(r);
    /* On a touch screen one finger scrolls the page, as it does everywhere else: sigma would
       take every touch (touch-action: none on its top canvas, and it cancels touchstart).
       It sees gestures of two fingers only (pan, pinch); a one-finger tap still reaches it
       as the mouse events the browser makes of a tap. */
    r.getCanvases().mouse.style.touchAction = "pan-y";
    ex.stage.addEventListener("touchstart", function (e) {
      if (e.touches.length < 2) e.stopPropagation();
    }, true);
    r.on("enterNode", function (e) { hover(ex, e.node); ex.stage.style.cursor = "pointer"; });
    r.on("leaveNode", function () { hover(ex, null); ex.stage.style.cursor = ""; });
    // A drag that ends on a term is a pan, not a click: compare the camera with mouse-down.
    var pressed = null;
    ex.stage.addEventListener("mousedown", function () { pressed = r.getCamera().getState(); }, true);
    /* A touch screen has no hover to show a term's name and summary before it is opened: the
       first tap on a term selects it (and brings its summary into view), a second opens it. */
    var touch = false;
    ex.stage.addEventListener("pointerdown", function (e) { touch = e.pointerType === "touch"; }, true);
    r.on("clickNode", function (e) {
      var now = r.getCamera().getState();
      if (pressed && (Math.abs(now.x - pressed.x) > 1e-6 || Math.abs(now.y - pressed.y) > 1e-6)) return;
      if (touch && ex.selected !== e.node) {
        select(ex, e.node);
        reveal(ex, e.node);
      } else {
        open(ex, e.node);
      }
    });
    // A quick second tap is a double click to sigma (which zooms): on the selected term it opens.
    r.on("doubleClickNode", function (e) {
      if (touch && ex.selected === e.node) { e.preventSigmaDefault(); open(ex, e.node); }
    });
    r.on("clickStage", function () { select(ex, null); });
    ex.stage.addEventListener("keydown", function (e) { keys(ex, e); });
    form.addEventListener("submit", function (e) { e.preventDefault(); find(ex, form.elements.find.value); });
    form.elements.find.addEventListener("change", function () { find(ex, form.elements.find.value); });
    form.elements.find.addEventListener("focus", function () { fillTitles(ex); }, { once: true });
    form.elements.find.addEventListener("input", function () { form.elements.find.setCustomValidity(""); });
    ["domain", "difficulty"].forEach(function (name) {
      form.elements[name].addEventListener("change", function () {
        computeShown(ex); focusOn(ex, ex.hovered || ex.selected); refresh(ex, true); writeUrl(ex); legend(ex);
        showInfo(ex, ex.selected);  /* not a stale note from before the filter */
      });
    });
    form.elements.colour.addEventListener("change", function () {
      ex.colour = form.elements.colour.value; refresh(ex, true); legend(ex); writeUrl(ex);
    });
    Array.prototype.forEach.call(form.querySelectorAll('input[name="kind"]'), function (box) {
      box.addEventListener("change", function () {
        ex.kinds[box.value] = box.checked;
        focusOn(ex, ex.hovered || ex.selected);  // its neighbours by the kinds now shown
        showInfo(ex, ex.hovered || ex.selected);
        refresh(ex, true);
      });
    });
    Array.prototype.forEach.call(form.querySelectorAll("[data-mode]"), function (button) {
      button.addEventListener("click", function () { setMode(ex, button.getAttribute("data-mode")); });
    });
    var details = ex.root.querySelector(".lx-graph-text");
    details.addEventListener("toggle", function () { if (details.open) textVersion(ex); });
    // Material switches light/dark by an attribute on <body>: follow it for the labels.
    ex.observer = new MutationObserver(function () {
      readTheme(ex);
      r.setSetting("labelColor", { color: ex.theme.text });  /* (and redraws) */
    });
    ex.observer.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    if (COARSE.matches) showInfo(ex, ex.selected);  // the page's hint is for a mouse
  }

  function moving(r) {
    var captor = r.getMouseCaptor();
    return !!(captor.isMouseDown || captor.isMoving || captor.draggedEvents || r.getCamera().isAnimated());
  }
  /* Each sigma render also draws the terms a second time, into a picking buffer it reallocates
     at full size every frame: what finds the term under the pointer. Nothing is picked while
     the view moves (see wire), so moving frames skip it, which on software WebGL is a third of
     a frame's work; the first render at rest draws it again. Relies on sigma 3.0's internals
     (pickingLayers, webGLContexts, a program's pickProgram): sigma is pinned in package.json. */
  function lightenMovingFrames(r) {
    var layers = r.pickingLayers, stash = null, rest = 0, wasMoving = false;
    if (!layers || !r.nodePrograms || !r.webGLContexts) return;
    // Clearing an empty layer still makes the compositor copy it again. From the second
    // moving frame on, with links and labels hidden on move, only the terms' layer has
    // anything to clear.
    var clear = r.clear;
    r.clear = function () {
      if (!(stash && wasMoving && r.getSetting("hideEdgesOnMove") && r.getSetting("hideLabelsOnMove"))) {
        return clear.call(r);
      }
      var gl = r.webGLContexts.nodes;
      gl.bindFramebuffer(gl.FRAMEBUFFER, null);
      gl.clear(gl.COLOR_BUFFER_BIT);
      return r;
    };
    r.on("beforeRender", function () {
      var now = moving(r);
      if (now && !stash) {
        stash = { layers: Array.from(layers), programs: {} };
        layers.clear();
        Object.keys(r.nodePrograms).forEach(function (type) {
          stash.programs[type] = r.nodePrograms[type].pickProgram;
          r.nodePrograms[type].pickProgram = null;
        });
      } else if (!now && stash) {
        stash.layers.forEach(function (layer) { layers.add(layer); });
        Object.keys(stash.programs).forEach(function (type) {
          if (r.nodePrograms[type]) r.nodePrograms[type].pickProgram = stash.programs[type];
        });
        stash = null;
      }
    });
    // A wheel zoom or an animation can end on a moving frame: draw once more at rest, so the
    // picking buffer (and the links sigma hides on move) are back.
    r.on("afterRender", function () {
      wasMoving = !!stash;
      if (!stash || rest) return;
      rest = setInterval(function () {
        if (moving(r)) return;
        clearInterval(rest);
        rest = 0;
        if (r.getContainer().isConnected) r.scheduleRender();  // not after a navigation
      }, 100);
    });
  }

  function fillTitles(ex) {
    var list = ex.root.querySelector("datalist");
    if (list.childNodes.length) return;
    var options = [];
    ex.ids.forEach(function (id) {
      var n = ex.nodes[id];
      options.push([n.title, ""]);
      (n.aliases || []).forEach(function (a) { options.push([a, n.title]); });  /* "BN": Batch normalization */
    });
    options.sort(function (a, b) { return a[0].localeCompare(b[0]); }).forEach(function (pair) {
      var o = document.createElement("option");
      o.value = pair[0];
      if (pair[1]) o.label = pair[1];
      list.appendChild(o);
    });
  }
  /* A name as Find compares it: in lower case, hyphens as spaces, British spellings
     (-ise, -isation) as the American ones the glossary may use. */
  function folded(name) {
    return name.toLowerCase().replace(/[-\u2010-\u2015]/g, " ").replace(/\s+/g, " ").trim()
      .replace(/(\w{3})is(e|es|ed|er|ers|ing|ation|ations)\b/g, "$1iz$2");
  }
  /* The term whose name, or a word of it, is one edit from ``q`` (two from eight letters;
     none under four), as the site search offers it; of those, the most central. */
  function nearest(ex, q) {
    if (q.length < 4) return null;
    var most = q.length >= 8 ? 2 : 1, best = null, bestEdits = most + 1;
    ex.ids.forEach(function (id) {
      var n = ex.nodes[id];
      [n.title].concat(n.aliases || []).forEach(function (name) {
        var f = folded(name);
        [f].concat(f.split(" ")).forEach(function (word) {
          if (Math.abs(word.length - q.length) > most) return;
          var d = edits(q, word, most);
          if (d < bestEdits || (d === bestEdits && best !== null && n.pagerank > ex.nodes[best].pagerank)) {
            bestEdits = d; best = id;
          }
        });
      });
    });
    return bestEdits <= most ? best : null;
  }
  /* Edits (insert, delete, replace, swap two letters) from a to b, or more than ``most``. */
  function edits(a, b, most) {
    var prev2 = null, prev = [], i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      var row = [i], low = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        row.push(v);
        if (v < low) low = v;
      }
      if (low > most) return most + 1;
      prev2 = prev; prev = row;
    }
    return prev[b.length];
  }

  function clearFilters(ex) {
    ex.form.elements.domain.value = "";
    ex.form.elements.difficulty.value = "";
    computeShown(ex); refresh(ex, true); writeUrl(ex); legend(ex);
  }
  function find(ex, query) {
    var q = folded(query);
    if (!q) return;
    var single = q.replace(/(?:es|s)$/, "");  /* a plural finds the term too */
    var exact = null, starts = null, part = null;
    ex.ids.forEach(function (id) {
      [ex.nodes[id].title].concat(ex.nodes[id].aliases || []).forEach(function (name) {
        var t = folded(name);
        if (t === q || t === single) exact = exact || id;
        else if (t.indexOf(q) === 0) starts = starts || id;
        else if (t.indexOf(q) !== -1) part = part || id;
      });
    });
    var hit = exact || starts || part;
    var box = ex.form.elements.find;
    if (!hit) {
      if (ex.selected) select(ex, null);  /* not the last term found, as if it were this one */
      var near = nearest(ex, q);
      var said = "No term matches “" + query + "”." +
        (near ? " Did you mean " + ex.nodes[near].title + "?" : "");
      ex.info.textContent = "";
      var p = ex.info.appendChild(make("p", "", "No term matches “" + query + "”."));
      if (near) {  /* a misspelling: the term it is nearest to, a click away */
        var offer = make("button", "lx-graph-info__offer", ex.nodes[near].title);
        offer.type = "button";
        offer.addEventListener("click", function () {
          box.value = ex.nodes[near].title;
          box.setCustomValidity("");
          find(ex, box.value);
        });
        p.append(" Did you mean ", offer, "?");
      }
      /* Said at the box too: on a phone the panel is a screen below it, and Enter seemed to
         do nothing. (The browser's own note, which goes once the box is changed.) */
      box.setCustomValidity(said);
      box.reportValidity();
      return;
    }
    if (!ex.shown[hit]) clearFilters(ex);  // a filter hides it: clear them rather than fail
    select(ex, hit, true);
    activeStage(ex).focus({ preventScroll: true });  // the arrow keys and Enter go on from it
    /* (With a mouse the summary is beside the legend, and scrolling to it would hide the
       find box under the header.) */
    if (COARSE.matches) reveal(ex);
  }

  function legend(ex) {
    var ul = ex.legend;
    ul.textContent = "";
    var rows = [];
    if (ex.colour === "community") {
      (ex.doc.communities || []).slice(0, 10).forEach(function (c) {
        rows.push([c.color, "Around " + c.label + " (" + c.size + ")"]);
      });
      if ((ex.doc.communities || []).length > 10) rows.push(["#8c8c8c", "Smaller clusters"]);
    } else {
      (ex.doc.domains || []).forEach(function (d) { rows.push([d.color, d.title]); });
    }
    rows.forEach(function (row) {
      var li = make("li");
      var swatch = make("span", "lx-swatch");
      swatch.style.background = row[0];
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(row[1]));
      ul.appendChild(li);
    });
    var kinds = make("li", "lx-graph-legend__kinds", "Arrows point from a prerequisite to what needs it, and from a term to the terms its text mentions.");
    ul.appendChild(kinds);
  }

  /* The text alternative: every term and its neighbours, built when first opened. */
  function textVersion(ex) {
    var holder = ex.root.querySelector(".lx-graph-list");
    if (holder.childNodes.length) return;
    var out = {}, inn = {};
    links(ex).forEach(function (e) {
      (out[e.source] = out[e.source] || []).push(e);
      (inn[e.target] = inn[e.target] || []).push(e);
    });
    var groups = [
      ["Needs", function (id) { return (inn[id] || []).filter(k("prerequisite")).map(src); }],
      ["Leads to", function (id) { return (out[id] || []).filter(k("prerequisite")).map(dst); }],
      ["Related", function (id) {
        return (out[id] || []).filter(k("related")).map(dst).concat((inn[id] || []).filter(k("related")).map(src));
      }],
      ["Mentions", function (id) { return (out[id] || []).filter(k("mentions")).map(dst); }],
      ["Mentioned by", function (id) { return (inn[id] || []).filter(k("mentions")).map(src); }]
    ];
    function k(kind) { return function (e) { return e.kind === kind; }; }
    function src(e) { return e.source; }
    function dst(e) { return e.target; }
    var ul = make("ul", "lx-graph-list__terms");
    ex.ids.slice().sort(function (a, b) {
      return ex.nodes[a].title.localeCompare(ex.nodes[b].title);
    }).forEach(function (id) {
      var li = make("li");
      var a = make("a", "", ex.nodes[id].title);
      a.href = termUrl(ex, id);
      li.appendChild(a);
      var dl = make("dl");
      groups.forEach(function (g) {
        var ids = g[1](id).filter(function (v, i, all) { return all.indexOf(v) === i; });
        if (!ids.length) return;
        dl.appendChild(make("dt", "", g[0]));
        var dd = make("dd");
        ids.sort(function (p, q) { return ex.nodes[p].title.localeCompare(ex.nodes[q].title); })
          .forEach(function (other, i) {
            if (i) dd.appendChild(document.createTextNode(", "));
            var link = make("a", "", ex.nodes[other].title);
            link.href = termUrl(ex, other);
            dd.appendChild(link);
          });
        dl.appendChild(dd);
      });
      li.appendChild(dl);
      ul.appendChild(li);
    });
    holder.appendChild(ul);
  }

  /* Filters, colour, mode and focus live in the URL, so a view can be shared. */
  /* A value the graph does not have ("?domain=bogus", a term since renamed) is named once
     beside the count, as the A–Z index does, and dropped from the address. */
  function readUrl(ex) {
    var params = new URLSearchParams(window.location.search), form = ex.form;
    var unknown = [];
    ["domain", "difficulty", "colour"].forEach(function (name) {
      var v = params.get(name);
      var known = v && Array.prototype.some.call(form.elements[name].options, function (o) { return o.value === v; });
      if (known) form.elements[name].value = v;
      else if (v) unknown.push(name + " \u201c" + v + "\u201d");
    });
    ex.colour = form.elements.colour.value;
    ex.focusOnLoad = params.get("focus");
    if (ex.focusOnLoad && !ex.nodes[ex.focusOnLoad]) {
      unknown.push("term \u201c" + ex.focusOnLoad + "\u201d");
      ex.focusOnLoad = null;
    }
    if (params.get("mode") === "3d") ex.mode = "3d";
    ex.unknownInUrl = unknown;
  }
  function writeUrl(ex) {
    var params = new URLSearchParams(window.location.search), form = ex.form;
    ["domain", "difficulty"].forEach(function (name) {
      if (form.elements[name].value) params.set(name, form.elements[name].value); else params.delete(name);
    });
    if (ex.colour !== "domain") params.set("colour", ex.colour); else params.delete("colour");
    if (ex.mode === "3d") params.set("mode", "3d"); else params.delete("mode");
    if (!ex.focusOnLoad) params.delete("focus");  // (gone once another term is chosen)
    replaceQuery(params);
  }
  function replaceQuery(params) {
    var query = params.toString();
    history.replaceState(history.state, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  function setMode(ex, mode) {
    Array.prototype.forEach.call(ex.form.querySelectorAll("[data-mode]"), function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-mode") === mode));
    });
    ex.root.setAttribute("data-mode", mode);
    ex.mode = mode;
    if (!ex.selected) showInfo(ex, null);  // (its hint is the mode's)
    if (mode === "2d") {
      if (ex.view3d) { ex.view3d.close(); ex.view3d = null; }
      ex.stage.hidden = false;
      if (ex.renderer) { ex.renderer.resize(); ex.renderer.refresh(); }
      writeUrl(ex);
      return;
    }
    writeUrl(ex);
    if (ex.view3d) return;
    ex.root.setAttribute("data-3d", "loading");
    Promise.all([loadScript(ex.vendor + "3d-force-graph.min.js" + VERSION), loadScript(new URL("graph3d.js" + VERSION, SELF).href)])
      .then(function () {
        if (!ex.alive || ex.mode !== "3d" || ex.view3d) return;
        var keyed = document.activeElement === ex.stage;  // (a term found while it loaded)
        ex.stage.hidden = true;
        ex.view3d = window.lexigraphGraph3d.open(ex, {
          hover: function (id) { hover(ex, id); },
          open: function (id) { open(ex, id); },
          url: function (id) { return termUrl(ex, id); },
          key: function (e) { keys(ex, e); }
        });
        if (keyed) ex.view3d.box.focus({ preventScroll: true });
        // A term chosen before the view existed (?focus=lstm&mode=3d): fly to it.
        if (ex.selected) ex.view3d.focus(ex.selected);
      })
      .catch(function (err) {
        ex.root.setAttribute("data-3d", "error");
        ex.info.textContent = "The 3D view could not be loaded (" + err.message + ").";
        console.error("lexigraph graph 3D:", err);
      });
  }

  /* On paper there is no graph to explore (graph.css leaves out the view, its tools, the notes
     on using it and its legend): the text version is printed in its place, opened for the
     print and closed again after. */
  window.addEventListener("beforeprint", function () {
    live.forEach(function (ex) {
      var details = ex.root.querySelector(".lx-graph-text");
      if (!ex.ids || details.open) return;
      textVersion(ex);
      details.open = ex.openedToPrint = true;
    });
  });
  window.addEventListener("afterprint", function () {
    live.forEach(function (ex) {
      if (ex.openedToPrint) ex.root.querySelector(".lx-graph-text").open = ex.openedToPrint = false;
    });
  });

  function kill(ex) {
    ex.alive = false;
    if (ex.root.lexigraph === ex) ex.root.lexigraph = null;
    if (ex.view3d) ex.view3d.close();
    if (ex.renderer) ex.renderer.kill();
    if (ex.observer) ex.observer.disconnect();
  }

  /* Every page view: start the explorer; an explorer whose page was replaced (instant
     navigation) is stopped, one already running on this page is kept. */
  function start() {
    live = live.filter(function (ex) {
      if (document.body.contains(ex.root)) return true;
      kill(ex);
      return false;
    });
    Array.prototype.forEach.call(document.querySelectorAll(".lx-graph[data-lx-graph]"), setupExplorer);
  }
  function subscribe() {
    if (window.document$ && typeof window.document$.subscribe === "function" && location.protocol !== "file:") {
      window.document$.subscribe(start);
    } else {
      start();
    }
  }
  // graph/ runs this script early (async), before Material's bundle defines document$: start
  // the explorer now, and follow document$ once the page is parsed.
  if (document.querySelector(".lx-graph[data-lx-graph]")) {
    Array.prototype.forEach.call(document.querySelectorAll(".lx-graph[data-lx-graph]"), setupExplorer);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", subscribe);
  } else {
    subscribe();
  }
})();
