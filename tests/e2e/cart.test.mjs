// The cart and its edges (issue 5): one checkout promise at a time, the cart dialog's
// steppers, remove buttons, empty state and typed quantities, the detail of the error
// events, several widgets on one cart, storage that refuses or is denied, and a restored
// cart re-read against a changed config.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch, newPage, ready, mounted, recordEvents, orders, routePage, embed, demoConfig, inStockSimple, until, screenshot } from "./harness.mjs";

let server, browser;
before(async () => { [server, browser] = await Promise.all([startServer(), launch()]); });
after(async () => { await browser?.close(); await server?.stop(); });

const demo = demoConfig("en");
// scarf-silk (129.00) and earrings-hilal (189.00): in stock, no variants.
const [scarf, earrings] = inStockSimple(demo);
const storageKey = `shoppable:cart:${demo.shop.currency}:${demo.shop.name}`;

/** A page on the server's origin with the given config inline and the given mounts. */
function pageWith(config, mounts = '<div data-shoppable-post="eid-lookbook-3" style="width:420px"></div>') {
  return `<!doctype html><html><head><meta charset="utf-8"></head><body>
${mounts}
<script type="application/json" data-shoppable-config>${JSON.stringify(config)}</script>
<script src="/dist/shoppable.js" defer></script></body></html>`;
}

/** Like harness's routePage, but the body is read at each request, so a reload can see a
 * changed page. */
async function serve(page, path, body) {
  await page.context().route(`${server.url}${path}`, (route) =>
    route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: body() }));
  return `${server.url}${path}`;
}

/** The number in a formatted price, e.g. "AED 1,234.50" → 1234.5. */
const amount = (text) => Number(text.replace(/[^\d.]/g, "").replace(/^\.+|\.+$/g, ""));
const shopWarnings = (p) => p.logs.filter((l) => l.type === "warning" && l.text.startsWith("shoppable:"));
const errors = (p) => p.logs.filter((l) => l.type === "error" || l.type === "pageerror");
const events = (p, name) => p.evaluate((n) => window.__events.filter((e) => e.name === n).map((e) => e.detail), name);

/** The scarf from its tag in eid-lookbook-2 (so its line remembers the post), then the
 * earrings by the API; leaves the cart dialog open. */
async function fillCart(p, earringsQuantity) {
  assert.equal(await mounted(p, "eid-lookbook-2"), "ready");
  await p.locator('[data-shoppable-post="eid-lookbook-2"]').locator(`[data-shoppable-tag="${scarf.id}"]`).click();
  await p.locator("[data-shoppable-card] [data-shoppable-add]").click();
  await p.locator("[data-shoppable-cart-count]").filter({ hasText: /^1$/ }).waitFor();
  await p.keyboard.press("Escape");
  await p.evaluate(([id, n]) => Shoppable.cart.add(id, n), [earrings.id, earringsQuantity]);
  await p.locator("[data-shoppable-cart-toggle]").click();
}

test("a second Shoppable.checkout() while one is in flight returns the same promise and sends nothing", async () => {
  const p = await newPage(browser);
  await recordEvents(p);
  await p.goto(`${server.url}/`);
  assert.equal(await ready(p), true);
  await p.evaluate((id) => Shoppable.cart.add(id, 2), scarf.id);
  let requests = 0, release, arrived;
  const held = new Promise((r) => { release = r; });
  const first = new Promise((r) => { arrived = r; });
  await p.route(`${server.url}/api/checkout`, async (route) => {
    requests++;
    arrived();
    await held;
    await route.continue();
  });
  const before = (await orders(server)).length;
  // Two calls in the same task, then a third once the request is on the wire.
  const sameTask = await p.evaluate(() => {
    const a = Shoppable.checkout();
    const b = Shoppable.checkout();
    window.__p1 = a;
    window.__settled = a.then((r) => ({ ok: r }), (e) => ({ error: e.message }));
    return a === b;
  });
  assert.equal(sameTask, true, "checkout() twice in one task: p1 === p2");
  await first;
  assert.equal(await p.evaluate(() => Shoppable.checkout() === window.__p1), true,
    "checkout() while the request is held: the same promise");
  assert.equal(await p.evaluate(() => Shoppable.checkout() instanceof Promise), true);
  release();
  const settled = await p.evaluate(() => window.__settled);
  assert.ok(settled.ok, `the checkout succeeds: ${JSON.stringify(settled)}`);
  assert.equal(requests, 1, "exactly one request for the one attempt");
  const after = await orders(server);
  assert.equal(after.length, before + 1, "one order");
  assert.equal(after.at(-1).order_id, settled.ok.order_id);
  assert.equal((await events(p, "checkout-start")).length, 1, "one checkout-start");
  assert.equal((await events(p, "checkout-success")).length, 1, "one checkout-success");
  // Once settled, the next checkout is a new one with its own promise and request.
  await p.evaluate((id) => Shoppable.cart.add(id), earrings.id);
  const fresh = await p.evaluate(() => {
    const c = Shoppable.checkout();
    return c.then(() => c !== window.__p1);
  });
  assert.equal(fresh, true, "a checkout after the first settled is a new promise");
  assert.equal(requests, 2);
  await p.context().close();
});

