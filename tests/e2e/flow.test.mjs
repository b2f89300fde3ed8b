// The whole shopper flow on the demo pages against the reference server: tags, card,
// cart, checkout, order stored; plus RTL and phone layouts, with screenshots.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch, newPage, ready, recordEvents, orders, screenshot, demoConfig, inStockSimple } from "./harness.mjs";

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

/** Clicks tags until one opens a card whose add button is enabled; returns its product id. */
async function openBuyableTag(page) {
  // Handles, not `nth(i)`: a locator is re-resolved at each use, and the set of visible
  // tags grows while later posts render.
  const tags = await page.locator("[data-shoppable-tag]").filter({ visible: true }).elementHandles();
  for (const tag of tags) {
    await tag.scrollIntoViewIfNeeded();
    await tag.click();
    const add = page.locator("[data-shoppable-card] [data-shoppable-add]");
    await add.waitFor();
    if (await add.isEnabled()) return tag.getAttribute("data-shoppable-tag");
    await page.keyboard.press("Escape");
  }
  throw new Error("no tag opens a purchasable product");
}

test("a shopper buys from the English demo page", async () => {
  const page = await newPage(browser);
  await recordEvents(page);
  await page.goto(`${server.url}/`);
  assert.equal(await ready(page), true);
  // `ready` means every mount on the page is rendered, far ones included.
  const states = await page.evaluate(() => [...document.querySelectorAll("[data-shoppable-post], shoppable-post")]
    .map((m) => [m.getAttribute("data-shoppable-post") ?? m.getAttribute("post-id"), m.getAttribute("data-shoppable-state")]));
  assert.deepEqual(states.filter(([, state]) => state !== "ready"), [], "every mount is rendered");
  for (const post of ["eid-lookbook-1", "eid-lookbook-2", "eid-lookbook-3"]) {
    assert.ok(states.some(([id]) => id === post), `${post} is on the page`);
  }
  assert.ok(await page.locator("[data-shoppable-tag]").filter({ visible: true }).count() >= 5);
  await screenshot(page, "en-desktop-tags");

  const productId = await openBuyableTag(page);
  const card = page.locator("[data-shoppable-card]");
  await card.waitFor({ state: "visible" });
  assert.match(await card.locator("[data-shoppable-price]").first().textContent(), /\d/);
  await screenshot(page, "en-desktop-card");
  const opened = await page.evaluate(() => window.__events.filter((e) => e.name === "tag-open"));
  assert.equal(opened.at(-1).detail.product_id, productId);

  await card.locator("[data-shoppable-add]").click();
  await page.locator("[data-shoppable-cart-count]").filter({ hasText: "1" }).waitFor();
  assert.match(await page.locator("[data-shoppable-status]").textContent(), /Added/);
  const added = await page.evaluate(() => window.__events.find((e) => e.name === "add-to-cart").detail);
  assert.equal(added.quantity, 1);
  assert.match(added.post_id, /^eid-lookbook-/);

  await page.keyboard.press("Escape");
  await page.locator("[data-shoppable-cart-toggle]").click();
  const panel = page.locator("[data-shoppable-cart]");
  await panel.waitFor({ state: "visible" });
  const [item] = await page.evaluate(() => Shoppable.cart.items());
  const line = panel.locator(`[data-shoppable-line="${item.item_id}"]`);
  await line.locator("[data-shoppable-inc]").click();
  assert.equal(await line.locator("[data-shoppable-qty]").inputValue(), "2");
  const subtotal = await page.evaluate(() => Shoppable.cart.subtotal());
  const shown = (await page.locator("[data-shoppable-subtotal]").textContent()).replace(/[^\d.]/g, "");
  assert.equal(Number(shown), Number(subtotal));
  await screenshot(page, "en-desktop-cart");

  await panel.locator("[data-shoppable-checkout]").click();
  await page.locator("[data-shoppable-status]").filter({ hasText: /order/i }).waitFor();
  const stored = await orders(server);
  assert.equal(stored.length, 1);
  assert.match(stored[0].idempotency_key, /^[0-9a-f-]{36}$/);
  const success = await page.evaluate(() => window.__events.find((e) => e.name === "checkout-success").detail);
  assert.equal(success.order_id, stored[0].order_id);
  assert.match(await page.locator("[data-shoppable-status]").textContent(), new RegExp(stored[0].order_id));
  assert.deepEqual(await page.evaluate(() => Shoppable.cart.items()), []);
  assert.equal(await page.locator("[data-shoppable-cart-count]").textContent(), "0");
  assert.ok(await page.locator("[data-shoppable-checkout]").isDisabled(), "empty cart cannot check out");
  const lines = typeof stored[0].lines === "string" ? JSON.parse(stored[0].lines) : stored[0].lines;
  assert.equal(lines[0].item_id, item.item_id);
  assert.equal(lines[0].quantity, 2);
  await screenshot(page, "en-desktop-ordered");
  assert.deepEqual(page.logs.filter((l) => l.type === "error" || l.type === "pageerror"), []);
  await page.context().close();
});

