// Looks (issues 4 and 6): Space on a tag, the screen-reader product list, theming (accent,
// custom properties, dark mode, ::part), tags through resizes and orientation changes, swiping
// a carousel (mirrored in RTL), a page reflow batched with a container's resize, removing and
// re-adding a mount, 24×24 px targets, mirrored controls in RTL with unmirrored tags, and
// phone screenshots in fa, ur, ms and fr.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch, newPage, ready, mounted, routePage, screenshot, demoConfig, inStockSimple } from "./harness.mjs";

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const en = demoConfig("en");
const ar = demoConfig("ar");
const HOSTS = "shoppable-ui, shoppable-overlay, [data-shoppable-post], shoppable-post";

/** A page of our own on the server's origin: `body` is the mounts' markup. */
function page(config, body, { lang = "en", dir = "ltr", css = "" } = {}) {
  return `<!doctype html><html lang="${lang}" dir="${dir}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><style>body{margin:0}${css}</style></head><body>
${body}
<script type="application/json" data-shoppable-config>${JSON.stringify(config)}</script>
<script src="/dist/shoppable.js" defer></script></body></html>`;
}

/** Polls `measure` (an async function returning {ok, ...}) until ok or `ms` elapse; returns
 * the last measurement, so a failing assertion can show what was seen. */
async function poll(measure, ms = 3000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    last = await measure();
    if (last.ok || Date.now() > end) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const frames = (page, n = 2) => page.evaluate((n) => new Promise((resolve) => {
  const step = (k) => (k ? requestAnimationFrame(() => step(k - 1)) : resolve());
  step(n);
}), n);

test("Space on a focused tag opens its card, as Enter does", async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/`);
  assert.equal(await ready(page), true);
  const tag = page.locator("shoppable-overlay").first().locator("[data-shoppable-tag]").first();
  const product = await tag.getAttribute("data-shoppable-tag");
  await tag.focus();
  await page.keyboard.press("Space");
  const card = page.locator("[data-shoppable-card]");
  await card.waitFor({ state: "visible", timeout: 2000 }).catch(() => {});
  assert.ok(await card.isVisible(), "Space on a focused tag opened no card");
  assert.equal(await tag.getAttribute("aria-expanded"), "true");
  const title = en.products.find((p) => p.id === product).title;
  assert.equal(await card.locator("h3").textContent(), title, "the card is the focused tag's product");
  // Focus moves in; Space on the close button (a button too) closes it.
  await page.waitForFunction(() => document.querySelector("shoppable-ui").shadowRoot.activeElement
    ?.closest("[data-shoppable-card]") != null, null, { timeout: 2000 });
  await page.keyboard.press("Escape");
  await card.waitFor({ state: "hidden" });
  await page.context().close();
});

test("the visually hidden product list: each distinct product once, with its price, in the accessibility tree", async () => {
  // Two slides; abaya tagged on both, so it must be listed once, in the order of first tags.
  const post = {
    id: "sr-post", caption: "Looks",
    media: [
      { image: "/demo/img/eid-2a.svg", alt: "First", width: 1600, height: 1000,
        tags: [{ product: "abaya-classic", x: 0.2, y: 0.5 }, { product: "bag-layla", x: 0.5, y: 0.5 }] },
      { image: "/demo/img/eid-2b.svg", alt: "Second", width: 1600, height: 1000,
        tags: [{ product: "abaya-classic", x: 0.3, y: 0.5 }, { product: "scarf-silk", x: 0.6, y: 0.5 }] },
    ],
  };
  const config = { ...en, posts: [...en.posts, post] };
  const p = await newPage(browser);
  await p.goto(await routePage(p, server, "/t/sr.html", page(config, '<div data-shoppable-post="sr-post" style="width:400px"></div>')));
  assert.equal(await ready(p), true);
  assert.equal(await mounted(p, "sr-post"), "ready");
  const list = await p.evaluate(() => {
    const ul = document.querySelector('[data-shoppable-post="sr-post"]').shadowRoot.querySelectorAll("ul.sr");
    if (ul.length !== 1) return { count: ul.length };
    const r = ul[0].getBoundingClientRect();
    const s = getComputedStyle(ul[0]);
    return {
      count: 1, label: ul[0].getAttribute("aria-label"),
      items: [...ul[0].querySelectorAll("li")].map((li) => li.textContent),
      box: [r.width, r.height], clip: s.clipPath, clipRect: s.clip, position: s.position, overflow: s.overflow,
    };
  });
  assert.equal(list.count, 1, "one ul.sr in the post's shadow root");
  // The price of each product's default item (its first purchasable variant), formatted as
  // the widget does (the demo's prices are all whole AED amounts: no decimals).
  const expected = await p.evaluate(([shop, products]) => {
    const f = new Intl.NumberFormat(shop.locale, { style: "currency", currency: shop.currency, minimumFractionDigits: 0, maximumFractionDigits: 2 });
    return products.map((prod) => {
      const v = prod.variants?.find((x) => ["in stock", "preorder", "available for order"].includes(x.availability)) ?? prod.variants?.[0];
      return `${prod.title}, ${f.format(v ? v.price : prod.price)}`;
    });
  }, [en.shop, ["abaya-classic", "bag-layla", "scarf-silk"].map((id) => en.products.find((x) => x.id === id))]);
  assert.deepEqual(list.items, expected, "each distinct product once, in the order of first tags, with its price");
  assert.equal(list.label, "Products in this post");
  // Hidden from sight: out of the flow, 1×1 (no list padding) and clipped to nothing.
  assert.equal(list.position, "absolute");
  assert.equal(list.overflow, "hidden");
  assert.ok(list.box[0] <= 1 && list.box[1] <= 1, `the list is 1×1 px at most, got ${list.box}`);
  assert.ok(list.clip === "inset(50%)" || /rect\(0px,? 0px,? 0px,? 0px\)/.test(list.clipRect), `clipped: clip-path ${list.clip}, clip ${list.clipRect}`);
  // Present in the accessibility tree, as a named list of the products.
  const snapshot = await p.locator('[data-shoppable-post="sr-post"]').ariaSnapshot();
  const listAt = snapshot.indexOf('list "Products in this post"');
  assert.ok(listAt >= 0, `no named list in the aria snapshot:\n${snapshot}`);
  const items = snapshot.slice(listAt).split("\n").slice(1)
    .filter((l) => /^\s*- listitem/.test(l)).map((l) => l.replace(/^\s*- listitem:\s*/, "").replace(/^"|"$/g, ""));
  // (The snapshot writes Intl's no-break spaces as plain spaces.)
  const plain = (t) => t.replace(/\s+/g, " ");
  assert.deepEqual(items.map(plain), expected.map(plain), `the list's items in the aria snapshot:\n${snapshot}`);
  await p.context().close();
});

