// Bad input and checkout protocol details, on pages served from the reference server's
// origin with configs made here: invalid config, HTML in titles, refused prices, retries
// with one Idempotency-Key, redirects.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch, newPage, ready, recordEvents, orders, routePage, embed, screenshot, demoConfig, inStockSimple, until } from "./harness.mjs";

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const demo = demoConfig("en");
/** A purchasable item of the demo catalog without variants, so it is its own item. */
const simple = inStockSimple(demo)[0];

function shopConfig(productOverrides = {}) {
  const product = { ...simple, ...productOverrides };
  return {
    version: 1,
    shop: demo.shop,
    checkout: { endpoint: "/api/checkout", max_attempts: 3, timeout_ms: 2000 },
    products: [product],
    posts: [{ id: "p1", caption: "Caption", media: [{ image: "/demo/img/eid-1.svg", alt: "", tags: [{ product: product.id, x: 0.5, y: 0.5 }] }] }],
  };
}

test("an invalid config mounts nothing, rejects ready with the path, logs one error", async () => {
  const page = await newPage(browser);
  await recordEvents(page);
  const config = shopConfig({ price: "12.3456" });
  const url = await routePage(page, server, "/t/bad.html", embed(config));
  await page.goto(url);
  const message = await ready(page);
  assert.match(message, /^config\.products\[0\]\.price: "12\.3456" has 4 decimals, AED allows 2$/);
  const errors = page.logs.filter((l) => l.type === "error");
  assert.equal(errors.length, 1);
  assert.equal(errors[0].text, `shoppable: ${message}`);
  assert.equal(await page.locator("shoppable-ui, shoppable-overlay").count(), 0);
  assert.equal(await page.evaluate(() => document.querySelector("div[data-shoppable-post]").shadowRoot), null);
  const events = await page.evaluate(() => window.__events.map((e) => e.name));
  assert.deepEqual(events, ["error"]);
  await page.context().close();
});

test("malformed JSON and unknown fields are reported with their place", async () => {
  const page = await newPage(browser);
  const html = embed(shopConfig()).replace(/<script type="application\/json" data-shoppable-config>[^<]*/, '<script type="application/json" data-shoppable-config>{"version":1,');
  await page.goto(await routePage(page, server, "/t/json.html", html));
  assert.match(await ready(page), /^config: is not valid JSON/);
  const page2 = await newPage(browser);
  const config = { ...shopConfig(), colour: "red" };
  await page2.goto(await routePage(page2, server, "/t/field.html", embed(config)));
  assert.match(await ready(page2), /^config\.colour: unknown field/);
  await page.context().close();
  await page2.context().close();
});

test("a product title holding HTML is shown as text", async () => {
  const page = await newPage(browser);
  const title = `<img src=x onerror="window.__pwned=1">Abaya <b>bold</b>`;
  await page.goto(await routePage(page, server, "/t/xss.html", embed(shopConfig({ title }))));
  assert.equal(await ready(page), true);
  await page.locator("[data-shoppable-tag]").first().click();
  assert.equal(await page.locator("[data-shoppable-card] h3").textContent(), title);
  assert.equal(await page.locator("img[onerror], b").count(), 0);
  assert.match(await page.locator("[data-shoppable-tag]").first().getAttribute("aria-label"), /^<img src=x/);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await page.context().close();
});

test("a price the server does not agree with is refused: line flagged, cart kept", async () => {
  const page = await newPage(browser);
  await recordEvents(page);
  await page.goto(await routePage(page, server, "/t/price.html", embed(shopConfig({ price: "1.00" }))));
  assert.equal(await ready(page), true);
  await page.evaluate((id) => Shoppable.cart.add(id, 2), simple.id);
  const before = (await orders(server)).length;
  const error = await page.evaluate(() => Shoppable.checkout().then(() => null, (e) => e.message));
  assert.ok(error, "checkout rejects");
  assert.equal((await orders(server)).length, before, "no order was made");
  const detail = await page.evaluate(() => window.__events.find((e) => e.name === "checkout-error").detail);
  assert.equal(detail.retryable, false);
  assert.deepEqual(detail.lines, [{ item_id: simple.id, reason: "price_changed" }]);
  await page.evaluate(() => Shoppable.openCart());
  await page.locator(`[data-shoppable-line="${simple.id}"] .problem`).waitFor();
  assert.equal((await page.evaluate(() => Shoppable.cart.items()))[0].quantity, 2, "cart kept");
  await screenshot(page, "en-desktop-price-refused");
  await page.context().close();
});

