/* In-page probe of the benchmark. run.mjs inlines this file as the FIRST script in <head> of
 * every generated page, right after `window.__benchOpts = {kind, expected, ...}`.
 *
 * It records, in performance.now() milliseconds (0 = navigation start):
 *   marks.instantiated  WebAssembly.instantiate[Streaming] resolved (Shoppable pages only)
 *   marks.ready         the `shoppable:ready` event
 *   marks.firstTag      end of the first rendered frame in which a tag is shown
 *   marks.viewportTags  end of the first rendered frame in which every tag of the posts in the
 *                       initial viewport is shown (what a visitor sees without scrolling)
 *   marks.allTags       end of the first rendered frame in which ALL expected tags are shown
 * and collects long tasks, long animation frames and layout shifts from the very start.
 *
 * "End of a rendered frame": the probe reads the DOM in a requestAnimationFrame callback (what
 * the frame will paint) and again in a MessageChannel task posted from there, which runs after
 * the frame's style, layout and paint; the time is taken at the start of that task, so the
 * check's own cost is not counted. A mark is set only when both reads agree. Tags that only
 * the second read sees came either from a task that ran between the frame and the message
 * (not painted yet: the widget's first render is such a task, and this probe once reported a
 * cold start's first tag a frame before any frame had painted it) or from a later rAF
 * callback of the same frame (painted); the probe cannot tell which, so it waits for the next
 * frame, at worst reporting a frame late, never early. `B.unsure` counts those waits. The
 * frame-time read is cheap: it stops at the first shown tag, looks at the posts in the
 * initial viewport only, or at the last mount (the last each implementation completes); the
 * full "all tags" scan of a 1000-post page runs only in the message task.
 */