test("theming: theme.accent, page custom properties, dark mode where the page has one, and every ::part", async () => {
  const body = `<img src="/demo/img/eid-1.svg" alt="" data-shoppable-post="eid-lookbook-1" style="width:400px;display:block">
<div data-shoppable-post="eid-lookbook-2" style="width:400px"></div>`;
  const config = { ...en, theme: { accent: "#0b6e4f" } };
  const abaya = '[data-shoppable-tag="abaya-classic"]';
  /** Opens the abaya's card on a fresh page with `css`; returns the page. */
  const open = async (name, css, scheme = "light") => {
    const p = await newPage(browser);
    await p.emulateMedia({ colorScheme: scheme, reducedMotion: "reduce" });
    await p.goto(await routePage(p, server, `/t/theme-${name}.html`, page(config, body, { css })));
    assert.equal(await ready(p), true);
    await p.locator(`shoppable-overlay ${abaya}`).click();
    await p.locator("[data-shoppable-card]").waitFor({ state: "visible" });
    return p;
  };
  const style = (p, selector, props) => p.evaluate(([selector, props]) => {
    const e = document.querySelector("shoppable-ui").shadowRoot.querySelector(selector);
    const s = getComputedStyle(e);
    return Object.fromEntries(props.map((k) => [k, s[k]]));
  }, [selector, props]);

  // theme.accent from the config.
  let p = await open("accent", "");
  assert.equal((await style(p, "[data-shoppable-add]", ["backgroundColor"])).backgroundColor, "rgb(11, 110, 79)", "theme.accent colours the add button");
  assert.equal((await style(p, "[data-shoppable-cart-toggle]", ["backgroundColor"])).backgroundColor, "rgb(11, 110, 79)", "and the cart button");
  const light = await style(p, "[data-shoppable-card]", ["backgroundColor", "borderTopLeftRadius", "color"]);
  assert.equal(light.backgroundColor, "rgb(255, 255, 255)");
  assert.equal(light.borderTopLeftRadius, "14px", "the default radius");
  await p.context().close();

  // The page's custom properties beat the config, on the hosts or on any ancestor.
  for (const [name, css] of [
    ["hosts", "shoppable-ui, shoppable-overlay, [data-shoppable-post] { --shoppable-accent: #ff0000; --shoppable-radius: 3px; --shoppable-font: 'Courier New', monospace }"],
    ["ancestor", ":root { --shoppable-accent: #ff0000; --shoppable-radius: 3px; --shoppable-font: 'Courier New', monospace }"],
  ]) {
    p = await open(name, css);
    assert.equal((await style(p, "[data-shoppable-add]", ["backgroundColor"])).backgroundColor, "rgb(255, 0, 0)", `--shoppable-accent on ${name} beats theme.accent`);
    const card = await style(p, "[data-shoppable-card]", ["borderTopLeftRadius"]);
    assert.equal(card.borderTopLeftRadius, "3px", `--shoppable-radius on ${name}`);
    const font = await style(p, "[data-shoppable-card] h3", ["fontFamily"]);
    assert.match(font.fontFamily, /Courier New/, `--shoppable-font on ${name}`);
    const track = await p.evaluate(() => getComputedStyle(document.querySelector('[data-shoppable-post="eid-lookbook-2"]')
      .shadowRoot.querySelector(".track")).borderTopLeftRadius);
    assert.equal(track, "3px", `--shoppable-radius reaches the posts (${name})`);
    await p.context().close();
  }

  // Dark mode follows prefers-color-scheme on pages that have one (`color-scheme`): a page
  // that declares none keeps a light widget, so no dark card or pale caption on it.
  const luminance = (rgb) => { const [r, g, b] = rgb.match(/\d+/g).map(Number); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  p = await open("dark-light-page", "", "dark");
  assert.equal((await style(p, "[data-shoppable-card]", ["backgroundColor"])).backgroundColor, "rgb(255, 255, 255)", "a light page keeps a light card");
  const caption = await p.evaluate(() => getComputedStyle(document.querySelector('[data-shoppable-post="eid-lookbook-2"]')
    .shadowRoot.querySelector("figcaption")).color);
  assert.ok(luminance(caption) < 100, `a dark caption on the light page, got ${caption}`);
  await p.context().close();
  p = await open("dark", ":root { color-scheme: light dark }", "dark");
  const dark = await style(p, "[data-shoppable-card]", ["backgroundColor", "color"]);
  assert.ok(luminance(dark.backgroundColor) < 60, `a dark card background, got ${dark.backgroundColor}`);
  assert.ok(luminance(dark.color) > 180, `light text on it, got ${dark.color}`);
  await p.evaluate(() => Shoppable.openCart());
  await p.locator("[data-shoppable-cart]").waitFor({ state: "visible" });
  assert.ok(luminance((await style(p, "[data-shoppable-cart]", ["backgroundColor"])).backgroundColor) < 60, "a dark cart panel");
  await p.context().close();

  // Every part the widget declares (src/dom/cart.rs, src/dom/post.rs), styled from the page.
  const parts = { ui: ["card", "cart", "cart-toggle"], post: ["post", "tag", "nav", "dots", "tags-toggle"], overlay: ["tag", "tags-toggle"] };
  const rule = (host, names) => names.map((n) => `${host}::part(${n})`).join(", ") + " { outline: 3px solid rgb(1, 2, 3) !important; outline-offset: 0 }";
  const css = [rule("shoppable-ui", parts.ui), rule("[data-shoppable-post]", parts.post), rule("shoppable-overlay", parts.overlay)].join("\n");
  p = await open("parts", css);
  const seen = await p.evaluate((parts) => {
    const roots = {
      ui: document.querySelector("shoppable-ui").shadowRoot,
      post: document.querySelector('[data-shoppable-post="eid-lookbook-2"]').shadowRoot,
      overlay: document.querySelector("shoppable-overlay").shadowRoot,
    };
    const out = {};
    for (const [where, names] of Object.entries(parts)) {
      for (const n of names) {
        const e = roots[where].querySelector(`[part~="${n}"]`);
        const s = e && getComputedStyle(e);
        out[`${where}:${n}`] = e ? `${s.outlineWidth} ${s.outlineStyle} ${s.outlineColor}` : "missing";
      }
    }
    return out;
  }, parts);
  for (const [k, v] of Object.entries(seen)) assert.equal(v, "3px solid rgb(1, 2, 3)", `::part(${k.split(":")[1]}) in the ${k.split(":")[0]} is styled by the page`);
  await p.context().close();
});

/** Where each tag of the demo's `<img>` post is, and where the config puts it: the image's
 * content box, its natural size and object-fit: cover with a percentage object-position. */
const coverGeometry = (tags) => {
    const img = document.querySelector('img[data-shoppable-post="eid-lookbook-1"]');
    const s = getComputedStyle(img);
    const r = img.getBoundingClientRect();
    const n = (v) => parseFloat(v) || 0;
    const left = r.left + n(s.borderLeftWidth) + n(s.paddingLeft);
    const top = r.top + n(s.borderTopWidth) + n(s.paddingTop);
    const W = r.width - n(s.borderLeftWidth) - n(s.borderRightWidth) - n(s.paddingLeft) - n(s.paddingRight);
    const H = r.height - n(s.borderTopWidth) - n(s.borderBottomWidth) - n(s.paddingTop) - n(s.paddingBottom);
    const [px, py] = s.objectPosition.split(" ").map((v) => (v.endsWith("%") ? parseFloat(v) / 100 : NaN));
    const scale = Math.max(W / img.naturalWidth, H / img.naturalHeight);
    const cw = img.naturalWidth * scale, ch = img.naturalHeight * scale;
    const ox = (W - cw) * px, oy = (H - ch) * py;
    const buttons = [...document.querySelector('shoppable-overlay[data-shoppable-overlay="eid-lookbook-1"]').shadowRoot
      .querySelectorAll("[data-shoppable-tag]")];
    const out = tags.map((t, i) => {
      // By product (each once per image here): the DOM orders tags for reading, not as the config.
      const b = buttons.find((e) => e.getAttribute("data-shoppable-tag") === t.product);
      const br = b.getBoundingClientRect();
      const at = [br.left + br.width / 2, br.top + br.height / 2];
      const want = [left + ox + t.x * cw, top + oy + t.y * ch];
      return { at, want, fraction: [(at[0] - left) / W, (at[1] - top) / H], hidden: b.hidden,
        off: Math.max(Math.abs(at[0] - want[0]), Math.abs(at[1] - want[1])) };
    });
    return { fit: s.objectFit, position: s.objectPosition, box: [W, H], natural: [img.naturalWidth, img.naturalHeight], tags: out,
      ok: s.objectFit === "cover" && out.every((t) => !t.hidden && t.off <= 1) };
};

test("tags stay on their image pixel through viewport resizes and orientation changes", async () => {
  const p = await newPage(browser);
  await p.goto(`${server.url}/`);
  assert.equal(await ready(p), true);
  await p.waitForFunction(() => document.querySelector('img[data-shoppable-post="eid-lookbook-1"]').complete);
  const tags = en.posts.find((x) => x.id === "eid-lookbook-1").media[0].tags;
  const measure = () => p.evaluate(coverGeometry, tags);
  const first = await poll(measure);
  assert.equal(first.fit, "cover", "the demo's <img> is object-fit: cover (else pick another mount)");
  assert.ok(first.ok, `at 1280×900 each tag sits on its pixel: ${JSON.stringify(first)}`);
  const fractions = first.tags.map((t) => t.fraction);
  for (const [w, h] of [[800, 1100], [390, 844], [844, 390], [1280, 900]]) {
    await p.setViewportSize({ width: w, height: h });
    await frames(p, 2);
    const m = await poll(measure);
    assert.ok(m.ok, `at ${w}×${h} each tag is within 1 px of its image pixel: ${JSON.stringify(m.tags.map((t) => ({ at: t.at, want: t.want, hidden: t.hidden })))} (image ${m.box})`);
    m.tags.forEach((t, i) => {
      assert.ok(Math.abs(t.fraction[0] - fractions[i][0]) * m.box[0] <= 1 && Math.abs(t.fraction[1] - fractions[i][1]) * m.box[1] <= 1,
        `at ${w}×${h} tag ${i} moved within its image: ${fractions[i]} → ${t.fraction}`);
    });
  }
  await p.context().close();
});

test("a page whose CSP refuses inline styles: tags on their pixels, the card on screen, no violation", async () => {
  const post = { id: "csp", media: [{ image: "/demo/img/eid-1.svg", alt: "", width: 1200, height: 1500,
    tags: [{ product: inStockSimple(en)[0].id, x: 0.5, y: 0.5 }] }] };
  const config = { ...en, posts: [post] };
  const body = `<img src="/demo/img/eid-1.svg" alt="" data-shoppable-post="csp" width="200" height="250">
    <div data-shoppable-post="csp" style="width:240px"></div>`;
  const p = await newPage(browser);
  await p.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.sourceFile || ""}`));
  });
  const url = `${server.url}/t/csp.html`;
  await p.context().route(url, (route) => route.fulfill({
    status: 200, contentType: "text/html; charset=utf-8", body: page(config, body),
    headers: { "Content-Security-Policy": "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'" },
  }));
  await p.goto(url);
  assert.equal(await ready(p), true);
  await frames(p, 2);
  const at = await p.evaluate(() => {
    const img = document.querySelector("img[data-shoppable-post]");
    const b = img.getBoundingClientRect();
    const t = img.nextElementSibling.shadowRoot.querySelector("[data-shoppable-tag]").getBoundingClientRect();
    return [Math.round(t.x + t.width / 2 - b.x - 100), Math.round(t.y + t.height / 2 - b.y - 125)];
  });
  assert.deepEqual(at, [0, 0], "the <img> overlay's tag on its pixel");
  // The bag icon is drawn by gradients, no image: nothing for `img-src` to refuse, and no
  // SVG document for the frame that shows the first tags to build (2–12 ms traced).
  const icon = await p.evaluate(() => {
    const s = getComputedStyle(document.querySelector("div[data-shoppable-post]").shadowRoot.querySelector(".shop"), "::before");
    return { image: s.backgroundImage, mask: s.maskImage, webkitMask: s.webkitMaskImage, w: s.width, h: s.height };
  });
  assert.equal(icon.image.match(/gradient\(/g)?.length, 7, `the icon's seven gradient strokes: ${icon.image}`);
  assert.ok(!icon.image.includes("url("), icon.image);
  assert.deepEqual([icon.mask, icon.webkitMask, icon.w, icon.h], ["none", "none", "18px", "18px"]);
  // In forced-colors mode the strokes take the button text colour (a background colour
  // there once painted the icon as a square).
  await p.emulateMedia({ forcedColors: "active" });
  const forced = await p.evaluate(() => {
    const button = document.querySelector("div[data-shoppable-post]").shadowRoot.querySelector(".shop");
    const s = getComputedStyle(button, "::before");
    return { gradients: s.backgroundImage.match(/gradient\(/g)?.length, color: s.color, button: getComputedStyle(button).color };
  });
  assert.equal(forced.gradients, 7, `forced colors keep the icon's strokes: ${JSON.stringify(forced)}`);
  assert.equal(forced.color, forced.button, "in the button's text colour");
  await p.emulateMedia({ forcedColors: "none" });
  await p.locator("div[data-shoppable-post] [data-shoppable-tag]").click();
  const card = p.locator("[data-shoppable-card]");
  await card.waitFor({ state: "visible" });
  const box = await card.boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height <= 900 && box.x >= 0 && box.x + box.width <= 1280, `the card on screen: ${JSON.stringify(box)}`);
  // Nothing of the widget's is refused but the ICU warm-up worker (a blob:, which it does
  // without); the test page's own inline <style> and style attribute are.
  const violations = await p.evaluate(() => window.__violations);
  assert.deepEqual(violations.filter((v) => v.includes("/dist/") && !v.startsWith("worker-src")), [], violations.join("; "));
  await p.context().close();
});

