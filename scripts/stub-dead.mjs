// Replaces the bodies of functions that can never run with `unreachable`, so that `wasm-opt`
// drops everything only they used, and blanks data that is never read. Runs on wasm-bindgen's
// output kept with `--keep-debug` (the function names are needed to find them); `wasm-opt
// --strip-debug` removes the names afterwards.
//
// Why a post-link step: js-sys 0.3.107 exports `__wbg_jspi_task_poll` with `#[no_mangle]`
// (its JSPI task runner, src/futures/jspi.rs), so the linker keeps the runner and the
// `RawWakerVTable` its tasks' wakers point to. wasm-bindgen deletes that export again in a
// module without `#[wasm_bindgen(jspi)]` exports (ours has none: the widget runs no
// futures), but the vtable's four functions are still in the function table, and no tool
// can prove a table entry dead. A JSPI waker is only ever made by `spawn_promising`, which
// nothing here calls, so the four can never run; stubbed, they take `SpawnedTask::wake`, the
// task's drop and a panic location with them (−179 B brotli).
//
// The data never read: source paths of panic locations (`/rustc/<hash>/library/…/once.rs`,
// `<CARGO_HOME>/registry/src/…/jspi.rs`, `src/app.rs`) and the standard library's panic
// messages (`PANIC_TEXTS`). The shipped panic handler (`src/lib.rs`) is one `unreachable`
// and reads neither, so they are overwritten with zero bytes in place, same length, nothing
// moved (−167 B and −143 B brotli, the latter with the two `unreachable!` messages dropped
// from `src/`); the builder's CARGO_HOME stays out of the shipped bytes too. Rust's
// read-only data is strings laid end to end with nothing between them, so every path
// pattern starts with a text no other string ends in: `/rustc/<hash>/`, the CARGO_HOME in
// use, or the exact path of one of this crate's source files. The locations' line and
// column numbers are zeroed as well, so moving code by a line changes no shipped byte. A
// panic handler that reports its message or location would need this step gone. Texts
// wasm-bindgen throws to JavaScript (`throw_str`: "FnOnce called more than once", "closure
// invoked recursively or after being dropped"…) are real errors and stay.
//
// Usage: node scripts/stub-dead.mjs <wasm>, rewritten in place. Fails if a listed function is
// missing (a js-sys update renamed or removed it): then look again, and update or drop the
// list, rather than ship a build whose size silently changed.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import binaryen from 'binaryen';
import { FEATURES } from './wasm-features.mjs';

/** Name prefixes (before the `::h<hash>` suffix) of functions that can never run. */
const DEAD = [
  'js_sys::futures::jspi::task_waker::raw_clone',
  'js_sys::futures::jspi::task_waker::raw_wake',
  'js_sys::futures::jspi::task_waker::raw_wake_by_ref',
  'js_sys::futures::jspi::task_waker::raw_drop',
];

/** Panic messages of core and alloc (panics only; a text no longer built is skipped). */
const PANIC_TEXTS = [
  'internal error: entered unreachable code',
  'index out of bounds: the len is ',
  ' but the index is ',
  'memory allocation of ',
  'insertion index (is ',
  ') should be <= len (is ',
  'removal index (is ',
  ') should be < len (is ',
  'Tried to shrink to a larger capacity',
  'capacity overflow',
  'attempt to calculate the remainder with overflow',
  'LazyCell instance has previously been poisoned',
  'attempt to divide by zero',
  'attempt to calculate the remainder with a divisor of zero',
  'RefCell already mutably borrowed',
  'RefCell already borrowed',
];

const [path] = process.argv.slice(2);
if (!path) {
  console.error('usage: stub-dead.mjs <wasm>');
  process.exit(2);
}
const module = binaryen.readBinary(readFileSync(path));
module.setFeatures(FEATURES);
const found = new Set();
for (let i = 0; i < module.getNumFunctions(); i++) {
  const fn = module.getFunctionByIndex(i);
  const name = binaryen.Function.getName(fn).replace(/::h[0-9a-f]{16}$/, '');
  if (DEAD.includes(name) && binaryen.Function.getBody(fn)) {
    binaryen.Function.setBody(fn, module.unreachable());
    found.add(name);
  }
}
const missing = DEAD.filter((n) => !found.has(n));
if (missing.length) {
  console.error(`stub-dead.mjs: not in ${path}: ${missing.join(', ')} (see the script's header)`);
  process.exit(1);
}
if (!module.validate()) {
  console.error('stub-dead.mjs: the rewritten module does not validate');
  process.exit(1);
}
binaryen.setDebugInfo(true);
const wasm = module.emitBinary();

