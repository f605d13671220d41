/* Lexigraph demo worker: runs the demo modules with Pyodide, off the page's main thread.

   Messages in:  {id, kind: "boot"} | {id, kind: "run", demo, params, code?}
   Messages out: {id, kind: "progress", stage: "python" | "numpy" | "running"}
                 {id, kind: "ready", ms} | {id, kind: "result", data, ms, stdout}
                 {id, kind: "error", message, traceback, invalid (the demo refused its parameters)}
   Where Pyodide is comes from runtime.json beside this file; its URLs are relative to the site
   root, two folders up (this file is assets/lexigraph/demo-worker.js), or absolute (CDN). */
"use strict";

var ROOT = new URL("../../", self.location.href);
var ready = null;     // the one shared boot promise
var pyodide = null;
var lxRun = null;
var stdout = [];

/* The Python side: import or exec the demo, call run(**params), return JSON text. Edited code
   runs as a fresh module namespace; its traceback starts at the user's code, not here. */
var HARNESS = [
  "import importlib, json, linecache, math, re, traceback",
  "",
  "def _lx_params(spec, params):",
  "    # JSON has one number type: give float sliders floats, as CPython's first paint did.",
  "    out = dict(params)",
  "    for p in spec or []:",
  "        name = p.get('name')",
  "        if p.get('kind') == 'slider' and name in out and isinstance(out[name], int) \\",
  "                and not isinstance(out[name], bool) \\",
  "                and not all(isinstance(p.get(k), int) for k in ('min', 'max', 'step')):",
  "            out[name] = float(out[name])",
  "    return out",
  "",
  "def _lx_run(module, params_json, code):",
  "    try:",
  "        if code is None:",
  "            ns = vars(importlib.import_module(module))",
  "        else:",
  "            filename = f'<edited {module}.py>'",
  "            linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)",
  "            ns = {'__name__': module, '__file__': filename}",
  "            exec(compile(code, filename, 'exec'), ns)",
  "        run = ns.get('run')",
  "        if not callable(run):",
  "            raise NameError('the code defines no run(**params) function')",
  "        data = run(**_lx_params(ns.get('PARAMS'), json.loads(params_json)))",
  "    except BaseException as exc:",
  "        if code is None and isinstance(exc, ValueError):",
  "            # The demo's own check of its parameters (its contract): a reader's message.",
  "            return json.dumps({'ok': False, 'invalid': True, 'message': str(exc), 'traceback': ''})",
  "        tb = exc.__traceback__.tb_next if exc.__traceback__ else None",
  "        text = ''.join(traceback.format_exception(type(exc), exc, tb))",
  "        return json.dumps({'ok': False, 'message': f'{type(exc).__name__}: {exc}', 'traceback': text})",
  "    try:",
  "        return json.dumps({'ok': True, 'data': data}, allow_nan=False)",
  "    except (TypeError, ValueError) as exc:",
  "        found = list(_lx_not_json(data))",
  "        if not found:",
  "            return json.dumps({'ok': False, 'traceback': '', 'message':",
  "                               f'run() returned something that is not plain JSON: {exc}'})",
  "        more = '' if len(found) == 1 else ' (and 1 more value JSON cannot hold)' \\",
  "            if len(found) == 2 else f' (and {len(found) - 1} more values JSON cannot hold)'",
  "        return json.dumps({'ok': False, 'traceback': '', 'contract': True, 'message':",
  "                           'run() returned a result that breaks the contract: '",
  "                           f\"'{found[0][0]}' {found[0][1]}{more}\"})",
  "",
  "def _lx_not_json(value, path='', within=()):",
  "    # Where the result holds what JSON cannot, in the build's words (demo_run.not_json).",
  "    if value is None or isinstance(value, (str, int)):",
  "        return",
  "    if isinstance(value, (list, tuple, dict)):",
  "        if id(value) in within:",
  "            yield path, ('holds what holds it, which JSON cannot write: put a copy there, or '",
  "                         'leave it out')",
  "            return",
  "        within = (*within, id(value))",
  "    if isinstance(value, float):",
  "        if not math.isfinite(value):",
  "            in_line = re.fullmatch(r'chart\\.series\\[\\d+\\]\\.[xy]\\[\\d+\\]', path)",
  "            yield path, (f'is {float(value)!r}, not a finite number: replace it'",
  "                         + (', or leave the point out (None: a gap in the line)' if in_line",
  "                            else ' with a number, or None'))",
  "    elif isinstance(value, (list, tuple)):",
  "        for i, item in enumerate(value):",
  "            yield from _lx_not_json(item, f'{path}[{i}]', within)",
  "    elif isinstance(value, dict):",
  "        for key, item in value.items():",
  "            if not isinstance(key, (str, int, float)) and key is not None:",
  "                yield f'{path}[{key!r}]', 'is a key JSON cannot hold: use strings as keys'",
  "            elif isinstance(key, str) and key.isidentifier():",
  "                yield from _lx_not_json(item, f'{path}.{key}' if path else key, within)",
  "            else:",
  "                yield from _lx_not_json(item, f'{path}[{key!r}]', within)",
  "    else:",
  "        kind = type(value)",
  "        name = f'a NumPy {kind.__name__}' if kind.__module__.split('.')[0] == 'numpy' \\",
  "            else ('an ' if kind.__name__[0] in 'aeiou' else 'a ') + kind.__name__ \\",
  "            if kind.__module__ == 'builtins' \\",
  "            else f'a {kind.__module__}.{kind.__qualname__}'",
  "        how = 'convert it with .tolist()' if hasattr(value, 'tolist') else \\",
  "            'make it a list' if isinstance(value, (set, frozenset, range)) else \\",
  "            'convert it to numbers, strings, lists and dicts'",
  "        yield path, f'is {name}, which JSON cannot hold: {how}'",
].join("\n");