test("unbroken words wrap: nothing overflows the card, the cart or the page", async () => {
  const word = "Eid".repeat(60);
  const product = { ...inStockSimple(en)[0], title: `Silk ${word}` };
  const config = { ...en, products: en.products.map((x) => (x.id === product.id ? product : x)),
    posts: [{ id: "long", caption: `#${word}`, media: [{ image: "/demo/img/eid-1.svg", alt: "", tags: [{ product: product.id, x: 0.5, y: 0.5 }] }] }] };
  for (const width of [1280, 360]) {
    const p = await newPage(browser, { viewport: { width, height: 800 } });
    await p.goto(await routePage(p, server, `/t/long-${width}.html`, page(config, `<div data-shoppable-post="long" style="max-width:420px"></div>`)));
    assert.equal(await ready(p), true);
    await p.locator("[data-shoppable-tag]").click();
    await p.locator("[data-shoppable-card]").waitFor({ state: "visible" });
    const wide = () => p.evaluate(() => {
      const out = [];
      if (document.documentElement.scrollWidth > innerWidth) out.push(`page ${document.documentElement.scrollWidth}`);
      for (const host of document.querySelectorAll("shoppable-ui, [data-shoppable-post]")) {
        // The text boxes: the card, the cart panel and the caption.
        for (const e of host.shadowRoot.querySelectorAll(".card *, .panel *, figcaption")) {
          if (!e.checkVisibility()) continue;
          if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).display !== "inline") out.push(`${e.localName}.${e.className} ${e.scrollWidth} > ${e.clientWidth}`);
          const r = e.getBoundingClientRect();
          if (r.width && (r.right > innerWidth + 1 || r.left < -1)) out.push(`${e.localName}.${e.className} at ${Math.round(r.left)}..${Math.round(r.right)}`);
        }
      }
      return out;
    });
    assert.deepEqual(await wide(), [], `${width}: card open`);
    await p.locator("[data-shoppable-card] [data-shoppable-add]").click();
    await p.keyboard.press("Escape");
    await p.evaluate(() => Shoppable.openCart());
    await p.locator("[data-shoppable-cart]").waitFor({ state: "visible" });
    assert.deepEqual(await wide(), [], `${width}: cart open`);
    await screenshot(p, `en-long-words-${width}`);
    await p.context().close();
  }
});

