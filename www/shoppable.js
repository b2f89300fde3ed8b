/*! Shoppable loader. One classic <script> is all a site adds: this file finds the config,
 * loads the wasm core from its own directory and defines window.Shoppable (SPEC §1, §4).
 * Plain JS, no build step. Config sources, first match wins: Shoppable.init(object), an
 * inline <script type="application/json" data-shoppable-config>, this script's data-config.
 */
(function () {
  "use strict";
  if (window.Shoppable && window.Shoppable.ready) return; // included twice
  var d = document, me = d.currentScript, started = false, resolve, reject;
  var base = new URL(".", (me && me.src) || location.href).href;
  var S = (window.Shoppable = {
    ready: new Promise(function (ok, no) { resolve = ok; reject = no; }),
    // An object config: wins over the page's other sources when called before they are read.
    init: function (config) { begin(Promise.resolve().then(function () { return JSON.stringify(config); })); },
  });
  S.ready.catch(function () {}); // a rejection is reported below, not as "unhandled"

  function fail(message) {
    message = String(message).replace(/^Error: /, "");
    console.error("shoppable: " + message);
    d.dispatchEvent(new CustomEvent("shoppable:error", { detail: { message: message } }));
    reject(new Error(message));
  }

  function begin(configText) {
    if (started) return console.warn("shoppable: already started; ignoring another config");
    started = true;
    var core = import(base + "shoppable-core.js");
    Promise.all([configText, core])
      .then(function (r) {
        var text = r[0], m = r[1];
        try { JSON.parse(text); } catch (e) { throw new Error("config: is not valid JSON (" + e.message + ")"); }
        return m.default({ module_or_path: base + "shoppable-core_bg.wasm" }).then(function () {
          m.start(text);
          S.cart = {
            items: function () { return JSON.parse(m.cart_items()); },
            add: function (id, n) { m.cart_add(id, n === undefined ? 1 : n); },
            setQuantity: function (id, n) { m.cart_set_quantity(id, n); },
            remove: function (id) { m.cart_remove(id); },
            clear: function () { m.cart_clear(); },
            subtotal: function () { return m.cart_subtotal(); },
          };
          S.openCart = m.open_cart;
          S.closeCart = m.close_cart;
          S.checkout = m.checkout;
          resolve(S);
        });
      })
      .catch(fail);
  }

  function fetchText(url) {
    return fetch(new URL(url, location.href)).then(
      function (r) {
        if (!r.ok) throw new Error("config: " + url + " answered HTTP " + r.status);
        return r.text();
      },
      function (e) { throw new Error("config: could not load " + url + " (" + e.message + ")"); }
    );
  }

  // Read the page's own config sources once the document is parsed, so an init() call in
  // any earlier or inline script comes first; with no source on the page, wait for init().
  function fromPage() {
    if (started) return;
    var inline = d.querySelector("script[data-shoppable-config]");
    var url = me && me.getAttribute("data-config");
    if (inline) begin(Promise.resolve(inline.textContent));
    else if (url) begin(fetchText(url));
  }
  if (!customElements.get("shoppable-post")) customElements.define("shoppable-post", class extends HTMLElement {});
  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", fromPage);
  else setTimeout(fromPage);
})();