test("cart dialog: − never below 1, typed quantities corrected, remove, empty state", async () => {
  const p = await newPage(browser);
  await recordEvents(p);
  await p.goto(`${server.url}/`);
  assert.equal(await ready(p), true);
  await fillCart(p, 3);
  const panel = p.locator("[data-shoppable-cart]");
  await panel.waitFor({ state: "visible" });

  const line = panel.locator(`[data-shoppable-line="${earrings.id}"]`);
  const qty = line.locator("[data-shoppable-qty]");
  const quantity = async () => (await p.evaluate(() => Shoppable.cart.items()))
    .find((l) => l.item_id === earrings.id)?.quantity;
  const subtotal = async () => amount(await p.locator("[data-shoppable-subtotal]").textContent());
  const expectQty = async (n, what) => {
    await until(() => qty.inputValue(), String(n), `${what}: the field shows ${n}`);
    assert.equal(await quantity(), n, `${what}: the cart holds ${n}`);
    await until(subtotal, (n * Number(earrings.price) * 100 + Number(scarf.price) * 100) / 100, `${what}: the subtotal follows`);
    assert.equal(await p.locator("[data-shoppable-cart-count]").textContent(), String(n + 1), `${what}: the count follows`);
  };
  await expectQty(3, "start");
  // Every line's field is named for its product, so a list of form fields tells them apart.
  const fieldName = await qty.getAttribute("aria-label");
  assert.ok(fieldName.startsWith("Quantity of ") && fieldName.includes(earrings.title), `the field's name: ${fieldName}`);
  assert.equal(amount(await line.locator("[data-shoppable-price]").textContent()), Number(earrings.price), "the line shows the unit price");

  await line.locator("[data-shoppable-dec]").click();
  await expectQty(2, "− from 3");

  const typed = async (text, n, what) => {
    await qty.fill(text);
    await qty.press("Tab");
    await expectQty(n, what);
  };
  await typed("abc", 2, '"abc" typed restores the quantity');
  await typed("0", 1, '"0" typed becomes 1');

  // (A lower quantity is itself a remove-from-cart of the difference, as in GA4; − at 1
  // changes nothing, so it sends no event.)
  const removals = (await events(p, "remove-from-cart")).length;
  const dec = line.locator("[data-shoppable-dec]");
  if (!(await dec.isDisabled())) await dec.click();
  await expectQty(1, "− at 1");
  assert.equal((await events(p, "remove-from-cart")).length, removals, "− at 1 removes nothing");

  await typed("250", 99, '"250" typed becomes 99');
  await typed("٣", 3, 'Arabic-Indic "٣" typed becomes 3');
  await typed("2.5", 2, '"2.5" typed is 2, not 25');
  await typed("-4", 1, '"-4" typed is below 1, so 1');
  await typed("٣", 3, "back to 3");

  // Remove the scarf: its line goes, the event names it with its post.
  const seen = (await events(p, "remove-from-cart")).length;
  await panel.locator(`[data-shoppable-line="${scarf.id}"] [data-shoppable-remove]`).click();
  await panel.locator(`[data-shoppable-line="${scarf.id}"]`).waitFor({ state: "detached" });
  assert.deepEqual((await events(p, "remove-from-cart")).slice(seen), [{ item_id: scarf.id, quantity: 1, post_id: "eid-lookbook-2" }]);
  await until(() => p.locator("[data-shoppable-status]").textContent(), `Removed ${scarf.title} from your cart`,
    "the removal is announced");
  await until(subtotal, 3 * Number(earrings.price), "subtotal after removing the scarf");
  assert.equal(await p.locator("[data-shoppable-checkout]").isDisabled(), false, "checkout enabled with a line left");

  // Remove the last line: the empty state, a zero subtotal, checkout disabled.
  await line.locator("[data-shoppable-remove]").click();
  await line.waitFor({ state: "detached" });
  assert.deepEqual((await events(p, "remove-from-cart")).slice(seen + 1), [{ item_id: earrings.id, quantity: 3, post_id: null }]);
  assert.equal(await panel.locator("[data-shoppable-line]").count(), 0);
  assert.equal(await panel.getByText("Your cart is empty").isVisible(), true, "the empty state is shown");
  assert.equal(await p.locator("[data-shoppable-checkout]").isDisabled(), true, "checkout disabled on an empty cart");
  assert.equal(await subtotal(), 0);
  assert.equal(await p.locator("[data-shoppable-cart-count]").textContent(), "0");
  assert.deepEqual(await p.evaluate(() => Shoppable.cart.items()), []);
  assert.deepEqual(errors(p), []);
  await p.context().close();
});

test("shoppable:error names the bad config path in detail.message", async () => {
  const p = await newPage(browser);
  await recordEvents(p);
  const config = {
    version: 1, shop: demo.shop, checkout: { endpoint: "/api/checkout" }, products: [scarf],
    posts: [{ id: "p1", caption: "c", media: [{ image: "/demo/img/eid-1.svg", alt: "", tags: [{ product: scarf.id, x: 0.5, y: 1.5 }] }] }],
  };
  await p.goto(await routePage(p, server, "/t/cart-bad.html", embed(config)));
  const message = await ready(p);
  assert.match(message, /^config\.posts\[0\]\.media\[0\]\.tags\[0\]\.y: /);
  const fired = await events(p, "error");
  assert.equal(fired.length, 1, "one shoppable:error");
  assert.equal(typeof fired[0]?.message, "string");
  assert.equal(fired[0].message, message, "detail.message is the message ready rejects with");
  await p.context().close();
});

function checkoutPage(p, path, checkout) {
  return routePage(p, server, path, pageWith({ ...demo, checkout: { endpoint: "/api/checkout", ...checkout } }));
}