test("tags sit on their pixels over an <img> in a table cell", async () => {
  // A 1200×1500 image shown 200 px wide: the tag at (0.5, 0.5) belongs at (100, 125) of it.
  const post = { id: "moves", media: [{ image: "/demo/img/eid-1.svg", alt: "", width: 1200, height: 1500,
    tags: [{ product: inStockSimple(en)[0].id, x: 0.5, y: 0.5 }] }] };
  const config = { ...en, posts: [post] };
  const img = (id) => `<img id="${id}" src="/demo/img/eid-1.svg" alt="" data-shoppable-post="moves" style="width:200px;height:250px;display:block">`;
  // A cell is its image's offset parent, not the overlay's containing block; the positioned
  // <div> makes a table inside a containing block of its own.
  const body = `${img("plain")}
    <table style="margin:40px;border:3px solid"><tr><td style="padding:30px">cell</td><td style="padding:25px;border:2px solid">${img("cell")}</td></tr></table>
    <div style="position:relative;margin:20px;padding:10px"><table><tr><td>x</td><td style="padding:12px">${img("inner")}</td></tr></table></div>`;
  const p = await newPage(browser);
  await p.goto(await routePage(p, server, "/t/moves.html", page(config, body)));
  assert.equal(await ready(p), true);
  const offsets = () => p.evaluate(() => [...document.querySelectorAll("img[data-shoppable-post]")].map((i) => {
    const b = i.getBoundingClientRect();
    const t = i.nextElementSibling.shadowRoot.querySelector("[data-shoppable-tag]").getBoundingClientRect();
    return [i.id, Math.round(t.x + t.width / 2 - b.x - 100), Math.round(t.y + t.height / 2 - b.y - 125)];
  }));
  const placed = (list) => list.every(([, dx, dy]) => Math.abs(dx) <= 1 && Math.abs(dy) <= 1);
  await frames(p, 2);
  const at = await offsets();
  assert.equal(at.length, 3);
  assert.ok(placed(at), `each tag on its pixel: ${JSON.stringify(at)}`);
  await p.context().close();
});