(function () {
  "use strict";
  var opts = window.__benchOpts || {};
  var B = (window.__bench = {
    opts: opts, marks: {}, errors: [], longtasks: [], loafs: [], shifts: [], count: 0,
    stalled: false, wasmMemory: null, unsure: 0,
  });
  var finish;
  B.done = new Promise(function (r) { finish = r; });
  var now = function () { return performance.now(); };

  // --- errors -------------------------------------------------------------------------
  addEventListener("error", function (e) { B.errors.push(String(e.message || e)); });
  addEventListener("unhandledrejection", function (e) {
    B.errors.push("unhandled rejection: " + String(e.reason && e.reason.message || e.reason));
  });
  document.addEventListener("shoppable:ready", function () { B.marks.ready = now(); });
  document.addEventListener("shoppable:error", function (e) {
    B.errors.push("shoppable:error " + (e.detail && e.detail.message));
    finish(B);
  });

  // --- wasm instantiation: wrap the two entry points the wasm-bindgen glue may use --------
  function note(result) {
    if (B.marks.instantiated === undefined) B.marks.instantiated = now();
    var instance = result && (result.instance || result);
    // Found by type: the build gives exports short names (scripts/minify-names.mjs).
    var exp = (instance && instance.exports) || {};
    var mem = Object.keys(exp).map(function (k) { return exp[k]; })
      .filter(function (v) { return v instanceof WebAssembly.Memory; })[0];
    if (mem && mem.buffer) B.wasmMemory = mem;
    return result;
  }
  if (window.WebAssembly) {
    var is = WebAssembly.instantiateStreaming, inst = WebAssembly.instantiate;
    if (is) WebAssembly.instantiateStreaming = function () { return is.apply(this, arguments).then(note); };
    WebAssembly.instantiate = function () { return inst.apply(this, arguments).then(note); };
  }

  // --- main-thread observers, registered before anything else runs -----------------------
  function observe(type, sink) {
    try {
      new PerformanceObserver(function (list) {
        list.getEntries().forEach(sink);
      }).observe({ type: type, buffered: true });
    } catch (e) { B.errors.push("observer " + type + " unsupported"); }
  }
  observe("longtask", function (e) {
    B.longtasks.push({ start: e.startTime, duration: e.duration });
  });
  observe("long-animation-frame", function (e) {
    var worst = null;
    (e.scripts || []).forEach(function (s) {
      if (!worst || s.duration > worst.duration) {
        worst = { duration: s.duration, source: s.sourceURL, fn: s.sourceFunctionName, invoker: s.invoker };
      }
    });
    B.loafs.push({ start: e.startTime, duration: e.duration, blocking: e.blockingDuration, script: worst });
  });
  observe("layout-shift", function (e) {
    var sources = (e.sources || []).map(function (s) {
      var n = s.node;
      return n ? (n.nodeName + (n.id ? "#" + n.id : "") + (n.className && typeof n.className === "string" ? "." + n.className : "")) : "?";
    });
    B.shifts.push({ start: e.startTime, value: e.value, input: e.hadRecentInput, sources: sources });
  });

  // --- counting placed tags ----------------------------------------------------------------
  // kind "overlay": <img> mounts, tags in the shadow root of the <shoppable-overlay> after each img
  // kind "container": <div class="mount"> mounts, tags in the div's own shadow root
  // kind "taggd": Taggd's light-DOM buttons
  var expected = opts.expected || 0, mounts = opts.mounts || 0;
  var hosts = opts.kind === "container" ? document.getElementsByClassName("mount")
    : document.getElementsByTagName("shoppable-overlay");
  var taggd = document.getElementsByClassName("taggd__button");

  function tagsOf(host) {
    var sr = host.shadowRoot;
    return sr ? sr.querySelectorAll("button[data-shoppable-tag]") : [];
  }
  // Fast path: -1 as soon as one tag is not shown, scanning from the last mount (mounts are
  // created in document order, so the last one is the last to be complete).
  function allShown() {
    if (opts.kind === "taggd") return taggd.length >= expected;
    if (hosts.length < mounts) return false;
    var n = 0;
    for (var i = hosts.length - 1; i >= 0; i--) {
      var tags = tagsOf(hosts[i]);
      if (!tags.length) return false;
      for (var j = 0; j < tags.length; j++) { if (tags[j].hidden) return false; n++; }
    }
    return n >= expected;
  }
  function anyShown() {
    if (opts.kind === "taggd") return taggd.length > 0;
    for (var i = 0; i < hosts.length; i++) {
      var tags = tagsOf(hosts[i]);
      for (var j = 0; j < tags.length; j++) if (!tags[j].hidden) return true;
    }
    return false;
  }
  // Cheap enough to run inside a frame: whether the last mount (in document order, the last
  // each implementation completes) shows all its tags; Taggd's buttons all exist.
  function lastShown() {
    if (opts.kind === "taggd") return taggd.length >= expected;
    if (hosts.length < mounts || !hosts.length) return false;
    var tags = tagsOf(hosts[hosts.length - 1]);
    if (!tags.length) return false;
    for (var j = 0; j < tags.length; j++) if (tags[j].hidden) return false;
    return true;
  }
  function countShown() {
    if (opts.kind === "taggd") return taggd.length;
    var n = 0;
    for (var i = 0; i < hosts.length; i++) {
      var tags = tagsOf(hosts[i]);
      for (var j = 0; j < tags.length; j++) if (!tags[j].hidden) n++;
    }
    return n;
  }

  // The mounts in the initial viewport, measured once when the document is parsed and before
  // any `defer` script runs (readyState "interactive"), i.e. before any implementation starts.
  var inView = null, perPost = opts.tagsPerPost || 5;
  document.addEventListener("readystatechange", function () {
    if (inView || opts.kind === "container") return;
    inView = [];
    var imgs = document.querySelectorAll("img[data-shoppable-post]");
    for (var i = 0; i < imgs.length; i++) {
      var r = imgs[i].getBoundingClientRect();
      if (r.top >= innerHeight) break; // document order is grid order
      if (r.bottom > 0 && r.right > 0 && r.left < innerWidth) inView.push(imgs[i]);
    }
    B.inView = inView.length;
  });
  function viewportShown() {
    if (!inView) return false;
    for (var i = 0; i < inView.length; i++) {
      var img = inView[i], tags;
      if (opts.kind === "taggd") {
        tags = img.parentElement ? img.parentElement.getElementsByClassName("taggd__button") : [];
      } else {
        var host = img.nextElementSibling;
        if (!host || host.localName !== "shoppable-overlay") return false;
        tags = tagsOf(host);
      }
      if (tags.length < perPost) return false;
      for (var j = 0; j < tags.length; j++) if (tags[j].hidden) return false;
    }
    return true;
  }

  // --- the frame loop ------------------------------------------------------------------
  var channel = new MessageChannel(), lastCount = -1, lastProgress = 0, lastFull = 0;
  var stallMs = opts.stallMs || 5000;
  // What the frame is about to paint, read in its rAF callback (see the top of this file).
  var painted = { any: false, view: false, last: false };
  channel.port1.onmessage = function () {
    var t = now();
    if (B.marks.firstTag === undefined && painted.any) B.marks.firstTag = t;
    else if (B.marks.firstTag === undefined && anyShown()) B.unsure++;
    if (B.marks.viewportTags === undefined && B.marks.firstTag !== undefined) {
      if (painted.view) B.marks.viewportTags = t;
      else if (viewportShown()) B.unsure++;
    }
    var all = opts.until !== "first" && B.marks.firstTag !== undefined && allShown();
    if (all && !painted.last) { B.unsure++; all = false; }
    if (B.marks.firstTag !== undefined && (opts.until === "first" || all)) {
      if (opts.until !== "first") {
        B.marks.allTags = t;
        if (B.marks.viewportTags === undefined && inView) B.marks.viewportTags = t;
      }
      B.count = opts.until === "first" ? 1 : expected;
      return finish(B);
    }
    // Progress watch (a full count at most every 250 ms): a widget that defers posts far
    // below the fold never shows them all; say so instead of hanging.
    if (t - lastFull > 250) {
      lastFull = t;
      var c = countShown();
      if (c !== lastCount) { lastCount = c; lastProgress = t; B.count = c; }
      else if (c > 0 && t - lastProgress > stallMs) { B.stalled = true; return finish(B); }
    }
    requestAnimationFrame(frame);
  };
  function frame() {
    if (!painted.any) painted.any = anyShown();
    if (painted.any && !painted.view) painted.view = viewportShown();
    painted.last = opts.until !== "first" && lastShown();
    channel.port2.postMessage(0);
  }
  // until "none": a page without a widget (a baseline) is done when it has loaded.
  if (opts.until === "none") addEventListener("load", function () { finish(B); });
  else requestAnimationFrame(frame);
})();