test("focus stays in the open cart: − at 1, a typed 0, Remove, and a refused checkout", async () => {
  const p = await newPage(browser);
  await p.goto(await checkoutPage(p, "/t/cart-focus.html", { max_attempts: 1, timeout_ms: 2000 }));
  assert.equal(await ready(p), true);
  await p.evaluate(([a, b]) => { Shoppable.cart.add(a); Shoppable.cart.add(b); Shoppable.openCart(); }, [scarf.id, earrings.id]);
  await p.locator("[data-shoppable-cart]").waitFor({ state: "visible" });
  const focused = () => p.evaluate(() => {
    const a = document.querySelector("shoppable-ui").shadowRoot.activeElement;
    if (!a) return null;
    const hook = [...a.attributes].find((x) => x.name.startsWith("data-shoppable-"));
    return hook ? `${hook.name}=${hook.value}` : a.className;
  });
  const line = (id, hook) => p.locator(`[data-shoppable-line="${id}"] [${hook}]`);
  await line(scarf.id, "data-shoppable-dec").focus();
  await p.keyboard.press("Enter");
  assert.equal(await focused(), `data-shoppable-dec=${scarf.id}`, "− at 1 keeps its focus");
  // The lines are drawn again in a task after a typed quantity's change: each step waits
  // for it, since the next would otherwise type into the field about to be replaced.
  const redrawn = () => p.evaluate(() => new Promise((r) => setTimeout(r)));
  await line(scarf.id, "data-shoppable-qty").fill("0");
  await line(scarf.id, "data-shoppable-qty").press("Tab");
  await redrawn();
  assert.notEqual(await focused(), null, "a typed 0 leaves focus in the cart");
  // The field's `change` fires while Tab moves focus on: focus lands where Tab sends it.
  await line(scarf.id, "data-shoppable-qty").fill("4");
  await line(scarf.id, "data-shoppable-qty").press("Tab");
  await redrawn();
  await until(focused, `data-shoppable-inc=${scarf.id}`, "Tab from a typed quantity goes on to +");
  await line(scarf.id, "data-shoppable-qty").fill("3");
  await line(scarf.id, "data-shoppable-qty").press("Shift+Tab");
  await redrawn();
  await until(focused, `data-shoppable-dec=${scarf.id}`, "Shift+Tab from a typed quantity goes back to −");
  assert.equal(await p.evaluate((id) => Shoppable.cart.items().find((l) => l.item_id === id).quantity, scarf.id), 3);
  await line(earrings.id, "data-shoppable-remove").focus();
  await p.keyboard.press("Enter");
  assert.equal(await focused(), "data-shoppable-cart=", "after Remove, focus is on the dialog");
  let answer;
  await p.route(`${server.url}/api/checkout`, (route) => { answer = route; });
  await p.locator("[data-shoppable-checkout]").focus();
  await p.keyboard.press("Enter");
  // In flight, Checkout is disabled: the dialog holds the focus, and Tab stays inside it.
  await until(() => p.evaluate(() => document.querySelector("shoppable-ui").shadowRoot
    .querySelector("[data-shoppable-checkout]").disabled), true, "Checkout disabled in flight");
  assert.equal(await focused(), "data-shoppable-cart=", "in flight, focus is on the dialog");
  await p.keyboard.press("Tab");
  assert.equal(await p.evaluate(() => document.querySelector("shoppable-ui").shadowRoot
    .activeElement?.closest("[data-shoppable-cart]") != null), true, "Tab in flight stays in the cart");
  await p.locator("[data-shoppable-cart]").focus(); // as it was: focus had not moved on
  await until(() => answer !== undefined, true, "the checkout request was sent");
  await answer.fulfill({ status: 409, contentType: "application/json",
    body: JSON.stringify({ error: { message: "Sold out", lines: [{ item_id: scarf.id, reason: "out_of_stock" }] } }) });
  await p.locator("[data-shoppable-status]").filter({ hasText: "Sold out" }).waitFor();
  assert.equal(await focused(), "data-shoppable-checkout=", "after the refusal, focus is back on Checkout");
  // An order placed with the cart open empties it: Checkout is disabled, focus stays inside.
  await p.unroute(`${server.url}/api/checkout`);
  await p.route(`${server.url}/api/checkout`, (route) => route.fulfill({ status: 201, contentType: "application/json",
    body: JSON.stringify({ order_id: "ord_focus" }) }));
  await p.keyboard.press("Enter");
  await p.locator("[data-shoppable-status]").filter({ hasText: "ord_focus" }).waitFor();
  assert.equal(await focused(), "data-shoppable-cart=", "after the order, focus is on the dialog");
  await p.context().close();
});

test("checkout-error after every attempt got a 503: retryable, a message, no lines; cart kept", async () => {
  const p = await newPage(browser);
  await recordEvents(p);
  await p.goto(await checkoutPage(p, "/t/cart-503.html", { max_attempts: 3, timeout_ms: 2000 }));
  assert.equal(await ready(p), true);
  let requests = 0;
  await p.route(`${server.url}/api/checkout`, (route) => {
    requests++;
    return route.fulfill({ status: 503, headers: { "Retry-After": "0" }, contentType: "text/plain", body: "down" });
  });
  await p.evaluate((id) => Shoppable.cart.add(id, 2), scarf.id);
  const want = await p.evaluate(() => Shoppable.cart.items());
  const rejected = await p.evaluate(() => Shoppable.checkout().then(() => null,
    (e) => ({ isError: e instanceof Error, message: e.message, retryable: e.retryable, lines: e.lines })));
  assert.ok(rejected, "checkout() rejects");
  assert.equal(requests, 3, "max_attempts requests");
  assert.equal(rejected.retryable, true, "the rejection says it may be retried");
  assert.deepEqual(rejected.lines, []);
  const fired = await events(p, "checkout-error");
  assert.equal(fired.length, 1, "one checkout-error after the last attempt");
  const detail = fired[0];
  assert.deepEqual(Object.keys(detail).sort(), ["lines", "message", "retryable"]);
  assert.equal(detail.retryable, true);
  assert.equal(typeof detail.message, "string");
  assert.ok(detail.message.trim().length > 0, "a non-empty message");
  assert.deepEqual(detail.lines, []);
  assert.equal(rejected.isError, true, "rejects with an Error");
  assert.equal(rejected.message, detail.message, "the rejection and the event carry one message");
  assert.equal((await events(p, "checkout-start")).length, 1, "one checkout-start for all attempts");
  assert.deepEqual(await p.evaluate(() => Shoppable.cart.items()), want, "the cart is kept");
  assert.match(await p.locator("[data-shoppable-status]").textContent(), /try again/, "the shopper may try again");
  await p.context().close();
});