test("a page reflow and a container's own resize in one ResizeObserver batch: both kinds of mount stay on their pixels", async () => {
  // One task grows the content above the mounts (the document element's size changes: the
  // page reflowed) and widens a container mount (its image's size changes). The next frame's
  // ResizeObserver callback reports both together; each kind of mount must be laid out.
  const body = `<div id="above"></div>
<img src="/demo/img/eid-1.svg" alt="" data-shoppable-post="eid-lookbook-1" style="width:300px;display:block">
<div id="box" data-shoppable-post="eid-lookbook-3" style="width:300px"></div>`;
  const p = await newPage(browser);
  await p.goto(await routePage(p, server, "/t/reflow-batch.html", page(en, body)));
  assert.equal(await ready(p), true);
  await p.waitForFunction(() => [...document.images].every((i) => i.complete)
    && document.querySelector("#box").shadowRoot?.querySelector("img")?.complete);
  // Each tag's centre as a fraction of its own image's box, per mount.
  const fractions = () => p.evaluate(() => {
    const of = (img, root) => {
      const r = img.getBoundingClientRect();
      return [...root.querySelectorAll("[data-shoppable-tag]")].map((t) => {
        const b = t.getBoundingClientRect();
        return [(b.left + b.width / 2 - r.left) / r.width, (b.top + b.height / 2 - r.top) / r.height, r.width, r.height];
      });
    };
    const box = document.querySelector("#box").shadowRoot;
    return {
      overlay: of(document.querySelector("img[data-shoppable-post]"),
        document.querySelector('shoppable-overlay[data-shoppable-overlay="eid-lookbook-1"]').shadowRoot),
      container: of(box.querySelector("img"), box),
    };
  });
  await frames(p, 2);
  const before = await fractions();
  assert.ok(before.overlay.length > 0 && before.container.length > 0, JSON.stringify(before));
  await p.evaluate(() => {
    document.getElementById("above").style.height = "40px";
    document.getElementById("box").style.width = "420px";
  });
  await frames(p, 3);
  const after = await fractions();
  for (const kind of ["overlay", "container"]) {
    after[kind].forEach(([x, y, w, h], i) => {
      const [x0, y0] = before[kind][i];
      assert.ok(Math.abs(x - x0) * w <= 1 && Math.abs(y - y0) * h <= 1,
        `${kind} tag ${i} left its pixel: ${before[kind][i].map((v) => v.toFixed(3))} → ${[x, y, w, h].map((v) => v.toFixed(3))}`);
    });
  }
  assert.ok(after.container[0][2] > before.container[0][2] + 100, "the container's image did widen");
  await p.context().close();
});

/** The state of the carousel `postId`: scroll, active dot, and which slide's tags are on screen. */
const carouselState = (page, postId) => page.evaluate((postId) => {
  const shadow = document.querySelector(`[data-shoppable-post="${postId}"]`).shadowRoot;
  const track = shadow.querySelector(".track");
  const t = track.getBoundingClientRect();
  const seenTags = (slide) => [...slide.querySelectorAll("[data-shoppable-tag]")].map((tag) => {
    const r = tag.getBoundingClientRect();
    const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
    const inside = !tag.hidden && x > t.left && x < t.right && y > t.top && y < t.bottom;
    return inside && shadow.elementFromPoint(x, y) === tag;
  });
  const slides = [...shadow.querySelectorAll(".slide")];
  return {
    scrollLeft: track.scrollLeft, width: track.clientWidth,
    dot: [...shadow.querySelectorAll(".dots i")].findIndex((d) => d.classList.contains("on")),
    at: shadow.querySelector(".post").getAttribute("data-at"),
    slideX: slides.map((s) => Math.round(s.getBoundingClientRect().left - t.left)),
    tags: slides.map(seenTags),
  };
}, postId);

for (const [name, path, rtl] of [["en", "/", false], ["ar", "/ar.html", true]]) {
  test(`${name}: a touch swipe on a carousel moves to slide 2${rtl ? ", mirrored" : ""}`, async () => {
    const p = await newPage(browser, { hasTouch: true });
    await p.emulateMedia({ reducedMotion: "reduce" });
    await p.goto(`${server.url}${path}`);
    assert.equal(await ready(p), true);
    const host = p.locator('[data-shoppable-post="eid-lookbook-2"]');
    await host.scrollIntoViewIfNeeded();
    assert.equal(await mounted(p, "eid-lookbook-2"), "ready");
    await p.waitForFunction(() => [...document.querySelector('[data-shoppable-post="eid-lookbook-2"]').shadowRoot
      .querySelectorAll(".slide img")].every((i) => i.complete));
    let s = await carouselState(p, "eid-lookbook-2");
    assert.equal(s.dot, 0);
    assert.ok(s.tags[0].every(Boolean) && !s.tags[1].some(Boolean), `slide 1's tags alone on screen: ${JSON.stringify(s.tags)}`);
    // The second slide lies after the first in reading order: to its left in RTL.
    assert.ok(Math.abs(s.slideX[1] - (rtl ? -s.width : s.width)) <= 1, `slide 2 at ${s.slideX[1]} px from the track, ${rtl ? "-" : ""}${s.width} expected`);
    const box = await p.locator('[data-shoppable-post="eid-lookbook-2"]').evaluate((h) => {
      const r = h.shadowRoot.querySelector(".track").getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height * 0.8, w: r.width };
    });
    const cdp = await p.context().newCDPSession(p);
    // A finger on the track moving `dx` px (positive: to the right), as raw touch events.
    // (CDP's synthesizeScrollGesture with a touch source does not scroll in headless Chromium.)
    const swipe = async (dx) => {
      const [x0, y] = [box.x - dx / 2, box.y];
      await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: x0, y }] });
      for (let i = 1; i <= 10; i++) {
        await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x: x0 + (dx * i) / 10, y }] });
      }
      await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    };
    // The LTR reader's "next" swipe (finger to the left) goes nowhere in RTL: slide 1 is at that end.
    if (rtl) {
      await swipe(-Math.round(box.w * 0.6));
      await p.waitForTimeout(300);
      await frames(p, 2);
      s = await carouselState(p, "eid-lookbook-2");
      assert.equal(s.dot, 0, `in RTL a leftward finger swipe stays on slide 1 (scrollLeft ${s.scrollLeft})`);
    }
    await swipe(rtl ? Math.round(box.w * 0.6) : -Math.round(box.w * 0.6));
    s = await poll(async () => {
      const v = await carouselState(p, "eid-lookbook-2");
      return { ...v, ok: v.dot === 1 && Math.abs(Math.abs(v.scrollLeft) - v.width) <= 1 };
    });
    assert.equal(s.dot, 1, `the second dot is on after the swipe: ${JSON.stringify(s)}`);
    assert.equal(s.at, "end");
    assert.ok(rtl ? s.scrollLeft < 0 : s.scrollLeft > 0, `scrollLeft ${s.scrollLeft} is ${rtl ? "negative" : "positive"}`);
    assert.ok(Math.abs(Math.abs(s.scrollLeft) - s.width) <= 1, `snapped to one slide width: ${s.scrollLeft} vs ${s.width}`);
    assert.ok(s.tags[1].every(Boolean), `every tag of slide 2 is on screen: ${JSON.stringify(s.tags)}`);
    assert.ok(!s.tags[0].some(Boolean), "slide 1's tags left the screen");
    // And back by scrollBy, the scripted way: the reading direction's start.
    await host.evaluate((h, rtl) => {
      const t = h.shadowRoot.querySelector(".track");
      t.scrollBy({ left: rtl ? t.clientWidth : -t.clientWidth, behavior: "instant" });
    }, rtl);
    s = await poll(async () => { const v = await carouselState(p, "eid-lookbook-2"); return { ...v, ok: v.dot === 0 }; });
    assert.equal(s.dot, 0, `scrollBy back to slide 1: ${JSON.stringify(s)}`);
    assert.equal(s.at, "start");
    await p.context().close();
  });
}

