/* Lexigraph live demos. Each .lx-demo block carries its build-time result (computed with
   CPython), drawn at once; the controls come from assets/lexigraph/demos.json. Python (Pyodide)
   runs in one Web Worker per page, kept across Material's instant navigation, booted in the
   background once a demo is on screen, or on a phone at the first touch of a demo's controls
   (see scheduleBoot); every control change re-runs the demo there. A long run can be
   stopped: the worker is terminated and started again. A Python that failed to load stays
   failed (the chart computed at build time stays, with the reason) until the reader asks
   to try again. */
(function () {
  "use strict";
  var R = window.LexigraphRuntime;
  var ROOT = R.root;
  var STAGES = { python: [1, "Loading the Python runtime"], numpy: [2, "Loading NumPy and the demos"],
                 running: [3, "Running"] };
  var STOP_AFTER_MS = 1000;   // when the Stop button appears during a run
  var RUNNING_AFTER_MS = 300; // when a warm run says "Running…"
  var SAY_AFTER_MS = 1000;    // a new reading is said once the controls have rested this long

  function node(tag, attrs, text) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (text != null) n.textContent = text;
    return n;
  }

  var live = [];   // the demos of the current page
  R.onStage(function () { live.forEach(function (d) { d.showRuntime(); }); });

  /* ---------- Shared, fetched once per visit ----------
     The demos' parameters and sources change with the site, not with the scripts: the browser
     asks whether the copy it kept is still the site's. */
  var fetched = {};
  function getJSON(path) {
    fetched[path] = fetched[path] || fetch(ROOT + path, { cache: "no-cache" }).then(function (r) {
      if (!r.ok) throw new Error(path + ": HTTP " + r.status);
      return path.slice(-5) === ".json" ? r.json() : r.text();
    });
    fetched[path].catch(function () { delete fetched[path]; });  // the next use tries again
    return fetched[path];
  }

  /* ---------- The result contract ---------- */
  /* What is wrong with what run() returned, in the words of the build's check of every result
     it embeds (lexigraph.demo_run.check_result; the tests hold the two to the same messages):
     edited code may return anything, and the chart must not be drawn from it. What arrives
     here was JSON already (the worker refuses NaN and NumPy values, and names where they are
     as the build does), so that is not checked. */
  function resultProblems(result) {
    function mapping(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
    function text(v) { return typeof v === "string"; }
    if (!mapping(result)) return ["run() must return a dict but returned " + pythonType(result)];
    var found = [];
    if (!text(result.summary)) found.push("'summary' must be a string");
    if (!mapping(result.metrics)) found.push("'metrics' must be a mapping");
    var chart = result.chart;
    if (!mapping(chart)) return found.concat(["'chart' must be a mapping"]);
    if (!text(chart.title)) found.push("'chart.title' must be a string");
    ["x", "y"].forEach(function (axis) {
      var spec = chart[axis];
      if (!mapping(spec) || (spec.scale !== "linear" && spec.scale !== "log") || !text(spec.label)) {
        found.push("'chart." + axis + "' must be {'label': ..., 'scale': 'linear' | 'log'}");
      }
    });
    var series = chart.series;
    if (!Array.isArray(series) || !series.length) {
      found.push("'chart.series' must be a non-empty list");
      series = [];
    }
    series.forEach(function (s, i) {
      var where = "'chart.series[" + i + "]";
      if (!mapping(s)) {
        found.push(where + "' must be a mapping {'name': ..., 'x': [...], 'y': [...]} but is " +
                   pythonWhat(s));
        return;
      }
      var wrong = ["x", "y"].filter(function (axis) { return !Array.isArray(s[axis]); });
      wrong.forEach(function (axis) {
        found.push(axis in s ? where + "." + axis + "' must be a list but is " + pythonWhat(s[axis])
                             : where + "' has no list '" + axis + "'");
      });
      if (wrong.length) return;
      if (s.x.length !== s.y.length) {
        found.push(where + "' must have lists 'x' and 'y' of equal length but they hold " +
                   s.x.length + " and " + s.y.length + " values");
      } else if (!text(s.name)) {
        found.push(where + ".name' must be a string");
      } else {
        var bad = s.x.concat(s.y).filter(function (v) { return v !== null && typeof v !== "number"; });
        if (bad.length) {
          found.push(where + "' must hold numbers (or None for a gap) in 'x' and 'y' but holds " +
                     pythonRepr(bad[0]) + "; the chart would draw nothing");
        }
      }
    });
    return found;
  }

  /* A value from JSON as Python names it and writes it, as the build's messages do. */
  function pythonType(v) {
    if (v === null) return "NoneType";
    if (Array.isArray(v)) return "list";
    return { string: "str", boolean: "bool", number: Number.isInteger(v) ? "int" : "float" }[typeof v] || "dict";
  }
  function pythonWhat(v) {  // (demo_run._what)
    if (v === null) return "None";
    var name = pythonType(v);
    return ("aeiou".indexOf(name[0]) < 0 ? "a " : "an ") + name;
  }
  function pythonRepr(v) {
    if (v === null) return "None";
    if (typeof v === "boolean") return v ? "True" : "False";
    if (typeof v === "string") return "'" + v.replace(/\\/g, "\\\\").replace(/'/g, "\\'") + "'";
    if (Array.isArray(v)) return "[" + v.map(pythonRepr).join(", ") + "]";
    if (typeof v === "object") {
      return "{" + Object.keys(v).map(function (k) { return pythonRepr(k) + ": " + pythonRepr(v[k]); }).join(", ") + "}";
    }
    return String(v);
  }

  /* ---------- One demo block ---------- */
  function Demo(el) {
    this.el = el;
    this.demo = el.getAttribute("data-lx-demo");
    this.prefix = el.id || "lx-demo";
    this.data = JSON.parse(el.querySelector("template.lx-demo__data").content.textContent);
    var chart = this.data.chart;
    if (chart.x_all) chart.series.forEach(function (s) { s.x = chart.x_all; });  // see demo_embed.pack
    this.initial = JSON.parse(el.getAttribute("data-lx-params") || "{}");
    this.summary = el.querySelector(".lx-demo__summary");
    this.code = null;        // the edited source while "Edit & run" code is in use
    this.edited = false;     // whether the chart shown was drawn by edited code
    this.busy = false;
    this.phase = null;       // while busy: the stage shown, "running" once Python runs the demo
    this.queued = false;
    this.note = "";          // e.g. "Stopped after 3.2 s.", shown until the next run
    this.build();
    this.draw(this.data.chart);
    this.showRuntime();
    var self = this;
    if (location.protocol === "file:") {
      // Opened from a file, the browser lets the page load nothing more: no controls, no
      // Python. The chart and its reading, made at build time, are all it can show.
      this.setStatus(OFFLINE_FILE);
      return;
    }
    getJSON("assets/lexigraph/demos.json").then(function (specs) {
      self.spec = specs[self.demo];
      if (self.spec) self.controls(self.spec);
    }, function (err) { self.error({ message: "Cannot load the demo's controls: " + err.message }); });
  }
  var CONTRACT = "run() must return a dict with \"chart\" (\"title\", \"x\" and \"y\" axes, and " +
    "\"series\" of lines with lists \"x\" and \"y\"), \"summary\" (a string) and \"metrics\" " +
    "(a dict), as the demo's own code does.";
  var OFFLINE_FILE = "This page was opened from a file, where the browser lets it load neither " +
    "the demo's controls nor Python: the chart shows the result computed when the site was " +
    "built. To re-run the demo, serve the site's folder (e.g. python3 -m http.server) and open " +
    "it from there.";

  /* The widest value a slider shows, in characters: its value beside it keeps one width, so
     the track does not grow and shrink under the finger as the value's digits change
     (0.5 / 0.55), and the tracks of one demo line up. */
  function valueWidth(p) {
    var decimals = (String(p.step).split(".")[1] || "").length;
    var whole = String(Math.floor(Math.max(Math.abs(p.min), Math.abs(p.max)))).length;
    return whole + (decimals ? decimals + 1 : 0) + (p.min < 0 ? 1 : 0);
  }

  /* A finger that lands on a slider on its way to scrolling the page moved the slider to
     where it landed (a range input takes the touch at once), ran the demo and, on first use,
     fetched Python. While a finger is down the slider shows its value but runs nothing: the
     run comes when the finger lifts, and a touch the page takes for a scroll (pointercancel)
     puts the value back. Returns whether a finger is down on the slider. */
  function touchSlider(input, out, run) {
    var before = null;  // the value when the finger landed, while it is down
    input.addEventListener("pointerdown", function (e) {
      if (e.pointerType === "touch") before = input.value;
    });
    function end(scrolled) {
      if (before === null) return;
      var changed = input.value !== before;
      if (scrolled) { input.value = before; out.textContent = before; }
      before = null;
      if (changed && !scrolled) run();
    }
    input.addEventListener("pointerup", function () { end(false); });
    input.addEventListener("pointercancel", function () { end(true); });
    // (A touch that ends with neither, its capture lost, must not leave the slider silent.)
    input.addEventListener("lostpointercapture", function () { end(false); });
    return function () { return before !== null; };
  }

  Demo.prototype.build = function () {
    var el = this.el, p = this.prefix;
    var figure = el.querySelector(".lx-demo__figure");
    this.caption = node("figcaption", { "class": "lx-demo__caption" });
    figure.insertBefore(this.caption, figure.firstChild);
    this.chart = el.querySelector(".lx-demo__chart");
    this.legendList = node("ul", { "class": "lx-demo__legend", "aria-label": "Legend" });
    figure.appendChild(this.legendList);
    // Where a control taking the focus is scrolled to while the figure stays in sight (demo.css).
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        el.style.setProperty("--lx-figure", figure.offsetHeight + "px");
      }).observe(figure);
    }
    this.statusRow = node("div", { "class": "lx-demo__statusrow" });
    // Focusable from script only: where focus goes when Stop, holding it, disappears.
    // A live region once the reader uses this demo (request): Python's loading in the
    // background would otherwise be announced by every demo of the page, stage by stage.
    this.status = node("span", { "class": "lx-demo__status", tabindex: "-1" });
    this.progress = node("progress", { max: "3", value: "0", "aria-hidden": "true", hidden: "" });
    // How long the last run took: beside the status, not in it, so that a screen reader is
    // told of a new result once (by the summary), not again for a changed time.
    this.timing = node("span", { "class": "lx-demo__timing" });
    this.stopButton = node("button", { type: "button", "class": "lx-demo__btn lx-demo__stop", hidden: "" }, "Stop");
    // Shown while Python failed to load: a change of a control no longer loads it again.
    this.retryButton = node("button", { type: "button", "class": "lx-demo__btn lx-demo__retry", hidden: "" },
                            "Retry loading Python");
    this.statusRow.append(this.progress, this.status, this.timing, this.stopButton, this.retryButton);
    this.errorBox = node("div", { "class": "lx-demo__error", role: "alert", hidden: "" });
    this.stdout = node("pre", { "class": "lx-demo__stdout", hidden: "", role: "region", "aria-label": "Printed output" });
    var actions = node("div", { "class": "lx-demo__actions" });
    this.showButton = node("button", { type: "button", "class": "lx-demo__btn", "aria-expanded": "false",
                                       "aria-controls": p + "-code" }, "Show code");
    this.editButton = node("button", { type: "button", "class": "lx-demo__btn", "aria-expanded": "false",
                                       "aria-controls": p + "-code" }, "Edit & run");
    actions.append(this.showButton, this.editButton);
    this.panel = node("div", { "class": "lx-demo__code", id: p + "-code", hidden: "" });
    this.placeOutput(this.summary);
    /* The reading is said by a screen reader once the reader stops changing the controls, not
       at every slider step (each a run of some 50 ms and a sentence of some 270 characters):
       the summary changes with each run, and this hidden live region takes the last one. */
    this.said = node("p", { "class": "lx-demo__said lx-sr", "aria-live": "polite" });
    this.lastSaid = this.summary.textContent;
    this.summary.after(this.said);
    el.querySelector(".lx-demo__controls").after(actions, this.panel);
    var self = this;
    this.stopButton.addEventListener("click", function () { R.restart(); });
    this.retryButton.addEventListener("click", function () {
      R.retry();
      // The button hides itself: the focus it held goes to the status, which follows the load.
      self.status.setAttribute("role", "status");
      self.status.focus();
      self.request();  // with the controls as they are now, once Python is there
    });
    this.showButton.addEventListener("click", function () { self.togglePanel(false); });
    this.editButton.addEventListener("click", function () { self.togglePanel(true); });
  };

  /* The chart on show: the last live result's, else the one computed at build time. */
  Demo.prototype.shownChart = function () {
    var last = this.el.getAttribute("data-lx-result");
    return last ? JSON.parse(last).chart : this.data.chart;
  };

  Demo.prototype.draw = function (chart) {
    this.caption.textContent = chart.title || "";
    window.LexigraphChart.draw(this.chart, chart, this.prefix);
    window.LexigraphChart.legend(this.legendList, chart);
  };

  Demo.prototype.controls = function (spec) {
    // No accessible name: a named form is a landmark, and one page may show a demo twice.
    var form = node("form", { "class": "lx-demo__form" });
    var self = this;
    var desc = this.el.querySelector(".lx-demo__desc");
    if (desc && !desc.textContent) desc.textContent = spec.description;
    spec.params.forEach(function (p) {
      var id = self.prefix + "-" + p.name, value = p.name in self.initial ? self.initial[p.name] : p.default;
      var row = node("div", { "class": "lx-demo__control lx-demo__control--" + p.kind });
      var label = node("label", { "for": id }, p.label || p.name);
      var help = node("small", { id: id + "-help", "class": "lx-demo__help" }, p.help || "");
      var input, touched = null;
      if (p.kind === "select") {
        input = node("select", { id: id, name: p.name, "aria-describedby": id + "-help" });
        p.choices.forEach(function (c) { input.appendChild(node("option", { value: c }, c)); });
        input.value = value;
        row.append(label, input, help);
      } else if (p.kind === "checkbox") {
        input = node("input", { type: "checkbox", id: id, name: p.name, "aria-describedby": id + "-help" });
        input.checked = !!value;
        row.append(input, label, help);
      } else {
        input = node("input", { type: "range", id: id, name: p.name, min: p.min, max: p.max, step: p.step,
                                "aria-describedby": id + "-help" });
        input.value = value;
        // Said with the slider itself; as an <output> (a live region) it would be said twice.
        var out = node("output", { "for": id, "class": "lx-demo__value", "aria-live": "off" }, input.value);
        out.style.minWidth = valueWidth(p) + "ch";
        input.addEventListener("input", function () { out.textContent = input.value; });
        row.append(label, input, out, help);
        touched = touchSlider(input, out, function () { self.request(); });
      }
      input.addEventListener(p.kind === "slider" ? "input" : "change", function () {
        self.follow();
        if (!(touched && touched())) self.request();
      });
      if (p.applies_when) {
        row.appendChild(node("small", { id: id + "-when", "class": "lx-demo__help lx-demo__when", hidden: "" },
                             "Used only when " + conditionText(p.applies_when, spec.params) + "."));
      }
      form.appendChild(row);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    this.form = form;
    this.follow();
    this.el.querySelector(".lx-demo__controls").replaceChildren(form);
  };

  /* "Weight initialization is “normal”", from a parameter's applies_when (see follow). */
  function conditionText(when, params) {
    return Object.keys(when).map(function (name) {
      var other = params.filter(function (q) { return q.name === name; })[0] || { name: name };
      var label = other.label || other.name;
      if (other.kind === "checkbox") return "“" + label + "” is " + (when[name] ? "ticked" : "not ticked");
      return label + " is " + [].concat(when[name]).map(function (v) { return "“" + v + "”"; }).join(" or ");
    }).join(" and ");
  }

  /* A parameter used only while others have given values (its applies_when, such as the σ of
     a normal initialization, {"init": "normal"}) has its control disabled otherwise, where
     moving it would re-run the demo for nothing; its note, shown and read with the control's
     description, says when it is used. (run() still receives its value.) */
  Demo.prototype.follow = function () {
    var form = this.form, prefix = this.prefix;
    this.spec.params.forEach(function (p) {
      if (!p.applies_when) return;
      var applies = Object.keys(p.applies_when).every(function (name) {
        var other = form.elements[name];
        if (!other) return true;
        var value = other.type === "checkbox" ? other.checked : other.value;
        return [].concat(p.applies_when[name]).indexOf(value) !== -1;
      });
      var input = form.elements[p.name], id = prefix + "-" + p.name;
      var note = form.querySelector("#" + CSS.escape(id + "-when"));
      input.disabled = !applies;
      input.closest(".lx-demo__control").classList.toggle("lx-demo__control--off", !applies);
      note.hidden = applies;
      input.setAttribute("aria-describedby", id + "-help" + (applies ? "" : " " + id + "-when"));
    });
  };

  Demo.prototype.params = function () {
    var out = {}, form = this.form;
    this.spec.params.forEach(function (p) {
      var input = form.elements[p.name];
      if (p.kind === "checkbox") out[p.name] = input.checked;
      else if (p.kind === "select") out[p.name] = input.value;
      else {
        var integer = [p.min, p.max, p.step].every(Number.isInteger);
        out[p.name] = integer ? parseInt(input.value, 10) : parseFloat(input.value);
      }
    });
    return out;
  };

  /* The status line while this demo is not running: where the shared runtime is. A live or
     failed demo keeps its own message once Python is up. */
  Demo.prototype.showRuntime = function () {
    this.retryButton.hidden = this.busy || R.stage() !== "failed";
    if (this.busy) {
      // A run requested while Python boots waits for it: follow the boot's stages.
      if (this.phase !== "running" && STAGES[R.stage()]) this.showProgress(R.stage());
      return;
    }
    var stage = STAGES[R.stage()], state = this.el.getAttribute("data-lx-state");
    var note = this.note ? this.note + " " : "";
    this.progress.hidden = !stage;
    if (stage) {
      this.progress.value = stage[0];
      this.setStatus(note + stage[1] + " in the background… (" + stage[0] + " of 3)");
    } else if (R.stage() === "failed") {
      var failure = R.error();
      var why = failure && failure.message ? failure.message.replace(/[\s.]*$/, ".")  // (a sentence)
                                           : "the Python runtime could not be loaded.";
      this.setStatus(note + "Live re-runs are unavailable: " + why +
                     (state === "static" ? " The chart shows the result computed when the site was built." : ""));
    } else if (state === "static") {
      this.setStatus(R.stage() === "ready" ? "Python is ready: change a control to re-run the demo here."
                                          : "Result computed when the site was built. Change a control to re-run it in your browser.");
    } else if (state === "stopped") {
      /* (No "run again" button: the controls may already show values the chart was never
         drawn for, the stopped run's, so the status says what the chart is.) */
      this.setStatus(note + "The chart shows the last run that finished" +
                     (R.stage() === "ready" ? "; Python was restarted: change a control to run again." : "."));
    }
  };

  /* (The same text is not written again: a live region would say it again.) A status says
     nothing of the last run's time: result() writes it after its own status. */
  Demo.prototype.setStatus = function (text) {
    if (this.status.textContent !== text) this.status.textContent = text;
    this.timing.textContent = "";
  };

  /* "Loading the Python runtime… (1 of 3)", "… NumPy … (2 of 3)", "Running… (3 of 3)". */
  Demo.prototype.showProgress = function (stage) {
    var s = STAGES[stage] || STAGES.running;
    this.phase = stage;
    this.progress.hidden = false;
    this.progress.value = s[0];
    this.setStatus(s[1] + "… (" + s[0] + " of 3)");
  };

  Demo.prototype.setState = function (state) { this.el.setAttribute("data-lx-state", state); };

  /* Run with the current controls; while a run is going, remember only the latest request. */
  Demo.prototype.request = function () {
    if (!this.spec) return;
    this.status.setAttribute("role", "status");
    if (this.busy) { this.queued = true; return; }
    // Python did not load: nothing runs until the reader asks to retry (the status says why).
    if (R.stage() === "failed") { this.showRuntime(); return; }
    var self = this, params = this.params(), code = this.code, started = performance.now();
    var fromEdit = code != null;
    var warm = R.stage() === "ready";
    this.busy = true;
    this.queued = false;
    this.note = "";
    this.phase = null;
    this.setState("running");
    var stopTimer = null, shown = null;
    function offerStop() {
      clearTimeout(stopTimer);
      stopTimer = setTimeout(function () { self.stopButton.hidden = false; }, STOP_AFTER_MS);
    }
    // Python runs one demo at a time: behind another demo's long run (on this page or one
    // left by instant navigation), this one says so, and Stop ends that run.
    var waiting = warm && R.busy();
    // A warm re-run takes milliseconds: say "Running" only if it does not (no flicker, and
    // screen readers are not told twice per slider step). A run that waits for Python to boot
    // shows the boot's stages (see showRuntime).
    if (waiting) {
      this.setStatus("Waiting for another demo's run to finish…");
      offerStop();
    } else if (warm) {
      shown = setTimeout(function () { self.showProgress("running"); }, RUNNING_AFTER_MS);
    } else {
      this.showProgress(R.stage() in STAGES ? R.stage() : "python");
    }
    var ranFrom = 0;
    new Promise(function (resolve) {  // (a throw here too must end the run: see the last step)
      resolve(R.run(self.demo, params, code, function (stage) {
        if (stage !== "running") return;
        if (waiting) ranFrom = performance.now();
        // Stop is offered once this run's Python is running, not while the runtime loads.
        offerStop();
        if (shown === null) self.showProgress(stage);
        else self.phase = stage;
      }));
    }).then(function (m) {
      if (!self.el.isConnected) return;
      var wrong = resultProblems(m.data);
      if (wrong.length) {
        self.error({ message: "run() returned a result that breaks the contract: " + wrong.join("; "),
                     traceback: "", stdout: m.stdout, hint: CONTRACT });
        self.edited = fromEdit;
        return;
      }
      // (The time spent waiting behind another demo's run is not this run's.)
      self.result(m, params, performance.now() - (ranFrom || started), warm, fromEdit);
    }, function (err) {
      if (!self.el.isConnected) return;
      if (err.stopped && !err.wasRunning) {
        self.queued = true;  // it only waited for the run that was stopped: ask again
      } else if (err.stopped) {
        self.queued = false;
        self.setState("stopped");
        self.note = "Stopped after " + ((performance.now() - started) / 1000).toFixed(1) + " s.";
      } else if (err.runtime) {
        // Python did not load: the status says why (showRuntime), once, and the chart stays.
        self.setState(self.el.hasAttribute("data-lx-result") ? "live" : "static");
      } else {
        if (err.contract) err.hint = CONTRACT;  // (a value JSON cannot hold: NaN, NumPy's)
        self.error(err);
        self.edited = fromEdit;  // what is shown (the error, its output) came from edited code
      }
    }).catch(function (err) {
      // A result the check let through but the page could not show (a fault of ours): the
      // last good chart is drawn again, and the demo goes on. Whatever happened, the run is
      // over: the step below must run, or the demo would stay busy, deaf to every control.
      try {
        self.draw(self.shownChart());
        self.error({ message: "The result could not be shown: " + (err && err.message || err), traceback: "" });
        self.edited = fromEdit;
      } catch (ignored) { /* (the step below still runs) */ }
    }).then(function () {
      clearTimeout(stopTimer);
      clearTimeout(shown);
      // A hidden button drops the focus to the page's start: a keyboard reader who pressed
      // Stop goes on from the editor they ran (if open), else from the status that says why.
      if (document.activeElement === self.stopButton) {
        var editor = self.panel.hidden ? null : self.panel.querySelector("textarea");
        (editor || self.status).focus();
      }
      self.stopButton.hidden = true;
      self.progress.hidden = true;
      self.busy = false;
      self.phase = null;
      if (self.queued && self.el.isConnected) self.request();
      else self.showRuntime();
    });
  };

  Demo.prototype.result = function (m, params, total, warm, fromEdit) {
    var data = m.data;
    this.draw(data.chart);
    if (this.summary.textContent !== data.summary) this.summary.textContent = data.summary;
    this.say(data.summary, fromEdit ? 0 : SAY_AFTER_MS);
    this.errorBox.hidden = true;
    this.errorBox.replaceChildren();
    this.stdout.hidden = !m.stdout;
    this.stdout.textContent = m.stdout || "";
    // What the tests compare with CPython: the exact result and the parameters it came from.
    this.el.setAttribute("data-lx-result", JSON.stringify(data));
    this.el.setAttribute("data-lx-run-params", JSON.stringify(params));
    this.el.setAttribute("data-lx-ms", m.ms.toFixed(1));
    this.setState("live");
    this.edited = fromEdit;
    this.setStatus((fromEdit ? "Your edited code ran" : "Ran") + " in your browser.");
    this.timing.textContent = Math.round(m.ms) + " ms (" + (warm ? Math.round(total) + " ms with drawing)"
                                                             : (total / 1000).toFixed(1) + " s with loading Python)");
  };

  /* Says a new reading after ``wait`` ms unless another comes first, and takes it out of the
     page a little later (the summary holds it for reading). */
  Demo.prototype.say = function (text, wait) {
    var self = this;
    clearTimeout(this.sayTimer);
    this.sayTimer = setTimeout(function () {
      if (text === self.lastSaid) return;
      self.lastSaid = text;
      self.said.textContent = text;
      setTimeout(function () { if (self.said.textContent === text) self.said.textContent = ""; }, 5000);
    }, wait);
  };

  Demo.prototype.error = function (err) {
    this.setState("error");
    var box = this.errorBox;
    if (err.invalid) {
      /* The demo refused these settings (e.g. every curve unticked): say why, no traceback. */
      box.replaceChildren(node("p", { "class": "lx-demo__errmsg" }, "These settings cannot run: " + err.message),
                          node("p", {}, "The chart still shows the last result that ran; change a control to run again."));
      box.hidden = false;
      this.stdout.hidden = true;
      this.setStatus("Not run: the settings are not valid.");
      return;
    }
    box.replaceChildren(node("p", { "class": "lx-demo__errmsg" }, err.message || String(err)));
    if (err.traceback) box.appendChild(node("pre", { "class": "lx-demo__traceback" }, err.traceback));
    if (err.hint) box.appendChild(node("p", {}, err.hint));
    box.appendChild(node("p", {}, "The chart still shows the last good result; change the code or a control and run again."));
    box.hidden = false;
    this.stdout.hidden = !err.stdout;
    this.stdout.textContent = err.stdout || "";
    this.setStatus("The run failed.");
  };

  /* ---------- Show code / Edit & run ---------- */
  /* The status (with Stop), the error and the printed output follow the summary, under the
     chart; while the editor is open they follow its Run button, where the reader acted (on a
     phone the summary is more than a screen above it). On a narrow screen, where the chart
     stays in sight as the reader goes through the controls (demo.css), the status goes with
     it, under the legend: what a change started is seen where its result will be. Moved, not
     copied: one live region. */
  var NARROW = window.matchMedia("(max-width: 44.9375em)");
  Demo.prototype.placeOutput = function (after) {
    after.after(this.statusRow, this.errorBox, this.stdout);
    if (after === this.summary && NARROW.matches) this.legendList.after(this.statusRow);
  };
  NARROW.addEventListener("change", function () {
    live.forEach(function (d) { if (!d.panel.contains(d.statusRow)) d.placeOutput(d.summary); });
  });

  Demo.prototype.togglePanel = function (edit) {
    var button = edit ? this.editButton : this.showButton;
    var open = button.getAttribute("aria-expanded") === "true";
    var editing = this.editButton.getAttribute("aria-expanded") === "true";
    this.placeOutput(this.summary);
    this.showButton.setAttribute("aria-expanded", "false");
    this.editButton.setAttribute("aria-expanded", "false");
    if (editing) this.leaveEditor();
    if (open) { this.panel.hidden = true; return; }
    button.setAttribute("aria-expanded", "true");
    this.panel.hidden = false;
    var self = this, module = (this.spec && this.spec.module) || this.demo.replace(/-/g, "_");
    this.panel.replaceChildren(node("p", {}, "Loading the source…"));
    getJSON("assets/lexigraph/demo-src/" + module + ".py").then(function (source) {
      if (button.getAttribute("aria-expanded") !== "true") return;  // closed or switched since
      self.source = source;
      if (edit) self.editor(module, source); else self.viewer(module, source);
    }, function (err) { self.panel.replaceChildren(node("p", {}, "Cannot load the source: " + err.message)); });
  };

  /* The module's source, with buttons for the helper modules it imports (from _params import …). */
  Demo.prototype.viewer = function (module, source) {
    var pre = node("pre", { "class": "lx-demo__source", tabindex: "0", role: "region" });
    var code = pre.appendChild(node("code", {}));
    var files = node("div", { "class": "lx-demo__files", role: "group", "aria-label": "Files" });
    var helpers = [];
    source.replace(/^(?:from|import)\s+(_[A-Za-z0-9]\w*)/gm, function (_, name) {
      if (helpers.indexOf(name) === -1) helpers.push(name);
      return _;
    });
    function show(name, text, button) {
      code.textContent = text;
      pre.setAttribute("aria-label", "demos/" + name + ".py");
      files.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
    }
    [module].concat(helpers).forEach(function (name) {
      var button = node("button", { type: "button", "class": "lx-demo__filetab", "aria-pressed": "false" },
                        "demos/" + name + ".py");
      button.addEventListener("click", function () {
        if (name === module) { show(name, source, button); return; }
        getJSON("assets/lexigraph/demo-src/" + name + ".py").then(function (text) { show(name, text, button); },
          function (err) { show(name, "Cannot load " + name + ".py: " + err.message, button); });
      });
      files.appendChild(button);
    });
    show(module, source, files.firstChild);
    this.panel.replaceChildren(files, pre);
  };

  /* Closing the editor goes back to the demo's own code, which Show code shows: the edits
     are kept for the next time it opens, and the chart is drawn again from the demo's code
     if the edited code drew it. */
  Demo.prototype.leaveEditor = function () {
    var area = this.panel.querySelector("textarea");
    if (area) this.draft = area.value;
    if (this.code == null) return;
    this.code = null;
    if (this.busy) this.queued = true;  // the run going on is the edited code's: ours follows
    else if (this.edited) this.request();
  };

  Demo.prototype.editor = function (module, source) {
    var self = this, id = this.prefix + "-editor";
    var label = node("label", { "for": id, "class": "lx-demo__file" }, "Edit demos/" + module + ".py, then run it:");
    var area = node("textarea", { id: id, "class": "lx-demo__editor", spellcheck: "false", autocapitalize: "off",
                                  autocomplete: "off", wrap: "off", rows: "18", "aria-describedby": id + "-keys" });
    area.value = this.code != null ? this.code : this.draft != null ? this.draft : source;
    var keys = node("small", { id: id + "-keys" }, "Ctrl+Enter runs. Tab indents; press Esc, then Tab, to leave the editor.");
    var runButton = node("button", { type: "button", "class": "lx-demo__btn lx-demo__btn--primary" }, "Run edited code");
    var reset = node("button", { type: "button", "class": "lx-demo__btn" }, "Reset code");
    var escaped = false;
    area.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); runButton.click(); return; }
      if (e.key === "Escape") { escaped = true; return; }
      if (e.key === "Tab" && !e.shiftKey && !escaped) {
        e.preventDefault();
        area.setRangeText("    ", area.selectionStart, area.selectionEnd, "end");
      }
      escaped = false;
    });
    runButton.addEventListener("click", function () { self.code = area.value; self.request(); });
    reset.addEventListener("click", function () {
      area.value = source;
      self.code = self.draft = null;
      self.request();
    });
    var row = node("div", { "class": "lx-demo__actions" });
    row.append(runButton, reset);
    this.panel.replaceChildren(label, area, keys, row);
    this.placeOutput(row);
  };

  /* ---------- Page wiring ---------- */
  var observer = null;

  /* Python is ~17 MB. On a touch screen (a phone, a tablet), a cellular connection, or for a
     reader who asked to save data, it waits until the reader uses a demo's controls: a demo
     is often on the first screen there, and the chart on show was computed at build time. */
  function sparing() {
    var conn = navigator.connection;
    return window.matchMedia("(pointer: coarse)").matches ||
      !!(conn && (conn.saveData || conn.type === "cellular"));
  }

  function scheduleBoot(demos) {
    if (observer) { observer.disconnect(); observer = null; }
    if (!demos.length || R.booted() || location.protocol === "file:") return;  // (see OFFLINE_FILE)
    function boot() { R.boot(); }
    if (sparing()) {
      // Focus, not a touch: a finger scrolling over the controls does not focus them. A change
      // that comes first (a slider dragged at once) starts Python itself, in request().
      demos.forEach(function (d) {
        d.el.querySelector(".lx-demo__controls").addEventListener("focusin", boot, { once: true });
        d.editButton.addEventListener("click", boot, { once: true });
      });
      return;
    }
    demos.forEach(function (d) {
      ["pointerenter", "focusin", "touchstart"].forEach(function (type) {
        d.el.addEventListener(type, boot, { once: true, passive: true });
      });
    });
    function watch() {
      if (R.booted() || !("IntersectionObserver" in window)) return;
      observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) {
          observer.disconnect();
          observer = null;
          R.boot();
        }
      });
      demos.forEach(function (d) { observer.observe(d.el); });
    }
    var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 200); };
    if (document.readyState === "complete") idle(watch);
    else window.addEventListener("load", function () { idle(watch); }, { once: true });
  }

  function setup() {
    live = [];
    document.querySelectorAll(".lx-demo[data-lx-demo]").forEach(function (el) {
      try {
        live.push(new Demo(el));
      } catch (err) {  // one broken block must not take the other demos down; say why
        console.error("lexigraph demo " + el.id + ":", err);
      }
    });
    scheduleBoot(live);
  }

  var redraw = null;
  window.addEventListener("resize", function () {
    clearTimeout(redraw);
    redraw = setTimeout(function () {
      live.forEach(function (d) { d.draw(d.shownChart()); });
    }, 150);
  });

  if (window.document$ && typeof window.document$.subscribe === "function" && location.protocol !== "file:") window.document$.subscribe(setup);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