test("checkout-error after a 400: not retried; the shopper is not told to try again, the developer gets the server's words", async () => {
  const p = await newPage(browser);
  await recordEvents(p);
  await p.goto(await checkoutPage(p, "/t/cart-400.html", { max_attempts: 3, timeout_ms: 2000 }));
  assert.equal(await ready(p), true);
  let requests = 0;
  await p.route(`${server.url}/api/checkout`, (route) => {
    requests++;
    return route.fulfill({ status: 400, contentType: "application/json", body: JSON.stringify({ error: { message: "unknown X-Shop-Key" } }) });
  });
  await p.evaluate((id) => Shoppable.cart.add(id, 1), scarf.id);
  const rejected = await p.evaluate(() => Shoppable.checkout().then(() => null, (e) => e.message));
  assert.equal(requests, 1, "not retried");
  assert.equal(rejected, "the checkout endpoint answered 400: unknown X-Shop-Key");
  const [detail] = await events(p, "checkout-error");
  assert.deepEqual(detail, { message: rejected, retryable: false, lines: [] });
  assert.equal(await p.locator("[data-shoppable-status]").textContent(), "We couldn't place your order.");
  assert.equal(await p.evaluate(() => Shoppable.cart.items().length), 1, "the cart is kept");
  // A 409 that is not the protocol's (a proxy's page): refused all the same, never "try again".
  await p.unroute(`${server.url}/api/checkout`);
  await p.route(`${server.url}/api/checkout`, (route) => {
    requests++;
    return route.fulfill({ status: 409, contentType: "text/html", body: "<h1>Conflict</h1>" });
  });
  const html = await p.evaluate(() => Shoppable.checkout().then(() => null, (e) => ({ message: e.message, retryable: e.retryable })));
  assert.equal(requests, 2, "not retried");
  assert.deepEqual(html, { message: "the checkout endpoint answered 409 without an error object", retryable: false });
  assert.equal(await p.locator("[data-shoppable-status]").textContent(), "We couldn't place your order.");
  await p.context().close();
});

// WCAG 1.4.10: 1280×1024 at 400 % zoom is a 320×256 viewport. The header and footer would
// leave the line list a sliver of its own to scroll; the whole panel scrolls instead.
test("at 400 % zoom (320×256) the cart panel scrolls as one, every line in full", async () => {
  const p = await newPage(browser, { viewport: { width: 320, height: 256 } });
  await p.goto(`${server.url}/`);
  assert.equal(await ready(p), true);
  await p.evaluate(([a, b]) => { Shoppable.cart.add(a, 1); Shoppable.cart.add(b, 2); Shoppable.openCart(); }, [scarf.id, earrings.id]);
  const panel = p.locator("[data-shoppable-cart]");
  await panel.waitFor({ state: "visible" });
  const boxes = await panel.evaluate((el) => {
    const lines = el.querySelector("[data-shoppable-line]").parentElement;
    return { panel: [el.scrollHeight, el.clientHeight], lines: [lines.scrollHeight, lines.clientHeight] };
  });
  assert.ok(boxes.lines[1] >= boxes.lines[0] - 1, `the line list is not a scroller of its own: ${JSON.stringify(boxes)}`);
  assert.ok(boxes.panel[0] > boxes.panel[1], `the panel scrolls: ${JSON.stringify(boxes)}`);
  const checkout = panel.locator("[data-shoppable-checkout]");
  await checkout.scrollIntoViewIfNeeded();
  const box = await checkout.boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height <= 256, `Checkout scrolls into view: ${JSON.stringify(box)}`);
  await screenshot(p, "en-zoom400-cart");
  await p.context().close();
});

test("checkout-error after a 409: not retried, retryable false, the server's message and lines", async () => {
  const p = await newPage(browser);
  await recordEvents(p);
  await p.goto(await checkoutPage(p, "/t/cart-409.html", { max_attempts: 3, timeout_ms: 2000 }));
  assert.equal(await ready(p), true);
  const problem = {
    message: "Some items changed since you added them",
    lines: [{ item_id: scarf.id, reason: "out_of_stock" }, { item_id: earrings.id, reason: "quantity" }],
  };
  let requests = 0;
  await p.route(`${server.url}/api/checkout`, (route) => {
    requests++;
    return route.fulfill({ status: 409, contentType: "application/json", body: JSON.stringify({ error: problem }) });
  });
  await p.evaluate(([a, b]) => { Shoppable.cart.add(a, 2); Shoppable.cart.add(b, 1); }, [scarf.id, earrings.id]);
  const want = await p.evaluate(() => Shoppable.cart.items());
  const rejected = await p.evaluate(() => Shoppable.checkout().then(() => null,
    (e) => e instanceof Error && { message: e.message, retryable: e.retryable, lines: e.lines }));
  assert.ok(rejected, "checkout() rejects");
  assert.equal(requests, 1, "a 409 is not retried");
  const fired = await events(p, "checkout-error");
  assert.equal(fired.length, 1);
  assert.deepEqual(fired[0], { message: problem.message, retryable: false, lines: problem.lines });
  assert.deepEqual(rejected, fired[0], "the rejected Error carries the event's detail");
  assert.deepEqual(await p.evaluate(() => Shoppable.cart.items()), want, "the cart is kept");
  await until(async () => (await p.locator("[data-shoppable-status]").textContent()).includes(problem.message), true,
    "the server's message is shown");
  await p.evaluate(() => Shoppable.openCart());
  await until(() => p.locator("[data-shoppable-cart] [data-shoppable-line] .problem").count(), 2, "both lines are flagged");
  // Each line's quantity field and Remove are described by that line's reason.
  const described = await p.locator("[data-shoppable-cart]").evaluate((panel) => {
    const root = panel.getRootNode();
    return [...panel.querySelectorAll("[data-shoppable-line]")].map((line) => {
      const text = (el) => el.getAttribute("aria-describedby")?.split(" ").map((id) => root.getElementById(id)?.textContent).join(" ");
      return [line.getAttribute("data-shoppable-line"), text(line.querySelector("[data-shoppable-qty]")), text(line.querySelector("[data-shoppable-remove]"))];
    });
  });
  assert.deepEqual(described.sort(), [
    [earrings.id, "Quantity not available", "Quantity not available"],
    [scarf.id, "Sold out", "Sold out"],
  ].sort());
  await p.context().close();
});