test("a container mount removed from the page empties; added back, it renders once", async () => {
  const body = `<div id="a" data-shoppable-post="eid-lookbook-3" style="width:360px"></div>
<shoppable-post id="b" post-id="eid-lookbook-2" style="display:block;width:360px"></shoppable-post><div id="spare"></div>`;
  const p = await newPage(browser);
  await p.goto(await routePage(p, server, "/t/remount.html", page(en, body)));
  assert.equal(await ready(p), true);
  const tagsOf = (id) => en.posts.find((x) => x.id === id).media.flatMap((m) => m.tags).length;
  const state = (sel) => p.evaluate((sel) => {
    const hosts = document.querySelectorAll(`shoppable-overlay, [data-shoppable-post], shoppable-post`);
    const all = [...hosts].reduce((n, h) => n + (h.shadowRoot?.querySelectorAll("[data-shoppable-tag]").length ?? 0), 0);
    const e = window.__kept?.[sel] ?? document.querySelector(sel);
    const sh = e.shadowRoot;
    return {
      all, connected: e.isConnected, nodes: sh ? sh.childNodes.length : -1,
      roots: sh ? sh.querySelectorAll(".root").length : -1,
      tags: sh ? sh.querySelectorAll("[data-shoppable-tag]").length : -1,
      lists: sh ? sh.querySelectorAll("ul.sr").length : -1,
      figures: sh ? sh.querySelectorAll("figure").length : -1,
      state: e.getAttribute("data-shoppable-state"),
    };
  }, sel);
  const total = tagsOf("eid-lookbook-3") + tagsOf("eid-lookbook-2");
  for (const [sel, id] of [["#a", "eid-lookbook-3"], ["#b", "eid-lookbook-2"]]) {
    let s = await state(sel);
    assert.deepEqual([s.all, s.tags, s.roots, s.state], [total, tagsOf(id), 1, "ready"], `${sel} before: ${JSON.stringify(s)}`);
    // With its card open, so the card must go too.
    await p.locator(`${sel} [data-shoppable-tag]`).first().click();
    await p.locator("[data-shoppable-card]").waitFor({ state: "visible" });
    await p.evaluate((sel) => { (window.__kept ??= {})[sel] = document.querySelector(sel); window.__kept[sel].remove(); }, sel);
    s = await poll(async () => { const v = await state(sel); return { ...v, ok: v.nodes === 0 && v.state === null }; });
    assert.equal(s.nodes, 0, `${sel} removed: its shadow root is emptied (${JSON.stringify(s)})`);
    assert.equal(s.state, null, `${sel} removed: data-shoppable-state cleared`);
    assert.equal(s.all, total - tagsOf(id), "its tags left the page");
    await p.locator("[data-shoppable-card]").waitFor({ state: "hidden", timeout: 2000 }).catch(() => {});
    assert.ok(!(await p.locator("[data-shoppable-card]").isVisible()), "the card of a removed post closes");
    // Added back (twice over, to catch anything that accumulates), it renders exactly once.
    for (let round = 1; round <= 2; round++) {
      await p.evaluate((sel) => document.getElementById("spare").before(window.__kept[sel]), sel);
      s = await poll(async () => { const v = await state(sel); return { ...v, ok: v.state === "ready" && v.tags > 0 }; });
      assert.equal(s.state, "ready", `${sel} re-added (round ${round}): rendered again`);
      await frames(p, 2);
      s = await state(sel);
      assert.deepEqual({ roots: s.roots, figures: s.figures, lists: s.lists, tags: s.tags, all: s.all },
        { roots: 1, figures: 1, lists: 1, tags: tagsOf(id), all: total }, `${sel} re-added (round ${round}): once, no duplicate tags`);
      if (round === 1) {
        await p.evaluate((sel) => window.__kept[sel].remove(), sel);
        s = await poll(async () => { const v = await state(sel); return { ...v, ok: v.nodes === 0 }; });
        assert.equal(s.nodes, 0, `${sel} removed again: emptied`);
      }
    }
    // The re-added post works: its tag opens one card.
    await p.locator(`${sel} [data-shoppable-tag]`).first().click();
    await p.locator("[data-shoppable-card]").waitFor({ state: "visible" });
    await p.keyboard.press("Escape");
    await p.locator("[data-shoppable-card]").waitFor({ state: "hidden" });
  }
  assert.deepEqual(p.logs.filter((l) => l.type === "pageerror" || l.type === "error"), []);
  await p.context().close();
});

/** Every visible button, link, input and select in the widget's shadow roots smaller than 24×24. */
const smallTargets = (page) => page.evaluate((hosts) => {
  const out = [];
  for (const host of document.querySelectorAll(hosts)) {
    for (const e of host.shadowRoot?.querySelectorAll("button, a[href], input, select") ?? []) {
      if (!e.checkVisibility({ visibilityProperty: true, opacityProperty: false })) continue;
      const r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.width < 24 - 0.01 || r.height < 24 - 0.01) {
        const hook = [...e.attributes].find((a) => a.name.startsWith("data-shoppable-"))?.name ?? "";
        out.push(`${host.localName} ${e.localName}.${e.className}${hook ? `[${hook}]` : ""} "${(e.textContent || e.getAttribute("aria-label") || "").trim().slice(0, 20)}" ${r.width.toFixed(1)}×${r.height.toFixed(1)}`);
      }
    }
  }
  return out;
}, HOSTS);

for (const [width, height] of [[1280, 900], [360, 740]]) {
  test(`every target is at least 24×24 px at ${width} px, with a card open and with the cart open`, async () => {
    const p = await newPage(browser, { viewport: { width, height } });
    await p.emulateMedia({ reducedMotion: "reduce" });
    await p.goto(`${server.url}/`);
    assert.equal(await ready(p), true);
    const problems = [];
    // The abaya's card: variant select, stepper, add button and product link.
    await p.locator('shoppable-overlay [data-shoppable-tag="abaya-classic"]').click();
    await p.locator("[data-shoppable-card]").waitFor({ state: "visible" });
    await frames(p, 2);
    problems.push(...(await smallTargets(p)).map((x) => `card open: ${x}`));
    await p.keyboard.press("Escape");
    await p.evaluate(([a, b]) => { Shoppable.cart.add(a, 2); Shoppable.cart.add(b, 1); },
      [inStockSimple(en)[0].id, "abaya-classic-52"]);
    await p.evaluate(() => Shoppable.openCart());
    await p.locator("[data-shoppable-cart]").waitFor({ state: "visible" });
    await frames(p, 2);
    problems.push(...(await smallTargets(p)).map((x) => `cart open: ${x}`));
    assert.deepEqual(problems, [], `targets under 24×24 CSS px (WCAG 2.5.8) at ${width} px`);
    await p.context().close();
  });
}