test("the API is in place at shoppable:ready; the Checkout button's refusal is no unhandled rejection", async () => {
  const page = await newPage(browser);
  await page.addInitScript(() => {
    window.__seen = {};
    window.__unhandled = [];
    document.addEventListener("shoppable:ready", () => {
      const S = window.Shoppable;
      window.__seen = { cart: typeof S.cart, openCart: typeof S.openCart, checkout: typeof S.checkout, items: S.cart?.items().length };
    });
    window.addEventListener("unhandledrejection", (e) => window.__unhandled.push(String(e.reason)));
  });
  await recordEvents(page);
  await page.goto(await routePage(page, server, "/t/api-at-ready.html", embed(shopConfig({ price: "1.00" }))));
  assert.equal(await ready(page), true);
  assert.deepEqual(await page.evaluate(() => window.__seen),
    { cart: "object", openCart: "function", checkout: "function", items: 0 }, "a shoppable:ready listener can use the API");
  // add reports what it added: all of it, then what fits under 99, then nothing.
  assert.deepEqual(await page.evaluate((id) => [Shoppable.cart.add(id, 2), Shoppable.cart.add(id, 98), Shoppable.cart.add(id)], simple.id),
    [2, 97, 0]);
  await page.evaluate((id) => Shoppable.cart.setQuantity(id, 1), simple.id);
  // The shopper's own click on Checkout: the server refuses the price (422).
  await page.evaluate(() => Shoppable.openCart());
  await page.locator("[data-shoppable-checkout]").click();
  await until(() => page.evaluate(() => window.__events.filter((e) => e.name === "checkout-error").length), 1, "the refusal is reported");
  await page.evaluate(() => new Promise((r) => setTimeout(r, 50))); // unhandledrejection fires after a task
  assert.deepEqual(await page.evaluate(() => window.__unhandled), [], "no unhandled rejection");
  assert.deepEqual(page.logs.filter((l) => l.type === "pageerror"), []);
  await page.context().close();
});

test("a network failure is retried with the same Idempotency-Key and makes one order", async () => {
  const page = await newPage(browser);
  await page.goto(await routePage(page, server, "/t/retry.html", embed(shopConfig())));
  assert.equal(await ready(page), true);
  const keys = [];
  await page.route(`${server.url}/api/checkout`, (route) => {
    keys.push(route.request().headers()["idempotency-key"]);
    return keys.length === 1 ? route.abort("failed") : route.continue();
  });
  await page.evaluate((id) => Shoppable.cart.add(id), simple.id);
  const before = (await orders(server)).length;
  const result = await page.evaluate(() => Shoppable.checkout());
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1]);
  const after = await orders(server);
  assert.equal(after.length, before + 1);
  assert.equal(result.order_id, after.at(-1).order_id);
  await page.context().close();
});

test("the shopper's own retry after failures reuses the key; a changed cart gets a new one", async () => {
  const page = await newPage(browser);
  await page.goto(await routePage(page, server, "/t/key.html", embed(shopConfig())));
  await ready(page);
  const keys = [];
  let fail = true;
  await page.route(`${server.url}/api/checkout`, (route) => {
    keys.push(route.request().headers()["idempotency-key"]);
    return fail ? route.fulfill({ status: 503, headers: { "Retry-After": "0" }, body: "" }) : route.continue();
  });
  await page.evaluate((id) => Shoppable.cart.add(id), simple.id);
  const first = await page.evaluate(() => Shoppable.checkout().then(() => null, (e) => e.message));
  assert.match(first, /503/);
  assert.equal(keys.length, 3, "max_attempts is 3");
  await page.evaluate(() => Shoppable.checkout().catch(() => {}));
  assert.equal(new Set(keys).size, 1, "the shopper's retry keeps the key");
  await page.evaluate((id) => Shoppable.cart.add(id), simple.id);
  fail = false;
  await page.evaluate(() => Shoppable.checkout());
  assert.notEqual(keys.at(-1), keys[0], "a changed cart is a new cart");
  await page.context().close();
});

