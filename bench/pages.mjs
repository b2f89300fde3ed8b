// Generates the benchmark's pages and configs. Deterministic: the same N gives the same bytes.
import { readFileSync } from "node:fs";

const here = new URL("./", import.meta.url).pathname;
const PROBE = readFileSync(`${here}probe.js`, "utf8");

export const TAGS_PER_POST = 5;
export const PRODUCTS = 50;
// The one post image (bench/www/img/post.png, written by make-images.mjs) is 600×750; every
// mount shows it at 240×300.
export const IMG = { src: "/img/post.png", width: 240, height: 300 };

/** A small deterministic PRNG (mulberry32), so configs are identical run to run. */
function rng(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A valid config v1 (SPEC §2) with `posts` posts of one media and 5 tags each. */
export function config(posts) {
  const rand = rng(0x5eed + posts);
  const products = Array.from({ length: PRODUCTS }, (_, i) => ({
    id: `product-${i}`,
    title: `Product ${i}`,
    price: `${10 + i}.${String((i * 37) % 100).padStart(2, "0")}`,
    image: "/img/product.png",
    url: `/p/product-${i}`,
    availability: "in stock",
  }));
  const frac = () => Math.round((0.1 + rand() * 0.8) * 1000) / 1000;
  return {
    version: 1,
    shop: { name: "Bench Atelier", currency: "AED", locale: "en-AE" },
    checkout: { mode: "endpoint", endpoint: "/api/checkout" },
    products,
    posts: Array.from({ length: posts }, (_, p) => ({
      id: `post-${p}`,
      caption: `Post ${p}`,
      media: [{
        image: IMG.src,
        alt: `Post ${p}`,
        tags: Array.from({ length: TAGS_PER_POST }, (_, t) => ({
          product: `product-${(p * TAGS_PER_POST + t) % PRODUCTS}`, x: frac(), y: frac(),
        })),
      }],
    })),
  };
}

// What each implementation adds at the end of <body>, after the inline config.
const IMPL = {
  shoppable: `<script>performance.mark("loader")</script>\n<script src="/dist/shoppable.js" defer></script>`,
  floor: `<script src="/floor.js" defer></script>`,
  "floor-lean": `<script src="/floor-lean.js" defer></script>`,
  taggd: `<script src="/taggd/taggd.js" defer></script>\n<script src="/taggd-init.js" defer></script>`,
  none: ``,
};

/**
 * One page: `posts` posts laid out in a grid of 240 px columns, each an `<img>` mount (or a
 * `<div>` container mount with `container: true`), the config inline, then the implementation.
 * `heapBaseline: true` records the JS heap (after a GC) just before the implementation runs.
 */
export function page({ impl, posts, container = false, until = "all", heapBaseline = false, title }) {
  const kind = impl === "taggd" ? "taggd" : container ? "container" : "overlay";
  const opts = { impl, kind, mounts: posts, expected: posts * TAGS_PER_POST, tagsPerPost: TAGS_PER_POST, until };
  const cells = [];
  for (let p = 0; p < posts; p++) {
    cells.push(container
      ? `<div class="mount" data-shoppable-post="post-${p}"></div>`
      : `<figure><img src="${IMG.src}" width="${IMG.width}" height="${IMG.height}" alt="Post ${p}" data-shoppable-post="post-${p}"></figure>`);
  }
  const baseline = heapBaseline
    ? `<script>(function(){var B=window.__bench,t=performance.now();if(window.gc){gc();gc();}B.gcMs=performance.now()-t;B.heapBefore=performance.memory&&performance.memory.usedJSHeapSize;})()</script>\n`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<link rel="icon" href="data:,">
<title>${title || `${impl} · ${posts} posts`}</title>
<script>window.__benchOpts=${JSON.stringify(opts)}</script>
<script>${PROBE}</script>
<style>
body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#16181d;background:#fafafa}
header{padding:12px 16px}h1{margin:0;font-size:18px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,${IMG.width}px);gap:12px;padding:0 16px 16px}
figure{margin:0;position:relative}figure img{display:block;max-width:100%}
.mount{width:${IMG.width}px}
</style>
${impl === "taggd" ? `<link rel="stylesheet" href="/taggd/taggd.css">\n` : ""}</head><body>
<header><h1>${posts} posts · ${impl}</h1><p>A lookbook page of the benchmark.</p></header>
<main class="grid">
${cells.join("\n")}
</main>
<script type="application/json" data-shoppable-config>${JSON.stringify(config(posts))}</script>
${baseline}${IMPL[impl]}
</body></html>
`;
}