test("two widgets on one page (an <img> and a container) share one cart", async () => {
  const p = await newPage(browser);
  await recordEvents(p);
  const mounts = `<img src="/demo/img/eid-1.svg" alt="" data-shoppable-post="eid-lookbook-1" style="width:480px;display:block">
<div data-shoppable-post="eid-lookbook-3" style="width:420px"></div>`;
  await p.goto(await routePage(p, server, "/t/cart-two.html", pageWith(demo, mounts)));
  assert.equal(await ready(p), true);
  assert.equal(await mounted(p, "eid-lookbook-1"), "ready");
  assert.equal(await mounted(p, "eid-lookbook-3"), "ready");
  const card = p.locator("[data-shoppable-card]");
  // From the image's overlay: the kaftan, size M.
  await p.locator("shoppable-overlay").locator('[data-shoppable-tag="kaftan-noor"]').click();
  await card.waitFor({ state: "visible" });
  await card.locator("[data-shoppable-variant]").selectOption("kaftan-noor-m");
  await card.locator("[data-shoppable-add]").click();
  await p.locator("[data-shoppable-cart-count]").filter({ hasText: /^1$/ }).waitFor();
  await p.keyboard.press("Escape");
  await card.waitFor({ state: "hidden" });
  // From the container post: the watch, twice.
  await p.locator('[data-shoppable-post="eid-lookbook-3"]').locator('[data-shoppable-tag="watch-sama"]').click();
  await card.waitFor({ state: "visible" });
  await card.locator("[data-shoppable-add]").click();
  await p.locator("[data-shoppable-cart-count]").filter({ hasText: /^2$/ }).waitFor();
  await card.locator("[data-shoppable-add]").click();
  await p.locator("[data-shoppable-cart-count]").filter({ hasText: /^3$/ }).waitFor();
  await p.keyboard.press("Escape");

  assert.equal(await p.locator("shoppable-ui").count(), 1, "one page-wide UI");
  assert.equal(await p.locator("[data-shoppable-cart-toggle]").count(), 1, "one cart button");
  assert.equal(await p.locator("[data-shoppable-cart-count]").textContent(), "3", "the count is the sum");
  const items = await p.evaluate(() => Shoppable.cart.items());
  assert.deepEqual(items.map((i) => [i.item_id, i.quantity]), [["kaftan-noor-m", 1], ["watch-sama", 2]]);
  const added = await events(p, "add-to-cart");
  assert.deepEqual(added.map((d) => d.post_id), ["eid-lookbook-1", "eid-lookbook-3", "eid-lookbook-3"]);
  // The one checkout carries each line's post.
  let body;
  await p.route(`${server.url}/api/checkout`, (route) => { body = route.request().postDataJSON(); return route.continue(); });
  await p.evaluate(() => Shoppable.checkout());
  assert.deepEqual(body.lines.map((l) => [l.item_id, l.quantity, l.post_id]),
    [["kaftan-noor-m", 1, "eid-lookbook-1"], ["watch-sama", 2, "eid-lookbook-3"]]);
  assert.deepEqual(errors(p), []);
  await p.context().close();
});

