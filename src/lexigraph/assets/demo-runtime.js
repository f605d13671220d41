/* Lexigraph demo runtime: the page's one Pyodide worker (demo-worker.js) and its message
   protocol ({id, kind: "boot" | "run"} in; "progress" | "ready" | "result" | "error" out), with
   one shared ready-promise. Loaded once; Material's instant navigation keeps it, so a booted
   Python serves every page visited afterwards. Stop = terminate the worker and start a new one
   (the only way to interrupt Python in a worker without SharedArrayBuffer). A boot that failed
   stays failed, and every run fails at once with its error, until retry(): asking again on
   every change of a control downloaded the whole runtime again, to fail again. */
(function () {
  "use strict";
  var script = document.currentScript;
  var ROOT = siteRoot();
  var BOOT_TIMEOUT_MS = 120000;
  var listeners = [];

  function siteRoot() {
    // This file is assets/lexigraph/demo-runtime.js; its absolute URL does not change on instant navigation.
    if (script && script.src) return new URL("../../", script.src).href;
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/"), window.location.href).href;
  }

  /* ---------- The worker: one per page, one shared ready-promise ---------- */
  var rt = { worker: null, ready: null, nextId: 1, calls: {}, stage: "idle", error: null,
             boots: 0,        // boots started: a boot's outcome is its own only if none came since
             running: null,   // the id of the call whose run Python is running now
             timings: {} };   // page clock (ms) of the last boot's start and end, for the benchmark

  function setStage(stage, error) {
    rt.stage = stage;
    rt.error = error || null;
    listeners.forEach(function (f) { f(stage); });
  }

  function worker() {
    if (!rt.worker) {
      // (with this script's ?v=, the version of our files: see lexigraph.js)
      rt.worker = new Worker(ROOT + "assets/lexigraph/demo-worker.js" + (script && script.src ? new URL(script.src).search : ""));
      rt.worker.onmessage = function (e) {
        var m = e.data, call = rt.calls[m.id];
        if (m.kind === "progress") {
          if (m.stage !== "running") setStage(m.stage);
          else rt.running = m.id;
          if (call && call.progress) call.progress(m.stage);
          return;
        }
        if (rt.running === m.id) rt.running = null;
        if (!call) return;
        delete rt.calls[m.id];
        (m.kind === "error" ? call.reject : call.resolve)(m);
      };
      rt.worker.onerror = function (e) {
        e.preventDefault();
        fail({ message: "The Python worker failed: " + (e.message || "unknown error"), traceback: "" });
      };
    }
    return rt.worker;
  }

  function call(msg, progress) {
    return new Promise(function (resolve, reject) {
      msg.id = rt.nextId++;
      rt.calls[msg.id] = { resolve: resolve, reject: reject, progress: progress };
      worker().postMessage(msg);
    });
  }

  /* Every pending call is rejected with err; the one whose run Python was running gets
     wasRunning (the others only waited for it, and may ask again). */
  function fail(err) {
    var calls = rt.calls, running = rt.running;
    rt.calls = {};
    rt.running = null;
    if (rt.worker) rt.worker.terminate();
    rt.worker = null;
    rt.ready = null;
    Object.keys(calls).forEach(function (id) {
      calls[id].reject(Object.assign({}, err, { wasRunning: String(running) === id }));
    });
  }

  /* The ready-promise: the one of the boot going on or done, or of the boot that failed (then
     rejected, with the reason, at once: see retry). */
  function boot() {
    if (rt.ready) return rt.ready;
    var timer, boots = ++rt.boots;
    var timeout = new Promise(function (_, reject) {
      timer = setTimeout(function () {
        reject({ message: "The Python runtime did not load within " + BOOT_TIMEOUT_MS / 1000 +
                 " s (is the server sending .wasm files as application/wasm?)", traceback: "" });
      }, BOOT_TIMEOUT_MS);
    });
    var ready = Promise.race([call({ kind: "boot" }), timeout]).catch(function (err) {
      throw Object.assign({}, err, { runtime: true });  // (not the demo's fault)
    });
    rt.ready = ready;
    rt.timings = { bootStart: performance.now() };
    setStage("python");  // (at once: not "idle" or "failed" until the worker's first word)
    ready.then(function () {
      clearTimeout(timer);
      if (rt.ready !== ready) return;
      rt.timings.bootReady = performance.now();
      setStage("ready");
    },
      function (err) {
        clearTimeout(timer);
        if (boots !== rt.boots) return;  // stopped meanwhile, and booting again
        fail(err);  // (the worker's own failure has done this already)
        rt.ready = ready;  // kept: later runs fail with err at once, until retry()
        setStage("failed", err);
      });
    return ready;
  }

  /* After a failed boot, the reader's explicit request to try again (the "Retry" button). */
  function retry() {
    if (rt.stage === "failed") rt.ready = null;
    return boot();
  }

  /* Stop: every pending call is rejected with {stopped: true}; a fresh worker boots at once. */
  function restart() {
    fail({ stopped: true, message: "Stopped.", traceback: "" });
    setStage("idle");
    boot();
  }

  /* Run demo (an id) with params; code, if given, replaces the module's source. */
  function run(demo, params, code, progress) {
    return boot().then(function () {
      return call({ kind: "run", demo: demo, params: params || {}, code: code == null ? null : code }, progress);
    });
  }

  window.LexigraphRuntime = {
    root: ROOT,
    boot: boot,
    retry: retry,
    run: run,
    restart: restart,
    stage: function () { return rt.stage; },
    error: function () { return rt.error; },
    /* Whether Python is booting, booted or failed to (see retry). */
    booted: function () { return rt.ready !== null; },
    /* Whether Python is running a demo now (another demo's run waits for it). */
    busy: function () { return rt.running !== null; },
    timings: function () { return rt.timings; },
    /* fn(stage) on every change of "idle" | "python" | "numpy" | "ready" | "failed". */
    onStage: function (fn) { listeners.push(fn); },
  };
})();