test("ar: steppers and carousel arrows mirror; tag positions do not", async () => {
  const p = await newPage(browser);
  await p.goto(`${server.url}/ar.html`);
  assert.equal(await ready(p), true);
  const x = async (loc) => { const b = await loc.boundingBox(); return [b.x, b.x + b.width]; };
  // Cart line: − (first in source) on the right, + on the left.
  const item = inStockSimple(ar)[0].id;
  await p.evaluate((id) => Shoppable.cart.add(id, 2), item);
  await p.evaluate(() => Shoppable.openCart());
  const line = p.locator(`[data-shoppable-line="${item}"]`);
  await line.waitFor({ state: "visible" });
  const [inc, qty, dec] = [await x(line.locator("[data-shoppable-inc]")), await x(line.locator("[data-shoppable-qty]")), await x(line.locator("[data-shoppable-dec]"))];
  assert.ok(inc[1] <= qty[0] + 0.5 && qty[1] <= dec[0] + 0.5, `cart stepper reads − n + from the right: + ${inc}, n ${qty}, − ${dec}`);
  const panel = await x(p.locator("[data-shoppable-cart]"));
  assert.ok(panel[0] <= 0.5, `the cart panel opens from the left in RTL: ${panel}`);
  await p.keyboard.press("Escape");
  // The card's stepper too.
  await p.locator('shoppable-overlay [data-shoppable-tag="abaya-classic"]').click();
  const card = p.locator("[data-shoppable-card]");
  await card.waitFor({ state: "visible" });
  const [cinc, cdec] = [await x(card.locator("[data-shoppable-card-inc]")), await x(card.locator("[data-shoppable-card-dec]"))];
  assert.ok(cinc[1] <= cdec[0], `card stepper: + ${cinc} left of − ${cdec}`);
  const [addX, stepX] = [await x(card.locator("[data-shoppable-add]")), await x(card.locator("[data-shoppable-card-dec]"))];
  assert.ok(addX[1] <= stepX[0] + 0.5, `the add button follows the stepper to its left: add ${addX}, stepper ${stepX}`);
  await p.keyboard.press("Escape");
  // Carousel: "next" (in reading order) on the left, its arrow glyph flipped to point left.
  const post = p.locator('[data-shoppable-post="eid-lookbook-2"]');
  await post.scrollIntoViewIfNeeded();
  assert.equal(await mounted(p, "eid-lookbook-2"), "ready");
  const [next, prev] = [await x(post.locator(".next")), await x(post.locator(".prev"))];
  assert.ok(next[1] < prev[0], `.next ${next} sits left of .prev ${prev}`);
  const flipped = await post.evaluate((h) => new DOMMatrix(getComputedStyle(h.shadowRoot.querySelector(".next")).transform).a);
  assert.equal(flipped, -1, "the › glyph is mirrored in RTL");
  await p.context().close();

  // The same image and tags under both locales: each tag on the same image pixel.
  const body = `<img src="/demo/img/eid-1.svg" alt="" data-shoppable-post="eid-lookbook-1" style="width:480px;display:block">
<div data-shoppable-post="eid-lookbook-3" style="width:360px"></div>`;
  for (const id of ["eid-lookbook-1", "eid-lookbook-3"]) {
    const a = ar.posts.find((x) => x.id === id).media[0], e = en.posts.find((x) => x.id === id).media[0];
    assert.deepEqual([a.image, a.tags.map((t) => [t.x, t.y])], [e.image, e.tags.map((t) => [t.x, t.y])], `${id}: same image and tag points in en and ar`);
  }
  const where = {};
  for (const [name, config, dir] of [["en", en, "ltr"], ["ar", ar, "rtl"]]) {
    const q = await newPage(browser);
    await q.goto(await routePage(q, server, `/t/mirror-${name}.html`, page(config, body, { lang: name, dir })));
    assert.equal(await ready(q), true);
    await q.waitForFunction(() => document.querySelector("img").complete);
    where[name] = (await poll(() => q.evaluate(() => {
      // Keyed by product (each once per image here): the DOM orders tags for reading, which
      // differs between LTR and RTL, so neither DOM order nor data-t pairs them up.
      const rel = (img, buttons) => {
        const r = img.getBoundingClientRect();
        return Object.fromEntries(buttons.map((b) => {
          const t = b.getBoundingClientRect();
          return [b.getAttribute("data-shoppable-tag"), b.hidden ? null : [t.left + t.width / 2 - r.left, t.top + t.height / 2 - r.top]];
        }));
      };
      const overlay = document.querySelector("shoppable-overlay").shadowRoot;
      const post = document.querySelector('[data-shoppable-post="eid-lookbook-3"]').shadowRoot;
      const v = {
        img: rel(document.querySelector("img"), [...overlay.querySelectorAll("[data-shoppable-tag]")]),
        post: rel(post.querySelector(".slide img"), [...post.querySelectorAll("[data-shoppable-tag]")]),
        sizes: [document.querySelector("img").getBoundingClientRect().width, post.querySelector(".slide img").getBoundingClientRect().width],
      };
      return { ...v, ok: [...Object.values(v.img), ...Object.values(v.post)].every(Boolean) };
    })));
    await q.context().close();
  }
  assert.deepEqual(where.ar.sizes, where.en.sizes, "the images have the same size in both pages");
  for (const kind of ["img", "post"]) {
    const id = kind === "img" ? "eid-lookbook-1" : "eid-lookbook-3";
    const pts = en.posts.find((x) => x.id === id).media[0].tags;
    assert.equal(Object.keys(where.en[kind]).length, pts.length, `${id}: one tag per config tag`);
    pts.forEach((pt) => {
      const [e, a] = [where.en[kind][pt.product], where.ar[kind][pt.product]];
      assert.ok(a && e && Math.abs(a[0] - e[0]) <= 1 && Math.abs(a[1] - e[1]) <= 1, `${id} ${pt.product}: ar ${a} vs en ${e} (not mirrored)`);
      // And both where the config says (these mounts are fill-sized: x × width).
      const w = where.en.sizes[kind === "img" ? 0 : 1];
      assert.ok(Math.abs(e[0] - pt.x * w) <= 1 && Math.abs(e[1] - pt.y * w * (kind === "img" ? 1500 / 1200 : 1)) <= 1,
        `${id} ${pt.product} at ${e}, config says ${[pt.x * w, pt.y * w * (kind === "img" ? 1500 / 1200 : 1)]}`);
    });
  }
});

