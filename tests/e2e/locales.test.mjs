// Markets (issue 6): digits, plural forms, mirrored card placement, ordering by WhatsApp,
// and every demo locale at phone width with screenshots.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch, newPage, ready, recordEvents, routePage, screenshot, demoConfig, inStockSimple as simple } from "./harness.mjs";

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const ar = demoConfig("ar");
const en = demoConfig("en");

function html(config, lang = "en", dir = "ltr") {
  return `<!doctype html><html lang="${lang}" dir="${dir}"><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><body>
<div data-shoppable-post="eid-lookbook-3" style="width:420px;margin:40px auto"></div>
<script type="application/json" data-shoppable-config>${JSON.stringify(config)}</script>
<script src="/dist/shoppable.js" defer></script></body></html>`;
}

const ARABIC_INDIC = /[\u0660-\u0669]/;
const LATIN = /[0-9]/;

test("a tag names a product that cannot be bought as sold out, in the shop's language", async () => {
  for (const [path, soldOut] of [["/", ", Sold out"], ["/ar.html", "، نفدت الكمية"]]) {
    const page = await newPage(browser);
    await page.goto(`${server.url}${path}`);
    assert.equal(await ready(page), true);
    const label = (id) => page.locator(`[data-shoppable-tag="${id}"]`).first().getAttribute("aria-label");
    assert.ok((await label("perfume-oud")).endsWith(soldOut), `${path}: ${await label("perfume-oud")}`);
    // In stock, or some variant in stock: no such word.
    assert.ok(!(await label("scarf-silk")).includes(soldOut.slice(2)), `${path}: ${await label("scarf-silk")}`);
    assert.ok(!(await label("abaya-classic")).includes(soldOut.slice(2)), `${path}: ${await label("abaya-classic")}`);
    await page.context().close();
  }
});

test("shop.digits: Western digits in an Arabic shop, Arabic-Indic digits in an English one", async () => {
  const page = await newPage(browser);
  await page.goto(await routePage(page, server, "/t/latn.html", html({ ...ar, shop: { ...ar.shop, digits: "latn" } }, "ar", "rtl")));
  assert.equal(await ready(page), true);
  const label = await page.locator("[data-shoppable-tag]").first().getAttribute("aria-label");
  assert.match(label, LATIN);
  assert.doesNotMatch(label, ARABIC_INDIC);
  await page.evaluate((id) => Shoppable.cart.add(id, 12), simple(ar)[0].id);
  assert.equal(await page.locator("[data-shoppable-cart-count]").textContent(), "12");
  await page.context().close();

  const arab = await newPage(browser);
  await arab.goto(await routePage(arab, server, "/t/arab.html", html({ ...en, shop: { ...en.shop, digits: "arab" } })));
  assert.equal(await ready(arab), true);
  const enLabel = await arab.locator("[data-shoppable-tag]").first().getAttribute("aria-label");
  assert.match(enLabel, ARABIC_INDIC);
  assert.doesNotMatch(enLabel, LATIN);
  await arab.evaluate((id) => Shoppable.cart.add(id, 12), simple(en)[0].id);
  assert.equal(await arab.locator("[data-shoppable-cart-count]").textContent(), "١٢");
  await arab.evaluate(() => Shoppable.openCart());
  const qty = arab.locator(`[data-shoppable-line="${simple(en)[0].id}"] [data-shoppable-qty]`);
  assert.equal(await qty.inputValue(), "١٢", "the quantity field uses the shop's digits");
  // Typed Arabic-Indic (or Persian) digits are read as numbers.
  await qty.fill("٣");
  await qty.press("Enter");
  await qty.blur();
  await arab.waitForFunction(() => Shoppable.cart.items()[0].quantity === 3);
  await arab.context().close();

  // A Persian shop asking for `arab` gets Persian's own forms (۱۲, not ١٢).
  const fa = await newPage(browser);
  await fa.goto(await routePage(fa, server, "/t/arab-fa.html", html({ ...ar, shop: { ...ar.shop, locale: "fa-IR", digits: "arab" } }, "fa", "rtl")));
  assert.equal(await ready(fa), true);
  await fa.evaluate((id) => Shoppable.cart.add(id, 12), simple(ar)[0].id);
  assert.equal(await fa.locator("[data-shoppable-cart-count]").textContent(), "۱۲");
  await fa.context().close();
});

