/* Lexigraph demo charts: an SVG line chart drawn from a demo's result (the "chart" mapping of
   the demo contract). Linear or log axes, ticks at powers of ten on log axes, axis labels, a
   legend and a text description for screen readers. Colours come from CSS (demo.css), so the
   light and dark palettes both work. Every number on the chart comes from the data. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var SUPER = { "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹" };
  /* A phone's chart is lower: it stays in sight above the controls there (demo.css). */
  var HEIGHT = 300, NARROW_HEIGHT = 240;
  var M = { top: 14, right: 18, bottom: 46, left: 70 };

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function usable(v, log) { return typeof v === "number" && isFinite(v) && (!log || v > 0); }

  /* [lo, hi, whole]: the range of the values drawn, and whether all of them are integers. */
  function extent(series, key, log) {
    var lo = Infinity, hi = -Infinity, whole = true;
    series.forEach(function (s) {
      s[key].forEach(function (v, i) {
        var other = s[key === "x" ? "y" : "x"][i];
        if (usable(v, log) && typeof other === "number") {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
          whole = whole && v % 1 === 0;
        }
      });
    });
    if (lo === Infinity) return log ? [1, 10] : [0, 1];
    if (lo === hi) return log ? [lo / 10, hi * 10] : [lo - (Math.abs(lo) || 1) / 2, hi + (Math.abs(hi) || 1) / 2, whole];
    return [lo, hi, whole];
  }

  /* A linear axis: round the extent out to a "nice" step of 1, 2 or 5 x 10^k, at least 1 for
     data that are all integers (a count of layers has no layer 1.2). */
  function linearAxis(lo, hi, padded, whole) {
    var span = hi - lo;
    if (padded) { lo -= span * 0.04; hi += span * 0.04; span = hi - lo; }
    var raw = span / 6, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (f) { return f * mag; }).filter(function (s) { return s >= raw; })[0];
    if (whole) step = Math.max(step, 1);
    var first = Math.ceil(lo / step - 1e-9) * step, ticks = [];
    for (var t = first; t <= hi + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
    var decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    return { lo: lo, hi: hi, ticks: ticks, fmt: function (v) { return linearLabel(v, decimals, step); },
             pos: function (v) { return (v - lo) / (hi - lo); } };
  }

  function linearLabel(v, decimals, step) {
    if (v !== 0 && (Math.abs(v) >= 1e5 || step < 1e-4)) return v.toExponential(1).replace("e+", "e");
    return v.toFixed(Math.min(decimals, 6));
  }

  /* A log axis: whole decades; ticks at powers of ten (every k-th when there are many),
     with 2 and 5 added when the data span less than two decades. */
  function logAxis(lo, hi) {
    var a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
    if (a === b) { a -= 1; b += 1; }
    var every = Math.max(1, Math.ceil((b - a) / 8)), ticks = [];
    for (var e = a; e <= b; e++) {
      if (((e % every) + every) % every === 0) ticks.push(Math.pow(10, e));
      if (b - a <= 2 && e < b) { ticks.push(2 * Math.pow(10, e)); ticks.push(5 * Math.pow(10, e)); }
    }
    // Plain numbers when every tick is between 0.01 and 1000, powers of ten otherwise.
    var plain = a >= -2 && b <= 3;
    return { lo: Math.pow(10, a), hi: Math.pow(10, b), ticks: ticks,
             fmt: function (v) { return logLabel(v, plain); },
             pos: function (v) { return (Math.log10(v) - a) / (b - a); } };
  }

  function logLabel(v, plain) {
    var e = Math.floor(Math.log10(v) + 1e-9), m = Math.round(v / Math.pow(10, e));
    if (plain) return String(Number((m * Math.pow(10, e)).toPrecision(1)));
    var power = "10" + String(e).split("").map(function (c) { return SUPER[c]; }).join("");
    return m === 1 ? power : m + "×" + power;
  }

  function axis(spec, series, key) {
    var log = spec.scale === "log";
    var ext = extent(series, key, log);
    return log ? logAxis(ext[0], ext[1]) : linearAxis(ext[0], ext[1], key === "y", ext[2]);
  }

  function short(v) {
    if (typeof v !== "number") return "no value";
    if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(3);
    return String(Number(v.toPrecision(5)));
  }

  /* Draw ``chart`` into ``box`` (replacing what was there) and fill ``legend``. */
  function draw(box, chart, idPrefix) {
    var width = Math.max(280, Math.round(box.clientWidth || 600));
    var height = width < 440 ? NARROW_HEIGHT : HEIGHT;
    var W = width - M.left - M.right, H = height - M.top - M.bottom;
    var series = chart.series || [];
    var xa = axis(chart.x, series, "x"), ya = axis(chart.y, series, "y");
    var xlog = chart.x.scale === "log", ylog = chart.y.scale === "log";
    function X(v) { return M.left + xa.pos(v) * W; }
    function Y(v) { return M.top + (1 - ya.pos(v)) * H; }

    var svg = el("svg", { viewBox: "0 0 " + width + " " + height, width: width, height: height,
                          role: "img", "aria-labelledby": idPrefix + "-ct " + idPrefix + "-cd",
                          "class": "lx-chart" });
    el("title", { id: idPrefix + "-ct" }, svg).textContent = chart.title || "";
    var desc = series.map(function (s) { return s.name; }).join("; ");
    el("desc", { id: idPrefix + "-cd" }, svg).textContent =
      "Line chart of " + desc + ". Horizontal axis: " + chart.x.label + " (" + chart.x.scale +
      " scale, " + xa.fmt(xa.ticks[0]) + " to " + xa.fmt(xa.ticks[xa.ticks.length - 1]) +
      "). Vertical axis: " + chart.y.label + " (" + chart.y.scale + " scale).";

    var grid = el("g", { "class": "lx-chart__grid" }, svg);
    var axes = el("g", { "class": "lx-chart__axes" }, svg);
    ya.ticks.forEach(function (t) {
      if (t < ya.lo || t > ya.hi) return;
      var y = Y(t).toFixed(1);
      el("line", { x1: M.left, x2: M.left + W, y1: y, y2: y }, grid);
      var label = el("text", { x: M.left - 6, y: y, dy: "0.32em", "text-anchor": "end" }, axes);
      label.textContent = ya.fmt(t);
    });
    xa.ticks.forEach(function (t) {
      if (t < xa.lo || t > xa.hi) return;
      var x = X(t).toFixed(1);
      el("line", { x1: x, x2: x, y1: M.top, y2: M.top + H }, grid);
      var label = el("text", { x: x, y: M.top + H + 16, "text-anchor": "middle" }, axes);
      label.textContent = xa.fmt(t);
    });
    el("rect", { x: M.left, y: M.top, width: W, height: H, "class": "lx-chart__frame" }, axes);
    el("text", { x: M.left + W / 2, y: height - 6, "text-anchor": "middle", "class": "lx-chart__label" },
       axes).textContent = chart.x.label;
    el("text", { transform: "translate(14 " + (M.top + H / 2) + ") rotate(-90)", "text-anchor": "middle",
                 "class": "lx-chart__label" }, axes).textContent = chart.y.label;

    series.forEach(function (s, k) {
      var g = el("g", { "class": "lx-chart__series " + style(k), "data-series": String(k) }, svg);
      var d = "", pen = false, points = [];
      s.x.forEach(function (xv, i) {
        var yv = s.y[i];
        if (!usable(xv, xlog) || !usable(yv, ylog)) { pen = false; return; }  // a gap in the line
        d += (pen ? "L" : "M") + X(xv).toFixed(2) + " " + Y(yv).toFixed(2);
        pen = true;
        points.push([xv, yv]);
      });
      el("path", { d: d }, g);
      if (points.length <= 80) {
        points.forEach(function (p) {
          var dot = el("circle", { cx: X(p[0]).toFixed(2), cy: Y(p[1]).toFixed(2), r: 2.6 }, g);
          el("title", {}, dot).textContent = s.name + ": " + chart.x.label + " " + short(p[0]) +
            ", " + chart.y.label + " " + short(p[1]);
        });
      }
    });
    box.replaceChildren(svg);
  }

  /* A series' colour and line: 8 colours, 4 lines (solid, dashed, dotted, dash-dot), each
     series of the first 32 a pair of its own, and neighbours differ by their line too, so
     that lines are told apart without colour. */
  function style(k) {
    return "lx-c" + (k % 8) + " lx-d" + ((k + Math.floor(k / 8)) % 4);
  }

  function legend(list, chart) {
    list.replaceChildren();
    (chart.series || []).forEach(function (s, k) {
      var item = document.createElement("li");
      item.className = style(k);
      var swatch = document.createElement("span");
      swatch.className = "lx-legend__swatch";
      swatch.setAttribute("aria-hidden", "true");
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(s.name));
      list.appendChild(item);
    });
  }

  window.LexigraphChart = { draw: draw, legend: legend, logLabel: logLabel };
})();