test("redirect_url is followed only when it is http(s)", async () => {
  const page = await newPage(browser);
  await page.goto(await routePage(page, server, "/t/redirect.html", embed(shopConfig())));
  await ready(page);
  await page.route(`${server.url}/api/checkout`, (route) => route.fulfill({
    status: 201, contentType: "application/json",
    body: JSON.stringify({ order_id: "ord_js", redirect_url: "javascript:window.__pwned=1" }),
  }));
  await page.evaluate((id) => Shoppable.cart.add(id), simple.id);
  await page.evaluate(() => Shoppable.checkout());
  assert.match(await page.locator("[data-shoppable-status]").textContent(), /ord_js/);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await page.unroute(`${server.url}/api/checkout`);
  await page.route(`${server.url}/api/checkout`, (route) => route.fulfill({
    status: 201, contentType: "application/json",
    body: JSON.stringify({ order_id: "ord_ok", redirect_url: `${server.url}/t/thanks.html` }),
  }));
  await routePage(page, server, "/t/thanks.html", "<p>thanks</p>");
  await page.evaluate((id) => Shoppable.cart.add(id), simple.id);
  // The redirect may tear the page down before checkout()'s promise settles, so the promise is
  // not handed back to Playwright (that races "Execution context was destroyed").
  const left = page.waitForURL(`${server.url}/t/thanks.html`);
  await page.evaluate(() => { window.__done = Shoppable.checkout(); });
  await left;
  await page.context().close();
});

test("mounts added later are picked up and removed ones cleaned up", async () => {
  const page = await newPage(browser);
  await page.goto(await routePage(page, server, "/t/spa.html", embed(shopConfig())));
  await ready(page);
  const count = () => page.locator("[data-shoppable-tag]").count();
  const start = await count();
  await page.evaluate(() => {
    const el = document.createElement("shoppable-post");
    el.setAttribute("post-id", "p1");
    el.id = "late";
    document.body.append(el);
  });
  await page.waitForFunction((n) => document.querySelectorAll("shoppable-post[data-shoppable-state=ready]").length === 1, start);
  assert.equal(await count(), start + 1);
  await page.evaluate(() => document.querySelector("img[data-shoppable-post]").remove());
  await page.waitForFunction(() => !document.querySelector("shoppable-overlay"));
  assert.equal(await count(), start);
  await page.context().close();
});