test("localStorage whose setItem throws QuotaExceededError: a restored cart works in memory, one warning", async () => {
  // First a page with working storage stores a cart.
  const first = await newPage(browser);
  await first.goto(`${server.url}/`);
  assert.equal(await ready(first), true);
  await first.evaluate((id) => Shoppable.cart.add(id, 2), scarf.id);
  assert.ok(await first.evaluate((k) => localStorage.getItem(k), storageKey), "the cart was stored");
  // Then a page in the same context where writes are refused.
  const p = await first.context().newPage();
  await first.close();
  p.logs = [];
  p.on("console", (m) => p.logs.push({ type: m.type(), text: m.text() }));
  p.on("pageerror", (e) => p.logs.push({ type: "pageerror", text: e.message }));
  await p.addInitScript(() => {
    window.__thrown = [];
    addEventListener("error", (e) => window.__thrown.push(String(e.message)));
    addEventListener("unhandledrejection", (e) => window.__thrown.push(String(e.reason)));
    Storage.prototype.setItem = function () {
      throw new DOMException("Failed to execute 'setItem' on 'Storage': the quota has been exceeded.", "QuotaExceededError");
    };
  });
  await p.goto(`${server.url}/`);
  assert.equal(await ready(p), true);
  assert.deepEqual((await p.evaluate(() => Shoppable.cart.items())).map((i) => [i.item_id, i.quantity]), [[scarf.id, 2]],
    "the stored cart is read");
  await p.evaluate((id) => Shoppable.cart.add(id, 3), earrings.id);
  await p.evaluate((id) => Shoppable.cart.setQuantity(id, 1), scarf.id);
  await p.locator("[data-shoppable-cart-toggle]").click();
  await p.locator(`[data-shoppable-cart] [data-shoppable-line="${earrings.id}"] [data-shoppable-inc]`).click();
  await until(() => p.locator("[data-shoppable-cart-count]").textContent(), "5", "the count follows in memory");
  await p.locator(`[data-shoppable-cart] [data-shoppable-line="${scarf.id}"] [data-shoppable-remove]`).click();
  await until(() => p.locator("[data-shoppable-cart-count]").textContent(), "4");
  assert.deepEqual(await p.evaluate(() => Shoppable.cart.items().map((i) => [i.item_id, i.quantity])), [[earrings.id, 4]]);
  assert.equal(await p.evaluate((k) => JSON.parse(localStorage.getItem(k)).lines.length, storageKey), 1,
    "storage still holds the old cart (writes were refused)");
  assert.equal(shopWarnings(p).length, 1, `exactly one warning: ${JSON.stringify(p.logs)}`);
  assert.deepEqual(errors(p), []);
  assert.deepEqual(await p.evaluate(() => window.__thrown), [], "nothing thrown to the page");
  await p.context().close();
});

test("a window.localStorage getter that throws (sandboxed frame): the widget works, one warning", async () => {
  const p = await newPage(browser);
  await recordEvents(p);
  await p.addInitScript(() => {
    window.__thrown = [];
    addEventListener("error", (e) => window.__thrown.push(String(e.message)));
    addEventListener("unhandledrejection", (e) => window.__thrown.push(String(e.reason)));
    Object.defineProperty(window, "localStorage", {
      configurable: true,
      get() { throw new DOMException("The document is sandboxed and lacks the 'allow-same-origin' flag.", "SecurityError"); },
    });
  });
  await p.goto(`${server.url}/`);
  assert.equal(await p.evaluate(() => { try { void window.localStorage; return "readable"; } catch (e) { return e.name; } }), "SecurityError",
    "the getter throws on the page");
  assert.equal(await ready(p), true);
  await fillCart(p, 2);
  await p.locator(`[data-shoppable-cart] [data-shoppable-line="${earrings.id}"] [data-shoppable-dec]`).click();
  await until(() => p.locator("[data-shoppable-cart-count]").textContent(), "2", "the count follows in memory");
  const before = (await orders(server)).length;
  const result = await p.evaluate(() => Shoppable.checkout());
  assert.match(result.order_id, /\S/, "checkout works");
  assert.equal((await orders(server)).length, before + 1);
  assert.deepEqual(await p.evaluate(() => Shoppable.cart.items()), [], "the ordered cart is cleared");
  assert.equal(shopWarnings(p).length, 1, `exactly one warning: ${JSON.stringify(p.logs)}`);
  assert.deepEqual(errors(p), []);
  assert.deepEqual(await p.evaluate(() => window.__thrown), [], "nothing thrown to the page");
  assert.deepEqual(await events(p, "error"), []);
  await p.context().close();
});

/** The demo config with `change` applied to a deep copy. */
function changed(change) {
  const c = structuredClone(demo);
  change(c);
  return c;
}

test("a restored cart takes its prices from the current config", async () => {
  const p = await newPage(browser);
  await recordEvents(p);
  let config = demo;
  const url = await serve(p, "/t/cart-reprice.html", () => pageWith(config));
  await p.goto(url);
  assert.equal(await ready(p), true);
  await p.evaluate(([a, b]) => { Shoppable.cart.add(a, 2); Shoppable.cart.add(b, 1); }, [scarf.id, earrings.id]);
  const before = await p.evaluate(() => Shoppable.cart.items());
  assert.equal(before.find((i) => i.item_id === scarf.id).unit_price, scarf.price);

  const newPrice = "149.50";
  config = changed((c) => { c.products.find((x) => x.id === scarf.id).price = newPrice; });
  await p.reload();
  assert.equal(await ready(p), true);
  const items = await p.evaluate(() => Shoppable.cart.items());
  assert.deepEqual(items.map((i) => [i.item_id, i.quantity, i.unit_price]),
    [[scarf.id, 2, newPrice], [earrings.id, 1, earrings.price]], "the scarf at its new price");
  const want = (2 * 14950 + Number(earrings.price) * 100) / 100;
  assert.equal(Number(await p.evaluate(() => Shoppable.cart.subtotal())), want, "cart.subtotal() follows");
  await p.evaluate(() => Shoppable.openCart());
  const line = p.locator(`[data-shoppable-cart] [data-shoppable-line="${scarf.id}"]`);
  await line.waitFor({ state: "visible" });
  assert.equal(amount(await line.locator("[data-shoppable-price]").textContent()), Number(newPrice), "the line shows the new price");
  assert.equal(amount(await p.locator("[data-shoppable-subtotal]").textContent()), want, "the shown subtotal follows");
  assert.deepEqual(errors(p), []);
  await p.context().close();
});