test("language packs: an Arabic shop fetches only Arabic, an English one none, and a missing pack leaves English", async () => {
  const packsOf = (page) => { const urls = []; page.on("request", (r) => { if (r.url().includes("/i18n/")) urls.push(new URL(r.url()).pathname); }); return urls; };
  const page = await newPage(browser);
  const arPacks = packsOf(page);
  await page.goto(await routePage(page, server, "/t/pack-ar.html", html(ar, "ar", "rtl")));
  assert.equal(await ready(page), true);
  assert.deepEqual(arPacks, ["/dist/i18n/ar.json"]);
  const checkout = (p) => p.locator("[data-shoppable-checkout]").textContent();
  assert.equal(await checkout(page), "إتمام الطلب");
  await page.context().close();

  const english = await newPage(browser);
  const enPacks = packsOf(english);
  await english.goto(await routePage(english, server, "/t/pack-en.html", html(en)));
  assert.equal(await ready(english), true);
  assert.deepEqual(enPacks, [], "English is built into the wasm");
  await english.context().close();

  // The pack cannot be had: the shop still works, in English, still right to left.
  const lost = await newPage(browser);
  await lost.context().route("**/i18n/*.json", (r) => r.fulfill({ status: 404, body: "" }));
  await lost.goto(await routePage(lost, server, "/t/pack-lost.html", html(ar, "ar", "rtl")));
  assert.equal(await ready(lost), true);
  assert.equal(await checkout(lost), "Checkout");
  assert.equal(await lost.locator("shoppable-ui .root").getAttribute("dir"), "rtl");
  assert.ok(lost.logs.some((l) => l.type === "warning" && /no ar language pack \(HTTP 404\)/.test(l.text)), JSON.stringify(lost.logs));
  await lost.context().close();

  // A pack whose download stalls: English after the loader's 5 s, not a widget that never starts.
  const stalled = await newPage(browser);
  await stalled.context().route("**/i18n/*.json", () => {}); // never answered
  await stalled.goto(await routePage(stalled, server, "/t/pack-stalled.html", html(ar, "ar", "rtl")));
  assert.equal(await ready(stalled), true);
  assert.equal(await checkout(stalled), "Checkout");
  assert.ok(stalled.logs.some((l) => l.type === "warning" && /no ar language pack/.test(l.text)), JSON.stringify(stalled.logs));
  await stalled.context().close();
});

test("plural forms: Arabic's six categories and English's two, through Intl.PluralRules", async () => {
  const page = await newPage(browser);
  await page.goto(await routePage(page, server, "/t/plural-ar.html", html({ ...ar, shop: { ...ar.shop, digits: "latn" } }, "ar", "rtl")));
  assert.equal(await ready(page), true);
  const [a, b] = simple(ar);
  const label = async (qa, qb = 0) => {
    await page.evaluate(([a, b, qa, qb]) => {
      Shoppable.cart.clear();
      if (qa) Shoppable.cart.add(a, qa);
      if (qb) Shoppable.cart.add(b, qb);
    }, [a.id, b.id, qa, qb]);
    return page.locator("[data-shoppable-cart-toggle]").getAttribute("aria-label");
  };
  // Six forms, each starting with the button's visible text (WCAG 2.5.3).
  assert.equal(await label(0), "السلة 0: فارغة");
  assert.equal(await label(1), "السلة 1: منتج واحد");
  assert.equal(await label(2), "السلة 2: منتجان");
  assert.equal(await label(3), "السلة 3 منتجات");
  assert.equal(await label(10), "السلة 10 منتجات");
  assert.equal(await label(11), "السلة 11 منتجًا");
  assert.equal(await label(99, 1), "السلة 100 منتج");
  await page.context().close();

  const e = await newPage(browser);
  await e.goto(await routePage(e, server, "/t/plural-en.html", html(en)));
  assert.equal(await ready(e), true);
  await e.evaluate((id) => Shoppable.cart.add(id), simple(en)[0].id);
  assert.equal(await e.locator("[data-shoppable-cart-toggle]").getAttribute("aria-label"), "Cart 1 item");
  await e.evaluate((id) => Shoppable.cart.add(id), simple(en)[0].id);
  assert.equal(await e.locator("[data-shoppable-cart-toggle]").getAttribute("aria-label"), "Cart 2 items");
  await e.context().close();
});