test("single-page apps: a changed post id, a moved <img>, copies of mounts, a replaced body", async () => {
  // Two posts, each with its own product, so the tags say which post a mount shows.
  const config = shopConfig();
  const other = { ...inStockSimple(demo)[1] };
  config.products.push(other);
  config.posts.push({ id: "p2", media: [{ image: "/demo/img/eid-1.svg", alt: "", tags: [{ product: other.id, x: 0.25, y: 0.25 }] }] });
  // A gallery post: its media 1 shows the other product.
  config.posts.push({ id: "p4", media: [
    { image: "/demo/img/eid-1.svg", alt: "", tags: [{ product: simple.id, x: 0.5, y: 0.5 }] },
    { image: "/demo/img/eid-3.svg", alt: "", tags: [{ product: other.id, x: 0.5, y: 0.5 }] }] });
  const page = await newPage(browser);
  await page.goto(await routePage(page, server, "/t/spa2.html", embed(config).replace("<script type",
    '<img id="gallery" src="/demo/img/eid-1.svg" alt="" data-shoppable-post="p4" style="width:200px;display:block">\n<script type')));
  await ready(page);
  const tagsOf = (selector) => page.evaluate((sel) => [...document.querySelectorAll(sel)].map((m) => {
    const root = m.localName === "img" ? m.nextElementSibling?.shadowRoot : m.shadowRoot;
    return root ? [...root.querySelectorAll("[data-shoppable-tag]")].map((t) => t.dataset.shoppableTag).join() : null;
  }), selector);
  const settle = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

  // A gallery swaps the picture and says which media it is now: the tags follow.
  assert.deepEqual(await tagsOf("#gallery"), [simple.id]);
  await page.locator('shoppable-overlay[data-shoppable-overlay="p4"] [data-shoppable-tag]').click();
  await page.locator("[data-shoppable-card]").waitFor({ state: "visible" });
  await page.evaluate(() => {
    const img = document.getElementById("gallery");
    img.src = "/demo/img/eid-3.svg";
    img.setAttribute("data-shoppable-media", "1");
  });
  await page.waitForFunction((id) => document.getElementById("gallery").nextElementSibling?.shadowRoot
    ?.querySelector(`[data-shoppable-tag="${id}"]`), other.id);
  assert.deepEqual(await tagsOf("#gallery"), [other.id]);
  assert.equal(await page.locator('shoppable-overlay[data-shoppable-overlay="p4"]').count(), 1, "one overlay, the new one");
  await page.locator("[data-shoppable-card]").waitFor({ state: "hidden" }); // its tag went with the old media
  await page.evaluate(() => document.getElementById("gallery").remove());

  // A framework re-renders the same element for another post.
  await page.evaluate(() => document.querySelector("div[data-shoppable-post]").setAttribute("data-shoppable-post", "p2"));
  await page.waitForFunction((id) => document.querySelector("div[data-shoppable-post]").shadowRoot
    ?.querySelector(`[data-shoppable-tag="${id}"]`), other.id);
  assert.deepEqual(await tagsOf("div[data-shoppable-post]"), [other.id]);

  // A keyed list moves the <img> into another parent: its tags go along, on its pixels.
  await page.evaluate(() => {
    const box = document.createElement("section");
    box.style.cssText = "margin:200px 0 0 150px";
    document.body.prepend(box);
    box.append(document.querySelector("img[data-shoppable-post]"));
  });
  await settle();
  const placed = await page.evaluate(() => {
    const img = document.querySelector("img[data-shoppable-post]");
    const tag = img.nextElementSibling.shadowRoot.querySelector("[data-shoppable-tag]").getBoundingClientRect();
    const box = img.getBoundingClientRect();
    return { sibling: img.nextElementSibling.localName, dx: tag.x + tag.width / 2 - (box.x + box.width / 2), dy: tag.y + tag.height / 2 - (box.y + box.height / 2) };
  });
  assert.equal(placed.sibling, "shoppable-overlay");
  assert.ok(Math.abs(placed.dx) <= 1 && Math.abs(placed.dy) <= 1, `the tag at (0.5, 0.5) is off by ${placed.dx}, ${placed.dy}`);

  // Copies of rendered mounts (a carousel's loop clones, a restored snapshot) render too.
  await page.evaluate(() => {
    document.body.append(document.querySelector("div[data-shoppable-post]").cloneNode(true));
    document.body.append(document.querySelector("section").cloneNode(true));
  });
  await page.waitForFunction(() => document.querySelectorAll("div[data-shoppable-post]")[1]?.shadowRoot
    && document.querySelectorAll("section")[1].querySelector("img").nextElementSibling?.shadowRoot);
  assert.deepEqual(await tagsOf("div[data-shoppable-post]"), [other.id, other.id]);
  assert.deepEqual(await tagsOf("img[data-shoppable-post]"), [simple.id, simple.id]);

  // An unknown id: one warning, and the element left as it was (SPEC §7), however often the
  // page changes after; corrected, it mounts.
  const warned = () => page.logs.filter((l) => l.type === "warning" && l.text.includes('no post "p3" in the config')).length;
  await page.evaluate(() => {
    const d = document.createElement("div");
    d.id = "typo";
    d.setAttribute("data-shoppable-post", "p3");
    document.body.append(d);
    window.__typo = d.outerHTML;
  });
  await until(warned, 1, "a warning names the unknown post");
  await page.evaluate(() => document.body.append(document.createElement("p")));
  await page.waitForTimeout(150);
  assert.equal(warned(), 1, "warned once, not at every scan");
  assert.equal(await page.evaluate(() => {
    const d = document.getElementById("typo");
    return d.outerHTML === window.__typo && !d.shadowRoot;
  }), true, "left untouched");
  // One far below: pending like any far mount, then, come near (or rendered in idle time,
  // whichever is first: the pending state can be gone before a poll sees it, so a
  // MutationObserver records it), warned about and left as it was (its attribute taken back).
  const warnedFar = () => page.logs.filter((l) => l.type === "warning" && l.text.includes('no post "p9" in the config')).length;
  await page.evaluate(() => {
    const d = document.createElement("div");
    d.id = "far-typo";
    d.setAttribute("data-shoppable-post", "p9");
    d.style.marginTop = "5000px";
    window.__farStates = [];
    new MutationObserver((records) => {
      for (const r of records) window.__farStates.push(d.getAttribute("data-shoppable-state"));
    }).observe(d, { attributeFilter: ["data-shoppable-state"] });
    document.body.append(d);
  });
  await page.waitForFunction(() => window.__farStates.includes("pending"));
  await page.evaluate(() => document.getElementById("far-typo").scrollIntoView());
  await until(warnedFar, 1, "warned once it came near");
  assert.deepEqual(await page.evaluate(() => window.__farStates), ["pending", null], "pending, then unset");
  assert.equal(await page.evaluate(() => {
    const d = document.getElementById("far-typo");
    return d.attributes.length === 3 && !d.shadowRoot;
  }), true, "left as it was: id, post id and style only");
  await page.evaluate(() => { document.getElementById("far-typo").remove(); scrollTo(0, 0); });
  await page.evaluate(() => document.getElementById("typo").setAttribute("data-shoppable-post", "p1"));
  await page.waitForFunction(() => document.getElementById("typo").dataset.shoppableState === "ready");
  assert.deepEqual(await tagsOf("#typo"), [simple.id]);
  // A mounted element given an unknown id, then a known one again.
  await page.evaluate(() => document.getElementById("typo").setAttribute("data-shoppable-post", "p3"));
  await until(warned, 2, "warned again: the id changed since");
  assert.equal(await page.evaluate(() => document.getElementById("typo").hasAttribute("data-shoppable-state")), false);
  await page.evaluate(() => document.getElementById("typo").setAttribute("data-shoppable-post", "p2"));
  await page.waitForFunction(() => document.getElementById("typo").dataset.shoppableState === "ready");
  assert.deepEqual(await tagsOf("#typo"), [other.id]);

  // Turbo-style navigation: a new body, holding a copy of a mount and a new one.
  await page.evaluate(() => {
    const body = document.createElement("body");
    body.append(document.querySelector("div[data-shoppable-post]").cloneNode(true));
    const fresh = document.createElement("shoppable-post");
    fresh.setAttribute("post-id", "p1");
    body.append(fresh);
    document.body.replaceWith(body);
  });
  await page.waitForFunction(() => document.querySelector("shoppable-post")?.shadowRoot && document.querySelector("div[data-shoppable-post]")?.shadowRoot);
  assert.deepEqual(await tagsOf("div[data-shoppable-post], shoppable-post"), [other.id, simple.id]);
  await page.evaluate((id) => Shoppable.cart.add(id), simple.id);
  await page.locator("[data-shoppable-cart-toggle]").click();
  await page.locator("[data-shoppable-cart]").waitFor({ state: "visible" });
  assert.deepEqual(page.logs.filter((l) => l.type === "error" || l.type === "pageerror"), []);
  await page.context().close();
});

