// Renames the glue's side of the wasm's imports and exports after `wasm-opt
// --minify-imports-and-exports-and-modules` has renamed them in the wasm, and drops what
// the loader never uses: the `initSync` export, a deprecation warning and a polyfill.
//
// Why: wasm-bindgen names each import `__wbg_<method>_<16 hex digits>`. The hash is random to
// a compressor and appears twice, once in the wasm's import section and once in the glue, in
// two files that brotli compresses apart: 188 imports cost several KB of pure entropy. The
// short names wasm-opt picks (`a`, `b`, … `$c`) cost a byte or two.
//
// Usage: node scripts/minify-names.mjs <glue.js> <minified.wasm> <map.json>
// where map.json is what wasm-opt printed: {"imports": [[module, old, new]…],
// "exports": [[old, new]…]}. The glue is rewritten in place, and the script fails if any old
// name is left in it, so a change in wasm-bindgen's output breaks the build, not the page.
import { readFileSync, writeFileSync } from 'node:fs';

const [gluePath, wasmPath, mapPath] = process.argv.slice(2);
if (!gluePath || !wasmPath || !mapPath) {
  console.error('usage: minify-names.mjs <glue.js> <minified.wasm> <map.json>');
  process.exit(2);
}
const map = JSON.parse(readFileSync(mapPath, 'utf8'));
let glue = readFileSync(gluePath, 'utf8');
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const missing = [];

// wasm-bindgen's glue keys its import object by the module's old name ("./<out>_bg.js");
// wasm-opt renames the module too but leaves that out of its map, so read it off the wasm.
const modules = new Set(map.imports.map(([m]) => m));
const renamed = new Set(
  WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmPath))).map((i) => i.module),
);
if (modules.size !== 1 || renamed.size !== 1) {
  missing.push(`one import module expected, got ${[...modules]} → ${[...renamed]}`);
}
const [newModule] = renamed;

function replace(re, to, what) {
  const before = glue;
  glue = glue.replace(re, to);
  if (glue === before) missing.push(what);
}

for (const [, from, to] of map.imports) {
  // An import is a key of the import object: `__wbg_x_0123…: function(…`.
  replace(new RegExp(`(^|[\\s{,])${esc(from)}:`, 'gm'), `$1${JSON.stringify(to)}:`, from);
}
for (const m of modules) replace(new RegExp(`${esc(JSON.stringify(m))}:`, 'g'), `${JSON.stringify(newModule)}:`, m);
for (const [from, to] of map.exports) {
  // An export is read off the instance's exports: `wasm.cart_add(…`. Some (`__wbindgen_start`
  // among them) the glue may never read, so an export not found is not an error; a name
  // the glue reads but the map lacks would be, hence the look for leftovers below.
  glue = glue.replace(new RegExp(`\\bwasm\\.${esc(from)}\\b`, 'g'), `wasm[${JSON.stringify(to)}]`);
}
// The loader only calls the default (async) init: without its export, `initSync` and its
// deprecation warning go at minification (−67 B brotli).
replace('export { initSync, __wbg_init as default };', 'export { __wbg_init as default };', 'the initSync export');
// The loader always passes `{ module_or_path }`: the warning for init's deprecated
// positional form never shows.
replace(
  /if \(Object\.getPrototypeOf\(module_or_path\) === Object\.prototype\) \{\s*\(\{module_or_path\} = module_or_path\)\s*\} else \{\s*console\.warn\('using deprecated parameters for the initialization function; pass a single object instead'\)\s*\}/,
  '({module_or_path} = module_or_path);',
  "init's deprecated-parameters warning",
);
// `TextEncoder.encodeInto` (Chrome 74, Firefox 66, Safari 14.1) is older than the
// constructable stylesheets every shadow root adopts (Firefox 101, Safari 16.4; Chrome 73,
// a version with no users left): no polyfill. With the warning above, −100 B brotli of glue.
replace(
  /if \(!\('encodeInto' in cachedTextEncoder\)\) \{[\s\S]*?\n\}\n/,
  '',
  'the encodeInto polyfill',
);

// A string goes into the wasm through a loop that copies it a character at a time while it
// is ASCII; wasm-bindgen takes `TextEncoder.encode` (native) only where no `realloc` is
// given. The loop is quick for the short strings the DOM hands back, but on a cold start it
// runs unoptimised over the whole config: 1.3 ms for a 7 KB one on the bench machine,
// before `start` began. Long strings take the native path (+7 B brotli).
replace(
  /(function passStringToWasm0\(arg, malloc, realloc\) \{\s*if \(realloc === undefined)\)/,
  '$1 || arg.length > 256)',
  "passStringToWasm0's native path for long strings",
);

const left = glue.match(/__wbg_[A-Za-z0-9_]+_[0-9a-f]{16}|\bwasm\.[A-Za-z_]\w*/g);
if (left) missing.push(`names left unmapped: ${[...new Set(left)].slice(0, 5).join(', ')}`);
if (missing.length) {
  console.error(`minify-names: ${gluePath} does not match the wasm:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
writeFileSync(gluePath, glue);