// Source paths of panic locations.
const escape = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const cargoHome = resolve(process.env.CARGO_HOME || `${homedir()}/.cargo`);
const root = new URL('..', import.meta.url).pathname;
const own = readdirSync(`${root}src`, { recursive: true })
  .filter((f) => f.endsWith('.rs'))
  .map((f) => `src/${f}`);
const PATH = new RegExp(
  `/rustc/[0-9a-f]{40}/library/[a-z0-9_/]+?\\.rs|${escape(cargoHome)}/registry/src/[A-Za-z0-9_./-]+?\\.rs|${own.map(escape).join('|')}`,
  'g',
);
// The data section (id 11): each segment's bytes, and for an active one the address it is
// loaded at.
let at = 8;
const uleb = () => {
  let v = 0;
  for (let shift = 0, byte = 0x80; byte & 0x80; shift += 7) {
    byte = wasm[at++];
    v |= (byte & 0x7f) << shift;
  }
  return v >>> 0;
};
const sleb = () => {
  let v = 0, shift = 0, byte;
  do {
    byte = wasm[at++];
    v |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return shift < 32 && byte & 0x40 ? v | (-1 << shift) : v;
};
const segments = [];
while (at < wasm.length) {
  const id = wasm[at++];
  const end = uleb() + at;
  if (id === 11) {
    for (let n = uleb(); n > 0; n--) {
      const flags = uleb();
      let base = null;
      if (flags !== 1) {
        if (flags === 2) uleb(); // memory index
        if (wasm[at++] !== 0x41) throw new Error('stub-dead.mjs: a data offset that is not i32.const');
        base = sleb() >>> 0;
        if (wasm[at++] !== 0x0b) throw new Error('stub-dead.mjs: a data offset that is not one i32.const');
      }
      const length = uleb();
      segments.push({ base, start: at, length });
      at += length;
    }
  }
  at = end;
}

// Paths and panic messages, blanked in place.
const paths = new Set(); // `address:length` of each blanked path
for (const seg of segments) {
  const text = Buffer.from(wasm.buffer, wasm.byteOffset + seg.start, seg.length).toString('latin1');
  for (const m of text.matchAll(PATH)) {
    wasm.fill(0, seg.start + m.index, seg.start + m.index + m[0].length);
    if (seg.base !== null) paths.add(`${seg.base + m.index}:${m[0].length}`);
  }
  for (const t of PANIC_TEXTS) {
    for (let i = text.indexOf(t); i >= 0; i = text.indexOf(t, i + t.length)) {
      wasm.fill(0, seg.start + i, seg.start + i + t.length);
    }
  }
}
if (!paths.size) {
  console.error('stub-dead.mjs: no source path found in the data section (see the script\'s header)');
  process.exit(1);
}

// Panic locations: `core::panic::Location` is the file as (address, length), then line and
// column, 4-aligned. Those pointing at a blanked path get line and column zeroed too, so a
// comment that moves code down a line no longer changes the shipped bytes (it moved the
// brotli size by up to 160 B).
const view = new DataView(wasm.buffer, wasm.byteOffset, wasm.byteLength);
let locations = 0;
for (const seg of segments) {
  if (seg.base === null) continue;
  for (let p = (4 - (seg.base % 4)) % 4; p + 16 <= seg.length; p += 4) {
    const o = seg.start + p;
    if (paths.has(`${view.getUint32(o, true)}:${view.getUint32(o + 4, true)}`)) {
      wasm.fill(0, o + 8, o + 16);
      locations++;
    }
  }
}
if (!locations) {
  console.error('stub-dead.mjs: no panic location points at a blanked path (see the script\'s header)');
  process.exit(1);
}
writeFileSync(path, wasm);
