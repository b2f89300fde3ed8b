/*! Shoppable loader. One classic <script> is all a site adds: this file finds the config,
 * loads the wasm core from its own directory and defines window.Shoppable (SPEC §1, §4).
 * Plain JS, no build step. Config sources, first match wins: Shoppable.init(object), an
 * inline <script type="application/json" data-shoppable-config>, this script's data-config.
 *
 * Lazy: the config is read at once (it is small), but the core (glue + wasm) is fetched only
 * when it is needed: a mount comes within one viewport of being visible, the shopper has a
 * stored cart (its button must show) or another tab changes it, or the page reads
 * Shoppable.ready to use the API.
 * A page whose posts are far below the fold pays for the loader and config only.
 */
(function () {
  "use strict";
  if (window.Shoppable && window.Shoppable.init) return; // included twice
  var d = document, me = d.currentScript, config, core, watch, failed, resolve, reject, wanted;
  var base = new URL(".", (me && me.src) || location.href).href;
  var MOUNTS = "[data-shoppable-post],shoppable-post[post-id]";
  var ready = new Promise(function (ok, no) { resolve = ok; reject = no; });
  ready.catch(function () {}); // a rejection is reported below, not as "unhandled"
  var S = (window.Shoppable = {
    // An object config: wins over the page's other sources when called before they are read.
    init: function (object) { begin(Promise.resolve().then(function () { return JSON.stringify(object); })); },
    // Reading `ready` means the page wants the API: load the core now, or as soon as the
    // config is known (a deferred or module script may read it before DOMContentLoaded).
    get ready() { wanted = 1; load(); return ready; },
  });

  function fail(message) {
    if (failed) return;
    failed = 1;
    message = message.message || message; // an Error's text (every failure here is one)
    console.error("shoppable: " + message);
    d.dispatchEvent(new CustomEvent("shoppable:error", { detail: { message: message } }));
    reject(new Error(message));
  }

  function begin(text) {
    if (config) return console.warn("shoppable: already started; ignoring another config");
    config = text.then(function (t) {
      try { var parsed = JSON.parse(t); } catch (e) { throw new Error("config: is not valid JSON (" + e.message + ")"); }
      return [t, parsed];
    });
    config.then(function (c) {
      var shop = c[1] && c[1].shop, key = shop && "shoppable:cart:" + shop.currency + ":" + shop.name, stored;
      try { stored = JSON.parse(localStorage.getItem(key)); } catch (e) {}
      if (wanted || stored && stored.lines && stored.lines.length) return load();
      // Another tab changing the cart (from empty, or this tab would have loaded) shows it
      // here too (SPEC §5), posts near or not.
      addEventListener("storage", function (e) { if (e.key == key) load(); });
      watch = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) load();
      }, { rootMargin: "100% 0px" });
      d.querySelectorAll(MOUNTS).forEach(function (m) { watch.observe(m); });
      // Mounts added before the core is here (single-page apps) are watched too.
      watch.mo = new MutationObserver(function () { d.querySelectorAll(MOUNTS).forEach(function (m) { watch.observe(m); }); });
      watch.mo.observe(d.documentElement, { childList: true, subtree: true });
    }, fail);
  }

  // The wasm has English built in; other languages come as packs from i18n/, fetched
  // alongside the wasm. The list is the core's (a native test keeps them equal).
  function pack(c) {
    var l = (((c[1] || {}).shop || {}).locale + "").split(/[-_]/)[0].toLowerCase();
    if (/^(ar|fa|ur|tr|id|ms|fr)$/.test(l)) {
      // A stalled pack must not hold the widget back: English after 5 s.
      return fetch(base + "i18n/" + l + ".json", { signal: AbortSignal.timeout(5e3) })
        .then(function (r) { if (r.ok) return r.text(); throw "HTTP " + r.status; })
        .catch(function (e) { console.warn("shoppable: no " + l + " language pack (" + e + "); showing English"); });
    }
  }

  // The page's first Intl.NumberFormat loads ICU's number data: one call of 30–65 ms on a
  // mid-range machine, a long task no code can split. ICU's caches are per process, so a
  // worker making the shop's formatter first leaves the core's own constructor under a
  // millisecond. It starts after the frame that shows the first tags (started with the
  // download, it cost the first tag 10–15 ms of CPU on two cores) and the core waits for it,
  // 300 ms at most, before it formats prices. Where workers are refused (a CSP without blob:
  // in worker-src) or frames do not run (a hidden tab), the core goes on without it.
  function warmIntl(c) {
    var shop = (c[1] || {}).shop || {};
    return new Promise(function (done) {
      setTimeout(done, 300);
      requestAnimationFrame(function () {
        setTimeout(function () {
          var url;
          try {
            url = URL.createObjectURL(new Blob(["onmessage=e=>{var d=e.data;try{new Intl.NumberFormat(...d).format(1);new Intl.PluralRules(d[0]).select(1)}catch{}postMessage(0)}"], { type: "text/javascript" }));
            var w = new Worker(url);
            w.onmessage = w.onerror = function () { w.terminate(); URL.revokeObjectURL(url); done(); };
            w.postMessage([shop.locale, { style: "currency", currency: shop.currency, numberingSystem: shop.digits }]);
          } catch (e) { if (url) URL.revokeObjectURL(url); done(); }
        });
      });
    });
  }

  function load() {
    if (core || !config) return;
    if (watch) { watch.disconnect(); watch.mo.disconnect(); }
    core = Promise.all([config, import(base + "shoppable-core.js"), config.then(pack)])
      .then(function (r) {
        var text = r[0][0], m = r[1];
        // The core's exports return their result or the Error to throw (src/lib.rs); those
        // of the calls that return nothing return `undefined`, passed on as it is.
        function v(x) { if (x instanceof Error) throw x; return x; }
        // Checked here: the glue would pass a number as an id, or a string as a quantity,
        // to the wasm as garbage (a crash inside it, or "2" silently taken for 2).
        function is(x, type, what) {
          if (typeof x != type) throw new TypeError(what + " must be a " + type + ", not " + typeof x);
          return x;
        }
        function id(x) { return is(x, "string", "item_id"); }
        function q(x) { return is(x, "number", "quantity"); }
        // The API is defined before the core starts: `shoppable:ready`, and the events a
        // shopper's first clicks send while far posts are still drawn, find it in place.
        return m.default({ module_or_path: base + "shoppable-core_bg.wasm" }).then(function () {
          S.cart = {
            items: function () { return JSON.parse(v(m.cart_items())); },
            add: function (i, n) { return v(m.cart_add(id(i), n === undefined ? 1 : q(n))); },
            setQuantity: function (i, n) { return v(m.cart_set_quantity(id(i), q(n))); },
            remove: function (i) { return v(m.cart_remove(id(i))); },
            clear: function () { return v(m.cart_clear()); },
            subtotal: function () { return v(m.cart_subtotal()); },
          };
          S.openCart = function () { return v(m.open_cart()); };
          S.closeCart = function () { return v(m.close_cart()); };
          S.checkout = m.checkout;
          return v(m.start(text, r[2], warmIntl(r[0])));
        }).then(function () { resolve(S); });
      })
      .catch(fail);
  }

  function fetchText(url) {
    url = new URL(url, d.baseURI).href; // the errors name the URL that was asked for
    return fetch(url).then(
      function (r) {
        if (!r.ok) throw new Error("config: " + url + " answered HTTP " + r.status);
        return r.text();
      },
      function (e) { throw new Error("config: could not load " + url + " (" + e.message + ")"); }
    );
  }

  // Read the page's own config sources once the document is parsed, so an init() call in
  // any earlier or inline script comes first; with no source on the page, wait for init().
  // A page with mounts and no source may call init() later (after fetching its config), or
  // may have forgotten the config: a warning says which call the widget is waiting for.
  function fromPage() {
    if (config) return;
    var inline = d.querySelector("script[data-shoppable-config]");
    var url = me && me.getAttribute("data-config");
    if (inline) begin(Promise.resolve(inline.textContent));
    else if (url) begin(fetchText(url));
    else if (d.querySelector(MOUNTS)) console.warn("shoppable: no config; waiting for Shoppable.init()");
  }
  if (!customElements.get("shoppable-post")) customElements.define("shoppable-post", class extends HTMLElement {});
  // Until DOMContentLoaded has begun, a later `defer` or module script may still call init():
  // `readyState` is already "interactive" while deferred scripts run (one of them may be
  // this loader, the next still downloading), so it cannot tell; the timing can. Without
  // Navigation Timing (a test environment's stub), `readyState` as before.
  var t = performance.timing;
  if (t ? !t.domContentLoadedEventStart : d.readyState == "loading") d.addEventListener("DOMContentLoaded", fromPage);
  else setTimeout(fromPage);
})();