test("a tag's card and an add made before the widget's first frame keep the stored cart", async () => {
  // The stored cart is read after the first frame (src/app.rs `load_cart`); every handler
  // that reads or changes the cart reads it first, or the add below would be saved over it.
  const p = await newPage(browser);
  const url = await serve(p, "/t/cart-early.html", () => pageWith(demo, '<div data-shoppable-post="eid-lookbook-2" style="width:420px"></div>'));
  await p.goto(url);
  assert.equal(await ready(p), true);
  await p.evaluate((id) => Shoppable.cart.add(id, 2), earrings.id);
  // After the reload: as soon as `start` has rendered the post (its state attribute, whose
  // mutation record comes in that same task), the scarf's tag and the card's add are clicked.
  await p.addInitScript((scarfId) => {
    new MutationObserver((records, observer) => {
      const host = records.map((r) => r.target).find((t) => t.getAttribute?.("data-shoppable-state") === "ready");
      if (!host) return;
      observer.disconnect();
      host.shadowRoot.querySelector(`[data-shoppable-tag="${scarfId}"]`).click();
      document.querySelector("shoppable-ui").shadowRoot.querySelector("[data-shoppable-card] [data-shoppable-add]").click();
      window.__early = true;
    }).observe(document, { subtree: true, attributeFilter: ["data-shoppable-state"] });
  }, scarf.id);
  await p.reload();
  assert.equal(await ready(p), true);
  assert.ok(await p.evaluate(() => window.__early), "the early clicks were made");
  const items = await p.evaluate(() => Shoppable.cart.items());
  assert.deepEqual(items.map((i) => [i.item_id, i.quantity]).sort(), [[earrings.id, 2], [scarf.id, 1]].sort());
  await p.context().close();
});

test("a restored cart drops, silently, a line whose item left the config", async () => {
  const p = await newPage(browser);
  await recordEvents(p);
  let config = demo;
  const url = await serve(p, "/t/cart-gone.html", () => pageWith(config));
  await p.goto(url);
  assert.equal(await ready(p), true);
  await p.evaluate(([a, b]) => { Shoppable.cart.add(a, 2); Shoppable.cart.add(b, 1); }, [scarf.id, earrings.id]);

  // The earrings leave the catalog (and the post that tagged them).
  config = changed((c) => {
    c.products = c.products.filter((x) => x.id !== earrings.id);
    for (const post of c.posts) for (const m of post.media) m.tags = m.tags.filter((t) => t.product !== earrings.id);
  });
  await p.reload();
  assert.equal(await ready(p), true, "the changed config is valid");
  assert.deepEqual((await p.evaluate(() => Shoppable.cart.items())).map((i) => [i.item_id, i.quantity]), [[scarf.id, 2]]);
  assert.equal(Number(await p.evaluate(() => Shoppable.cart.subtotal())), 2 * Number(scarf.price));
  await until(() => p.locator("[data-shoppable-cart-count]").textContent(), "2", "the count leaves the dropped line out");
  await p.evaluate(() => Shoppable.openCart());
  await p.locator(`[data-shoppable-cart] [data-shoppable-line="${scarf.id}"]`).waitFor({ state: "visible" });
  assert.equal(await p.locator(`[data-shoppable-cart] [data-shoppable-line="${earrings.id}"]`).count(), 0);
  assert.equal(amount(await p.locator("[data-shoppable-subtotal]").textContent()), 2 * Number(scarf.price));
  assert.deepEqual(errors(p), [], "no error logged");
  assert.deepEqual(await events(p, "error"), [], "no shoppable:error");
  // And a checkout of what is left goes through.
  const result = await p.evaluate(() => Shoppable.checkout());
  assert.match(result.order_id, /\S/);
  await p.context().close();
});

test("a stepper's change or a typed quantity is said to a screen reader: the new quantity, and in the cart the new subtotal", async () => {
  const p = await newPage(browser);
  const post = demo.posts.find((x) => x.media[0].tags.some((t) => t.product === scarf.id));
  await p.goto(await routePage(p, server, "/t/said.html", pageWith(demo, `<div data-shoppable-post="${post.id}" style="width:420px"></div>`)));
  assert.equal(await ready(p), true);
  const status = p.locator("[data-shoppable-status]");
  const quiet = () => p.evaluate(() => {
    const s = document.querySelector("shoppable-ui").shadowRoot.querySelector("[data-shoppable-status]");
    const r = s.getBoundingClientRect();
    return r.width <= 1 && r.height <= 1;
  });
  // The card's stepper: the quantity to add.
  await p.locator(`[data-shoppable-tag="${scarf.id}"]`).first().click();
  await p.locator("[data-shoppable-card] [data-shoppable-card-inc]").click();
  await until(() => status.textContent(), `${scarf.title}: 2`, "the card's +");
  assert.ok(await quiet(), "said, not shown: the field shows it");
  await p.keyboard.press("Escape");
  // A cart line's − and +: the line's quantity and the subtotal, as the panel shows it.
  await p.evaluate((id) => Shoppable.cart.add(id, 3), scarf.id);
  await p.evaluate(() => Shoppable.openCart());
  const line = p.locator(`[data-shoppable-line="${scarf.id}"]`);
  await line.locator("[data-shoppable-dec]").click();
  const subtotal = () => p.locator("[data-shoppable-subtotal]").textContent();
  await until(() => status.textContent(), `${scarf.title}: 2. Subtotal: ${await subtotal()}`, "the line's −");
  assert.equal(amount(await subtotal()), 2 * Number(scarf.price));
  await line.locator("[data-shoppable-inc]").click();
  await until(() => status.textContent(), `${scarf.title}: 3. Subtotal: ${await subtotal()}`, "the line's +");
  assert.equal(amount(await subtotal()), 3 * Number(scarf.price));
  assert.ok(await quiet());
  assert.equal(await p.evaluate(() => document.querySelector("shoppable-ui").shadowRoot.activeElement?.hasAttribute("data-shoppable-inc")), true, "focus stays on +");
  // A typed quantity, corrected: what the line holds now.
  await line.locator("[data-shoppable-qty]").fill("0");
  await line.locator("[data-shoppable-qty]").press("Tab");
  // (The lines are drawn again a task later, once Tab has moved focus on.)
  await until(async () => amount(await subtotal()), Number(scarf.price), "the subtotal after a typed 0, made 1");
  await until(() => status.textContent(), `${scarf.title}: 1. Subtotal: ${await subtotal()}`, "a typed 0, made 1");
  await p.context().close();
});