test("ICU is warmed in a short-lived worker with the core; a CSP refusing workers changes nothing", async () => {
  const page = await newPage(browser);
  const workers = [];
  page.on("worker", (w) => {
    const seen = { url: w.url(), closed: false };
    workers.push(seen);
    w.on("close", () => { seen.closed = true; });
  });
  await page.goto(await routePage(page, server, "/t/warm.html", embed(shopConfig())));
  assert.equal(await ready(page), true);
  await page.waitForFunction(() => document.querySelector("[data-shoppable-post]").getAttribute("data-shoppable-state") === "ready");
  assert.equal(workers.length, 1, "one worker, started with the core");
  assert.match(workers[0].url, /^blob:/);
  // It ends once the formatter is made: nothing keeps running on the page.
  for (let i = 0; i < 50 && !workers[0].closed; i++) await page.waitForTimeout(100);
  assert.equal(workers[0].closed, true, "the worker ends itself");
  // A page whose CSP refuses workers: the widget starts all the same, prices in place.
  const strict = await newPage(browser);
  const refused = [];
  strict.on("worker", (w) => refused.push(w.url()));
  const csp = '<meta http-equiv="Content-Security-Policy" content="worker-src \'none\'">';
  await strict.goto(await routePage(strict, server, "/t/csp.html", embed(shopConfig()).replace("<head>", `<head>${csp}`)));
  assert.equal(await ready(strict), true);
  assert.deepEqual(refused, []);
  const label = await strict.locator("[data-shoppable-tag]").first().getAttribute("aria-label");
  assert.match(label, /AED|د\.إ/, `the tag's name states the price: ${label}`);
  assert.deepEqual(strict.logs.filter((l) => l.text.startsWith("shoppable:")), []);
  await page.context().close();
  await strict.context().close();
});