test("the card opens toward the reading direction's end and flips the other way at the edge", async () => {
  const sides = {};
  for (const [name, config, lang, dir] of [["en", en, "en", "ltr"], ["ar", ar, "ar", "rtl"]]) {
    const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    // One post in the middle, one hard against each edge.
    const body = `<!doctype html><html lang="${lang}" dir="${dir}"><meta charset="utf-8"><body style="margin:0">
<div style="display:flex;justify-content:space-between;gap:20px">
<div data-shoppable-post="eid-lookbook-3" id="left" style="width:300px"></div>
<div data-shoppable-post="eid-lookbook-3" id="mid" style="width:300px"></div>
<div data-shoppable-post="eid-lookbook-3" id="right" style="width:300px"></div></div>
<script type="application/json" data-shoppable-config>${JSON.stringify(config)}</script>
<script src="/dist/shoppable.js" defer></script></body></html>`;
    await page.goto(await routePage(page, server, `/t/flip-${name}.html`, body));
    assert.equal(await ready(page), true);
    sides[name] = {};
    for (const id of ["left", "mid", "right"]) {
      const tag = page.locator(`#${id} [data-shoppable-tag]`).first();
      await tag.click();
      const card = page.locator("[data-shoppable-card]");
      await card.waitFor({ state: "visible" });
      const [t, c] = [await tag.boundingBox(), await card.boundingBox()];
      sides[name][id] = c.x >= t.x + t.width / 2 ? "after" : "before";
      assert.ok(c.x >= 0 && c.x + c.width <= 1280, `${name} ${id}: the card stays inside the viewport`);
      await page.keyboard.press("Escape");
    }
    await page.context().close();
  }
  // "after" = to the right of the tag. In the middle the card opens at the reading end.
  assert.equal(sides.en.mid, "after");
  assert.equal(sides.ar.mid, "before");
  // At the edge where that side has no room, it flips.
  assert.equal(sides.en[sides.en.right === "before" ? "right" : "left"], "before");
  assert.equal(sides.ar[sides.ar.left === "after" ? "left" : "right"], "after");
});

test("WhatsApp ordering: the chat opens with the order in Arabic, and the cart is kept", async () => {
  const page = await newPage(browser);
  await recordEvents(page);
  await page.addInitScript(() => {
    window.__opened = [];
    window.open = (url, target, features) => { window.__opened.push({ url, target, features }); return null; };
  });
  const config = { ...ar, checkout: { mode: "whatsapp" } };
  await page.goto(await routePage(page, server, "/t/whatsapp.html", html(config, "ar", "rtl")));
  assert.equal(await ready(page), true);
  const [a, b] = simple(ar);
  await page.evaluate(([a, b]) => { Shoppable.cart.add(a, 2); Shoppable.cart.add(b, 1); }, [a.id, b.id]);
  await page.evaluate(() => Shoppable.openCart());
  assert.equal(await page.locator("[data-shoppable-checkout]").textContent(), "اطلب عبر واتساب",
    "the button says where it leads");
  await page.locator("[data-shoppable-checkout]").click();
  await page.waitForFunction(() => window.__opened.length === 1);
  const [{ url, target }] = await page.evaluate(() => window.__opened);
  assert.equal(target, "_blank");
  const parsed = new URL(url);
  assert.equal(parsed.origin + parsed.pathname, `https://wa.me/${ar.shop.whatsapp.replace(/\D/g, "")}`);
  const message = parsed.searchParams.get("text");
  const lines = message.split("\n");
  // The shop's name and the titles in bidi isolates (FSI … PDI), so Latin text keeps its
  // order in Arabic.
  assert.equal(lines[0], `مرحبًا \u2068${ar.shop.name}\u2069، أودّ أن أطلب:`);
  const price = (p) => new Intl.NumberFormat(ar.shop.locale, { style: "currency", currency: ar.shop.currency, minimumFractionDigits: 3 }).format(p);
  // Titles in bidi isolates (FSI … PDI), so a Latin title keeps its order in Arabic.
  assert.equal(lines[1], `• ٢ × \u2068${a.title}\u2069: ${price(a.price)}`);
  assert.equal(lines[2], `• ١ × \u2068${b.title}\u2069: ${price(b.price)}`);
  const subtotal = (Number(a.price) * 2 + Number(b.price)).toFixed(3);
  assert.equal(lines[3], `المجموع الفرعي: ${price(subtotal)}`);
  assert.equal(lines[4], `من الصفحة: ${page.url()}`);
  assert.equal((await page.evaluate(() => Shoppable.cart.items())).length, 2, "the cart is kept");
  const result = await page.evaluate(() => Shoppable.checkout());
  assert.deepEqual(result, { order_id: null, redirect_url: url });
  assert.match(await page.locator("[data-shoppable-status]").textContent(), /واتساب/);
  assert.ok((await page.evaluate(() => window.__events.map((e) => e.name))).includes("checkout-start"));
  await page.context().close();
});

