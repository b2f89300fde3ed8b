// Prints raw, gzip -9 and brotli -q 11 bytes of every file in dist/ and the total.
// With --check, fails (exit 1) when a budget is exceeded:
//   - the loader (dist/shoppable.js) over 1.5 KB brotli (issue 3's budget);
//   - what a page with one post downloads (loader + glue + wasm, styles live in the wasm,
//     and the language pack of the heaviest language) over TOTAL_BUDGET. Issue 3's goal
//     is 40 KB; until the code gets there this is a ratchet just above the current size,
//     lowered as size work lands, so that no change makes the widget heavier unnoticed. Issues 4–6 added ~7 KB brotli (six more UI
//     languages 2.4 KB, carousels, lazy mounts, plurals, fault fixes); dropping core's
//     str-slicing and Utf8Error formatting paid back 4.2 KB. Set at 75,500 (idle-time
//     budgets for far posts took it just past 75,000), then 75,600: tags placed from the
//     config's declared media size, focus after paint, rendering sliced into 16 ms tasks
//     with `ready` waiting for the posts in view took the total from 75,029 to 75,558.
//     Then 75,700: the brotli total moves by up to ~100 B with no change in function (a
//     comment-only edit in app.rs shifted panic locations and moved it 68 B), so a ratchet
//     40 B above the size failed on unrelated edits. Then 70,600: short import and export
//     names (scripts/minify-names.mjs) took 75,658 to 70,459. Then 69,700: UI languages
//     other than English moved to language packs; what counts is the heaviest language's
//     page (Urdu: 69,563; English alone 68,919). Then 68,500: checkout with callbacks
//     instead of a futures executor (−1.5 KB), the bag icon as a CSS mask (−310 B), no
//     producers/target-features sections (−111 B), paying for the ICU warm-up worker
//     after the first tags (loader +232 B, and ~420 B of wasm for the wait and the
//     inlining it changed): 68,375. Then 67,900: the pending fetch moved by value
//     (−251 B) and one digit parser for four integer types (−349 B): 67,775. Then 67,550:
//     one integer printer instead of four integer Display copies (−379 B): 67,438. Then
//     67,700, up on purpose: the card and cart panel laid out unseen in idle time after
//     `ready` (+213 B) take the first tag click's handler from 26.5 ms to 11.5 ms: 67,627.
//     Then 67,650: one fixed-point writer for CSS lengths and JSON numbers (−99 B): 67,528.
//     Then 68,400, up on purpose for issues 4–6: the card's quantity stepper, variants
//     inheriting the compare-at price, bidi-isolated titles in sentences, a "Order on
//     WhatsApp" button text, distinct Arabic plural forms, observers released on unmount
//     (+768 B): 68,296. Then 69,450: tags in reading order (+~550 B: a hand-written
//     insertion sort, std's sort cost 3 KB), Tab kept in the open card, the checkout's
//     attempt state as a core `Run`, Persian and Urdu digits for `arab`: 69,341. Then
//     69,500: the cart's error toast sits inside the open panel (+96 B of CSS): 69,437.
//     Then 69,600: the status message isolates a title with <bdi> instead of invisible
//     FSI/PDI marks in its text (+98 B): 69,535.
//     Then 68,150: wasm-opt `--converge --low-memory-unused` (−0.8 KB) and closures boxed
//     before they reach wasm-bindgen, so its glue exists once per signature (−0.6 KB): 68,065. Then 67,700: the JSON reader slices its
//     own &str instead of re-validating UTF-8 and reads \u digits by hand (which also
//     refuses `\u+abc`, as `JSON.parse` does), a currency is an offset into the ISO table,
//     and config's one `join` is a loop (−464 B): 67,601. Then 67,150: the exports return their
//     result or the Error, which the loader throws, instead of a `Result` (no multi-value
//     shims, less glue; −547 B, loader +35 B): 67,054. Then 65,900: the DOM and window calls
//     that cannot throw as the widget makes them (attributes, children, text, constant
//     selectors, createElement, timers, frames, listeners, viewport, computed style) are
//     bound without `catch` (`dom::Dom`, `io`), so no call site checks for an exception
//     (−1,260 B): 65,794. Then 65,850: `focus` and computed-style reads the same way
//     (−56 B): 65,738. Then 65,450: `querySelectorAll` and IntersectionObserver entries
//     read without a per-node `instanceof` check and iterator adapters (−390 B): 65,348.
//     Then 65,150: `window` and `document` read as globals instead of through
//     `web_sys::window()`'s search of four globals with an `instanceof` check (−305 B):
//     65,043. Tried and not kept: options dictionaries from JSON text (one import for
//     all instead of a constructor and setters each) saved 87 B of glue and cost 93 of wasm.
//     Then 65,100: the glue's unused `initSync` export dropped (−62 B): 64,981. Then
//     65,050: the same build without rustup's `rust-src` component, which a session had
//     installed for an experiment: with it, std's panic locations name the local source
//     path instead of `/rustc/<hash>/…` (+46 B). A fresh machine, and any clone, builds
//     64,935, byte for byte the same. Review: `El::new` borrows the cached document
//     (−9 B): 64,926. Then 64,100: the crate is `no_std` and the shipped build links no
//     `std` (wasm-bindgen, js-sys and web-sys without their `std` feature), with a panic
//     handler that is one `unreachable`: std's panic runtime is gone (−922 B): 64,004.
//     Then 62,650: `cat!` instead of `format!` (enforced by clippy.toml), so no `core::fmt`
//     is left in the wasm (−1,459 B): 62,545. Then 60,300: loops instead of iterator
//     adapter chains (`map`/`filter_map`/`flat_map` + `collect`), each of which was its
//     own copy of the adapters' code (−2,229 B), and entry points called through a trait
//     of their own instead of `dyn FnMut`, whose vtables held an unused `call_once` shim
//     per closure type (−107 B): 60,208. Then 59,700: the config parser's errors boxed,
//     so each of its ~100 `?`s moves a pointer instead of two `String`s (−589 B): 59,585.
//     Review: window calls borrow the cached window instead of cloning a handle each, and
//     the config's boxed errors are built by one `error` helper (−93 B): 59,492. Then
//     58,900: std's char searcher and `memchr` (`split_once(char)`, `split`, `replace`),
//     Unicode `trim`/`split_whitespace` and the slice-index panic path out of the wasm,
//     replaced by `core::split_once`, ASCII trims where the input is ASCII by definition
//     (HTTP, computed CSS) and `get(..)` (−815 B): 58,677. Then 58,700: the three
//     observer classes through one binding of `observe`/`unobserve`/`disconnect`, one
//     `setTimeout` and one `Function.call` binding, two more calls without `catch`, and the
//     glue without init's deprecation warning and the `encodeInto` polyfill (−179 B): 58,498.
//     Review: `core::split`, an iterator over `split_once`, where three callers had
//     written the loop out (−94 B, within brotli's noise): 58,404. Then 58,400: the two
//     byte-set tests (`b"-._~".contains`, the header-name `tchar`) without a byte slice's
//     `contains`, which is std's `memchr` (−200 B): 58,204. Then 58,100: the widget's own
//     inputs' and selects' `value`, and events' `key`, read through one binding each
//     without an `instanceof` check (five `instanceof` imports and two getters gone), and
//     mutation records taken as what the observer hands (−280 B): 57,924. Then 57,750:
//     eight more calls that cannot throw as the widget makes them bound without `catch`
//     (`cloneNode`, `after`, class toggles, `dispatchEvent`, `crypto`, `Reflect.has`,
//     `location.href`) and one `location` binding (−393 B): 57,531. Then 57,650: the
//     checkout's `Headers` set and read without `catch`, config now refusing header values
//     past U+00FF, which `Headers.set` would have thrown on (−113 B): 57,418.
//     Then 57,350: four functions js-sys's JSPI task runner keeps in the function table, which
//     can never run here, stubbed after wasm-bindgen (scripts/stub-dead.mjs) so wasm-opt
//     drops what only they used (−179 B): 57,239.
//     Then 57,200: the panic locations' source paths in the data blanked by the same script
//     (the panic handler never reads them; −167 B): 57,072. Then 57,050: the standard
//     library's panic messages blanked the same way, and the two `unreachable!` messages in
//     src/ turned into comments (−143 B): 56,929. The panic locations' line and column
//     numbers zeroed as well (−7 B): 56,922; before, a comment that moved code down a line
//     changed 4 bytes of the wasm and the brotli total by 159 B.
//     Then +53 B, within the budget: `<img>` mounts' overlays get `content-visibility: auto`
//     with a clip margin, so the browser skips far ones: 56,975.
//     Then 57,700 (and 57,800 to 58,750 below), raised for fixes a contract audit asked for, each measured alone:
//     `ready` waits for every mount and a `ready` read before the config is remembered, GA4
//     pushes clear `ecommerce` first, the "added" message off the open card (+86 B):
//     57,061; a corrupt stored checkout key replaced and config refusing its own
//     `Idempotency-Key`/`Content-Type` headers (+143 B); the cart API's type checks in the
//     loader (+70 B): 57,274; single-page apps' changed post ids, moved `<img>`s, copies of
//     mounts and a replaced `<body>` (+396 B): 57,670. Then 57,800: closing the cart
//     returns focus to the page's own button that opened it (+118 B): 57,788. Then 58,000:
//     `<img>` mounts in table cells placed right (+186 B): 57,974. Then 58,200: a checkout
//     refused for good (400, 404…) no longer tells the shopper to try again, and the
//     server's message reaches the developer (+194 B): 58,168. The cart button's name
//     built from the `cart` string (−17 B): 58,151. Then 58,300: the card's add and the
//     cart's + at 99 of an item say so instead of doing nothing (+139 B): 58,290. Then
//     58,400: a tag of a product none of whose items can be bought says so in its name,
//     and two reviewed translations (+53 B): 58,343. Then 58,500: a newer widget's cart
//     written by another tab is no longer overwritten by this page's next change (+105 B):
//     58,448. Then 58,600: inline styles written through the CSSOM, so a CSP without
//     'unsafe-inline' in style-src no longer breaks every position, and unbroken words
//     wrap (+22 B with the review fix of a remounted unknown id, +45 B): 58,515. Then
//     58,750, from an accessibility audit: dark mode only on pages that declare one
//     (`light-dark()`), a focus ring in the text colour, readable error toasts, forced-colors
//     icons and borders, and focus kept in the open cart (+183 B with the loader's
//     `<base href>` and pack timeout, +27 B): 58,698. Within the budget: quantity fields
//     named for their product (brotli −43 B) and 409 reasons as the line's controls'
//     description (+66 B): 58,721. Then 58,900: a broken image (404, an expired CDN link)
//     hides its tags until a picture loads, one listener closure for `load` and `error`
//     (+144 B): 58,865. The cart panel scrolling as one under 481 px of height (400 %
//     zoom, +18 B): 58,883. Removals announced like additions, through one helper (a new
//     string in eight languages, −41 B): 58,842. Then 59,150: the status region moved
//     into the open cart dialog, so it covers no line and is heard inside a modal (+14 B
//     raw, +99 B brotli of noise); terser's `unsafe_arrows` (−52 B); the loader's warning
//     on a page with mounts and no config (+8 B): 58,907; a stepper's − and + said to
//     screen readers with the new subtotal, and a typed one (+541 B raw, +225 B): 59,132.
//     Then 59,230: the Checkout button's refusals handled (no unhandled rejection), the
//     API defined before `shoppable:ready`, `cart.add` returning what it added, typed
//     quantities read up to their first non-digit (+471 B raw, +87 B): 59,219; the loader's
//     config error naming the resolved URL (+6 B): 59,225. Then 61,150, for what two
//     black-box audits found, each step measured: clicks on a post's controls inside the
//     page's own link no longer follow it (+3 B); focus kept in the cart dialog after a
//     typed quantity, during a checkout and after an order (+156 B): 59,384; a deferred
//     loader waiting for DOMContentLoaded (+2 B); computed `calc()` object-positions,
//     checkout()'s Error carrying retryable and lines, remove() of an unknown id, a 409
//     without an error object (+227 B): 59,613; `<img>` mounts in scroll containers without
//     `position` (+737 B): 60,350; a changed data-shoppable-media (+39 B): 60,389; fields
//     given twice refused (+127 B): 60,516; the review of those (nested containers, the
//     card closed with its mount, headers and strings given twice, the loader without
//     Navigation Timing: +328 B): 60,844; an IntersectionObserver so that a scroll makes
//     no call per post (+310 B), and a flag it made redundant dropped (−29 B): 61,125.
//     Then 61,400, for layout work: a layout that finds a frame's boxes unchanged writes
//     no style (a digest of what was written, +167 B), and a ResizeObserver report of the
//     size last measured lays nothing out (+77 B): 61,369. Together about 100 ms of the
//     1000-post render page's main-thread time (its frames' ResizeObserver work, ~10 ms
//     after each idle slice, and the second style pass of rewritten tags).
//     Then 61,550, for what a review of that found (+133 B): its digest mixed whole
//     pixels into the key's top bits only (an overlay moved by 2 px kept its key and stayed
//     put), a clip of -1 px on every side hashed as no clip, and the ResizeObserver skip
//     also needs the image not to have moved: 61,502. Within it, and the ratchet down to
//     61,500: the first-view pulse waits for `ready` (a running animation restyled and
//     repainted every frame while far posts were rendered: the 1000-post page's last tag
//     28 % later; brotli −15 B of noise for +102 B raw): 61,487.
//     Then 61,550: the posts in view rendered in start's own task, so the next frame paints
//     them (−14 B: 61,473), and the stored cart read after that frame (a page's first
//     `localStorage` access loads its storage area: cold start −3 ms, +29 B): 61,502.
//     Within it: the bag icon drawn by CSS gradients (+37 B), the glue's long strings
//     (+7 B), the near slices taking the posts in view first (+233 B raw; between −10 and
//     +110 B brotli for formulations that differ by one comparison, the noise of brotli's
//     block choices at this size) and two more panic texts blanked: 61,522.
//     Then 61,650: posts looked up by id through an index sorted at parse time, tags'
//     products through the sorted item table, mounts by a binary search of their ids, and
//     the `seen` observer's entries by their mount id instead of a search comparing
//     elements through JS (+93 B: 61,624). Config parsing and mounting had been quadratic
//     in the posts: `start`'s setup on the 1000-post page took 52.9 against 41.2 ms, on the
//     5000-post page 151.5 against 80.4 ms (medians of interleaved loads).
//     Then 61,700: a mount naming an unknown post is left untouched (SPEC §7): no
//     `data-shoppable-state="unknown"` written on it, an expando property remembering the
//     id it was warned about instead, so the scans that try it again do not warn again
//     (+50 B with the loader's +3 B for another tab's cart: 61,697). Telling far unknown
//     mounts at scan time too (never marked pending) cost +117 B and 6–10 ms of the
//     1000-post page's scan (reading every far mount's post id), so it is not done.
//     Then 61,710: the order id and the shop's name in bidi isolates in the Arabic, Persian
//     and Urdu strings (+10 B of the Urdu pack; isolating them in the code instead, for
//     every language, cost +105 B): 61,707.
//     Down to 60,950: the wasm's functions grouped by type, then by number of locals,
//     smallest first, and the glue's import shims by shape (`scripts/order-functions.mjs`),
//     orders brotli compresses better: −679 B and −95 B, 60,933.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const LOADER_BUDGET = 1536;
const TOTAL_GOAL = 40 * 1024;
const TOTAL_BUDGET = 60_950;