test("prices wait for the ICU warm-up (300 ms at most), not for the hidden-tab timer", async () => {
  const page = await newPage(browser);
  // The worker's answer is held back, so only the loader's 300 ms cap ends the wait; every
  // main-thread formatter is logged with its time.
  await page.addInitScript(() => {
    window.__intl = { worker: null, formats: [] };
    const NF = Intl.NumberFormat;
    Intl.NumberFormat = function (...args) { window.__intl.formats.push(performance.now()); return new NF(...args); };
    Intl.NumberFormat.prototype = NF.prototype;
    const W = window.Worker;
    window.Worker = class extends W {
      constructor(...args) { super(...args); window.__intl.worker = performance.now(); }
      set onmessage(f) { super.onmessage = () => {}; }
      get onmessage() { return super.onmessage; }
    };
  });
  await page.goto(await routePage(page, server, "/t/held.html", embed(shopConfig())));
  assert.equal(await ready(page), true);
  const t = await page.evaluate(() => window.__intl);
  assert.ok(t.worker !== null && t.formats.length > 0, JSON.stringify(t));
  // The 100 ms timer for hidden tabs fires well before the cap; prices must not come then.
  assert.ok(t.formats[0] - t.worker >= 150, `first formatter ${Math.round(t.formats[0] - t.worker)} ms after the worker`);
  await page.context().close();
});

test("lazy: the core is fetched only when a mount comes near, a cart is stored, or ready is read", async () => {
  const page = await newPage(browser);
  const wasm = [];
  page.on("request", (r) => { if (r.url().endsWith(".wasm")) wasm.push(r.url()); });
  const far = embed(shopConfig()).replace(/<img [^>]*>\n<div[^>]*><\/div>/,
    '<div style="height:4000px">intro</div><div data-shoppable-post="p1" style="width:360px"></div>');
  await page.goto(await routePage(page, server, "/t/lazy.html", far));
  await page.waitForTimeout(800);
  assert.deepEqual(wasm, [], "no wasm while the only post is far below the fold");
  await page.mouse.wheel(0, 3000);
  await page.waitForFunction(() => document.querySelector("[data-shoppable-post]").getAttribute("data-shoppable-state") === "ready");
  assert.equal(wasm.length, 1, "scrolling near the post loads the core once");
  // A page with no mount at all: nothing until the page asks for the API.
  const bare = await newPage(browser);
  const bareWasm = [];
  bare.on("request", (r) => { if (r.url().endsWith(".wasm")) bareWasm.push(r.url()); });
  const html = embed(shopConfig()).replace(/<img [^>]*>\n<div[^>]*><\/div>/, "<p>no posts here</p>");
  await bare.goto(await routePage(bare, server, "/t/bare.html", html));
  await bare.waitForTimeout(800);
  assert.deepEqual(bareWasm, []);
  // Another tab of the same shop, no mount and an empty cart: nothing yet, but the core
  // comes when the first tab fills the cart, so the cart shows here too (SPEC §5).
  const watcher = await bare.context().newPage();
  const watcherWasm = [];
  watcher.on("request", (r) => { if (r.url().endsWith(".wasm")) watcherWasm.push(r.url()); });
  await watcher.goto(`${server.url}/t/bare.html`);
  await watcher.waitForTimeout(300);
  assert.deepEqual(watcherWasm, []);
  assert.equal(await ready(bare), true, "reading Shoppable.ready loads the core");
  assert.equal(bareWasm.length, 1);
  assert.deepEqual(watcherWasm, [], "another tab reading ready changes no storage");
  await bare.evaluate((id) => Shoppable.cart.add(id), simple.id);
  await watcher.locator("[data-shoppable-cart-count]").filter({ hasText: "1" }).waitFor();
  assert.equal(watcherWasm.length, 1, "the other tab's cart change loaded the core once");
  // With a stored cart the core comes at once, so the cart button shows.
  const again = await bare.context().newPage();
  const againWasm = [];
  again.on("request", (r) => { if (r.url().endsWith(".wasm")) againWasm.push(r.url()); });
  await again.goto(`${server.url}/t/bare.html`);
  await again.locator("[data-shoppable-cart-count]").filter({ hasText: "1" }).waitFor();
  assert.equal(againWasm.length, 1);
  await page.context().close();
  await bare.context().close();
});

test("data-config is resolved against the page's <base href>, as the script's src is", async () => {
  const page = await newPage(browser);
  const html = `<!doctype html><html><head><meta charset="utf-8"><base href="/"></head><body>
<img src="demo/img/eid-1.svg" alt="" data-shoppable-post="eid-lookbook-1" style="width:300px">
<script src="dist/shoppable.js" data-config="demo/config.en.json" defer></script></body></html>`;
  await page.goto(await routePage(page, server, "/t/deep/er/base.html", html));
  assert.equal(await ready(page), true);
  assert.ok(await page.locator("[data-shoppable-tag]").count() > 0);
  await page.context().close();

  // A config that is not there: the error names the URL as resolved, the one to look for.
  const missing = await newPage(browser);
  await missing.goto(await routePage(missing, server, "/t/deep/er/missing.html",
    html.replace("demo/config.en.json", "demo/config.xx.json")));
  assert.equal(await ready(missing), `config: ${server.url}/demo/config.xx.json answered HTTP 404`);
  await missing.context().close();
});