test("at 99 of an item, the card's add and the cart's + say so instead of doing nothing", async () => {
  const p = await newPage(browser);
  await recordEvents(p);
  // A post whose first image tags a product without variants that is in stock.
  const simpleIds = new Set(inStockSimple(demo).map((x) => x.id));
  const post = demo.posts.find((x) => x.media[0].tags.some((t) => simpleIds.has(t.product)));
  const product = { id: post.media[0].tags.find((t) => simpleIds.has(t.product)).product };
  await p.goto(await routePage(p, server, "/t/limit.html", pageWith(demo, `<div data-shoppable-post="${post.id}" style="width:420px"></div>`)));
  assert.equal(await ready(p), true);
  await p.evaluate((id) => Shoppable.cart.add(id, 99), product.id);
  const status = p.locator("[data-shoppable-status]");
  await p.locator(`[data-shoppable-tag="${product.id}"]`).first().click();
  await p.locator("[data-shoppable-card] [data-shoppable-add]").click();
  await until(() => status.textContent(), "The cart holds at most 99 of each item", "the card's add");
  await p.keyboard.press("Escape");
  await p.evaluate(() => Shoppable.openCart());
  await p.evaluate(() => document.querySelector("shoppable-ui").shadowRoot.querySelector("[data-shoppable-status]").textContent = "");
  await p.locator(`[data-shoppable-line="${product.id}"] [data-shoppable-inc]`).click();
  await until(() => status.textContent(), "The cart holds at most 99 of each item", "the cart's +");
  assert.deepEqual(await p.evaluate(() => Shoppable.cart.items().map((l) => l.quantity)), [99]);
  assert.equal((await events(p, "add-to-cart")).length, 1, "only the API's add was an add");
  await p.context().close();
});

test("the cart API throws an Error that says what is wrong, and changes nothing", async () => {
  const p = await newPage(browser);
  await p.goto(await routePage(p, server, "/t/api-errors.html", pageWith(demo)));
  assert.equal(await ready(p), true);
  const withVariants = demo.products.find((x) => x.variants?.length);
  const results = await p.evaluate(([scarfId, variantsId, otherId]) => {
    const attempt = (f) => { try { return { returned: f() }; } catch (e) { return { isError: e instanceof Error, message: e.message }; } };
    const c = Shoppable.cart;
    const out = {
      add: attempt(() => c.add(scarfId, 2)),
      unknown: attempt(() => c.add("no-such-item")),
      zero: attempt(() => c.add(scarfId, 0)),
      fraction: attempt(() => c.add(scarfId, 1.5)),
      tooMany: attempt(() => c.add(scarfId, 100)),
      product: attempt(() => c.add(variantsId)),
      setNegative: attempt(() => c.setQuantity(scarfId, -1)),
      setMissing: attempt(() => c.setQuantity("no-such-item", 3)),
      removeMissing: attempt(() => c.remove("no-such-item")),
      removeNotInCart: attempt(() => c.remove(otherId)),
      numberId: attempt(() => c.add(42)),
      objectId: attempt(() => c.setQuantity({}, 1)),
      noId: attempt(() => c.remove()),
      stringQuantity: attempt(() => c.add(scarfId, "2")),
      nullQuantity: attempt(() => c.setQuantity(scarfId, null)),
      open: attempt(() => Shoppable.openCart()),
      close: attempt(() => Shoppable.closeCart()),
    };
    out.items = c.items().map((l) => [l.item_id, l.quantity]);
    out.subtotal = c.subtotal();
    return out;
  }, [scarf.id, withVariants.id, earrings.id]);
  assert.deepEqual(results.add, { returned: 2 }, "a good add returns the quantity it added");
  for (const [name, pattern] of [
    ["unknown", /no-such-item/],
    ["zero", /^quantity 0 is not a whole number from 1 to 99$/],
    ["fraction", /^quantity 1\.5 is not a whole number from 1 to 99$/],
    ["tooMany", /^quantity 100 is not a whole number from 1 to 99$/],
    ["product", new RegExp(withVariants.id)],
    ["setNegative", /^quantity -1 is not a whole number from 0 to 99$/],
    ["setMissing", /"no-such-item" is not in the cart/],
    ["removeMissing", /^"no-such-item" is not an item of this shop$/],
    // Wrong types: a TypeError naming the argument, not a crash inside the wasm.
    ["numberId", /^item_id must be a string, not number$/],
    ["objectId", /^item_id must be a string, not object$/],
    ["noId", /^item_id must be a string, not undefined$/],
    ["stringQuantity", /^quantity must be a number, not string$/],
    ["nullQuantity", /^quantity must be a number, not object$/],
  ]) {
    assert.equal(results[name].isError, true, `${name}: throws an Error (${JSON.stringify(results[name])})`);
    assert.match(results[name].message, pattern, name);
  }
  assert.deepEqual(results.removeNotInCart, { returned: undefined }, "removing an item that is not in the cart is not an error");
  assert.deepEqual(results.open, { returned: undefined }, "openCart returns undefined");
  assert.deepEqual(results.close, { returned: undefined }, "closeCart returns undefined");
  assert.deepEqual(results.items, [[scarf.id, 2]], "only the good add changed the cart");
  assert.equal(results.subtotal, (Number(scarf.price) * 2).toFixed(2));
  assert.deepEqual(errors(p), [], "nothing reached the console as an error");
  await p.context().close();
});