test("Arabic page mirrors the widget: RTL root, cart panel on the left, Arabic UI", async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/ar.html`);
  assert.equal(await ready(page), true);
  assert.equal(await page.locator("shoppable-ui .root").getAttribute("dir"), "rtl");
  await screenshot(page, "ar-desktop-tags");
  await openBuyableTag(page);
  await page.locator("[data-shoppable-card]").waitFor({ state: "visible" });
  assert.equal(await page.locator("[data-shoppable-add]").textContent(), "أضف إلى السلة");
  await screenshot(page, "ar-desktop-card");
  await page.locator("[data-shoppable-add]").click();
  await page.keyboard.press("Escape");
  await page.locator("[data-shoppable-cart-toggle]").click();
  const box = await page.locator("[data-shoppable-cart]").boundingBox();
  assert.equal(box.x, 0, "the cart panel hugs the left edge in RTL");
  const toggle = await page.locator("[data-shoppable-cart-toggle]").boundingBox();
  assert.ok(toggle.x < 640, "the cart button sits bottom-left in RTL");
  await screenshot(page, "ar-desktop-cart");
  await page.context().close();
});

for (const [name, path] of [["en", "/"], ["ar", "/ar.html"]]) {
  test(`${name} at phone width: the card is a bottom sheet`, async () => {
    const page = await newPage(browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await page.goto(`${server.url}${path}`);
    assert.equal(await ready(page), true);
    await screenshot(page, `${name}-phone-tags`);
    await openBuyableTag(page);
    const box = await page.locator("[data-shoppable-card]").boundingBox();
    assert.equal(box.x, 0);
    assert.equal(box.width, 360);
    assert.ok(Math.abs(box.y + box.height - 740) <= 1, "the sheet sits on the bottom edge");
    await screenshot(page, `${name}-phone-card`);
    await page.locator("[data-shoppable-add]").click();
    await page.locator("[data-shoppable-card] [data-shoppable-close]").click();
    await page.locator("[data-shoppable-cart-toggle]").click();
    await page.locator("[data-shoppable-cart]").waitFor({ state: "visible" });
    await screenshot(page, `${name}-phone-cart`);
    await page.context().close();
  });
}

test("the cart survives a reload and is shared by every mount", async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/`);
  await ready(page);
  await openBuyableTag(page);
  await page.locator("[data-shoppable-add]").click();
  const before = await page.evaluate(() => Shoppable.cart.items());
  await page.reload();
  assert.equal(await ready(page), true);
  assert.deepEqual(await page.evaluate(() => Shoppable.cart.items()), before);
  assert.equal(await page.locator("[data-shoppable-cart-count]").textContent(), "1");
  await page.context().close();
});