test("Shoppable.init(object) wins over the page's inline config; a page without any config says what it waits for", async () => {
  // init() called by a script after the loader, before DOMContentLoaded: its object wins
  // over the inline config (whose shop name would key another cart).
  const page = await newPage(browser);
  const other = { ...shopConfig(), shop: { ...demo.shop, name: "Inline Shop" } };
  const html = embed(other).replace('<script src="/dist/shoppable.js" defer></script>',
    `<script src="/dist/shoppable.js"></script><script>Shoppable.init(${JSON.stringify(shopConfig())})</script>`);
  await page.goto(await routePage(page, server, "/t/init.html", html));
  assert.equal(await ready(page), true);
  assert.equal(await page.locator("[data-shoppable-tag]").count(), 2, "both mounts drawn");
  await page.evaluate((id) => Shoppable.cart.add(id), simple.id);
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("shoppable:cart:"))),
    [`shoppable:cart:${demo.shop.currency}:${demo.shop.name}`], "the init() config's shop keys the cart");
  assert.deepEqual(page.logs.filter((l) => l.type === "warning" || l.type === "error"), []);
  await page.context().close();

  // init() from a later `defer` script still downloading when the deferred loader runs: the
  // loader waits for DOMContentLoaded, which comes after every deferred script.
  const slow = await newPage(browser);
  const deferred = embed(other).replace('<script src="/dist/shoppable.js" defer></script>',
    '<script src="/dist/shoppable.js" defer></script><script src="/t/init-slow.js" defer></script>');
  await slow.context().route(`${server.url}/t/init-slow.js`, (route) => setTimeout(() => route.fulfill({
    contentType: "text/javascript", body: `Shoppable.init(${JSON.stringify(shopConfig())})` }), 300));
  await slow.goto(await routePage(slow, server, "/t/init-deferred.html", deferred));
  assert.equal(await ready(slow), true);
  await slow.evaluate((id) => Shoppable.cart.add(id), simple.id);
  assert.deepEqual(await slow.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("shoppable:cart:"))),
    [`shoppable:cart:${demo.shop.currency}:${demo.shop.name}`], "the deferred init() config wins");
  assert.deepEqual(slow.logs.filter((l) => l.type === "warning" || l.type === "error"), []);
  await slow.context().close();

  // Without Navigation Timing (a test environment's stub), the loader still starts; and
  // injected after DOMContentLoaded (a tag manager), at once.
  for (const [name, init] of [["no timing", () => Object.defineProperty(performance, "timing", { value: undefined })],
    ["injected", null]]) {
    const p = await newPage(browser);
    if (init) await p.addInitScript(init);
    let html = embed(shopConfig());
    if (!init) html = html.replace('<script src="/dist/shoppable.js" defer></script>',
      `<script>addEventListener("DOMContentLoaded", () => setTimeout(() => document.body.append(Object.assign(
        document.createElement("script"), { src: "/dist/shoppable.js" }))))</script>`);
    await p.goto(await routePage(p, server, `/t/start-${init ? "no-timing" : "injected"}.html`, html));
    await p.waitForFunction(() => window.Shoppable); // the injected loader may come after `load`
    assert.equal(await ready(p), true, name);
    assert.equal(await p.locator("[data-shoppable-tag]").count(), 2, name);
    await p.context().close();
  }

  // No config on the page: one warning naming the call it waits for, nothing mounted; an
  // init() that comes later (a config fetched by the page's own code) starts the widget.
  const late = await newPage(browser);
  const bare = embed(shopConfig()).replace(/<script type="application\/json" data-shoppable-config>[^<]*<\/script>\n/, "");
  await late.goto(await routePage(late, server, "/t/late-init.html", bare));
  await until(() => late.logs.filter((l) => l.type === "warning" || l.type === "error").map((l) => l.text).join("\n"),
    "shoppable: no config; waiting for Shoppable.init()", "one warning, once the page is parsed");
  assert.equal(await late.locator("[data-shoppable-tag]").count(), 0);
  await late.evaluate((c) => Shoppable.init(c), shopConfig());
  assert.equal(await ready(late), true);
  assert.equal(await late.locator("[data-shoppable-tag]").count(), 2);
  // A second config is refused, and said to be.
  await late.evaluate((c) => Shoppable.init(c), other);
  assert.equal(late.logs.at(-1).text, "shoppable: already started; ignoring another config");
  await late.context().close();
});