for (const [name, path] of [["en", "/"], ["ar", "/ar.html"], ["tr", "/tr.html"], ["id", "/id.html"]]) {
  test(`${name} demo at phone width: no overflow, card and cart inside the screen`, async () => {
    const page = await newPage(browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await page.addInitScript(() => { window.open = (url) => { window.__opened = url; return null; }; });
    await page.goto(`${server.url}${path}`);
    assert.equal(await ready(page), true);
    const overflow = () => page.evaluate(() => document.scrollingElement.scrollWidth - innerWidth);
    assert.equal(await overflow(), 0, "nothing sticks out sideways");
    await screenshot(page, `${name}-phone-lookbook`);
    const tag = page.locator("[data-shoppable-tag]").filter({ visible: true }).first();
    await tag.scrollIntoViewIfNeeded();
    await tag.tap();
    const card = page.locator("[data-shoppable-card]");
    await card.waitFor({ state: "visible" });
    const box = await card.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 360 && box.y + box.height <= 740.5, JSON.stringify(box));
    await screenshot(page, `${name}-phone-card-open`);
    const add = card.locator("[data-shoppable-add]");
    if (await add.isEnabled()) await add.tap();
    await page.keyboard.press("Escape");
    await page.evaluate(() => Shoppable.openCart());
    const cart = page.locator("[data-shoppable-cart]");
    await cart.waitFor({ state: "visible" });
    const c = await cart.boundingBox();
    assert.ok(c.x >= 0 && c.x + c.width <= 360.5, JSON.stringify(c));
    // Text is never cut off: no line name or button label overflows its box.
    const clipped = await page.evaluate(() => {
      const ui = document.querySelector("shoppable-ui").shadowRoot;
      return [...ui.querySelectorAll("button, .name, .sub, h2")]
        .filter((e) => e.offsetParent && e.scrollWidth > e.clientWidth + 1)
        .map((e) => e.outerHTML.slice(0, 80));
    });
    assert.deepEqual(clipped, []);
    await screenshot(page, `${name}-phone-cart-open`);
    await page.context().close();
  });
}

test("the Indonesian demo takes orders by WhatsApp, written in Indonesian with rupiah", async () => {
  const page = await newPage(browser);
  await page.addInitScript(() => { window.open = (url) => { window.__opened = url; return null; }; });
  await page.goto(`${server.url}/id.html`);
  assert.equal(await ready(page), true);
  const id = demoConfig("id");
  const item = simple(id)[0];
  await page.evaluate((i) => Shoppable.cart.add(i, 2), item.id);
  await page.evaluate(() => Shoppable.openCart());
  await page.locator("[data-shoppable-checkout]").click();
  await page.waitForFunction(() => window.__opened);
  const text = new URL(await page.evaluate(() => window.__opened)).searchParams.get("text");
  const lines = text.split("\n");
  assert.equal(lines[0], `Halo ${id.shop.name}, saya mau pesan:`);
  assert.match(lines[1], new RegExp(`^• 2 × \u2068${item.title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\u2069: Rp\\s?[\\d.]+$`));
  assert.doesNotMatch(text, /,00/, "whole rupiah, no decimals");
  await page.context().close();
});