test("keyboard alone: Tab to a tag, Enter opens, Escape closes and returns focus", async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/`);
  await ready(page);
  const tag = page.locator("shoppable-overlay").first().locator("[data-shoppable-tag]").first();
  await tag.focus();
  await page.keyboard.press("Enter");
  await page.locator("[data-shoppable-card]").waitFor({ state: "visible" });
  // Focus moves in once the card is painted (see dom::focus_after_paint).
  const inCard = await page.waitForFunction(() => {
    const ui = document.querySelector("shoppable-ui").shadowRoot;
    return ui.activeElement?.closest("[data-shoppable-card]") != null;
  }, null, { timeout: 2000 }).then(() => true, () => false);
  assert.ok(inCard, "focus moved into the card");
  await page.keyboard.press("Escape");
  await page.locator("[data-shoppable-card]").waitFor({ state: "hidden" });
  const focusedTag = await page.evaluate(() => {
    for (const host of document.querySelectorAll("shoppable-overlay, [data-shoppable-post], shoppable-post")) {
      const a = host.shadowRoot?.activeElement;
      if (a) return a.getAttribute("data-shoppable-tag");
    }
    return null;
  });
  assert.equal(focusedTag, await tag.getAttribute("data-shoppable-tag"));
  await page.context().close();
});

test("tags are in reading order (left to right, right to left in Arabic); Tab cycles inside an open card", async () => {
  for (const [path, rtl] of [["/", false], ["/ar.html", true]]) {
    const page = await newPage(browser);
    await page.goto(`${server.url}${path}`);
    await ready(page);
    // The first post's tags stand in one row, listed left to right in the config.
    const xs = await page.locator("shoppable-overlay").first().locator("[data-shoppable-tag]")
      .evaluateAll((tags) => tags.map((t) => t.getBoundingClientRect().x));
    const sorted = [...xs].sort((a, b) => (rtl ? b - a : a - b));
    assert.deepEqual(xs, sorted, `${path}: the tags' order in the page (Tab, screen readers) follows the reading direction`);
    // Space opens too; then Tab and Shift+Tab stay in the card until Escape.
    const first = page.locator("shoppable-overlay").first().locator("[data-shoppable-tag]").first();
    await first.focus();
    await page.keyboard.press(" ");
    await page.locator("[data-shoppable-card]").waitFor({ state: "visible" });
    const inCard = () => page.evaluate(() => document.querySelector("shoppable-ui").shadowRoot.activeElement?.closest("[data-shoppable-card]") != null);
    await page.waitForFunction(() => document.querySelector("shoppable-ui").shadowRoot.activeElement?.closest("[data-shoppable-card]") != null,
      null, { timeout: 2000 });
    for (const key of ["Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab"]) {
      await page.keyboard.press(key);
      assert.ok(await inCard(), `${path}: ${key} left the open card`);
      // Whatever has keyboard focus shows a ring.
      const ring = await page.evaluate(() => {
        const a = document.querySelector("shoppable-ui").shadowRoot.activeElement;
        const s = getComputedStyle(a);
        return a.matches(":focus-visible") && s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
      });
      assert.ok(ring, `${path}: a visible focus ring after ${key}`);
    }
    await page.keyboard.press("Escape");
    await page.locator("[data-shoppable-card]").waitFor({ state: "hidden" });
    // Back on the tag, with its ring (a white outline and an accent halo).
    const tagRing = await first.evaluate((t) => {
      const s = getComputedStyle(t);
      return t.matches(":focus-visible") && s.outlineStyle !== "none" && s.boxShadow !== "none";
    });
    assert.ok(tagRing, `${path}: the tag shows its focus ring again`);
    await page.context().close();
  }
});

test("the cart dialog by keyboard: focus moves in, Tab stays inside, Escape returns to the button", async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/`);
  await ready(page);
  await page.evaluate((id) => Shoppable.cart.add(id, 1), inStockSimple(demoConfig("en"))[0].id);
  const toggle = page.locator("[data-shoppable-cart-toggle]");
  await toggle.focus();
  await page.keyboard.press("Enter");
  await page.locator("[data-shoppable-cart]").waitFor({ state: "visible" });
  // What has focus, described by the widget's own hooks (the UI lives in a shadow root).
  const focused = () => page.evaluate(() => {
    const a = document.querySelector("shoppable-ui").shadowRoot.activeElement;
    if (!a) return null;
    const hook = [...a.attributes].find((x) => x.name.startsWith("data-shoppable-"));
    return { hook: hook ? hook.name : a.tagName, inPanel: !!a.closest("[data-shoppable-cart]") };
  });
  await page.waitForFunction(() => document.querySelector("shoppable-ui").shadowRoot.activeElement?.closest("[data-shoppable-cart]") != null,
    null, { timeout: 2000 });
  const seen = new Set();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    const f = await focused();
    assert.ok(f?.inPanel, `Tab ${i + 1} left the cart dialog: ${JSON.stringify(f)}`);
    seen.add(f.hook);
  }
  for (const hook of ["data-shoppable-close", "data-shoppable-qty", "data-shoppable-checkout"]) {
    assert.ok(seen.has(hook), `Tab reached ${hook} (saw ${[...seen].join(", ")})`);
  }
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Shift+Tab");
    assert.ok((await focused())?.inPanel, `Shift+Tab ${i + 1} left the cart dialog`);
  }
  await page.keyboard.press("Escape");
  await page.locator("[data-shoppable-cart]").waitFor({ state: "hidden" });
  assert.deepEqual(await focused(), { hook: "data-shoppable-cart-toggle", inPanel: false });
  // Opened by the page's own button (Shoppable.openCart), closing returns focus to it.
  await page.evaluate(() => {
    const b = document.createElement("button");
    b.id = "my-bag";
    b.textContent = "Bag";
    b.onclick = () => Shoppable.openCart();
    document.body.prepend(b);
  });
  await page.locator("#my-bag").focus();
  await page.keyboard.press("Enter");
  await page.locator("[data-shoppable-cart]").waitFor({ state: "visible" });
  await page.waitForFunction(() => document.activeElement?.localName === "shoppable-ui");
  await page.keyboard.press("Escape");
  await page.locator("[data-shoppable-cart]").waitFor({ state: "hidden" });
  assert.equal(await page.evaluate(() => document.activeElement?.id), "my-bag");
  await page.context().close();
});