test("ready read before the config is known (a module script) still loads the core and waits for every post", async () => {
  const page = await newPage(browser);
  // The loader is deferred, so it reads the page's config at DOMContentLoaded, after this
  // module script has asked for `ready`; the only post is far below the fold.
  const html = embed(shopConfig()).replace(/<img [^>]*>\n<div[^>]*><\/div>/,
    '<div style="height:5000px">intro</div><div data-shoppable-post="p1" style="width:360px"></div>')
    .replace("</body>", `<script type="module">
      window.__atReady = Shoppable.ready.then(() => document.querySelector("[data-shoppable-post]")
        .shadowRoot.querySelectorAll("[data-shoppable-tag]").length, (e) => e.message);
    </script></body>`);
  await page.goto(await routePage(page, server, "/t/early-ready.html", html));
  assert.equal(await page.evaluate(() => window.__atReady), 1, "ready resolved with the far post's tag drawn");
  assert.equal(await page.evaluate(() => typeof Shoppable.openCart), "function");
  await page.context().close();
});

test("the card and the cart panel are laid out unseen in idle time: never painted, no product image fetched", async () => {
  const page = await newPage(browser);
  // Records the two dialogs' `hidden` and `style` changes (as attribute:old value, in
  // order) from the moment their shadow root exists, and counts every frame in which
  // either is rendered visible.
  await page.addInitScript(() => {
    window.__dialogs = { card: [], panel: [], paintedVisible: 0 };
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init) {
      const root = attach.call(this, init);
      new MutationObserver((records) => {
        for (const r of records) {
          const which = r.target.getAttribute("data-shoppable-card") !== null ? "card"
            : r.target.getAttribute("data-shoppable-cart") !== null ? "panel" : null;
          if (which) window.__dialogs[which].push(`${r.attributeName}:${r.oldValue}`);
        }
      }).observe(root, { subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ["hidden", "style"] });
      return root;
    };
    const frame = () => {
      const ui = document.querySelector("shoppable-ui")?.shadowRoot;
      for (const sel of ["[data-shoppable-card]", "[data-shoppable-cart]"]) {
        const e = ui?.querySelector(sel);
        if (e && !e.hidden && getComputedStyle(e).visibility !== "hidden") window.__dialogs.paintedVisible++;
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  const requested = [];
  // Images only: the demo's favicon is one of the product pictures.
  page.on("request", (r) => r.resourceType() === "image" && requested.push(new URL(r.url()).pathname));
  await page.goto(`${server.url}/`);
  assert.equal(await ready(page), true);
  await page.waitForFunction(() => window.__dialogs.card.length >= 4 && window.__dialogs.panel.length >= 4);
  await page.waitForTimeout(300);
  const seen = await page.evaluate(() => window.__dialogs);
  // Made invisible, shown, hidden again and the inline style removed, in one go (the
  // style is written through the CSSOM, which serialises it).
  const unseen = ["style:null", "hidden:", "hidden:null", "style:visibility: hidden;"];
  assert.deepEqual(seen.card, unseen, "the card");
  assert.deepEqual(seen.panel, unseen, "the cart panel");
  assert.equal(seen.paintedVisible, 0, "no frame showed a dialog");
  const card = page.locator("[data-shoppable-card]");
  assert.equal(await card.evaluate((c) => c.childElementCount), 0, "the warmed card is emptied");
  const productImages = new Set(demo.products.map((p) => p.image));
  assert.deepEqual(requested.filter((p) => productImages.has(p)), [], "no product image before a card opens");
  // The first card then opens as usual, placed next to its tag, with its image.
  await page.locator("shoppable-overlay").first().locator("[data-shoppable-tag]").first().click();
  await card.waitFor({ state: "visible" });
  assert.match(await card.getAttribute("style"), /left:.*top:/);
  await page.waitForFunction(() => document.querySelector("shoppable-ui").shadowRoot.querySelector("[data-shoppable-card] img")?.complete);
  assert.equal(requested.filter((p) => productImages.has(p)).length, 1, "the opened card's image");
  await page.context().close();
});