const dir = new URL("../dist/", import.meta.url);
function measure(name, url) {
  const data = readFileSync(url);
  return {
    name,
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }).length,
  };
}
const sum = (name, rs) => rs.reduce((t, r) => ({ name, raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
// Type declarations are for developers, never downloaded by a shopper: not counted.
const rows = readdirSync(dir, { withFileTypes: true })
  .filter((e) => e.isFile() && !e.name.endsWith(".d.ts"))
  .map((e) => measure(e.name, new URL(e.name, dir)))
  .sort((a, b) => a.name.localeCompare(b.name));
// A shop in a language other than English also downloads that language's pack.
const packDir = new URL("i18n/", dir);
const packs = existsSync(packDir)
  ? readdirSync(packDir).sort().map((n) => measure(`i18n/${n}`, new URL(n, packDir)))
  : [];
const english = sum("total, English page", rows);
const heaviest = packs.reduce((h, p) => (p.brotli > h.brotli ? p : h), { name: "none", raw: 0, gzip: 0, brotli: 0 });
const total = sum(`total, ${heaviest.name.replace(/^i18n\/|\.json$/g, "") || "en"} page (heaviest)`, [...rows, heaviest]);
const pad = (v, n) => String(v).padStart(n);
const line = (r) => console.log(`${r.name.padEnd(32)}${pad(r.raw, 10)}${pad(r.gzip, 10)}${pad(r.brotli, 10)}`);
console.log(`${"file".padEnd(32)}${pad("raw", 10)}${pad("gzip", 10)}${pad("brotli", 10)}`);
[...rows, english, ...packs, total].forEach(line);

if (process.argv.includes("--check")) {
  const loader = rows.find((r) => r.name === "shoppable.js");
  const failures = [];
  if (!loader) failures.push("dist/shoppable.js is missing");
  else if (loader.brotli > LOADER_BUDGET) failures.push(`loader is ${loader.brotli} B brotli, budget ${LOADER_BUDGET} B`);
  if (total.brotli > TOTAL_BUDGET) failures.push(`one-post page downloads ${total.brotli} B brotli, budget ${TOTAL_BUDGET} B`);
  const goal = total.brotli <= TOTAL_GOAL ? "met" : `not yet met (${total.brotli - TOTAL_GOAL} B over)`;
  console.log(`size budget: loader ${loader?.brotli} / ${LOADER_BUDGET} B, total ${total.brotli} / ${TOTAL_BUDGET} B; 40 KB goal ${goal}`);
  if (failures.length) {
    for (const f of failures) console.error(`size budget exceeded: ${f}`);
    process.exit(1);
  }
}