function post(msg) { self.postMessage(msg); }

function boot(id) {
  if (ready) return ready;
  ready = (async function () {
    var t0 = performance.now();
    post({ id: id, kind: "progress", stage: "python" });
    var settings = new URL("runtime.json", self.location.href).href;
    var resp = await fetch(settings, { cache: "no-cache" }).catch(function () { return null; });
    if (!resp) throw new Error("The demos' settings could not be downloaded (" + settings + ").");
    if (!resp.ok) throw new Error("This site has no Python runtime for the demos (" + resp.url + ": HTTP " + resp.status + ").");
    var cfg = await resp.json();
    var indexURL = new URL(cfg.indexURL, ROOT).href;
    if (!indexURL.endsWith("/")) indexURL += "/";
    var lockFileURL = new URL(cfg.lockFileURL || "pyodide-lock.json", cfg.lockFileURL ? ROOT : indexURL).href;
    /* Pyodide's loader never settles when its WebAssembly cannot be had (it logs "wasm
       instantiation failed!" and waits): ask for the file first, so that a missing or
       unreachable runtime is said at once and named. */
    var wasm = indexURL + "pyodide.asm.wasm";
    var head = await fetch(wasm, { method: "HEAD" }).catch(function () { return null; });
    // (A server that takes no HEAD, 405 or 501, says nothing of the file: Pyodide asks.)
    if (!head || !head.ok && head.status !== 405 && head.status !== 501) {
      throw new Error("The Python runtime could not be downloaded (" + wasm + ": " +
                      (head ? "HTTP " + head.status : "no answer") + ").");
    }
    try {
      importScripts(indexURL + "pyodide.js");
    } catch (error) {
      throw new Error("The Python runtime could not be loaded (" + indexURL + "pyodide.js).");
    }
    try {
      pyodide = await self.loadPyodide({ indexURL: indexURL, lockFileURL: lockFileURL });
    } catch (error) {  // (its own words: "Failed to fetch", "exit(1)"...)
      throw new Error("The Python runtime could not be loaded from " + indexURL + " (" +
                      String(error && error.message || error).slice(0, 120) + ").");
    }
    pyodide.setStdout({ batched: function (line) { stdout.push(line); } });
    pyodide.setStderr({ batched: function (line) { stdout.push(line); } });
    post({ id: id, kind: "progress", stage: "numpy" });
    var failures = [];
    // loadPackage resolves even when a package fails; its errors only reach errorCallback.
    await pyodide.loadPackage(cfg.packages, { messageCallback: function () {},
                                              errorCallback: function (m) { failures.push(m); } });
    if (failures.length) {
      throw new Error("NumPy and the demos could not be downloaded (" +
                      await packageFailure(failures, lockFileURL, indexURL) + ").");
    }
    pyodide.runPython("import numpy\n" + HARNESS);
    lxRun = pyodide.globals.get("_lx_run");
    return performance.now() - t0;
  })();
  ready.catch(function () { ready = null; });  // a later request tries again
  return ready;
}

