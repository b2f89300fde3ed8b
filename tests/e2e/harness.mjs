// Shared e2e setup: a fresh reference server on a free port (in-memory SQLite) and Debian's
// Chromium driven by playwright-core. Screenshots go to target/e2e-screenshots/.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const root = new URL("../../", import.meta.url).pathname;
export const shots = `${root}target/e2e-screenshots`;
mkdirSync(shots, { recursive: true });

/** A demo shop's config, e.g. `demoConfig("en")` for www/demo/config.en.json. */
export const demoConfig = (lang) => JSON.parse(readFileSync(`${root}www/demo/config.${lang}.json`, "utf8"));

/** Products without variants that are in stock: each is its own purchasable item. */
export const inStockSimple = (config) => config.products.filter((p) => !p.variants?.length && p.availability === "in stock");

export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
];

/** Starts the reference server; resolves to { url, stop }. */
export async function startServer(extra = []) {
  const proc = spawn(`${root}target/release/checkout-server`,
    ["--addr", "127.0.0.1:0", "--www", `${root}www`, "--dist", `${root}dist`, "--db", ":memory:", ...extra],
    { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: proc.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not start in 20 s")), 20000);
    proc.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    lines.on("line", (line) => {
      const m = line.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  return { url, stop: () => new Promise((r) => { proc.once("exit", r); proc.kill(); }) };
}

export async function launch() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** A page that records console messages and page errors for assertions. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.logs = [];
  page.on("console", (m) => page.logs.push({ type: m.type(), text: m.text() }));
  page.on("pageerror", (e) => page.logs.push({ type: "pageerror", text: e.message }));
  return page;
}

export async function ready(page) {
  return page.evaluate(() => window.Shoppable.ready.then(() => true, (e) => e.message));
}

/** Waits until the mount of `postId` is rendered (every mount on the page is at `ready`;
 * one added later is rendered when near or idle); returns its `data-shoppable-state`. */
export async function mounted(page, postId, timeout = 5000) {
  const state = () => page.evaluate((id) => document
    .querySelector(`[data-shoppable-post="${id}"], shoppable-post[post-id="${id}"]`)
    ?.getAttribute("data-shoppable-state"), postId);
  await page.waitForFunction((id) => document
    .querySelector(`[data-shoppable-post="${id}"], shoppable-post[post-id="${id}"]`)
    ?.getAttribute("data-shoppable-state") === "ready", postId, { timeout }).catch(() => {});
  return state();
}

/** Records every `shoppable:*` event and dataLayer push on the page from now on. */
export async function recordEvents(page) {
  await page.addInitScript(() => {
    window.__events = [];
    for (const name of ["ready", "error", "tag-open", "add-to-cart", "remove-from-cart",
      "checkout-start", "checkout-success", "checkout-error"]) {
      document.addEventListener(`shoppable:${name}`, (e) => window.__events.push({ name, detail: e.detail }));
    }
  });
}

export async function orders(server) {
  const r = await fetch(`${server.url}/api/orders`);
  return r.json();
}

export function screenshot(page, name) {
  return page.screenshot({ path: `${shots}/${name}.png` });
}

/** Serves `html` at `path` on the server's origin, so the real loader and wasm are used. */
export async function routePage(page, server, path, html) {
  await page.context().route(`${server.url}${path}`, (route) =>
    route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
  return `${server.url}${path}`;
}

export const embed = (config) => `<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"></head><body>
<img src="/demo/img/eid-1.svg" alt="" data-shoppable-post="p1" style="width:480px;display:block">
<div data-shoppable-post="p1" style="width:360px"></div>
<script type="application/json" data-shoppable-config>${JSON.stringify(config)}</script>
<script src="/dist/shoppable.js" defer></script></body></html>`;

/** Polls `read` until it returns `want` (3 s at most), then asserts it. */
export async function until(read, want, message) {
  let got;
  for (const end = Date.now() + 3000; ;) {
    got = await read();
    if (got === want || Date.now() > end) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.equal(got, want, message);
}