for (const [lang, locale, base, dir] of [["fa", "fa-IR", "ar", "rtl"], ["ur", "ur-PK", "ar", "rtl"], ["ms", "ms-MY", "en", "ltr"], ["fr", "fr-FR", "en", "ltr"]]) {
  test(`${lang} at phone width: ${dir}, its language pack, no text overflows the card or the cart`, async () => {
    const source = base === "ar" ? ar : en;
    const config = { ...source, shop: { ...source.shop, locale } };
    const p = await newPage(browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await p.emulateMedia({ reducedMotion: "reduce" });
    const packs = [];
    p.on("response", (r) => { if (r.url().includes("/i18n/")) packs.push(r); });
    const body = `<div data-shoppable-post="eid-lookbook-3" style="margin:16px"></div>`;
    await p.goto(await routePage(p, server, `/t/phone-${lang}.html`, page(config, body, { lang, dir })));
    assert.equal(await ready(p), true);
    assert.deepEqual(packs.map((r) => [new URL(r.url()).pathname, r.status()]), [[`/dist/i18n/${lang}.json`, 200]], "the language pack, and only it, was fetched");
    const strings = await packs[0].json();
    assert.equal(await p.locator("shoppable-ui .root").getAttribute("dir"), dir);
    assert.equal(await p.locator("shoppable-ui .root").getAttribute("lang"), locale);
    const overflow = () => p.evaluate(() => {
      const ui = document.querySelector("shoppable-ui").shadowRoot;
      const out = [];
      for (const box of ui.querySelectorAll("[data-shoppable-card]:not([hidden]), [data-shoppable-cart]:not([hidden])")) {
        for (const e of [box, ...box.querySelectorAll("*")]) {
          if (!e.checkVisibility() || getComputedStyle(e).display === "inline" || e.clientWidth === 0) continue;
          if (e.scrollWidth > e.clientWidth + 1) out.push(`${e.localName}.${e.className} "${e.textContent.trim().slice(0, 30)}" ${e.scrollWidth} > ${e.clientWidth}`);
        }
        const b = box.getBoundingClientRect();
        if (b.left < -0.5 || b.right > innerWidth + 0.5) out.push(`${box.className} outside the screen: ${b.left}..${b.right}`);
      }
      return out;
    });

    const tag = p.locator('[data-shoppable-tag="bag-layla"]');
    await tag.scrollIntoViewIfNeeded();
    await tag.tap();
    const card = p.locator("[data-shoppable-card]");
    await card.waitFor({ state: "visible" });
    assert.equal(await card.locator("[data-shoppable-add]").textContent(), strings.add_to_cart, "the card speaks the shop's language");
    await p.waitForFunction(() => [...document.querySelector("shoppable-ui").shadowRoot.querySelectorAll("[data-shoppable-card] img")].every((i) => i.complete));
    await frames(p, 2);
    assert.deepEqual(await overflow(), [], `${lang}: text overflows in the card`);
    await screenshot(p, `${lang}-phone-card-open`);
    await card.locator("[data-shoppable-add]").tap();
    // The "added" message shows at the top while the card is open, over none of its controls.
    const status = p.locator("[data-shoppable-status]");
    await p.waitForFunction(() => document.querySelector("shoppable-ui").shadowRoot.querySelector("[data-shoppable-status]").textContent !== "");
    const covered = await p.evaluate(() => {
      const ui = document.querySelector("shoppable-ui").shadowRoot;
      const t = ui.querySelector("[data-shoppable-status]").getBoundingClientRect();
      return [...ui.querySelectorAll("[data-shoppable-card] :is(button, select, input, a)")].filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.left < t.right && t.left < r.right && r.top < t.bottom && t.top < r.bottom;
      }).map((e) => e.className || e.localName);
    });
    assert.ok((await status.boundingBox()).height > 0, "the message is on screen");
    assert.deepEqual(covered, [], `${lang}: the message covers the card's controls`);
    await screenshot(p, `${lang}-phone-card-added`);
    await p.keyboard.press("Escape");
    await card.waitFor({ state: "hidden" });
    await p.evaluate(() => Shoppable.cart.add("abaya-classic-58", 3));
    await p.evaluate(() => Shoppable.openCart());
    const cart = p.locator("[data-shoppable-cart]");
    await cart.waitFor({ state: "visible" });
    assert.equal(await cart.locator("[data-shoppable-checkout]").textContent(), strings.checkout);
    await p.waitForFunction(() => [...document.querySelector("shoppable-ui").shadowRoot.querySelectorAll("[data-shoppable-cart] img")].every((i) => i.complete));
    await frames(p, 2);
    assert.deepEqual(await overflow(), [], `${lang}: text overflows in the cart`);
    await screenshot(p, `${lang}-phone-cart-open`);
    // A message while the cart is open sits inside the dialog, in a room of its own above
    // the footer: it covers none of the lines' controls (it floated over the last ones).
    await cart.locator("[data-shoppable-remove]").first().tap();
    await p.waitForFunction(() => document.querySelector("shoppable-ui").shadowRoot.querySelector("[data-shoppable-status]").textContent !== "");
    await frames(p, 2);
    const placed = await p.evaluate(() => {
      const ui = document.querySelector("shoppable-ui").shadowRoot;
      const status = ui.querySelector("[data-shoppable-status]"), t = status.getBoundingClientRect();
      const list = ui.querySelector("[data-shoppable-cart] .lines").getBoundingClientRect();
      const covered = [...ui.querySelectorAll("[data-shoppable-cart] .lines :is(button, input, img)")].filter((e) => {
        const r = e.getBoundingClientRect();
        const top = Math.max(r.top, list.top), bottom = Math.min(r.bottom, list.bottom);
        return r.width > 0 && top < bottom && r.left < t.right && t.left < r.right && top < t.bottom && t.top < bottom;
      }).map((e) => e.className || e.localName);
      return { inside: ui.querySelector("[data-shoppable-cart]").contains(status), height: t.height, covered };
    });
    assert.ok(placed.inside, `${lang}: the message is inside the open cart dialog`);
    assert.ok(placed.height > 0, `${lang}: the message is on screen`);
    assert.deepEqual(placed.covered, [], `${lang}: the message covers the cart's lines`);
    await screenshot(p, `${lang}-phone-cart-removed`);
    assert.deepEqual(p.logs.filter((l) => l.type === "pageerror" || l.type === "error" || l.type === "warning"), []);
    await p.context().close();
  });
}