/* Which file loadPackage could not have, and why, as "<its URL>: HTTP 404". Pyodide's own
   words are two messages, "The following error occurred while loading numpy:" and then its
   reason ("Failed to load '<URL>': request failed.", or the browser's "Failed to fetch" for a
   wheel whose sha256 is not the lock's), which never give the server's answer. The lock (from
   the browser's cache by now) names the package's file and its sha256; a HEAD request asks
   the server, and a file the server has is checked against the lock. */
async function packageFailure(failures, lockFileURL, indexURL) {
  var name = null, reasons = [], entry = null;
  failures.forEach(function (text) {
    var head = /^The following error occurred while loading (\S+?):?\s*$/.exec(text);
    if (head) name = name || head[1];
    else reasons.push(String(text).trim().replace(/\.$/, ""));
  });
  var reason = reasons.join("; ").slice(0, 200) || "no reason given";
  var named = /Failed to load '([^']+)'/.exec(reason), url = named ? named[1] : null;
  if (name) {
    try {
      entry = (await (await fetch(lockFileURL)).json()).packages[name] || null;
      url = url || new URL(entry.file_name, indexURL).href;
    } catch (error) { /* (no lock, or no entry: the reason alone) */ }
  }
  if (!url) return (name ? name + ": " : "") + reason;
  var head = await fetch(url, { method: "HEAD" }).catch(function () { return null; });
  if (!head) return url + ": no answer";
  if (!head.ok && head.status !== 405 && head.status !== 501) return url + ": HTTP " + head.status;
  if (entry && entry.sha256 && await differs(url, entry.sha256)) {
    return url + ": the file is not the one the site was built with (its sha256 is not the " +
           "lock's): it was changed or damaged after the build; build the site and publish it again";
  }
  return url + ": " + reason;  // (the server has it, but it could not be used)
}

/* Whether the file at ``url`` is not the one whose sha256 is ``expected`` (false when that
   cannot be told: Web Crypto exists only on https:// and local addresses). */
async function differs(url, expected) {
  if (!self.crypto || !self.crypto.subtle) return false;
  try {
    var response = await fetch(url, { cache: "no-cache" });
    if (!response.ok) return false;  // (missing after all: a host that takes no HEAD said nothing)
    var bytes = await response.arrayBuffer();
    var sum = new Uint8Array(await self.crypto.subtle.digest("SHA-256", bytes));
    var hex = Array.prototype.map.call(sum, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
    return hex !== String(expected).toLowerCase();
  } catch (error) {
    return false;
  }
}

async function run(msg) {
  await boot(msg.id);
  post({ id: msg.id, kind: "progress", stage: "running" });
  stdout = [];
  var module = String(msg.demo).replace(/-/g, "_");
  var t0 = performance.now();
  var out = JSON.parse(lxRun(module, JSON.stringify(msg.params || {}), msg.code == null ? null : String(msg.code)));
  var ms = performance.now() - t0;
  if (!out.ok) return { id: msg.id, kind: "error", message: out.message, traceback: out.traceback,
                        invalid: !!out.invalid, contract: !!out.contract, stdout: stdout.join("\n") };
  return { id: msg.id, kind: "result", data: out.data, ms: ms, stdout: stdout.join("\n") };
}

self.onmessage = function (event) {
  var msg = event.data || {};
  var job = msg.kind === "boot"
    ? boot(msg.id).then(function (ms) { return { id: msg.id, kind: "ready", ms: ms }; })
    : msg.kind === "run" ? run(msg) : Promise.reject(new Error("unknown message kind " + msg.kind));
  job.then(post, function (err) {
    post({ id: msg.id, kind: "error", message: String(err && err.message || err), traceback: "" });
  });
};
